/*
 * thread_group.h - the state the threads of a process share and the
 * thread list (kernel/thread_group.c), for fork, exit and execve.
 */
#ifndef KERNEL_THREAD_GROUP_H
#define KERNEL_THREAD_GROUP_H

#include "kernel/sched.h"
#include <uapi/sched.h>

/* task_alloc: a fresh signal_struct, sighand_struct and fs_struct: t leads a group of one.  0 or -ENOMEM. */
int task_alloc_group_state(struct task_struct *t);
/* task_free: drop t's references on them (the last frees each). */
void task_free_group_state(struct task_struct *t);
/* do_exit: drop t's working directory now (Linux's exit_fs). */
void task_exit_fs(struct task_struct *t);
/*
 * clone: give the new task p current's fs_struct (CLONE_FS; else a copy of
 * the directory), handlers (CLONE_SIGHAND) and thread group (CLONE_THREAD:
 * tgid, leader, signal_struct), in place of its fresh ones.  Cannot fail.
 */
void copy_group_state(struct task_struct *p, unsigned long clone_flags);
/* clone(CLONE_THREAD), last step: p joins current's thread list and the task list (and, when the
 * group is being killed or exec'd over, gets SIGKILL at once). */
void thread_group_link(struct task_struct *p);
/* A thread leaves its group's list (its exit, or its reaping for a leader); interrupts off. */
void unhash_thread(struct task_struct *t);
/* A thread of t's group not yet exiting, or NULL (the new parent of an exiting thread's children). */
struct task_struct *find_live_thread(struct task_struct *t);
/* execve: own handlers, no longer shared with a CLONE_SIGHAND process.  0 or -ENOMEM. */
int unshare_sighand(void);
/*
 * execve, before the point of no return: kill current's other threads, wait
 * until they are gone, and (when current is not the leader) take over the
 * leader's pid.  0, or -EAGAIN when another exit_group, a fatal signal or
 * another execve came first (current then dies on its way out).
 */
int de_thread(void);

#endif
