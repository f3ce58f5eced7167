/* x86_64 process entry.  The kernel enters with rsp at the Linux initial stack:
 * argc, argv[0..argc-1], NULL, envp..., NULL, auxv pairs..., AT_NULL.
 * rdx may hold an atexit function (dynamic linkers); a static program ignores it. */
#include <uapi/unistd.h>

	.text
	.globl	_start
	.type	_start, @function
_start:
	xor	%ebp, %ebp		/* outermost frame for backtraces */
	mov	%rsp, %rdi		/* __libc_start(sp) */
	and	$-16, %rsp		/* SysV ABI: 16-byte aligned before the call */
	call	__libc_start
	hlt				/* not reached: __libc_start calls exit */
	.size	_start, . - _start

/* pid_t vfork(void): the child shares the parent's stack on Linux until it execs or
 * exits, so it must not return through a C frame: pop the return address first and
 * jump back through it (musl's technique). */
	.globl	vfork
	.type	vfork, @function
vfork:
	pop	%rdx
	mov	$__NR_vfork, %eax
	syscall
	push	%rdx
	mov	%rax, %rdi
	jmp	__syscall_ret
	.size	vfork, . - vfork

/* The return address of every signal handler (sigaction sets it as sa_restorer: x86_64 Linux
 * requires one): the handler's ret pops the frame's pretcode, leaving rsp at the frame. */
	.globl	__restore_rt
	.type	__restore_rt, @function
__restore_rt:
	mov	$__NR_rt_sigreturn, %eax
	syscall
	hlt				/* not reached: rt_sigreturn does not return here */
	.size	__restore_rt, . - __restore_rt

	.section .note.GNU-stack, "", @progbits
