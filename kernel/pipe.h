/*
 * pipe.h - pipes (kernel/pipe.c) and what vmsplice (kernel/splice.c) adds to them.
 *
 * A pipe is a ring of pipe_buffers, Linux's shape: each buffer is one page
 * and the [offset, offset + len) bytes of it that are queued.  A write
 * copies into kernel pages (the last one is topped up while it has room:
 * PIPE_BUF_FLAG_CAN_MERGE); vmsplice queues the user's own pages, each held
 * by a FOLL_PIN pin (PIPE_BUF_FLAG_PINNED, mm/gup.c) until a read consumes
 * the buffer or the pipe goes.  The ring has PIPE_DEF_BUFFERS slots (64 KiB)
 * until F_SETPIPE_SZ changes it; a write of at most PIPE_BUF bytes always
 * lands in one slot, so it is never interleaved with another writer's.
 *
 * Lock legend: (p) process context only: the kernel is not preempted and has
 * one CPU, so a pipe changes only between sleeps; (c) constant.
 */
#ifndef KERNEL_PIPE_H
#define KERNEL_PIPE_H

#include "kernel/types.h"

#define PIPE_DEF_BUFFERS	16		/* Linux's default ring: 16 pages */
#define PIPE_MAX_SIZE		(1024 * 1024)	/* /proc/sys/fs/pipe-max-size's default */

#define PIPE_BUF_FLAG_CAN_MERGE	0x10		/* a kernel page writes may top up (Linux's value) */
#define PIPE_BUF_FLAG_PINNED	0x100		/* a user page held by a FOLL_PIN pin (vmsplice) */

struct page;
struct file;

struct pipe_buffer {
	struct page *page;		/* (p) a kernel page, or a pinned user page */
	unsigned int offset, len;	/* (p) the queued bytes of page */
	unsigned int flags;		/* (p) PIPE_BUF_FLAG_* */
};

struct pipe_inode_info {
	struct pipe_buffer *bufs;	/* (p) ring_size slots */
	unsigned int head, tail;	/* (p) free running: slots in use = head - tail */
	unsigned int ring_size;		/* (p) a power of two */
	int readers, writers;		/* (p) open ends */
	u64 ino;			/* (c) for fstat */
};

static inline bool pipe_full(const struct pipe_inode_info *pipe)
{
	return pipe->head - pipe->tail >= pipe->ring_size;
}

static inline bool pipe_empty(const struct pipe_inode_info *pipe)
{
	return pipe->head == pipe->tail;
}

/* The pipe of a pipe end, or NULL for any other file. */
struct pipe_inode_info *get_pipe_info(struct file *f);
/*
 * Wait until pipe has a free slot (nonblock: -EAGAIN instead), as a writer:
 * 0, -EPIPE (no reader left: SIGPIPE sent) or -ERESTARTSYS.
 */
int pipe_wait_writable(struct pipe_inode_info *pipe, bool nonblock);
/* Queue buf (a free slot must exist) and wake the readers. */
void pipe_push(struct pipe_inode_info *pipe, const struct pipe_buffer *buf);
/* F_GETPIPE_SZ / F_SETPIPE_SZ (kernel/fcntl.c): the size in bytes, or -errno. */
long pipe_fcntl(struct file *f, unsigned int cmd, unsigned long arg);

#endif
