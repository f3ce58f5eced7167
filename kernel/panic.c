/*
 * panic.c - the end of the line: panic() for impossible states, die() for
 * fatal kernel traps.  Both print the registers and a frame-pointer
 * backtrace, then power off with PANIC_EXIT_STATUS so a test harness sees the
 * failure.  A panic inside a panic powers off at once; a CPU that panics
 * while another one reports waits for that one to stop it (only the first
 * reports).
 */
#include "kernel/arch.h"
#include "kernel/kallsyms.h"
#include "kernel/panic.h"
#include "kernel/reboot.h"
#include "kernel/smp.h"
#include "kernel/time.h"
#include "kernel/string.h"
#include <asm/irqflags.h>
#include <asm/memory.h>

extern int console_loglevel;
#define PANIC_WAIT_NS	(10 * NSEC_PER_SEC)	/* a second panicker's wait for the first's stop */

int panic_cpu = -1;

static void print_symbol(unsigned long addr)
{
	unsigned long off;
	const char *name = kallsyms_lookup(addr, &off);

	if (name)
		printk(KERN_EMERG "  [<%016lx>] %s+%#lx\n", addr, name, off);
	else
		printk(KERN_EMERG "  [<%016lx>]\n", addr);
}

void dump_backtrace(unsigned long ip, unsigned long fp)
{
	printk(KERN_EMERG "Call trace:\n");
	print_symbol(ip);
	for (int depth = 0; depth < 16 && fp; depth++) {
		unsigned long *frame = (unsigned long *)fp;

		/* Frames live on kernel stacks: high half, 16-byte aligned, growing up. */
		if (fp < PAGE_OFFSET || (fp & 15))
			break;
		if (!frame[1])
			break;
		print_symbol(frame[1]);
		if (frame[0] <= fp)
			break;
		fp = frame[0];
	}
}

/*
 * Interrupts off, everything printed; a second panic on this CPU powers off
 * at once.  A CPU that panics while another one reports waits to be stopped
 * by it (smp_send_stop), answering cross-CPU calls; if that has not come in
 * PANIC_WAIT_NS (the reporter may be stuck on a lock this CPU holds, such
 * as the console's), it powers off.  Formats the message.
 */
static void enter_panic(char *msg, size_t len, const char *fmt, va_list ap)
{
	int cpu, none = -1;

	arch_local_irq_disable();
	cpu = (int)smp_processor_id();
	if (!__atomic_compare_exchange_n(&panic_cpu, &none, cpu, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		u64 deadline = ktime_get_ns() + PANIC_WAIT_NS;

		if (none == cpu)
			arch_power_off(PANIC_EXIT_STATUS);	/* no more printing: it may be what panicked */
		while (ktime_get_ns() < deadline) {
			smp_call_poll();
			smp_stop_poll();
			cpu_relax();
		}
		arch_power_off(PANIC_EXIT_STATUS);
	}
	console_loglevel = 7;
	vsnprintf(msg, len, fmt, ap);
}

__noreturn void panic(const char *fmt, ...)
{
	struct pt_regs regs;
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	enter_panic(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk(KERN_EMERG "Kernel panic - not syncing: %s\n", msg);
	arch_save_regs(&regs);
	arch_dump_regs(&regs);
	dump_backtrace(instruction_pointer(&regs), (unsigned long)__builtin_frame_address(0));
	printk(KERN_EMERG "---[ end Kernel panic - not syncing: %s ]---\n", msg);
	kernel_power_off(PANIC_EXIT_STATUS);
}

__noreturn void die(const struct pt_regs *regs, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	enter_panic(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk(KERN_EMERG "Oops: %s\n", msg);
	arch_dump_regs(regs);
	dump_backtrace(instruction_pointer(regs), regs_frame_pointer(regs));
	printk(KERN_EMERG "---[ end trace ]---\n");
	kernel_power_off(PANIC_EXIT_STATUS);
}
