/*
 * uaccess.S (arm64) - user-memory primitives with exception fixups.
 * Callers (kernel/uaccess.c) check the range and open the PAN window.
 */
#include "kernel/extable.h"

	.text
	/* unsigned long __arch_copy_user(void *to, const void *from, unsigned long n) */
	.global	__arch_copy_user
__arch_copy_user:
	cbz	x2, 3f
1:	ldrb	w3, [x1], #1
2:	strb	w3, [x0], #1
	subs	x2, x2, #1
	b.ne	1b
3:	mov	x0, #0
	ret
9:	mov	x0, x2			/* bytes not copied */
	ret
	EXTABLE 1b, 9b
	EXTABLE 2b, 9b

	/* unsigned long __arch_clear_user(void *to, unsigned long n) */
	.global	__arch_clear_user
__arch_clear_user:
	cbz	x1, 3f
1:	strb	wzr, [x0], #1
	subs	x1, x1, #1
	b.ne	1b
3:	mov	x0, #0
	ret
9:	mov	x0, x1
	ret
	EXTABLE 1b, 9b
