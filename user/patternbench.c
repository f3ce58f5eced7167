/*
 * patternbench: the synthetic trace generators' access shapes (tools/policylab/ftgen.c,
 * docs/policylab.md) run for real, one folio size at a time, on foliOS and on Linux.
 *
 *   patternbench [-p PAGES] [SIZES...]   PAGES: the working set (default 4096, 16 MiB);
 *                                        sizes as faultbench's (default 4K 16K 64K 2M)
 *
 * The shapes, with n = PAGES and the generators' default parameters and seed (1):
 *   seq       write every page of an n-page region in order
 *   rand      write every page once in a splitmix64 order (the generator's shuffle)
 *   sparse    write 1 in 8 pages
 *   heap      n/16 rounds of sbrk(+16 pages) and 16 writes; every 4th round sbrk(-8 pages)
 *   stack     a fresh process's stack (this program exec'd) grows down page by page,
 *             min(n, 1024) frames of a little under 4 KiB; its own faults and time
 *   fork      write n pages, fork; the child writes 1 in 4 (CoW) and exits; the parent
 *             then writes the pages 2 mod 4
 *   madvfree  4 chunks of n/4 pages, 8 rounds: write a chunk, MADV_FREE it; after rounds
 *             3 and 7 MADV_DONTNEED the whole region
 *   kbuild    16 short processes one after another (fork + exec of this program as a
 *             "cc1"): heap growth by 4 pages 1..8 times, 2..6 regions of 1..64 pages, a
 *             random half of their pages written, a quarter of the rest read
 * For each size (that size "always", every other "never"; 4K: every large size never) and
 * shape, the median of 3 runs, one line:
 *   BENCH name=patternbench arch=<x86_64|arm64> size=<S> shape=<shape> pages=<n>
 *         faults=<ru_minflt delta, children included> touched_kib=<distinct pages written>
 *         rss_kib=<AnonPages growth at the shape's peak> bloat_pct=<rss / touched, %>
 *         (touched and rss: pages resident at the peak; kbuild: summed over its processes;
 *         fork: the parent's peak once the child is gone)
 *         alloc=<hugepages-<S>kB/stats/anon_fault_alloc delta; 4K: summed over sizes>
 *         fallback=<anon_fault_fallback delta, the same way> us_per_mib=<time / touched MiB>
 * Faults, AnonPages and the per-size stats are read the same way on both kernels (Linux's
 * files; foliOS has the same paths).  AnonPages is system-wide: meant to run as init.
 * Not a test: it asserts nothing (docs/policylab.md, "Confirm in QEMU and against Linux").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bench.h>
#include <mthp.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>

#define PG		4096UL
#define PMD_SIZE	(2UL << 20)
#define REPS		3
#define SPARSE_EVERY	8
#define STACK_MAX	1024UL
#define KBUILD_PROCS	16
#define SEED		1

/* One run's figures of a shape (run_once). */
struct sample {
	long faults, alloc, fallback;
	unsigned long touched_kib, rss_kib, us_per_mib;
};

/* The peak of AnonPages growth over the baseline, kept by each shape as it goes. */
static long anon_base, anon_peak;

/* Raise anon_peak to AnonPages' growth over anon_base now (KiB). */
static void peak_note(void)
{
	long kb = meminfo_kb("AnonPages");

	if (kb - anon_base > anon_peak)
		anon_peak = kb - anon_base;
}

/* splitmix64, as tools/policylab/ftgen.c: the same sequence for the same seed. */
static unsigned long long rnd_next(unsigned long long *s)
{
	unsigned long long z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned long rnd_below(unsigned long long *s, unsigned long n)
{
	return (unsigned long)(rnd_next(s) % n);
}

static void touch(char *p, unsigned long page)
{
	((volatile char *)p)[page * PG] = 1;
}

/*
 * Each shape runs on n pages (rand: in perm's order) and returns the pages it wrote that are
 * resident at its peak, or -1 on failure; it notes its peak (peak_note or anon_peak).
 */
static long shape_region(unsigned long n, unsigned long every, const unsigned long *order)
{
	char *p = bench_map_aligned(n * PG, PMD_SIZE);
	long touched = 0;

	if (!p)
		return -1;
	for (unsigned long i = 0; i < n; i += every, touched++)
		touch(p, order ? order[i] : i);
	peak_note();
	munmap(p, n * PG);
	return touched;
}

static long shape_seq(unsigned long n, const unsigned long *perm)
{
	(void)perm;
	return shape_region(n, 1, NULL);
}

static long shape_rand(unsigned long n, const unsigned long *perm)
{
	return shape_region(n, 1, perm);
}

static long shape_sparse(unsigned long n, const unsigned long *perm)
{
	(void)perm;
	return shape_region(n, SPARSE_EVERY, NULL);
}

static long shape_heap(unsigned long n, const unsigned long *perm)
{
	char *start = sbrk(0), *top = start;

	(void)perm;
	if (start == (char *)-1)
		return -1;
	for (unsigned long r = 0; r < n / 16; r++) {
		if (sbrk(16 * PG) == (void *)-1)
			return -1;
		for (unsigned long i = 0; i < 16; i++)
			touch(top, i);
		top += 16 * PG;
		if (r % 4 == 3) {
			top -= 8 * PG;
			sbrk(-(long)(8 * PG));
		}
	}
	peak_note();
	brk(start);
	return (top - start) / (long)PG;	/* the heap's pages at its peak, all written */
}

/*
 * One frame of a little under 4 KiB per level, its lowest byte written, down to depth 0:
 * every page from the first frame to the last is written.  The peak is noted at the
 * bottom, whose address goes to *low.
 */
static __attribute__((noinline)) unsigned long stack_down(unsigned long depth, unsigned long *low)
{
	volatile char frame[PG - 256];

	frame[0] = (char)depth;
	if (!depth) {
		*low = (unsigned long)frame;
		peak_note();
		return frame[0];
	}
	return stack_down(depth - 1, low) + frame[0];
}

/* Faults of the children waited for by shapes (fork, kbuild), added to the parent's. */
static long child_faults;

/* Wait for pid, count its faults; 0 if it exited with 0. */
static int reap(pid_t pid)
{
	struct rusage ru;
	int status;

	if (wait4(pid, &status, 0, &ru) != pid)
		return -1;
	child_faults += ru.ru_minflt;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* The program's own path, for the helpers' exec (argv[0]). */
static const char *self_path;

/*
 * Run the helper `patternbench MODE ARG FD` (fork + exec, FD a pipe's write end) and wait
 * for it; it writes res[0..HELPER_RES) to the pipe.  0, or -1 if it failed.
 */
#define HELPER_RES	4
static int spawn(const char *mode, const char *arg, int fds[2], long res[HELPER_RES])
{
	char fd[12];
	char *argv[] = { (char *)self_path, (char *)mode, (char *)arg, fd, NULL };
	char *envp[] = { NULL };

	snprintf(fd, sizeof(fd), "%d", fds[1]);
	pid_t pid = fork();
	if (pid == 0) {
		execve(self_path, argv, envp);
		_exit(127);
	}
	if (pid < 0 || reap(pid) < 0)
		return -1;
	return read(fds[0], res, HELPER_RES * sizeof(long)) == HELPER_RES * sizeof(long) ? 0 : -1;
}

/* A helper's result on fd: 0 if written whole. */
static int helper_reply(int fd, const long res[HELPER_RES])
{
	return write(fd, res, HELPER_RES * sizeof(long)) == HELPER_RES * sizeof(long) ? 0 : 1;
}

/*
 * The stack helper (`patternbench --stack DEPTH FD`): a fresh process's stack grows DEPTH
 * frames down; replies the pages written, the AnonPages growth (KiB), its faults and ns.
 */
static int stack_helper(unsigned long depth, int fd)
{
	unsigned long low = 0, high = (unsigned long)&depth;

	anon_base = meminfo_kb("AnonPages");
	long f0 = minflt_now(), t0 = now_ns();
	stack_down(depth - 1, &low);
	long t1 = now_ns(), f1 = minflt_now();
	long res[HELPER_RES] = { (long)((high & ~(PG - 1)) - (low & ~(PG - 1))) / (long)PG, anon_peak,
				 f1 - f0, t1 - t0 };
	return helper_reply(fd, res);
}

/* A shape's time when a helper measured it (stack), else -1: the caller's clock. */
static long shape_ns;

static long shape_stack(unsigned long n, const unsigned long *perm)
{
	char depth[24];
	long res[HELPER_RES];
	int fds[2];

	(void)perm;
	snprintf(depth, sizeof(depth), "%lu", n < STACK_MAX ? n : STACK_MAX);
	if (pipe(fds) < 0)
		return -1;
	int err = spawn("--stack", depth, fds, res);
	close(fds[0]);
	close(fds[1]);
	if (err)
		return -1;
	child_faults = res[2];	/* the growth's own, not the exec's */
	anon_peak = res[1];
	shape_ns = res[3];
	return res[0];
}

static long shape_fork(unsigned long n, const unsigned long *perm)
{
	char *p = bench_map_aligned(n * PG, PMD_SIZE);
	long touched = (long)n;

	(void)perm;
	if (!p)
		return -1;
	for (unsigned long i = 0; i < n; i++)
		touch(p, i);
	pid_t pid = fork();
	if (pid == 0) {
		for (unsigned long i = 0; i < n; i += 4)
			touch(p, i);
		_exit(0);
	}
	if (pid < 0 || reap(pid) < 0)
		touched = -1;
	peak_note();
	for (unsigned long i = 2; i < n; i += 4)
		touch(p, i);
	peak_note();
	munmap(p, n * PG);
	return touched;
}

static long shape_madvfree(unsigned long n, const unsigned long *perm)
{
	unsigned long c = n / 4;
	char *p = bench_map_aligned(n * PG, PMD_SIZE);

	(void)perm;
	if (!p)
		return -1;
	for (unsigned int r = 0; r < 8; r++) {
		char *chunk = p + (r % 4) * c * PG;

		for (unsigned long i = 0; i < c; i++)
			touch(chunk, i);
		peak_note();
		madvise(chunk, c * PG, MADV_FREE);
		if (r % 4 == 3)
			madvise(p, n * PG, MADV_DONTNEED);
	}
	munmap(p, n * PG);
	return (long)(4 * c);
}

/*
 * One kbuild compiler (`patternbench --cc1 SEED FD`): the generator's process, its shape
 * drawn from SEED; replies the pages it wrote and its AnonPages peak (KiB).
 */
static int cc1(unsigned long long s, int fd)
{
	unsigned long grows = 1 + rnd_below(&s, 8), maps = 2 + rnd_below(&s, 5);
	long res[HELPER_RES] = { 0 }, base = meminfo_kb("AnonPages");
	char *maps_at[8];
	unsigned long lens[8];

	for (unsigned long g = 0; g < grows; g++) {
		char *top = sbrk(4 * PG);

		if (top == (char *)-1)
			return 1;
		for (unsigned long i = 0; i < 4; i++)
			touch(top, i);
		res[0] += 4;
	}
	for (unsigned long m = 0; m < maps; m++) {
		unsigned long len = 1 + rnd_below(&s, 64);
		char *p = mmap(NULL, len * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return 1;
		for (unsigned long i = 0; i < len; i++) {
			if (rnd_below(&s, 2)) {
				touch(p, i);
				res[0]++;
			} else if (!rnd_below(&s, 4)) {
				(void)((volatile char *)p)[i * PG];
			}
		}
		maps_at[m] = p;
		lens[m] = len;
	}
	res[1] = meminfo_kb("AnonPages") - base;
	for (unsigned long m = 0; m < maps; m++)
		munmap(maps_at[m], lens[m] * PG);
	return helper_reply(fd, res);
}

static long shape_kbuild(unsigned long n, const unsigned long *perm)
{
	unsigned long long s = SEED;
	long touched = 0, rss = 0;
	int fds[2];

	(void)n;
	(void)perm;
	if (pipe(fds) < 0)
		return -1;
	for (int k = 0; k < KBUILD_PROCS; k++) {
		char seed[24];
		long res[HELPER_RES];

		snprintf(seed, sizeof(seed), "%llu", rnd_next(&s));
		if (spawn("--cc1", seed, fds, res) < 0) {
			touched = -1;
			break;
		}
		touched += res[0];
		rss += res[1];
	}
	close(fds[0]);
	close(fds[1]);
	anon_peak = rss;	/* each process at its own peak, summed as touched is */
	return touched;
}

static const struct shape {
	const char *name;
	long (*run)(unsigned long n, const unsigned long *perm);
} shapes[] = {
	{ "seq", shape_seq },		{ "rand", shape_rand },	    { "sparse", shape_sparse },
	{ "heap", shape_heap },		{ "stack", shape_stack },   { "fork", shape_fork },
	{ "madvfree", shape_madvfree }, { "kbuild", shape_kbuild },
};
#define NR_SHAPES	(sizeof(shapes) / sizeof(shapes[0]))

/* One run of shape sh at size k: 0, or -1 if the shape failed. */
static int run_once(const struct shape *sh, unsigned int k, unsigned long n, const unsigned long *perm,
		    struct sample *out)
{
	long a0 = bench_size_stat(k, "anon_fault_alloc"), b0 = bench_size_stat(k, "anon_fault_fallback");

	anon_base = meminfo_kb("AnonPages");
	anon_peak = 0;
	child_faults = 0;
	shape_ns = -1;
	long f0 = minflt_now(), t0 = now_ns();
	long touched = sh->run(n, perm);
	long t1 = now_ns(), f1 = minflt_now();
	long a1 = bench_size_stat(k, "anon_fault_alloc"), b1 = bench_size_stat(k, "anon_fault_fallback");

	if (touched <= 0)
		return -1;
	out->faults = f1 - f0 + child_faults;
	out->alloc = a0 >= 0 && a1 >= 0 ? a1 - a0 : 0;
	out->fallback = b0 >= 0 && b1 >= 0 ? b1 - b0 : 0;
	out->touched_kib = (unsigned long)touched * 4;
	out->rss_kib = anon_peak > 0 ? (unsigned long)anon_peak : 0;
	out->us_per_mib = (unsigned long)(shape_ns >= 0 ? shape_ns : t1 - t0) * 1024 / 1000 / out->touched_kib;
	return 0;
}

/* Measure every shape at size k (knobs set): one BENCH line each; 0, or -1 on a failure. */
static int measure(const char *arch, unsigned int k, unsigned long n, const unsigned long *perm)
{
	for (unsigned int i = 0; i < NR_SHAPES; i++) {
		struct sample run[REPS];

		for (int rep = 0; rep < REPS; rep++)
			if (run_once(&shapes[i], k, n, perm, &run[rep]) < 0) {
				printf("# patternbench: size %s: shape %s failed\n", mthp_size_name(k), shapes[i].name);
				return -1;
			}
		unsigned long touched = run[0].touched_kib, rss = BENCH_MEDIAN(run, REPS, rss_kib);

		printf("BENCH name=patternbench arch=%s size=%s shape=%s pages=%lu faults=%lu touched_kib=%lu rss_kib=%lu bloat_pct=%lu alloc=%lu fallback=%lu us_per_mib=%lu\n",
		       arch, mthp_size_name(k), shapes[i].name, n, BENCH_MEDIAN(run, REPS, faults), touched, rss,
		       rss * 100 / touched, BENCH_MEDIAN(run, REPS, alloc), BENCH_MEDIAN(run, REPS, fallback),
		       BENCH_MEDIAN(run, REPS, us_per_mib));
	}
	return 0;
}

/* rand's order of n pages: the generator's Fisher-Yates shuffle, in memory faulted now. */
static unsigned long *shuffle(unsigned long n)
{
	unsigned long *perm = mmap(NULL, n * sizeof(*perm), PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long long s = SEED;

	if (perm == MAP_FAILED)
		return NULL;
	for (unsigned long i = 0; i < n; i++)
		perm[i] = i;
	for (unsigned long i = n - 1; i > 0; i--) {
		unsigned long j = rnd_below(&s, i + 1), t = perm[i];

		perm[i] = perm[j];
		perm[j] = t;
	}
	return perm;
}

int main(int argc, char **argv)
{
	unsigned long n = 4096;
	unsigned int orders[16];
	struct thp_knobs saved;
	int rc = 0;

	if (argc == 4 && !strcmp(argv[1], "--cc1"))
		return cc1(strtoull(argv[2], NULL, 10), atoi(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "--stack"))
		return stack_helper(strtoul(argv[2], NULL, 10), atoi(argv[3]));
	self_path = argv[0];
	if (argc > 2 && !strcmp(argv[1], "-p")) {
		n = strtoul(argv[2], NULL, 10);
		argc -= 2;
		argv += 2;
	}
	if (n < 16 || n % 16) {
		printf("usage: patternbench [-p PAGES (a multiple of 16)] [SIZES...]\n");
		return 2;
	}
	int nr = bench_orders(argc, argv, "patternbench", (const unsigned int[]){ 0, 2, 4, 9 }, 4, orders, 16);
	unsigned long *perm = shuffle(n);

	if (nr < 0 || !perm)
		return 2;
	mthp_prefault();
	int have_knobs = thp_knobs_save(&saved) == 0 && saved.sizes != 0;
	for (int i = 0; i < nr; i++) {
		if (bench_only_size("patternbench", orders[i], have_knobs) < 0)
			continue;
		if (measure(bench_arch(), orders[i], n, perm) < 0)
			rc = 1;
	}
	if (have_knobs && thp_knobs_restore(&saved) < 0)
		printf("# patternbench: could not restore every knob\n");
	return rc;
}
