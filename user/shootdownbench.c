/*
 * shootdownbench: the cost of a TLB shootdown, seen from user space, as Linux can be
 * measured too.
 *
 *   shootdownbench [-n CALLS]       2000 calls of each operation (at least 10), in 5 batches
 *                                   of at most 250 ms each
 *
 * The calling thread, pinned to CPU 0, changes one populated page of its mm while K
 * other threads of the mm (K = 0, 1, 3) spin on CPUs 1..K, each reading that page, so
 * every CPU holds the mm's translations and each change must reach them (an IPI on
 * x86_64; on arm64 a broadcast TLBI, no IPI).  K = 0 is the local-flush baseline; a K
 * that needs more CPUs than the task may use, or pinning where sched_setaffinity is
 * missing (ENOSYS) and K > 0, is skipped (the spinners would share the caller's CPU).
 * Two operations:
 *   mprotect   the page toggled PROT_READ / PROT_READ|PROT_WRITE (each call changes
 *              a present PTE, so each flushes)
 *   munmap     a fresh page mapped and written, then unmapped (only the munmap timed)
 * One line per operation and K:
 *   BENCH name=shootdown arch=<a> cpus=<CPUs> op=<mprotect|munmap> others=<K>
 *         calls=<made: fewer than CALLS when batches hit 250 ms>
 *         ns=<per call, the median batch's> remote_flush=<nr_tlb_remote_flush delta per
 *         1000 calls, -1 absent>
 * (the median of 5 batches: under QEMU TCG a vCPU the host descheduled holds up an IPI
 * for milliseconds, which would dominate a mean)
 * (/proc/vmstat's nr_tlb_remote_flush: Linux's name, under CONFIG_DEBUG_TLBFLUSH there.)
 * A benchmark, not a test: it asserts nothing (docs/running.md, "make bench").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <thread.h>
#include <time.h>
#include <bench.h>
#include <bench_smp.h>
#include <mthp.h>
#include <sys/mman.h>

#define PG		4096UL
#define MAX_OTHERS	3
#define BATCHES		5
#define BATCH_NS	(250L * 1000 * 1000)	/* a batch stops after this much time */

static char *page;			/* the page the spinners read and mprotect changes */
static volatile int stop;
static volatile uint32_t running;	/* spinners pinned and spinning */

static int spinner(void *arg)
{
	int cpu = (int)(long)arg;

	bench_pin(cpu);
	__atomic_add_fetch(&running, 1, __ATOMIC_RELEASE);
	while (!stop)
		(void)((volatile char *)page)[0];
	return 0;
}

/*
 * ns per mprotect of the page, over calls calls or as many pairs as fit in BATCH_NS (the
 * page ends read-write); the calls made into *done.
 */
static unsigned long time_mprotect(int calls, int *done)
{
	long t0 = now_ns(), t = t0;
	int i = 0;

	while (i < calls && t - t0 < BATCH_NS) {
		mprotect(page, PG, PROT_READ);
		mprotect(page, PG, PROT_READ | PROT_WRITE);
		i += 2;
		t = now_ns();
	}
	*done = i;
	return (unsigned long)(t - t0) / (unsigned long)i;
}

/*
 * ns per munmap of a page just mapped and written, over calls calls or as many as fit in
 * BATCH_NS of munmap time; the calls made into *done (0 if a mapping failed).
 */
static unsigned long time_munmap(int calls, int *done)
{
	unsigned long sum = 0;
	int i = 0;

	for (*done = 0; i < calls && sum < BATCH_NS; i++) {
		char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return 0;
		p[0] = 1;
		long t0 = now_ns();
		munmap(p, PG);
		sum += (unsigned long)(now_ns() - t0);
	}
	*done = i;
	return sum / (unsigned long)i;
}

/* Time op in BATCHES batches of at most calls / BATCHES calls each; its BENCH line. */
static void report(const char *arch, int cpus, int k, const char *name, unsigned long (*op)(int, int *), int calls)
{
	unsigned long ns[BATCHES];
	int total = 0;
	long f0 = vmstat_get("nr_tlb_remote_flush");

	for (int b = 0; b < BATCHES; b++) {
		int done;

		ns[b] = op(calls / BATCHES, &done);
		if (!done)
			return;
		total += done;
	}
	long f1 = vmstat_get("nr_tlb_remote_flush");
	bench_sort(ns, BATCHES);
	printf("BENCH name=shootdown arch=%s cpus=%d op=%s others=%d calls=%d ns=%lu remote_flush=%ld\n", arch, cpus,
	       name, k, total, ns[BATCHES / 2], f0 >= 0 && f1 >= 0 ? (f1 - f0) * 1000 / total : -1);
}

int main(int argc, char **argv)
{
	static const int others[] = { 0, 1, MAX_OTHERS };
	const char *arch = bench_arch();
	int calls = argc > 2 && !strcmp(argv[1], "-n") ? atoi(argv[2]) : 2000;
	int cpus = bench_nr_cpus();
	int can_pin = bench_pin(0) == 0;

	if (calls < 2 * BATCHES)
		return 2;
	page = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED) {
		printf("# shootdownbench: mmap failed\n");
		return 1;
	}
	page[0] = 1;
	for (unsigned int i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		int k = others[i];
		struct uthread t[MAX_OTHERS];
		int started = 0;

		if (k && (!can_pin || k >= cpus)) {
			printf("# shootdownbench: %d others: %s: skipped\n", k,
			       can_pin ? "not enough CPUs" : "no sched_setaffinity");
			continue;
		}
		stop = 0;
		running = 0;
		for (; started < k; started++)
			if (thread_start(&t[started], spinner, (void *)(long)(started + 1)) < 0)
				break;
		while (__atomic_load_n(&running, __ATOMIC_ACQUIRE) < (uint32_t)started)
			;
		if (started == k) {
			report(arch, cpus, k, "mprotect", time_mprotect, calls);
			report(arch, cpus, k, "munmap", time_munmap, calls);
		} else {
			printf("# shootdownbench: could not start thread %d of %d\n", started, k);
		}
		stop = 1;
		for (int j = 0; j < started; j++)
			thread_join(&t[j]);
	}
	munmap(page, PG);
	return 0;
}
