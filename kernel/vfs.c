/*
 * vfs.c - the file layer's start-up and the system calls that work on an
 * open descriptor: read, write, pread64, pwrite64, readv, writev, lseek,
 * ftruncate, ioctl, getdents64.  Each
 * checks the descriptor and the user range, then calls the file kind's
 * operation (namei.c directories, initrd.c, console.c, pseudofs.c).
 */
#include "kernel/fs.h"
#include "kernel/slab.h"
#include "kernel/string.h"
#include "kernel/uaccess.h"
#include <asm/memory.h>
#include <uapi/errno.h>
#include <uapi/uio.h>

#define MAX_RW_COUNT	(0x7fffffffUL & PAGE_MASK)	/* Linux's cap on one read/write */
#define SSIZE_MAX	(~(size_t)0 >> 1)


void vfs_init(void)
{
	console_register();
	proc_pid_init();
	proc_register();
}

ssize_t simple_read_from_buffer(char __user *to, size_t count, u64 *pos,
				const void *from, size_t available)
{
	size_t n;

	if (*pos >= available)
		return 0;
	n = min(count, available - *pos);
	if (copy_to_user(to, (const char *)from + *pos, n))
		return -EFAULT;
	*pos += n;
	return n;
}

/* The open file fd unless its access mode is forbidden_acc (then, or when fd is not open, NULL). */
static struct file *fdget_mode(int fd, int forbidden_acc)
{
	struct file *f = fdget(fd);

	return f && (f->flags & O_ACCMODE) != forbidden_acc ? f : NULL;
}

/* read on an open file with a checked user range, at *pos. */
static ssize_t file_read(struct file *f, char __user *buf, size_t count, u64 *pos)
{
	if (!f->f_op->read)
		return -EINVAL;
	if (!access_ok(buf, count))
		return -EFAULT;
	return f->f_op->read(f, buf, min(count, MAX_RW_COUNT), pos);
}

/* write on an open file with a checked user range, at *pos. */
static ssize_t file_write(struct file *f, const char __user *buf, size_t count, u64 *pos)
{
	if (!f->f_op->write)
		return -EINVAL;
	if (!access_ok(buf, count))
		return -EFAULT;
	return f->f_op->write(f, buf, min(count, MAX_RW_COUNT), pos);
}

SYSCALL_DEFINE3(read, int, fd, char __user *, buf, size_t, count)
{
	struct file *f = fdget_mode(fd, O_WRONLY);

	return f ? file_read(f, buf, count, &f->pos) : -EBADF;
}

SYSCALL_DEFINE3(write, int, fd, const char __user *, buf, size_t, count)
{
	struct file *f = fdget_mode(fd, O_RDONLY);

	return f ? file_write(f, buf, count, &f->pos) : -EBADF;
}

/* Can f be read or written at a given offset (pread64/pwrite64)?  Not pipes nor the console. */
static bool file_can_pread(const struct file *f)
{
	return !S_ISFIFO(f->mode) && !S_ISCHR(f->mode);
}

/* Linux's ksys_pread64 order: offset (-EINVAL), descriptor (-EBADF), seekable (-ESPIPE), mode. */
static long do_pread(int fd, char __user *buf, size_t count, long offset, bool write)
{
	struct file *f = fdget(fd);
	u64 pos = (u64)offset;

	if (offset < 0)
		return -EINVAL;
	if (!f)
		return -EBADF;
	if (!file_can_pread(f))
		return -ESPIPE;
	if ((f->flags & O_ACCMODE) == (write ? O_RDONLY : O_WRONLY))
		return -EBADF;
	return write ? file_write(f, buf, count, &pos) : file_read(f, buf, count, &pos);
}

SYSCALL_DEFINE4(pread64, int, fd, char __user *, buf, size_t, count, long, offset)
{
	return do_pread(fd, buf, count, offset, false);
}

SYSCALL_DEFINE4(pwrite64, int, fd, const char __user *, buf, size_t, count, long, offset)
{
	return do_pread(fd, (char __user *)buf, count, offset, true);
}

long iovec_import(const struct iovec __user *uiov, int iovcnt, struct iovec **res)
{
	struct iovec *iov;
	size_t total = 0;

	if (iovcnt < 0 || iovcnt > UIO_MAXIOV)
		return -EINVAL;
	iov = kmalloc(iovcnt * sizeof(*iov));
	if (!iov)
		return -ENOMEM;
	if (copy_from_user(iov, uiov, iovcnt * sizeof(*iov))) {
		kfree(iov);
		return -EFAULT;
	}
	for (int i = 0; i < iovcnt; i++) {
		total += iov[i].iov_len;
		if (iov[i].iov_len > SSIZE_MAX || total > SSIZE_MAX) {
			kfree(iov);
			return -EINVAL;
		}
	}
	*res = iov;
	return 0;
}

ssize_t vfs_iov_rw(struct file *f, const struct iovec *iov, int iovcnt, bool write)
{
	ssize_t done = 0, n;

	for (int i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len == 0)
			continue;
		n = write ? file_write(f, iov[i].iov_base, iov[i].iov_len, &f->pos)
			  : file_read(f, iov[i].iov_base, iov[i].iov_len, &f->pos);
		if (n < 0)
			return done ? done : n;
		done += n;
		if ((size_t)n < iov[i].iov_len)
			break;
	}
	return done;
}

/* readv/writev: the descriptor in the right mode, the iovecs, then the buffers in turn. */
static long do_iov_rw(int fd, const struct iovec __user *uiov, int iovcnt, bool write)
{
	struct file *f = fdget_mode(fd, write ? O_RDONLY : O_WRONLY);
	struct iovec *iov;
	ssize_t done;
	long err;

	if (!f)
		return -EBADF;
	if (iovcnt == 0)
		return 0;
	err = iovec_import(uiov, iovcnt, &iov);
	if (err)
		return err;
	done = vfs_iov_rw(f, iov, iovcnt, write);
	kfree(iov);
	return done;
}

SYSCALL_DEFINE3(readv, int, fd, const struct iovec __user *, uiov, int, iovcnt)
{
	return do_iov_rw(fd, uiov, iovcnt, false);
}

SYSCALL_DEFINE3(writev, int, fd, const struct iovec __user *, uiov, int, iovcnt)
{
	return do_iov_rw(fd, uiov, iovcnt, true);
}

/* SEEK_SET/CUR/END; the console and pipes cannot seek (-ESPIPE); directories seek by entry index. */
SYSCALL_DEFINE3(lseek, int, fd, long, offset, unsigned int, whence)
{
	struct file *f = fdget(fd);
	long base, pos;

	if (!f)
		return -EBADF;
	if (f->f_op->llseek)
		return f->f_op->llseek(f, offset, whence);
	if (S_ISCHR(f->mode) || S_ISFIFO(f->mode))
		return -ESPIPE;
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->pos;
		break;
	case SEEK_END:
		base = f->size;
		break;
	default:
		return -EINVAL;
	}
	if (__builtin_add_overflow(base, offset, &pos) || pos < 0)
		return -EINVAL;
	f->pos = pos;
	return pos;
}

/* Linux's do_sys_ftruncate order: length (-EINVAL), descriptor (-EBADF), kind and mode (-EINVAL). */
SYSCALL_DEFINE2(ftruncate, int, fd, long, length)
{
	struct file *f;

	if (length < 0)
		return -EINVAL;
	f = fdget(fd);
	if (!f)
		return -EBADF;
	if (!f->f_op->ftruncate || (f->flags & O_ACCMODE) == O_RDONLY)
		return -EINVAL;
	return f->f_op->ftruncate(f, (u64)length);
}

/*
 * Linux's ksys_fallocate + vfs_fallocate order: the descriptor (-EBADF),
 * offset and len (-EINVAL), the mode: one of allocate, PUNCH_HOLE (with
 * KEEP_SIZE only), ZERO_RANGE, UNSHARE_RANGE, COLLAPSE_RANGE or
 * INSERT_RANGE (without KEEP_SIZE), else -EOPNOTSUPP; write access
 * (-EBADF), the kind (pipe -ESPIPE, directory -EISDIR, not regular
 * -ENODEV), a range past the largest file (-EFBIG), then the file's own
 * (none: -EOPNOTSUPP).
 */
SYSCALL_DEFINE4(fallocate, int, fd, int, mode, long, offset, long, len)
{
	struct file *f = fdget(fd);

	if (!f)
		return -EBADF;
	if (offset < 0 || len <= 0)
		return -EINVAL;
	if (mode & ~(FALLOC_FL_MODE_MASK | FALLOC_FL_KEEP_SIZE))
		return -EOPNOTSUPP;
	switch (mode & FALLOC_FL_MODE_MASK) {
	case FALLOC_FL_ALLOCATE_RANGE:
	case FALLOC_FL_UNSHARE_RANGE:
	case FALLOC_FL_ZERO_RANGE:
		break;
	case FALLOC_FL_PUNCH_HOLE:
		if (!(mode & FALLOC_FL_KEEP_SIZE))
			return -EOPNOTSUPP;
		break;
	case FALLOC_FL_COLLAPSE_RANGE:
	case FALLOC_FL_INSERT_RANGE:
		if (mode & FALLOC_FL_KEEP_SIZE)
			return -EOPNOTSUPP;
		break;
	default:
		return -EOPNOTSUPP;
	}
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (S_ISFIFO(f->mode))
		return -ESPIPE;
	if (S_ISDIR(f->mode))
		return -EISDIR;
	if (!S_ISREG(f->mode))
		return -ENODEV;
	if ((u64)offset + (u64)len > (~0ULL >> 1))	/* past the largest loff_t */
		return -EFBIG;
	if (!f->f_op->fallocate)
		return -EOPNOTSUPP;
	return f->f_op->fallocate(f, mode, (u64)offset, (u64)len);
}

SYSCALL_DEFINE3(ioctl, int, fd, unsigned int, cmd, unsigned long, arg)
{
	struct file *f = fdget(fd);

	if (!f)
		return -EBADF;
	return f->f_op->ioctl ? f->f_op->ioctl(f, cmd, arg) : -ENOTTY;
}

SYSCALL_DEFINE3(getdents64, int, fd, void __user *, dirent, unsigned int, count)
{
	struct file *f = fdget(fd);

	if (!f)
		return -EBADF;
	if (!f->f_op->getdents64)
		return -ENOTDIR;
	if (!access_ok(dirent, count))
		return -EFAULT;
	return f->f_op->getdents64(f, dirent, count, &f->pos);
}
