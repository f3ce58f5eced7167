/*
 * locks_test.c - boot tests of lock debugging (DEBUG_VM): a spinlock
 * records its holder and counts as atomic context (what might_sleep()
 * panics on) while a sleeping lock does not, and the lock-order checker
 * reports an inversion provoked on purpose in a test-only class pair,
 * once, with both classes and the sites of both orders.  The inversion
 * test also checks that nothing before it (boot, the earlier tests) made
 * the checker report, then takes its own report back.
 */
#include "kernel/ktest.h"
#include "kernel/lockdep.h"
#include "kernel/rwsem.h"
#include "kernel/sched.h"
#include "kernel/smp.h"
#include "kernel/string.h"

#ifdef DEBUG_VM

#define SITE_PREFIX	"kernel/tests/locks_test.c:"

/* Was the lock operation recorded at site done in this file? */
static bool site_here(const char *site)
{
	return site && !strncmp(site, SITE_PREFIX, strlen(SITE_PREFIX));
}

KTEST(spinlock_debug_holder)
{
	spinlock_t l = SPINLOCK_INIT("ktest_holder");
	unsigned int depth = lockdep_depth();

	KT_ASSERT(!arch_irqs_disabled());
	spin_lock(&l);
	KT_ASSERT(arch_irqs_disabled());
	assert_spin_locked(&l);
	KT_ASSERT_EQ(l.dbg.cpu, smp_processor_id());
	KT_ASSERT(l.dbg.task == current);
	KT_ASSERT(site_here(l.dbg.site));
	KT_ASSERT(in_atomic());
	KT_ASSERT_EQ(lockdep_depth(), depth + 1);
	spin_unlock(&l);
	KT_ASSERT(!arch_irqs_disabled());
	KT_ASSERT(!spin_held_by_this_cpu(&l));
	KT_ASSERT_EQ(lockdep_depth(), depth);
}

/* A sleeping lock held is no atomic context: might_sleep() is quiet under it. */
KTEST(might_sleep_context)
{
	struct rw_semaphore sem;
	spinlock_t l = SPINLOCK_INIT("ktest_might_sleep");

	init_rwsem(&sem, "ktest_rwsem");
	KT_ASSERT(!in_atomic());
	down_read(&sem);
	KT_ASSERT(!in_atomic());
	might_sleep();
	spin_lock(&l);
	KT_ASSERT(in_atomic());		/* might_sleep() here would panic */
	spin_unlock(&l);
	up_read(&sem);
	down_write(&sem);
	rwsem_assert_held_write(&sem);
	up_write(&sem);
	KT_ASSERT(!rwsem_is_locked(&sem));
}

KTEST(lockdep_reports_inversion)
{
	spinlock_t a = SPINLOCK_INIT("ktest_lockdep_a"), b = SPINLOCK_INIT("ktest_lockdep_b");
	const struct lockdep_report *r = &lockdep_last_report;

	KT_ASSERT_MSG(lockdep_nr_reports == 0, "an earlier lock-order report: taking %s at %s holding %s from %s",
		      r->taken, r->taken_site, r->held, r->held_site);
	spin_lock(&a);
	spin_lock(&b);
	spin_unlock(&b);
	spin_unlock(&a);
	KT_ASSERT_EQ(lockdep_nr_reports, 0);
	spin_lock(&b);
	spin_lock(&a);
	spin_unlock(&a);
	spin_unlock(&b);
	KT_ASSERT_EQ(lockdep_nr_reports, 1);
	KT_ASSERT(!r->recursive);
	KT_ASSERT(!strcmp(r->held, "ktest_lockdep_b") && !strcmp(r->taken, "ktest_lockdep_a"));
	KT_ASSERT(!strcmp(r->prev_first, "ktest_lockdep_a") && !strcmp(r->prev_second, "ktest_lockdep_b"));
	KT_ASSERT(site_here(r->held_site) && site_here(r->taken_site));
	KT_ASSERT(site_here(r->prev_first_site) && site_here(r->prev_second_site));
	KT_ASSERT(strcmp(r->taken_site, r->prev_first_site) != 0);
	spin_lock(&b);
	spin_lock(&a);
	spin_unlock(&a);
	spin_unlock(&b);
	KT_ASSERT_EQ(lockdep_nr_reports, 1);	/* once per pair */
	lockdep_nr_reports = 0;			/* provoked on purpose */
}

#endif
