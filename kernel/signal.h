/*
 * signal.h - signals, as far as foliOS has them: every signal whose default
 * action is to terminate does so (no handlers are ever run); the ones Linux
 * ignores by default are ignored.  Fatal CPU exceptions in user mode become
 * SIGSEGV/SIGILL/SIGFPE/SIGTRAP through force_fatal_signal().
 */
#ifndef KERNEL_SIGNAL_H
#define KERNEL_SIGNAL_H

#include "kernel/sched.h"	/* and through it <uapi/signal.h> */

/*
 * A user-mode fault the kernel cannot resolve: print
 * "pid N (name): SIGSEGV at ADDR ip IP cause" and terminate current.
 */
__noreturn void force_fatal_signal(struct pt_regs *regs, int sig, unsigned long addr,
				   const char *cause);
const char *signal_name(int sig);

/*
 * Run the fault path for a fault on a user address (from user mode, or from
 * a uaccess instruction); true when the access can be retried.  A user-mode
 * fault that runs out of memory kills the task with SIGKILL ("out of
 * memory"), as Linux's OOM killer would pick the faulting task.
 */
bool fault_user_address(struct pt_regs *regs, unsigned long addr, unsigned int flags);

#endif
