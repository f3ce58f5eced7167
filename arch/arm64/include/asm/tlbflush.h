/*
 * asm/tlbflush.h (arm64) - what changing page tables asks of the CPU:
 * barriers so the walker sees table writes, TLB invalidation, loading a
 * root.  Kept apart from the entry format (asm/pgtable.h), as on x86_64.
 * User TLB entries are tagged with the mm's ASID (arch/arm64/tlb.c).
 */
#ifndef ASM_TLBFLUSH_H
#define ASM_TLBFLUSH_H

#include "kernel/types.h"

struct mm_struct;

/* Make table writes visible to the walker before the entries are used. */
static inline void pgtable_sync(void)
{
	__asm__ __volatile__("dsb ishst; isb" : : : "memory");
}

/*
 * Invalidate mm's TLB entries for [start, end) on every CPU, loaded or not
 * (TLBI VALE1IS per page with mm's ASID, or past
 * TLB_SINGLE_PAGE_FLUSH_CEILING pages and for end TLB_FLUSH_ALL, ASIDE1IS;
 * then DSB ISH: done everywhere on return).  Any context.
 */
void flush_tlb_mm_range(struct mm_struct *mm, unsigned long start, unsigned long end);
/*
 * Load mm's user tables into TTBR0 with its ASID (NULL: the empty root,
 * ASID 0), allocating an ASID first if it has none of this generation.
 * Other ASIDs' entries stay; without ASIDs (folio.asid_bits=0) the TLB is
 * flushed.  Interrupts off.  With NULL it takes no lock (a call may do it:
 * kernel/sched.c).
 */
void arch_switch_user_pgd(struct mm_struct *mm);
/* Turn ASIDs on (arch_user_init, before the first process). */
void arm64_asid_init(void);

#endif
