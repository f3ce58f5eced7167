/*
 * pfscalebench: page-fault scalability, will-it-scale's page_fault1 shape.
 *
 *   pfscalebench [-m MIB] [-r ROUNDS] [SIZE...]     sizes 4K 64K, 128 MiB, 3 rounds
 *
 * N tasks (N = 1, 2, 4), first threads of one mm, then processes, each map their own
 * MIB MiB (2 MiB-aligned), write one byte per 4 KiB page, and unmap it, ROUNDS times; every
 * round starts in all tasks at once (a barrier, <bench_smp.h>), and task i is pinned to
 * CPU i % CPUs where sched_setaffinity exists.  Threads contend on the mmap_lock (read,
 * the faults; write, mmap and munmap) and on the page allocator; processes only on the
 * allocator.  Per size (that mTHP size alone "always", the others "never"; 4K: every large
 * size never, and MADV_NOHUGEPAGE), mode and N, one line
 *   BENCH name=pfscale arch=<a> cpus=<CPUs the tasks may use> pinned=<0|1> mode=<threads|procs>
 *         size=<S> tasks=<N> mib=<MIB> rounds=<R> mib_s=<total MiB/s: N*MIB*R over the
 *         rounds' wall time, first start to last end> mib_s_task=<the tasks' mean of MIB*R over their own time>
 *         scale=<mib_s / mib_s at N=1, same mode and size> alloc=<anon_fault_alloc delta>
 * (alloc: the size's hugepages-<S>kB/stats counter over the N tasks' rounds, N*R*MIB*16
 * at 64K; for 4K the sum over every size, 0).  The prezero knob (foliOS) is off during the
 * run, so every fault zeroes its folio as on Linux; the knobs are put back as found.
 * Without writable mTHP knobs (Linux, not root) 4K only.  A benchmark, not a
 * test: it asserts nothing (docs/running.md, "make bench").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bench.h>
#include <bench_smp.h>
#include <mthp.h>
#include <sys/mman.h>

#define PG		4096UL
#define PMD_SIZE	(2UL << 20)

static const int task_counts[] = { 1, 2, 4 };
#define NR_COUNTS	(int)(sizeof(task_counts) / sizeof(task_counts[0]))

/* What every task does: the mapping's length and whether to forbid large folios (4K). */
struct touch_arg {
	size_t len;
	int nohuge;
};

/* One round of one task: map, touch every page, unmap; 0, or -1 if the mapping failed. */
static int touch_round(int task, int round, void *arg)
{
	const struct touch_arg *a = arg;
	char *p = bench_map_aligned(a->len, PMD_SIZE);

	(void)task;
	(void)round;
	if (!p)
		return -1;
	if (a->nohuge)
		madvise(p, a->len, MADV_NOHUGEPAGE);
	for (unsigned long off = 0; off < a->len; off += PG)
		((volatile char *)p)[off] = 1;
	munmap(p, a->len);
	return 0;
}

/* Size k (knobs already set) in mode kind at every N: the BENCH lines. */
static void measure(const char *arch, enum bench_kind kind, unsigned int k, unsigned long mib, int rounds)
{
	struct touch_arg arg = { mib << 20, k == 0 };
	unsigned long base = 0;

	for (int c = 0; c < NR_COUNTS; c++) {
		int n = task_counts[c];
		struct bench_tasks_result r;
		long a0 = bench_size_stat(k, "anon_fault_alloc");

		if (bench_tasks(kind, n, rounds, touch_round, &arg, &r) < 0)
			return;
		long a1 = bench_size_stat(k, "anon_fault_alloc");
		if (r.failed) {
			printf("# pfscalebench: %d of %d mappings of %lu MiB failed: %s size %s tasks %d skipped\n",
			       r.failed, n * rounds, mib, kind == BENCH_THREADS ? "threads" : "procs",
			       mthp_size_name(k), n);
			continue;
		}
		unsigned long done = mib * (unsigned long)rounds * 1000000000UL;
		unsigned long total = r.wall_ns ? done * (unsigned long)n / r.wall_ns : 0, task = 0;

		for (int i = 0; i < n; i++)
			task += r.busy_ns[i] ? done / r.busy_ns[i] : 0;
		if (n == 1)
			base = total;
		unsigned long scale = base ? total * 100 / base : 0;
		printf("BENCH name=pfscale arch=%s cpus=%d pinned=%d mode=%s size=%s tasks=%d mib=%lu rounds=%d mib_s=%lu mib_s_task=%lu scale=%lu.%02lu alloc=%ld\n",
		       arch, bench_nr_cpus(), r.pinned, kind == BENCH_THREADS ? "threads" : "procs",
		       mthp_size_name(k), n, mib, rounds, total, task / (unsigned long)n, scale / 100, scale % 100,
		       a0 >= 0 && a1 >= 0 ? a1 - a0 : -1);
	}
}

int main(int argc, char **argv)
{
	const char *arch = bench_arch();
	unsigned long mib = 128;
	int rounds = 3, i = 1;
	unsigned int orders[16];
	struct thp_knobs saved;

	for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (!strcmp(argv[i], "-m"))
			mib = strtoul(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "-r"))
			rounds = atoi(argv[i + 1]);
		else
			break;
	}
	int n = bench_orders(argc - i + 1, argv + i - 1, "pfscalebench [-m MIB] [-r ROUNDS]",
			     (const unsigned int[]){ 0, 4 }, 2, orders, 16);
	if (n < 0 || !mib || rounds < 1)
		return 2;

	int have_knobs = thp_knobs_save(&saved) == 0 && saved.sizes != 0;
	if (saved.have_prezero)
		folio_knob_set("prezero", 0);
	for (int s = 0; s < n; s++) {
		if (bench_only_size("pfscalebench", orders[s], have_knobs) < 0)
			continue;
		measure(arch, BENCH_THREADS, orders[s], mib, rounds);
		measure(arch, BENCH_PROCS, orders[s], mib, rounds);
	}
	if ((have_knobs || saved.have_prezero) && thp_knobs_restore(&saved) < 0)
		printf("# pfscalebench: could not restore every knob\n");
	return 0;
}
