/*
 * asm/tlbflush.h (x86_64) - what changing page tables asks of the CPU:
 * ordering table writes, TLB invalidation, loading a root.  Kept apart from
 * the entry format (asm/pgtable.h) so the host harness reuses that format
 * with no-op versions of these.  User TLB entries are tagged with the mm's
 * PCID (arch/x86_64/tlb.c).
 */
#ifndef ASM_TLBFLUSH_H
#define ASM_TLBFLUSH_H

#include "kernel/types.h"

struct mm_struct;

/* Table writes are coherent with the walker on x86: nothing to do. */
static inline void pgtable_sync(void)
{
	__asm__ __volatile__("" : : : "memory");
}

/*
 * Invalidate mm's TLB entries for [start, end) (end TLB_FLUSH_ALL, or past
 * TLB_SINGLE_PAGE_FLUSH_CEILING pages: all of them, its whole PCID) on
 * every CPU that may hold them (mm_cpumask), by IPI to the others, waiting
 * until all are done: INVLPG where mm is loaded, INVPCID where it is not;
 * without INVPCID that CPU's next load of mm flushes its PCID.  Any
 * context; the caller may hold spinlocks (kernel/smp.h).
 */
void flush_tlb_mm_range(struct mm_struct *mm, unsigned long start, unsigned long end);
/*
 * Load mm's root into CR3 with its PCID (NULL: the kernel root, PCID 0),
 * allocating a PCID first if it has none of this generation; CR3's
 * no-flush bit keeps the entries of every PCID unless mm is stale.
 * Without PCIDs (nopcid) the switch flushes the non-global TLB.
 * Interrupts off.  With NULL it takes no lock (a call may do it: kernel/sched.c).
 */
void arch_switch_user_pgd(struct mm_struct *mm);
/* Turn PCIDs on when the CPU has them (arch_user_init, before the first process). */
void x86_pcid_init(void);
/* Set CR4.PCIDE on an AP when the boot CPU turned PCIDs on (x86_secondary_start). */
void x86_pcid_init_secondary(void);

#endif
