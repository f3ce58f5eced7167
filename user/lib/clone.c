/*
 * clone.c - __clone(): start fn(arg) on a new stack in a task made by
 * clone(2) with the given flags (musl's __clone, the one piece of a thread
 * library libfolio has).  The child calls exit(2), not exit_group, with
 * fn's return value, so a thread ends alone.  Returns the child's tid in the
 * parent, or -errno (errno untouched: threads share it).
 */
#include <sched.h>

#if defined(__x86_64__)
/* rdi fn, rsi stack, edx flags, rcx arg, r8 ptid, r9 tls, 8(%rsp) ctid. */
__asm__(".text\n"
	".global __clone\n"
	".type __clone,@function\n"
	"__clone:\n"
	"	mov %rdi, %r11\n"
	"	mov %rdx, %rdi\n"		/* flags */
	"	mov %r8, %rdx\n"		/* ptid */
	"	mov %r9, %r8\n"			/* tls */
	"	mov 8(%rsp), %r10\n"		/* ctid */
	"	mov %r11, %r9\n"		/* fn: kept across the call in the child */
	"	and $-16, %rsi\n"
	"	sub $8, %rsi\n"
	"	mov %rcx, (%rsi)\n"		/* arg, on the child's stack */
	"	mov $56, %eax\n"		/* __NR_clone */
	"	syscall\n"
	"	test %eax, %eax\n"
	"	jnz 1f\n"
	"	xor %ebp, %ebp\n"
	"	pop %rdi\n"
	"	call *%r9\n"
	"	mov %eax, %edi\n"
	"	mov $60, %eax\n"		/* __NR_exit */
	"	syscall\n"
	"	hlt\n"
	"1:	ret\n"
	".size __clone, .-__clone\n");
#elif defined(__aarch64__)
/* x0 fn, x1 stack, w2 flags, x3 arg, x4 ptid, x5 tls, x6 ctid; clone(flags, stack, ptid, tls, ctid). */
__asm__(".text\n"
	".global __clone\n"
	".type __clone,%function\n"
	"__clone:\n"
	"	and x1, x1, #-16\n"
	"	stp x0, x3, [x1, #-16]!\n"	/* fn, arg on the child's stack */
	"	uxtw x0, w2\n"
	"	mov x2, x4\n"
	"	mov x3, x5\n"
	"	mov x4, x6\n"
	"	mov x8, #220\n"			/* __NR_clone */
	"	svc #0\n"
	"	cbz x0, 1f\n"
	"	ret\n"
	"1:	ldp x1, x0, [sp], #16\n"
	"	blr x1\n"
	"	mov x8, #93\n"			/* __NR_exit */
	"	svc #0\n"
	"	brk #0\n"
	".size __clone, .-__clone\n");
#else
#error "__clone: unknown architecture"
#endif
