/*
 * exit.c - process termination: exit/exit_group, wait4, and what happens to
 * orphans (init adopts them) and to init itself (the machine powers off with
 * init's exit status, as `make run` promises).
 *
 * A dying task releases its address space and files at once (its share
 * of them, for a thread), clearing and futex-waking its clear_child_tid word
 * and walking its robust list first (kernel/futex.c).  A thread that is not
 * its process's leader is then freed (kernel/sched.c's dead list); the
 * leader becomes a zombie holding only its task_struct and kernel stack.
 * When the last thread of a process is gone, the leader's parent gets
 * SIGCHLD and is woken (threads sleep in wait4 on their signal_struct),
 * and frees the rest.  exit_group and fatal signals end every thread
 * (do_group_exit: the others get SIGKILL); wait4 reports the group's status.
 * kernel/thread_group.c says which of Linux's rules these are.
 */
#include "kernel/arch.h"
#include "kernel/errno.h"
#include "kernel/futex.h"
#include "kernel/printk.h"
#include "kernel/reboot.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/smp_lock.h"
#include "kernel/syscall.h"
#include "kernel/thread_group.h"
#include "kernel/uaccess.h"
#include "kernel/vfs.h"
#include "mm/foliotrace.h"
#include "mm/pgtable.h"
#include "mm/vma.h"
#include <uapi/errno.h>
#include <uapi/resource.h>
#include <uapi/wait.h>

static struct task_struct *init_task_ptr(void)
{
	return find_task(1);
}

/* init is gone: report and power off with its exit status (128 + signal when killed). */
static __noreturn void init_exited(int status)
{
	int code = (status & 0x7f) ? 128 + (status & 0x7f) : (status >> 8) & 0xff;

	printk(KERN_NOTICE "init exited with status %d: powering off\n", code);
	if (foliotrace_on()) {
		foliotrace_exit(1, status);
		foliotrace_finish();
	}
	kernel_power_off(code);
}

/*
 * The wait status of the process led by leader, once its last thread is
 * gone: the group exit's, if one happened, else that of the thread that
 * exited last (what Linux reports too: a leader's exit(3) followed by its
 * last thread's exit(9) gives status 9).
 */
static int group_exit_status(const struct task_struct *leader)
{
	return leader->signal->group_exit_code;
}

/*
 * Give current's children to another live thread of its process, else to
 * init (Linux's find_new_reaper), and wake the new parent's process if any
 * of them can already be reaped.  Interrupts off.
 */
static void reparent_children(void)
{
	struct task_struct *reaper = find_live_thread(current);
	struct list_head *pos, *next;
	bool zombie = false;

	if (!reaper)
		reaper = init_task_ptr();
	list_for_each_safe(pos, next, &current->children) {
		struct task_struct *c = list_entry(pos, struct task_struct, sibling);

		list_del_init(&c->sibling);
		c->parent = reaper;
		list_add_tail(&c->sibling, &reaper->children);
		zombie |= c->state == TASK_ZOMBIE && c->signal->live == 0;
	}
	if (zombie)
		wake_up(reaper->signal);
}

/* The process led by leader is gone (its last thread exited): tell and wake its parent.  Interrupts off. */
static void notify_group_dead(struct task_struct *leader)
{
	spin_lock(&leader->sighand->siglock);
	leader->signal->it_real_expires_ns = 0;
	spin_unlock(&leader->sighand->siglock);
	notify_parent(leader, group_exit_status(leader));
	wake_up(leader->parent->signal);
}

/*
 * The end of do_exit, interrupts off: the leader stays a zombie for wait4
 * (its parent hears of it once the whole group is gone); any other thread
 * leaves the group and is freed once off the CPU.
 */
static void exit_notify(struct task_struct *t, bool group_dead)
{
	struct signal_struct *sig = t->signal;
	struct task_struct *leader = t->group_leader;

	reparent_children();
	if (thread_group_leader(t)) {
		task_exit_state(t, TASK_ZOMBIE);
		if (group_dead)
			notify_group_dead(t);
	} else {
		/* Its times join the process's (the leader's), as Linux's signal_struct sums. */
		leader->utime_ns += t->utime_ns;
		leader->stime_ns += t->stime_ns;
		leader->minflt += t->minflt;
		unhash_thread(t);
		if (group_dead && leader->state == TASK_ZOMBIE)
			notify_group_dead(leader);
		task_exit_state(t, TASK_DEAD);
	}
	if (sig->group_exec_task)
		wake_up(&sig->group_exec_task);	/* de_thread waits for the others to go */
}

__noreturn void do_exit(int status)
{
	struct task_struct *t = current;
	struct mm_struct *mm;
	unsigned long flags;
	bool group_dead, trace_exit;

	lock_kernel();	/* never let go: schedule() drops it when t switches out for good */
	flags = arch_local_irq_save();
	t->flags |= PF_EXITING;
	arch_local_irq_restore(flags);
	if (t->mm)
		futex_exit_release(t);
	vfork_release(t);
	flags = arch_local_irq_save();
	group_dead = --t->signal->live == 0;
	t->exit_status = status;
	if (group_dead && !(t->signal->flags & SIGNAL_GROUP_EXIT))
		t->signal->group_exit_code = status;
	arch_local_irq_restore(flags);
	if (group_dead && t->tgid == 1)
		init_exited(group_exit_status(t->group_leader));
	files_put(t->files);
	t->files = NULL;
	task_exit_fs(t);
	switch_mm(NULL);
	/* A trace's exit record: when the process's address space goes (not at a thread's exit). */
	trace_exit = foliotrace_on() && group_dead && t->mm && t->mm->mm_users == 1;
	/*
	 * current->mm goes before the mmput, as Linux's exit_mm: exit_mmap may sleep
	 * (an rwsem, the folio lock), and switching back to a task that still names
	 * the mm would load it again, under cleanup_lazy_tlbs' feet.
	 */
	mm = t->mm;
	t->mm = NULL;
	if (mm)
		mmput(mm);
	if (trace_exit)
		foliotrace_exit(t->tgid, group_exit_status(t->group_leader));
	arch_local_irq_disable();
	exit_notify(t, group_dead);
	schedule();
	panic("do_exit: exited task %d was scheduled", t->pid);
}

__noreturn void do_group_exit(int status)
{
	struct signal_struct *sig = current->signal;
	unsigned long flags;

	lock_kernel();	/* a fault's fatal signal comes here without it; do_exit keeps it */
	flags = arch_local_irq_save();
	if (sig->flags & SIGNAL_GROUP_EXIT) {
		status = sig->group_exit_code;
	} else if (sig->group_exec_task) {
		status = 0;	/* killed by another thread's execve (Linux's de_thread) */
	} else {
		sig->flags = SIGNAL_GROUP_EXIT;
		sig->group_exit_code = status;
		spin_lock(&current->sighand->siglock);
		zap_other_threads(current);
		spin_unlock(&current->sighand->siglock);
	}
	arch_local_irq_restore(flags);
	do_exit(status);
}

/* This thread only (pthread_exit); the process ends with its last thread. */
SYSCALL_DEFINE1(exit, int, code)
{
	do_exit((code & 0xff) << 8);
}

SYSCALL_DEFINE1(exit_group, int, code)
{
	do_group_exit((code & 0xff) << 8);
}

static void fill_rusage(struct rusage *ru, const struct task_struct *t)
{
	*ru = (struct rusage){ 0 };
	ru->ru_utime.tv_sec = t->utime_ns / 1000000000;
	ru->ru_utime.tv_usec = (t->utime_ns % 1000000000) / 1000;
	ru->ru_stime.tv_sec = t->stime_ns / 1000000000;
	ru->ru_stime.tv_usec = (t->stime_ns % 1000000000) / 1000;
	ru->ru_minflt = (long)t->minflt;
}

/* Free a reaped zombie leader (its process has no other thread left); its times join the parent's children totals. */
static void release_task(struct task_struct *z)
{
	unsigned long flags;

	current->cutime_ns += z->utime_ns + z->cutime_ns;
	current->cstime_ns += z->stime_ns + z->cstime_ns;
	current->cminflt += z->minflt + z->cminflt;
	wait_task_inactive(z);	/* its last switch may still be under way on another CPU */
	flags = arch_local_irq_save();
	unhash_thread(z);
	spin_lock(&tasklist_lock);
	list_del_init(&z->sibling);
	list_del_init(&z->tasks);
	spin_unlock(&tasklist_lock);
	arch_local_irq_restore(flags);
	task_free(z);
}

/*
 * A child of current's process (of any of its threads, as Linux's) that
 * can be reaped, matching pid (-1 or < -1: any, > 0: that one): a zombie
 * leader whose threads are all gone.  *have: any child matches.
 */
static struct task_struct *find_zombie(int pid, bool *have)
{
	struct list_head *t, *pos;

	*have = false;
	list_for_each(t, &current->signal->thread_head) {
		struct task_struct *thread = list_entry(t, struct task_struct, thread_node);

		list_for_each(pos, &thread->children) {
			struct task_struct *c = list_entry(pos, struct task_struct, sibling);

			if (pid > 0 && c->pid != pid)
				continue;
			*have = true;
			if (c->state == TASK_ZOMBIE && c->signal->live == 0)
				return c;
		}
	}
	return NULL;
}

SYSCALL_DEFINE4(wait4, int, pid, int __user *, wstatus, int, options, struct rusage __user *, ru)
{
	struct task_struct *z;
	unsigned long flags;
	struct rusage kru;
	bool have;
	int ret;

	if (options & ~(WNOHANG | WUNTRACED | __WALL | __WCLONE))
		return -EINVAL;
	flags = arch_local_irq_save();
	while (!(z = find_zombie(pid, &have)) && have && !(options & WNOHANG)) {
		if (sleep_on(current->signal, 0)) {	/* a signal: restarted unless a handler says not */
			arch_local_irq_restore(flags);
			return -ERESTARTSYS;
		}
	}
	arch_local_irq_restore(flags);
	if (!have)
		return -ECHILD;
	if (!z)
		return 0;
	/* Linux reaps the child first: a bad status or rusage pointer then is -EFAULT. */
	ret = z->pid;
	fill_rusage(&kru, z);
	if (wstatus && put_user(group_exit_status(z), wstatus))
		ret = -EFAULT;
	else if (ru && copy_to_user(ru, &kru, sizeof(kru)))
		ret = -EFAULT;
	release_task(z);
	return ret;
}

SYSCALL_DEFINE2(getrusage, int, who, struct rusage __user *, ru)
{
	struct rusage kru;

	if (who == RUSAGE_SELF) {
		fill_rusage(&kru, current);
	} else if (who == RUSAGE_CHILDREN) {
		struct task_struct sum = { .utime_ns = current->cutime_ns, .stime_ns = current->cstime_ns,
					   .minflt = current->cminflt };

		fill_rusage(&kru, &sum);
	} else {
		return -EINVAL;
	}
	return copy_to_user(ru, &kru, sizeof(kru)) ? -EFAULT : 0;
}
