/*
 * uaccess.S (x86_64) - user-memory primitives with exception fixups.
 * Callers (kernel/uaccess.c) check the range and open the SMAP window.
 * A fault that the fault path cannot resolve lands on the fixup, which
 * reports how much was left undone.
 */
#include "kernel/extable.h"

	.text
	/* unsigned long __arch_copy_user(void *to, const void *from, unsigned long n) */
	.global	__arch_copy_user
__arch_copy_user:
	movq	%rdx, %rcx
1:	rep movsb
	xorl	%eax, %eax
	ret
2:	movq	%rcx, %rax		/* bytes not copied */
	ret
	EXTABLE 1b, 2b

	/* unsigned long __arch_clear_user(void *to, unsigned long n) */
	.global	__arch_clear_user
__arch_clear_user:
	movq	%rsi, %rcx
	xorl	%eax, %eax
1:	rep stosb
	ret
2:	movq	%rcx, %rax
	ret
	EXTABLE 1b, 2b
