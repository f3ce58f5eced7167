/*
 * asm/percpu.h (arm64) - the arch part of struct cpu_info (kernel/smp.h)
 * and this CPU's block: TPIDR_EL1 holds its address (EL0 cannot read it).
 */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#include "kernel/types.h"
#include <asm/sysreg.h>	/* cpu_relax() for the spin waits of kernel/smp.c */

struct cpu_info;

struct arch_cpu_info {
	u8 gic_cpu_mask;	/* this CPU interface's bit in GICD_ITARGETSR / SGIR targets */
};

/* This CPU's struct cpu_info (not cached by the compiler: the task may move). */
static inline struct cpu_info *arch_this_cpu(void)
{
	struct cpu_info *c;

	__asm__ __volatile__("mrs %0, tpidr_el1" : "=r"(c));
	return c;
}

/*
 * *p += n so that no interrupt on this CPU can split it: an LDXR/STXR loop
 * (the compiler's relaxed atomic add, inline with -mno-outline-atomics);
 * an exception taken between the two clears the exclusive monitor and the
 * loop retries.  p is this CPU's own word (mm/vmstat.h's per-CPU counters).
 * Linux's local_add, on an unsigned long.
 */
static inline void local_add(unsigned long n, unsigned long *p)
{
	__atomic_fetch_add(p, n, __ATOMIC_RELAXED);
}

#endif
