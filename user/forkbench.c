/*
 * forkbench: fork + child _exit + wait4 with concurrent forkers.
 *
 *   forkbench [-n FORKS]       200 forks per forker
 *
 * F forker processes (F = 1, 2, 4), started at once (<bench_smp.h>; forker i pinned to
 * CPU i % CPUs where sched_setaffinity exists), each fork FORKS children that _exit(0)
 * at once and wait for each (sysbench's and threadbench's fork_exit_wait loop,
 * bench_fork_exit_wait_us).  They contend on the task list, the pid allocator, the page
 * allocator (page tables, kernel stacks) and the scheduler.  One line per F:
 *   BENCH name=forkexit arch=<a> cpus=<CPUs> pinned=<0|1> forkers=<F> forks=<FORKS>
 *         us=<mean over the forkers of their us per fork> forks_s=<all forks per second of
 *         wall time> scale=<forks_s / forks_s at F = 1>
 * A benchmark, not a test: it asserts nothing (docs/running.md, "make bench").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bench.h>
#include <bench_smp.h>

static int forker(int task, int round, void *arg)
{
	(void)task;
	(void)round;
	bench_fork_exit_wait_us(*(const int *)arg);
	return 0;
}

int main(int argc, char **argv)
{
	static const int forkers[] = { 1, 2, 4 };
	const char *arch = bench_arch();
	int forks = argc > 2 && !strcmp(argv[1], "-n") ? atoi(argv[2]) : 200;
	unsigned long base = 0;

	if (forks < 1)
		return 2;
	for (unsigned int i = 0; i < sizeof(forkers) / sizeof(forkers[0]); i++) {
		int f = forkers[i];
		struct bench_tasks_result r;
		unsigned long us = 0;

		if (bench_tasks(BENCH_PROCS, f, 1, forker, &forks, &r) < 0)
			continue;
		for (int j = 0; j < f; j++)
			us += r.busy_ns[j] / 1000 / (unsigned long)forks;
		unsigned long rate = r.wall_ns ? (unsigned long)f * (unsigned long)forks * 1000000000UL / r.wall_ns : 0;
		if (f == 1)
			base = rate;
		unsigned long scale = base ? rate * 100 / base : 0;
		printf("BENCH name=forkexit arch=%s cpus=%d pinned=%d forkers=%d forks=%d us=%lu forks_s=%lu scale=%lu.%02lu\n",
		       arch, bench_nr_cpus(), r.pinned, f, forks, us / (unsigned long)f, rate, scale / 100, scale % 100);
	}
	return 0;
}
