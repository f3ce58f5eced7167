/*
 * asm/ptrace.h (host) - a minimal register frame so kernel/sched.h and the
 * fault entry (mm/fault.c) compile; tests that fake a trap set `user`.
 */
#ifndef ASM_PTRACE_H
#define ASM_PTRACE_H

#include "kernel/types.h"

struct pt_regs {
	u64 ip, sp;	/* never filled on the host */
	bool user;	/* the trap came from user mode */
};

static inline bool user_mode(const struct pt_regs *regs)
{
	return regs->user;
}

#endif
