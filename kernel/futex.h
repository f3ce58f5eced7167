/*
 * futex.h - futexes (kernel/futex.c) and robust lists (kernel/futex_robust.c)
 * for the rest of the kernel: the wake, and what a thread's exit does.
 */
#ifndef KERNEL_FUTEX_H
#define KERNEL_FUTEX_H

#include "kernel/syscall.h"	/* __user */

struct task_struct;

/* Boot: empty wait queues. */
void futex_init(void);
/*
 * Wake at most nr (nr <= 0: one) waiters on the word at uaddr whose bitset
 * meets bitset; shared: the key of a shared futex (futex.c's top).  How
 * many woke, or -EINVAL (bitset 0, misaligned), -EFAULT.
 */
long futex_wake(u32 __user *uaddr, bool shared, int nr, u32 bitset);
/*
 * A thread of current's stops using its mm (do_exit, execve): walk its robust
 * list, then clear and wake its clear_child_tid word (Linux's
 * futex_exit_release + mm_release).  t must be current, its mm still in place.
 */
void futex_exit_release(struct task_struct *t);
/* futex_robust.c: mark each lock t holds on its robust list FUTEX_OWNER_DIED and wake a waiter. */
void exit_robust_list(struct task_struct *t);

#endif
