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

/* Invalidate mm's TLB entry for va (TLBI VALE1IS with mm's ASID), loaded or not. */
void flush_tlb_user_page(struct mm_struct *mm, unsigned long va);
/* Invalidate every TLB entry of mm (TLBI ASIDE1IS; without ASIDs, the whole user TLB). */
void flush_tlb_user_all(struct mm_struct *mm);
/*
 * Load mm's user tables into TTBR0 with its ASID (NULL: the empty root,
 * ASID 0), allocating an ASID first if it has none of this generation.
 * Other ASIDs' entries stay; without ASIDs (folio.asid_bits=0) the TLB is
 * flushed.  Interrupts off.
 */
void arch_switch_user_pgd(struct mm_struct *mm);
/* Turn ASIDs on (arch_user_init, before the first process). */
void arm64_asid_init(void);

#endif
