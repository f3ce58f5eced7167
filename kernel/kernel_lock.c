/*
 * kernel_lock.c - the big kernel lock (kernel/smp_lock.h says what it
 * covers and its rules).
 *
 * One word: 0 free, 1 held, taken with compare-and-exchange (acquire) and
 * given back with a release store.  Who holds it is current's business
 * (task->lock_depth >= 0); kernel_owner only serves the assertions.  A
 * waiter spins with interrupts enabled between attempts, whatever its
 * caller's interrupt state, so that a holder waiting for this CPU to run a
 * cross-CPU call is not waited for in turn.
 */
#include "kernel/arch.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/smp_lock.h"

static int kernel_flag;				/* 1: held */
static struct task_struct *kernel_owner;	/* the holder (assertions only) */

static void get_kernel_lock(void)
{
	unsigned long flags = arch_local_irq_save();
	int free = 0;

	BUG_ON(in_interrupt());
#ifdef DEBUG_VM
	if (lockdep_depth())
		panic("lock_kernel: pid %d takes the big kernel lock holding a spinlock", current->pid);
#endif
	while (!__atomic_compare_exchange_n(&kernel_flag, &free, 1, false, __ATOMIC_ACQUIRE,
					    __ATOMIC_RELAXED)) {
		free = 0;
		arch_local_irq_enable();
		while (__atomic_load_n(&kernel_flag, __ATOMIC_RELAXED))
			spin_relax();
		arch_local_irq_disable();
	}
	kernel_owner = current;
	arch_local_irq_restore(flags);
}

static void put_kernel_lock(void)
{
	BUG_ON(kernel_owner != current);
	kernel_owner = NULL;
	__atomic_store_n(&kernel_flag, 0, __ATOMIC_RELEASE);
}

void lock_kernel(void)
{
	struct task_struct *t = current;

	if (t->lock_depth < 0)
		get_kernel_lock();
	t->lock_depth++;
}

void unlock_kernel(void)
{
	struct task_struct *t = current;

	BUG_ON(t->lock_depth < 0);
	if (--t->lock_depth < 0)
		put_kernel_lock();
}

bool kernel_locked(void)
{
	return current->lock_depth >= 0;
}

void release_kernel_lock(struct task_struct *t)
{
	if (t->lock_depth >= 0)
		put_kernel_lock();
}

void reacquire_kernel_lock(struct task_struct *t)
{
	if (t->lock_depth >= 0)
		get_kernel_lock();
}
