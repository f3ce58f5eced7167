/* probe.S (arm64) - memory access probes with exception fixups (kernel/extable.h). */
#include "kernel/extable.h"
#include <uapi/errno.h>

	.text
	.global probe_read_u8
probe_read_u8:			/* (const void *addr, u8 *out) */
1:	ldrb	w2, [x0]
	strb	w2, [x1]
	mov	w0, #0
	ret
2:	mov	w0, #-EFAULT
	ret
	EXTABLE 1b, 2b

	.global probe_write_u8
probe_write_u8:			/* (void *addr, u8 v) */
1:	strb	w1, [x0]
	mov	w0, #0
	ret
2:	mov	w0, #-EFAULT
	ret
	EXTABLE 1b, 2b

	/*
	 * A fetch fault happens at the target: the trap handler looks up the
	 * return address (x30 = 3f) and resumes at its fixup.
	 */
	/*
	 * Does semihosting answer?  QEMU takes HLT #0xf000 as a semihosting call
	 * when started with -semihosting-config enable=on, else it is an
	 * undefined instruction (ESR EC 0): the trap handler resumes at 2:.
	 * SYS_ERRNO (0x13) has no effect.  Returns 0 or -ENOSYS.
	 */
	.global semihosting_probe
semihosting_probe:		/* (void) */
	mov	x0, #0x13
	mov	x1, xzr
1:	hlt	#0xf000
	mov	w0, #0
	ret
2:	mov	w0, #-ENOSYS
	ret
	EXTABLE 1b, 2b

	.global probe_exec
probe_exec:			/* (const void *addr) */
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	blr	x0
3:	mov	w0, #0
	ldp	x29, x30, [sp], #16
	ret
4:	mov	w0, #-EFAULT
	ldp	x29, x30, [sp], #16
	ret
	EXTABLE 3b, 4b
