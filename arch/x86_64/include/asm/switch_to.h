/* asm/switch_to.h (x86_64) - what a switched-out task keeps. */
#ifndef ASM_SWITCH_TO_H
#define ASM_SWITCH_TO_H

#include "kernel/types.h"

/* Callee-saved registers and the stack pointer, saved by cpu_switch_to(). */
struct cpu_context {
	u64 rbx, rbp, r12, r13, r14, r15, rsp, rip;
};

/* Per-task arch state switched with the task. */
struct thread_struct {
	u8 fxsave[512] __attribute__((aligned(16)));	/* x87/SSE registers (FXSAVE image) */
	u64 fs_base;		/* user TLS (arch_prctl ARCH_SET_FS) */
	u64 gs_base;		/* user GS base (arch_prctl ARCH_SET_GS) */
};

struct task_struct;
/* Save prev's callee-saved registers in prev_ctx, load next_ctx; returns in next. */
void cpu_switch_to(struct cpu_context *prev_ctx, struct cpu_context *next_ctx);

#endif
