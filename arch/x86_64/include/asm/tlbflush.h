/*
 * asm/tlbflush.h (x86_64) - what changing page tables asks of the CPU:
 * ordering table writes, TLB invalidation, loading a root.  Kept apart from
 * the entry format (asm/pgtable.h) so the host harness reuses that format
 * with no-op versions of these.
 */
#ifndef ASM_TLBFLUSH_H
#define ASM_TLBFLUSH_H

#include "kernel/types.h"

/* Table writes are coherent with the walker on x86: nothing to do. */
static inline void pgtable_sync(void)
{
	__asm__ __volatile__("" : : : "memory");
}

static inline void flush_tlb_user_page(unsigned long va)
{
	__asm__ __volatile__("invlpg (%0)" : : "r"(va) : "memory");
}

/* Flush every non-global TLB entry (reload CR3). */
static inline void flush_tlb_user_all(void)
{
	u64 cr3;

	__asm__ __volatile__("mov %%cr3, %0; mov %0, %%cr3" : "=r"(cr3) : : "memory");
}

/* Make root the user half of the address space (kernel half shared in every root). */
static inline void arch_switch_user_pgd(phys_addr_t root)
{
	__asm__ __volatile__("mov %0, %%cr3" : : "r"(root) : "memory");
}

#endif
