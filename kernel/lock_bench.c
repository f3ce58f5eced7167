/*
 * lock_bench.c - the cost of the lock primitives, uncontended, on the
 * booting CPU (`folio.bench=locks`): what one acquire-release pair of each
 * costs next to the interrupt save/restore pair that every spinlock wraps
 * (what the spinlock cost before it was a ticket lock), and the three ways
 * to count an event: a plain increment of a global (how vmstat counted on
 * one CPU), an atomic increment, and count_vm_event (this CPU's word with
 * an interrupt-safe local_add, mm/vmstat.h).  One BENCH line per primitive with its
 * picoseconds per pair and its ratio to irq save/restore in per mille (tools read
 * ratios: absolute times under QEMU TCG mean little).  DEBUG_VM builds
 * also pay lock debugging and the order checker: run both builds to see
 * what that costs.
 */
#include "kernel/arch.h"
#include "kernel/atomic.h"
#include "kernel/printk.h"
#include "kernel/rwsem.h"
#include "kernel/spinlock.h"
#include "kernel/time.h"
#include "mm/vmstat.h"

#define LOCK_BENCH_LOOPS	(1UL << 20)

static spinlock_t bench_lock = SPINLOCK_INIT("lock_bench");
static struct rw_semaphore bench_sem;
static atomic_t bench_atomic;
static volatile int bench_plain;

static void irq_pair(void)
{
	arch_local_irq_restore(arch_local_irq_save());
}

static void spin_pair(void)
{
	spin_lock(&bench_lock);
	spin_unlock(&bench_lock);
}

static void read_pair(void)
{
	down_read(&bench_sem);
	up_read(&bench_sem);
}

static void write_pair(void)
{
	down_write(&bench_sem);
	up_write(&bench_sem);
}

static void atomic_op(void)
{
	atomic_inc(&bench_atomic);
}

static void plain_op(void)
{
	bench_plain = bench_plain + 1;
}

/* An event no boot path counts; the bench puts this CPU's word back after. */
#define BENCH_EVENT	ANON_PROMOTE_COLLAPSE_FAILED

static void vm_event_op(void)
{
	count_vm_event(BENCH_EVENT);
}

/* ns for LOCK_BENCH_LOOPS calls of fn. */
static u64 time_loops(void (*fn)(void))
{
	u64 t0 = ktime_get_ns();

	for (unsigned long i = 0; i < LOCK_BENCH_LOOPS; i++)
		fn();
	return ktime_get_ns() - t0;
}

void lock_bench_run(void)
{
	static const struct {
		const char *name;
		void (*fn)(void);
	} ops[] = {
		{ "irq_save_restore", irq_pair }, { "spin_lock_unlock", spin_pair },
		{ "down_up_read", read_pair }, { "down_up_write", write_pair },
		{ "plain_inc", plain_op }, { "atomic_inc", atomic_op }, { "count_vm_event", vm_event_op },
	};
	unsigned long *event = &vm_event_states[smp_processor_id()].event[BENCH_EVENT], event_saved = *event;
	u64 base;

	init_rwsem(&bench_sem, "lock_bench_sem");
	time_loops(spin_pair);	/* warm up */
	base = time_loops(irq_pair);
	for (unsigned int i = 0; i < ARRAY_SIZE(ops); i++) {
		u64 ns = i ? time_loops(ops[i].fn) : base;

		printk("BENCH name=locks arch=%s op=%s loops=%lu ps_per_op=%llu permille_of_irq_pair=%llu\n",
		       ARCH_NAME, ops[i].name, LOCK_BENCH_LOOPS, ns * 1000 / LOCK_BENCH_LOOPS,
		       base ? ns * 1000 / base : 0);
	}
	*event = event_saved;
}
