/*
 * test_asid.c - the ASID/PCID generation allocator (mm/asid.c): ids stay
 * while live, a rollover comes exactly when the ASIDs run out and keeps the
 * loaded one, and (randomized, against a model TLB tagged by ASID) no mm
 * ever sees another mm's entries, nor its own entries of an older life.
 */
#include "tools/hostmm/hostmm.h"
#include "tools/hostmm/hostmm_vm.h"
#include "mm/asid.h"

static struct asid_space space;

static bool test_asid_live_ids_kept(void)
{
	u64 a = 0, b = 0;

	asid_space_init(&space, 4);
	ASSERT_FALSE(asid_switch(&space, &a));
	ASSERT_EQ(asid_of(&space, a), 1);
	ASSERT_FALSE(asid_switch(&space, &b));
	ASSERT_EQ(asid_of(&space, b), 2);
	ASSERT_FALSE(asid_switch(&space, &a));
	ASSERT_EQ(asid_of(&space, a), 1);
	ASSERT_TRUE(asid_live(&space, a) && asid_live(&space, b));
	ASSERT_FALSE(asid_switch(&space, NULL));
	ASSERT_TRUE(space.active == NULL);
	ASSERT_EQ(space.rollovers, 0);
	return true;
}

/* 2 bits: ASIDs 1..3.  The fourth mm rolls over; the loaded one keeps its ASID, live. */
static bool test_asid_rollover_keeps_loaded(void)
{
	u64 id[4] = { 0 };

	asid_space_init(&space, 2);
	for (int i = 0; i < 3; i++)
		ASSERT_FALSE(asid_switch(&space, &id[i]));
	ASSERT_TRUE(asid_switch(&space, &id[3]));	/* id[2] was loaded */
	ASSERT_EQ(space.rollovers, 1);
	ASSERT_TRUE(asid_live(&space, id[2]) && asid_live(&space, id[3]));
	ASSERT_FALSE(asid_live(&space, id[0]) || asid_live(&space, id[1]));
	ASSERT_EQ(asid_of(&space, id[2]), 3);
	ASSERT_NE(asid_of(&space, id[3]), 3);
	ASSERT_FALSE(asid_switch(&space, &id[2]));	/* still live: no new ASID */
	ASSERT_EQ(asid_of(&space, id[2]), 3);
	return true;
}

#define MODEL_MMS	12
#define MODEL_ASIDS	(1U << ASID_MIN_BITS)

/*
 * The model: tlb[asid] = which mm life filled entries under it (0: none).
 * A switch fills entries for the loaded mm; a rollover empties every slot;
 * an mm dies (a new life starts in its slot) with its id forgotten.
 */
static bool test_asid_random_model(void)
{
	u64 id[MODEL_MMS] = { 0 };
	unsigned int life[MODEL_MMS], tlb[MODEL_ASIDS] = { 0 }, next_life = 1;

	vm_rng = 0x7e57a51d;
	asid_space_init(&space, ASID_MIN_BITS);
	for (int i = 0; i < MODEL_MMS; i++)
		life[i] = next_life++;
	for (int step = 0; step < 20000; step++) {
		unsigned long k = vm_rnd_below(MODEL_MMS + 2);

		if (k == MODEL_MMS) {
			ASSERT_FALSE(asid_switch(&space, NULL));	/* idle / exit: ASID 0 */
		} else if (k == MODEL_MMS + 1) {
			unsigned long d = vm_rnd_below(MODEL_MMS);	/* an mm dies, not loaded */

			if (space.active == &id[d])
				continue;
			id[d] = 0;
			life[d] = next_life++;
		} else {
			unsigned long asid;

			if (asid_switch(&space, &id[k]))
				memset(tlb, 0, sizeof(tlb));
			asid = asid_of(&space, id[k]);
			ASSERT_TRUE(asid > 0 && asid < MODEL_ASIDS);
			ASSERT_TRUE(tlb[asid] == 0 || tlb[asid] == life[k]);
			tlb[asid] = life[k];
			for (int j = 0; j < MODEL_MMS; j++)	/* no two live mms share an ASID */
				ASSERT_TRUE(j == (int)k || !asid_live(&space, id[j]) ||
					    asid_of(&space, id[j]) != asid);
		}
	}
	ASSERT_TRUE(space.rollovers > 100);
	return true;
}

const struct hostmm_test asid_tests[] = {
	HOSTMM_TEST(test_asid_live_ids_kept),
	HOSTMM_TEST(test_asid_rollover_keeps_loaded),
	HOSTMM_TEST(test_asid_random_model),
	{ NULL, NULL },
};
