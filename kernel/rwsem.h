/*
 * rwsem.h - reader-writer semaphores: sleeping locks held by many readers
 * or one writer (Linux's rw_semaphore; mm->mmap_lock is one).
 *
 * The state is a count under a spinlock (wait_lock): the number of
 * readers holding the lock, or RWSEM_WRITER while a writer does, and a
 * FIFO of the tasks waiting.  A task that cannot have the lock queues
 * itself and sleeps (TASK_UNINTERRUPTIBLE: a signal does not end the
 * wait) until a release hands the lock over: the lock goes to the oldest
 * waiter, and with a reader to every reader queued right behind it.  A
 * reader arriving while anyone waits queues too, so a stream of readers
 * cannot starve a waiting writer, and a writer cannot starve the readers
 * queued before the next writer.  Trylocks never queue and fail when
 * anyone waits.
 *
 * Acquiring may sleep: never under a spinlock (might_sleep() checks in
 * DEBUG_VM).  Readers are counted, not recorded, so the assert helpers
 * say "someone holds it for reading" and "current holds it for writing".
 * The lock order between rwsems and spinlocks is kernel/spinlock.h's.
 *
 * Lock legend: (w) sem->wait_lock.
 */
#ifndef KERNEL_RWSEM_H
#define KERNEL_RWSEM_H

#include "kernel/list.h"
#include "kernel/spinlock.h"
#include "kernel/types.h"

#define RWSEM_WRITER	(-1L)	/* count while a writer holds the lock */

struct rw_semaphore {
	spinlock_t wait_lock;
	long count;			/* (w) readers holding it, or RWSEM_WRITER */
	const void *owner;		/* (w) the writer (a struct task_struct), or NULL */
	struct list_head wait_list;	/* (w) struct rwsem_waiter, oldest first */
	const char *name;		/* (c) for the messages */
};

/* A sleeping rwsem never moves while initialised: the list head points at itself. */
void init_rwsem(struct rw_semaphore *sem, const char *name);

/* Take sem for reading / writing, sleeping until it is granted. */
void down_read(struct rw_semaphore *sem);
void down_write(struct rw_semaphore *sem);
/* Take it only if that needs no wait: true, else false (nothing queued). */
bool down_read_trylock(struct rw_semaphore *sem);
bool down_write_trylock(struct rw_semaphore *sem);
/* Release a read hold / current's write hold; hands the lock to the waiters it can. */
void up_read(struct rw_semaphore *sem);
void up_write(struct rw_semaphore *sem);
/* current's write hold becomes a read hold, with no window for a writer (readers queued first join). */
void downgrade_write(struct rw_semaphore *sem);

/* Is sem held (read or write)?  For writing by current? */
bool rwsem_is_locked(const struct rw_semaphore *sem);
bool rwsem_is_write_locked_by_current(const struct rw_semaphore *sem);

/* Panic unless held / held for writing by current (Linux's rwsem_assert_held*). */
#define rwsem_assert_held(sem) do { \
	if (!rwsem_is_locked(sem)) \
		panic("%s: %s not held", __func__, (sem)->name); \
} while (0)
#define rwsem_assert_held_write(sem) do { \
	if (!rwsem_is_write_locked_by_current(sem)) \
		panic("%s: %s not held for writing by this task", __func__, (sem)->name); \
} while (0)

#endif
