/*
 * rwsem.c - reader-writer semaphores (kernel/rwsem.h says what they
 * guarantee).
 *
 * Every change of the state happens under sem->wait_lock.  A waiter is a
 * struct rwsem_waiter on the waiting task's stack; the release that grants
 * it takes it off the list, accounts it in count, sets granted and wakes
 * its task (wake_up_task).  The waiter re-checks granted under wait_lock
 * after each wake-up, so a spurious one costs a loop.  The task marks
 * itself TASK_UNINTERRUPTIBLE under wait_lock before it lets go of it and
 * calls schedule(): a grant that comes between the two finds it either
 * still queued (the grant wakes it: it is put back on the run queue) or,
 * on one CPU, cannot come at all (no interrupt handler releases an
 * rwsem).  With tasks on several CPUs the scheduler must let a wake-up
 * reach a task that has not finished switching out (Linux's p->on_cpu
 * wait in try_to_wake_up): noted for the smp step in docs/smp.md.
 */
#include "kernel/rwsem.h"
#include "kernel/sched.h"

enum rwsem_waiter_type { RWSEM_WAITING_FOR_READ, RWSEM_WAITING_FOR_WRITE };

struct rwsem_waiter {
	struct list_head list;		/* in sem->wait_list */
	struct task_struct *task;
	enum rwsem_waiter_type type;
	bool granted;			/* (w) the lock is the waiter's now */
};

void init_rwsem(struct rw_semaphore *sem, const char *name)
{
	spin_lock_init(&sem->wait_lock, "rwsem.wait_lock");
	sem->count = 0;
	sem->owner = NULL;
	INIT_LIST_HEAD(&sem->wait_list);
	sem->name = name;
}

static void grant(struct rwsem_waiter *w)
{
	list_del_init(&w->list);
	w->granted = true;
	wake_up_task(w->task);
}

/*
 * The lock is free (count 0) or held by readers only: hand it to the
 * oldest waiter, and when that is a reader to the readers right behind it
 * (a writer waits for count 0).  wait_lock held.
 */
static void rwsem_wake(struct rw_semaphore *sem)
{
	while (!list_empty(&sem->wait_list)) {
		struct rwsem_waiter *w = list_first_entry(&sem->wait_list, struct rwsem_waiter, list);

		if (w->type == RWSEM_WAITING_FOR_WRITE) {
			if (sem->count == 0) {
				sem->count = RWSEM_WRITER;
				sem->owner = w->task;
				grant(w);
			}
			return;
		}
		sem->count++;
		grant(w);
	}
}

/* Queue current as a waiter of `type` and sleep until granted.  Enters with wait_lock held, leaves without. */
static void rwsem_wait(struct rw_semaphore *sem, enum rwsem_waiter_type type)
{
	struct rwsem_waiter w = { .task = current, .type = type, .granted = false };

	list_add_tail(&w.list, &sem->wait_list);
	while (!w.granted) {
		current->state = TASK_UNINTERRUPTIBLE;
		spin_unlock(&sem->wait_lock);
		schedule();
		spin_lock(&sem->wait_lock);
	}
	spin_unlock(&sem->wait_lock);
}

/* Can a reader / writer have sem now without queueing?  wait_lock held. */
static bool read_free(const struct rw_semaphore *sem)
{
	return sem->count >= 0 && list_empty(&sem->wait_list);
}

static bool write_free(const struct rw_semaphore *sem)
{
	return sem->count == 0 && list_empty(&sem->wait_list);
}

static void take_write(struct rw_semaphore *sem)
{
	sem->count = RWSEM_WRITER;
	sem->owner = current;
}

void down_read(struct rw_semaphore *sem)
{
	might_sleep();
	spin_lock(&sem->wait_lock);
	if (read_free(sem)) {
		sem->count++;
		spin_unlock(&sem->wait_lock);
		return;
	}
	rwsem_wait(sem, RWSEM_WAITING_FOR_READ);
}

void down_write(struct rw_semaphore *sem)
{
	might_sleep();
	spin_lock(&sem->wait_lock);
	if (sem->owner == current)
		panic("down_write: %s already held for writing by this task (recursive lock)", sem->name);
	if (write_free(sem)) {
		take_write(sem);
		spin_unlock(&sem->wait_lock);
		return;
	}
	rwsem_wait(sem, RWSEM_WAITING_FOR_WRITE);	/* rwsem_wake made current the owner */
}

bool down_read_trylock(struct rw_semaphore *sem)
{
	bool ok;

	spin_lock(&sem->wait_lock);
	ok = read_free(sem);
	if (ok)
		sem->count++;
	spin_unlock(&sem->wait_lock);
	return ok;
}

bool down_write_trylock(struct rw_semaphore *sem)
{
	bool ok;

	spin_lock(&sem->wait_lock);
	ok = write_free(sem);
	if (ok)
		take_write(sem);
	spin_unlock(&sem->wait_lock);
	return ok;
}

void up_read(struct rw_semaphore *sem)
{
	spin_lock(&sem->wait_lock);
	if (sem->count <= 0)
		panic("up_read: %s not held for reading (count %ld)", sem->name, sem->count);
	if (--sem->count == 0)
		rwsem_wake(sem);
	spin_unlock(&sem->wait_lock);
}

/*
 * End current's write hold as `fn`: the lock becomes free (count 0) or
 * held by current for reading (1), and goes to the waiters it can.
 */
static void release_write(struct rw_semaphore *sem, long count, const char *fn)
{
	spin_lock(&sem->wait_lock);
	if (sem->count != RWSEM_WRITER || sem->owner != current)
		panic("%s: %s not held for writing by this task", fn, sem->name);
	sem->count = count;
	sem->owner = NULL;
	rwsem_wake(sem);	/* on a downgrade the readers at the head join; a writer there waits on */
	spin_unlock(&sem->wait_lock);
}

void up_write(struct rw_semaphore *sem)
{
	release_write(sem, 0, "up_write");
}

void downgrade_write(struct rw_semaphore *sem)
{
	release_write(sem, 1, "downgrade_write");
}

bool rwsem_is_locked(const struct rw_semaphore *sem)
{
	return READ_ONCE(sem->count) != 0;
}

bool rwsem_is_write_locked_by_current(const struct rw_semaphore *sem)
{
	return READ_ONCE(sem->count) == RWSEM_WRITER && READ_ONCE(sem->owner) == current;
}
