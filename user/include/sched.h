#ifndef _SCHED_H
#define _SCHED_H
#include <sys/types.h>
#include <uapi/sched.h>	/* CLONE_* */
int sched_yield(void);
/*
 * Run fn(arg) in a new task made by clone(flags, stack, ptid, tls, ctid) on
 * the stack whose top is stack (user/lib/clone.c); it exit(2)s with fn's
 * value.  The child's tid, or -errno (errno untouched).
 */
int __clone(int (*fn)(void *), void *stack, int flags, void *arg, pid_t *ptid, void *tls, pid_t *ctid);
#endif
