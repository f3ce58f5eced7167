/*
 * asm/percpu.h (host) - one CPU: struct cpu_info (kernel/smp.h) is
 * host_cpu_info (host_vm.c), so `current` is an ordinary variable the tests set.
 */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

struct cpu_info;

struct arch_cpu_info {
	int unused;
};

extern struct cpu_info host_cpu_info;

static inline struct cpu_info *arch_this_cpu(void)
{
	return &host_cpu_info;
}

/* One CPU, no interrupts: Linux's local_add (mm/vmstat.h's per-CPU counters) is a plain add. */
static inline void local_add(unsigned long n, unsigned long *p)
{
	*p += n;
}

#endif
