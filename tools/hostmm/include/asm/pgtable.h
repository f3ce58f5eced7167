/*
 * asm/pgtable.h (host) - the x86_64 page-table entry format, unchanged: the
 * fault path compiled on the host walks the same 4-level tables (held in the
 * arena that stands in for physical memory).  Its <asm/tlbflush.h> resolves
 * to the host's no-op version.
 */
#ifndef HOST_ASM_PGTABLE_H
#define HOST_ASM_PGTABLE_H

#include "arch/x86_64/include/asm/pgtable.h"

/*
 * The root's user entries: x86_64's lower half (256, the kernel half copied
 * into each root by pgd_alloc) or, with arm64's user space, all 512 (TTBR0
 * holds user space only).  The entry format stays x86_64's: its four levels
 * of 9 bits index 48-bit addresses either way.  Set with TASK_SIZE
 * (hostmm_set_user_space).
 */
#undef USER_PGD_ENTRIES
extern int hostmm_user_pgd_entries;
#define USER_PGD_ENTRIES	hostmm_user_pgd_entries

#endif
