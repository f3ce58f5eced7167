/*
 * asm/pgtable.h (host) - the x86_64 page-table entry format, unchanged: the
 * fault path compiled on the host walks the same 4-level tables (held in the
 * arena that stands in for physical memory).  Its <asm/tlbflush.h> resolves
 * to the host's no-op version.
 */
#ifndef HOST_ASM_PGTABLE_H
#define HOST_ASM_PGTABLE_H

#include "arch/x86_64/include/asm/pgtable.h"

#endif
