/*
 * kernel_lock.c - the big kernel lock (kernel/smp_lock.h says what it
 * covers and its rules).
 *
 * A ticket lock (the tickets of a spinlock_t, kernel/spinlock.h, without
 * its debugging or interrupt masking): waiters are served in arrival order,
 * so a CPU that takes it again right after letting go cannot starve
 * another.  Who holds it is current's business (task->lock_depth >= 0);
 * kernel_owner only serves the assertions.  A waiter spins with interrupts
 * enabled between looks, whatever its caller's interrupt state, so that a
 * holder waiting for this CPU to run a cross-CPU call is not waited for in
 * turn.
 */
#include "kernel/arch.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/smp_lock.h"

static spinlock_t kernel_flag = SPINLOCK_INIT("kernel_flag");	/* only its tickets */
static struct task_struct *kernel_owner;	/* the holder (assertions only) */

static void get_kernel_lock(void)
{
	unsigned long flags = arch_local_irq_save();
	int ticket;

	BUG_ON(in_interrupt());
#ifdef DEBUG_VM
	if (lockdep_depth())
		panic("lock_kernel: pid %d takes the big kernel lock holding a spinlock", current->pid);
#endif
	ticket = __atomic_fetch_add(&kernel_flag.next.counter, 1, __ATOMIC_RELAXED);
	while (__atomic_load_n(&kernel_flag.owner.counter, __ATOMIC_ACQUIRE) != ticket) {
		/*
		 * The holder may be waiting for this CPU to run a cross-CPU call (a
		 * TLB shootdown from fork): answer it here, as spinlock waiters do.
		 * An sti/cli window is not enough: QEMU TCG looks for interrupts only
		 * between translation blocks, and this loop may be one.
		 */
		smp_call_poll();
		smp_stop_poll();	/* the machine stops (kernel_power_off), maybe held by its caller */
		arch_local_irq_enable();
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
	arch_spin_unlock(&kernel_flag);
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
