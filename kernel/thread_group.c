/*
 * thread_group.c - what the threads of a process share, and its life:
 * the signal_struct (the thread list, the shared pending set, the group
 * exit state, the interval timer), the sighand_struct (handlers) and the
 * fs_struct (working directory), made fresh for each new task and shared
 * by clone's CLONE_THREAD, CLONE_SIGHAND and CLONE_FS; execve's de_thread.
 *
 * Linux's rules, as foliOS keeps them (kernel/exit.c does the exits):
 *   - a thread's pid is its own (gettid); its tgid (getpid) is the group
 *     leader's pid; only the leader is on its parent's children list, so
 *     wait4 sees the process once, through the leader;
 *   - a thread that is not the leader is freed as soon as it exits
 *     (nobody waits for it); the leader, if it exits first (pthread_exit
 *     from main), stays a zombie that wait4 cannot reap, and its parent
 *     hears nothing, until the last thread has exited (Linux's
 *     delay_group_leader); the status is the exit_group or fatal signal's
 *     if there was one, else the exit code of the thread that exited last
 *     (what Linux 6.x reports);
 *   - execve from any thread first kills the others and waits until they
 *     are gone; from a thread that is not the leader, that thread then
 *     takes the leader's pid and place (Linux's de_thread).
 *
 * Locking: the thread list, the counts and the group's flags change with
 * interrupts off (one CPU); with several CPUs they go under the group's
 * siglock (Linux's sighand->siglock) and the task-list lock.
 */
#include "kernel/arch.h"
#include "kernel/fs.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/slab.h"
#include "kernel/smp_lock.h"
#include "kernel/string.h"
#include "kernel/thread_group.h"
#include "kernel/vfs.h"
#include <uapi/errno.h>

int task_alloc_group_state(struct task_struct *t)
{
	t->signal = kzalloc(sizeof(*t->signal));
	t->sighand = kzalloc(sizeof(*t->sighand));
	t->fs = kzalloc(sizeof(*t->fs));
	if (!t->signal || !t->sighand || !t->fs) {
		kfree(t->signal);
		kfree(t->sighand);
		kfree(t->fs);
		return -ENOMEM;
	}
	t->tgid = t->pid;
	t->group_leader = t;
	t->signal->count = t->signal->live = t->signal->nr_threads = 1;
	INIT_LIST_HEAD(&t->signal->thread_head);
	list_add_tail(&t->thread_node, &t->signal->thread_head);
	spin_lock_init(&t->sighand->siglock, "siglock");
	t->sighand->count = 1;
	t->fs->users = 1;
	return 0;
}

/* Drop t's use of its fs_struct (the last one drops the directory); interrupts off inside. */
static void fs_put(struct task_struct *t)
{
	struct fs_struct *fs = t->fs;
	unsigned long flags;
	int left;

	if (!fs)
		return;
	flags = arch_local_irq_save();
	left = --fs->users;
	t->fs = NULL;
	arch_local_irq_restore(flags);
	if (!left) {
		iput(fs->cwd);
		kfree(fs);
	}
}

void task_exit_fs(struct task_struct *t)
{
	fs_put(t);
}

void task_free_group_state(struct task_struct *t)
{
	unsigned long flags = arch_local_irq_save();
	bool last_signal = t->signal && --t->signal->count == 0;
	bool last_sighand = t->sighand && --t->sighand->count == 0;

	arch_local_irq_restore(flags);
	if (last_signal)
		kfree(t->signal);
	if (last_sighand)
		kfree(t->sighand);
	t->signal = NULL;
	t->sighand = NULL;
	fs_put(t);
}

void copy_group_state(struct task_struct *p, unsigned long clone_flags)
{
	unsigned long flags;

	if (clone_flags & CLONE_FS) {
		kfree(p->fs);
		p->fs = current->fs;
		p->fs->users++;
	} else if (current->fs && current->fs->cwd) {
		p->fs->cwd = iget(current->fs->cwd);
	}
	flags = arch_local_irq_save();
	if (clone_flags & CLONE_SIGHAND) {
		kfree(p->sighand);
		p->sighand = current->sighand;
		p->sighand->count++;
	}
	if (clone_flags & CLONE_THREAD) {
		kfree(p->signal);
		p->signal = current->signal;
		p->signal->count++;
		p->tgid = current->tgid;
		p->group_leader = current->group_leader;
		INIT_LIST_HEAD(&p->thread_node);	/* joins the list in thread_group_link */
	}
	arch_local_irq_restore(flags);
}

void thread_group_link(struct task_struct *p)
{
	struct signal_struct *sig = p->signal;

	BUG_ON(p->signal != current->signal || sig->live <= 0);
	spin_lock(&tasklist_lock);
	spin_lock(&p->sighand->siglock);
	p->parent = current->group_leader->parent;	/* getppid's answer; wait4 only sees the leader */
	sig->live++;
	sig->nr_threads++;
	list_add_tail(&p->thread_node, &sig->thread_head);
	list_add_tail(&p->tasks, &task_list);
	if ((sig->flags & SIGNAL_GROUP_EXIT) || sig->group_exec_task)
		p->sigpending |= sigmask(SIGKILL);	/* joined a dying group: dies before user mode */
	spin_unlock(&p->sighand->siglock);
	spin_unlock(&tasklist_lock);
}

void unhash_thread(struct task_struct *t)
{
	BUG_ON(!kernel_locked());
	spin_lock(&t->sighand->siglock);
	BUG_ON(list_empty(&t->thread_node) || t->signal->nr_threads <= 0);
	list_del_init(&t->thread_node);
	t->signal->nr_threads--;
	spin_unlock(&t->sighand->siglock);
}

struct task_struct *find_live_thread(struct task_struct *t)
{
	struct list_head *pos;

	list_for_each(pos, &t->signal->thread_head) {
		struct task_struct *u = list_entry(pos, struct task_struct, thread_node);

		if (!(u->flags & PF_EXITING))
			return u;
	}
	return NULL;
}

int unshare_sighand(void)
{
	struct sighand_struct *copy, *old = current->sighand;
	unsigned long flags;

	if (old->count == 1)
		return 0;
	copy = kmalloc(sizeof(*copy));
	if (!copy)
		return -ENOMEM;
	flags = arch_local_irq_save();
	memcpy(copy->action, old->action, sizeof(copy->action));
	spin_lock_init(&copy->siglock, "siglock");
	copy->count = 1;
	old->count--;
	current->sighand = copy;
	arch_local_irq_restore(flags);
	return 0;
}

/* Is current alone in its group: every other thread unhashed and the old leader, if not current, a zombie? */
static bool others_gone(const struct signal_struct *sig)
{
	const struct task_struct *leader = current->group_leader;

	if (leader == current)
		return sig->nr_threads == 1;
	return sig->nr_threads == 2 && leader->state == TASK_ZOMBIE;
}

/* current takes the place of the zombie leader: its pid, parent and children link (Linux's exchange_tids). */
static void take_leader_place(struct task_struct *leader)
{
	struct task_struct *tsk = current;
	int tid = tsk->pid;

	tsk->pid = leader->pid;
	leader->pid = tid;
	tsk->start_time_ns = leader->start_time_ns;
	tsk->parent = leader->parent;
	list_add(&tsk->sibling, &leader->sibling);	/* in the leader's place among the children */
	list_del_init(&leader->sibling);
	tsk->group_leader = tsk;
	leader->group_leader = tsk;
	unhash_thread(leader);
	spin_lock(&tasklist_lock);
	list_del_init(&leader->tasks);
	spin_unlock(&tasklist_lock);
}

int de_thread(void)
{
	struct signal_struct *sig = current->signal;
	struct task_struct *leader = NULL;
	unsigned long flags = arch_local_irq_save();

	if (sig->nr_threads == 1 && thread_group_leader(current))
		goto out;
	if ((sig->flags & SIGNAL_GROUP_EXIT) || sig->group_exec_task) {
		arch_local_irq_restore(flags);
		return -EAGAIN;		/* another exit or exec goes first: current dies in it */
	}
	sig->group_exec_task = current;
	spin_lock(&current->sighand->siglock);
	zap_other_threads(current);
	spin_unlock(&current->sighand->siglock);
	while (!others_gone(sig)) {
		if (fatal_signal_pending(current)) {
			sig->group_exec_task = NULL;
			arch_local_irq_restore(flags);
			return -EAGAIN;
		}
		/* The dying threads wake us (exit.c); a pending signal of ours only yields. */
		if (sleep_on(&sig->group_exec_task, 0))
			schedule();
	}
	if (!thread_group_leader(current)) {
		leader = current->group_leader;
		take_leader_place(leader);
	}
	sig->group_exec_task = NULL;
out:
	arch_local_irq_restore(flags);
	if (leader) {
		wait_task_inactive(leader);	/* its exit may still be switching it out elsewhere */
		task_free(leader);
	}
	return 0;
}
