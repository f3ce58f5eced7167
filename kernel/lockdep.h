/*
 * lockdep.h - the lock-order checker and the held-lock stack (DEBUG_VM
 * builds; Linux's lockdep, much reduced).
 *
 * Every spinlock belongs to a lock class: its name (the string given to
 * spin_lock_init / SPINLOCK_INIT: every PTE-table lock is one class "ptl")
 * and a subclass (0, or SINGLE_DEPTH_NESTING from spin_lock_nested for the
 * second lock of a class a path holds two of).  Each CPU keeps the stack
 * of spinlocks it holds.  The first time a lock of class B is taken while
 * one of class A is held, the checker records the edge A -> B with both
 * call sites.  Taking B while holding A when B -> ... -> A is already
 * recorded is an inversion (two CPUs taking them in the two orders can
 * deadlock): the checker prints Linux's "possible circular locking
 * dependency detected" report once per class pair, with the two locks, the
 * sites of this acquisition and the sites that recorded the other order,
 * and counts it (lockdep_nr_reports, lockdep_last_report).  Taking a second
 * lock of a class already held without spin_lock_nested is reported the
 * same way ("possible recursive locking").  The checker never stops the
 * kernel: tools/test.sh fails a run whose log holds a report.
 *
 * The depth of the stack is also Linux's in_atomic() for spinlocks:
 * might_sleep() panics (DEBUG_VM) when called with a spinlock held, and
 * every sleeping path calls it (sleep_on, down_read/down_write, an
 * allocation that may reclaim).
 *
 * Sleeping locks (kernel/rwsem.h) are not on the stack (a task sleeps
 * holding them, and the stack is per CPU); might_sleep() in their
 * acquire catches one taken under a spinlock, which is their only way to
 * break the order in kernel/spinlock.h.
 */
#ifndef KERNEL_LOCKDEP_H
#define KERNEL_LOCKDEP_H

#include "kernel/compiler.h"
#include "kernel/types.h"

#define SINGLE_DEPTH_NESTING	1
#define LOCKDEP_MAX_CLASSES	32	/* names x subclasses; more turns the checker off (reported) */
#define LOCKDEP_MAX_DEPTH	16	/* spinlocks one CPU holds at once */

/* The call site a lock operation records: "file:line". */
#define LOCK_SITE	__FILE__ ":" __stringify(__LINE__)

struct lock_class;

/* The debugging state of one lock (a spinlock_t's dbg). */
struct lock_debug {
	bool held;			/* taken, and cpu/task/site say by whom */
	unsigned int cpu;		/* the holder's smp_processor_id() */
	const void *task;		/* the holder's current (a struct task_struct) */
	const char *site;		/* where it was taken */
	struct lock_class *class;	/* its subclass-0 class, found at the first acquire */
};

/* One entry of a CPU's held-lock stack (struct cpu_info's held_locks). */
struct held_lock {
	struct lock_debug *lock;
	struct lock_class *class;	/* NULL: the class table was full (not checked) */
	const char *name;
	const char *site;
};

/* What the last report said (the ktest and host test check it). */
struct lockdep_report {
	bool recursive;			/* "possible recursive locking": the two are one class */
	const char *held, *held_site;	/* the lock held, where it was taken */
	const char *taken, *taken_site;	/* the lock being taken, where */
	/* The recorded edge that closes the cycle: its first lock's and second lock's sites. */
	const char *prev_first, *prev_first_site, *prev_second, *prev_second_site;
};

#ifdef DEBUG_VM
/*
 * Before waiting for a lock of class (name, subclass), with interrupts off:
 * check the order against every lock this CPU holds, record new edges,
 * push it on the held stack.  lockdep_release pops it (any position).
 */
void lockdep_acquire(struct lock_debug *d, const char *name, unsigned int subclass, const char *site);
void lockdep_release(struct lock_debug *d);
/* Spinlocks this CPU holds. */
unsigned int lockdep_depth(void);
/* Forget this CPU's held stack and interrupts-off nesting (the host harness, after a panic it caught mid-lock). */
void lockdep_reset_cpu(void);

extern unsigned long lockdep_nr_reports;
extern struct lockdep_report lockdep_last_report;

/* A spinlock is held: sleeping now could deadlock (Linux's in_atomic, for spinlocks). */
static inline bool in_atomic(void)
{
	return lockdep_depth() != 0;
}

/* Panic when a spinlock is held: the caller may sleep (Linux's might_sleep). */
void __might_sleep(const char *site);
#define might_sleep()	__might_sleep(LOCK_SITE)
#else
static inline void might_sleep(void) {}
#endif

#endif
