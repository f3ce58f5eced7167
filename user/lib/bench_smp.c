/*
 * bench_smp.c - the SMP benchmarks' harness behind <bench_smp.h>.
 *
 * bench_tasks keeps its control block (the barrier, the per-task times, the abort flag)
 * in one MAP_SHARED anonymous page, so that threads and forked processes see the same
 * words: a round is two barrier meetings of the n tasks and the caller (start, end).  The
 * tasks stamp their own start and end (CLOCK_MONOTONIC, one clock for all CPUs), and a
 * round's wall time is the last end minus the first start: neither the caller's wake-up
 * after the round nor a task's wake-up before its first stamp counts.  Between the
 * meetings the caller sleeps in FUTEX_WAIT, so it takes no CPU from the tasks.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <thread.h>
#include <time.h>
#include <unistd.h>
#include <bench_smp.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define MASK_BYTES	128	/* 1024 CPUs, as glibc's cpu_set_t */

int bench_nr_cpus(void)
{
	unsigned char mask[MASK_BYTES] = { 0 };
	long len = __syscall(__NR_sched_getaffinity, 0, sizeof(mask), (long)mask, 0, 0, 0);
	int n = 0;

	if (len < 0)
		return 1;
	for (long i = 0; i < len && i < MASK_BYTES; i++)
		n += __builtin_popcount(mask[i]);
	return n > 0 ? n : 1;
}

int bench_pin(int cpu)
{
	unsigned char mask[MASK_BYTES] = { 0 };

	if (cpu < 0 || cpu >= MASK_BYTES * 8)
		return -EINVAL;
	mask[cpu / 8] = (unsigned char)(1U << (cpu % 8));
	return (int)__syscall(__NR_sched_setaffinity, 0, sizeof(mask), (long)mask, 0, 0, 0);
}

void bench_barrier_init(struct bench_barrier *b, uint32_t parties, int shared)
{
	b->arrived = 0;
	b->gen = 0;
	b->parties = parties;
	b->shared = shared != 0;
}

/*
 * Arrive; the arrival that makes `parties` (read at each arrival, so the caller of
 * bench_tasks may lower it to release the tasks it did start) resets the count and
 * bumps the generation, waking the sleepers.  The generation is read before arriving,
 * so a wake-up that comes before the sleep is not lost (FUTEX_WAIT compares it).
 */
void bench_barrier_wait(struct bench_barrier *b)
{
	int priv = b->shared ? 0 : FUTEX_PRIVATE_FLAG;
	uint32_t gen = __atomic_load_n(&b->gen, __ATOMIC_ACQUIRE);

	if (__atomic_add_fetch(&b->arrived, 1, __ATOMIC_ACQ_REL) >= __atomic_load_n(&b->parties, __ATOMIC_ACQUIRE)) {
		__atomic_store_n(&b->arrived, 0, __ATOMIC_RELAXED);
		__atomic_add_fetch(&b->gen, 1, __ATOMIC_RELEASE);
		futex(&b->gen, FUTEX_WAKE | priv, INT_MAX, NULL, 0);
		return;
	}
	while (__atomic_load_n(&b->gen, __ATOMIC_ACQUIRE) == gen)
		futex(&b->gen, FUTEX_WAIT | priv, gen, NULL, 0);
}

/* The control block, in one shared page. */
struct tasks_ctl {
	struct bench_barrier bar;
	volatile int abort;		/* the caller could not start every task: leave after the start */
	volatile int pin_failed;
	int failed;			/* fn's failures, all tasks (atomic adds) */
	unsigned long busy_ns[BENCH_MAX_TASKS];
	long start_ns[BENCH_MAX_TASKS], end_ns[BENCH_MAX_TASKS];	/* this round's stamps */
	int n, rounds, ncpus;
	int (*fn)(int task, int round, void *arg);
	void *arg;
};

/* One task's whole life: pin, then the rounds between the barriers. */
static void task_body(struct tasks_ctl *c, int task)
{
	if (c->ncpus > 1 && bench_pin(task % c->ncpus) < 0)
		c->pin_failed = 1;
	for (int round = 0; round < c->rounds; round++) {
		bench_barrier_wait(&c->bar);
		if (c->abort)
			return;
		c->start_ns[task] = now_ns();
		if (c->fn(task, round, c->arg))
			__atomic_add_fetch(&c->failed, 1, __ATOMIC_RELAXED);
		c->end_ns[task] = now_ns();
		c->busy_ns[task] += (unsigned long)(c->end_ns[task] - c->start_ns[task]);
		bench_barrier_wait(&c->bar);
	}
}

struct thread_arg {
	struct tasks_ctl *ctl;
	int task;
};

static int thread_main(void *p)
{
	struct thread_arg *a = p;

	task_body(a->ctl, a->task);
	return 0;
}

/* Start task i as kind; 0 or -1.  A process task never returns here. */
static int task_start(enum bench_kind kind, struct tasks_ctl *c, int i, struct uthread *t, struct thread_arg *a,
		      pid_t *pid)
{
	if (kind == BENCH_THREADS) {
		*a = (struct thread_arg){ c, i };
		return thread_start(t, thread_main, a) < 0 ? -1 : 0;
	}
	*pid = fork();
	if (*pid == 0) {
		task_body(c, i);
		_exit(0);
	}
	return *pid < 0 ? -1 : 0;
}

int bench_tasks(enum bench_kind kind, int n, int rounds, int (*fn)(int task, int round, void *arg),
		void *arg, struct bench_tasks_result *r)
{
	struct tasks_ctl *c = mmap(NULL, sizeof(*c), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct uthread threads[BENCH_MAX_TASKS];
	struct thread_arg args[BENCH_MAX_TASKS];
	pid_t pids[BENCH_MAX_TASKS];
	int started = 0, ret = 0;

	if (c == MAP_FAILED) {
		printf("# bench_tasks: mmap of the control page failed\n");
		return -1;
	}
	*c = (struct tasks_ctl){ .n = n, .rounds = rounds, .ncpus = bench_nr_cpus(), .fn = fn, .arg = arg };
	bench_barrier_init(&c->bar, (uint32_t)n + 1, kind == BENCH_PROCS);
	for (; started < n; started++)
		if (task_start(kind, c, started, &threads[started], &args[started], &pids[started]) < 0)
			break;
	if (started < n) {
		printf("# bench_tasks: could not start task %d of %d\n", started, n);
		c->abort = 1;
		__atomic_store_n(&c->bar.parties, (uint32_t)started + 1, __ATOMIC_RELEASE);
		bench_barrier_wait(&c->bar);
		ret = -1;
	} else {
		unsigned long wall = 0;

		for (int round = 0; round < rounds; round++) {
			bench_barrier_wait(&c->bar);
			bench_barrier_wait(&c->bar);
			long first = c->start_ns[0], last = c->end_ns[0];
			for (int i = 1; i < n; i++) {
				first = c->start_ns[i] < first ? c->start_ns[i] : first;
				last = c->end_ns[i] > last ? c->end_ns[i] : last;
			}
			wall += (unsigned long)(last - first);
		}
		r->wall_ns = wall;
		for (int i = 0; i < n; i++)
			r->busy_ns[i] = c->busy_ns[i];
		r->pinned = c->ncpus > 1 && !c->pin_failed;
		r->failed = c->failed;
	}
	for (int i = 0; i < started; i++) {
		int status;

		if (kind == BENCH_THREADS)
			thread_join(&threads[i]);
		else
			waitpid(pids[i], &status, 0);
	}
	munmap(c, sizeof(*c));
	return ret;
}
