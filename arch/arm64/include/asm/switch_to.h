/* asm/switch_to.h (arm64) - what a switched-out task keeps. */
#ifndef ASM_SWITCH_TO_H
#define ASM_SWITCH_TO_H

#include "kernel/types.h"

/* Callee-saved registers (x19-x28, fp, lr) and sp, saved by cpu_switch_to(). */
struct cpu_context {
	u64 x19, x20, x21, x22, x23, x24, x25, x26, x27, x28, fp, lr, sp;
};

/* Per-task arch state switched with the task. */
struct thread_struct {
	u64 vregs[64] __attribute__((aligned(16)));	/* q0..q31 (user FP/SIMD) */
	u64 fpsr, fpcr;
	u64 tpidr_el0;		/* user TLS pointer */
};

/* Save prev's callee-saved registers in prev_ctx, load next_ctx; returns in next. */
void cpu_switch_to(struct cpu_context *prev_ctx, struct cpu_context *next_ctx);

#endif
