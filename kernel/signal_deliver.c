/*
 * signal_deliver.c - acting on pending signals on the way back to user
 * mode (see signal.h): default actions, system-call restarting
 * (kernel/errno.h), the handler's frame through the arch, and the helpers
 * the arch frames share (siginfo, the alternate stack).
 */
#include "kernel/arch.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/signal.h"
#include "kernel/smp_lock.h"
#include "kernel/string.h"
#include "kernel/uaccess.h"
#include <asm/syscall.h>

/* The signals of a faulting instruction: delivered before any other. */
#define SYNCHRONOUS_MASK	(sigmask(SIGSEGV) | sigmask(SIGBUS) | sigmask(SIGILL) | \
				 sigmask(SIGTRAP) | sigmask(SIGFPE) | sigmask(SIGSYS))

/* Take the next signal of *pending not blocked (synchronous ones first) with its info from slot[]; 0 if none. */
static int __dequeue_signal(kernel_sigset_t *pending, const struct ksiginfo *slot, struct ksiginfo *info)
{
	kernel_sigset_t mask = *pending & ~current->blocked;
	int sig;

	if (!mask)
		return 0;
	if (mask & SYNCHRONOUS_MASK)
		mask &= SYNCHRONOUS_MASK;
	sig = __builtin_ctzl(mask) + 1;
	BUG_ON(!valid_signal(sig) || (sigmask(sig) & current->blocked));
	*pending &= ~sigmask(sig);
	*info = slot[sig - 1];
	return sig;
}

/* The next signal current acts on: its own set first, then its process's (Linux's dequeue_signal). */
static int dequeue_signal(struct ksiginfo *info)
{
	spinlock_t *siglock = &current->sighand->siglock;
	int sig;

	spin_lock(siglock);
	sig = __dequeue_signal(&current->sigpending, current->siginfo, info);
	if (!sig)
		sig = __dequeue_signal(&current->signal->shared_pending, current->signal->shared_info, info);
	spin_unlock(siglock);
	return sig;
}

/*
 * Dequeue signals until one has a handler to run: fill *ksig and return
 * true (SA_RESETHAND: the default action is back for the next one).
 * Default actions happen here: ignore, or terminate the process (no return).  false:
 * nothing is left to act on.
 */
static bool get_signal(struct ksignal *ksig)
{
	int sig;

	while ((sig = dequeue_signal(&ksig->info))) {
		struct sigaction *ka = &current->sighand->action[sig - 1];

		if (ka->sa_handler == SIG_IGN)
			continue;
		if (ka->sa_handler != SIG_DFL) {
			ksig->sig = sig;
			ksig->ka = *ka;
			if (ka->sa_flags & SA_RESETHAND)
				ka->sa_handler = SIG_DFL;
			return true;
		}
		if (sig_default_ignored(sig) || (current->tgid == 1 && sig != SIGKILL))
			continue;
		do_group_exit(sig);	/* the whole process; a group exit already begun keeps its status */
	}
	return false;
}

/* The handler's frame could not be written: SIGSEGV, fatal when it is the one being handled. */
static void force_sigsegv(struct pt_regs *regs, int sig)
{
	if (sig == SIGSEGV)
		force_fatal_signal(regs, SIGSEGV, 0, "(cannot write the SIGSEGV handler's frame)");
	force_sig_fault(regs, SIGSEGV, SI_KERNEL, 0, "(cannot write a signal handler's frame)");
}

/* The mask the frame saves (rt_sigreturn puts it back): rt_sigsuspend's, if it is waiting. */
static kernel_sigset_t sigmask_to_save(void)
{
	return current->restore_sigmask ? current->saved_sigmask : current->blocked;
}

/*
 * Run ksig's handler: settle the interrupted system call (kernel/errno.h's
 * table), write the frame, then mask what the handler runs with.
 */
static void handle_signal(struct ksignal *ksig, struct pt_regs *regs)
{
	kernel_sigset_t blocked;

	if (syscall_get_nr(regs) != NO_SYSCALL) {
		switch (syscall_get_return(regs)) {
		case -ERESTARTNOHAND:
			regs_set_return_value(regs, -EINTR);
			break;
		case -ERESTARTSYS:
			if (!(ksig->ka.sa_flags & SA_RESTART)) {
				regs_set_return_value(regs, -EINTR);
				break;
			}
			/* fall through */
		case -ERESTARTNOINTR:
			syscall_rewind(regs);
			break;
		}
		forget_syscall(regs);
	}
	if (arch_setup_rt_frame(ksig, sigmask_to_save(), regs)) {
		force_sigsegv(regs, ksig->sig);
		return;
	}
	current->restore_sigmask = false;
	if (current->sas_ss_flags & SS_AUTODISARM) {	/* the frame's uc_stack has it */
		current->sas_ss_sp = current->sas_ss_size = 0;
		current->sas_ss_flags = SS_DISABLE;
	}
	blocked = current->blocked | ksig->ka.sa_mask;
	if (!(ksig->ka.sa_flags & SA_NODEFER))
		blocked |= sigmask(ksig->sig);
	set_current_blocked(blocked);
}

/* No handler ran for the interrupted call: every restart code restarts it. */
static void restart_syscall_no_handler(struct pt_regs *regs)
{
	switch (syscall_get_return(regs)) {
	case -ERESTARTNOHAND:
	case -ERESTARTSYS:
	case -ERESTARTNOINTR:
		syscall_rewind(regs);
	}
	forget_syscall(regs);
}

void exit_to_user_mode(struct pt_regs *regs)
{
	struct ksignal ksig;

	BUG_ON(!user_mode(regs) || regs != current->user_regs);
	for (;;) {
		if (need_resched)
			schedule();
		if (signal_pending(current)) {
			bool handler;

			lock_kernel();	/* the handlers, the group's exit (kernel/smp_lock.h) */
			handler = get_signal(&ksig);
			if (handler)
				handle_signal(&ksig, regs);
			unlock_kernel();
			if (handler)
				continue;
		}
		if (syscall_get_nr(regs) != NO_SYSCALL)
			restart_syscall_no_handler(regs);
		if (!current->restore_sigmask)
			break;
		current->restore_sigmask = false;	/* rt_sigsuspend woke for an ignored signal */
		set_current_blocked(current->saved_sigmask);
	}
}

void fill_siginfo(siginfo_t *si, int sig, const struct ksiginfo *info)
{
	memset(si, 0, sizeof(*si));
	si->si_signo = sig;
	si->si_code = info->code;
	if (info->code > 0 && info->code < SI_KERNEL && sig != SIGCHLD) {
		si->si_addr = (void *)info->addr;
		return;
	}
	si->si_pid = info->pid;
	si->si_uid = 0;
	if (sig == SIGCHLD)
		si->si_status = info->status;
}

bool __on_sig_stack(unsigned long sp)
{
	return sp > current->sas_ss_sp && sp - current->sas_ss_sp <= current->sas_ss_size;
}

int sas_ss_flags(unsigned long sp)
{
	if (!current->sas_ss_size)
		return SS_DISABLE;
	if (current->sas_ss_flags & SS_AUTODISARM)
		return 0;	/* never "on" it: every handler starts at its top */
	return __on_sig_stack(sp) ? SS_ONSTACK : 0;
}

unsigned long sigsp(unsigned long sp, const struct ksignal *ksig)
{
	if ((ksig->ka.sa_flags & SA_ONSTACK) && !sas_ss_flags(sp))
		return current->sas_ss_sp + current->sas_ss_size;
	return sp;
}

int save_altstack(stack_t __user *uss)
{
	stack_t ss;

	memset(&ss, 0, sizeof(ss));
	ss.ss_sp = (void *)current->sas_ss_sp;
	ss.ss_flags = current->sas_ss_size ? (int)current->sas_ss_flags : SS_DISABLE;	/* as set */
	ss.ss_size = current->sas_ss_size;
	return copy_to_user(uss, &ss, sizeof(ss)) ? -EFAULT : 0;
}

int restore_altstack(const stack_t __user *uss, unsigned long sp)
{
	stack_t ss;

	if (copy_from_user(&ss, uss, sizeof(ss)))
		return -EFAULT;
	(void)do_sigaltstack(&ss, NULL, sp);
	return 0;
}
