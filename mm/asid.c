/*
 * asid.c - the ASID allocator with generations: contract and picture in
 * mm/asid.h.  Portable (the host tests run it with a few bits to roll over).
 */
#include "mm/asid.h"
#include "kernel/cmdline.h"
#include "kernel/string.h"
#include "mm/mm.h"
#include "mm/thp_sysfs_file.h"	/* kstrtoul_buf */
#include <uapi/errno.h>

unsigned int asid_bits_limit = ASID_MAX_BITS;

/* folio.asid_bits=N: 0, or ASID_MIN_BITS .. ASID_MAX_BITS. */
static int asid_bits_setup(const char *value)
{
	unsigned long n;

	if (!value || kstrtoul_buf(value, strlen(value), &n) ||
	    (n && (n < ASID_MIN_BITS || n > ASID_MAX_BITS)))
		return -EINVAL;
	asid_bits_limit = (unsigned int)n;
	return 0;
}
__setup("folio.asid_bits", asid_bits_setup);

static bool asid_test(const struct asid_space *space, unsigned long asid)
{
	return space->map[asid / 64] & (1ULL << (asid % 64));
}

static void asid_take(struct asid_space *space, unsigned long asid)
{
	space->map[asid / 64] |= 1ULL << (asid % 64);
}

/*
 * Every ASID free but 0 (the empty root's) and the ones CPUs run under
 * (they keep them: reserved), and every CPU owes a full flush.
 */
static void asid_new_generation(struct asid_space *space)
{
	memset(space->map, 0, sizeof(space->map));
	space->generation += 1ULL << space->bits;
	space->next = 1;
	space->rollovers++;
	asid_take(space, 0);
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		if (space->active[cpu])
			asid_take(space, asid_of(space, space->active[cpu]));
	space->flush_pending.bits = ~0UL;
}

unsigned int asid_space_init(struct asid_space *space, unsigned int bits, unsigned int nr_cpus)
{
	BUG_ON(bits < ASID_MIN_BITS || bits > ASID_MAX_BITS || nr_cpus > NR_CPUS);
	while ((1U << bits) - 1 <= nr_cpus)
		bits++;
	memset(space, 0, sizeof(*space));
	spin_lock_init(&space->lock, "asid_lock");
	space->bits = bits;
	space->generation = 1ULL << bits;
	space->next = 1;
	asid_take(space, 0);
	return bits;
}

/* The first free ASID at or after space->next, wrapping once; 0 when every one is taken. */
static unsigned long asid_find_free(struct asid_space *space)
{
	unsigned long nr = 1UL << space->bits;

	for (unsigned long i = 0; i < nr; i++) {
		unsigned long asid = (space->next + i) & (nr - 1);

		if (!asid_test(space, asid))
			return asid;
	}
	return 0;
}

/* Was old (an id of the previous generation) reserved at the rollover?  Then move it to this one. */
static bool asid_update_reserved(struct asid_space *space, u64 old, u64 *id)
{
	bool hit = false;

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		if (space->active[cpu] != old)
			continue;
		space->active[cpu] = space->generation | asid_of(space, old);
		hit = true;
	}
	if (hit)
		*id = space->generation | asid_of(space, old);
	return hit;
}

/* A new ASID of this generation for *id (space->lock held). */
static void asid_new(struct asid_space *space, u64 *id)
{
	unsigned long asid;

	if (*id && asid_update_reserved(space, *id, id))
		return;
	asid = asid_find_free(space);
	if (!asid) {
		asid_new_generation(space);
		asid = asid_find_free(space);
		BUG_ON(!asid);		/* asid_space_init left room past every CPU's reserved one */
	}
	asid_take(space, asid);
	space->next = asid + 1;
	*id = space->generation | asid;
}

bool asid_switch(struct asid_space *space, unsigned int cpu, u64 *id)
{
	bool flush;

	VM_BUG_ON(cpu >= NR_CPUS || !id);
	spin_lock(&space->lock);
	space->active[cpu] = 0;		/* what this CPU leaves needs no reservation */
	if (!asid_live(space, *id))
		asid_new(space, id);
	space->active[cpu] = *id;
	flush = cpumask_test_and_clear_cpu(cpu, &space->flush_pending);
	spin_unlock(&space->lock);
	return flush;
}
