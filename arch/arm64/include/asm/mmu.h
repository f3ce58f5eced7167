/* asm/mmu.h (arm64) - the per-address-space MMU state (Linux's mm_context_t). */
#ifndef ASM_MMU_H
#define ASM_MMU_H

#include "kernel/types.h"

typedef struct {
	u64 id;		/* generation | ASID (mm/asid.h); 0: none yet.  Interrupts off to change */
} mm_context_t;

#endif
