/*
 * sigaction.c - the per-task signal state user space sets (see signal.h):
 * rt_sigaction, rt_sigprocmask, rt_sigpending, rt_sigsuspend, pause,
 * sigaltstack, with Linux's argument checks in Linux's order; and what fork
 * and execve do to that state.
 */
#include "kernel/arch.h"
#include "kernel/errno.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include <uapi/sched.h>

/* The sa_flags rt_sigaction keeps; others (SA_UNSUPPORTED ...) read back as 0, as Linux. */
#define UAPI_SA_FLAGS	(SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_ONSTACK | SA_RESTART | \
			 SA_NODEFER | SA_RESETHAND | SA_EXPOSE_TAGBITS | SA_RESTORER)

void set_current_blocked(kernel_sigset_t set)
{
	spin_lock(&current->sighand->siglock);	/* a sender decides whom to wake by it */
	current->blocked = set & ~SIG_KERNEL_ONLY_MASK;
	spin_unlock(&current->sighand->siglock);
}

/* Does handler throw sig away?  Then a pending sig goes (POSIX: even a blocked one). */
static bool sig_handler_ignored(void (*handler)(int), int sig)
{
	return handler == SIG_IGN || (handler == SIG_DFL && sig_default_ignored(sig));
}

/* Drop the signals of mask pending anywhere in t's process (a handler set to ignore them). */
static void flush_sigqueue_mask(struct task_struct *t, kernel_sigset_t mask)
{
	struct list_head *pos;

	t->signal->shared_pending &= ~mask;
	list_for_each(pos, &t->signal->thread_head)
		list_entry(pos, struct task_struct, thread_node)->sigpending &= ~mask;
}

static int do_sigaction(int sig, struct sigaction *act, struct sigaction *oact)
{
	struct sigaction *k;

	if (!valid_signal(sig) || (act && (sigmask(sig) & SIG_KERNEL_ONLY_MASK)))
		return -EINVAL;
	k = &current->sighand->action[sig - 1];
	if (oact) {
		*oact = *k;
		oact->sa_flags &= UAPI_SA_FLAGS;
	}
	if (act) {
		act->sa_flags &= UAPI_SA_FLAGS;
		act->sa_mask &= ~SIG_KERNEL_ONLY_MASK;
		spin_lock(&current->sighand->siglock);
		*k = *act;
		if (sig_handler_ignored(k->sa_handler, sig))
			flush_sigqueue_mask(current, sigmask(sig));
		spin_unlock(&current->sighand->siglock);
	}
	return 0;
}

SYSCALL_DEFINE4(rt_sigaction, int, sig, const struct sigaction __user *, act,
		struct sigaction __user *, oact, size_t, sigsetsize)
{
	struct sigaction new, old;
	int ret;

	if (sigsetsize != sizeof(kernel_sigset_t))
		return -EINVAL;
	if (act && copy_from_user(&new, act, sizeof(new)))
		return -EFAULT;
	ret = do_sigaction(sig, act ? &new : NULL, oact ? &old : NULL);
	if (!ret && oact && copy_to_user(oact, &old, sizeof(old)))
		return -EFAULT;
	return ret;
}

SYSCALL_DEFINE4(rt_sigprocmask, int, how, const kernel_sigset_t __user *, nset, kernel_sigset_t __user *, oset,
		size_t, sigsetsize)
{
	kernel_sigset_t old = current->blocked, new;

	if (sigsetsize != sizeof(kernel_sigset_t))
		return -EINVAL;
	if (nset) {
		if (copy_from_user(&new, nset, sizeof(new)))
			return -EFAULT;
		switch (how) {
		case SIG_BLOCK:
			set_current_blocked(old | new);
			break;
		case SIG_UNBLOCK:
			set_current_blocked(old & ~new);
			break;
		case SIG_SETMASK:
			set_current_blocked(new);
			break;
		default:
			return -EINVAL;
		}
	}
	if (oset && copy_to_user(oset, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* The signals pending but blocked (sigsetsize may be short: that many bytes of the set). */
SYSCALL_DEFINE2(rt_sigpending, kernel_sigset_t __user *, uset, size_t, sigsetsize)
{
	kernel_sigset_t set = (current->sigpending | current->signal->shared_pending) & current->blocked;

	if (sigsetsize > sizeof(kernel_sigset_t))
		return -EINVAL;
	return copy_to_user(uset, &set, sigsetsize) ? -EFAULT : 0;
}

/* Sleep until a signal current does not block is pending; ends the call with -ERESTARTNOHAND. */
static long wait_for_signal(void)
{
	unsigned long flags = arch_local_irq_save();

	while (!sleep_on(&current->sigpending, 0))
		;	/* only a signal ends it */
	arch_local_irq_restore(flags);
	return -ERESTARTNOHAND;
}

long set_user_sigmask(const kernel_sigset_t __user *umask, size_t sigsetsize)
{
	kernel_sigset_t new;

	if (sigsetsize != sizeof(kernel_sigset_t))
		return -EINVAL;
	if (copy_from_user(&new, umask, sizeof(new)))
		return -EFAULT;
	current->saved_sigmask = current->blocked;
	current->restore_sigmask = true;
	set_current_blocked(new);
	return 0;
}

/* The mask becomes *unewset until a handler has run; the frame saves the old one. */
SYSCALL_DEFINE2(rt_sigsuspend, const kernel_sigset_t __user *, unewset, size_t, sigsetsize)
{
	long err = set_user_sigmask(unewset, sigsetsize);

	return err ? err : wait_for_signal();
}

SYSCALL_DEFINE0(pause)
{
	return wait_for_signal();
}

int do_sigaltstack(const stack_t *ss, stack_t *oss, unsigned long sp)
{
	unsigned int mode;

	if (oss) {
		memset(oss, 0, sizeof(*oss));
		oss->ss_sp = (void *)current->sas_ss_sp;
		oss->ss_size = current->sas_ss_size;
		oss->ss_flags = sas_ss_flags(sp) | (current->sas_ss_flags & SS_AUTODISARM);
	}
	if (!ss)
		return 0;
	if (current->sas_ss_size && !(current->sas_ss_flags & SS_AUTODISARM) && __on_sig_stack(sp))
		return -EPERM;
	mode = (unsigned int)ss->ss_flags & ~SS_AUTODISARM;
	if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0)
		return -EINVAL;
	if (mode == SS_DISABLE) {
		current->sas_ss_sp = current->sas_ss_size = 0;
	} else {
		if (ss->ss_size < MINSIGSTKSZ)
			return -ENOMEM;
		current->sas_ss_sp = (unsigned long)ss->ss_sp;
		current->sas_ss_size = ss->ss_size;
	}
	current->sas_ss_flags = (unsigned int)ss->ss_flags;
	return 0;
}

SYSCALL_DEFINE2(sigaltstack, const stack_t __user *, uss, stack_t __user *, uoss)
{
	stack_t new, old;
	int err;

	if (uss && copy_from_user(&new, uss, sizeof(new)))
		return -EFAULT;
	err = do_sigaltstack(uss ? &new : NULL, uoss ? &old : NULL,
			     user_stack_pointer(current->user_regs));
	if (!err && uoss && copy_to_user(uoss, &old, sizeof(old)))
		return -EFAULT;
	return err;
}

void copy_signal_state(struct task_struct *child, unsigned long clone_flags)
{
	child->blocked = current->blocked;
	if (!(clone_flags & CLONE_SIGHAND))
		memcpy(child->sighand->action, current->sighand->action, sizeof(child->sighand->action));
	/* Linux's copy_process: a CLONE_VM child without CLONE_VFORK starts with no sigaltstack. */
	if ((clone_flags & (CLONE_VM | CLONE_VFORK)) != CLONE_VM) {
		child->sas_ss_sp = current->sas_ss_sp;
		child->sas_ss_size = current->sas_ss_size;
		child->sas_ss_flags = current->sas_ss_flags;
	} else {
		child->sas_ss_flags = SS_DISABLE;
	}
	child->sigpage = current->sigpage;
}

void flush_signal_handlers(void)
{
	for (int i = 0; i < _NSIG; i++) {
		struct sigaction *k = &current->sighand->action[i];

		if (k->sa_handler != SIG_IGN)
			k->sa_handler = SIG_DFL;
		k->sa_flags = 0;
		k->sa_restorer = NULL;
		k->sa_mask = 0;
	}
	current->sas_ss_sp = current->sas_ss_size = 0;
	current->sas_ss_flags = SS_DISABLE;
}
