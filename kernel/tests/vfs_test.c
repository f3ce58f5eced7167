/*
 * vfs_test.c - boot tests of the file layer that need no user memory:
 * cpio newc unpacking (single, concatenated, malformed archives), path
 * lookup edge cases, the O_* checks of open, pseudo-file registration with
 * show/store and the snapshot buffer, file reference counts through
 * files_dup/files_put, and the live tree vfs_init built.  Each test builds
 * a private tree (archives are generated here with a small newc writer),
 * frees it, and checks that no page leaked.
 */
#include "kernel/fs.h"
#include "kernel/ktest.h"
#include "kernel/printk.h"
#include "kernel/slab.h"
#include "kernel/string.h"
#include "mm/mm.h"
#include <uapi/errno.h>

/* ---- a newc writer ---- */

struct cpio_writer {
	u8 *buf;	/* zero-filled, so padding is already there */
	size_t off, cap;
};

/* Append one entry; false when it does not fit. */
static bool cpio_put(struct cpio_writer *w, const char *name, u32 mode, const char *data)
{
	size_t namesize = strlen(name) + 1, len = data ? strlen(data) : 0;
	char hdr[111];

	if (w->off + 110 + namesize + len + 8 > w->cap)
		return false;
	snprintf(hdr, sizeof(hdr), "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 (u32)w->off, mode, 0, 0, 1, 0, (u32)len, 0, 0, 0, 0, (u32)namesize, 0);
	memcpy(w->buf + w->off, hdr, 110);
	memcpy(w->buf + w->off + 110, name, namesize);
	w->off = ALIGN(w->off + 110 + namesize, 4);
	memcpy(w->buf + w->off, data, len);
	w->off = ALIGN(w->off + len, 4);
	return true;
}

/* End the archive and pad it to 512 bytes, as cpio(1) does. */
static bool cpio_end(struct cpio_writer *w)
{
	if (!cpio_put(w, "TRAILER!!!", 0, NULL))
		return false;
	w->off = ALIGN(w->off, 512);
	return w->off <= w->cap;
}

static bool cpio_writer_init(struct cpio_writer *w)
{
	w->cap = 8192;
	w->off = 0;
	w->buf = kzalloc(w->cap);
	return w->buf != NULL;
}

/* The first archive of the tests: a root entry, dirs, files, implicit parents. */
static bool cpio_first(struct cpio_writer *w)
{
	return cpio_put(w, ".", S_IFDIR | 0755, NULL) &&
	       cpio_put(w, "bin", S_IFDIR | 0755, NULL) &&
	       cpio_put(w, "bin/sh", S_IFREG | 0755, "#!shell") &&
	       cpio_put(w, "./etc/motd", S_IFREG | 0644, "hello\n") &&
	       cpio_put(w, "usr/lib/x/y", S_IFREG | 0644, "y") &&
	       cpio_put(w, "bin/empty", S_IFREG | 0644, NULL) &&
	       cpio_put(w, "dev/null", S_IFCHR | 0666, NULL) &&
	       cpio_end(w);
}

/* Look path up in root's tree; the inode or NULL. */
static struct inode *find(struct inode *root, const char *path)
{
	struct inode *inode;

	return vfs_walk(root, path, &inode, NULL) ? NULL : inode;
}

static int walk_err(struct inode *start, const char *path)
{
	struct inode *inode;
	int err = vfs_walk(start, path, &inode, NULL);

	if (!err)
		iput(inode);
	return err;
}

/* ---- cpio ---- */

KTEST(initrd_unpack_newc)
{
	unsigned long before = nr_free_pages();
	struct cpio_writer w;
	struct inode *root, *sh, *dir;

	KT_ASSERT(cpio_writer_init(&w) && cpio_first(&w));
	root = inode_new_root();
	KT_ASSERT(root);
	KT_ASSERT_EQ(initrd_unpack(root, w.buf, w.off), 0);
	sh = find(root, "/bin/sh");
	KT_ASSERT(sh);
	KT_ASSERT_EQ(sh->size, 7);
	KT_ASSERT(sh->data > w.buf && sh->data < w.buf + w.off);	/* zero copy */
	KT_ASSERT(memcmp(sh->data, "#!shell", 7) == 0);
	KT_ASSERT_EQ(sh->mode, S_IFREG | 0755);
	KT_ASSERT(find(root, "/etc/motd") && find(root, "/etc/motd")->size == 6);
	KT_ASSERT_EQ(find(root, "/bin/empty")->size, 0);
	dir = find(root, "/usr/lib/x");
	KT_ASSERT(dir && S_ISDIR(dir->mode));
	KT_ASSERT(find(root, "/usr/lib/x/y"));
	KT_ASSERT(!find(root, "/dev/null"));		/* devices are skipped */
	KT_ASSERT(!find(root, "/TRAILER!!!"));
	/* Children are kept sorted by name: empty < sh. */
	KT_ASSERT(strcmp(list_first_entry(&find(root, "/bin")->children, struct inode,
					  sibling)->name, "empty") == 0);
	inode_tree_free(root);
	kfree(w.buf);
	KT_ASSERT_EQ(nr_free_pages(), before);
}

KTEST(initrd_unpack_concatenated)
{
	unsigned long before = nr_free_pages();
	struct cpio_writer w;
	struct inode *root;

	KT_ASSERT(cpio_writer_init(&w) && cpio_first(&w));
	KT_ASSERT(cpio_put(&w, "bin/sh", S_IFREG | 0755, "#!newer shell"));	/* replaces */
	KT_ASSERT(cpio_put(&w, "bin/ls", S_IFREG | 0755, "ls"));
	KT_ASSERT(cpio_end(&w));
	w.off += 64;					/* trailing zeros after the last archive */
	root = inode_new_root();
	KT_ASSERT(root);
	KT_ASSERT_EQ(initrd_unpack(root, w.buf, w.off), 0);
	KT_ASSERT(find(root, "/bin/ls") && find(root, "/etc/motd"));
	KT_ASSERT_EQ(find(root, "/bin/sh")->size, 13);
	inode_tree_free(root);
	kfree(w.buf);
	KT_ASSERT_EQ(nr_free_pages(), before);
}

KTEST(initrd_unpack_malformed)
{
	unsigned long before = nr_free_pages();
	struct cpio_writer w;
	struct inode *root = inode_new_root();
	size_t len;

	KT_ASSERT(root && cpio_writer_init(&w) && cpio_first(&w));
	len = w.off;
	/* "." and "bin" take 228 bytes; bin/sh's data starts at 348: cut inside it. */
	KT_ASSERT_EQ(initrd_unpack(root, w.buf, 350), -EINVAL);
	KT_ASSERT_EQ(initrd_unpack(root, w.buf, 100), -EINVAL);	/* truncated header */
	w.buf[len + 1] = '7';					/* garbage after the trailer */
	KT_ASSERT_EQ(initrd_unpack(root, w.buf, len + 8), -EINVAL);
	w.buf[len + 1] = 0;
	w.buf[0] = '1';						/* bad magic */
	KT_ASSERT_EQ(initrd_unpack(root, w.buf, len), -EINVAL);
	w.buf[0] = '0';
	w.buf[6 + 8] = 'g';					/* bad hex in c_mode */
	KT_ASSERT_EQ(initrd_unpack(root, w.buf, len), -EINVAL);
	inode_tree_free(root);
	kfree(w.buf);
	KT_ASSERT_EQ(nr_free_pages(), before);
}

/* ---- lookup and open ---- */

KTEST(vfs_path_lookup_edge_cases)
{
	unsigned long before = nr_free_pages();
	struct cpio_writer w;
	struct inode *root = inode_new_root(), *sh, *bin, *parent = NULL, *res;
	char longname[NAME_MAX + 3];

	KT_ASSERT(root && cpio_writer_init(&w) && cpio_first(&w));
	KT_ASSERT_EQ(initrd_unpack(root, w.buf, w.off), 0);
	sh = find(root, "/bin/sh");
	bin = find(root, "/bin");
	KT_ASSERT(sh && bin);
	KT_ASSERT(find(root, "/") == root);
	KT_ASSERT(find(root, "//bin///sh") == sh);
	KT_ASSERT(find(root, "/bin/./sh") == sh);
	KT_ASSERT(find(root, "/bin/../bin/sh") == sh);
	KT_ASSERT(find(root, "/../../bin/sh") == sh);		/* ".." of the root is the root */
	KT_ASSERT(find(root, "bin/sh") == sh);			/* relative to the start */
	KT_ASSERT(find(bin, "sh") == sh);
	KT_ASSERT(find(bin, "..") == root);
	KT_ASSERT(find(bin, "/etc/motd") == find(root, "/etc/motd"));
	KT_ASSERT(find(root, "/bin/") == bin);
	KT_ASSERT(find(root, "/bin/.") == bin);
	KT_ASSERT_EQ(walk_err(root, ""), -ENOENT);
	KT_ASSERT_EQ(walk_err(root, "/bin/sh/"), -ENOTDIR);
	KT_ASSERT_EQ(walk_err(root, "/bin/sh/."), -ENOTDIR);
	KT_ASSERT_EQ(walk_err(root, "/bin/sh/x"), -ENOTDIR);
	KT_ASSERT_EQ(walk_err(root, "/nope/x"), -ENOENT);
	KT_ASSERT_EQ(vfs_walk(root, "/nope/x", &res, &parent), -ENOENT);
	KT_ASSERT(parent == NULL);				/* not the last component */
	KT_ASSERT_EQ(vfs_walk(root, "/bin/nope/", &res, &parent), -ENOENT);
	KT_ASSERT(parent == bin);
	memset(longname, 'a', sizeof(longname) - 1);
	longname[0] = '/';
	longname[sizeof(longname) - 1] = 0;			/* one component of NAME_MAX + 1 */
	KT_ASSERT_EQ(walk_err(root, longname), -ENAMETOOLONG);
	inode_tree_free(root);
	kfree(w.buf);
	KT_ASSERT_EQ(nr_free_pages(), before);
}

/* ---- entries made on demand and symlinks ---- */

static int dyn_made;	/* dynamic inodes made by dyn_lookup */

static const struct inode_dyn_ops dyn_dir_ops;

/* A dynamic directory "x" (whose lookups make more of it) or a file "f"; anything else -ENOENT. */
static int dyn_lookup(struct inode *dir, const char *name, size_t len, struct inode **res)
{
	bool is_dir = len == 1 && name[0] == 'x';

	if (!is_dir && !(len == 1 && name[0] == 'f'))
		return -ENOENT;
	*res = inode_new_dynamic(dir, name, len, is_dir ? S_IFDIR | 0555 : S_IFREG | 0444);
	if (!*res)
		return -ENOMEM;
	(*res)->dyn = is_dir ? &dyn_dir_ops : NULL;
	dyn_made++;
	return 0;
}

static const struct inode_dyn_ops dyn_dir_ops = { .lookup = dyn_lookup };

/* The test links' targets: l -> d/x, loop -> loop, up -> ../d. */
static int dyn_get_link(const struct inode *link, char *buf, size_t size)
{
	const char *target = !strcmp(link->name, "l") ? "d/x" : !strcmp(link->name, "up") ? "../d" : "loop";

	return snprintf(buf, size, "%s", target);
}

static const struct inode_dyn_ops dyn_link_ops = { .get_link = dyn_get_link };

static struct inode *dyn_link(struct inode *dir, const char *name)
{
	struct inode *link = inode_create(dir, name, strlen(name), S_IFLNK | 0777);

	if (link)
		link->dyn = &dyn_link_ops;
	return link;
}

KTEST(vfs_dynamic_inodes_and_symlinks)
{
	unsigned long before = nr_free_pages();
	struct inode *root = inode_new_root(), *d, *res, *x;

	KT_ASSERT(root && (d = inode_make_dirs(root, "d", 1, S_IFDIR | 0755)));
	d->dyn = &dyn_dir_ops;
	KT_ASSERT(dyn_link(root, "l") && dyn_link(root, "loop") && dyn_link(d, "up"));
	/* Made on demand, counted: the file holds its directory, the directory its static parent. */
	KT_ASSERT_EQ(vfs_walk(root, "/d/x/x/f", &res, NULL), 0);
	KT_ASSERT_EQ(dyn_made, 3);
	x = res->parent;
	KT_ASSERT(res->i_count == 1 && x->i_count == 1 && x->parent->i_count == 1 && x->parent->parent == d);
	KT_ASSERT(iget(res) == res && res->i_count == 2);
	iput(res);
	KT_ASSERT_EQ(res->i_count, 1);
	iput(res);					/* frees f, then both x */
	KT_ASSERT_EQ(vfs_walk(root, "/d/x/..", &res, NULL), 0);
	KT_ASSERT(res == d && d->i_count == 0);		/* the static parent; x gone again */
	iput(res);
	KT_ASSERT_EQ(walk_err(root, "/d/x/nope"), -ENOENT);
	KT_ASSERT_EQ(walk_err(root, "/d/x/f/"), -ENOTDIR);
	/* Symlinks: followed in the middle and at the end, not at the end under LOOKUP_NOFOLLOW. */
	KT_ASSERT_EQ(vfs_walk(root, "/l/f", &res, NULL), 0);
	KT_ASSERT(!strcmp(res->name, "f") && !strcmp(res->parent->name, "x"));
	iput(res);
	KT_ASSERT_EQ(vfs_walk(root, "/l", &res, NULL), 0);
	KT_ASSERT(S_ISDIR(res->mode) && !strcmp(res->name, "x"));
	iput(res);
	KT_ASSERT_EQ(vfs_lookup(root, "/l", LOOKUP_NOFOLLOW, &res, NULL), 0);
	KT_ASSERT(S_ISLNK(res->mode));
	iput(res);
	KT_ASSERT_EQ(vfs_lookup(root, "/l/", LOOKUP_NOFOLLOW, &res, NULL), 0);
	KT_ASSERT(S_ISDIR(res->mode));			/* a trailing slash follows */
	iput(res);
	KT_ASSERT_EQ(vfs_walk(root, "/d/up/up/x", &res, NULL), 0);	/* relative to the link's directory */
	KT_ASSERT(!strcmp(res->name, "x") && res->parent == d);
	iput(res);
	KT_ASSERT_EQ(walk_err(root, "/loop"), -ELOOP);
	KT_ASSERT_EQ(walk_err(root, "/loop/x"), -ELOOP);
	inode_tree_free(root);
	KT_ASSERT_EQ(nr_free_pages(), before);
}

static int open_err(struct inode *root, const char *path, int flags)
{
	struct file *f;
	int err = vfs_open(root, path, flags, &f);

	if (!err)
		fput(f);
	return err;
}

KTEST(vfs_open_flags)
{
	unsigned long before = nr_free_pages();
	struct cpio_writer w;
	struct inode *root = inode_new_root();
	struct file *f;

	KT_ASSERT(root && cpio_writer_init(&w) && cpio_first(&w));
	KT_ASSERT_EQ(initrd_unpack(root, w.buf, w.off), 0);
	KT_ASSERT_EQ(vfs_open(root, "/etc/motd", O_RDONLY | O_CLOEXEC, &f), 0);
	KT_ASSERT_EQ(f->refcount, 1);
	KT_ASSERT_EQ(f->size, 6);
	KT_ASSERT_EQ(f->mode, S_IFREG | 0644);
	KT_ASSERT_EQ(f->ino, find(root, "/etc/motd")->ino);
	KT_ASSERT(f->f_op->read && !f->f_op->write && !f->f_op->getdents64);
	fput(f);
	KT_ASSERT_EQ(vfs_open(root, "/bin", O_RDONLY | O_DIRECTORY, &f), 0);
	KT_ASSERT(f->f_op->getdents64 && f->private == find(root, "/bin"));
	fput(f);
	KT_ASSERT_EQ(open_err(root, "/etc/motd", O_WRONLY), -EROFS);
	KT_ASSERT_EQ(open_err(root, "/etc/motd", O_RDWR), -EROFS);
	KT_ASSERT_EQ(open_err(root, "/etc/motd", O_RDONLY | O_TRUNC), -EROFS);
	KT_ASSERT_EQ(open_err(root, "/etc/motd", O_RDONLY | O_DIRECTORY), -ENOTDIR);
	KT_ASSERT_EQ(open_err(root, "/etc", O_WRONLY), -EISDIR);
	KT_ASSERT_EQ(open_err(root, "/etc/new", O_WRONLY | O_CREAT), -EROFS);
	KT_ASSERT_EQ(open_err(root, "/nodir/new", O_WRONLY | O_CREAT), -ENOENT);
	KT_ASSERT_EQ(open_err(root, "/etc/motd", O_RDONLY | O_CREAT | O_EXCL), -EEXIST);
	KT_ASSERT_EQ(open_err(root, "/etc/motd", O_RDONLY | O_CREAT), 0);
	KT_ASSERT_EQ(inode_permission(find(root, "/bin/sh"), X_OK | R_OK), 0);
	KT_ASSERT_EQ(inode_permission(find(root, "/etc/motd"), X_OK), -EACCES);
	KT_ASSERT_EQ(inode_permission(find(root, "/etc/motd"), W_OK), -EROFS);
	inode_tree_free(root);
	kfree(w.buf);
	KT_ASSERT_EQ(nr_free_pages(), before);
}

/* ---- pseudo-files ---- */

static char knob[32] = "always\n";

static long knob_show(char *buf, size_t len)
{
	return snprintf(buf, len, "%s", knob);
}

static long knob_store(const char *buf, size_t len)
{
	if (len >= sizeof(knob) || buf[len] != 0)
		return -EINVAL;
	memcpy(knob, buf, len + 1);
	return len;
}

/* 10000 bytes: more than a page, so the open buffer has to grow to 16 KiB. */
static long big_show(char *buf, size_t len)
{
	if (len >= 10000)
		memset(buf, 'x', 10000);
	return 10000;
}

static long failing_show(char *buf, size_t len)
{
	return -EIO;
}

KTEST(pseudo_file_show_store)
{
	unsigned long before = nr_free_pages(), open_pages;
	struct inode *root = inode_new_root(), *inode;
	char buf[32];
	struct file *f;

	KT_ASSERT(root);
	KT_ASSERT_EQ(pseudo_file_create(root, "/sys/kernel/mm/test/knob", knob_show, knob_store), 0);
	KT_ASSERT_EQ(pseudo_file_create(root, "/proc/big", big_show, NULL), 0);
	KT_ASSERT_EQ(pseudo_file_create(root, "/proc/fail", failing_show, NULL), 0);
	KT_ASSERT_EQ(pseudo_file_create(root, "/proc/big", big_show, NULL), -EEXIST);
	KT_ASSERT_EQ(pseudo_file_create(root, "/proc/big/x", big_show, NULL), -ENOTDIR);
	inode = find(root, "/sys/kernel/mm/test/knob");
	KT_ASSERT(inode && inode->mode == (S_IFREG | 0644));
	KT_ASSERT_EQ(find(root, "/sys/kernel")->mode, S_IFDIR | 0555);
	KT_ASSERT_EQ(find(root, "/proc/big")->mode, S_IFREG | 0444);
	/* store then show: the round trip a write and a later read make. */
	KT_ASSERT_EQ(inode->pseudo.store("never", 5), 5);
	KT_ASSERT_EQ(inode->pseudo.show(buf, sizeof(buf)), 5);
	KT_ASSERT(strcmp(buf, "never") == 0);
	KT_ASSERT_EQ(vfs_open(root, "/sys/kernel/mm/test/knob", O_RDWR, &f), 0);
	KT_ASSERT(f->f_op->write && f->f_op->release);
	fput(f);
	KT_ASSERT_EQ(open_err(root, "/proc/big", O_WRONLY), -EACCES);
	KT_ASSERT_EQ(open_err(root, "/proc/fail", O_RDONLY), -EIO);
	open_pages = nr_free_pages();
	KT_ASSERT_EQ(vfs_open(root, "/proc/big", O_RDONLY, &f), 0);
	KT_ASSERT_MSG(open_pages - nr_free_pages() >= 4, "snapshot took %lu pages",
		      open_pages - nr_free_pages());
	fput(f);					/* release frees the snapshot */
	KT_ASSERT_EQ(nr_free_pages(), open_pages);
	inode_tree_free(root);
	KT_ASSERT_EQ(nr_free_pages(), before);
}

/* ---- descriptor tables ---- */

KTEST(files_dup_put_refcounts)
{
	unsigned long before = nr_free_pages();
	struct inode *root = inode_new_root();
	struct files_struct *files, *copy;
	struct file *f;

	KT_ASSERT(root);
	KT_ASSERT_EQ(pseudo_file_create(root, "/proc/big", big_show, NULL), 0);
	files = kzalloc(sizeof(*files));
	KT_ASSERT(files);
	KT_ASSERT_EQ(vfs_open(root, "/proc/big", O_RDONLY, &f), 0);
	files->fd[0] = files->fd[5] = f;	/* as dup() leaves it */
	f->refcount = 2;
	files->count = 1;
	copy = files_dup(files);
	KT_ASSERT(copy && copy != files);
	KT_ASSERT(copy->fd[0] == f && copy->fd[5] == f && !copy->fd[1]);
	KT_ASSERT_EQ(copy->count, 1);
	KT_ASSERT_EQ(f->refcount, 4);
	files_put(copy);
	KT_ASSERT_EQ(f->refcount, 2);
	files->count = 2;				/* shared by a CLONE_FILES child */
	files_put(files);				/* not the last user: nothing closes */
	KT_ASSERT_EQ(files->count, 1);
	KT_ASSERT_EQ(f->refcount, 2);
	files_put(files);				/* the last reference: released */
	inode_tree_free(root);
	KT_ASSERT_EQ(nr_free_pages(), before);
}

/* ---- the live tree (needs vfs_init before the tests run) ---- */

KTEST(vfs_live_tree)
{
	struct inode *meminfo = find(&vfs_root, "/proc/meminfo"), *console;
	char buf[512];
	long len;

	console = find(&vfs_root, "/dev/console");
	KT_ASSERT_MSG(console && meminfo, "vfs_init has not run");
	KT_ASSERT_EQ(console->mode & S_IFMT, S_IFCHR);
	KT_ASSERT(find(&vfs_root, "/proc/buddyinfo") && find(&vfs_root, "/proc/cmdline") &&
		  find(&vfs_root, "/proc/uptime") && find(&vfs_root, "/proc/version"));
	len = meminfo->pseudo.show(buf, sizeof(buf));
	KT_ASSERT(len > 0 && (size_t)len < sizeof(buf));
	/* "MemTotal:" padded to 16 columns, the number to 8, then " kB". */
	KT_ASSERT_MSG(strncmp(buf, "MemTotal:       ", 16) == 0 && strncmp(buf + 24, " kB\n", 4) == 0,
		      "meminfo starts '%.28s'", buf);
	KT_ASSERT(strncmp(buf + 28, "MemFree:", 8) == 0);
}
