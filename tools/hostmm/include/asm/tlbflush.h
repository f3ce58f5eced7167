/* asm/tlbflush.h (host) - no hardware walker, no TLB, no root to load: no-ops. */
#ifndef ASM_TLBFLUSH_H
#define ASM_TLBFLUSH_H

#include "kernel/types.h"

struct mm_struct;

/* A compiler barrier keeps the kernel's ordering of table writes. */
static inline void pgtable_sync(void)
{
	__asm__ __volatile__("" : : : "memory");
}

/* No TLB: host_vm.c only records the flushes for the tests (host_tlb, hostmm_vm.h). */
void flush_tlb_mm_range(struct mm_struct *mm, unsigned long start, unsigned long end);
static inline void arch_switch_user_pgd(struct mm_struct *mm) { (void)mm; }

#endif
