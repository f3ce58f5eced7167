/*
 * tlb_bench.c - the cost of a TLB shootdown (`folio.bench=tlb`): one
 * single-page flush_tlb_range of a user mm loaded here only, then also
 * loaded (lazily, as an idle CPU keeps it) on 1 and on 3 other CPUs.  On
 * x86_64 the remote ones cost a call IPI round trip to each (sent together,
 * waited for together); on arm64 the flush is a broadcast TLBI whatever the
 * mask, so the three cost the same.  One BENCH line per case with its
 * nanoseconds per flush and its ratio to the local flush in per mille
 * (tools read ratios: absolute times under QEMU TCG mean little); a case
 * needing more CPUs than are online is left out.
 */
#include "kernel/arch.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "kernel/time.h"
#include "mm/pgtable.h"
#include "mm/vma.h"

#define TLB_BENCH_LOOPS		4096
#define TLB_BENCH_ADDR		0x20000000UL

/* A call: load the mm on this CPU and keep it (the target idles: it may take the ASID lock). */
static void load_mm(void *mm)
{
	switch_mm(mm);
}

/* ns for TLB_BENCH_LOOPS single-page flushes of mm. */
static u64 time_flushes(struct mm_struct *mm)
{
	u64 t0 = ktime_get_ns();

	for (unsigned long i = 0; i < TLB_BENCH_LOOPS; i++)
		flush_tlb_range(mm, TLB_BENCH_ADDR, TLB_BENCH_ADDR + PAGE_SIZE);
	return ktime_get_ns() - t0;
}

void tlb_bench_run(void)
{
	struct mm_struct *mm = mm_alloc(), *saved = active_mm();
	unsigned int loaded = 0;
	u64 local = 0;

	if (!mm) {
		pr_err("bench: tlb: no memory for an mm\n");
		return;
	}
	switch_mm(mm);
	for (unsigned int remote = 0; remote <= 3; remote += remote ? 2 : 1) {
		u64 ns;

		while (loaded < remote && loaded + 1 < nr_cpu_ids && cpu_online(loaded + 1)) {
			smp_call_function_single(loaded + 1, load_mm, mm);
			loaded++;
		}
		if (loaded < remote)
			break;
		time_flushes(mm);	/* warm up */
		ns = time_flushes(mm);
		if (!remote)
			local = ns;
		printk("BENCH name=tlb_shootdown arch=%s remote_cpus=%u loops=%u ns_per_flush=%llu "
		       "permille_of_local=%llu\n", ARCH_NAME, remote, TLB_BENCH_LOOPS,
		       ns / TLB_BENCH_LOOPS, local ? ns * 1000 / local : 0);
	}
	switch_mm(saved);
	mmput(mm);		/* the other CPUs let go of it (cleanup_lazy_tlbs) */
}
