/*
 * threadbench: the costs of threads `make bench` reports (BENCH lines):
 *   thread_create_join  us per thread started (glibc's clone flags) and joined
 *                       through its CLONE_CHILD_CLEARTID word, beside
 *   fork_exit_wait      us per fork + child _exit + wait4 (the same as sysbench's)
 *   futex_wake_empty    ns per FUTEX_WAKE_PRIVATE that finds no waiter, beside
 *   syscall_getpid      ns per getpid() (the floor of a system call)
 *   futex_pingpong      ns per round trip between two threads that hand a word back
 *                       and forth with FUTEX_WAIT/FUTEX_WAKE (two sleeps, two wakes,
 *                       two switches: within one address space, no TLB work)
 * A benchmark, not a test: it asserts nothing and runs on Linux too.
 */
#include <sched.h>
#include <stdio.h>
#include <thread.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <bench.h>

static int nothing(void *arg)
{
	(void)arg;
	return 0;
}

static void bench_thread_create(const char *arch)
{
	const int n = 200;
	unsigned long long t0 = (unsigned long long)now_ns(), t1;
	struct uthread t;

	for (int i = 0; i < n; i++) {
		thread_start(&t, nothing, NULL);
		thread_join(&t);
	}
	t1 = (unsigned long long)now_ns();
	printf("BENCH name=thread_create_join arch=%s threads=%d us=%llu\n", arch, n, (t1 - t0) / n / 1000);
	printf("BENCH name=fork_exit_wait arch=%s forks=%d us=%llu\n", arch, n, bench_fork_exit_wait_us(n));
}

static void bench_futex_wake(const char *arch)
{
	const int n = 100000;
	volatile uint32_t w = 0;
	unsigned long long t0 = (unsigned long long)now_ns(), t1;

	for (int i = 0; i < n; i++)
		futex(&w, FUTEX_WAKE_PRIVATE, 1, NULL, 0);
	t1 = (unsigned long long)now_ns();
	for (int i = 0; i < n; i++)
		getpid();
	printf("BENCH name=futex_wake_empty arch=%s calls=%d ns=%llu\n", arch, n, (t1 - t0) / n);
	printf("BENCH name=syscall_getpid arch=%s calls=%d ns=%llu\n", arch, n,
	       ((unsigned long long)now_ns() - t1) / n);
}

#define PINGPONGS	5000

static volatile uint32_t turn;	/* 0: the main thread's, 1: the partner's */

/* Wait until turn is mine, then hand it over. */
static void play(uint32_t mine, int rounds)
{
	for (int i = 0; i < rounds; i++) {
		while (turn != mine)
			futex(&turn, FUTEX_WAIT_PRIVATE, !mine, NULL, 0);
		turn = !mine;
		futex(&turn, FUTEX_WAKE_PRIVATE, 1, NULL, 0);
	}
}

static int partner(void *arg)
{
	(void)arg;
	play(1, PINGPONGS);
	return 0;
}

static void bench_pingpong(const char *arch)
{
	struct uthread t;
	unsigned long long t0;

	turn = 0;
	thread_start(&t, partner, NULL);
	t0 = (unsigned long long)now_ns();
	play(0, PINGPONGS);
	thread_join(&t);
	printf("BENCH name=futex_pingpong arch=%s rounds=%d ns=%llu\n", arch, PINGPONGS,
	       ((unsigned long long)now_ns() - t0) / PINGPONGS);
}

int main(void)
{
	const char *arch = bench_arch();

	bench_thread_create(arch);
	bench_futex_wake(arch);
	bench_pingpong(arch);
	return 0;
}
