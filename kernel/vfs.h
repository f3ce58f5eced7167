/*
 * vfs.h - files, file descriptors and the tiny file system.
 *
 * Three kinds of files: read-only regular files and directories from the
 * initrd (cpio newc, mounted at /), the console (fds 0, 1, 2 of init), and
 * pseudo-files under /proc and /sys whose contents a kernel subsystem
 * generates on open (show) and parses on write (store).  Pipes
 * (kernel/pipe.c) and memfds (kernel/memfd.c: shmem objects) have no name.  Files are not the
 * point of foliOS: no page cache, no mounts, no permissions.
 *
 * Lock legend: (o) only the owning task touches its files_struct; (c)
 * constant after open; struct file refcounts change only in process context.
 */
#ifndef KERNEL_VFS_H
#define KERNEL_VFS_H

#include "kernel/syscall.h"
#include "kernel/types.h"
#include <uapi/limits.h>	/* PATH_MAX */
#include <uapi/stat.h>	/* S_IF*, S_IS* */

#define NR_OPEN_DEFAULT	64

struct file;
struct vm_area_struct;

struct file_operations {
	/* Copy up to count bytes at *pos to user buf; advance *pos; bytes or -errno. */
	ssize_t (*read)(struct file *f, char __user *buf, size_t count, u64 *pos);
	ssize_t (*write)(struct file *f, const char __user *buf, size_t count, u64 *pos);
	/* Fill user buf with struct linux_dirent64 records from *pos; bytes or -errno. */
	long (*getdents64)(struct file *f, void __user *buf, size_t count, u64 *pos);
	long (*ioctl)(struct file *f, unsigned int cmd, unsigned long arg);
	/* lseek of its own (/proc/<pid>/mem): the new position or -errno; NULL: the generic one. */
	long (*llseek)(struct file *f, long offset, unsigned int whence);
	/* The POLL* events ready now (kernel/poll.c); NULL: always readable and writable. */
	unsigned int (*poll)(struct file *f);
	/* ftruncate to length (checked >= 0); 0 or -errno.  NULL: -EINVAL (not a writable regular file). */
	long (*ftruncate)(struct file *f, u64 length);
	/* fallocate (mode and range checked by sys_fallocate); 0 or -errno.  NULL: -EOPNOTSUPP. */
	long (*fallocate)(struct file *f, int mode, u64 offset, u64 len);
	/* mmap: attach the file's memory to the new vma (not yet linked); 0 or -errno.  NULL: -ENODEV. */
	int (*mmap)(struct file *f, struct vm_area_struct *vma);
	void (*release)(struct file *f);
};

struct file {
	const struct file_operations *f_op;	/* (c) */
	int refcount;				/* fds and forks sharing it */
	int flags;				/* (o) O_* from open; fcntl F_SETFL changes O_APPEND, O_NONBLOCK */
	u32 mode;				/* (c) S_IF* | permission bits */
	u64 size;				/* (c) for fstat and SEEK_END */
	u64 pos;				/* read/write position */
	u64 ino;				/* (c) for fstat/getdents */
	struct inode *inode;			/* (c) its inode, referenced; NULL for pipes */
	void *private;				/* (c) the kind's own data */
};

struct files_struct {
	int count;				/* tasks sharing it (clone CLONE_FILES); changed with
						 * interrupts off (several CPUs: an atomic) */
	struct file *fd[NR_OPEN_DEFAULT];	/* (o) (several CPUs: Linux's file_lock) */
	u64 close_on_exec;			/* (o) bit fd: close at execve (O_CLOEXEC) */
};

/* A files_struct with the console open as fds 0, 1 and 2 (for init). */
struct files_struct *files_alloc_console(void);
/* A copy for fork: same open files, each refcount + 1; count 1. */
struct files_struct *files_dup(const struct files_struct *files);
/* Drop a task's use (exit): the last one closes everything and frees. */
void files_put(struct files_struct *files);
/* execve: current's own copy of a table it shares (CLONE_FILES with another process).  0 or -ENOMEM. */
int unshare_files(void);
/* execve: close the descriptors marked close-on-exec. */
void files_close_on_exec(struct files_struct *files);

/* Find an initrd file by absolute path; 0 and its bytes (in kernel memory), or -ENOENT/-EISDIR. */
int initrd_find(const char *path, const u8 **data, size_t *size);
/* Parse the initrd at [data, data+size) (concatenated newc archives allowed). */
void initrd_init(const void *data, size_t size);

/*
 * Register a pseudo-file.  show(buf, len) writes the whole contents into
 * buf (at most len bytes, NUL not needed) and returns the length, or
 * -errno; it runs at open, in the opening task's context.  (A file of
 * every process goes under /proc/<pid>/ through proc_pid_file_register()
 * below: /proc/self is a symlink, "/proc/self/..." paths cannot be
 * registered.)  store(buf, len) receives what a write() passed
 * (NUL-terminated copy) and returns len or -errno; NULL means read-only.
 * Directories along the path are created implicitly.
 */
void pseudo_file_register(const char *path, long (*show)(char *buf, size_t len),
			  long (*store)(const char *buf, size_t len));
/*
 * The same for a family of files sharing one show/store (one per size, per
 * counter, ...): each call passes the file's own data pointer.
 */
void pseudo_file_register_data(const char *path,
			       long (*show)(void *data, char *buf, size_t len),
			       long (*store)(void *data, const char *buf, size_t len),
			       void *data);
/*
 * Register a binary pseudo-file read at an offset (Linux's /proc/<pid>/pagemap,
 * /proc/kpageflags): read(buf, count, pos) fills the kernel buffer buf with up
 * to count bytes of the file from pos and returns how many (0 at its end) or
 * -errno.  pseudofs calls it with at most PSEUDO_RAW_CHUNK bytes at a time
 * and copies each chunk to user memory between the calls (read may take
 * mmap_lock).  A read whose offset or size is not a multiple of align is
 * -EINVAL (as Linux's pagemap_read), before read runs.
 */
void pseudo_file_register_raw(const char *path, ssize_t (*read)(char *buf, size_t count, u64 pos),
			      unsigned int align);

struct task_struct;
/*
 * Register the file name of every /proc/<pid>/ directory (kernel/proc_pid.c):
 * the same as pseudo_file_register() and pseudo_file_register_raw(), for the
 * process t the directory is for.  Unlike the others, show runs at the first
 * read (as Linux's seq_file), so an fd kept after its process was reaped reads
 * -ESRCH, as Linux's status and maps do; a raw file reads 0 bytes then (Linux's
 * pagemap: no mm left).  t may be a zombie (t->mm NULL).
 */
void proc_pid_file_register(const char *name, long (*show)(struct task_struct *t, char *buf, size_t len),
			    long (*store)(struct task_struct *t, const char *buf, size_t len));
void proc_pid_file_register_raw(const char *name,
				ssize_t (*read)(struct task_struct *t, char *buf, size_t count, u64 pos),
				unsigned int align);
/* The same with file operations of its own: open(t, f) sets f->f_op and f->private; mode S_IFREG|0600. */
void proc_pid_file_register_fops(const char *name, int (*open)(struct task_struct *t, struct file *f));
#define PSEUDO_RAW_CHUNK	4096
/*
 * Largest pseudo-file content: show() output past it is cut off (4 MiB, the
 * largest block kmalloc gives: /proc/self/maps of vm.max_map_count VMAs fits).
 */
#define PSEUDO_MAX_SIZE	(4UL << 20)

/* A file's poll state changed: every poll()/ppoll() sleeper looks again (kernel/poll.c). */
void poll_wake(void);

/* Console input from the arch UART (interrupt or tick poll): queue c, wake readers. */
void console_input(char c);
/* May the arch take another byte from the UART?  False while the ring is full. */
bool console_input_room(void);

void vfs_init(void);

#endif
