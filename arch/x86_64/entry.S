/*
 * entry.S (x86_64) - trap and interrupt entry stubs.
 *
 * Each of the 256 vectors has a stub that makes the frame uniform (pushes a
 * zero error code when the CPU did not) and pushes its vector number;
 * isr_common saves the general registers so the stack holds a struct
 * pt_regs (asm/ptrace.h), calls x86_trap(regs), restores and irets.
 */
	.macro	ISR n
	.balign	16
isr_\n:
	.if !(\n == 8 || (\n >= 10 && \n <= 14) || \n == 17 || \n == 21 || \n == 29 || \n == 30)
	pushq	$0
	.endif
	pushq	$\n
	jmp	isr_common
	.endm

	.text
	.altmacro
	.set	i, 0
	.rept	256
	ISR	%i
	.set	i, i + 1
	.endr

isr_common:
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	cld
	movq	%rsp, %rdi
	call	x86_trap
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	addq	$16, %rsp	/* vector, error code */
	iretq

	.macro	ISR_ADDR n
	.quad	isr_\n
	.endm

	.section .rodata
	.balign	8
	.global	isr_table
isr_table:
	.set	i, 0
	.rept	256
	ISR_ADDR %i
	.set	i, i + 1
	.endr
