/*
 * open.c - opening a path: lookup, the O_* flag checks of Linux's
 * do_open(), the kind's open, a descriptor.  Nothing can be created: the
 * whole name space is read-only, so O_CREAT of a missing name is -EROFS.
 */
#include "kernel/fs.h"
#include "kernel/slab.h"
#include "kernel/uaccess.h"
#include <uapi/errno.h>

/* The errors Linux gives before opening inode with flags, in its order. */
static int may_open(const struct inode *inode, int flags)
{
	int acc = flags & O_ACCMODE;

	if ((flags & O_CREAT) && (flags & O_EXCL))
		return -EEXIST;
	if ((flags & O_DIRECTORY) && !S_ISDIR(inode->mode))
		return -ENOTDIR;
	if (S_ISDIR(inode->mode) && (acc != O_RDONLY || (flags & O_CREAT)))
		return -EISDIR;
	if (acc != O_RDONLY || (flags & O_TRUNC))
		return inode_permission(inode, W_OK);
	return 0;
}

int vfs_open(struct inode *start, const char *path, int flags, struct file **res)
{
	struct inode *inode, *parent = NULL;
	struct file *f;
	int err = vfs_walk(start, path, &inode, &parent);

	if (err == -ENOENT && (flags & O_CREAT) && parent)
		return -EROFS;
	if (err)
		return err;
	err = may_open(inode, flags);
	f = err ? NULL : file_alloc();
	if (!f) {
		iput(inode);
		return err ? err : -ENOMEM;
	}
	f->flags = flags;
	f->mode = inode->mode;
	f->size = inode->size;
	f->ino = inode->ino;
	f->inode = inode;	/* the walk's reference, dropped by fput */
	err = inode->open(inode, f);
	if (err) {
		iput(inode);
		kfree(f);
		return err;
	}
	*res = f;
	return 0;
}

int at_start(int dirfd, const char *path, struct inode **start)
{
	struct file *f;

	if (path[0] == '/' || dirfd == AT_FDCWD) {
		*start = current_cwd();	/* vfs_walk starts an absolute path at the root */
		return 0;
	}
	f = fdget(dirfd);
	if (!f)
		return -EBADF;
	if (!S_ISDIR(f->mode))
		return -ENOTDIR;
	*start = f->private;	/* a directory file's private is its inode */
	return 0;
}

/* openat: copy the path in, open, install; fd or -errno. */
static long openat_user(int dirfd, const char __user *upath, int flags)
{
	struct inode *start;
	struct file *f;
	char *path;
	long ret = getname(upath, &path);

	if (ret)
		return ret;
	ret = at_start(dirfd, path, &start);
	if (!ret)
		ret = vfs_open(start, path, flags, &f);
	kfree(path);
	if (ret)
		return ret;
	ret = fd_install(f, flags & O_CLOEXEC);
	if (ret < 0)
		fput(f);
	return ret;
}

/* mode is ignored: nothing can be created. */
SYSCALL_DEFINE4(openat, int, dirfd, const char __user *, upath, int, flags, unsigned int, mode)
{
	return openat_user(dirfd, upath, flags);
}

#ifdef __x86_64__
SYSCALL_DEFINE3(open, const char __user *, upath, int, flags, unsigned int, mode)
{
	return openat_user(AT_FDCWD, upath, flags);
}
#endif
