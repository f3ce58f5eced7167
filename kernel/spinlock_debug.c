/*
 * spinlock_debug.c - spinlock debugging (DEBUG_VM builds): who holds a
 * lock, and the panics for taking one this CPU holds and releasing one it
 * does not (kernel/spinlock.h).  The order checker is kernel/lockdep.c.
 *
 * The holder fields are written only by the holder, after it got the lock
 * and before it lets go, so they are exact for the CPU asking about its
 * own locks (assert_spin_locked); another CPU may read them stale, which
 * only the messages below do.
 */
#include "kernel/sched.h"
#include "kernel/smp.h"
#include "kernel/spinlock.h"

#ifdef DEBUG_VM

static int holder_pid(const struct lock_debug *d)
{
	return d->task ? ((const struct task_struct *)d->task)->pid : -1;
}

void spin_debug_lock(spinlock_t *l, unsigned int subclass, const char *site)
{
	if (spin_held_by_this_cpu(l))
		panic("spin_lock: %s already held by this CPU (recursive lock): taken at %s by pid %d, again at %s",
		      l->name, l->dbg.site, holder_pid(&l->dbg), site);
	lockdep_acquire(&l->dbg, l->name, subclass, site);
}

void spin_debug_locked(spinlock_t *l, const char *site)
{
	BUG_ON(l->dbg.held);
	l->dbg.cpu = smp_processor_id();
	l->dbg.task = current;
	l->dbg.site = site;
	l->dbg.held = true;
}

void spin_debug_unlock(spinlock_t *l, const char *site)
{
	if (!spin_held_by_this_cpu(l)) {
		if (l->dbg.held)
			panic("spin_unlock: %s at %s is held by CPU %u (pid %d, taken at %s), not this one", l->name,
			      site, l->dbg.cpu, holder_pid(&l->dbg), l->dbg.site);
		panic("spin_unlock: %s not held (at %s)", l->name, site);
	}
	l->dbg.held = false;
	l->dbg.task = NULL;
	lockdep_release(&l->dbg);
}

bool spin_held_by_this_cpu(const spinlock_t *l)
{
	return l->dbg.held && l->dbg.cpu == smp_processor_id();
}

#endif
