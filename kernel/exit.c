/*
 * exit.c - process termination: exit/exit_group, wait4, and what happens to
 * orphans (init adopts them) and to init itself (the machine powers off with
 * init's exit status, as `make run` promises).
 *
 * A dying task releases its address space and files at once, becomes a
 * zombie holding only its task_struct and kernel stack, and wakes its parent
 * (who sleeps on its own task_struct in wait4).  The parent frees the rest.
 */
#include "kernel/arch.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/syscall.h"
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
	arch_power_off(code);
}

/* Give current's children to init and wake init if any of them is already a zombie. */
static void reparent_children(void)
{
	struct task_struct *init = init_task_ptr();
	struct list_head *pos, *next;
	bool zombie = false;

	list_for_each_safe(pos, next, &current->children) {
		struct task_struct *c = list_entry(pos, struct task_struct, sibling);

		list_del_init(&c->sibling);
		c->parent = init;
		list_add_tail(&c->sibling, &init->children);
		zombie |= c->state == TASK_ZOMBIE;
	}
	if (zombie)
		wake_up(init);
}

__noreturn void do_exit(int status)
{
	struct task_struct *t = current;

	if (t->pid == 1)
		init_exited(status);
	files_put(t->files);
	t->files = NULL;
	switch_mm(NULL);
	mmput(t->mm);
	t->mm = NULL;
	if (foliotrace_on())
		foliotrace_exit(t->pid, status);
	arch_local_irq_disable();
	reparent_children();
	t->exit_status = status;
	t->it_real_expires_ns = 0;
	notify_parent(t, status);
	t->state = TASK_ZOMBIE;
	wake_up(t->parent);
	schedule();
	panic("do_exit: zombie %d was scheduled", t->pid);
}

__noreturn void do_exit_signal(int sig)
{
	do_exit(sig & 0x7f);
}

SYSCALL_DEFINE1(exit, int, code)
{
	do_exit((code & 0xff) << 8);
}

SYSCALL_DEFINE1(exit_group, int, code)
{
	do_exit((code & 0xff) << 8);
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

/* Free a reaped zombie; its times join the parent's children totals. */
static void release_task(struct task_struct *z)
{
	current->cutime_ns += z->utime_ns + z->cutime_ns;
	current->cstime_ns += z->stime_ns + z->cstime_ns;
	current->cminflt += z->minflt + z->cminflt;
	list_del_init(&z->sibling);
	list_del_init(&z->tasks);
	task_free(z);
}

/* A zombie child matching pid (-1 or < -1: any, > 0: that one); *have: any child matches. */
static struct task_struct *find_zombie(int pid, bool *have)
{
	struct list_head *pos;

	*have = false;
	list_for_each(pos, &current->children) {
		struct task_struct *c = list_entry(pos, struct task_struct, sibling);

		if (pid > 0 && c->pid != pid)
			continue;
		*have = true;
		if (c->state == TASK_ZOMBIE)
			return c;
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
		if (sleep_on(current, 0)) {	/* a signal: restarted unless a handler says not */
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
	if (wstatus && put_user(z->exit_status, wstatus))
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
