/*
 * fcntl.c - fcntl(2): F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL,
 * F_SETFL and the pipe's F_GETPIPE_SZ / F_SETPIPE_SZ (kernel/pipe.c), with
 * Linux's checks in Linux's order: the descriptor first (-EBADF), then the
 * command (-EINVAL for one foliOS does not know).  F_SETFL changes only
 * O_APPEND and O_NONBLOCK (Linux's SETFL_MASK has also O_ASYNC, O_DIRECT
 * and O_NOATIME, which no foliOS file honours: they are ignored); the
 * access mode and the creation flags stay as open set them.
 */
#include "kernel/fs.h"
#include "kernel/pipe.h"
#include "kernel/sched.h"
#include <uapi/errno.h>

#define SETFL_MASK	(O_APPEND | O_NONBLOCK)

/* The lowest free descriptor >= from for f (a new reference): fd, or -EINVAL/-EMFILE. */
static long fcntl_dupfd(struct file *f, unsigned long from, bool cloexec)
{
	long fd;

	if (from >= NR_OPEN_DEFAULT)
		return -EINVAL;		/* Linux: past RLIMIT_NOFILE */
	fd = fd_install_from(f, (int)from, cloexec);
	if (fd >= 0)
		file_get(f);
	return fd;
}

SYSCALL_DEFINE3(fcntl, int, fd, unsigned int, cmd, unsigned long, arg)
{
	struct file *f = fdget(fd);

	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		return fcntl_dupfd(f, arg, cmd == F_DUPFD_CLOEXEC);
	case F_GETFD:
		return fd_get_cloexec(fd) ? FD_CLOEXEC : 0;
	case F_SETFD:
		fd_set_cloexec(current->files, fd, arg & FD_CLOEXEC);
		return 0;
	case F_GETFL:
		return f->flags;
	case F_SETFL:
		f->flags = (f->flags & ~SETFL_MASK) | ((int)arg & SETFL_MASK);
		return 0;
	case F_GETPIPE_SZ:
	case F_SETPIPE_SZ:
		return pipe_fcntl(f, cmd, arg);
	case F_ADD_SEALS:
	case F_GET_SEALS:
		return memfd_fcntl(f, cmd, arg);
	default:
		return -EINVAL;
	}
}
