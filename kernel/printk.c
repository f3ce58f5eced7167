/*
 * printk.c - the kernel log on the serial console.
 *
 * Each line starts with "[seconds.micros] " from the monotonic clock.  A
 * leading KERN_<LEVEL> prefix sets the line's level; lines with a level
 * numerically above console_loglevel are not printed.  Messages longer than
 * PRINTK_MAX are cut.  A message goes out whole under output_lock with
 * interrupts off, so lines from an interrupt or another CPU never
 * interleave with it; console_output() (the console device's writes) takes
 * the same lock.  output_lock is a bare ticket lock (arch_spin_lock: no lock
 * debugging, no order checker), because printk runs under every other lock
 * and inside their own panics.
 */
#include "kernel/arch.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include <asm/irqflags.h>

#define PRINTK_MAX 512

int console_loglevel = LOGLEVEL_DEFAULT;	/* set by loglevel= */
static bool at_line_start = true;		/* output_lock */
static spinlock_t output_lock = SPINLOCK_INIT("output_lock");

/* The n bytes of s to the UART, "\n" as "\r\n"; output_lock held. */
static void put_chars(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			arch_console_putc('\r');
		arch_console_putc(s[i]);
	}
}

static void console_write(const char *s)
{
	put_chars(s, strlen(s));
}

void console_output(const char *s, size_t n)
{
	unsigned long flags = arch_local_irq_save();

	arch_spin_lock(&output_lock);
	put_chars(s, n);
	arch_spin_unlock(&output_lock);
	arch_local_irq_restore(flags);
}

static void print_timestamp(void)
{
	u64 ns = ktime_get_ns();
	char ts[32];

	snprintf(ts, sizeof(ts), "[%5llu.%06llu] ", ns / NSEC_PER_SEC, (ns % NSEC_PER_SEC) / 1000);
	console_write(ts);
}

/* Write msg, stamping each line start. */
static void emit(const char *msg)
{
	char line[2] = { 0, 0 };

	for (; *msg; msg++) {
		if (at_line_start)
			print_timestamp();
		line[0] = *msg;
		console_write(line);
		at_line_start = (*msg == '\n');
	}
}

int vprintk(const char *fmt, va_list ap)
{
	char buf[PRINTK_MAX];
	int level = LOGLEVEL_DEFAULT, n;
	unsigned long flags;

	if (fmt[0] == KERN_SOH[0] && fmt[1] >= '0' && fmt[1] <= '7') {
		level = fmt[1] - '0';
		fmt += 2;
	}
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (level > console_loglevel)
		return n;
	flags = arch_local_irq_save();
	arch_spin_lock(&output_lock);
	emit(buf);
	arch_spin_unlock(&output_lock);
	arch_local_irq_restore(flags);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}
