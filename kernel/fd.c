/*
 * fd.c - open files and file descriptor tables: reference counting,
 * descriptor allocation, fork/exit of a table, close and the dup family.
 * A task's table is touched only by the task itself (vfs.h lock legend),
 * so no lock is taken here.
 */
#include "kernel/fs.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/slab.h"
#include "kernel/string.h"
#include <uapi/errno.h>

struct file *file_alloc(void)
{
	struct file *f = kzalloc(sizeof(*f));

	if (f)
		f->refcount = 1;
	return f;
}

void file_get(struct file *f)
{
	if (f->refcount <= 0)
		panic("file_get: file %p has refcount %d", f, f->refcount);
	f->refcount++;
}

void fput(struct file *f)
{
	if (f->refcount <= 0)
		panic("fput: file %p has refcount %d", f, f->refcount);
	if (--f->refcount)
		return;
	if (f->f_op->release)
		f->f_op->release(f);
	iput(f->inode);
	kfree(f);
}

struct file *fdget(int fd)
{
	if (fd < 0 || fd >= NR_OPEN_DEFAULT || !current->files)
		return NULL;
	return current->files->fd[fd];
}

void fd_set_cloexec(struct files_struct *files, int fd, bool cloexec)
{
	if (cloexec)
		files->close_on_exec |= 1ULL << fd;
	else
		files->close_on_exec &= ~(1ULL << fd);
}

bool fd_get_cloexec(int fd)
{
	return current->files->close_on_exec & (1ULL << fd);
}

int fd_install(struct file *f, bool cloexec)
{
	return fd_install_from(f, 0, cloexec);
}

int fd_install_from(struct file *f, int from, bool cloexec)
{
	struct files_struct *files = current->files;

	for (int fd = from; fd < NR_OPEN_DEFAULT && (unsigned long)fd < rlimit(RLIMIT_NOFILE); fd++) {
		if (!files->fd[fd]) {
			files->fd[fd] = f;
			fd_set_cloexec(files, fd, cloexec);
			return fd;
		}
	}
	return -EMFILE;
}

void fd_uninstall(int fd)
{
	if (!current->files->fd[fd])
		panic("fd_uninstall: fd %d is not open", fd);
	current->files->fd[fd] = NULL;
	fd_set_cloexec(current->files, fd, false);
}

void files_close_on_exec(struct files_struct *files)
{
	for (int fd = 0; fd < NR_OPEN_DEFAULT; fd++) {
		if ((files->close_on_exec & (1ULL << fd)) && files->fd[fd]) {
			fput(files->fd[fd]);
			files->fd[fd] = NULL;
		}
	}
	files->close_on_exec = 0;
}

struct files_struct *files_alloc_console(void)
{
	struct files_struct *files = kzalloc(sizeof(*files));
	struct file *f;

	if (!files)
		return NULL;
	if (vfs_open(&vfs_root, "/dev/console", O_RDWR, &f)) {
		kfree(files);
		return NULL;
	}
	files->fd[0] = files->fd[1] = files->fd[2] = f;
	f->refcount = 3;
	files->count = 1;
	return files;
}

struct files_struct *files_dup(const struct files_struct *files)
{
	struct files_struct *copy = kmalloc(sizeof(*copy));

	if (!copy)
		return NULL;
	memcpy(copy, files, sizeof(*copy));
	copy->count = 1;
	for (int fd = 0; fd < NR_OPEN_DEFAULT; fd++)
		if (copy->fd[fd])
			file_get(copy->fd[fd]);
	return copy;
}

void files_put(struct files_struct *files)
{
	unsigned long flags;
	int left;

	if (!files)
		return;		/* a task that never had a table (kernel thread) */
	flags = arch_local_irq_save();
	left = --files->count;
	arch_local_irq_restore(flags);
	BUG_ON(left < 0);
	if (left)
		return;
	for (int fd = 0; fd < NR_OPEN_DEFAULT; fd++)
		if (files->fd[fd])
			fput(files->fd[fd]);
	kfree(files);
}

int unshare_files(void)
{
	struct files_struct *copy;

	if (current->files->count == 1)
		return 0;
	copy = files_dup(current->files);
	if (!copy)
		return -ENOMEM;
	files_put(current->files);	/* not the last user: nothing closes */
	current->files = copy;
	return 0;
}

SYSCALL_DEFINE1(close, int, fd)
{
	struct file *f = fdget(fd);

	if (!f)
		return -EBADF;
	current->files->fd[fd] = NULL;
	fd_set_cloexec(current->files, fd, false);
	fput(f);
	return 0;
}

SYSCALL_DEFINE1(dup, int, oldfd)
{
	struct file *f = fdget(oldfd);
	int fd;

	if (!f)
		return -EBADF;
	fd = fd_install(f, false);
	if (fd >= 0)
		file_get(f);
	return fd;
}

/* Make newfd refer to oldfd's file, closing what newfd had; newfd or -EBADF. */
static long do_dup2(int oldfd, int newfd, bool cloexec)
{
	struct file *f = fdget(oldfd), *old;

	/* (RLIMIT_NOFILE is at most NR_OPEN_DEFAULT: kernel/resource.c) */
	if (!f || newfd < 0 || (unsigned long)newfd >= rlimit(RLIMIT_NOFILE))
		return -EBADF;
	if (oldfd == newfd)
		return newfd;
	file_get(f);
	old = current->files->fd[newfd];
	current->files->fd[newfd] = f;
	fd_set_cloexec(current->files, newfd, cloexec);
	if (old)
		fput(old);
	return newfd;
}

SYSCALL_DEFINE3(dup3, int, oldfd, int, newfd, int, flags)
{
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	return do_dup2(oldfd, newfd, flags & O_CLOEXEC);
}

#ifdef __x86_64__
SYSCALL_DEFINE2(dup2, int, oldfd, int, newfd)
{
	return do_dup2(oldfd, newfd, false);
}
#endif
