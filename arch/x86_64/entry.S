/*
 * entry.S (x86_64) - every way into and out of the kernel.
 *
 * Traps and interrupts: each of the 256 vectors has a stub that makes the
 * frame uniform (pushes a zero error code when the CPU did not) and pushes
 * its vector number; isr_common saves the general registers so the stack
 * holds a struct pt_regs (asm/ptrace.h) and calls x86_trap(regs).
 *
 * System calls: SYSCALL enters at entry_SYSCALL_64 on the user stack; we
 * switch to the task's kernel stack (per-CPU data through GS) and build the
 * same struct pt_regs, so fork, exec and signals see one frame layout.
 *
 * GS: in the kernel GS_BASE points at the per-CPU data and KERNEL_GS_BASE
 * holds the user's; swapgs exchanges them on every user<->kernel crossing.
 * Every return to user mode goes through ret_to_user (iretq).
 */
#include <asm/segment.h>

#define PT_CS		144		/* offsetof(struct pt_regs, cs) */
#define PERCPU_KSTACK	0		/* struct x86_percpu: kernel stack top */
#define PERCPU_USER_SP	8		/* scratch: user rsp during entry */

	.macro	ISR n
	.balign	16
isr_\n:
	.if !(\n == 8 || (\n >= 10 && \n <= 14) || \n == 17 || \n == 21 || \n == 29 || \n == 30)
	pushq	$0
	.endif
	pushq	$\n
	jmp	isr_common
	.endm

	.macro	SAVE_REGS
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
	.endm

	.macro	RESTORE_REGS
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
	.endm

	.text
	.altmacro
	.set	i, 0
	.rept	256
	ISR	%i
	.set	i, i + 1
	.endr

isr_common:
	testb	$3, 24(%rsp)		/* CS of the interrupted context */
	jz	1f
	swapgs
1:	SAVE_REGS
	movq	%rsp, %rdi
	call	x86_trap
	testb	$3, PT_CS(%rsp)
	jnz	ret_to_user
	RESTORE_REGS
	iretq

	.global	entry_SYSCALL_64
entry_SYSCALL_64:
	swapgs
	movq	%rsp, %gs:PERCPU_USER_SP
	movq	%gs:PERCPU_KSTACK, %rsp
	pushq	$USER_DS		/* ss */
	pushq	%gs:PERCPU_USER_SP	/* rsp */
	pushq	%r11			/* rflags */
	pushq	$USER_CS		/* cs */
	pushq	%rcx			/* rip */
	pushq	$0			/* error code */
	pushq	$-1			/* vector: a system call */
	SAVE_REGS
	movq	%rsp, %rdi
	call	x86_syscall
	/* fall through */

	/* Return to user mode from the pt_regs at %rsp (interrupts get disabled here). */
	.global	ret_to_user
ret_to_user:
	cli
	RESTORE_REGS
	swapgs
	iretq

	/* A forked child's first run: its kernel stack holds only the user frame. */
	.global	ret_from_fork
ret_from_fork:
	jmp	ret_to_user

	/* Leave a kernel thread for user mode: rdi = the user frame. */
	.global	arch_return_to_user
arch_return_to_user:
	movq	%rdi, %rsp
	jmp	ret_to_user

	/*
	 * cpu_switch_to(prev_ctx, next_ctx): save the callee-saved registers,
	 * stack and resume address of the running task, load the other's.
	 */
	.global	cpu_switch_to
cpu_switch_to:
	movq	%rbx, 0(%rdi)
	movq	%rbp, 8(%rdi)
	movq	%r12, 16(%rdi)
	movq	%r13, 24(%rdi)
	movq	%r14, 32(%rdi)
	movq	%r15, 40(%rdi)
	movq	%rsp, 48(%rdi)
	leaq	1f(%rip), %rax
	movq	%rax, 56(%rdi)
	movq	0(%rsi), %rbx
	movq	8(%rsi), %rbp
	movq	16(%rsi), %r12
	movq	24(%rsi), %r13
	movq	32(%rsi), %r14
	movq	40(%rsi), %r15
	movq	48(%rsi), %rsp
	jmp	*56(%rsi)
1:	ret

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
