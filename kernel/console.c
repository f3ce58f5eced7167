/*
 * console.c - the console character device (/dev/console, fds 0-2 of init).
 *
 * Output goes to /dev/console's consoles (kernel/consoles.c: the UART, "\n"
 * as "\r\n", and/or the screen, as console= says).
 * Input is raw: console_input() (UART tick poll, PS/2 keyboard interrupt) queues bytes
 * in a ring and wakes readers (the tick polls only while console_input_room(),
 * so a full ring holds input back in the UART and QEMU); read() sleeps until
 * at least one byte is queued and returns what is there, up to count; poll
 * reports POLLIN while bytes are queued, POLLOUT always.  No
 * echo, no line editing: the shell does that.  TCGETS/TIOCGWINSZ answer
 * like a raw tty so isatty() is true.
 *
 * Lock legend: (r) console_lock, taken with interrupts off (the producer
 * runs in interrupt context).
 */
#include "kernel/fs.h"
#include "kernel/arch.h"
#include "kernel/consoles.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/uaccess.h"
#include <uapi/errno.h>
#include <uapi/poll.h>
#include <uapi/termios.h>

#define CONSOLE_RING_SIZE	1024		/* power of two */
#define CONSOLE_CHUNK		256		/* bytes copied per step */

static struct {
	char buf[CONSOLE_RING_SIZE];	/* (r) */
	unsigned int head, tail;	/* (r) free-running: bytes queued = head - tail */
} ring;
static spinlock_t console_lock = SPINLOCK_INIT("console_lock");

void console_input(char c)
{
	spin_lock(&console_lock);
	if (ring.head - ring.tail < CONSOLE_RING_SIZE)	/* else dropped, like a full UART FIFO */
		ring.buf[ring.head++ % CONSOLE_RING_SIZE] = c;
	spin_unlock(&console_lock);
	wake_up(&ring);
	poll_wake();
}

/*
 * Is there room in the ring?  The tick stops draining the UART while there is
 * none, so the UART's FIFO fills and QEMU holds further input back (flow
 * control) instead of it being dropped here.
 */
bool console_input_room(void)
{
	bool room;

	spin_lock(&console_lock);
	room = ring.head - ring.tail < CONSOLE_RING_SIZE;
	spin_unlock(&console_lock);
	return room;
}

/* Take up to n queued bytes into buf; returns how many.  console_lock held. */
static size_t ring_take(char *buf, size_t n)
{
	size_t got = 0;

	assert_spin_locked(&console_lock);
	while (got < n && ring.tail != ring.head)
		buf[got++] = ring.buf[ring.tail++ % CONSOLE_RING_SIZE];
	return got;
}

/*
 * Wait for input, then return what is queued (up to count, at most one
 * chunk).  The emptiness check and the sleep are one step under
 * console_lock (sleep_on_locked), so the boot CPU's tick, filling the ring
 * under that lock, cannot slip in between and its wake_up be lost.
 */
static ssize_t console_read(struct file *f, char __user *buf, size_t count, u64 *pos)
{
	char chunk[CONSOLE_CHUNK];
	size_t n;

	if (count == 0)
		return 0;
	for (;;) {
		unsigned long flags = arch_local_irq_save();
		int err = 0;

		spin_lock(&console_lock);
		n = ring_take(chunk, min(count, sizeof(chunk)));
		if (!n)
			err = sleep_on_locked(&ring, 0, &console_lock);
		spin_unlock(&console_lock);
		arch_local_irq_restore(flags);
		if (n)
			break;
		if (err)
			return -ERESTARTSYS;	/* a signal: restarted unless a handler says not */
	}
	return copy_to_user(buf, chunk, n) ? -EFAULT : (ssize_t)n;
}

static ssize_t console_write(struct file *f, const char __user *buf, size_t count, u64 *pos)
{
	char chunk[CONSOLE_CHUNK];
	size_t done = 0;

	while (done < count) {
		size_t n = min(count - done, sizeof(chunk));

		if (copy_from_user(chunk, buf + done, n))
			return done ? (ssize_t)done : -EFAULT;
		console_output(chunk, n);
		done += n;
	}
	return done;
}

/* Readable when input is queued; always writable (the UART is polled). */
static unsigned int console_poll(struct file *f)
{
	unsigned int mask = POLLOUT | POLLWRNORM;

	spin_lock(&console_lock);
	if (ring.head != ring.tail)
		mask |= POLLIN | POLLRDNORM;
	spin_unlock(&console_lock);
	return mask;
}

/* Raw mode as cfmakeraw() leaves it, output post-processing on (we add "\r"). */
static const struct termios console_termios = {
	.c_iflag = 0,
	.c_oflag = OPOST | ONLCR,
	.c_cflag = B115200 | CS8 | CREAD | CLOCAL,
	.c_lflag = 0,					/* no ICANON, no ECHO, no ISIG */
	.c_cc = { [VINTR] = 003, [VQUIT] = 034, [VERASE] = 0177, [VKILL] = 025, [VEOF] = 004,
		  [VTIME] = 0, [VMIN] = 1 },
};

static long console_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	static const struct winsize winsize = { .ws_row = 24, .ws_col = 80 };
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case TCGETS:
		return copy_to_user(uarg, &console_termios, sizeof(console_termios)) ? -EFAULT : 0;
	case TIOCGWINSZ:
		return copy_to_user(uarg, &winsize, sizeof(winsize)) ? -EFAULT : 0;
	default:
		return -ENOTTY;
	}
}

static const struct file_operations console_fops = {
	.read = console_read,
	.write = console_write,
	.ioctl = console_ioctl,
	.poll = console_poll,
};

static int console_open(struct inode *inode, struct file *f)
{
	f->f_op = &console_fops;
	return 0;
}

void console_register(void)
{
	struct inode *dev = inode_make_dirs(&vfs_root, "dev", 3, S_IFDIR | 0755);
	struct inode *inode = dev ? inode_create(dev, "console", 7, S_IFCHR | 0620) : NULL;

	if (!inode)
		panic("console_register: cannot create /dev/console");
	inode->open = console_open;
}
