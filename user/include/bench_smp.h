/*
 * bench_smp.h - what the SMP benchmarks (pfscalebench, shootdownbench, forkbench) share
 * (user/lib/bench_smp.c): the CPUs this task may run on, pinning, a barrier that threads
 * and processes can meet at, and N tasks (threads of one mm, or processes) that run a
 * function in rounds, all starting each round at once, with each task's time and the
 * rounds' wall time.  Runs on Linux too (the same raw system calls).
 */
#ifndef _BENCH_SMP_H
#define _BENCH_SMP_H
#include <stdint.h>

#define BENCH_MAX_TASKS	16

/* CPUs in this task's affinity mask (sched_getaffinity); 1 where the call is missing (ENOSYS). */
int bench_nr_cpus(void);
/* Pin the calling task to CPU cpu (sched_setaffinity); 0, or -errno (-ENOSYS: no such call). */
int bench_pin(int cpu);

/*
 * A barrier for `parties` tasks (pthread_barrier_wait's meaning): the last to arrive
 * releases the others, who sleep in FUTEX_WAIT.  In memory the tasks share (a MAP_SHARED
 * mapping between processes: `shared` set, so the futex calls are not PRIVATE).
 */
struct bench_barrier {
	volatile uint32_t arrived;	/* tasks waiting in this generation */
	volatile uint32_t gen;		/* bumped by the last arrival: the futex word */
	uint32_t parties;
	uint32_t shared;
};
void bench_barrier_init(struct bench_barrier *b, uint32_t parties, int shared);
void bench_barrier_wait(struct bench_barrier *b);

enum bench_kind { BENCH_THREADS, BENCH_PROCS };

/* What bench_tasks measured. */
struct bench_tasks_result {
	unsigned long wall_ns;				/* the rounds', each from its first task's start to its last's end */
	unsigned long busy_ns[BENCH_MAX_TASKS];		/* each task's own time in fn, over the rounds */
	int pinned;					/* every task pinned (task i to CPU i % bench_nr_cpus()) */
	int failed;					/* calls of fn that returned non-zero */
};

/*
 * Run fn(task, round, arg) (0, or non-zero for a failure, counted) for round 0..rounds in n tasks (1 <= n <= BENCH_MAX_TASKS):
 * threads of this mm (libfolio's thread_start, glibc's clone flags) or processes forked
 * from this one.  Each round starts with every task released by one barrier at once and
 * ends when the slowest is done; the caller waits asleep.  Task i is pinned to CPU
 * i % bench_nr_cpus() when there is more than one CPU and sched_setaffinity exists.  fn
 * must not exit or print, and what it writes through arg the caller sees only from threads;
 * a process task _exit(0)s after its rounds.  0, or -1 (message
 * printed as a '#' line) when a task could not be started or the shared page mapped; the
 * tasks started are then waited for.
 */
int bench_tasks(enum bench_kind kind, int n, int rounds, int (*fn)(int task, int round, void *arg),
		void *arg, struct bench_tasks_result *r);
#endif
