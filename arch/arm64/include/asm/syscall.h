/*
 * asm/syscall.h (arm64) - the system call a user frame stopped in, for
 * signal delivery (kernel/signal.c): its number, its result, and how to
 * issue it again (Linux's asm/syscall.h).  arm64_trap sets syscallno for
 * every entry from EL0 (NO_SYSCALL unless it is an SVC); x0 gets the
 * result, so the first argument is kept in orig_x0.
 */
#ifndef ASM_SYSCALL_H
#define ASM_SYSCALL_H

#include <asm/ptrace.h>

#define NO_SYSCALL	(-1L)

/* The number of the call regs is returning from, or NO_SYSCALL (an interrupt, a fault). */
static inline long syscall_get_nr(const struct pt_regs *regs)
{
	return (long)regs->syscallno;
}

static inline long syscall_get_return(const struct pt_regs *regs)
{
	return (long)regs->regs[0];
}

/* Issue the same call again: x0 back to the first argument, pc back over the SVC. */
static inline void syscall_rewind(struct pt_regs *regs)
{
	regs->regs[0] = regs->orig_x0;
	regs->pc -= 4;
}

/* The frame no longer returns from a call (restarting is decided, or sigreturn rewrote it). */
static inline void forget_syscall(struct pt_regs *regs)
{
	regs->syscallno = (u64)NO_SYSCALL;
}

#endif
