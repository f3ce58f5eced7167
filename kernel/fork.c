/*
 * fork.c - creating tasks: fork/vfork/clone (new process, copy-on-write
 * address space) and kernel threads (init's first steps, kswapd).
 */
#include "kernel/arch.h"
#include "kernel/fs.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/slab.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/time.h"
#include "kernel/uaccess.h"
#include "kernel/vfs.h"
#include "mm/foliotrace.h"
#include "mm/mm.h"
#include "mm/pgtable.h"
#include "mm/vma.h"
#include <uapi/errno.h>
#include <uapi/sched.h>

/* What a process-creating clone may ask for (threads, CLONE_VM: not yet). */
#define CLONE_SUPPORTED		(CSIGNAL | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID)

static int next_pid = 1;

int last_pid(void)
{
	return next_pid - 1;
}

/* A task with a kernel stack and no mm/files; not yet visible to anyone. */
struct task_struct *task_alloc(const char *comm)
{
	struct task_struct *t = kzalloc(sizeof(*t));
	struct page *stack;

	if (!t)
		return NULL;
	stack = alloc_pages(GFP_KERNEL, KSTACK_ORDER);
	if (!stack) {
		kfree(t);
		return NULL;
	}
	t->kstack = page_address(stack);
	t->user_regs = (struct pt_regs *)((char *)t->kstack + KSTACK_SIZE) - 1;
	t->pid = next_pid++;
	t->start_time_ns = ktime_get_ns();
	t->state = TASK_SLEEPING;	/* not runnable until wake_up_task */
	set_task_comm(t, comm);
	rlimits_init(t);
	INIT_LIST_HEAD(&t->run_list);
	INIT_LIST_HEAD(&t->children);
	INIT_LIST_HEAD(&t->sibling);
	return t;
}

struct task_struct *kthread_run(void (*fn)(void), const char *comm)
{
	struct task_struct *t = task_alloc(comm);

	if (!t)
		return NULL;
	t->flags |= PF_KTHREAD;
	arch_setup_kthread(t, fn);
	task_link(t, current);
	wake_up_task(t);
	return t;
}

/* Free a task that never ran or has been reaped. */
void task_free(struct task_struct *t)
{
	iput(t->cwd);
	free_pages(virt_to_page(t->kstack), KSTACK_ORDER);
	kfree(t);
}

/* Make t a child of parent and a member of the task list. */
void task_link(struct task_struct *t, struct task_struct *parent)
{
	unsigned long flags = arch_local_irq_save();

	t->parent = parent;
	list_add_tail(&t->sibling, &parent->children);
	list_add_tail(&t->tasks, &task_list);
	arch_local_irq_restore(flags);
}

/* Write the child's pid into the child's memory at uaddr (CLONE_CHILD_SETTID). */
static int set_child_tid(struct task_struct *child, int __user *uaddr)
{
	struct mm_struct *mm = current->mm;
	int err;

	current->mm = child->mm;
	switch_mm(child->mm);
	err = put_user(child->pid, uaddr);
	current->mm = mm;
	switch_mm(mm);
	return err;
}

/* Create a copy of current; returns the child's pid in the parent or -errno. */
static long do_fork(unsigned long flags, unsigned long newsp, int __user *ptid, int __user *ctid)
{
	struct task_struct *p;

	if ((flags & ~CLONE_SUPPORTED) || (flags & CSIGNAL) != SIGCHLD)
		return -EINVAL;
	p = task_alloc(current->comm);
	if (!p)
		return -ENOMEM;
	p->mm = dup_mm(current->mm);
	p->files = p->mm ? files_dup(current->files) : NULL;
	p->cwd = current->cwd ? iget(current->cwd) : NULL;
	if (!p->files) {
		if (p->mm)
			mmput(p->mm);
		task_free(p);
		return -ENOMEM;
	}
	p->thread = current->thread;
	memcpy(p->rlim, current->rlim, sizeof(p->rlim));
	copy_signal_state(p);
	*p->user_regs = *current->user_regs;
	arch_setup_fork_child(p);
	if (newsp)
		regs_set_user_sp(p->user_regs, newsp);
	if (foliotrace_on())
		foliotrace_fork(current->pid, p->pid, flags, p->mm);	/* before the child's first fault */
	if ((flags & CLONE_CHILD_SETTID) && set_child_tid(p, ctid))
		pr_warn("fork: pid %d: CLONE_CHILD_SETTID address %p is not writable\n", p->pid, ctid);
	task_link(p, current);
	if ((flags & CLONE_PARENT_SETTID) && put_user(p->pid, ptid))
		pr_warn("fork: pid %d: CLONE_PARENT_SETTID address %p is not writable\n", p->pid, ptid);
	wake_up_task(p);
	return p->pid;
}

SYSCALL_DEFINE0(fork)
{
	return do_fork(SIGCHLD, 0, NULL, NULL);
}

SYSCALL_DEFINE0(vfork)
{
	return do_fork(SIGCHLD, 0, NULL, NULL);
}

/* clone's argument order differs: x86_64 (flags, sp, ptid, ctid, tls), others (flags, sp, ptid, tls, ctid). */
#if defined(__x86_64__)
SYSCALL_DEFINE5(clone, unsigned long, flags, unsigned long, newsp, int __user *, ptid,
		int __user *, ctid, unsigned long, tls)
#else
SYSCALL_DEFINE5(clone, unsigned long, flags, unsigned long, newsp, int __user *, ptid,
		unsigned long, tls, int __user *, ctid)
#endif
{
	(void)tls;
	return do_fork(flags, newsp, ptid, ctid);
}
