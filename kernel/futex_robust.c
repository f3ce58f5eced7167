/*
 * futex_robust.c - robust futexes (Linux's kernel/futex/core.c robust-list
 * code): set_robust_list/get_robust_list, and the walk at a thread's exit.
 *
 * A thread's C library keeps a list in user memory of the locks it holds
 * (struct robust_list_head: a circular singly-linked list of entries, each
 * futex_offset bytes before its 32-bit lock word, plus list_op_pending: the
 * entry being taken or dropped).  When the thread exits (or execs), each
 * lock word whose owner TID bits are its tid becomes FUTEX_OWNER_DIED (the
 * FUTEX_WAITERS bit kept) and, when it had waiters, one of them is woken, so
 * the next owner learns (EOWNERDEAD) instead of hanging.  The list is user
 * memory and may be anything: the walk stops at a fault, a misaligned word,
 * or after ROBUST_LIST_LIMIT entries (a loop), as Linux's.  Bit 0 of an
 * entry marks a PI futex: its word is marked but nobody is woken (no PI
 * futexes here, Linux's pi_state cleanup does that part).
 *
 * The word is read, then written with the new value: one step on one CPU.
 * With several CPUs this becomes the arch's atomic compare-and-exchange on
 * user memory with a fixup (Linux's futex_atomic_cmpxchg_inatomic), retried
 * while the word changes under it.
 */
#include "kernel/futex.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include <uapi/errno.h>
#include <uapi/futex.h>

SYSCALL_DEFINE2(set_robust_list, struct robust_list_head __user *, head, size_t, len)
{
	if (len != sizeof(*head))
		return -EINVAL;
	current->robust_list = head;
	return 0;
}

/* pid 0: current; -ESRCH when there is no such task, then -EFAULT (Linux's order). */
SYSCALL_DEFINE3(get_robust_list, int, pid, struct robust_list_head __user *__user *, head_ptr,
		size_t __user *, len_ptr)
{
	struct task_struct *p = pid ? find_task_by_vpid(pid) : current;
	struct robust_list_head __user *head;

	if (!p)
		return -ESRCH;
	head = p->robust_list;
	if (put_user(sizeof(*head), len_ptr))
		return -EFAULT;
	return put_user(head, head_ptr);
}

/* Read the entry pointer at *head: its address (bit 0 cleared) and its PI bit.  0 or -EFAULT. */
static int fetch_robust_entry(struct robust_list __user **entry, struct robust_list __user *__user *head,
			      bool *pi)
{
	unsigned long uentry;

	if (get_user(uentry, (unsigned long __user *)head))
		return -EFAULT;
	*entry = (struct robust_list __user *)(uentry & ~1UL);
	*pi = uentry & 1;
	return 0;
}

/*
 * The lock word at uaddr of a thread tid that is exiting (Linux's
 * handle_futex_death): -1 stops the walk (misaligned or unreadable).
 * pending_op: it is list_op_pending, which may be a lock being released
 * with no owner any more: its waiter is woken anyway.
 */
static int handle_futex_death(u32 __user *uaddr, int tid, bool pi, bool pending_op)
{
	u32 uval, owner;

	if ((unsigned long)uaddr % sizeof(u32))
		return -1;
	if (get_user(uval, uaddr))
		return -1;
	owner = uval & FUTEX_TID_MASK;
	if (pending_op && !pi && !owner) {
		futex_wake(uaddr, true, 1, FUTEX_BITSET_MATCH_ANY);
		return 0;
	}
	if (owner != (u32)tid)
		return 0;
	if (put_user((uval & FUTEX_WAITERS) | FUTEX_OWNER_DIED, uaddr))
		return -1;
	if (!pi && (uval & FUTEX_WAITERS))
		futex_wake(uaddr, true, 1, FUTEX_BITSET_MATCH_ANY);
	return 0;
}

void exit_robust_list(struct task_struct *t)
{
	struct robust_list_head __user *head = t->robust_list;
	struct robust_list __user *entry, *next_entry, *pending;
	unsigned int limit = ROBUST_LIST_LIMIT;
	bool pi, next_pi, pip;
	long futex_offset;
	int rc;

	if (fetch_robust_entry(&entry, &head->list.next, &pi))
		return;
	if (get_user(futex_offset, &head->futex_offset))
		return;
	if (fetch_robust_entry(&pending, &head->list_op_pending, &pip))
		return;
	while (entry != &head->list) {
		rc = fetch_robust_entry(&next_entry, &entry->next, &next_pi);
		if (entry != pending &&
		    handle_futex_death((u32 __user *)((unsigned long)entry + futex_offset), t->pid, pi, false))
			return;
		if (rc)
			return;
		entry = next_entry;
		pi = next_pi;
		if (!--limit)
			break;
	}
	if (pending)
		handle_futex_death((u32 __user *)((unsigned long)pending + futex_offset), t->pid, pip, true);
}
