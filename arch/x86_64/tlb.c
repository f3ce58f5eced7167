/*
 * tlb.c (x86_64) - PCIDs: with CR4.PCIDE, TLB entries are tagged with the
 * PCID in CR3's low 12 bits, and a CR3 load with bit 63 (no-flush) set
 * keeps the entries of every PCID (SDM vol. 3, 4.10.1), so switching
 * address spaces no longer flushes the TLB.
 *
 * Each mm gets a PCID from the generation allocator of mm/asid.h (12
 * bits, capped by `folio.asid_bits=`), one space for every CPU; PCID 0 is
 * the kernel root's, used when no mm is loaded, and kernel mappings are
 * global anyway.  After a rollover each CPU flushes every PCID (INVPCID
 * all-non-global, else a CR4.PGE toggle) before its next load.  Every CPU
 * sets CR4.PCIDE (the APs in x86_pcid_init_secondary).
 *
 * TLB shootdown (docs/smp.md "TLB shootdown"): flush_tlb_mm_range runs
 * flush_tlb_func here and, through the call IPI, on every other CPU of
 * mm_cpumask(mm) (the CPUs that loaded the mm: its PCID keeps entries there
 * after they switch away), waiting for them all (Linux's
 * flush_tlb_multi).  On each: for the loaded mm INVLPG or a CR3 reload of
 * its PCID without no-flush; for an mm not loaded there INVPCID when the
 * CPU has it (CPUID.7.EBX[10]), else a per-CPU stale mark, and that CPU's
 * next load clears no-flush, flushing the PCID then (Linux's way of
 * deferring to the next switch).
 *
 * `nopcid` (Linux's word, or folio.asid_bits=0): no PCIDs, each switch
 * flushes the non-global TLB as before; `noinvpcid` (Linux's word): take
 * the stale-mark path even where INVPCID exists.
 *
 * Counted: nr_tlb_local_flush_one (pages), nr_tlb_local_flush_all (whole
 * PCID or TLB, switches included), nr_tlb_remote_flush (shootdowns sent),
 * nr_tlb_remote_flush_received (their IPIs handled), asid_rollover.
 */
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "mm/asid.h"
#include "mm/mm_types.h"
#include "mm/pgtable.h"
#include "mm/vmstat.h"
#include <asm/cpu.h>
#include <asm/irqflags.h>
#include <asm/tlbflush.h>

#define CR4_PCIDE		(1UL << 17)
#define CR3_NOFLUSH		(1ULL << 63)
#define PCID_BITS		12
#define CPUID1_ECX_PCID		(1U << 17)
#define CPUID7_EBX_INVPCID	(1U << 10)

enum invpcid_type {
	INVPCID_ADDR = 0,		/* one address of one PCID */
	INVPCID_SINGLE = 1,		/* every non-global entry of one PCID */
	INVPCID_ALL_NONGLOBAL = 3,	/* every non-global entry of every PCID */
};

static struct asid_space pcids;
static bool pcid_on, invpcid_on;	/* (c) after x86_pcid_init */
static bool nopcid, noinvpcid;		/* (c) the command-line words */

static int nopcid_setup(const char *value)
{
	nopcid = true;
	return value ? -22 : 0;
}
__setup("nopcid", nopcid_setup);

static int noinvpcid_setup(const char *value)
{
	noinvpcid = true;
	return value ? -22 : 0;
}
__setup("noinvpcid", noinvpcid_setup);

static void invpcid(enum invpcid_type type, u64 pcid, unsigned long addr)
{
	struct { u64 pcid, addr; } desc = { pcid, addr };

	__asm__ __volatile__("invpcid %0, %1" : : "m"(desc), "r"((u64)type) : "memory");
}

void x86_pcid_init(void)
{
	u32 a, b, c, d, a7, b7, c7, d7;
	unsigned int bits = min((unsigned int)PCID_BITS, asid_bits_limit);

	cpuid(1, 0, &a, &b, &c, &d);
	cpuid(7, 0, &a7, &b7, &c7, &d7);
	pcid_on = (c & CPUID1_ECX_PCID) && !nopcid && bits >= ASID_MIN_BITS;
	invpcid_on = pcid_on && (b7 & CPUID7_EBX_INVPCID) && !noinvpcid;
	if (pcid_on) {
		bits = asid_space_init(&pcids, bits, nr_cpu_ids);
		x86_pcid_init_secondary();
	}
	pr_info("x86: PCID %s (%u bits; CPU: PCID %s, INVPCID %s)%s\n", pcid_on ? "on" : "off",
		pcid_on ? bits : 0, (c & CPUID1_ECX_PCID) ? "yes" : "no",
		(b7 & CPUID7_EBX_INVPCID) ? "yes" : "no",
		pcid_on ? (invpcid_on ? ", flushes by INVPCID" : ", flushes deferred to the switch") : "");
}

struct flush_tlb_info {
	struct mm_struct *mm;
	unsigned long start, end;	/* end TLB_FLUSH_ALL: everything */
};

/* Flush one PCID's entries for [start, end) of an mm not loaded here (INVPCID). */
static void flush_pcid_range(u64 pcid, unsigned long start, unsigned long end, bool all)
{
	if (all) {
		invpcid(INVPCID_SINGLE, pcid, 0);
		count_vm_event(NR_TLB_LOCAL_FLUSH_ALL);
		return;
	}
	for (unsigned long a = start; a < end; a += PAGE_SIZE) {
		invpcid(INVPCID_ADDR, pcid, a);
		count_vm_event(NR_TLB_LOCAL_FLUSH_ONE);
	}
}

/*
 * This CPU's part of a flush of info's range (interrupts off; here or in
 * the call IPI): INVLPG or a CR3 reload when the mm is loaded, INVPCID of
 * its PCID when not (its entries stay across switches), or, without
 * INVPCID, a mark that makes this CPU's next load of the mm flush its PCID.
 * An mm that never had a PCID, or any mm with PCIDs off, has no entries
 * here unless loaded (every switch flushed).
 */
static void flush_tlb_func(void *arg)
{
	const struct flush_tlb_info *f = arg;
	struct mm_struct *mm = f->mm;
	bool all = (f->end - f->start) >> PAGE_SHIFT > TLB_SINGLE_PAGE_FLUSH_CEILING;
	u64 id = __atomic_load_n(&mm->context.id, __ATOMIC_RELAXED);

	if (mm == active_mm()) {
		if (all) {
			/* Without no-flush, a CR3 load flushes the loaded PCID (or, PCIDs off, the TLB). */
			write_cr3(read_cr3() & ~CR3_NOFLUSH);
			count_vm_event(NR_TLB_LOCAL_FLUSH_ALL);
			return;
		}
		for (unsigned long a = f->start; a < f->end; a += PAGE_SIZE) {
			__asm__ __volatile__("invlpg (%0)" : : "r"(a) : "memory");
			count_vm_event(NR_TLB_LOCAL_FLUSH_ONE);
		}
		return;
	}
	if (!pcid_on || !id)
		return;
	if (!invpcid_on) {
		cpumask_set_cpu(smp_processor_id(), &mm->context.stale);
		return;
	}
	flush_pcid_range(asid_of(&pcids, id), f->start, f->end, all);
}

/* The IPI side: counted as received (Linux's nr_tlb_remote_flush_received). */
static void flush_tlb_remote_func(void *arg)
{
	count_vm_event(NR_TLB_REMOTE_FLUSH_RECEIVED);
	flush_tlb_func(arg);
}

void flush_tlb_mm_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct flush_tlb_info info = { mm, start, end };
	unsigned long flags = arch_local_irq_save();	/* stay on this CPU */
	unsigned int self = smp_processor_id();
	cpumask_t cpus = cpumask_read(mm_cpumask(mm));	/* after the PTE stores (cpumask.h) */

	if (cpumask_test_cpu(self, &cpus)) {
		flush_tlb_func(&info);
		cpumask_clear_cpu(self, &cpus);
	}
	if (!cpumask_empty(&cpus)) {
		count_vm_event(NR_TLB_REMOTE_FLUSH);
		smp_call_function_many(&cpus, flush_tlb_remote_func, &info);
	}
	arch_local_irq_restore(flags);
}

void x86_pcid_init_secondary(void)
{
	if (pcid_on)
		write_cr4(read_cr4() | CR4_PCIDE);	/* CR3's PCID is 0 here, as required */
}

/* A new generation: no PCID may keep an entry. */
static void flush_all_pcids(void)
{
	if (invpcid_on) {
		invpcid(INVPCID_ALL_NONGLOBAL, 0, 0);
	} else {
		u64 cr4 = read_cr4();

		write_cr4(cr4 & ~CR4_PGE);	/* toggling PGE flushes every entry of every PCID */
		write_cr4(cr4);
	}
	count_vm_event(ASID_ROLLOVER);
	count_vm_event(NR_TLB_LOCAL_FLUSH_ALL);
}

void arch_switch_user_pgd(struct mm_struct *mm)
{
	u64 root = mm ? mm->pgd : empty_user_pgd();

	if (!pcid_on) {
		write_cr3(root);
		count_vm_event(NR_TLB_LOCAL_FLUSH_ALL);
		return;
	}
	if (!mm) {
		/* PCID 0: no user entries ever; the allocator is not asked (no lock: lazy TLB's shootdown). */
		write_cr3(root | CR3_NOFLUSH);
		return;
	}
	if (asid_switch(&pcids, smp_processor_id(), &mm->context.id))
		flush_all_pcids();
	root |= asid_of(&pcids, mm->context.id);
	if (cpumask_test_and_clear_cpu(smp_processor_id(), &mm->context.stale)) {
		write_cr3(root);		/* flushes this PCID's entries: the deferred flush */
		count_vm_event(NR_TLB_LOCAL_FLUSH_ALL);
		return;
	}
	write_cr3(root | CR3_NOFLUSH);
}
