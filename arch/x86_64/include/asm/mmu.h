/* asm/mmu.h (x86_64) - the per-address-space MMU state (Linux's mm_context_t). */
#ifndef ASM_MMU_H
#define ASM_MMU_H

#include "kernel/types.h"

typedef struct {
	u64 id;		/* generation | PCID (mm/asid.h); 0: none yet.  Interrupts off to change */
	bool stale;	/* a flush of its PCID could not be done (not loaded, no INVPCID): at the next switch */
} mm_context_t;

#endif
