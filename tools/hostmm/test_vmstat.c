/*
 * test_vmstat.c - the per-CPU counters of mm/vmstat.h on simulated CPUs.
 *
 * The host has one CPU, but smp_processor_id() is host_cpu_info.cpu, so a
 * test that sets it counts into that CPU's block: randomized increments
 * of events, pgalloc orders and mTHP stats, and +/- changes of the mTHP
 * gauges, spread over every possible CPU, must sum exactly to a model after
 * each step; a gauge whose per-CPU words sum below zero (a read mid-update)
 * reads 0.
 */
#include "mm/vmstat.h"
#include "tools/hostmm/hostmm_vm.h"

/* Count as CPU cpu from now on (what a task running there would do). */
static void as_cpu(unsigned int cpu)
{
	host_cpu_info.cpu = cpu;
}

static bool test_vmstat_percpu_sums_random(void)
{
	static unsigned long ev[NR_VM_EVENT_ITEMS], pga[MTHP_MAX_ORDER + 1];
	static long mthp[MTHP_MAX_ORDER + 1][__MTHP_STAT_COUNT];
	static const enum mthp_stat_item gauges[] = { MTHP_STAT_NR_ANON, MTHP_STAT_NR_ANON_PARTIALLY_MAPPED };

	vm_setup();
	vm_rng = 0x5eed0015;
	for (unsigned long step = 0; step < 20000; step++) {
		unsigned int cpu = (unsigned int)vm_rnd_below(NR_CPUS), order = (unsigned int)vm_rnd_below(MTHP_MAX_ORDER + 1);
		enum vm_event_item e = (enum vm_event_item)vm_rnd_below(NR_VM_EVENT_ITEMS);
		enum mthp_stat_item m = (enum mthp_stat_item)vm_rnd_below(__MTHP_STAT_COUNT);
		enum mthp_stat_item g = gauges[vm_rnd_below(ARRAY_SIZE(gauges))];
		unsigned long n = vm_rnd_below(4);
		long delta = mthp[order][g] > 0 && vm_rnd_below(2) ? -1 : 1;	/* the model never below 0 */

		as_cpu(cpu);
		switch (vm_rnd_below(4)) {
		case 0:
			count_vm_events(e, n);
			ev[e] += n;
			break;
		case 1:
			count_vm_event(e);
			ev[e]++;
			break;
		case 2:
			count_pgalloc_order(order);
			pga[order]++;
			break;
		default:
			count_mthp_stat(order, m);
			mod_mthp_stat(order, g, delta);
			if (order) {	/* order 0 has no mTHP counters */
				mthp[order][m]++;
				mthp[order][g] += delta;
			}
		}
		ASSERT_EQ(sum_vm_event(e), ev[e]);
		ASSERT_EQ(sum_pgalloc_order(order), pga[order]);
		ASSERT_EQ(sum_mthp_stat(order, m), (unsigned long)mthp[order][m]);
		ASSERT_EQ(sum_mthp_stat(order, g), (unsigned long)mthp[order][g]);
	}
	for (unsigned int i = 0; i < NR_VM_EVENT_ITEMS; i++)
		ASSERT_EQ(sum_vm_event(i), ev[i]);
	for (unsigned int k = 0; k <= MTHP_MAX_ORDER; k++) {
		ASSERT_EQ(sum_pgalloc_order(k), pga[k]);
		for (unsigned int i = 0; i < __MTHP_STAT_COUNT; i++)
			ASSERT_EQ(sum_mthp_stat(k, i), (unsigned long)mthp[k][i]);
	}
	as_cpu(0);
	return true;
}

/* A folio counted up on CPU 3 and down on CPU 5: a sum that sees only the down reads 0. */
static bool test_vmstat_gauge_mid_update(void)
{
	vm_setup();
	as_cpu(5);
	mod_mthp_stat(4, MTHP_STAT_NR_ANON, -1);
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_NR_ANON), 0);
	ASSERT_EQ((long)mthp_stats[5].stats[4][MTHP_STAT_NR_ANON], -1);
	as_cpu(3);
	mod_mthp_stat(4, MTHP_STAT_NR_ANON, 1);
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_NR_ANON), 0);
	mod_mthp_stat(4, MTHP_STAT_NR_ANON, 1);
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_NR_ANON), 1);
	as_cpu(0);
	return true;
}

const struct hostmm_test vmstat_tests[] = {
	HOSTMM_TEST(test_vmstat_percpu_sums_random),
	HOSTMM_TEST(test_vmstat_gauge_mid_update),
	{ NULL, NULL },
};
