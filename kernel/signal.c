/*
 * signal.c - sending signals (see signal.h): the pending set and its
 * siginfo, kill/tkill/tgkill, the faults of user code, SIGCHLD to a parent.
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
	void (*handler)(int) = t->sighand[sig - 1].sa_handler;

	if (t->pid == 1 && handler == SIG_DFL && !force)
		return true;	/* init is unkillable by what it does not handle */
	if (t->blocked & sigmask(sig))
		return false;	/* the handler may change before it is unblocked */
	return handler == SIG_IGN || (handler == SIG_DFL && sig_default_ignored(sig));
}

void send_signal_info(struct task_struct *t, int sig, const struct ksiginfo *info, bool force)
{
	unsigned long flags = arch_local_irq_save();

	BUG_ON(!valid_signal(sig));
	if (t->state == TASK_ZOMBIE || (t->flags & PF_KTHREAD) || sig_ignored(t, sig, force))
		goto out;
	if (!(t->sigpending & sigmask(sig))) {
		t->sigpending |= sigmask(sig);
		t->siginfo[sig - 1] = *info;
	}
	if (t->state == TASK_SLEEPING && !(t->blocked & sigmask(sig)))
		wake_up_task(t);
out:
	arch_local_irq_restore(flags);
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
	const struct sigaction *ka = &current->sighand[sig - 1];
	struct ksiginfo info = { .code = code, .addr = addr };

	if (ka->sa_handler == SIG_DFL || ka->sa_handler == SIG_IGN || (current->blocked & sigmask(sig)))
		force_fatal_signal(regs, sig, addr, cause);
	send_signal_info(current, sig, &info, true);
}

__noreturn void force_fatal_signal(struct pt_regs *regs, int sig, unsigned long addr, const char *cause)
{
	printk(KERN_INFO "pid %d (%s): %s at %#lx ip %#lx %s\n", current->pid, current->comm,
	       signal_name(sig), addr, instruction_pointer(regs), cause);
	do_exit_signal(sig);
}

/* Linux's check_kill_permission, as far as it goes with one user: the signal number. */
static int kill_one(struct task_struct *t, int sig, const struct ksiginfo *info)
{
	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	if (sig)
		send_signal_info(t, sig, info, false);
	return 0;
}

/*
 * kill(pid <= 0): -1 is every process but init and current (kernel threads
 * too: they ignore it); 0 is current's process group, -pgid the group pgid.
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
		bool member = pid == -1 ? t->pid > 1 && t != current :
					  t->pid > 0 && !(t->flags & PF_KTHREAD);

		if (!member)
			continue;
		ret = kill_one(t, sig, info);
		count++;
	}
	return count ? ret : -ESRCH;
}

SYSCALL_DEFINE2(kill, int, pid, int, sig)
{
	struct ksiginfo info = { .code = SI_USER, .pid = current->pid };
	struct task_struct *t;

	if (pid > 0) {
		t = find_task_by_vpid(pid);
		return t ? kill_one(t, sig, &info) : -ESRCH;
	}
	return kill_many(pid, sig, &info);
}

/* tkill/tgkill: one thread; here every process has one, whose tid is its pid. */
static int do_tkill(int tgid, int tid, int sig)
{
	struct ksiginfo info = { .code = SI_TKILL, .pid = current->pid };
	struct task_struct *t = find_task_by_vpid(tid);

	if (!t || (tgid > 0 && tgid != tid))
		return -ESRCH;
	return kill_one(t, sig, &info);
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
	struct ksiginfo info = { .pid = t->pid };

	if (status & 0x7f) {
		info.code = CLD_KILLED;
		info.status = status & 0x7f;
	} else {
		info.code = CLD_EXITED;
		info.status = (status >> 8) & 0xff;
	}
	send_signal_info(t->parent, SIGCHLD, &info, false);
}
