/*
 * smp_lock.h - the big kernel lock (Linux 2.x's lock_kernel, kernel/kernel_lock.c).
 *
 * The non-mm kernel was written for "one CPU runs tasks, interrupts off
 * while state changes".  With tasks on every CPU, what has no lock of its
 * own is serialised by one lock, as Linux did from 2.0 until the locks were
 * pushed down: every system call runs holding it except those listed in
 * kernel/syscall.c (getpid, gettid, getcpu, sched_yield: they read only the
 * caller's own state; and the address-space calls, mmap to munlockall and
 * prctl, which take it themselves for a file, a shmem object or the task's
 * name: docs/smp.md).  It is what covers:
 *
 *   - the VFS (inodes, dentries, the initrd and pseudo file systems, open
 *     files and their offsets), the fd tables and fs_struct, and shmem
 *     objects (mm/shmem.h: shared by every mm that maps one);
 *   - pipes, poll, futex hash chains, the rest of the signal state
 *     (handlers, masks, group exit, execve's de_thread), wait4 and the
 *     process tree, the task list's readers, /proc;
 *   - every sleep_on() condition: a waker holds it too, so the sleeper's
 *     check and its sleep are one step for it (kernel/sched.h).
 *
 * It is recursive per task (task->lock_depth, -1 when not held): do_exit,
 * signal delivery and the OOM killer take it again where a system call may
 * already hold it.  schedule() lets go of it while the holder is switched
 * out and takes it back before the holder runs on (release_kernel_lock /
 * reacquire_kernel_lock), so a holder may sleep, and sleeping on a rwsem
 * while holding it cannot deadlock against that rwsem's holder.  It is not
 * a spinlock_t: it is not on the held-lock stack, so might_sleep() allows
 * holding it; it must be taken with no spinlock held (asserted), and is
 * never taken in interrupt context.  A CPU waiting for it does so with
 * interrupts enabled, so it keeps answering IPIs (a holder may be waiting
 * for this CPU in smp_call_function).
 *
 * Lock order: it may be taken with mmap_lock held (an mm call reaching a
 * shmem VMA, a shmem fault) and mmap_lock with it held (a file mmap, fork,
 * /proc): safe because a holder that sleeps lets it go, and no spinlock is
 * held while it is taken.
 *
 * What does not take it: page faults (mm/'s own locks: mmap_lock for
 * reading, the PTE-table locks; a shmem VMA's fault takes it for the object),
 * the address-space calls of anonymous memory, the kernel threads doing mm work (kswapd),
 * interrupts (the tick: rq_lock, tasklist_lock, siglock; the console's
 * input ring: console_lock), and signals sent from those contexts
 * (sighand->siglock, kernel/signal.c).
 */
#ifndef KERNEL_SMP_LOCK_H
#define KERNEL_SMP_LOCK_H

#include "kernel/types.h"

struct task_struct;

/* Take the big kernel lock (again, when current holds it: nesting counts). */
void lock_kernel(void);
/* Undo one lock_kernel(); the last lets go of it. */
void unlock_kernel(void);
/* Does current hold it? */
bool kernel_locked(void);
/* schedule(): t is switching out / back in; drop / take back the lock it holds, if any. */
void release_kernel_lock(struct task_struct *t);
void reacquire_kernel_lock(struct task_struct *t);

#endif
