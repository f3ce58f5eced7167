/*
 * cpumask.h - sets of CPUs (Linux's struct cpumask, much reduced).
 *
 * NR_CPUS (kernel/smp.h) is 8, so a set is one word of bits, bit n for
 * logical CPU n.  The single-bit updates are atomic (another CPU may set or
 * clear its own bit of the same mask at once: mm_cpumask), and
 * cpumask_set_cpu is fully ordered, so a CPU that sets its bit and then
 * reads the page tables, and a CPU that changes the page tables and then
 * reads the mask, cannot both miss each other (the TLB shootdown's rule,
 * docs/smp.md "TLB shootdown").  Reads are one load: a snapshot.
 * Portable C (the host harness compiles it too).
 */
#ifndef KERNEL_CPUMASK_H
#define KERNEL_CPUMASK_H

#include "kernel/types.h"

typedef struct cpumask {
	unsigned long bits;
} cpumask_t;

#define CPU_MASK_NONE	((cpumask_t){ 0 })

static inline void cpumask_set_cpu(unsigned int cpu, cpumask_t *m)
{
	__atomic_fetch_or(&m->bits, 1UL << cpu, __ATOMIC_SEQ_CST);
}

static inline void cpumask_clear_cpu(unsigned int cpu, cpumask_t *m)
{
	__atomic_fetch_and(&m->bits, ~(1UL << cpu), __ATOMIC_SEQ_CST);
}

/* Clear cpu's bit; was it set? */
static inline bool cpumask_test_and_clear_cpu(unsigned int cpu, cpumask_t *m)
{
	return __atomic_fetch_and(&m->bits, ~(1UL << cpu), __ATOMIC_SEQ_CST) & (1UL << cpu);
}

static inline bool cpumask_test_cpu(unsigned int cpu, const cpumask_t *m)
{
	return __atomic_load_n(&m->bits, __ATOMIC_ACQUIRE) & (1UL << cpu);
}

/* A snapshot of m (one load, after a full barrier: see the top). */
static inline cpumask_t cpumask_read(const cpumask_t *m)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return (cpumask_t){ __atomic_load_n(&m->bits, __ATOMIC_RELAXED) };
}

static inline bool cpumask_empty(const cpumask_t *m)
{
	return m->bits == 0;
}

/* The CPUs set in m (a loop, not __builtin_popcountl: x86_64's kernel has no libgcc for it). */
static inline unsigned int cpumask_weight(const cpumask_t *m)
{
	unsigned int n = 0;

	for (unsigned long b = m->bits; b; b &= b - 1)
		n++;
	return n;
}

/* Every cpu whose bit is set in *m (a snapshot the caller holds), lowest first. */
#define for_each_cpu(cpu, m) \
	for ((cpu) = 0; (cpu) < 8 * sizeof((m)->bits); (cpu)++) \
		if ((m)->bits & (1UL << (cpu)))

#endif
