/*
 * trace_port.c (arm64) - the folio.trace port: semihosting console writes.
 *
 * QEMU 7.2's virt machine has one non-secure PL011 (its second UART exists
 * only as the secure world's, with secure=on; a second non-secure one came
 * with QEMU 9.1), so the trace goes through semihosting file I/O instead
 * (-semihosting-config target=native): SYS_OPEN creates FT_HOST_FILE in
 * QEMU's working directory and each SYS_WRITE hands QEMU a whole buffer.
 * (The semihosting console, ":tt", is QEMU's own stdout in 7.2: no use.)
 * tools/qemu.sh --trace runs QEMU in a directory of its own and moves the
 * file to the --trace path.
 */
#include "kernel/arch.h"
#include <asm/semihosting.h>

#define SH_MODE_WB	5	/* fopen mode "wb" */
#define FT_HOST_FILE	"foliotrace.out"

static u64 trace_handle;

bool arch_trace_init(void)
{
	static const char name[] = FT_HOST_FILE;
	u64 args[3] = { (u64)name, SH_MODE_WB, sizeof(name) - 1 };
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
