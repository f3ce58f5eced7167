/*
 * entry.S (arm64) - the exception vector table.
 *
 * VBAR_EL1 points here.  Each of the 16 slots (128 bytes) branches to a stub
 * that saves the registers as a struct pt_regs (asm/ptrace.h) on the current
 * stack, calls arm64_trap(regs, kind) and restores them before eret.  Two
 * groups are live: the kernel (current EL with SP_EL1) and user space (lower
 * EL, AArch64).  From user space SP_EL1 is the top of the task's kernel stack
 * (every return to user unwinds to it), and the user's SP_EL0 is saved in
 * the frame.  Also here: cpu_switch_to and the first return of new tasks.
 * Offsets into C structs come from the headers that define the structs
 * (PT_* of pt_regs, CTX_* of cpu_context), which pin them with static asserts.
 */
#include <asm/ptrace.h>
#include <asm/switch_to.h>

#define KIND_SYNC	0
#define KIND_IRQ	1
#define KIND_FIQ	2
#define KIND_SERROR	3
#define KIND_BAD	4

	.macro	kernel_entry el, kind
	sub	sp, sp, #PT_FRAME_SIZE
	stp	x0, x1, [sp, #PT_X(0)]
	stp	x2, x3, [sp, #PT_X(2)]
	stp	x4, x5, [sp, #PT_X(4)]
	stp	x6, x7, [sp, #PT_X(6)]
	stp	x8, x9, [sp, #PT_X(8)]
	stp	x10, x11, [sp, #PT_X(10)]
	stp	x12, x13, [sp, #PT_X(12)]
	stp	x14, x15, [sp, #PT_X(14)]
	stp	x16, x17, [sp, #PT_X(16)]
	stp	x18, x19, [sp, #PT_X(18)]
	stp	x20, x21, [sp, #PT_X(20)]
	stp	x22, x23, [sp, #PT_X(22)]
	stp	x24, x25, [sp, #PT_X(24)]
	stp	x26, x27, [sp, #PT_X(26)]
	stp	x28, x29, [sp, #PT_X(28)]
	.if \el == 0
	mrs	x21, sp_el0
	.else
	add	x21, sp, #PT_FRAME_SIZE
	.endif
	stp	x30, x21, [sp, #PT_X(30)]
	mrs	x22, elr_el1
	mrs	x23, spsr_el1
	stp	x22, x23, [sp, #PT_PC]
	mrs	x24, esr_el1
	mrs	x25, far_el1
	stp	x24, x25, [sp, #PT_ESR]
	mov	x0, sp
	mov	x1, #\kind
	bl	arm64_trap
	.if \el == 0
	b	ret_to_user
	.else
	b	kernel_exit
	.endif
	.endm

	.text
	/* Return to user mode from the frame at sp. */
	.global	ret_to_user
ret_to_user:
	msr	daifset, #2		/* nothing may clobber ELR/SPSR from here on */
	ldr	x21, [sp, #PT_SP]
	msr	sp_el0, x21
kernel_exit:
	ldp	x22, x23, [sp, #PT_PC]
	msr	elr_el1, x22
	msr	spsr_el1, x23
	ldp	x0, x1, [sp, #PT_X(0)]
	ldp	x2, x3, [sp, #PT_X(2)]
	ldp	x4, x5, [sp, #PT_X(4)]
	ldp	x6, x7, [sp, #PT_X(6)]
	ldp	x8, x9, [sp, #PT_X(8)]
	ldp	x10, x11, [sp, #PT_X(10)]
	ldp	x12, x13, [sp, #PT_X(12)]
	ldp	x14, x15, [sp, #PT_X(14)]
	ldp	x16, x17, [sp, #PT_X(16)]
	ldp	x18, x19, [sp, #PT_X(18)]
	ldp	x20, x21, [sp, #PT_X(20)]
	ldp	x22, x23, [sp, #PT_X(22)]
	ldp	x24, x25, [sp, #PT_X(24)]
	ldp	x26, x27, [sp, #PT_X(26)]
	ldp	x28, x29, [sp, #PT_X(28)]
	ldr	x30, [sp, #PT_X(30)]
	add	sp, sp, #PT_FRAME_SIZE
	eret

el1h_sync:	kernel_entry 1, KIND_SYNC
el1h_irq:	kernel_entry 1, KIND_IRQ
el1h_fiq:	kernel_entry 1, KIND_FIQ
el1h_serror:	kernel_entry 1, KIND_SERROR
bad_vector:	kernel_entry 1, KIND_BAD
el0_sync:	kernel_entry 0, KIND_SYNC
el0_irq:	kernel_entry 0, KIND_IRQ
el0_bad:	kernel_entry 0, KIND_BAD

	/* A forked child's first run: its kernel stack holds only the user frame. */
	.global	ret_from_fork
ret_from_fork:
	b	ret_to_user

	/* Leave a kernel thread for user mode: x0 = the user frame. */
	.global	arch_return_to_user
arch_return_to_user:
	mov	sp, x0
	b	ret_to_user

	/*
	 * cpu_switch_to(prev_ctx, next_ctx, prev_on_cpu): save callee-saved
	 * registers, fp, lr, sp; load next's; then clear *prev_on_cpu with a
	 * release store: from there on another CPU may run prev.
	 */
	.global	cpu_switch_to
cpu_switch_to:
	stp	x19, x20, [x0, #CTX_X19]
	stp	x21, x22, [x0, #CTX_X21]
	stp	x23, x24, [x0, #CTX_X23]
	stp	x25, x26, [x0, #CTX_X25]
	stp	x27, x28, [x0, #CTX_X27]
	stp	x29, x30, [x0, #CTX_FP]
	mov	x9, sp
	str	x9, [x0, #CTX_SP]
	ldp	x19, x20, [x1, #CTX_X19]
	ldp	x21, x22, [x1, #CTX_X21]
	ldp	x23, x24, [x1, #CTX_X23]
	ldp	x25, x26, [x1, #CTX_X25]
	ldp	x27, x28, [x1, #CTX_X27]
	ldp	x29, x30, [x1, #CTX_FP]
	ldr	x9, [x1, #CTX_SP]
	mov	sp, x9
	stlr	wzr, [x2]
	ret

	.macro	vent target
	.balign	128
	b	\target
	.endm

	.balign	2048
	.global	vectors
vectors:
	vent	bad_vector	/* current EL, SP_EL0 */
	vent	bad_vector
	vent	bad_vector
	vent	bad_vector
	vent	el1h_sync	/* current EL, SP_EL1 */
	vent	el1h_irq
	vent	el1h_fiq
	vent	el1h_serror
	vent	el0_sync	/* lower EL, AArch64: user space */
	vent	el0_irq
	vent	el0_bad
	vent	el0_bad
	vent	el0_bad		/* lower EL, AArch32: not supported */
	vent	el0_bad
	vent	el0_bad
	vent	el0_bad
