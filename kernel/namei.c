/*
 * namei.c - the inode tree: creating nodes, inodes made on demand and their
 * references, path lookup (symlinks followed), directory files
 * (getdents64), permission checks and copying paths in from user space.
 */
#include "kernel/fs.h"
#include "kernel/printk.h"
#include "kernel/slab.h"
#include "kernel/string.h"
#include "kernel/uaccess.h"
#include <uapi/dirent.h>
#include <uapi/errno.h>

static u64 next_ino = 2;	/* (b) 1 is vfs_root */

static int dir_open(struct inode *inode, struct file *f);

struct inode vfs_root = {
	.mode = S_IFDIR | 0755,
	.write_err = -EROFS,
	.ino = 1,
	.parent = &vfs_root,
	.children = LIST_HEAD_INIT(vfs_root.children),
	.sibling = LIST_HEAD_INIT(vfs_root.sibling),
	.open = dir_open,
};

/* A detached inode named name[0..len) without a number, or NULL when out of memory. */
static struct inode *inode_alloc_unnumbered(const char *name, size_t len, u32 mode)
{
	struct inode *inode = kzalloc(sizeof(*inode) + len + 1);

	if (!inode)
		return NULL;
	memcpy(inode->name, name, len);
	inode->mode = mode;
	inode->parent = inode;
	INIT_LIST_HEAD(&inode->children);
	INIT_LIST_HEAD(&inode->sibling);
	if (S_ISDIR(mode)) {
		inode->write_err = -EROFS;
		inode->open = dir_open;
	}
	return inode;
}

/* A detached tree inode named name[0..len) with the next number, or NULL when out of memory. */
static struct inode *inode_alloc(const char *name, size_t len, u32 mode)
{
	struct inode *inode = inode_alloc_unnumbered(name, len, mode);

	if (inode)
		inode->ino = next_ino++;
	return inode;
}

struct inode *inode_new_root(void)
{
	return inode_alloc("", 0, S_IFDIR | 0755);
}

void inode_tree_free(struct inode *root)
{
	struct list_head *pos, *n;

	if (root == &vfs_root)
		panic("inode_tree_free: the live tree cannot be freed");
	list_for_each_safe(pos, n, &root->children)
		inode_tree_free(list_entry(pos, struct inode, sibling));
	kfree(root);
}

/* strcmp of a NUL-terminated name against name[0..len). */
static int name_cmp(const char *a, const char *name, size_t len)
{
	int c = strncmp(a, name, len);

	return c ? c : (unsigned char)a[len];
}

struct inode *inode_lookup_child(const struct inode *dir, const char *name, size_t len)
{
	struct list_head *pos;

	list_for_each(pos, &dir->children) {
		struct inode *child = list_entry(pos, struct inode, sibling);
		int c = name_cmp(child->name, name, len);

		if (c == 0)
			return child;
		if (c > 0)
			break;
	}
	return NULL;
}

struct inode *inode_new_dynamic(struct inode *parent, const char *name, size_t len, u32 mode)
{
	struct inode *inode = inode_alloc_unnumbered(name, len, mode);

	if (!inode)
		return NULL;
	inode->i_count = 1;
	inode->parent = iget(parent);
	return inode;
}

struct inode *iget(struct inode *inode)
{
	if (inode->i_count)
		inode->i_count++;
	return inode;
}

void iput(struct inode *inode)
{
	while (inode && inode->i_count && --inode->i_count == 0) {
		struct inode *parent = inode->parent;

		BUG_ON(!list_empty(&inode->children));
		kfree(inode);
		inode = parent;
	}
}

struct inode *inode_create(struct inode *dir, const char *name, size_t len, u32 mode)
{
	struct inode *inode;
	struct list_head *pos;

	if (!S_ISDIR(dir->mode) || inode_lookup_child(dir, name, len))
		panic("inode_create: %.*s: parent is no directory or the name exists", (int)len, name);
	inode = inode_alloc(name, len, mode);
	if (!inode)
		return NULL;
	inode->parent = dir;
	list_for_each(pos, &dir->children)
		if (name_cmp(list_entry(pos, struct inode, sibling)->name, name, len) > 0)
			break;
	list_add_tail(&inode->sibling, pos);	/* before the first larger name */
	return inode;
}

/* Advance *p past slashes and one component; returns the component and its length in *len. */
static const char *next_component(const char **p, size_t *len)
{
	const char *name;

	while (**p == '/')
		(*p)++;
	name = *p;
	while (**p && **p != '/')
		(*p)++;
	*len = *p - name;
	return name;
}

static bool is_dot(const char *name, size_t len)
{
	return len == 1 && name[0] == '.';
}

static bool is_dotdot(const char *name, size_t len)
{
	return len == 2 && name[0] == '.' && name[1] == '.';
}

struct inode *inode_make_dirs(struct inode *dir, const char *path, size_t len, u32 dir_mode)
{
	const char *p = path, *end = path + len, *name;
	struct inode *child;
	size_t n;

	while (p < end) {
		name = next_component(&p, &n);
		if (name + n > end)
			n = end > name ? end - name : 0;
		if (n == 0 || is_dot(name, n))
			continue;
		if (is_dotdot(name, n) || n > NAME_MAX)
			return NULL;
		child = inode_lookup_child(dir, name, n);

		if (!child)
			child = inode_create(dir, name, n, dir_mode);
		if (!child || !S_ISDIR(child->mode))
			return NULL;
		dir = child;
	}
	return dir;
}

/* True when only slashes are left at p. */
static bool only_slashes(const char *p)
{
	while (*p == '/')
		p++;
	return *p == 0;
}

#define MAXSYMLINKS	40	/* Linux's: links followed in one lookup */

static int walk(struct inode *start, const char *path, unsigned int flags, int *links,
		struct inode **res, struct inode **parent);

/*
 * Follow the symlink link (its reference is dropped) found in dir: the
 * target resolved from dir, referenced, in *res; 0 or -errno.
 */
static int follow_link(struct inode *dir, struct inode *link, int *links, struct inode **res)
{
	char target[NAME_MAX + 1];
	int err = ++*links > MAXSYMLINKS ? -ELOOP : link->dyn->get_link(link, target, sizeof(target));

	iput(link);
	return err < 0 ? err : walk(dir, target, 0, links, res, NULL);
}

/* The entry name[0..len) of the directory cur: the tree's child or one made on demand, referenced. */
static int lookup_one(struct inode *cur, const char *name, size_t len, struct inode **res)
{
	struct inode *child = inode_lookup_child(cur, name, len);

	if (child) {
		*res = iget(child);
		return 0;
	}
	return cur->dyn && cur->dyn->lookup ? cur->dyn->lookup(cur, name, len, res) : -ENOENT;
}

/* vfs_lookup with the count of symlinks followed so far. */
static int walk(struct inode *start, const char *path, unsigned int flags, int *links,
		struct inode **res, struct inode **parent)
{
	struct inode *cur = start, *next;
	const char *p = path, *name;
	size_t len;
	int err;

	if (*path == 0)
		return -ENOENT;
	if (*path == '/')
		while (cur->parent != cur)
			cur = cur->parent;
	iget(cur);
	for (name = next_component(&p, &len); len; name = next_component(&p, &len)) {
		err = -ENOTDIR;
		if (!S_ISDIR(cur->mode))
			goto fail;
		err = -ENAMETOOLONG;
		if (len > NAME_MAX)
			goto fail;
		if (is_dot(name, len))
			continue;
		if (is_dotdot(name, len)) {
			next = iget(cur->parent);
		} else {
			err = lookup_one(cur, name, len, &next);
			if (err) {
				if (err == -ENOENT && parent && only_slashes(p))
					*parent = cur;
				goto fail;
			}
			/* Linux: every link but a last component's under LOOKUP_NOFOLLOW (a trailing slash follows) */
			if (S_ISLNK(next->mode) && (*p || !(flags & LOOKUP_NOFOLLOW))) {
				err = follow_link(cur, next, links, &next);
				if (err)
					goto fail;
			}
		}
		iput(cur);
		cur = next;
	}
	err = -ENOTDIR;
	if (path[strlen(path) - 1] == '/' && !S_ISDIR(cur->mode))
		goto fail;
	*res = cur;
	return 0;
fail:
	iput(cur);
	return err;
}

int vfs_lookup(struct inode *start, const char *path, unsigned int flags, struct inode **res,
	       struct inode **parent)
{
	int links = 0;

	return walk(start, path, flags, &links, res, parent);
}

int vfs_walk(struct inode *start, const char *path, struct inode **res, struct inode **parent)
{
	return vfs_lookup(start, path, 0, res, parent);
}

int inode_permission(const struct inode *inode, int mask)
{
	if ((mask & W_OK) && inode->write_err)
		return inode->write_err;
	if ((mask & X_OK) && !(inode->mode & 0111))
		return -EACCES;
	return 0;
}

int getname(const char __user *upath, char **res)
{
	char *buf = kmalloc(PATH_MAX);
	long len;

	if (!buf)
		return -ENOMEM;
	len = strncpy_from_user(buf, upath, PATH_MAX);
	if (len < 0) {
		kfree(buf);
		return len;
	}
	*res = buf;
	return 0;
}

/* ---- directory files ---- */

/* linux_dirent64 up to d_name: d_ino, d_off, d_reclen, d_type. */
#define DIRENT64_NAME_OFFSET offsetof(struct linux_dirent64, d_name)
BUILD_BUG_ON(DIRENT64_NAME_OFFSET != 19);

/*
 * Put the entry (ino, type, name[0..len)) at user buf if it fits in count
 * bytes; next is its d_off.  Returns the record length, 0 when it does not
 * fit, or -EFAULT.
 */
static long put_dirent64(void __user *buf, size_t count, u64 ino, u64 next, u8 type,
			 const char *name, size_t len)
{
	u8 rec[ALIGN(DIRENT64_NAME_OFFSET + NAME_MAX + 1, 8)];
	u16 reclen = ALIGN(DIRENT64_NAME_OFFSET + len + 1, 8);

	if (reclen > count)
		return 0;
	memset(rec, 0, reclen);
	memcpy(rec, &ino, 8);
	memcpy(rec + 8, &next, 8);
	memcpy(rec + 16, &reclen, 2);
	rec[18] = type;
	memcpy(rec + DIRENT64_NAME_OFFSET, name, len);
	return copy_to_user(buf, rec, reclen) ? -EFAULT : reclen;
}

/* One getdents64 record: the entry's name, inode number and mode. */
struct dir_ent {
	const char *name;
	u64 ino;
	u32 mode;
	char buf[NAME_MAX + 1];	/* the name of an entry made on demand */
};

/*
 * A directory's getdents64 positions (f_pos, d_off): 0 ".", 1 "..", then the tree's
 * children by index, then the entries made on demand at DIR_DYN_POS + their key (a pid
 * in /proc), Linux's proc_pid_readdir cursor: a process reaped between two getdents64
 * calls shifts no entry after it, so none is skipped or listed twice.
 */
#define DIR_DYN_POS	(1ULL << 32)

/*
 * The entry of dir at *pos, or the first one after it: ".", "..", the tree's children,
 * then the entries made on demand (dyn->entry).  1, *e and *pos its position; 0 past
 * the end; or -errno.
 */
static int dir_entry(const struct inode *dir, u64 *pos, struct dir_ent *e)
{
	struct list_head *pos_child;
	u64 idx = *pos, key;
	int found;

	if (idx < 2) {
		const struct inode *d = idx ? dir->parent : dir;

		*e = (struct dir_ent){ .name = idx ? ".." : ".", .ino = d->ino, .mode = d->mode };
		return 1;
	}
	if (idx < DIR_DYN_POS) {
		idx -= 2;
		list_for_each(pos_child, &dir->children) {
			if (idx-- == 0) {
				const struct inode *child = list_entry(pos_child, struct inode, sibling);

				*e = (struct dir_ent){ .name = child->name, .ino = child->ino, .mode = child->mode };
				return 1;
			}
		}
	}
	if (!dir->dyn || !dir->dyn->entry)
		return 0;
	key = *pos < DIR_DYN_POS ? 0 : *pos - DIR_DYN_POS;
	e->name = e->buf;
	found = dir->dyn->entry(dir, &key, e->buf, &e->ino, &e->mode);
	if (found > 0)
		*pos = DIR_DYN_POS + key;
	return found;
}

/* getdents64: records from position *pos on; d_off is the position after the record's. */
static long dir_getdents64(struct file *f, void __user *buf, size_t count, u64 *pos)
{
	const struct inode *dir = f->private;
	struct dir_ent e;
	long done = 0, n;
	u64 key = 0;
	int found;

	/* A directory of entries made on demand may be gone (a reaped process's): its error first. */
	if (dir->dyn && dir->dyn->entry && (found = dir->dyn->entry(dir, &key, e.buf, &e.ino, &e.mode)) < 0)
		return found;
	while ((found = dir_entry(dir, pos, &e)) > 0) {
		n = put_dirent64((char __user *)buf + done, count - done, e.ino, *pos + 1,
				 S_DT(e.mode), e.name, strlen(e.name));
		if (n < 0)
			return done ? done : n;
		if (n == 0)
			return done ? done : -EINVAL;
		done += n;
		(*pos)++;
	}
	return done ? done : found;
}

static ssize_t dir_read(struct file *f, char __user *buf, size_t count, u64 *pos)
{
	return -EISDIR;
}

static const struct file_operations dir_fops = {
	.read = dir_read,
	.getdents64 = dir_getdents64,
};

static int dir_open(struct inode *inode, struct file *f)
{
	f->f_op = &dir_fops;
	f->private = inode;
	return 0;
}
