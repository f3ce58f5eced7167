/*
 * smp_test.c - boot tests of the per-CPU data and the cross-CPU calls
 * (kernel/smp.h).  make test runs them at CPUS=1, 2, 4 and 8 and checks the
 * boot line "smp: Brought up 1 node, N CPUs" against N, so these tests ask
 * only that every online CPU answers as itself:
 *  - smp_on_each_cpu_reports_own_id: on_each_cpu() runs a function on every
 *    online CPU once; each reports smp_processor_id(), the hardware id read
 *    from the hardware, that this_cpu() is its own (not its `current`: with
 *    tasks on every CPU a kernel thread may be running there) and whether it
 *    ran from an interrupt: the call-function IPI on the others,
 *    directly on the caller; each other CPU counted exactly one more IPI.
 *  - smp_call_function_single_each_cpu: the same, one CPU at a time, and
 *    -ENXIO for a CPU that is not online.
 *  - smp_reschedule_ipi_arrives: a reschedule IPI to each other CPU is
 *    counted there (the test waits for it: an IPI that never arrives hangs
 *    the run into make test's timeout).
 */
#include "kernel/ktest.h"
#include "kernel/sched.h"
#include "kernel/smp.h"
#include "kernel/string.h"
#include <uapi/errno.h>

struct cpu_report {
	unsigned int runs;	/* times the function ran on this CPU */
	unsigned int cpu;	/* smp_processor_id() there */
	u64 hwid;		/* arch_read_hwid() there */
	bool from_irq;
	bool this_cpu_matches;	/* this_cpu() == cpu_data(smp_processor_id()) */
};

static struct cpu_report reports[NR_CPUS];

static void report_self(void *arg)
{
	struct cpu_report *r = &((struct cpu_report *)arg)[smp_processor_id()];

	r->runs++;
	r->cpu = smp_processor_id();
	r->hwid = arch_read_hwid();
	r->from_irq = in_interrupt();
	r->this_cpu_matches = this_cpu() == cpu_data(r->cpu);
}

/* The report of cpu after one call, when `ipis_before` was its call-IPI count. */
static bool report_ok(unsigned int cpu, u64 ipis_before)
{
	const struct cpu_report *r = &reports[cpu];
	bool remote = cpu != smp_processor_id();

	return r->runs == 1 && r->cpu == cpu && r->hwid == cpu_data(cpu)->hwid &&
	       r->from_irq == remote && r->this_cpu_matches &&
	       cpu_data(cpu)->ipi_received[IPI_CALL_FUNC] == ipis_before + remote;
}

KTEST(smp_on_each_cpu_reports_own_id)
{
	u64 before[NR_CPUS];
	unsigned int online = 0;

	KT_ASSERT_EQ(smp_processor_id(), 0);
	memset(reports, 0, sizeof(reports));
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		before[cpu] = cpu_data(cpu)->ipi_received[IPI_CALL_FUNC];
	on_each_cpu(report_self, reports);
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		if (!cpu_online(cpu)) {
			KT_ASSERT_EQ(reports[cpu].runs, 0);
			continue;
		}
		online++;
		KT_ASSERT_MSG(report_ok(cpu, before[cpu]),
			      "CPU%u: runs %u id %u hwid %#llx (want %#llx) irq %d ipis %llu (was %llu)",
			      cpu, reports[cpu].runs, reports[cpu].cpu, (unsigned long long)reports[cpu].hwid,
			      (unsigned long long)cpu_data(cpu)->hwid, reports[cpu].from_irq,
			      (unsigned long long)cpu_data(cpu)->ipi_received[IPI_CALL_FUNC],
			      (unsigned long long)before[cpu]);
	}
	KT_ASSERT_EQ(online, num_online_cpus);
}

KTEST(smp_call_function_single_each_cpu)
{
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		u64 before = cpu_data(cpu)->ipi_received[IPI_CALL_FUNC];

		memset(reports, 0, sizeof(reports));
		if (!cpu_online(cpu)) {
			KT_ASSERT_EQ(smp_call_function_single(cpu, report_self, reports), -ENXIO);
			KT_ASSERT_EQ(reports[cpu].runs, 0);
			continue;
		}
		KT_ASSERT_EQ(smp_call_function_single(cpu, report_self, reports), 0);
		KT_ASSERT_MSG(report_ok(cpu, before), "CPU%u answered wrongly", cpu);
		for (unsigned int other = 0; other < NR_CPUS; other++)
			KT_ASSERT(other == cpu || reports[other].runs == 0);
	}
	KT_ASSERT_EQ(smp_call_function_single(NR_CPUS, report_self, reports), -ENXIO);
}

KTEST(smp_reschedule_ipi_arrives)
{
	for (unsigned int cpu = 1; cpu < NR_CPUS; cpu++) {
		volatile u64 *got = &cpu_data(cpu)->ipi_received[IPI_RESCHEDULE];
		u64 before = *got;

		if (!cpu_online(cpu))
			continue;
		arch_send_ipi(cpu_data(cpu), IPI_RESCHEDULE);
		while (*got == before)
			cpu_relax();
		KT_ASSERT_EQ(*got, before + 1);
	}
}
