/*
 * initrd.c - the initial ramdisk: cpio "newc" archives unpacked into the
 * inode tree, and the read-only regular files they hold.
 *
 * Format (one entry): a 110-byte ASCII header ("070701" or "070702" then
 * 13 eight-digit hex fields), the path name with its NUL (namesize bytes),
 * zero padding to a multiple of 4, the file data (filesize bytes), zero
 * padding to a multiple of 4.  Offsets are counted from the start of the
 * initrd, as Linux does.  An entry named TRAILER!!! ends an archive;
 * several archives may follow each other, with zero bytes in between.
 * Paths are relative ("bin/sh", "./bin/sh", "bin"); missing parent
 * directories are created.  A later entry for an existing file replaces
 * it.  Directories and regular files are kept; symlinks, devices, FIFOs
 * are skipped with a warning; hard links (data stored with the last link
 * only) are not recognised.  File data stays where the loader put it.
 */
#include "kernel/fs.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include <uapi/errno.h>

#define CPIO_HDR_SIZE		110
#define CPIO_TRAILER		"TRAILER!!!"

enum cpio_field {
	CPIO_INO, CPIO_MODE, CPIO_UID, CPIO_GID, CPIO_NLINK, CPIO_MTIME, CPIO_FILESIZE,
	CPIO_DEVMAJOR, CPIO_DEVMINOR, CPIO_RDEVMAJOR, CPIO_RDEVMINOR, CPIO_NAMESIZE,
	CPIO_CHECK, NR_CPIO_FIELDS
};

struct cpio_entry {
	u32 field[NR_CPIO_FIELDS];
	const char *name;		/* NUL-terminated, inside the archive */
	const u8 *data;
	size_t next;			/* offset of the following header */
};

/* ---- reading files ---- */

static ssize_t initrd_read(struct file *f, char __user *buf, size_t count, u64 *pos)
{
	const struct inode *inode = f->private;

	return simple_read_from_buffer(buf, count, pos, inode->data, inode->size);
}

static const struct file_operations initrd_fops = {
	.read = initrd_read,
};

static int initrd_open(struct inode *inode, struct file *f)
{
	f->f_op = &initrd_fops;
	f->private = inode;
	return 0;
}

int initrd_find(const char *path, const u8 **data, size_t *size)
{
	struct inode *inode;
	int err = vfs_walk(current_cwd(), path, &inode, NULL);

	if (err)
		return err;
	if (S_ISDIR(inode->mode))
		err = -EISDIR;
	else if (inode->open != initrd_open)
		err = -EACCES;		/* a device or pseudo-file: not executable */
	else {
		*data = inode->data;	/* initrd inodes are tree inodes: never freed */
		*size = inode->size;
	}
	iput(inode);
	return err;
}

/* ---- parsing ---- */

/* Parse 8 hex digits; false when one is not a hex digit. */
static bool parse_hex8(const char *s, u32 *val)
{
	u32 v = 0;

	for (int i = 0; i < 8; i++) {
		char c = s[i];
		u32 d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return false;
		v = v << 4 | d;
	}
	*val = v;
	return true;
}

/* Decode the entry whose header is at off; 0 or -EINVAL (with a message). */
static int cpio_parse_entry(const u8 *buf, size_t size, size_t off, struct cpio_entry *e)
{
	const char *hdr = (const char *)buf + off;
	size_t name_off = off + CPIO_HDR_SIZE, data_off, namesize;

	if (size - off < CPIO_HDR_SIZE || (memcmp(hdr, "070701", 6) && memcmp(hdr, "070702", 6))) {
		pr_err("initrd: no cpio newc header at offset %zu\n", off);
		return -EINVAL;
	}
	for (int i = 0; i < NR_CPIO_FIELDS; i++) {
		if (!parse_hex8(hdr + 6 + 8 * i, &e->field[i])) {
			pr_err("initrd: bad header field at offset %zu\n", off + 6 + 8 * i);
			return -EINVAL;
		}
	}
	namesize = e->field[CPIO_NAMESIZE];
	data_off = ALIGN(name_off + namesize, 4);
	if (namesize == 0 || namesize > size - name_off || buf[name_off + namesize - 1] ||
	    strlen((const char *)buf + name_off) != namesize - 1 ||
	    data_off > size || e->field[CPIO_FILESIZE] > size - data_off) {
		pr_err("initrd: entry at offset %zu is truncated or malformed\n", off);
		return -EINVAL;
	}
	e->name = (const char *)buf + name_off;
	e->data = buf + data_off;
	e->next = min(ALIGN(data_off + e->field[CPIO_FILESIZE], 4), size);
	return 0;
}

/* Add or replace the regular file of entry e at path under root. */
static int initrd_add_file(struct inode *root, const char *path, const struct cpio_entry *e)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	struct inode *dir = inode_make_dirs(root, path, base - path, S_IFDIR | 0755);
	struct inode *inode;

	if (!dir || !*base || !strcmp(base, ".") || !strcmp(base, "..") || strlen(base) > NAME_MAX)
		return -EINVAL;
	inode = inode_lookup_child(dir, base, strlen(base));
	if (inode && inode->open != initrd_open)
		return -EINVAL;
	if (!inode) {
		inode = inode_create(dir, base, strlen(base), e->field[CPIO_MODE]);
		if (!inode)
			return -ENOMEM;
		inode->write_err = -EROFS;
		inode->open = initrd_open;
	}
	inode->mode = e->field[CPIO_MODE];
	inode->data = e->data;
	inode->size = e->field[CPIO_FILESIZE];
	return 0;
}

/* Add the directory of entry e at path under root (its mode replaces an implicit one). */
static int initrd_add_dir(struct inode *root, const char *path, const struct cpio_entry *e)
{
	struct inode *dir = inode_make_dirs(root, path, strlen(path), S_IFDIR | 0755);

	if (!dir)
		return -EINVAL;
	dir->mode = e->field[CPIO_MODE];
	return 0;
}

/* Put entry e into the tree; a bad name or type only costs a warning. */
static void initrd_add_entry(struct inode *root, const struct cpio_entry *e)
{
	const char *path = e->name;
	u32 type = e->field[CPIO_MODE] & S_IFMT;
	int err = 0;

	while (path[0] == '/' || (path[0] == '.' && path[1] == '/'))
		path += path[0] == '/' ? 1 : 2;
	if (path[0] == 0 || strcmp(path, ".") == 0)
		return;				/* the root itself */
	if (type == S_IFREG)
		err = initrd_add_file(root, path, e);
	else if (type == S_IFDIR)
		err = initrd_add_dir(root, path, e);
	else
		pr_warn("initrd: %s: file type %o not supported, skipped\n", e->name, type);
	if (err)
		pr_warn("initrd: %s: cannot add (%d), skipped\n", e->name, err);
}

int initrd_unpack(struct inode *root, const void *data, size_t size)
{
	const u8 *buf = data;
	struct cpio_entry e;
	size_t off = 0;

	for (;;) {
		while (off < size && buf[off] == 0)
			off++;			/* padding between archives */
		if (off == size)
			return 0;
		if (!IS_ALIGNED(off, 4)) {
			pr_err("initrd: archive at offset %zu is not 4-byte aligned\n", off);
			return -EINVAL;
		}
		if (cpio_parse_entry(buf, size, off, &e))
			return -EINVAL;
		if (strcmp(e.name, CPIO_TRAILER))
			initrd_add_entry(root, &e);
		off = e.next;
	}
}

void initrd_init(const void *data, size_t size)
{
	if (initrd_unpack(&vfs_root, data, size))
		pr_err("initrd: unpacking stopped at the error above\n");
	else
		pr_info("initrd: %zu bytes unpacked\n", size);
}
