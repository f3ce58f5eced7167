/*
 * signal.h - Linux's signals: handlers, masks, pending sets, frames.
 *
 * Sending (kernel/signal.c): kill, tkill, tgkill, the kernel's own signals
 * (SIGALRM of the interval timer, SIGCHLD to a parent, SIGKILL of the OOM
 * killer) and the faults of user code (force_sig_fault) make a signal
 * pending in a 64-bit set, with the siginfo it will see: the thread's own
 * set (tkill, tgkill, faults, SIGPIPE) or its process's shared one (kill,
 * SIGALRM, SIGCHLD), which any thread not blocking the signal takes; one
 * such thread is woken (Linux's complete_signal).  SIGKILL, however sent,
 * kills every thread of the process.  One
 * instance per signal number is kept: a signal sent while the same one is
 * pending is merged into it, the real-time ones too (Linux queues those).
 * A signal whose action is to ignore it is dropped at once unless blocked;
 * kernel threads ignore all; init (pid 1) drops what it has no handler for
 * unless the kernel forces it.  A sleeping task is woken by a signal it does
 * not block: sleep_on returns -EINTR, and the call returns -ERESTARTSYS or
 * -EINTR (kernel/errno.h).
 *
 * Delivering (kernel/signal_deliver.c), in exit_to_user_mode on every way
 * back to user mode: the thread's own set before the shared one, in each
 * the synchronous signals (the faults) first, then the lowest number.
 * SIG_DFL: ignore (SIGCHLD, SIGCONT, SIGURG, SIGWINCH, and,
 * as stopping is not supported, SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU) or
 * terminate the whole process (do_group_exit: every other; foliOS writes no core files, so the wait status
 * never has WCOREDUMP, as Linux with RLIMIT_CORE 0).  A handler: the system
 * call the signal interrupted is restarted or fails with -EINTR
 * (SA_RESTART, kernel/errno.h), the arch writes Linux's struct rt_sigframe
 * on the user stack or the alternate one (SA_ONSTACK), the mask grows by
 * sa_mask and the signal itself (unless SA_NODEFER), SA_RESETHAND puts the
 * default action back, and the handler runs; rt_sigreturn (arch) puts
 * everything back from the frame, or kills with SIGSEGV when the frame is
 * bad.  A frame that cannot be written is SIGSEGV too.
 *
 * The masks, handlers and sigaltstack (kernel/sigaction.c) are inherited by
 * fork; the pending set and the interval timer are not.  A thread
 * (CLONE_THREAD) shares the handlers (CLONE_SIGHAND), the shared pending set
 * and the interval timer, and has its own mask, pending set and (none at
 * first) sigaltstack.  execve resets the handlers to SIG_DFL (SIG_IGN stays)
 * and removes the sigaltstack.
 *
 * Interval timers (kernel/itimer.c): alarm and ITIMER_REAL send SIGALRM.
 */
#ifndef KERNEL_SIGNAL_H
#define KERNEL_SIGNAL_H

#include "kernel/sched.h"	/* and through it <uapi/signal.h> */
#include "kernel/syscall.h"

/* A signal about to be handled: its number, its action, what it carries. */
struct ksignal {
	int sig;
	struct sigaction ka;
	struct ksiginfo info;
};

/* Signals that can be neither caught, blocked nor ignored. */
#define SIG_KERNEL_ONLY_MASK	(sigmask(SIGKILL) | sigmask(SIGSTOP))

static inline bool valid_signal(int sig)
{
	return sig >= 1 && sig <= _NSIG;
}

/* Is doing nothing sig's default action?  (Linux's, plus the stop signals: no stopping here.) */
static inline bool sig_default_ignored(int sig)
{
	return sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH ||
	       sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

/* ---- sending (signal.c) ---- */

/*
 * Make sig pending in t with info (unless it is ignored, see the top),
 * waking t when it sleeps and does not block sig.  force: the kernel
 * insists (init's no-handler rule does not apply).  Interrupts may be off.
 */
void send_signal_info(struct task_struct *t, int sig, const struct ksiginfo *info, bool force);
/* The same to t's process: its shared pending set (Linux's group_send_sig_info). */
void group_send_sig_info(struct task_struct *t, int sig, const struct ksiginfo *info, bool force);
/* SIGKILL every thread of p's process but p, waking them (Linux's zap_other_threads); interrupts off. */
void zap_other_threads(struct task_struct *p);
/*
 * A user-mode fault raises sig with si_code code and si_addr addr.  With a
 * handler installed and sig not blocked, it is made pending and runs on the
 * way back to user mode (it may fix the cause and return to retry).
 * Otherwise, as Linux's force_sig_fault, the default action happens at once:
 * the kernel prints "pid N (name): SIGSEGV at ADDR ip IP cause" and
 * terminates current.
 */
void force_sig_fault(struct pt_regs *regs, int sig, int code, unsigned long addr, const char *cause);
/*
 * A user-mode fault the kernel cannot resolve and no handler may see
 * (SIGKILL when memory ran out): print the line above and terminate current.
 */
__noreturn void force_fatal_signal(struct pt_regs *regs, int sig, unsigned long addr,
				   const char *cause);
const char *signal_name(int sig);
/* do_exit: SIGCHLD to t's parent for t ending with wait status status (CLD_EXITED/KILLED). */
void notify_parent(struct task_struct *t, int status);

/* ---- masks and the sigaltstack (sigaction.c) ---- */

/* Set current's mask (SIGKILL and SIGSTOP are taken out). */
void set_current_blocked(kernel_sigset_t set);
/*
 * rt_sigsuspend's and ppoll's temporary mask (Linux's set_user_sigmask): copy
 * *umask in (sigsetsize must be 8: -EINVAL; -EFAULT) and block it, saving the
 * old mask to put back after the handler of the signal that ends the wait
 * (or at once by the caller, restore_sigmask cleared, when none did).  0 or -errno.
 */
long set_user_sigmask(const kernel_sigset_t __user *umask, size_t sigsetsize);
/*
 * sigaltstack's work: report the alternate stack in *oss, install *ss
 * (either may be NULL); sp is the user stack pointer.  0, -EPERM (changing
 * it while running on it), -EINVAL (bad ss_flags), -ENOMEM (smaller than
 * MINSIGSTKSZ).
 */
int do_sigaltstack(const stack_t *ss, stack_t *oss, unsigned long sp);
/*
 * fork/clone: the child gets current's mask, handlers (unless it shares them:
 * CLONE_SIGHAND), sigaltstack (not a CLONE_VM one, as Linux) and sigpage;
 * nothing pending.
 */
void copy_signal_state(struct task_struct *child, unsigned long clone_flags);
/* execve: handlers back to SIG_DFL (SIG_IGN stays), no sigaltstack. */
void flush_signal_handlers(void);

/* ---- delivery, for the arch's frames (signal_deliver.c) ---- */

/* The siginfo_t the handler sees. */
void fill_siginfo(siginfo_t *si, int sig, const struct ksiginfo *info);
/* Is sp inside the alternate stack (regardless of SS_AUTODISARM)? */
bool __on_sig_stack(unsigned long sp);
/*
 * Where the frame goes: the top of the alternate stack for an SA_ONSTACK
 * handler when there is one and current is not on it yet, else sp.
 */
unsigned long sigsp(unsigned long sp, const struct ksignal *ksig);
/* sigaltstack's view of sp: SS_DISABLE (no stack), SS_ONSTACK (on it) or 0. */
int sas_ss_flags(unsigned long sp);
/* Write the sigaltstack, as sigaltstack set it, as the frame's uc_stack.  0 or -EFAULT. */
int save_altstack(stack_t __user *uss);
/* rt_sigreturn: reinstall the frame's uc_stack (errors other than -EFAULT ignored, as Linux). */
int restore_altstack(const stack_t __user *uss, unsigned long sp);

/* ---- interval timers (itimer.c) ---- */

/* The tick, interrupts off: fire t's ITIMER_REAL (SIGALRM) if its deadline is past now. */
void itimer_tick(struct task_struct *t, u64 now);

/* ---- the arch (arch/<arch>/signal.c) ---- */

/*
 * Write the signal frame for ksig on the user stack and point regs at the
 * handler (oldset: the mask the frame saves).  0, or -EFAULT when the frame
 * cannot be written (or, on x86_64, the handler has no SA_RESTORER).
 */
int arch_setup_rt_frame(struct ksignal *ksig, kernel_sigset_t oldset, struct pt_regs *regs);

#endif
