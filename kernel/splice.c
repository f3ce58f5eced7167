/*
 * splice.c - vmsplice(2): user memory into a pipe, without copying it.
 *
 * vmsplice(fd, iov, nr_segs, flags) on a pipe's write end queues the user's
 * own pages: each becomes a pipe buffer holding a FOLL_PIN pin
 * (PIPE_BUF_FLAG_PINNED, mm/gup.c), made exclusive to this process by the
 * pin, until a read copies it out (the buffer's pin goes when its last byte
 * is read) or the pipe is freed.  So what a reader gets is this process's
 * memory as it is at the read: the process's own later writes show (as on
 * Linux), but after fork neither process's writes reach the other through
 * the pin (fork copies the pinned exclusive pages for the child).
 *
 * As Linux's vmsplice_to_pipe: wait for one free slot (SPLICE_F_NONBLOCK:
 * -EAGAIN; no reader: SIGPIPE and -EPIPE), then queue as many pages as
 * there are free slots and return the bytes queued.  On the read end,
 * vmsplice copies out of the pipe into the iovecs, as readv.
 */
#include "kernel/fs.h"
#include "kernel/pipe.h"
#include "kernel/sched.h"
#include "kernel/slab.h"
#include "kernel/uaccess.h"
#include "mm/gup.h"
#include "mm/mm_types.h"
#include <uapi/errno.h>
#include <uapi/uio.h>

#define SPLICE_F_ALL	(SPLICE_F_MOVE | SPLICE_F_NONBLOCK | SPLICE_F_MORE | SPLICE_F_GIFT)

/* Pin and queue the pages of [base, base + len) while slots are free: bytes queued, or -errno. */
static long vmsplice_segment(struct pipe_inode_info *pipe, unsigned long base, size_t len)
{
	unsigned long start = base & PAGE_MASK, off = base & ~PAGE_MASK;
	unsigned long nr = min((unsigned long)DIV_ROUND_UP(off + len, PAGE_SIZE),
			       (unsigned long)(pipe->ring_size - (pipe->head - pipe->tail)));
	struct mm_struct *mm = current->mm;
	struct page **pages = kmalloc(nr * sizeof(*pages));
	long pinned, done = 0;

	if (!pages)
		return -ENOMEM;
	mmap_write_lock(mm);
	pinned = pin_user_pages(mm, start, nr, pages);
	mmap_write_unlock(mm);
	for (long i = 0; i < pinned; i++) {
		struct pipe_buffer buf = { .page = pages[i], .offset = i ? 0 : off,
					   .flags = PIPE_BUF_FLAG_PINNED };

		buf.len = min(len - done, PAGE_SIZE - buf.offset);
		pipe_push(pipe, &buf);
		done += buf.len;
	}
	kfree(pages);
	return pinned < 0 ? pinned : done;
}

/* Queue the iovecs' pages into pipe (Linux's vmsplice_to_pipe): bytes, or -errno. */
static long vmsplice_to_pipe(struct pipe_inode_info *pipe, const struct iovec *iov, int nr_segs,
			     unsigned int flags)
{
	long total = 0;
	int err = pipe_wait_writable(pipe, flags & SPLICE_F_NONBLOCK);

	if (err)
		return err;
	for (int i = 0; i < nr_segs && !pipe_full(pipe); i++) {
		long n;

		if (!iov[i].iov_len)
			continue;
		n = vmsplice_segment(pipe, (unsigned long)iov[i].iov_base, iov[i].iov_len);
		if (n < 0)
			return total ? total : n;
		total += n;
		if ((size_t)n < iov[i].iov_len)
			break;
	}
	return total;
}

/* Linux's order: flags, the descriptor (a pipe end: -EBADF otherwise), the iovecs. */
SYSCALL_DEFINE4(vmsplice, int, fd, const struct iovec __user *, uiov, unsigned long, nr_segs,
		unsigned int, flags)
{
	struct file *f = fdget(fd);
	struct pipe_inode_info *pipe = f ? get_pipe_info(f) : NULL;
	struct iovec *iov;
	long ret;

	if (flags & ~SPLICE_F_ALL)
		return -EINVAL;
	if (!pipe)
		return -EBADF;
	if (nr_segs > UIO_MAXIOV)
		return -EINVAL;
	if (!nr_segs)
		return 0;
	ret = iovec_import(uiov, (int)nr_segs, &iov);
	if (ret)
		return ret;
	for (unsigned long i = 0; i < nr_segs; i++) {
		if (!access_ok(iov[i].iov_base, iov[i].iov_len)) {
			kfree(iov);
			return -EFAULT;
		}
	}
	if ((f->flags & O_ACCMODE) == O_WRONLY)
		ret = vmsplice_to_pipe(pipe, iov, (int)nr_segs, flags);
	else
		ret = vfs_iov_rw(f, iov, (int)nr_segs, false);
	kfree(iov);
	return ret;
}
