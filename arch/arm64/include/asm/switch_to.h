/*
 * asm/switch_to.h (arm64) - what a switched-out task keeps.
 *
 * Usable from assembly: the CTX_* offsets are where cpu_switch_to (entry.S)
 * saves and loads struct cpu_context, in pairs with stp/ldp; the static
 * asserts pin each pair to the C layout.
 */
#ifndef ASM_SWITCH_TO_H
#define ASM_SWITCH_TO_H

#define CTX_X19		0	/* x19, x20 */
#define CTX_X21		16	/* x21, x22 */
#define CTX_X23		32	/* x23, x24 */
#define CTX_X25		48	/* x25, x26 */
#define CTX_X27		64	/* x27, x28 */
#define CTX_FP		80	/* fp, lr */
#define CTX_SP		96

#ifndef __ASSEMBLER__
#include "kernel/compiler.h"
#include "kernel/types.h"

/* Callee-saved registers (x19-x28, fp, lr) and sp, saved by cpu_switch_to(). */
struct cpu_context {
	u64 x19, x20, x21, x22, x23, x24, x25, x26, x27, x28, fp, lr, sp;
};
ASM_OFFSET_PAIR(struct cpu_context, x19, x20, CTX_X19);
ASM_OFFSET_PAIR(struct cpu_context, x21, x22, CTX_X21);
ASM_OFFSET_PAIR(struct cpu_context, x23, x24, CTX_X23);
ASM_OFFSET_PAIR(struct cpu_context, x25, x26, CTX_X25);
ASM_OFFSET_PAIR(struct cpu_context, x27, x28, CTX_X27);
ASM_OFFSET_PAIR(struct cpu_context, fp, lr, CTX_FP);
ASM_OFFSET(struct cpu_context, sp, CTX_SP);

/* Per-task arch state switched with the task. */
struct thread_struct {
	u64 vregs[64] __attribute__((aligned(16)));	/* q0..q31 (user FP/SIMD) */
	u64 fpsr, fpcr;
	u64 tpidr_el0;		/* user TLS pointer */
	u64 fault_address, fault_code;	/* the last user fault's FAR and ESR, for the signal frame */
};
/* fpsimd_save/load (process.c) move q0..q31, 16 bytes each, from vregs on. */
_Static_assert(sizeof(((struct thread_struct *)0)->vregs) == 32 * 16, "vregs holds q0..q31");

/*
 * Save prev's callee-saved registers in prev_ctx, load next_ctx, then store 0
 * to *prev_on_cpu (release: prev is off this CPU); returns in next.
 */
void cpu_switch_to(struct cpu_context *prev_ctx, struct cpu_context *next_ctx, int *prev_on_cpu);

#endif /* __ASSEMBLER__ */
#endif
