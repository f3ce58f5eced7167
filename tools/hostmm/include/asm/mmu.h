/* asm/mmu.h (host) - no MMU: the context is only the id a TLB would be tagged with. */
#ifndef ASM_MMU_H
#define ASM_MMU_H

#include "kernel/types.h"

typedef struct {
	u64 id;
} mm_context_t;

#endif
