/* probe.S (x86_64) - memory access probes with exception fixups (kernel/extable.h). */
#include "kernel/extable.h"
#include <uapi/errno.h>

	.text
	.global probe_read_u8
probe_read_u8:			/* (const void *addr, u8 *out) */
1:	movb	(%rdi), %al
	movb	%al, (%rsi)
	xorl	%eax, %eax
	ret
2:	movl	$-EFAULT, %eax
	ret
	EXTABLE 1b, 2b

	.global probe_write_u8
probe_write_u8:			/* (void *addr, u8 v) */
1:	movb	%sil, (%rdi)
	xorl	%eax, %eax
	ret
2:	movl	$-EFAULT, %eax
	ret
	EXTABLE 1b, 2b

	/*
	 * A fetch fault happens at the target, not here: the trap handler
	 * finds the return address (3f) on the stack, pops it, and resumes
	 * at the fixup registered for it.
	 */
	.global probe_exec
probe_exec:			/* (const void *addr) */
	pushq	%rbp
	movq	%rsp, %rbp
	call	*%rdi
3:	xorl	%eax, %eax
	popq	%rbp
	ret
4:	movl	$-EFAULT, %eax
	popq	%rbp
	ret
	EXTABLE 3b, 4b
