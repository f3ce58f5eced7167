/*
 * percpu_test.c - boot tests of the per-CPU counters (mm/vmstat.h) and of
 * the per-CPU interrupt state of spinlocks (kernel/spinlock.h).  make test
 * runs them at CPUS=1 (with every boot test) and at CPUS=2, 4 and 8:
 *  - vmstat_percpu_counts_every_cpu: every online CPU counts an event, a
 *    pgalloc order and an mTHP stat N times at once (on_each_cpu: the other
 *    CPUs in their call-function IPI handlers, side by side), and a gauge up
 *    on one CPU and down on another; each sum moves by exactly N x CPUs
 *    (the gauge by 0), and each CPU's own word by N, offline CPUs' by 0.
 *  - spinlock_irq_out_of_order: two locks taken with interrupts on and
 *    released in the order taken leave interrupts off until the second
 *    goes; on every CPU (inside the IPI handler, interrupts off) the same
 *    leaves them off and this CPU's nesting back at 0.
 * Counters nobody else counts during boot tests; their words are put back.
 */
#include "kernel/ktest.h"
#include "kernel/smp.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "mm/vmstat.h"

#define PERCPU_N	100000
#define PERCPU_EVENT	ANON_PROMOTE_COLLAPSE_FAILED
#define PERCPU_MTHP	MTHP_STAT_COLLAPSE_ALLOC_FAILED
#define PERCPU_ORDER	8

static void count_n(void *arg __unused)
{
	for (unsigned int i = 0; i < PERCPU_N; i++) {
		count_vm_event(PERCPU_EVENT);
		count_pgalloc_order(PERCPU_ORDER);
		count_mthp_stat(PERCPU_ORDER, PERCPU_MTHP);
	}
	/* A folio counted up here and down on the next CPU: the gauge's words move, its sum not. */
	mod_mthp_stat(PERCPU_ORDER, MTHP_STAT_NR_ANON_PARTIALLY_MAPPED, 1);
}

/* CPU cpu's words of the three counters count_n adds to. */
static unsigned long *percpu_words(unsigned int cpu, unsigned int i)
{
	unsigned long *w[] = { &vm_event_states[cpu].event[PERCPU_EVENT],
			       &vm_event_states[cpu].pgalloc_order[PERCPU_ORDER],
			       &mthp_stats[cpu].stats[PERCPU_ORDER][PERCPU_MTHP] };

	return w[i];
}

KTEST(vmstat_percpu_counts_every_cpu)
{
	unsigned long saved[NR_CPUS][3];
	unsigned long ev0 = sum_vm_event(PERCPU_EVENT), pga0 = sum_pgalloc_order(PERCPU_ORDER);
	unsigned long mthp0 = sum_mthp_stat(PERCPU_ORDER, PERCPU_MTHP);
	unsigned long gauge0 = sum_mthp_stat(PERCPU_ORDER, MTHP_STAT_NR_ANON_PARTIALLY_MAPPED);
	unsigned long n = (unsigned long)PERCPU_N * num_online_cpus;

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		for (unsigned int i = 0; i < 3; i++)
			saved[cpu][i] = *percpu_words(cpu, i);
	on_each_cpu(count_n, NULL);
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		if (cpu_online(cpu))
			mod_mthp_stat(PERCPU_ORDER, MTHP_STAT_NR_ANON_PARTIALLY_MAPPED, -1);	/* all here */
	KT_ASSERT_EQ(sum_vm_event(PERCPU_EVENT), ev0 + n);
	KT_ASSERT_EQ(sum_pgalloc_order(PERCPU_ORDER), pga0 + n);
	KT_ASSERT_EQ(sum_mthp_stat(PERCPU_ORDER, PERCPU_MTHP), mthp0 + n);
	KT_ASSERT_EQ(sum_mthp_stat(PERCPU_ORDER, MTHP_STAT_NR_ANON_PARTIALLY_MAPPED), gauge0);
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		for (unsigned int i = 0; i < 3; i++) {
			KT_ASSERT_MSG(*percpu_words(cpu, i) - saved[cpu][i] == (cpu_online(cpu) ? PERCPU_N : 0),
				      "CPU%u counter %u: +%lu", cpu, i, *percpu_words(cpu, i) - saved[cpu][i]);
			*percpu_words(cpu, i) = saved[cpu][i];	/* put back: nothing was allocated */
		}
	}
}

struct irq_report {
	bool off_between, off_after;	/* interrupts off after the first release / after both */
	int depth_after;		/* this CPU's irqoff_depth after both */
	int runs;
};

static struct irq_report irq_reports[NR_CPUS];

/* On every CPU, interrupts off (the IPI handler): A, B; A released first. */
static void locks_out_of_order(void *arg __unused)
{
	spinlock_t a = SPINLOCK_INIT("ktest_irq_a"), b = SPINLOCK_INIT("ktest_irq_b");
	struct irq_report *r = &irq_reports[smp_processor_id()];
	int depth = this_cpu()->irqoff_depth;

	spin_lock(&a);
	spin_lock(&b);
	spin_unlock(&a);
	r->off_between = arch_irqs_disabled();
	spin_unlock(&b);
	r->off_after = arch_irqs_disabled();
	r->depth_after = this_cpu()->irqoff_depth - depth;
	r->runs++;
}

KTEST(spinlock_irq_out_of_order)
{
	spinlock_t a = SPINLOCK_INIT("ktest_irq_a"), b = SPINLOCK_INIT("ktest_irq_b");
	bool were_on = !arch_irqs_disabled();
	int depth = this_cpu()->irqoff_depth;
	bool off_between, on_after;

	arch_local_irq_enable();
	spin_lock(&a);
	spin_lock(&b);
	spin_unlock(&a);
	off_between = arch_irqs_disabled();
	spin_unlock(&b);
	on_after = !arch_irqs_disabled();
	if (!were_on)
		arch_local_irq_disable();
	KT_ASSERT_EQ(depth, 0);
	KT_ASSERT(off_between);
	KT_ASSERT(on_after);
	KT_ASSERT_EQ(this_cpu()->irqoff_depth, 0);

	memset(irq_reports, 0, sizeof(irq_reports));
	on_each_cpu(locks_out_of_order, NULL);
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		const struct irq_report *r = &irq_reports[cpu];

		KT_ASSERT_EQ(r->runs, cpu_online(cpu) ? 1 : 0);
		if (cpu_online(cpu))
			KT_ASSERT_MSG(r->off_between && r->off_after && r->depth_after == 0,
				      "CPU%u: off %d/%d depth %d", cpu, r->off_between, r->off_after, r->depth_after);
	}
}
