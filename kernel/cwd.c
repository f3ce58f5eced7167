/*
 * cwd.c - the working directory: getcwd(2) and chdir(2).
 *
 * Each task has one (task->fs->cwd, NULL meaning the root), inherited by fork,
 * shared by clone(CLONE_FS) (chdir in one thread moves them all, as Linux's
 * fs_struct) and kept by execve.  Relative paths of open, stat, access, execve and
 * the *at() calls with AT_FDCWD start there (at_start, initrd_find).
 * The task keeps a reference on it (an inode made on demand, /proc/<pid>,
 * would go otherwise): fork takes one more, the fs_struct's last user drops it.
 */
#include "kernel/fs.h"
#include "kernel/sched.h"
#include "kernel/slab.h"
#include "kernel/string.h"
#include "kernel/uaccess.h"
#include <uapi/errno.h>

struct inode *current_cwd(void)
{
	return current->fs && current->fs->cwd ? current->fs->cwd : &vfs_root;
}

char *inode_path(const struct inode *dir, char *buf, size_t size)
{
	char *p = buf + size;

	*--p = '\0';
	if (dir->parent == dir)
		return p - 1 >= buf ? (*--p = '/', p) : NULL;
	for (; dir->parent != dir; dir = dir->parent) {
		size_t len = strlen(dir->name);

		if ((size_t)(p - buf) < len + 1)
			return NULL;
		p -= len;
		memcpy(p, dir->name, len);
		*--p = '/';
	}
	return p;
}

/* The length written, NUL included; -ERANGE when size is too small, -EFAULT. */
SYSCALL_DEFINE2(getcwd, char __user *, ubuf, unsigned long, size)
{
	char *page = kmalloc(PATH_MAX), *path;
	long len;

	if (!page)
		return -ENOMEM;
	path = inode_path(current_cwd(), page, PATH_MAX);
	len = path ? (long)(page + PATH_MAX - path) : -ENAMETOOLONG;
	if (len > 0 && (unsigned long)len > size)
		len = -ERANGE;
	else if (len > 0 && copy_to_user(ubuf, path, len))
		len = -EFAULT;
	kfree(page);
	return len;
}

/* Linux's order: the name (-EFAULT, -ENAMETOOLONG), the lookup, a directory, search permission. */
SYSCALL_DEFINE1(chdir, const char __user *, upath)
{
	struct inode *inode;
	char *path;
	long err = getname(upath, &path);

	if (err)
		return err;
	err = vfs_walk(current_cwd(), path, &inode, NULL);
	kfree(path);
	if (err)
		return err;
	err = S_ISDIR(inode->mode) ? inode_permission(inode, X_OK) : -ENOTDIR;
	if (err) {
		iput(inode);
		return err;
	}
	iput(current->fs->cwd);
	current->fs->cwd = inode;
	return 0;
}
