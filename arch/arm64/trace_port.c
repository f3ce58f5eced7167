/*
 * trace_port.c (arm64) - the folio.trace port: semihosting console writes.
 *
 * QEMU 7.2's virt machine has one non-secure PL011 (its second UART exists
 * only as the secure world's, with secure=on), so the trace goes through
 * semihosting instead: SYS_OPEN of ":tt" gives the semihosting console,
 * and SYS_WRITE hands QEMU a whole buffer per call.  tools/qemu.sh --trace
 * points that console at the host file (-semihosting-config chardev=).
 */
#include "kernel/arch.h"
#include <asm/semihosting.h>

#define SH_MODE_WB	5	/* fopen mode "wb" */

static u64 trace_handle;

bool arch_trace_init(void)
{
	static const char tt[] = ":tt";
	u64 args[3] = { (u64)tt, SH_MODE_WB, sizeof(tt) - 1 };
	u64 h;

	if (!arm64_semihosting)
		return false;
	h = semihosting_call(SYS_OPEN, args);
	if (h == (u64)-1)
		return false;
	trace_handle = h;
	return true;
}

void arch_trace_write(const void *buf, size_t len)
{
	const u8 *p = buf;

	while (len) {
		u64 args[3] = { trace_handle, (u64)p, len };
		u64 left = semihosting_call(SYS_WRITE, args);	/* bytes not written */

		if (left >= len)
			return;		/* the host refused: nothing more to do */
		p += len - left;
		len = left;
	}
}
