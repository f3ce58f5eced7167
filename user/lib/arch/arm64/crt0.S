/* aarch64 process entry.  The kernel enters with sp at the Linux initial stack:
 * argc, argv[0..argc-1], NULL, envp..., NULL, auxv pairs..., AT_NULL. */
#include <uapi/unistd.h>

	.text
	.globl	_start
	.type	_start, %function
_start:
	mov	x29, #0			/* outermost frame for backtraces */
	mov	x30, #0
	mov	x0, sp			/* __libc_start(sp) */
	and	sp, x0, #~15
	bl	__libc_start
	udf	#0			/* not reached */
	.size	_start, . - _start

/* pid_t vfork(void): the generic syscall table has no vfork: clone(CLONE_VM |
 * CLONE_VFORK | SIGCHLD, 0), musl's.  The child shares the stack until it execs or
 * exits; no C frame is made here (x30 is never saved), and the parent sleeps meanwhile. */
	.globl	vfork
	.type	vfork, %function
vfork:
	mov	x8, #__NR_clone
	mov	x0, #0x4111		/* CLONE_VM | CLONE_VFORK | SIGCHLD */
	mov	x1, #0
	mov	x2, #0
	mov	x3, #0
	mov	x4, #0
	svc	#0
	b	__syscall_ret
	.size	vfork, . - vfork

	.section .note.GNU-stack, "", %progbits
