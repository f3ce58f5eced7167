/*
 * asm/syscall.h (x86_64) - the system call a user frame stopped in, for
 * signal delivery (kernel/signal.c): its number, its result, and how to
 * issue it again (Linux's asm/syscall.h).  entry_SYSCALL_64 marks the frame
 * with vector -1 and keeps the number in orig_ax; rax gets the result.
 */
#ifndef ASM_SYSCALL_H
#define ASM_SYSCALL_H

#include <asm/ptrace.h>

#define NO_SYSCALL	(-1L)

/* The number of the call regs is returning from, or NO_SYSCALL (an interrupt, a fault). */
static inline long syscall_get_nr(const struct pt_regs *regs)
{
	return regs->vector == (u64)-1 ? (long)regs->orig_ax : NO_SYSCALL;
}

static inline long syscall_get_return(const struct pt_regs *regs)
{
	return (long)regs->rax;
}

/* Issue the same call again: the number back in rax, rip back over the 2-byte SYSCALL. */
static inline void syscall_rewind(struct pt_regs *regs)
{
	regs->rax = regs->orig_ax;
	regs->rip -= 2;
}

/* The frame no longer returns from a call (restarting is decided, or sigreturn rewrote it). */
static inline void forget_syscall(struct pt_regs *regs)
{
	regs->orig_ax = (u64)NO_SYSCALL;
}

#endif
