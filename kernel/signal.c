/*
 * signal.c - sending signals (see signal.h): the pending sets and their
 * siginfo, kill/tkill/tgkill, the faults of user code, SIGCHLD to a parent,
 * and the group kill of exit_group and of fatal signals.
 *
 * Every pending set and its siginfo change under the group's
 * sighand->siglock (Linux's): a signal may be sent from the tick (SIGALRM),
 * from a fault (SIGSEGV ...) or from a system call on another CPU.  The
 * thread list and the group's exit state change under the big kernel lock
 * and the siglock both (kernel/sched.h legend (g)).
 */
#include "kernel/arch.h"
#include "kernel/printk.h"
#include "kernel/signal.h"
#include "kernel/syscall.h"
#include <uapi/errno.h>

static const char *const signal_names[] = {
	[SIGILL] = "SIGILL", [SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT", [SIGBUS] = "SIGBUS",
	[SIGFPE] = "SIGFPE", [SIGKILL] = "SIGKILL", [SIGSEGV] = "SIGSEGV", [SIGTERM] = "SIGTERM",
};

const char *signal_name(int sig)
{
	if (sig > 0 && sig < (int)ARRAY_SIZE(signal_names) && signal_names[sig])
		return signal_names[sig];
	return "signal";
}

/* Would sig be thrown away on arrival at t?  (Linux's sig_ignored.) */
static bool sig_ignored(const struct task_struct *t, int sig, bool force)
{
	void (*handler)(int) = t->sighand->action[sig - 1].sa_handler;

	if (t->tgid == 1 && handler == SIG_DFL && !force)
		return true;	/* init is unkillable by what it does not handle */
	if (t->blocked & sigmask(sig))
		return false;	/* the handler may change before it is unblocked */
	return handler == SIG_IGN || (handler == SIG_DFL && sig_default_ignored(sig));
}

/* May t take sig now (Linux's wants_signal): it does not block it and is not exiting. */
static bool wants_signal(const struct task_struct *t, int sig)
{
	return !(t->blocked & sigmask(sig)) && !(t->flags & PF_EXITING) && t->state != TASK_ZOMBIE &&
	       t->state != TASK_DEAD;
}

/* Wake t for a signal it does not block, if it sleeps (Linux's signal_wake_up): decided
 * under rq_lock, so a sleep_on that did not see the signal is found asleep. */
static void signal_wake_up(struct task_struct *t)
{
	wake_up_sleeper(t);
}

/*
 * A process-directed sig is pending in t's group: wake one thread that may
 * take it, t itself when it can (Linux's complete_signal); if every thread
 * blocks it, it waits for the first to unblock it.  siglock held.
 */
static void complete_group_signal(struct task_struct *t, int sig)
{
	struct list_head *pos;

	if (wants_signal(t, sig)) {
		signal_wake_up(t);
		return;
	}
	list_for_each(pos, &t->signal->thread_head) {
		struct task_struct *u = list_entry(pos, struct task_struct, thread_node);

		if (wants_signal(u, sig)) {
			signal_wake_up(u);
			return;
		}
	}
}

void zap_other_threads(struct task_struct *p)
{
	struct list_head *pos;

	assert_spin_locked(&p->sighand->siglock);
	list_for_each(pos, &p->signal->thread_head) {
		struct task_struct *t = list_entry(pos, struct task_struct, thread_node);

		if (t == p || t->state == TASK_ZOMBIE || t->state == TASK_DEAD)
			continue;
		t->sigpending |= sigmask(SIGKILL);
		signal_wake_up(t);
	}
}

/* SIGKILL to any thread kills the process (Linux's complete_signal for a fatal signal). */
static void group_kill(struct task_struct *t)
{
	struct signal_struct *sig = t->signal;

	if (!(sig->flags & SIGNAL_GROUP_EXIT) && !sig->group_exec_task) {
		sig->flags = SIGNAL_GROUP_EXIT;
		sig->group_exit_code = SIGKILL;
	}
	zap_other_threads(t);
	if (t->state != TASK_ZOMBIE && t->state != TASK_DEAD) {
		t->sigpending |= sigmask(SIGKILL);
		signal_wake_up(t);
	}
}

/*
 * The one sending path: sig with info to thread t (group: to t's process,
 * its shared pending set).  Dropped when t's process is gone, t is a kernel
 * thread or the signal is ignored (sig_ignored).
 */
static void __send_signal(struct task_struct *t, int sig, const struct ksiginfo *info, bool force, bool group)
{
	kernel_sigset_t *pending = group ? &t->signal->shared_pending : &t->sigpending;
	struct ksiginfo *slot = group ? t->signal->shared_info : t->siginfo;
	bool gone;

	BUG_ON(!valid_signal(sig));
	spin_lock(&t->sighand->siglock);
	gone = group ? t->signal->live == 0 : (t->flags & PF_EXITING) != 0;
	if (gone || t->state == TASK_DEAD || (t->flags & PF_KTHREAD) || sig_ignored(t, sig, force))
		goto out;
	if (sig == SIGKILL) {
		group_kill(t);
		goto out;
	}
	if (!(*pending & sigmask(sig))) {
		*pending |= sigmask(sig);
		slot[sig - 1] = *info;
	}
	if (group)
		complete_group_signal(t, sig);
	else if (!(t->blocked & sigmask(sig)))
		signal_wake_up(t);
out:
	spin_unlock(&t->sighand->siglock);
}

void send_signal_info(struct task_struct *t, int sig, const struct ksiginfo *info, bool force)
{
	__send_signal(t, sig, info, force, false);
}

void group_send_sig_info(struct task_struct *t, int sig, const struct ksiginfo *info, bool force)
{
	__send_signal(t, sig, info, force, true);
}

int send_signal(struct task_struct *t, int sig)
{
	struct ksiginfo info = { .code = SI_KERNEL };

	if (!valid_signal(sig))
		return -EINVAL;
	send_signal_info(t, sig, &info, true);
	return 0;
}

void force_sig_fault(struct pt_regs *regs, int sig, int code, unsigned long addr, const char *cause)
{
	const struct sigaction *ka = &current->sighand->action[sig - 1];
	struct ksiginfo info = { .code = code, .addr = addr };

	if (ka->sa_handler == SIG_DFL || ka->sa_handler == SIG_IGN || (current->blocked & sigmask(sig)))
		force_fatal_signal(regs, sig, addr, cause);
	send_signal_info(current, sig, &info, true);
}

__noreturn void force_fatal_signal(struct pt_regs *regs, int sig, unsigned long addr, const char *cause)
{
	printk(KERN_INFO "pid %d (%s): %s at %#lx ip %#lx %s\n", current->pid, current->comm,
	       signal_name(sig), addr, instruction_pointer(regs), cause);
	do_group_exit(sig & 0x7f);
}

/*
 * Linux's check_kill_permission, as far as it goes with one user: the
 * signal number; then sig to t's process (group) or to thread t alone.
 */
static int kill_one(struct task_struct *t, int sig, const struct ksiginfo *info, bool group)
{
	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	if (sig)
		__send_signal(t, sig, info, false, group);
	return 0;
}

/*
 * kill(pid <= 0), once per process (at its leader): -1 is every process but
 * init and current's (kernel threads too: they ignore it); 0 is current's
 * process group, -pgid the group pgid.
 * foliOS has no setpgid, so every user process is in init's group, 1
 * (kernel threads are in none): 0 reaches them all, and -pgid (pgid > 1;
 * -1 is the case above) none: -ESRCH.
 */
static int kill_many(int pid, int sig, const struct ksiginfo *info)
{
	struct list_head *pos;
	int count = 0, ret = 0;

	if (pid < -1)
		return -ESRCH;
	list_for_each(pos, &task_list) {
		struct task_struct *t = list_entry(pos, struct task_struct, tasks);
		bool member = pid == -1 ? t->tgid > 1 && t->tgid != current->tgid :
					  t->pid > 0 && !(t->flags & PF_KTHREAD);

		if (!member || t != t->group_leader)
			continue;
		ret = kill_one(t, sig, info, true);
		count++;
	}
	return count ? ret : -ESRCH;
}

SYSCALL_DEFINE2(kill, int, pid, int, sig)
{
	struct ksiginfo info = { .code = SI_USER, .pid = current->tgid };
	struct task_struct *t;

	if (pid > 0) {	/* any thread's id names its process, as Linux's */
		t = find_task_by_vpid(pid);
		return t ? kill_one(t, sig, &info, true) : -ESRCH;
	}
	return kill_many(pid, sig, &info);
}

/* tkill/tgkill: thread tid (of process tgid when tgid > 0), its own pending set; -ESRCH once it exited. */
static int do_tkill(int tgid, int tid, int sig)
{
	struct ksiginfo info = { .code = SI_TKILL, .pid = current->tgid };
	struct task_struct *t = find_task_by_vpid(tid);

	if (!t || t->state == TASK_DEAD || (tgid > 0 && t->tgid != tgid))
		return -ESRCH;
	return kill_one(t, sig, &info, false);
}

SYSCALL_DEFINE2(tkill, int, tid, int, sig)
{
	if (tid <= 0)
		return -EINVAL;
	return do_tkill(0, tid, sig);
}

SYSCALL_DEFINE3(tgkill, int, tgid, int, tid, int, sig)
{
	if (tid <= 0 || tgid <= 0)
		return -EINVAL;
	return do_tkill(tgid, tid, sig);
}

void notify_parent(struct task_struct *t, int status)
{
	struct ksiginfo info = { .pid = t->tgid };

	if (status & 0x7f) {
		info.code = CLD_KILLED;
		info.status = status & 0x7f;
	} else {
		info.code = CLD_EXITED;
		info.status = (status >> 8) & 0xff;
	}
	group_send_sig_info(t->parent, SIGCHLD, &info, false);
}
