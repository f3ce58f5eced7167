/*
 * fork.c - creating tasks: fork/vfork/clone/clone3 (a new process with a
 * copy-on-write address space, or, with CLONE_VM | CLONE_THREAD ..., a new
 * thread of current's process) and kernel threads (init's first steps,
 * kswapd).
 *
 * clone's flags, checked as Linux's copy_process does and in its order:
 * CLONE_THREAD needs CLONE_SIGHAND, CLONE_SIGHAND needs CLONE_VM (-EINVAL);
 * then what foliOS does not do (namespaces, CLONE_PARENT, pidfds ...) is
 * -EINVAL, and a new process must report its end with SIGCHLD.  CLONE_VM shares the mm (mm_users + 1), CLONE_FILES the file
 * table, CLONE_FS the working directory, CLONE_SIGHAND the handlers,
 * CLONE_THREAD the thread group (kernel/thread_group.c); CLONE_SYSVSEM is
 * accepted (no System V semaphores), CLONE_DETACHED ignored (as Linux's
 * clone; clone3 refuses it); CLONE_SETTLS sets the child's TLS
 * register; CLONE_PARENT_SETTID writes the child's tid in the parent,
 * CLONE_CHILD_SETTID in the child, and CLONE_CHILD_CLEARTID makes the
 * child's exit clear that word and futex-wake it (pthread_join's wait).
 * CLONE_VFORK (vfork is CLONE_VM | CLONE_VFORK | SIGCHLD, Linux's) makes the
 * parent sleep until the child execs or exits (vfork_release); a signal
 * ends the parent's wait early (Linux waits through all but fatal ones).
 * A pending signal makes the call restart after it is handled (Linux's
 * -ERESTARTNOINTR), so no child joins a process that is being killed.
 */
#include "kernel/arch.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/slab.h"
#include "kernel/smp_lock.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/thread_group.h"
#include "kernel/time.h"
#include "kernel/uaccess.h"
#include "kernel/vfs.h"
#include "mm/foliotrace.h"
#include "mm/mm.h"
#include "mm/pgtable.h"
#include "mm/vma.h"
#include <uapi/errno.h>
#include <uapi/sched.h>

/* What clone may ask for. */
#define CLONE_SUPPORTED		(CSIGNAL | CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | \
				 CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | \
				 CLONE_CHILD_SETTID | CLONE_DETACHED | CLONE_VFORK)

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
	t->pid = next_pid;
	if (task_alloc_group_state(t)) {
		free_pages(stack, KSTACK_ORDER);
		kfree(t);
		return NULL;
	}
	next_pid++;
	t->start_time_ns = ktime_get_ns();
	t->state = TASK_UNINTERRUPTIBLE;	/* not runnable until wake_up_task */
	t->lock_depth = -1;
	t->cpus_allowed = current->pid ? current->cpus_allowed : CPU_MASK_ALL;	/* inherited, as Linux's */
	set_task_comm(t, comm);
	rlimits_init(t);
	INIT_LIST_HEAD(&t->run_list);
	INIT_LIST_HEAD(&t->children);
	INIT_LIST_HEAD(&t->sibling);
	INIT_LIST_HEAD(&t->tasks);
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
	task_free_group_state(t);
	free_pages(virt_to_page(t->kstack), KSTACK_ORDER);
	kfree(t);
}

/* Make t a child of parent and a member of the task list. */
void task_link(struct task_struct *t, struct task_struct *parent)
{
	spin_lock(&tasklist_lock);
	t->parent = parent;
	list_add_tail(&t->sibling, &parent->children);
	list_add_tail(&t->tasks, &task_list);
	spin_unlock(&tasklist_lock);
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

/* Linux's copy_process checks, in its order, then what foliOS does not do. */
static int clone_flags_check(unsigned long flags)
{
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	if (flags & ~CLONE_SUPPORTED)
		return -EINVAL;
	if (!(flags & CLONE_THREAD) && (flags & CSIGNAL) != SIGCHLD)
		return -EINVAL;
	return 0;
}

/* The child's mm and file table: current's (CLONE_VM, CLONE_FILES) or copies.  0 or -ENOMEM. */
static int copy_mm_files(struct task_struct *p, unsigned long flags)
{
	unsigned long irq;

	if (flags & CLONE_VM) {
		mmget(current->mm);
		p->mm = current->mm;
	} else {
		p->mm = dup_mm(current->mm);
	}
	if (!p->mm)
		return -ENOMEM;
	if (!(flags & CLONE_FILES)) {
		p->files = files_dup(current->files);
		return p->files ? 0 : -ENOMEM;
	}
	irq = arch_local_irq_save();
	p->files = current->files;
	p->files->count++;
	arch_local_irq_restore(irq);
	return 0;
}

/* Put a child that never ran back (its mm, files and group references too). */
static void abort_fork(struct task_struct *p)
{
	files_put(p->files);
	if (p->mm)
		mmput(p->mm);
	task_free(p);
}

/* Make p visible: a thread of current's group, or a child of current. */
static void link_child(struct task_struct *p, unsigned long flags)
{
	if (flags & CLONE_THREAD)
		thread_group_link(p);
	else
		task_link(p, current);
}

void vfork_release(struct task_struct *t)
{
	BUG_ON(!kernel_locked());
	if (!t->vfork_done)
		return;
	*t->vfork_done = true;
	wake_up(t->vfork_done);
	t->vfork_done = NULL;
}

/*
 * Linux's wait_for_vfork_done: sleep until child execs or exits (*done, set by
 * vfork_release under the BKL, which sleep_on's caller holds).  A signal ends the wait:
 * the child then no longer reports to this stack frame.
 */
static void wait_for_vfork_done(struct task_struct *child, bool *done)
{
	unsigned long flags = arch_local_irq_save();

	while (!*done) {
		if (sleep_on(done, 0) == -EINTR) {
			if (!*done)
				child->vfork_done = NULL;	/* alive: it has not released yet */
			break;
		}
	}
	arch_local_irq_restore(flags);
}

/*
 * Create a task from current (see the top): a new process or a thread,
 * starting at current's user frame with sp newsp (0: current's) and, with
 * CLONE_SETTLS, TLS tls.  The child's tid in the parent, or -errno with
 * nothing changed.
 */
static long do_fork(unsigned long flags, unsigned long newsp, int __user *ptid, int __user *ctid,
		    unsigned long tls)
{
	struct task_struct *p;
	int err = clone_flags_check(flags), pid;
	bool vfork_done = false;

	if (err)
		return err;
	p = task_alloc(current->comm);
	if (!p)
		return -ENOMEM;
	err = copy_mm_files(p, flags);
	if (err) {
		abort_fork(p);
		return err;
	}
	copy_group_state(p, flags);
	p->thread = current->thread;
	memcpy(p->rlim, current->rlim, sizeof(p->rlim));
	copy_signal_state(p, flags);
	*p->user_regs = *current->user_regs;
	arch_setup_fork_child(p);
	if (newsp)
		regs_set_user_sp(p->user_regs, newsp);
	if (flags & CLONE_CHILD_CLEARTID)
		p->clear_child_tid = ctid;
	if (flags & CLONE_SETTLS)
		err = arch_set_tls(p, tls);
	if (!err && signal_pending(current))
		err = -ERESTARTNOINTR;	/* a signal came first: handle it, then clone again (Linux's) */
	if (err) {
		abort_fork(p);
		return err;
	}
	if (foliotrace_on() && !(flags & CLONE_VM))
		foliotrace_fork(current->tgid, p->pid, flags, p->mm);	/* before the child's first fault */
	if ((flags & CLONE_CHILD_SETTID) && set_child_tid(p, ctid))
		pr_warn("fork: pid %d: CLONE_CHILD_SETTID address %p is not writable\n", p->pid, ctid);
	if (flags & CLONE_VFORK)
		p->vfork_done = &vfork_done;
	link_child(p, flags);
	if ((flags & CLONE_PARENT_SETTID) && put_user(p->pid, ptid))
		pr_warn("fork: pid %d: CLONE_PARENT_SETTID address %p is not writable\n", p->pid, ptid);
	pid = p->pid;
	wake_up_task(p);
	if (flags & CLONE_VFORK)
		wait_for_vfork_done(p, &vfork_done);	/* p may be gone after: pid read before */
	return pid;
}

SYSCALL_DEFINE0(fork)
{
	return do_fork(SIGCHLD, 0, NULL, NULL, 0);
}

SYSCALL_DEFINE0(vfork)
{
	return do_fork(CLONE_VM | CLONE_VFORK | SIGCHLD, 0, NULL, NULL, 0);
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
	return do_fork(flags, newsp, ptid, ctid, tls);
}

/* Linux's copy_clone_args_from_user + clone3_args_valid, in their order. */
static int clone3_args_get(struct clone_args *args, const struct clone_args __user *uargs, size_t size)
{
	const u8 __user *tail = (const u8 __user *)uargs + sizeof(*args);

	if (size > PAGE_SIZE)
		return -E2BIG;
	if (size < CLONE_ARGS_SIZE_VER0)
		return -EINVAL;
	memset(args, 0, sizeof(*args));
	if (copy_from_user(args, uargs, size < sizeof(*args) ? size : sizeof(*args)))
		return -EFAULT;
	for (size_t i = sizeof(*args); i < size; i++, tail++) {	/* copy_struct_from_user */
		u8 c;

		if (get_user(c, tail))
			return -EFAULT;
		if (c)
			return -E2BIG;
	}
	if (args->set_tid_size || args->set_tid)
		return -EINVAL;		/* no pid namespaces: no pid to choose */
	if ((args->exit_signal & ~(unsigned long long)CSIGNAL) || args->exit_signal > _NSIG)
		return -EINVAL;
	if (args->flags & (CSIGNAL | CLONE_DETACHED))
		return -EINVAL;
	if ((args->flags & CLONE_THREAD) && args->exit_signal)
		return -EINVAL;
	if (!args->stack != !args->stack_size ||
	    (args->stack && !access_ok((void __user *)(unsigned long)args->stack, args->stack_size)))
		return -EINVAL;
	return 0;
}

SYSCALL_DEFINE2(clone3, struct clone_args __user *, uargs, size_t, size)
{
	struct clone_args args;
	int err = clone3_args_get(&args, uargs, size);

	if (err)
		return err;
	return do_fork(args.flags | args.exit_signal, args.stack ? args.stack + args.stack_size : 0,
		       (int __user *)(unsigned long)args.parent_tid, (int __user *)(unsigned long)args.child_tid,
		       args.tls);
}
