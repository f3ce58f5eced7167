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
 * and inside their own panics; it also guards log_buf.  What is printed goes to the
 * log consoles (kernel/consoles.c) and into log_buf, the last LOG_BUF_SIZE
 * bytes, each line there prefixed with its level as "<N>" (what Linux's
 * syslog(2) returns, kernel/syslog.c); printk_replay() hands the kept lines
 * to a console that comes up late (the screen, after paging_init).  KERN_ERR
 * and more urgent messages are drawn on the screen at once (an oops or panic
 * may be the last thing printed).
 */
#include "kernel/arch.h"
#include "kernel/consoles.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include <asm/irqflags.h>

#define PRINTK_MAX 512

int console_loglevel = LOGLEVEL_DEFAULT;	/* set by loglevel= */
static bool at_line_start = true;		/* output_lock */
static char log_buf[LOG_BUF_SIZE];		/* output_lock */
static size_t log_head;				/* output_lock: free-running, bytes ever logged */
static spinlock_t output_lock = SPINLOCK_INIT("output_lock");

static void log_store(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		log_buf[(log_head + i) % LOG_BUF_SIZE] = s[i];
	log_head += n;
}

/* Log n bytes of s and write them to the log consoles. */
static void console_write(const char *s, size_t n)
{
	log_store(s, n);
	console_log_write(s, n);
}

/* The oldest kept byte that starts a line. */
static size_t log_first_line(void)
{
	size_t pos = log_head > LOG_BUF_SIZE ? log_head - LOG_BUF_SIZE : 0;

	if (pos)
		while (pos < log_head && log_buf[pos++ % LOG_BUF_SIZE] != '\n')
			;
	return pos;
}

size_t printk_log_snapshot(char *dst)
{
	unsigned long flags = arch_local_irq_save();
	size_t n = 0;

	arch_spin_lock(&output_lock);
	for (size_t pos = log_first_line(); pos < log_head; pos++)
		dst[n++] = log_buf[pos % LOG_BUF_SIZE];
	arch_spin_unlock(&output_lock);
	arch_local_irq_restore(flags);
	return n;
}

void console_output(const char *s, size_t n)
{
	unsigned long flags = arch_local_irq_save();

	arch_spin_lock(&output_lock);
	console_dev_write(s, n);
	arch_spin_unlock(&output_lock);
	arch_local_irq_restore(flags);
}

void printk_replay(void (*out)(const char *s, size_t n))
{
	unsigned long flags = arch_local_irq_save();
	bool line_start = true;
	char run[64];
	size_t n = 0;

	arch_spin_lock(&output_lock);
	for (size_t pos = log_first_line(); pos < log_head; pos++) {
		char c = log_buf[pos % LOG_BUF_SIZE];

		if (line_start && c == '<' && pos + 2 < log_head) {
			pos += 2;			/* the "<N>" level prefix */
			line_start = false;
			continue;
		}
		line_start = c == '\n';
		run[n++] = c;
		if (n == sizeof(run)) {
			out(run, n);
			n = 0;
		}
	}
	if (n)
		out(run, n);
	arch_spin_unlock(&output_lock);
	arch_local_irq_restore(flags);
}

static void print_timestamp(void)
{
	u64 ns = ktime_get_ns();
	char ts[32];

	int n;

	n = snprintf(ts, sizeof(ts), "[%5llu.%06llu] ", ns / NSEC_PER_SEC, (ns % NSEC_PER_SEC) / 1000);
	console_write(ts, (size_t)n);
}

/* Write msg at level, stamping each line start (and its level, in the kept log). */
static void emit(const char *msg, int level)
{
	while (*msg) {
		size_t n = 0;

		if (at_line_start) {
			char prefix[3] = { '<', (char)('0' + level), '>' };

			log_store(prefix, sizeof(prefix));
			print_timestamp();
		}
		while (msg[n] && msg[n] != '\n')
			n++;
		n += msg[n] == '\n';
		console_write(msg, n);
		at_line_start = msg[n - 1] == '\n';
		msg += n;
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
	emit(buf, level);
	if (level <= LOGLEVEL_ERR)
		console_flush();
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
