/*
 * asm/percpu.h (x86_64) - the per-CPU data GS points at in kernel mode.
 *
 * entry_SYSCALL_64 (entry.S) reads and writes it through %gs before any
 * register is free, so usable from assembly: the PERCPU_* offsets, pinned to
 * struct x86_percpu by the static asserts.  arch/x86_64/process.c owns the data.
 */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#define PERCPU_KSTACK	0	/* kernel_stack */
#define PERCPU_USER_SP	8	/* user_sp_scratch */

#ifndef __ASSEMBLER__
#include "kernel/compiler.h"
#include "kernel/types.h"

struct x86_percpu {
	u64 kernel_stack;	/* top of the current task's kernel stack */
	u64 user_sp_scratch;	/* user rsp between SYSCALL and the frame push */
};
ASM_OFFSET(struct x86_percpu, kernel_stack, PERCPU_KSTACK);
ASM_OFFSET(struct x86_percpu, user_sp_scratch, PERCPU_USER_SP);

#endif /* __ASSEMBLER__ */
#endif
