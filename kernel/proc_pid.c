/*
 * proc_pid.c - the /proc/<pid>/ directories of every live process, and
 * /proc/self (Linux's fs/proc/base.c and root.c, as far as foliOS needs).
 *
 * The inode tree is static, processes are not: /proc gets a lookup hook
 * (struct inode_dyn_ops, kernel/fs.h).  A name that is a decimal pid of a
 * task not yet reaped (zombies included, as Linux's) makes a directory
 * inode on demand, and a name in it a file inode, copied from the template
 * that proc_pid_file_register*() put in a private tree (never reachable
 * by a path) with the pid stamped in.  Those inodes live as long as their
 * references (an open file, a working directory), not as long as the
 * process: pids are never reused (kernel/fork.c), so the pid is enough
 * to find the process again at each read, or to learn that it is gone.
 *
 * - readdir of /proc lists its tree entries, then every pid from 1 up, the
 *   pid being the cursor (Linux's next_tgid: a process reaped between two
 *   getdents64 calls moves no other); readdir of /proc/<pid> the templates.
 * - /proc/self is a symlink to "<pid>" of the reader (readlink gives it;
 *   lookup follows it, lstat sees S_IFLNK).  Each /proc/<pid>/task/ holds
 *   a directory per thread of the process, <tid>, with the same files, of
 *   that thread (no task/ of its own, as Linux's); /proc/thread-self links
 *   to "<pid>/task/<tid>".  /proc lists processes only (their leaders),
 *   but, as Linux's, a thread's tid can be looked up there too.
 * - Linux's errors: a pid that is not there (never was, or reaped) is
 *   -ENOENT at lookup; a name looked up in the directory of a reaped process
 *   (an fd or working directory kept on it) -ESRCH, its readdir -ENOENT.  What a file kept open reads once its process
 *   is gone is the file kind's (pseudofs: -ESRCH, raw files and mem: 0).
 * - Permission: one user, root, so every process may look at every other;
 *   the check point is still one function, proc_may_access(), called at
 *   every open, as Linux's ptrace_may_access from proc_mem_open and
 *   proc_pid_permission.
 * - Inode numbers are made from the pid and the template's, so a file has
 *   the same st_ino at every lookup.
 */
#include "kernel/fs.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include <uapi/errno.h>

#define PROC_PID_INO_BASE	(1ULL << 62)	/* above every tree inode's number */
#define PROC_PID_INO(pid, tmpl_ino)	(PROC_PID_INO_BASE | (u64)(pid) << 24 | (tmpl_ino))
/* The directories' own slots in PROC_PID_INO (templates are numbered far below). */
#define PROC_INO_PID_DIR	0
#define PROC_INO_TASK_DIR	0xffffffULL
#define PROC_INO_TID_DIR	0xfffffeULL

static struct inode *proc_pid_tmpl;	/* (b) the files of a /proc/<pid>/ directory */

/* Linux's ptrace_may_access modes: reading what a process shows, attaching (mem). */
enum proc_access { PROC_ACCESS_READ, PROC_ACCESS_ATTACH };

/*
 * May current look at (or, ATTACH, read and write the memory of) t?  Every
 * process runs as root: yes.  The one place a stricter rule would go.
 */
static int proc_may_access(const struct task_struct *t, enum proc_access mode)
{
	(void)t;
	(void)mode;
	return 0;
}

struct task_struct *proc_inode_task(const struct inode *inode)
{
	return inode->pid > 0 ? find_task_by_vpid(inode->pid) : NULL;
}

/* name[0..len) as a pid: Linux's name_to_int (decimal, no leading zero, no overflow); 0 if none. */
static int name_to_pid(const char *name, size_t len)
{
	int pid = 0;

	if (len == 0 || len > 9 || (len > 1 && name[0] == '0'))
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return 0;
		pid = pid * 10 + (name[i] - '0');
	}
	return pid;
}

/* Open of a /proc/<pid>/ file: the process, the access check, then the template's kind. */
static int proc_pid_file_open(struct inode *inode, struct file *f)
{
	struct task_struct *t = proc_inode_task(inode);
	int err;

	if (!t)
		return -ENOENT;
	err = proc_may_access(t, inode->open_task ? PROC_ACCESS_ATTACH : PROC_ACCESS_READ);
	if (err)
		return err;
	return inode->open_task ? inode->open_task(t, f) : pseudo_open(inode, f);
}

static const struct inode_dyn_ops proc_pid_dir_ops, proc_tid_dir_ops, proc_task_dir_ops;

/* A directory of process pid named name[0..len) in parent whose entries ops makes: 0 and *res. */
static int proc_dir_new(struct inode *parent, const char *name, size_t len, int pid, u64 slot,
			const struct inode_dyn_ops *ops, struct inode **res)
{
	struct inode *inode = inode_new_dynamic(parent, name, len, S_IFDIR | 0555);

	if (!inode)
		return -ENOMEM;
	inode->pid = pid;
	inode->ino = PROC_PID_INO(pid, slot);
	inode->dyn = ops;
	*res = inode;
	return 0;
}

static bool is_task_dir_name(const char *name, size_t len)
{
	return len == 4 && !memcmp(name, "task", 4);
}

/*
 * lookup in /proc/<pid> (and /proc/<pid>/task/<pid>): a file inode copied from
 * its template, or task/ (not in a task's own directory); -ESRCH once reaped (Linux's).
 */
static int proc_pid_dir_lookup(struct inode *dir, const char *name, size_t len, struct inode **res)
{
	const struct inode *tmpl = inode_lookup_child(proc_pid_tmpl, name, len);
	struct inode *inode;

	if (!proc_inode_task(dir))
		return -ESRCH;
	if (dir->dyn == &proc_pid_dir_ops && is_task_dir_name(name, len))
		return proc_dir_new(dir, name, len, dir->pid, PROC_INO_TASK_DIR, &proc_task_dir_ops, res);
	if (!tmpl)
		return -ENOENT;
	inode = inode_new_dynamic(dir, name, len, tmpl->mode);
	if (!inode)
		return -ENOMEM;
	inode->pid = dir->pid;
	inode->ino = PROC_PID_INO(dir->pid, tmpl->ino);
	inode->write_err = tmpl->write_err;
	inode->pseudo = tmpl->pseudo;
	inode->open_task = tmpl->open_task;
	inode->open = proc_pid_file_open;
	*res = inode;
	return 0;
}

/*
 * A readdir entry that is one of the dynamic directories: its name (word,
 * or the decimal pid when word is NULL), number PROC_PID_INO(pid, slot) and
 * mode.  Returns 1, an inode_dyn_ops entry()'s "there is one".
 */
static int proc_dir_entry(char *name, u64 *ino, u32 *mode, const char *word, int pid, u64 slot)
{
	if (word)
		snprintf(name, NAME_MAX + 1, "%s", word);
	else
		snprintf(name, NAME_MAX + 1, "%d", pid);
	*ino = PROC_PID_INO(pid, slot);
	*mode = S_IFDIR | 0555;
	return 1;
}

/*
 * readdir of /proc/<pid>: the templates' names (key: the index), then task; -ENOENT once
 * the process was reaped (Linux's).
 */
static int proc_pid_dir_entry(const struct inode *dir, u64 *key, char *name, u64 *ino, u32 *mode)
{
	struct list_head *pos;
	u64 idx = 0;

	if (!proc_inode_task(dir))
		return -ENOENT;
	list_for_each(pos, &proc_pid_tmpl->children) {
		const struct inode *tmpl = list_entry(pos, struct inode, sibling);

		if (idx++ >= *key) {
			*key = idx - 1;
			snprintf(name, NAME_MAX + 1, "%s", tmpl->name);
			*ino = PROC_PID_INO(dir->pid, tmpl->ino);
			*mode = tmpl->mode;
			return 1;
		}
	}
	if (*key > idx || dir->dyn != &proc_pid_dir_ops)
		return 0;
	*key = idx;
	return proc_dir_entry(name, ino, mode, "task", dir->pid, PROC_INO_TASK_DIR);
}

static const struct inode_dyn_ops proc_pid_dir_ops = {
	.lookup = proc_pid_dir_lookup,
	.entry = proc_pid_dir_entry,
};

/* /proc/<pid>/task/<pid>: the same files, no task/ (the lookup and readdir tell by the ops). */
static const struct inode_dyn_ops proc_tid_dir_ops = {
	.lookup = proc_pid_dir_lookup,
	.entry = proc_pid_dir_entry,
};

/* lookup in /proc/<pid>/task: the directory of a thread of that process, named by its tid. */
static int proc_task_dir_lookup(struct inode *dir, const char *name, size_t len, struct inode **res)
{
	struct task_struct *p = proc_inode_task(dir), *t;
	int tid = name_to_pid(name, len);

	if (!p)
		return -ESRCH;
	t = tid ? find_task_by_vpid(tid) : NULL;
	if (!t || t->tgid != p->tgid)
		return -ENOENT;
	return proc_dir_new(dir, name, len, tid, PROC_INO_TID_DIR, &proc_tid_dir_ops, res);
}

/*
 * t, if its pid is key or more and lower than *best's: the readdir cursor is a pid (Linux's
 * next_tgid), so whatever exits meanwhile, the next getdents64 goes on after the last pid
 * listed.  The lists change under the BKL, which getdents64 holds.
 */
static void proc_pid_candidate(const struct task_struct **best, const struct task_struct *t, u64 key)
{
	if (t->pid > 0 && (u64)t->pid >= key && (!*best || t->pid < (*best)->pid))
		*best = t;
}

/* readdir of /proc/<pid>/task: the process's threads by tid (key: the tid). */
static int proc_task_dir_entry(const struct inode *dir, u64 *key, char *name, u64 *ino, u32 *mode)
{
	const struct task_struct *p = proc_inode_task(dir), *best = NULL;
	struct list_head *pos;

	if (!p)
		return -ENOENT;
	list_for_each(pos, &p->signal->thread_head)
		proc_pid_candidate(&best, list_entry(pos, struct task_struct, thread_node), *key);
	if (!best)
		return 0;
	*key = (u64)best->pid;
	return proc_dir_entry(name, ino, mode, NULL, best->pid, PROC_INO_TID_DIR);
}

static const struct inode_dyn_ops proc_task_dir_ops = {
	.lookup = proc_task_dir_lookup,
	.entry = proc_task_dir_entry,
};

/* lookup in /proc: the directory of a pid not yet reaped. */
static int proc_root_lookup(struct inode *dir, const char *name, size_t len, struct inode **res)
{
	int pid = name_to_pid(name, len);

	if (!pid || !find_task_by_vpid(pid))
		return -ENOENT;
	return proc_dir_new(dir, name, len, pid, PROC_INO_PID_DIR, &proc_pid_dir_ops, res);
}

/* readdir of /proc after its tree entries: the processes (leaders with a pid: not the idle tasks' 0) by pid. */
static int proc_root_entry(const struct inode *dir, u64 *key, char *name, u64 *ino, u32 *mode)
{
	const struct task_struct *best = NULL;
	struct list_head *pos;

	(void)dir;
	list_for_each(pos, &task_list) {
		const struct task_struct *t = list_entry(pos, struct task_struct, tasks);

		if (thread_group_leader(t))
			proc_pid_candidate(&best, t, *key);
	}
	if (!best)
		return 0;
	*key = (u64)best->pid;
	return proc_dir_entry(name, ino, mode, NULL, best->pid, PROC_INO_PID_DIR);
}

static const struct inode_dyn_ops proc_root_ops = {
	.lookup = proc_root_lookup,
	.entry = proc_root_entry,
};

/* /proc/self -> "<pid>" of the reader (Linux's proc_self_get_link). */
static int proc_self_get_link(const struct inode *link, char *buf, size_t size)
{
	(void)link;
	return current->pid > 0 ? snprintf(buf, size, "%d", current->tgid) : -ENOENT;
}

static const struct inode_dyn_ops proc_self_ops = {
	.get_link = proc_self_get_link,
};

/* /proc/thread-self -> "<pid>/task/<tid>" of the reader (Linux's proc_thread_self_get_link). */
static int proc_thread_self_get_link(const struct inode *link, char *buf, size_t size)
{
	(void)link;
	return current->pid > 0 ? snprintf(buf, size, "%d/task/%d", current->tgid, current->pid) : -ENOENT;
}

static const struct inode_dyn_ops proc_thread_self_ops = {
	.get_link = proc_thread_self_get_link,
};

void proc_pid_init(void)
{
	struct inode *proc = inode_make_dirs(&vfs_root, "proc", 4, S_IFDIR | 0555);
	struct inode *self = proc ? inode_create(proc, "self", 4, S_IFLNK | 0777) : NULL;
	struct inode *thread_self = proc ? inode_create(proc, "thread-self", 11, S_IFLNK | 0777) : NULL;

	proc_pid_tmpl = inode_new_root();
	if (!self || !thread_self || !proc_pid_tmpl)
		panic("proc_pid_init: out of memory");
	proc->dyn = &proc_root_ops;
	self->dyn = &proc_self_ops;
	thread_self->dyn = &proc_thread_self_ops;
	proc_pid_tmpl->mode = S_IFDIR | 0555;
}

struct inode *proc_pid_template_root(void)
{
	return proc_pid_tmpl;
}

void proc_pid_file_register_fops(const char *name, int (*open)(struct task_struct *t, struct file *f))
{
	struct inode *inode = inode_create(proc_pid_tmpl, name, strlen(name), S_IFREG | 0600);

	if (!inode)
		panic("proc_pid_file_register_fops: %s: out of memory", name);
	inode->open_task = open;
}
