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
 *
 * Offsets into C structs come from the headers that define the structs
 * (PT_* of pt_regs, CTX_* of cpu_context, PERCPU_*), which pin them with
 * static asserts.
 */
#include <asm/percpu.h>
#include <asm/ptrace.h>
#include <asm/segment.h>
#include <asm/switch_to.h>

	.macro	ISR n
	.balign	16
isr_\n:
	.if !(\n == 8 || (\n >= 10 && \n <= 14) || \n == 17 || \n == 21 || \n == 29 || \n == 30)
	pushq	$0
	.endif
	pushq	$\n
	jmp	isr_common
	.endm

	/* Below the vector (at %rsp), fill in the general registers of struct pt_regs. */
	.macro	SAVE_REGS
	subq	$PT_VECTOR, %rsp
	movq	%rax, PT_RAX(%rsp)
	movq	%rbx, PT_RBX(%rsp)
	movq	%rcx, PT_RCX(%rsp)
	movq	%rdx, PT_RDX(%rsp)
	movq	%rsi, PT_RSI(%rsp)
	movq	%rdi, PT_RDI(%rsp)
	movq	%rbp, PT_RBP(%rsp)
	movq	%r8, PT_R8(%rsp)
	movq	%r9, PT_R9(%rsp)
	movq	%r10, PT_R10(%rsp)
	movq	%r11, PT_R11(%rsp)
	movq	%r12, PT_R12(%rsp)
	movq	%r13, PT_R13(%rsp)
	movq	%r14, PT_R14(%rsp)
	movq	%r15, PT_R15(%rsp)
	cld
	.endm

	/* Load the general registers; leave %rsp at the CPU's frame (rip) for iretq. */
	.macro	RESTORE_REGS
	movq	PT_R15(%rsp), %r15
	movq	PT_R14(%rsp), %r14
	movq	PT_R13(%rsp), %r13
	movq	PT_R12(%rsp), %r12
	movq	PT_R11(%rsp), %r11
	movq	PT_R10(%rsp), %r10
	movq	PT_R9(%rsp), %r9
	movq	PT_R8(%rsp), %r8
	movq	PT_RBP(%rsp), %rbp
	movq	PT_RDI(%rsp), %rdi
	movq	PT_RSI(%rsp), %rsi
	movq	PT_RDX(%rsp), %rdx
	movq	PT_RCX(%rsp), %rcx
	movq	PT_RBX(%rsp), %rbx
	movq	PT_RAX(%rsp), %rax
	addq	$PT_RIP, %rsp		/* and past vector, error code */
	.endm

	.text
	.altmacro
	.set	i, 0
	.rept	256
	ISR	%i
	.set	i, i + 1
	.endr

isr_common:
	testb	$3, (PT_CS - PT_VECTOR)(%rsp)	/* CS of the interrupted context */
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
	/* The frame an interrupt's CPU push and stub would leave (PT_SS down to PT_VECTOR). */
	pushq	$USER_DS		/* ss */
	pushq	%gs:PERCPU_USER_SP	/* rsp */
	pushq	%r11			/* rflags */
	pushq	$USER_CS		/* cs */
	pushq	%rcx			/* rip */
	pushq	%rax			/* orig_ax: the system call's number */
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
	 * cpu_switch_to(prev_ctx, next_ctx, prev_on_cpu): save the callee-saved
	 * registers, stack and resume address of the running task, load the
	 * other's, then clear *prev_on_cpu: from there on another CPU may run prev.
	 */
	.global	cpu_switch_to
cpu_switch_to:
	movq	%rbx, CTX_RBX(%rdi)
	movq	%rbp, CTX_RBP(%rdi)
	movq	%r12, CTX_R12(%rdi)
	movq	%r13, CTX_R13(%rdi)
	movq	%r14, CTX_R14(%rdi)
	movq	%r15, CTX_R15(%rdi)
	movq	%rsp, CTX_RSP(%rdi)
	leaq	1f(%rip), %rax
	movq	%rax, CTX_RIP(%rdi)
	movq	CTX_RBX(%rsi), %rbx
	movq	CTX_RBP(%rsi), %rbp
	movq	CTX_R12(%rsi), %r12
	movq	CTX_R13(%rsi), %r13
	movq	CTX_R14(%rsi), %r14
	movq	CTX_R15(%rsi), %r15
	movq	CTX_RSP(%rsi), %rsp
	movl	$0, (%rdx)		/* prev->on_cpu = 0: its context is saved (a TSO store is a release) */
	jmp	*CTX_RIP(%rsi)
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
