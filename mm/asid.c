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
	VM_BUG_ON(asid_test(space, asid));
	space->map[asid / 64] |= 1ULL << (asid % 64);
}

/* Every ASID free but 0 (the empty root's) and the loaded one, which moves to the new generation. */
static void asid_new_generation(struct asid_space *space)
{
	memset(space->map, 0, sizeof(space->map));
	space->generation += 1ULL << space->bits;
	space->next = 1;
	space->rollovers++;
	asid_take(space, 0);
	if (space->active && *space->active) {
		unsigned long asid = asid_of(space, *space->active);

		asid_take(space, asid);
		*space->active = space->generation | asid;
	}
}

void asid_space_init(struct asid_space *space, unsigned int bits)
{
	BUG_ON(bits < ASID_MIN_BITS || bits > ASID_MAX_BITS);
	memset(space, 0, sizeof(*space));
	space->bits = bits;
	space->generation = 1ULL << bits;
	space->next = 1;
	asid_take(space, 0);
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

bool asid_switch(struct asid_space *space, u64 *id)
{
	bool rollover = false;
	unsigned long asid;

	if (id && !asid_live(space, *id)) {
		asid = asid_find_free(space);
		if (!asid) {
			asid_new_generation(space);
			rollover = true;
			asid = asid_find_free(space);
			BUG_ON(!asid);
		}
		asid_take(space, asid);
		space->next = asid + 1;
		*id = space->generation | asid;
	}
	space->active = id;
	return rollover;
}
