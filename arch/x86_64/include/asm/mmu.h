/* asm/mmu.h (x86_64) - the per-address-space MMU state (Linux's mm_context_t). */
#ifndef ASM_MMU_H
#define ASM_MMU_H

#include "kernel/cpumask.h"
#include "kernel/types.h"

typedef struct {
	u64 id;		/* generation | PCID (mm/asid.h); 0: none yet.  Changed under the asid lock */
	cpumask_t stale;	/* CPUs where a flush of its PCID could not be done (not loaded, no INVPCID): at their next switch */
} mm_context_t;

#endif
