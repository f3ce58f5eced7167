/*
 * pipe.c - pipe(2) and pipe2(2): an anonymous FIFO with a read end and a
 * write end, Linux's semantics (fs/pipe.c).
 *
 * Reads take bytes from the oldest buffer on: a read returns as soon as it
 * has copied something and the ring is empty (or count is met), 0 at end of
 * file (no writer left), -EAGAIN on an empty pipe with O_NONBLOCK, else it
 * sleeps; a signal ends the sleep with -ERESTARTSYS (kernel/errno.h).
 * Writes with no reader left send SIGPIPE and fail with -EPIPE.  A write
 * first tops up the newest buffer with its last partial page when that
 * buffer is a kernel page with room (PIPE_BUF_FLAG_CAN_MERGE), then fills
 * new pages, sleeping while the ring is full (-EAGAIN with O_NONBLOCK when
 * nothing was written yet).  Because a write of at most PIPE_BUF bytes goes
 * either whole into the newest buffer or whole into a new one, it is
 * atomic; a larger one may interleave with other writers at page
 * boundaries.  So a non-blocking writer of page-divisible chunks stops at
 * exactly ring_size pages (65536 bytes by default).
 *
 * poll: the read end reports POLLIN|POLLRDNORM with data and POLLHUP without
 * writers; the write end POLLOUT|POLLWRNORM with a free slot and POLLERR
 * without readers.  fstat: S_IFIFO | 0600.  Closing the last end frees the
 * pipe and its buffers (a vmsplice'd buffer's pin is dropped then).
 */
#include "kernel/pipe.h"
#include "kernel/arch.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/slab.h"
#include "kernel/uaccess.h"
#include "mm/folio.h"
#include "mm/gfp.h"
#include "mm/gup.h"
#include <uapi/errno.h>
#include <uapi/limits.h>
#include <uapi/poll.h>

#define PIPE_INO_BASE	0x10000000ULL	/* pipe inode numbers: above the tree's */

static u64 pipe_ino_next = PIPE_INO_BASE;
static const struct file_operations pipe_fops;

struct pipe_inode_info *get_pipe_info(struct file *f)
{
	return f->f_op == &pipe_fops ? f->private : NULL;
}

/* The pipe changed: wake its sleepers and every poll(). */
static void pipe_wake(struct pipe_inode_info *pipe)
{
	wake_up(pipe);
	poll_wake();
}

/* Drop a consumed (or abandoned) buffer's page: free the kernel page, unpin the user one. */
static void pipe_buf_release(struct pipe_buffer *buf)
{
	if (buf->flags & PIPE_BUF_FLAG_PINNED)
		unpin_user_page(buf->page);
	else
		free_pages(buf->page, 0);
	buf->page = NULL;
}

static struct pipe_buffer *pipe_slot(struct pipe_inode_info *pipe, unsigned int idx)
{
	return &pipe->bufs[idx & (pipe->ring_size - 1)];
}

void pipe_push(struct pipe_inode_info *pipe, const struct pipe_buffer *buf)
{
	if (pipe_full(pipe))
		panic("pipe_push: pipe %p is full", pipe);
	*pipe_slot(pipe, pipe->head++) = *buf;
	pipe_wake(pipe);
}

/*
 * Sleep until the pipe changes: 0, or -ERESTARTSYS when a signal is pending
 * (sleep_on wants interrupts off; nothing in interrupt context touches a pipe).
 */
static int pipe_sleep(struct pipe_inode_info *pipe)
{
	unsigned long flags = arch_local_irq_save();
	int err = sleep_on(pipe, 0);

	arch_local_irq_restore(flags);
	return err ? -ERESTARTSYS : 0;
}

/* ---- read ---- */

static ssize_t pipe_read(struct file *f, char __user *ubuf, size_t count, u64 *pos)
{
	struct pipe_inode_info *pipe = f->private;
	ssize_t ret = 0;

	if (count == 0)
		return 0;
	for (;;) {
		while (!pipe_empty(pipe) && (size_t)ret < count) {
			struct pipe_buffer *buf = pipe_slot(pipe, pipe->tail);
			size_t chars = min((size_t)buf->len, count - ret);

			if (copy_to_user(ubuf + ret, (char *)page_address(buf->page) + buf->offset, chars))
				return ret ? ret : -EFAULT;
			ret += chars;
			buf->offset += chars;
			buf->len -= chars;
			if (!buf->len) {
				pipe_buf_release(buf);
				pipe->tail++;
			}
			pipe_wake(pipe);
		}
		if (ret || !pipe->writers)
			return ret;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (pipe_sleep(pipe))
			return -ERESTARTSYS;
	}
}

/* ---- write ---- */

int pipe_wait_writable(struct pipe_inode_info *pipe, bool nonblock)
{
	for (;;) {
		if (!pipe->readers) {
			send_signal(current, SIGPIPE);
			return -EPIPE;
		}
		if (!pipe_full(pipe))
			return 0;
		if (nonblock)
			return -EAGAIN;
		if (pipe_sleep(pipe))
			return -ERESTARTSYS;
	}
}

/* Top up the newest buffer with the n bytes at ubuf when it may merge and has room: true if done. */
static bool pipe_merge(struct pipe_inode_info *pipe, const char __user *ubuf, size_t n, int *err)
{
	struct pipe_buffer *buf;

	if (!n || pipe_empty(pipe))
		return false;
	buf = pipe_slot(pipe, pipe->head - 1);
	if (!(buf->flags & PIPE_BUF_FLAG_CAN_MERGE) || buf->offset + buf->len + n > PAGE_SIZE)
		return false;
	if (copy_from_user((char *)page_address(buf->page) + buf->offset + buf->len, ubuf, n)) {
		*err = -EFAULT;
		return false;
	}
	buf->len += n;
	pipe_wake(pipe);
	return true;
}

/* Copy the next (at most a page of) bytes into a new buffer: bytes, or -ENOMEM/-EFAULT. */
static ssize_t pipe_write_page(struct pipe_inode_info *pipe, const char __user *ubuf, size_t n)
{
	struct pipe_buffer buf = { .offset = 0, .flags = PIPE_BUF_FLAG_CAN_MERGE };

	n = min(n, (size_t)PAGE_SIZE);
	buf.page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0);
	if (!buf.page)
		return -ENOMEM;
	if (copy_from_user(page_address(buf.page), ubuf, n)) {
		free_pages(buf.page, 0);
		return -EFAULT;
	}
	buf.len = n;
	pipe_push(pipe, &buf);
	return n;
}

static ssize_t pipe_write(struct file *f, const char __user *ubuf, size_t count, u64 *pos)
{
	struct pipe_inode_info *pipe = f->private;
	size_t chars = count & (PAGE_SIZE - 1);
	ssize_t ret = 0, n;
	int err = 0;

	if (!pipe->readers) {
		send_signal(current, SIGPIPE);
		return -EPIPE;
	}
	if (count == 0)
		return 0;
	if (pipe_merge(pipe, ubuf, chars, &err)) {
		if (chars == count)
			return count;
		ret = chars;
	} else if (err) {
		return err;
	}
	while ((size_t)ret < count) {
		err = pipe_wait_writable(pipe, f->flags & O_NONBLOCK);
		if (err)
			return ret ? ret : err;
		n = pipe_write_page(pipe, ubuf + ret, count - ret);
		if (n < 0)
			return ret ? ret : n;
		ret += n;
	}
	return ret;
}

/* ---- poll, release, fcntl ---- */

static unsigned int pipe_poll(struct file *f)
{
	struct pipe_inode_info *pipe = f->private;
	unsigned int mask = 0;

	if ((f->flags & O_ACCMODE) == O_RDONLY) {
		if (!pipe_empty(pipe))
			mask |= POLLIN | POLLRDNORM;
		if (!pipe->writers)
			mask |= POLLHUP;
	} else {
		if (!pipe_full(pipe))
			mask |= POLLOUT | POLLWRNORM;
		if (!pipe->readers)
			mask |= POLLERR;
	}
	return mask;
}

static void pipe_free(struct pipe_inode_info *pipe)
{
	while (!pipe_empty(pipe))
		pipe_buf_release(pipe_slot(pipe, pipe->tail++));
	kfree(pipe->bufs);
	kfree(pipe);
}

static void pipe_release(struct file *f)
{
	struct pipe_inode_info *pipe = f->private;

	if ((f->flags & O_ACCMODE) == O_RDONLY)
		pipe->readers--;
	else
		pipe->writers--;
	if (pipe->readers < 0 || pipe->writers < 0)
		panic("pipe_release: pipe %p has %d readers, %d writers", pipe, pipe->readers, pipe->writers);
	if (!pipe->readers && !pipe->writers)
		pipe_free(pipe);
	else
		pipe_wake(pipe);
}

/* Move the queued buffers into a ring of nr_slots (a power of two); 0 or -EBUSY/-ENOMEM. */
static long pipe_resize_ring(struct pipe_inode_info *pipe, unsigned int nr_slots)
{
	unsigned int used = pipe->head - pipe->tail;
	struct pipe_buffer *bufs;

	if (used > nr_slots)
		return -EBUSY;
	bufs = kzalloc(nr_slots * sizeof(*bufs));
	if (!bufs)
		return -ENOMEM;
	for (unsigned int i = 0; i < used; i++)
		bufs[i] = *pipe_slot(pipe, pipe->tail + i);
	kfree(pipe->bufs);
	pipe->bufs = bufs;
	pipe->tail = 0;
	pipe->head = used;
	pipe->ring_size = nr_slots;
	pipe_wake(pipe);
	return 0;
}

long pipe_fcntl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct pipe_inode_info *pipe = get_pipe_info(f);
	unsigned int nr_slots = 1;
	long err;

	if (!pipe)
		return -EBADF;
	if (cmd == F_GETPIPE_SZ)
		return (long)(pipe->ring_size * PAGE_SIZE);
	/* F_SETPIPE_SZ: round up to a power-of-two number of pages, at least one. */
	if (arg > PIPE_MAX_SIZE)
		return -EPERM;		/* Linux's answer without CAP_SYS_RESOURCE */
	while ((unsigned long)nr_slots * PAGE_SIZE < arg)
		nr_slots <<= 1;
	err = pipe_resize_ring(pipe, nr_slots);
	return err ? err : (long)(nr_slots * PAGE_SIZE);
}

static const struct file_operations pipe_fops = {
	.read = pipe_read,
	.write = pipe_write,
	.poll = pipe_poll,
	.release = pipe_release,
};

/* ---- pipe2 ---- */

/* A new empty pipe, or NULL. */
static struct pipe_inode_info *pipe_alloc(void)
{
	struct pipe_inode_info *pipe = kzalloc(sizeof(*pipe));

	if (!pipe)
		return NULL;
	pipe->bufs = kzalloc(PIPE_DEF_BUFFERS * sizeof(*pipe->bufs));
	if (!pipe->bufs) {
		kfree(pipe);
		return NULL;
	}
	pipe->ring_size = PIPE_DEF_BUFFERS;
	pipe->ino = pipe_ino_next++;
	return pipe;
}

/* A file for one end of pipe; accmode O_RDONLY or O_WRONLY plus O_NONBLOCK from flags. */
static struct file *pipe_file(struct pipe_inode_info *pipe, int accmode, int flags)
{
	struct file *f = file_alloc();

	if (!f)
		return NULL;
	f->f_op = &pipe_fops;
	f->flags = accmode | (flags & O_NONBLOCK);
	f->mode = S_IFIFO | 0600;
	f->ino = pipe->ino;
	f->private = pipe;
	if (accmode == O_RDONLY)
		pipe->readers++;
	else
		pipe->writers++;
	return f;
}

/* Both ends as files in res[0] (read) and res[1] (write): 0 or -ENOMEM. */
static long create_pipe_files(struct file *res[2], int flags)
{
	struct pipe_inode_info *pipe = pipe_alloc();

	if (!pipe)
		return -ENOMEM;
	res[0] = pipe_file(pipe, O_RDONLY, flags);
	res[1] = res[0] ? pipe_file(pipe, O_WRONLY, flags) : NULL;
	if (res[1])
		return 0;
	if (res[0])
		fput(res[0]);		/* the last end: frees the pipe */
	else
		pipe_free(pipe);
	return -ENOMEM;
}

/* Linux's do_pipe2: flags, then the files, the descriptors, the copy-out (undone on -EFAULT). */
static long do_pipe2(int __user *ufds, int flags)
{
	struct file *files[2];
	int fds[2];
	long err;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK))	/* O_DIRECT (packet mode): not supported */
		return -EINVAL;
	err = create_pipe_files(files, flags);
	if (err)
		return err;
	fds[0] = fd_install(files[0], flags & O_CLOEXEC);
	fds[1] = fds[0] >= 0 ? fd_install(files[1], flags & O_CLOEXEC) : -EMFILE;
	if (fds[1] < 0) {
		if (fds[0] >= 0)
			fd_uninstall(fds[0]);
		fput(files[0]);
		fput(files[1]);
		return -EMFILE;
	}
	if (copy_to_user(ufds, fds, sizeof(fds))) {
		fd_uninstall(fds[0]);
		fd_uninstall(fds[1]);
		fput(files[0]);
		fput(files[1]);
		return -EFAULT;
	}
	return 0;
}

SYSCALL_DEFINE2(pipe2, int __user *, ufds, int, flags)
{
	return do_pipe2(ufds, flags);
}

#ifdef __x86_64__
SYSCALL_DEFINE1(pipe, int __user *, ufds)
{
	return do_pipe2(ufds, 0);
}
#endif
