/*
 * test_asid.c - the ASID/PCID generation allocator (mm/asid.c): ids stay
 * while live, a rollover comes exactly when the ASIDs run out, keeps the
 * ASIDs CPUs run under and makes every CPU flush once, the space grows to
 * fit the CPUs, and (randomized over several CPUs, against a model TLB per
 * CPU tagged by ASID) no mm ever sees another mm's entries, nor its own
 * entries of an older life.
 */
#include "tools/hostmm/hostmm.h"
#include "tools/hostmm/hostmm_vm.h"
#include "mm/asid.h"

static struct asid_space space;

static bool test_asid_live_ids_kept(void)
{
	u64 a = 0, b = 0;

	ASSERT_EQ(asid_space_init(&space, 4, 1), 4);
	ASSERT_FALSE(asid_switch(&space, 0, &a));
	ASSERT_EQ(asid_of(&space, a), 1);
	ASSERT_FALSE(asid_switch(&space, 0, &b));
	ASSERT_EQ(asid_of(&space, b), 2);
	ASSERT_FALSE(asid_switch(&space, 0, &a));
	ASSERT_EQ(asid_of(&space, a), 1);
	ASSERT_TRUE(asid_live(&space, a) && asid_live(&space, b));
	ASSERT_EQ(space.active[0], a);
	ASSERT_EQ(space.rollovers, 0);
	return true;
}

/*
 * 2 bits: ASIDs 1..3.  CPU 1 runs id[0]; CPU 0 loads id[1], id[2], then
 * id[3] rolls over: CPU 0 flushes at once, CPU 1 at its next switch (only
 * once); id[0], still running on CPU 1, gets its ASID back when CPU 0 loads
 * it too (another thread), id[1] does not.
 */
static bool test_asid_rollover_keeps_running(void)
{
	u64 id[4] = { 0 };

	ASSERT_EQ(asid_space_init(&space, 2, 2), 2);
	ASSERT_FALSE(asid_switch(&space, 1, &id[0]));
	for (int i = 1; i < 3; i++)
		ASSERT_FALSE(asid_switch(&space, 0, &id[i]));
	ASSERT_TRUE(asid_switch(&space, 0, &id[3]));	/* id[2] was loaded here: not kept */
	ASSERT_EQ(space.rollovers, 1);
	ASSERT_TRUE(asid_live(&space, id[3]));
	ASSERT_EQ(asid_of(&space, id[3]), 2);	/* 1 is CPU 1's, reserved */
	ASSERT_FALSE(asid_live(&space, id[0]) || asid_live(&space, id[1]) || asid_live(&space, id[2]));
	ASSERT_FALSE(asid_switch(&space, 0, &id[0]));	/* CPU 0 flushed already */
	ASSERT_TRUE(asid_live(&space, id[0]) && asid_of(&space, id[0]) == 1);
	ASSERT_EQ(space.active[1], id[0]);		/* CPU 1's reservation moved along */
	ASSERT_TRUE(asid_switch(&space, 1, &id[1]));	/* CPU 1's flush is due */
	ASSERT_EQ(asid_of(&space, id[1]), 3);
	ASSERT_FALSE(asid_switch(&space, 1, &id[0]));	/* flushed once only */
	ASSERT_FALSE(asid_switch(&space, 0, &id[3]));	/* still live: no new ASID */
	ASSERT_EQ(asid_of(&space, id[3]), 2);
	return true;
}

/* Room for every CPU's reserved ASID and one more: 2 bits hold 2 CPUs, 4 CPUs need 3 bits. */
static bool test_asid_space_fits_cpus(void)
{
	ASSERT_EQ(asid_space_init(&space, 2, 2), 2);
	ASSERT_EQ(asid_space_init(&space, 2, 3), 3);
	ASSERT_EQ(asid_space_init(&space, 2, NR_CPUS), 4);
	ASSERT_EQ(asid_space_init(&space, 12, NR_CPUS), 12);
	return true;
}

#define MODEL_MMS	12
#define MODEL_CPUS	3
#define MODEL_BITS	ASID_MIN_BITS	/* 3 ASIDs: the most 2 reserved ones leave room */
#define MODEL_ASIDS	(1U << MODEL_BITS)

/* Which mm (index) CPU cpu runs, -1: none. */
static int model_running(const int *loaded, unsigned int cpu)
{
	return loaded[cpu];
}

/*
 * The model: tlb[cpu][asid] = which mm life filled entries under it on
 * that CPU (0: none).  A switch fills entries for the loaded mm on that CPU
 * (and the mm it leaves keeps filling until then); a flush the allocator
 * asks for empties that CPU's slots; an mm dies (a new life starts in its
 * slot) with its id forgotten, only when no CPU runs it (exit switches
 * away first).  An id's ASID is in use while it is live or some CPU runs it.
 */
static bool test_asid_random_model(void)
{
	u64 id[MODEL_MMS] = { 0 };
	unsigned int life[MODEL_MMS], tlb[MODEL_CPUS][MODEL_ASIDS], next_life = 1;
	int loaded[MODEL_CPUS];

	vm_rng = 0x7e57a51d;
	memset(tlb, 0, sizeof(tlb));
	ASSERT_EQ(asid_space_init(&space, MODEL_BITS, MODEL_CPUS - 1), MODEL_BITS);
	for (int c = 0; c < MODEL_CPUS; c++)
		loaded[c] = -1;
	for (int i = 0; i < MODEL_MMS; i++)
		life[i] = next_life++;
	/* CPU MODEL_CPUS - 1 only ever loads ASID 0: MODEL_CPUS - 1 CPUs hold ids. */
	for (int step = 0; step < 40000; step++) {
		unsigned int cpu = (unsigned int)vm_rnd_below(MODEL_CPUS);
		unsigned long k = cpu == MODEL_CPUS - 1 ? MODEL_MMS : vm_rnd_below(MODEL_MMS + 2);
		bool running = false;

		if (k == MODEL_MMS) {
			loaded[cpu] = -1;	/* idle / exit: ASID 0, the allocator not asked */
			continue;
		}
		if (k == MODEL_MMS + 1) {
			unsigned long d = vm_rnd_below(MODEL_MMS);	/* an mm dies, loaded nowhere */

			for (int c = 0; c < MODEL_CPUS; c++)
				running |= model_running(loaded, c) == (int)d;
			if (running)
				continue;
			id[d] = 0;
			life[d] = next_life++;
			continue;
		}
		if (asid_switch(&space, cpu, &id[k]))
			memset(tlb[cpu], 0, sizeof(tlb[cpu]));
		loaded[cpu] = (int)k;
		unsigned long asid = asid_of(&space, id[k]);

		ASSERT_TRUE(asid > 0 && asid < MODEL_ASIDS && asid_live(&space, id[k]));
		ASSERT_TRUE(tlb[cpu][asid] == 0 || tlb[cpu][asid] == life[k]);
		tlb[cpu][asid] = life[k];
		for (int j = 0; j < MODEL_MMS; j++) {	/* no two mms in use share an ASID */
			bool in_use = asid_live(&space, id[j]);

			for (int c = 0; c < MODEL_CPUS; c++)
				in_use |= model_running(loaded, c) == j;
			ASSERT_TRUE(j == (int)k || !in_use || asid_of(&space, id[j]) != asid);
		}
	}
	ASSERT_TRUE(space.rollovers > 100);
	return true;
}

const struct hostmm_test asid_tests[] = {
	HOSTMM_TEST(test_asid_live_ids_kept),
	HOSTMM_TEST(test_asid_rollover_keeps_running),
	HOSTMM_TEST(test_asid_space_fits_cpus),
	HOSTMM_TEST(test_asid_random_model),
	{ NULL, NULL },
};
