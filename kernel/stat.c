/*
 * stat.c - fstat, newfstatat (and x86_64's stat/lstat), faccessat (and
 * x86_64's access).  struct stat (<uapi/stat.h>) has a different layout
 * on each arch: x86_64 its own (144 bytes), arm64 asm-generic's (128
 * bytes).  The only symlinks are /proc's (/proc/self): AT_SYMLINK_NOFOLLOW
 * and lstat stat the link itself (S_IFLNK 0777, st_size the target's
 * length), readlinkat (and x86_64's readlink) reads it; times are 0.
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

/* Resolve (dirfd, upath) as the *at() calls do (LOOKUP_* flags): 0 and *res (iput it), or -errno. */
static long user_path_at(int dirfd, const char __user *upath, unsigned int flags, struct inode **res)
{
	struct inode *start;
	char *path;
	long err = getname(upath, &path);

	if (err)
		return err;
	err = at_start(dirfd, path, &start);
	if (!err)
		err = vfs_lookup(start, path, flags, res, NULL);
	kfree(path);
	return err;
}

/* The size stat gives: a symlink's target length (Linux's), else the inode's. */
static u64 inode_stat_size(const struct inode *inode)
{
	char target[NAME_MAX + 1];

	if (S_ISLNK(inode->mode))
		return (u64)max(inode->dyn->get_link(inode, target, sizeof(target)), 0);
	return inode->size;
}

/* stat of the node at (dirfd, upath), the link itself under LOOKUP_NOFOLLOW. */
static long stat_at(int dirfd, const char __user *upath, unsigned int flags, struct stat __user *ubuf)
{
	struct inode *inode;
	long err = user_path_at(dirfd, upath, flags, &inode);

	if (err)
		return err;
	err = cp_new_stat(inode->mode, inode->ino, inode_stat_size(inode), ubuf);
	iput(inode);
	return err;
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
		return stat_at(dirfd, upath, (flags & AT_SYMLINK_NOFOLLOW) ? LOOKUP_NOFOLLOW : 0, ubuf);
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
	err = user_path_at(dirfd, upath, 0, &inode);
	if (err)
		return err;
	err = inode_permission(inode, mode);
	iput(inode);
	return err;
}

/* Linux's readlinkat: bufsiz <= 0 -EINVAL first; not a symlink -EINVAL; the target without a NUL. */
static long readlink_at(int dirfd, const char __user *upath, char __user *ubuf, int bufsiz)
{
	char target[NAME_MAX + 1];
	struct inode *inode;
	long err;

	if (bufsiz <= 0)
		return -EINVAL;
	err = user_path_at(dirfd, upath, LOOKUP_NOFOLLOW, &inode);
	if (err)
		return err;
	err = S_ISLNK(inode->mode) ? inode->dyn->get_link(inode, target, sizeof(target)) : -EINVAL;
	iput(inode);
	if (err < 0)
		return err;
	err = min(err, (long)bufsiz);
	return copy_to_user(ubuf, target, err) ? -EFAULT : err;
}

SYSCALL_DEFINE4(readlinkat, int, dirfd, const char __user *, upath, char __user *, ubuf, int, bufsiz)
{
	return readlink_at(dirfd, upath, ubuf, bufsiz);
}

SYSCALL_DEFINE3(faccessat, int, dirfd, const char __user *, upath, int, mode)
{
	return access_at(dirfd, upath, mode);
}

#ifdef __x86_64__
SYSCALL_DEFINE2(stat, const char __user *, upath, struct stat __user *, ubuf)
{
	return stat_at(AT_FDCWD, upath, 0, ubuf);
}

SYSCALL_DEFINE2(lstat, const char __user *, upath, struct stat __user *, ubuf)
{
	return stat_at(AT_FDCWD, upath, LOOKUP_NOFOLLOW, ubuf);
}

SYSCALL_DEFINE3(readlink, const char __user *, upath, char __user *, ubuf, int, bufsiz)
{
	return readlink_at(AT_FDCWD, upath, ubuf, bufsiz);
}

SYSCALL_DEFINE2(access, const char __user *, upath, int, mode)
{
	return access_at(AT_FDCWD, upath, mode);
}
#endif
