/*
 * folio_lock.c - the folio lock's sleeping side (Linux's folio_wait_table
 * in mm/filemap.c, reduced to the lock itself).
 *
 * PG_locked is the lock: folio_trylock is test_and_set_bit_lock, and
 * folio_unlock clear_bit_unlock (mm/folio.h).  A task that finds it taken
 * sleeps on one of FOLIO_WAIT_TABLE_SIZE wait queues, picked by hashing
 * the folio's address (struct page has no room for a queue per folio),
 * each a spinlock and a FIFO of waiters that live on the waiters' stacks.
 * PG_waiters says "someone may sleep on this folio", so an unlock with no
 * waiter never touches the table.
 *
 * No lost wake-up: the waiter, holding the queue's lock, sets PG_waiters,
 * then (smp_mb) tries PG_locked again before it sleeps; the unlocker clears
 * PG_locked, then (smp_mb) reads PG_waiters.  Either the waiter's try sees
 * the lock free, or the unlocker sees PG_waiters and wakes it under the
 * queue's lock, which the waiter holds from marking itself
 * TASK_UNINTERRUPTIBLE until schedule() (as kernel/rwsem.c).
 *
 * Wake-ups are exclusive: folio_wake_bit wakes the oldest waiter of that
 * folio only (every waiter wants the lock; the others stay asleep until the
 * next unlock).  The woken task takes the lock itself with a trylock, so a
 * trylock caller may get there first; the woken one then sleeps again, and
 * that caller's unlock wakes it.  The last waiter of a folio to leave the
 * queue clears PG_waiters.
 *
 * Lock order: a queue's lock nests inside nothing but may be taken under
 * any spinlock (folio_unlock never sleeps); folio_lock itself sleeps, so
 * might_sleep() asserts that no spinlock is held (kernel/spinlock.h's
 * order: mmap_lock > folio lock > anon_vma lock > PTE lock).
 */
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "mm/folio.h"

#define FOLIO_WAIT_TABLE_BITS	6
#define FOLIO_WAIT_TABLE_SIZE	(1U << FOLIO_WAIT_TABLE_BITS)

struct folio_waiter {
	struct folio_waiter *next;	/* (q) later arrival in the same queue */
	struct folio *folio;
	struct task_struct *task;
};

struct folio_wait_queue {
	spinlock_t lock;
	struct folio_waiter *first;	/* (lock) oldest waiter */
};

static struct folio_wait_queue folio_wait_table[FOLIO_WAIT_TABLE_SIZE] = {
	[0 ... FOLIO_WAIT_TABLE_SIZE - 1] = { .lock = SPINLOCK_INIT("folio_wait_table"), .first = NULL },
};

/* The queue folio's waiters sleep on (Linux's folio_waitqueue). */
static struct folio_wait_queue *folio_waitqueue(const struct folio *folio)
{
	unsigned long h = (unsigned long)folio / sizeof(struct folio);

	h ^= h >> FOLIO_WAIT_TABLE_BITS;
	return &folio_wait_table[h & (FOLIO_WAIT_TABLE_SIZE - 1)];
}

/* Take w off q; when no other waiter of w's folio is left, clear PG_waiters.  q->lock held. */
static void folio_waiter_remove(struct folio_wait_queue *q, struct folio_waiter *w)
{
	struct folio_waiter **pp = &q->first, *p;
	bool others = false;

	while (*pp != w)
		pp = &(*pp)->next;
	*pp = w->next;
	for (p = q->first; p; p = p->next)
		others |= p->folio == w->folio;
	if (!others)
		clear_bit(PG_waiters, &w->folio->flags);
}

void folio_lock(struct folio *folio)
{
	struct folio_wait_queue *q;
	struct folio_waiter w = { .next = NULL, .folio = folio, .task = current }, **pp;

	might_sleep();
	VM_BUG_ON_FOLIO(folio_ref_count(folio) <= 0, folio);
	if (folio_trylock(folio))
		return;
	q = folio_waitqueue(folio);
	spin_lock(&q->lock);
	for (pp = &q->first; *pp; pp = &(*pp)->next)
		;
	*pp = &w;
	set_bit(PG_waiters, &folio->flags);
	smp_mb();	/* PG_waiters set before PG_locked is tried again (folio_unlock pairs it) */
	while (!folio_trylock(folio)) {
		current->state = TASK_UNINTERRUPTIBLE;
		spin_unlock(&q->lock);
		schedule();
		spin_lock(&q->lock);
	}
	current->state = TASK_RUNNING;
	folio_waiter_remove(q, &w);
	spin_unlock(&q->lock);
}

void folio_wake_bit(struct folio *folio)
{
	struct folio_wait_queue *q = folio_waitqueue(folio);
	struct folio_waiter *w;

	spin_lock(&q->lock);
	for (w = q->first; w && w->folio != folio; w = w->next)
		;
	if (w)
		wake_up_task(w->task);
	spin_unlock(&q->lock);
}
