/*
 * asm/percpu.h (x86_64) - the arch part of struct cpu_info (kernel/smp.h),
 * which GS points at in kernel mode.
 *
 * entry_SYSCALL_64 (entry.S) reads and writes it through %gs before any
 * register is free, so usable from assembly: the PERCPU_* offsets, pinned to
 * struct arch_cpu_info by the static asserts.  It is the first member of
 * struct cpu_info, so the offsets hold from the block's start.
 */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#define PERCPU_KSTACK	0	/* kernel_stack */
#define PERCPU_USER_SP	8	/* user_sp_scratch */
#define PERCPU_SELF	16	/* self */

#ifndef __ASSEMBLER__
#include "kernel/compiler.h"
#include "kernel/types.h"
#include <asm/cpu.h>	/* cpu_relax() for the spin waits of kernel/smp.c */

struct cpu_info;

struct arch_cpu_info {
	u64 kernel_stack;	/* top of the current task's kernel stack */
	u64 user_sp_scratch;	/* user rsp between SYSCALL and the frame push */
	struct cpu_info *self;	/* the block's own address: %gs:PERCPU_SELF */
};
ASM_OFFSET(struct arch_cpu_info, kernel_stack, PERCPU_KSTACK);
ASM_OFFSET(struct arch_cpu_info, user_sp_scratch, PERCPU_USER_SP);
ASM_OFFSET(struct arch_cpu_info, self, PERCPU_SELF);

/* This CPU's struct cpu_info (not cached by the compiler: the task may move). */
static inline struct cpu_info *arch_this_cpu(void)
{
	struct cpu_info *c;

	__asm__ __volatile__("movq %%gs:%c1, %0" : "=r"(c) : "i"(PERCPU_SELF));
	return c;
}

/*
 * *p += n in one instruction, so no interrupt on this CPU can split it
 * (not atomic against other CPUs: p must be this CPU's own word).  Linux's
 * local_add, on an unsigned long: the per-CPU counters (mm/vmstat.h).
 */
static inline void local_add(unsigned long n, unsigned long *p)
{
	__asm__ __volatile__("addq %1, %0" : "+m"(*p) : "er"(n));
}

#endif /* __ASSEMBLER__ */
#endif
