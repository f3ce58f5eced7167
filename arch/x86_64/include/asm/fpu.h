/*
 * asm/fpu.h (x86_64) - the user x87/SSE state (process.c): FXSAVE images
 * for task switches and signal frames.  The kernel never uses these
 * registers, so the CPU's are always the running task's.
 */
#ifndef ASM_FPU_H
#define ASM_FPU_H

#include "kernel/types.h"

#define FXSAVE_SIZE		512	/* 16-byte aligned */
#define FXSAVE_MXCSR		24	/* offsets in the image */
#define FXSAVE_MXCSR_MASK	28

void fxsave(u8 *buf);
/* Load an image; reserved MXCSR bits set in it fault (#GP): check with fpu_mxcsr_mask(). */
void fxrstor(const u8 *buf);
/* The clean state a new program (and a signal handler, as Linux) starts with. */
void fpu_reset(void);
/* The MXCSR bits the CPU allows. */
u32 fpu_mxcsr_mask(void);

#endif
