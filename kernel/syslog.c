/*
 * syslog.c - syslog(2): the kept kernel log for user space (`dmesg`).
 *
 * The log is printk's (kernel/printk.c): the last LOG_BUF_SIZE bytes of what
 * the consoles printed (console_loglevel applies: Linux keeps every level),
 * each line as "<N>[seconds.micros] text\n", N its level.  This is how a
 * machine without a serial port gets its log out: `dmesg` on the screen, or
 * `dmesg > file` (docs/bare-metal.md).
 *
 * Actions, with Linux's checks in Linux's order: SYSLOG_ACTION_READ_ALL
 * (EINVAL for a NULL buf or negative len, 0 for len 0, then the newest whole
 * lines that fit in len, oldest first; EFAULT for a bad buf),
 * SYSLOG_ACTION_SIZE_BUFFER (LOG_BUF_SIZE), CLOSE and OPEN (0, as Linux).
 * The others (the destructive READ and READ_CLEAR, CLEAR, the console
 * switches and SIZE_UNREAD) are not supported: EINVAL, as an unknown action.
 */
#include "kernel/printk.h"
#include "kernel/slab.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include <uapi/errno.h>
#include <uapi/syslog.h>

/* The newest whole lines of the log that fit in len bytes, copied to buf. */
static long syslog_read_all(char __user *buf, int len)
{
	char *snap = kmalloc(LOG_BUF_SIZE);
	size_t n, start = 0;
	long ret;

	if (!snap)
		return -ENOMEM;
	n = printk_log_snapshot(snap);
	if (n > (size_t)len) {
		start = n - len;
		while (start < n && snap[start - 1] != '\n')	/* from a line start */
			start++;
	}
	ret = copy_to_user(buf, snap + start, n - start) ? -EFAULT : (long)(n - start);
	kfree(snap);
	return ret;
}

SYSCALL_DEFINE3(syslog, int, type, char __user *, buf, int, len)
{
	switch (type) {
	case SYSLOG_ACTION_CLOSE:
	case SYSLOG_ACTION_OPEN:
		return 0;
	case SYSLOG_ACTION_READ_ALL:
		if (!buf || len < 0)
			return -EINVAL;
		if (!len)
			return 0;
		return syslog_read_all(buf, len);
	case SYSLOG_ACTION_SIZE_BUFFER:
		return LOG_BUF_SIZE;
	default:
		return -EINVAL;
	}
}
