/*
 * fs.h - the inside of the file layer (kernel/vfs.h is its outside).
 *
 * One tree of inodes is the whole name space: directories and regular files
 * unpacked from the initrd (initrd.c), the console character device
 * /dev/console (console.c) and pseudo-files under /proc and /sys
 * (pseudofs.c).  Directories on the way to a registered node are created
 * implicitly.  The tree only grows, during boot and pseudo_file_register();
 * nothing is ever unlinked, so an inode pointer stays valid forever (tests
 * build private trees and free them whole with inode_tree_free()).
 *
 * An open file (struct file, vfs.h) copies mode, size and ino from its
 * inode; inode->open() fills in f_op and private for the inode's kind.
 *
 * Inodes made on demand: a directory with dyn->lookup (/proc) finds names
 * the tree does not hold (/proc/<pid>, kernel/proc_pid.c) and makes an inode
 * for them on each lookup, with a reference count (i_count 1) and one
 * reference on its parent; iput() of the last reference frees it.  Tree
 * inodes have i_count 0 and iget/iput leave them alone.  Whoever keeps an
 * inode past a call keeps a reference: an open file (file->inode), a working
 * directory (task->cwd), vfs_walk's result until the caller's iput().
 * A symlink (S_IFLNK, dyn->get_link: /proc/self) is followed by vfs_walk
 * except as the last component of a LOOKUP_NOFOLLOW walk (lstat, readlink).
 *
 * Lock legend for struct inode: (b) written while the tree is built (boot,
 * registration, in process context), read-only afterwards; (c) constant;
 * (r) the reference count, changed in process context.
 */
#ifndef KERNEL_FS_H
#define KERNEL_FS_H

#include "kernel/list.h"
#include "kernel/types.h"
#include "kernel/vfs.h"
#include <uapi/fcntl.h>	/* O_*, AT_*, F_OK .. R_OK (also the inode_permission() masks) */

/* linux_dirent64.d_type from a mode: DT_CHR 2, DT_DIR 4, DT_REG 8. */
#define S_DT(m)		(((m) & S_IFMT) >> 12)

struct inode;
struct task_struct;

/* What a directory makes on demand, or a symlink points at (kernel/proc_pid.c). */
struct inode_dyn_ops {
	/*
	 * The entry of dir named name[0..len) the tree does not hold: 0 and a new
	 * inode (i_count 1) in *res, or -ENOENT, -ESRCH (the process is gone), -ENOMEM.
	 */
	int (*lookup)(struct inode *dir, const char *name, size_t len, struct inode **res);
	/*
	 * The first such entry (for getdents64, after the tree's children) whose key is
	 * *key or more: 1 with its key in *key, its name (in name[NAME_MAX + 1]), ino and
	 * mode; 0 past the end; or -errno.  A key names its entry for good (a pid, a
	 * static template's index): an entry that goes away moves no other (namei.c).
	 */
	int (*entry)(const struct inode *dir, u64 *key, char *name, u64 *ino, u32 *mode);
	/* A symlink's target into buf (size bytes, NUL-terminated): its length, or -errno. */
	int (*get_link)(const struct inode *link, char *buf, size_t size);
};

struct inode {
	u32 mode;				/* (b) S_IF* | permission bits */
	int i_count;				/* (r) references of an inode made on demand; 0: a tree inode */
	int pid;				/* (c) /proc/<pid>/ inodes: the process; 0 for the others */
	const struct inode_dyn_ops *dyn;	/* (b) entries made on demand, a symlink's target; or NULL */
	int write_err;				/* (c) 0 when writable, else -EROFS/-EACCES */
	u64 ino;				/* (c) */
	u64 size;				/* (b) bytes of an initrd file, else 0 */
	struct inode *parent;			/* (c) the root is its own parent */
	struct list_head children;		/* (b) directory entries, sorted by name */
	struct list_head sibling;		/* (b) link in parent->children */
	/* (b) Set up f for this inode: f_op and private; 0 or -errno. */
	int (*open)(struct inode *inode, struct file *f);
	union {					/* (b) the kind's data */
		const u8 *data;			/* initrd file: its bytes, zero copy */
		struct {			/* pseudo-file: show/store, or the _data pair */
			long (*show)(char *buf, size_t len);
			long (*store)(const char *buf, size_t len);
			long (*show_data)(void *data, char *buf, size_t len);
			long (*store_data)(void *data, const char *buf, size_t len);
			void *data;	/* passed to the _data pair */
			/* raw (binary) pseudo-file: read at an offset, chunk by chunk */
			ssize_t (*raw_read)(char *buf, size_t count, u64 pos);
			unsigned int raw_align;	/* offsets and sizes: multiples of it */
			/* a /proc/<pid>/ file: of the process t (inode->pid), at the first read */
			long (*show_task)(struct task_struct *t, char *buf, size_t len);
			long (*store_task)(struct task_struct *t, const char *buf, size_t len);
			ssize_t (*raw_read_task)(struct task_struct *t, char *buf, size_t count, u64 pos);
		} pseudo;
	};
	/* (b) a /proc/<pid>/ file with its own operations (mem): set up f for the process t */
	int (*open_task)(struct task_struct *t, struct file *f);
	char name[];				/* (c) NUL-terminated, "" for a root */
};

/* ---- namei.c: the tree and path lookup ---- */

extern struct inode vfs_root;

/* A new empty tree (tests); NULL when out of memory. */
struct inode *inode_new_root(void);
/* Free root and everything below it (tests; never the live tree). */
void inode_tree_free(struct inode *root);
/* The child of dir named name[0..len) in the tree, or NULL. */
struct inode *inode_lookup_child(const struct inode *dir, const char *name, size_t len);
/*
 * A new inode made on demand (dyn->lookup) below parent, named name[0..len),
 * i_count 1, holding a reference on parent, ino 0 (the maker numbers it); NULL when out of memory.
 */
struct inode *inode_new_dynamic(struct inode *parent, const char *name, size_t len, u32 mode);
/* Take a reference on inode (a tree inode needs none); returns inode. */
struct inode *iget(struct inode *inode);
/* Drop one (NULL and tree inodes: nothing); the last frees it and drops its parent's. */
void iput(struct inode *inode);
/*
 * Add a child named name[0..len) with the given mode to dir (no such child
 * may exist).  A directory gets the directory file operations and
 * write_err -EROFS; other kinds set open and write_err themselves.
 * NULL when out of memory.
 */
struct inode *inode_create(struct inode *dir, const char *name, size_t len, u32 mode);
/*
 * mkdir -p: walk path[0..len) below dir ("." and empty components skipped,
 * ".." refused), creating missing directories with dir_mode.  Returns the
 * last directory, or NULL when a component is not a directory, is "..",
 * is longer than NAME_MAX, or memory ran out.
 */
struct inode *inode_make_dirs(struct inode *dir, const char *path, size_t len, u32 dir_mode);
/*
 * Resolve path: absolute from the root of start's tree, relative from start
 * (a directory).  Handles ".", "..", repeated slashes, a trailing slash
 * (which requires a directory) and symlinks (followed, but not as the last
 * component under LOOKUP_NOFOLLOW).  0 with *res set and referenced (the
 * caller iput()s it), or -ENOENT, -ENOTDIR, -ENAMETOOLONG (a component over
 * NAME_MAX), -ELOOP, -ENOMEM.  When only the last component is missing and
 * parent is not NULL, *parent says so (its directory, for O_CREAT's
 * -EROFS only: no reference is kept on it).
 */
#define LOOKUP_NOFOLLOW	1
int vfs_lookup(struct inode *start, const char *path, unsigned int flags, struct inode **res,
	       struct inode **parent);
/* vfs_lookup following every symlink. */
int vfs_walk(struct inode *start, const char *path, struct inode **res, struct inode **parent);
/* 0 when the inode may be accessed with mask (R_OK|W_OK|X_OK), else -EACCES/-EROFS. */
int inode_permission(const struct inode *inode, int mask);
/* Copy a user path into a new kmalloc'd buffer: 0 or -EFAULT/-ENAMETOOLONG/-ENOMEM. */
int getname(const char __user *upath, char **res);

/* ---- fd.c: open files and descriptors ---- */

/* A new struct file with refcount 1, or NULL. */
struct file *file_alloc(void);
/* Drop a reference; the last one releases and frees the file. */
void fput(struct file *f);
/* The file open as fd in current's table, or NULL (no reference taken). */
struct file *fdget(int fd);
/* Put f at the lowest free descriptor (takes over the caller's reference); fd or -EMFILE. */
int fd_install(struct file *f, bool cloexec);
/* The same at the lowest free descriptor >= from (fcntl F_DUPFD). */
int fd_install_from(struct file *f, int from, bool cloexec);
/* Set or clear fd's close-on-exec bit; read it (fd open in current's table). */
void fd_set_cloexec(struct files_struct *files, int fd, bool cloexec);
bool fd_get_cloexec(int fd);
/* Empty descriptor fd again without dropping its file's reference (undoing fd_install). */
void fd_uninstall(int fd);
/* Take one more reference on f (dup, fork). */
void file_get(struct file *f);

/* ---- memfd.c ---- */

/* fcntl F_ADD_SEALS / F_GET_SEALS on f (Linux's memfd_fcntl): -EINVAL when f is no memfd. */
long memfd_fcntl(struct file *f, unsigned int cmd, unsigned long arg);

/* ---- cwd.c ---- */

/* current's working directory: where relative paths start (the root until chdir). */
struct inode *current_cwd(void);
/*
 * The absolute path of inode, built from the end of buf[0..size) backwards
 * (Linux's prepend_path): its start, or NULL when it does not fit.
 */
char *inode_path(const struct inode *inode, char *buf, size_t size);

/* ---- open.c ---- */

/* Open path (see vfs_walk for start) with O_* flags: 0 and *res, or -errno. */
int vfs_open(struct inode *start, const char *path, int flags, struct file **res);
/* The directory a *at() call starts from: the root for absolute paths and AT_FDCWD. */
int at_start(int dirfd, const char *path, struct inode **start);

/* ---- the kinds ---- */

/* initrd.c: unpack concatenated newc archives under root; 0 or -EINVAL (stops at the error). */
int initrd_unpack(struct inode *root, const void *data, size_t size);
/* pseudofs.c: pseudo_file_register() into the tree of root; 0, -EEXIST, -ENOTDIR, -ENOMEM. */
int pseudo_file_create(struct inode *root, const char *path,
		       long (*show)(char *buf, size_t len),
		       long (*store)(const char *buf, size_t len));
/* The same for pseudo_file_register_data(). */
int pseudo_file_create_data(struct inode *root, const char *path,
			    long (*show)(void *data, char *buf, size_t len),
			    long (*store)(void *data, const char *buf, size_t len),
			    void *data);
/* The same for pseudo_file_register_raw(). */
int pseudo_file_create_raw(struct inode *root, const char *path,
			   ssize_t (*read)(char *buf, size_t count, u64 pos), unsigned int align);
/* Run a pseudo-file inode's show (or store, -EACCES when read-only), whichever pair it has. */
long pseudo_show(const struct inode *inode, char *buf, size_t len);
long pseudo_store(const struct inode *inode, const char *buf, size_t len);
/* folio.trace=on: a write of buf[0..len) to inode returned ret; one below /sys/kernel/mm/ is
 * recorded (FT_KNOB, kernel/foliotrace_syscall.c). */
void foliotrace_pseudo_write(const struct inode *inode, const char *buf, size_t len, long ret);
/* console.c: create /dev/console. */
void console_register(void);
/* proc.c: register /proc/meminfo, buddyinfo, cmdline, uptime, version. */
void proc_register(void);
/* proc_status.c: register /proc/<pid>/status. */
void proc_status_register(void);
/* proc_mem.c: register /proc/<pid>/mem. */
void proc_mem_register(void);
/* /proc/<pid>/status of t into buf (len bytes); its length, snprintf-style. */
long proc_pid_status(struct task_struct *t, char *buf, size_t len);
/* t's state as status shows it: "R (running)", "S (sleeping)", "Z (zombie)" (stat: its letter). */
const char *task_state_name(const struct task_struct *t);
/* The signals t ignores (SIG_IGN) or catches (a handler): Linux's collect_sigign_sigcatch. */
void task_sigign_sigcatch(const struct task_struct *t, u64 *ign, u64 *catch);
/* proc_pid_stat.c: register /proc/<pid>/stat, cmdline, comm. */
void proc_pid_stat_register(void);
/* proc_pid.c: /proc/self and the /proc/<pid>/ directories (before the files are registered). */
void proc_pid_init(void);
/* pseudofs.c: open of a /proc/<pid>/ pseudo-file made from a template (proc_pid.c). */
int pseudo_open(struct inode *inode, struct file *f);
/* proc_pid.c: the live process a /proc/<pid>/ inode is for (zombies too), or NULL once reaped. */
struct task_struct *proc_inode_task(const struct inode *inode);
/* proc_pid.c: the private tree of the /proc/<pid>/ file templates (pseudofs registers into it). */
struct inode *proc_pid_template_root(void);

struct iovec;
/* vfs.c: copy in and check (as Linux's import_iovec) iovcnt iovecs: 0 and *res (kfree it), or -errno. */
long iovec_import(const struct iovec __user *uiov, int iovcnt, struct iovec **res);
/*
 * vfs.c: read (write: write) the iovcnt buffers in turn at f->pos; a short
 * transfer ends it; bytes, or -errno when the first one failed.
 */
ssize_t vfs_iov_rw(struct file *f, const struct iovec *iov, int iovcnt, bool write);
/* vfs.c: copy what is left of from[0..available) at *pos to user to; bytes or -EFAULT. */
ssize_t simple_read_from_buffer(char __user *to, size_t count, u64 *pos,
				const void *from, size_t available);

#endif
