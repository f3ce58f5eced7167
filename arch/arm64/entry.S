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
 */
#define S_FRAME_SIZE	288	/* sizeof(struct pt_regs), 16-byte multiple */
#define S_SP		248
#define S_PC		256
#define S_PSTATE	264
#define S_ESR		272
#define S_FAR		280

#define KIND_SYNC	0
#define KIND_IRQ	1
#define KIND_FIQ	2
#define KIND_SERROR	3
#define KIND_BAD	4

	.macro	kernel_entry el, kind
	sub	sp, sp, #S_FRAME_SIZE
	stp	x0, x1, [sp, #16 * 0]
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	.if \el == 0
	mrs	x21, sp_el0
	.else
	add	x21, sp, #S_FRAME_SIZE
	.endif
	stp	x30, x21, [sp, #8 * 30]
	mrs	x22, elr_el1
	mrs	x23, spsr_el1
	stp	x22, x23, [sp, #S_PC]
	mrs	x24, esr_el1
	mrs	x25, far_el1
	stp	x24, x25, [sp, #S_ESR]
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
	ldr	x21, [sp, #S_SP]
	msr	sp_el0, x21
kernel_exit:
	ldp	x22, x23, [sp, #S_PC]
	msr	elr_el1, x22
	msr	spsr_el1, x23
	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	ldr	x30, [sp, #8 * 30]
	add	sp, sp, #S_FRAME_SIZE
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

	/* cpu_switch_to(prev_ctx, next_ctx): callee-saved registers, fp, lr, sp. */
	.global	cpu_switch_to
cpu_switch_to:
	stp	x19, x20, [x0, #0]
	stp	x21, x22, [x0, #16]
	stp	x23, x24, [x0, #32]
	stp	x25, x26, [x0, #48]
	stp	x27, x28, [x0, #64]
	stp	x29, x30, [x0, #80]
	mov	x9, sp
	str	x9, [x0, #96]
	ldp	x19, x20, [x1, #0]
	ldp	x21, x22, [x1, #16]
	ldp	x23, x24, [x1, #32]
	ldp	x25, x26, [x1, #48]
	ldp	x27, x28, [x1, #64]
	ldp	x29, x30, [x1, #80]
	ldr	x9, [x1, #96]
	mov	sp, x9
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
