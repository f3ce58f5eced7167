/*
 * stat.c - fstat, newfstatat (and x86_64's stat/lstat), faccessat (and
 * x86_64's access).  struct stat (<uapi/stat.h>) has a different layout
 * on each arch: x86_64 its own (144 bytes), arm64 asm-generic's (128
 * bytes).  There are no symlinks, so AT_SYMLINK_NOFOLLOW and lstat change
 * nothing; times are 0.
 */
#include "kernel/fs.h"
#include "kernel/slab.h"
#include "kernel/string.h"
#include "kernel/uaccess.h"
#include <uapi/errno.h>

#define ROOT_DEV	1		/* st_dev of everything: one tree */
#define CONSOLE_RDEV	0x501		/* st_rdev of /dev/console: 5:1, as Linux */

/* Fill user ubuf for a node of this mode, ino and size; 0 or -EFAULT. */
static long cp_new_stat(u32 mode, u64 ino, u64 size, struct stat __user *ubuf)
{
	struct stat st;

	memset(&st, 0, sizeof(st));
	st.st_dev = ROOT_DEV;
	st.st_ino = ino;
	st.st_nlink = S_ISDIR(mode) ? 2 : 1;
	st.st_mode = mode;
	st.st_rdev = S_ISCHR(mode) ? CONSOLE_RDEV : 0;	/* the console is the only device */
	st.st_size = size;
	st.st_blksize = 4096;
	st.st_blocks = DIV_ROUND_UP(size, 512);
	return copy_to_user(ubuf, &st, sizeof(st)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(fstat, int, fd, struct stat __user *, ubuf)
{
	struct file *f = fdget(fd);

	if (!f)
		return -EBADF;
	return cp_new_stat(f->mode, f->ino, f->size, ubuf);
}

/* Resolve (dirfd, upath) as the *at() calls do; 0 and *res, or -errno. */
static long user_path_at(int dirfd, const char __user *upath, struct inode **res)
{
	struct inode *start;
	char *path;
	long err = getname(upath, &path);

	if (err)
		return err;
	err = at_start(dirfd, path, &start);
	if (!err)
		err = vfs_walk(start, path, res, NULL);
	kfree(path);
	return err;
}

/* stat of the node at (dirfd, upath). */
static long stat_at(int dirfd, const char __user *upath, struct stat __user *ubuf)
{
	struct inode *inode;
	long err = user_path_at(dirfd, upath, &inode);

	return err ? err : cp_new_stat(inode->mode, inode->ino, inode->size, ubuf);
}

/* AT_EMPTY_PATH with "" is fstat(dirfd) (the root for AT_FDCWD). */
SYSCALL_DEFINE4(newfstatat, int, dirfd, const char __user *, upath,
		struct stat __user *, ubuf, int, flags)
{
	struct file *f;
	char c;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH))
		return -EINVAL;
	if (!(flags & AT_EMPTY_PATH) || get_user(c, upath) || c)
		return stat_at(dirfd, upath, ubuf);
	if (dirfd == AT_FDCWD)
		return cp_new_stat(current_cwd()->mode, current_cwd()->ino, current_cwd()->size, ubuf);
	f = fdget(dirfd);
	return f ? cp_new_stat(f->mode, f->ino, f->size, ubuf) : -EBADF;
}

/* access(2) at (dirfd, upath): 0, or why mode is refused. */
static long access_at(int dirfd, const char __user *upath, int mode)
{
	struct inode *inode;
	long err;

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	err = user_path_at(dirfd, upath, &inode);
	return err ? err : inode_permission(inode, mode);
}

SYSCALL_DEFINE3(faccessat, int, dirfd, const char __user *, upath, int, mode)
{
	return access_at(dirfd, upath, mode);
}

#ifdef __x86_64__
SYSCALL_DEFINE2(stat, const char __user *, upath, struct stat __user *, ubuf)
{
	return stat_at(AT_FDCWD, upath, ubuf);
}

SYSCALL_DEFINE2(lstat, const char __user *, upath, struct stat __user *, ubuf)
{
	return stat_at(AT_FDCWD, upath, ubuf);
}

SYSCALL_DEFINE2(access, const char __user *, upath, int, mode)
{
	return access_at(AT_FDCWD, upath, mode);
}
#endif
