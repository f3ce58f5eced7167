/*
 * thread.h - libfolio's few thread helpers for the tests (user/lib/thread.c):
 * start a function in a thread of the calling process (the flags glibc's
 * pthread_create uses), join it through its CLONE_CHILD_CLEARTID word, the
 * raw futex call, the thread's TLS register, and a look at a task's state
 * in /proc.  They touch no global state (errno included), so threads may
 * call them.
 */
#ifndef _THREAD_H
#define _THREAD_H
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include <uapi/futex.h>
#include <uapi/sched.h>

/* glibc's pthread_create flags (CLONE_SETTLS, CLONE_PARENT_SETTID and CLONE_CHILD_CLEARTID with them). */
#define THREAD_CLONE_FLAGS	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | \
				 CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID)
#define THREAD_STACK_SIZE	(64 * 1024)

struct uthread {
	volatile pid_t tid;		/* CLONE_PARENT_SETTID's word */
	volatile pid_t ctid;		/* CLONE_CHILD_CLEARTID's: -1 (or the tid, CLONE_CHILD_SETTID) until the thread exits, then 0 */
	void *stack;			/* THREAD_STACK_SIZE bytes, mmap'ed */
};

/* futex(2), raw: its value or -errno. */
long futex(volatile uint32_t *uaddr, int op, uint32_t val, const struct timespec *ts, uint32_t val3);
/* Start fn(arg) as a thread with clone flags flags and TLS tls; its tid, or -errno. */
int thread_start_flags(struct uthread *t, int flags, int (*fn)(void *), void *arg, void *tls);
/* The same with THREAD_CLONE_FLAGS and TLS pointing at t. */
int thread_start(struct uthread *t, int (*fn)(void *), void *arg);
/* Wait until t has exited (its ctid word is 0, as pthread_join), then free its stack. */
void thread_join(struct uthread *t);
/* The calling thread's TLS register (x86_64 FS base, arm64 TPIDR_EL0). */
unsigned long tls_get(void);
/* The state letter of thread tid of process pid in /proc/<pid>/task/<tid>/stat ('R', 'S', 'Z' ...), 0 if none. */
char task_state(pid_t pid, pid_t tid);
/* Yield until thread tid of process pid sleeps ('S'); 0, or -1 once it is gone. */
int wait_sleeping(pid_t pid, pid_t tid);
#endif
