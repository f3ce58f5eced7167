/*
 * printk.h - kernel log and panic.
 *
 * printk() takes an optional Linux-style level prefix (KERN_ERR ...) and
 * standard printf conversions only (%d %i %u %x %X %o %c %s %p %% with
 * h/hh/l/ll/z/t length, width, '-' and '0' flags), so the same calls work in
 * the kernel and in the host mm harness.  Messages above the console
 * loglevel (cmdline `loglevel=`) are dropped.  Each line is stamped with the
 * monotonic clock: "[    1.234567] text".
 */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include "kernel/types.h"
#include "kernel/compiler.h"

#define KERN_SOH	"\001"
#define KERN_EMERG	KERN_SOH "0"
#define KERN_ALERT	KERN_SOH "1"
#define KERN_CRIT	KERN_SOH "2"
#define KERN_ERR	KERN_SOH "3"
#define KERN_WARNING	KERN_SOH "4"
#define KERN_NOTICE	KERN_SOH "5"
#define KERN_INFO	KERN_SOH "6"
#define KERN_DEBUG	KERN_SOH "7"

#define LOGLEVEL_DEFAULT 6	/* KERN_INFO and more urgent are shown */
#define LOGLEVEL_ERR	3	/* this and more urgent: drawn on the screen at once */

int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list ap);
#define LOG_BUF_SIZE	(64 * 1024)	/* the kept log (Linux's log_buf_len) */
/* Hand the kept log's whole lines to out, oldest first, without their "<N>" prefixes. */
void printk_replay(void (*out)(const char *s, size_t n));
/* Copy the kept log's whole lines, "<N>" prefixes included, into dst (LOG_BUF_SIZE bytes);
 * returns how many bytes. */
size_t printk_log_snapshot(char *dst);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#define pr_emerg(fmt, ...)	printk(KERN_EMERG fmt, ##__VA_ARGS__)
#define pr_err(fmt, ...)	printk(KERN_ERR fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...)	printk(KERN_WARNING fmt, ##__VA_ARGS__)
#define pr_notice(fmt, ...)	printk(KERN_NOTICE fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...)	printk(KERN_INFO fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)	printk(KERN_DEBUG fmt, ##__VA_ARGS__)

/* Write the n bytes of s to /dev/console's consoles (console_dev_write), never
 * interleaved with a printk line (the console device's write). */
void console_output(const char *s, size_t n);

/* Print "Kernel panic - fn: reason", registers and a backtrace, power off with failure. */
__noreturn void panic(const char *fmt, ...) __printf(1, 2);

#define BUG_ON(cond) do { \
	if (unlikely(cond)) \
		panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond); \
} while (0)

#endif
