/*
 * entry.S (arm64) - the exception vector table.
 *
 * VBAR_EL1 points here.  Each of the 16 slots (128 bytes) branches to a stub
 * that saves the registers as a struct pt_regs (asm/ptrace.h) on the current
 * stack, calls arm64_trap(regs, kind) and restores them before eret.  Only
 * the "current EL with SP_ELx" group is live for now; the others report an
 * unexpected exception.
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

	.macro	kernel_entry kind
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
	add	x21, sp, #S_FRAME_SIZE
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
	b	kernel_exit
	.endm

	.text
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

el1h_sync:	kernel_entry KIND_SYNC
el1h_irq:	kernel_entry KIND_IRQ
el1h_fiq:	kernel_entry KIND_FIQ
el1h_serror:	kernel_entry KIND_SERROR
bad_vector:	kernel_entry KIND_BAD

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
	vent	bad_vector	/* lower EL, AArch64 (user space: later) */
	vent	bad_vector
	vent	bad_vector
	vent	bad_vector
	vent	bad_vector	/* lower EL, AArch32 */
	vent	bad_vector
	vent	bad_vector
	vent	bad_vector
