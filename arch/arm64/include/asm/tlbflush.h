/*
 * asm/tlbflush.h (arm64) - what changing page tables asks of the CPU:
 * barriers so the walker sees table writes, TLB invalidation, loading a
 * root.  Kept apart from the entry format (asm/pgtable.h), as on x86_64.
 */
#ifndef ASM_TLBFLUSH_H
#define ASM_TLBFLUSH_H

#include "kernel/types.h"

/* Make table writes visible to the walker before the entries are used. */
static inline void pgtable_sync(void)
{
	__asm__ __volatile__("dsb ishst; isb" : : : "memory");
}

static inline void flush_tlb_user_page(unsigned long va)
{
	__asm__ __volatile__("dsb ishst; tlbi vale1is, %0; dsb ish; isb" : : "r"(va >> 12) : "memory");
}

static inline void flush_tlb_user_all(void)
{
	__asm__ __volatile__("dsb ishst; tlbi vmalle1is; dsb ish; isb" : : : "memory");
}

/* TTBR0 holds only user mappings; no ASIDs yet, so switching flushes the TLB. */
static inline void arch_switch_user_pgd(phys_addr_t root)
{
	__asm__ __volatile__("dsb ishst; msr ttbr0_el1, %0; isb; tlbi vmalle1; dsb nsh; isb"
			     : : "r"(root) : "memory");
}

#endif
