/*
 * asm/switch_to.h (x86_64) - what a switched-out task keeps.
 *
 * Usable from assembly: the CTX_* offsets are where cpu_switch_to (entry.S)
 * saves and loads struct cpu_context; the static asserts pin them to it.
 */
#ifndef ASM_SWITCH_TO_H
#define ASM_SWITCH_TO_H

#define CTX_RBX		0
#define CTX_RBP		8
#define CTX_R12		16
#define CTX_R13		24
#define CTX_R14		32
#define CTX_R15		40
#define CTX_RSP		48
#define CTX_RIP		56	/* where the task resumes */

#ifndef __ASSEMBLER__
#include "kernel/compiler.h"
#include "kernel/types.h"

/* Callee-saved registers and the stack pointer, saved by cpu_switch_to(). */
struct cpu_context {
	u64 rbx, rbp, r12, r13, r14, r15, rsp, rip;
};
ASM_OFFSET(struct cpu_context, rbx, CTX_RBX);
ASM_OFFSET(struct cpu_context, rbp, CTX_RBP);
ASM_OFFSET(struct cpu_context, r12, CTX_R12);
ASM_OFFSET(struct cpu_context, r13, CTX_R13);
ASM_OFFSET(struct cpu_context, r14, CTX_R14);
ASM_OFFSET(struct cpu_context, r15, CTX_R15);
ASM_OFFSET(struct cpu_context, rsp, CTX_RSP);
ASM_OFFSET(struct cpu_context, rip, CTX_RIP);

/* Per-task arch state switched with the task. */
struct thread_struct {
	u8 fxsave[512] __attribute__((aligned(16)));	/* x87/SSE registers (FXSAVE image) */
	u64 fs_base;		/* user TLS (arch_prctl ARCH_SET_FS) */
	u64 gs_base;		/* user GS base (arch_prctl ARCH_SET_GS) */
	u64 cr2, trap_nr, error_code;	/* the last user fault's, for the signal frame's sigcontext */
};

/*
 * Save prev's callee-saved registers in prev_ctx, load next_ctx, then store 0
 * to *prev_on_cpu (release: prev is off this CPU); returns in next.
 */
void cpu_switch_to(struct cpu_context *prev_ctx, struct cpu_context *next_ctx, int *prev_on_cpu);

#endif /* __ASSEMBLER__ */
#endif
