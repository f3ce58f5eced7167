/*
 * signal.c - kill(2) and fatal signals (see signal.h), plus the signal
 * system calls a static libc makes at start-up, accepted so programs run:
 * handlers are recorded nowhere and never run.
 */
#include "kernel/arch.h"
#include "kernel/printk.h"
#include "kernel/signal.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include <uapi/errno.h>

static const char *const signal_names[] = {
	[SIGILL] = "SIGILL", [SIGTRAP] = "SIGTRAP", [SIGBUS] = "SIGBUS", [SIGFPE] = "SIGFPE",
	[SIGKILL] = "SIGKILL", [SIGSEGV] = "SIGSEGV", [SIGTERM] = "SIGTERM",
};

const char *signal_name(int sig)
{
	if (sig > 0 && sig < (int)ARRAY_SIZE(signal_names) && signal_names[sig])
		return signal_names[sig];
	return "signal";
}

/* Signals whose default action is to do nothing (Linux: SIGCHLD, SIGCONT, SIGURG, SIGWINCH). */
static bool sig_default_ignored(int sig)
{
	return sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH;
}

int send_signal(struct task_struct *t, int sig)
{
	unsigned long flags;

	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	if (sig == 0 || sig_default_ignored(sig) || (t->flags & PF_KTHREAD))
		return 0;	/* kernel threads ignore signals, as Linux's */
	flags = arch_local_irq_save();
	t->sigpending |= 1U << ((sig - 1) & 31);
	if (t->state == TASK_SLEEPING)
		wake_up_task(t);
	arch_local_irq_restore(flags);
	return 0;
}

/* The lowest pending signal number (only called when one is pending). */
static int next_signal(const struct task_struct *t)
{
	return __builtin_ctz(t->sigpending) + 1;
}

void exit_to_user_mode(void)
{
	if (need_resched)
		schedule();
	if (current->sigpending)
		do_exit_signal(next_signal(current));
}

__noreturn void force_fatal_signal(struct pt_regs *regs, int sig, unsigned long addr, const char *cause)
{
	printk(KERN_INFO "pid %d (%s): %s at %#lx ip %#lx %s\n", current->pid, current->comm,
	       signal_name(sig), addr, instruction_pointer(regs), cause);
	do_exit_signal(sig);
}

SYSCALL_DEFINE2(kill, int, pid, int, sig)
{
	struct task_struct *t;

	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	if (pid <= 0)
		return -EINVAL;	/* process groups: not supported */
	t = find_task(pid);
	if (!t)
		return -ESRCH;
	if (pid == 1 && sig)
		return 0;	/* like Linux, init ignores signals it has no handler for */
	return send_signal(t, sig);
}

SYSCALL_DEFINE4(rt_sigaction, int, sig, const void __user *, act, void __user *, oact, size_t, size)
{
	if (sig < 1 || sig > _NSIG || size != 8)
		return -EINVAL;
	if ((sig == SIGKILL || sig == SIGSTOP) && act)
		return -EINVAL;
	/* No handler ever runs; report "default action" for the old one (handler 0, all fields 0). */
	if (oact && clear_user(oact, 4 * sizeof(long)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE4(rt_sigprocmask, int, how, const void __user *, set, void __user *, oset, size_t, size)
{
	if (size != 8 || how < 0 || how > 2)
		return -EINVAL;
	if (oset && clear_user(oset, 8))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(sigaltstack, const void __user *, ss, void __user *, old)
{
	/* stack_t: { void *ss_sp; int ss_flags; size_t ss_size; }: report "disabled". */
	int disabled = SS_DISABLE;

	if (old && (clear_user(old, 3 * sizeof(long)) ||
		    copy_to_user((char __user *)old + sizeof(long), &disabled, sizeof(disabled))))
		return -EFAULT;
	return 0;
}
