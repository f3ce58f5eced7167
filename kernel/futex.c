/*
 * futex.c - fast user-space mutexes (Linux's kernel/futex/): futex(2)'s
 * FUTEX_WAIT, FUTEX_WAKE and their _BITSET forms, with FUTEX_PRIVATE_FLAG
 * and FUTEX_CLOCK_REALTIME; the wake at a thread's exit that
 * CLONE_CHILD_CLEARTID and set_tid_address ask for (futex_exit_release, with
 * the robust list of kernel/futex_robust.c).
 *
 * A waiter is a futex_q on one of FUTEX_HASH_SIZE queues, found again by
 * its key, which names the 32-bit word the way Linux's get_futex_key does:
 *   - FUTEX_PRIVATE_FLAG: (mm, address): only threads of one mm meet;
 *   - shared, in a MAP_SHARED mapping (shmem, memfd): (the shmem object,
 *     byte offset in it): processes mapping it anywhere meet;
 *   - shared, in a private mapping: (mm, address) again, but marked shared,
 *     so, as in Linux (FUT_OFF_MMSHARED), it never matches a private key.
 * FUTEX_WAIT sleeps only if the word still holds val (else -EAGAIN), until a
 * FUTEX_WAKE whose bitset meets its own (0, FUTEX_WAIT_BITSET's or
 * _WAKE_BITSET's, is -EINVAL), its deadline (-ETIMEDOUT: FUTEX_WAIT's
 * timeout is relative, FUTEX_WAIT_BITSET's absolute, on CLOCK_MONOTONIC, or
 * CLOCK_REALTIME with the flag, which here reads the same clock), or a
 * signal: -ERESTARTSYS without a timeout (restarted under SA_RESTART, as
 * Linux's), -EINTR with one (Linux restarts those through restart_block
 * when no handler runs; here a signal that reaches a sleeper always has a
 * handler or kills, kernel/errno.h).  FUTEX_WAKE wakes at most val waiters,
 * oldest first, and returns how many.
 *
 * Locking: the queues and each futex_q change with interrupts off (one
 * CPU).  With several CPUs each queue gets a spinlock (Linux's
 * futex_hash_bucket lock) held from the value check to the sleep, and the
 * check reads the word with page faults disabled under it (Linux's
 * futex_get_value_locked); here the word is read just before interrupts go
 * off, which is the same thing when nothing else runs until current sleeps.
 */
#include "kernel/arch.h"
#include "kernel/errno.h"
#include "kernel/futex.h"
#include "kernel/list.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/time.h"
#include "kernel/uaccess.h"
#include "mm/mm_types.h"
#include "mm/vma.h"
#include <uapi/errno.h>
#include <uapi/futex.h>
#include <uapi/time.h>

#define FUTEX_HASH_SIZE	64

enum futex_key_kind { FUTEX_KEY_PRIVATE, FUTEX_KEY_MMSHARED, FUTEX_KEY_SHMEM };

struct futex_key {
	const void *ptr;		/* the mm, or the shmem object */
	unsigned long word;		/* the address, or the byte offset in the object */
	enum futex_key_kind kind;
};

/* A task waiting in futex_wait. */
struct futex_q {
	struct list_head list;		/* in futex_queues[hash] while it waits */
	struct futex_key key;
	u32 bitset;
	struct task_struct *task;
	bool woken;			/* a FUTEX_WAKE took it off the queue */
};

static struct list_head futex_queues[FUTEX_HASH_SIZE];

void futex_init(void)
{
	for (int i = 0; i < FUTEX_HASH_SIZE; i++)
		INIT_LIST_HEAD(&futex_queues[i]);
}

static struct list_head *futex_hash(const struct futex_key *key)
{
	unsigned long h = (unsigned long)key->ptr ^ (key->word >> 2) ^ ((unsigned long)key->kind << 7);

	h ^= h >> 17;
	h *= 0x9e3779b97f4a7c15UL;
	return &futex_queues[(h >> 40) % FUTEX_HASH_SIZE];
}

static bool futex_match(const struct futex_key *a, const struct futex_key *b)
{
	return a->ptr == b->ptr && a->word == b->word && a->kind == b->kind;
}

/*
 * The key of the word at uaddr for current (see the top): 0, -EINVAL
 * (not 4-byte aligned), -EFAULT (not a user address; shared: not mapped).
 */
static int get_futex_key(u32 __user *uaddr, bool shared, struct futex_key *key)
{
	unsigned long address = (unsigned long)uaddr;
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;

	if (address % sizeof(u32))
		return -EINVAL;
	if (!access_ok(uaddr, sizeof(u32)))
		return -EFAULT;
	*key = (struct futex_key){ .ptr = mm, .word = address, .kind = FUTEX_KEY_PRIVATE };
	if (!shared)
		return 0;
	mmap_write_lock(mm);
	vma = vma_lookup(mm, address);
	if (vma && (vma->vm_flags & VM_SHARED) && vma->vm_shmem) {
		key->ptr = vma->vm_shmem;
		key->word = (vma->vm_pgoff << PAGE_SHIFT) + (address - vma->vm_start);
		key->kind = FUTEX_KEY_SHMEM;
	} else {
		key->kind = FUTEX_KEY_MMSHARED;
	}
	mmap_write_unlock(mm);
	return vma ? 0 : -EFAULT;
}

/*
 * Wait on uaddr while it holds val: see the top.  deadline_ns: absolute
 * monotonic time, 0 for none.  0 when woken, or -errno.
 */
static long futex_wait(u32 __user *uaddr, bool shared, u32 val, u64 deadline_ns, u32 bitset)
{
	struct futex_q q = { .bitset = bitset, .task = current };
	unsigned long flags;
	u32 uval;
	int ret;

	if (!bitset)
		return -EINVAL;
	ret = get_futex_key(uaddr, shared, &q.key);
	if (ret)
		return ret;
	if (get_user(uval, uaddr))
		return -EFAULT;
	if (uval != val)
		return -EAGAIN;
	flags = arch_local_irq_save();
	list_add_tail(&q.list, futex_hash(&q.key));
	while (!q.woken) {
		if (deadline_ns && ktime_get_ns() >= deadline_ns) {
			ret = -ETIMEDOUT;
			break;
		}
		if (sleep_on(&q, deadline_ns)) {
			ret = deadline_ns ? -EINTR : -ERESTARTSYS;
			break;
		}
	}
	if (!q.woken)
		list_del_init(&q.list);
	else
		ret = 0;	/* a wake that raced with the deadline or a signal counts, as Linux's */
	arch_local_irq_restore(flags);
	return ret;
}

/* Wake at most nr waiters on the word of key whose bitset meets bitset; how many woke. */
static int futex_wake_key(const struct futex_key *key, int nr, u32 bitset)
{
	unsigned long flags = arch_local_irq_save();
	struct list_head *head = futex_hash(key), *pos, *next;
	int woken = 0;

	list_for_each_safe(pos, next, head) {
		struct futex_q *q = list_entry(pos, struct futex_q, list);

		if (!futex_match(&q->key, key) || !(q->bitset & bitset))
			continue;
		list_del_init(&q->list);
		q->woken = true;
		wake_up_task(q->task);
		if (++woken >= nr)
			break;	/* as Linux's: nr <= 0 wakes one */
	}
	arch_local_irq_restore(flags);
	return woken;
}

long futex_wake(u32 __user *uaddr, bool shared, int nr, u32 bitset)
{
	struct futex_key key;
	int ret;

	if (!bitset)
		return -EINVAL;
	ret = get_futex_key(uaddr, shared, &key);
	return ret ? ret : futex_wake_key(&key, nr, bitset);
}

static bool futex_cmd_has_timeout(int cmd)
{
	return cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET;
}

SYSCALL_DEFINE6(futex, u32 __user *, uaddr, int, op, u32, val, const struct timespec __user *, utime,
		u32 __user *, uaddr2, u32, val3)
{
	int cmd = op & FUTEX_CMD_MASK;
	bool shared = !(op & FUTEX_PRIVATE_FLAG);
	u64 deadline = 0;

	(void)uaddr2;
	if (utime && futex_cmd_has_timeout(cmd)) {	/* Linux's futex_init_timeout, first */
		struct timespec ts;

		if (copy_from_user(&ts, utime, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (long)NSEC_PER_SEC)
			return -EINVAL;
		deadline = (u64)ts.tv_sec * NSEC_PER_SEC + (u64)ts.tv_nsec;
		if (cmd == FUTEX_WAIT)
			deadline += ktime_get_ns();
		if (!deadline)
			deadline = 1;	/* an absolute time of 0 has passed: not "no timeout" */
	}
	if ((op & FUTEX_CLOCK_REALTIME) && cmd != FUTEX_WAIT && cmd != FUTEX_WAIT_BITSET)
		return -ENOSYS;
	switch (cmd) {
	case FUTEX_WAIT:
		return futex_wait(uaddr, shared, val, deadline, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAIT_BITSET:
		return futex_wait(uaddr, shared, val, deadline, val3);
	case FUTEX_WAKE:
		return futex_wake(uaddr, shared, (int)val, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAKE_BITSET:
		return futex_wake(uaddr, shared, (int)val, val3);
	}
	return -ENOSYS;
}

void futex_exit_release(struct task_struct *t)
{
	BUG_ON(t != current);
	if (t->robust_list)
		exit_robust_list(t);
	t->robust_list = NULL;
	/* Linux's mm_release: only when someone else may be looking (pthread_join). */
	if (t->clear_child_tid && t->mm && t->mm->mm_users > 1) {
		(void)put_user(0, t->clear_child_tid);
		futex_wake((u32 __user *)t->clear_child_tid, true, 1, FUTEX_BITSET_MATCH_ANY);
	}
	t->clear_child_tid = NULL;
}
