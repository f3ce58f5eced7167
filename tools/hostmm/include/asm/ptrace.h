/* asm/ptrace.h (host) - a minimal register frame so kernel/sched.h compiles. */
#ifndef ASM_PTRACE_H
#define ASM_PTRACE_H

#include "kernel/types.h"

struct pt_regs {
	u64 ip, sp;	/* never filled on the host */
};

#endif
