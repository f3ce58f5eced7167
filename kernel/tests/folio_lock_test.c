/*
 * folio_lock_test.c - boot test of the folio lock (mm/folio_lock.c) between
 * two tasks: the test (the boot context) holds a folio's lock, a kernel
 * thread's folio_lock sleeps on it (TASK_UNINTERRUPTIBLE, PG_waiters set),
 * the test's folio_unlock wakes it, and it takes the lock.  Tasks run on
 * the boot CPU only until the scheduler is SMP (issue 15): the test yields
 * (schedule) while it waits, so the same steps hold when the thread runs
 * on another CPU.
 */
#include "kernel/ktest.h"
#include "kernel/sched.h"
#include "mm/gfp.h"
#include "mm/mm.h"

/* How long the test waits for the thread, in yields: far more than it needs. */
#define WAIT_YIELDS	1000000

enum { WAITER_STARTED = 1, WAITER_LOCKED, WAITER_DONE };

static struct folio *lock_folio;
static int waiter_stage;
static bool waiter_saw_locked;

/* A kernel thread never returns: once done it sleeps for good. */
static __noreturn void ktest_park(void)
{
	for (;;) {
		current->state = TASK_UNINTERRUPTIBLE;
		schedule();
	}
}

static void folio_lock_waiter(void)
{
	WRITE_ONCE(waiter_stage, WAITER_STARTED);
	folio_lock(lock_folio);			/* the test holds it: sleeps */
	waiter_saw_locked = folio_test_locked(lock_folio);
	WRITE_ONCE(waiter_stage, WAITER_LOCKED);
	folio_unlock(lock_folio);
	WRITE_ONCE(waiter_stage, WAITER_DONE);
	ktest_park();
}

/* Yield until the waiter sleeps on the lock or reached stage; false after WAIT_YIELDS. */
static bool wait_waiter(struct task_struct *t, int stage, bool sleeping)
{
	for (long i = 0; i < WAIT_YIELDS; i++) {
		if (sleeping ? READ_ONCE(t->state) == TASK_UNINTERRUPTIBLE &&
			       test_bit(PG_waiters, &lock_folio->flags)
			     : READ_ONCE(waiter_stage) >= stage)
			return true;
		schedule();
	}
	return false;
}

KTEST(folio_lock_sleeps_until_unlock)
{
	struct task_struct *t;

	lock_folio = folio_alloc(GFP_KERNEL, 0);
	KT_ASSERT(lock_folio != NULL);
	folio_lock(lock_folio);
	t = kthread_run(folio_lock_waiter, "ktest_folio_lock");
	KT_ASSERT(t != NULL);
	KT_ASSERT(wait_waiter(t, 0, true));		/* asleep in folio_lock: one sleep */
	KT_ASSERT_EQ(READ_ONCE(waiter_stage), WAITER_STARTED);
	KT_ASSERT(folio_test_locked(lock_folio));
	folio_unlock(lock_folio);			/* one wake-up */
	KT_ASSERT(READ_ONCE(t->state) == TASK_RUNNING || READ_ONCE(waiter_stage) >= WAITER_LOCKED);
	KT_ASSERT(wait_waiter(t, WAITER_DONE, false));
	KT_ASSERT(waiter_saw_locked);
	KT_ASSERT(!folio_test_locked(lock_folio));
	KT_ASSERT(!test_bit(PG_waiters, &lock_folio->flags));	/* the last waiter left */
	KT_ASSERT(folio_trylock(lock_folio));
	folio_unlock(lock_folio);
	folio_put(lock_folio);
}
