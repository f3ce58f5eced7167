/*
 * faultbench: first-touch cost of anonymous memory per folio size.
 *
 *   faultbench            sizes 4K 16K 64K 2M
 *   faultbench 64K ...    the named sizes (4K 8K 16K 32K 64K 128K 256K 512K 1M 2M)
 *
 * For each size: that mTHP size alone "always" and every other size "never" (4K: every
 * large size never), mmap 128 MiB (2 MiB-aligned), write one byte per 4 KiB page, munmap.
 * Three runs; the median of each figure is reported, as one line per size
 *   BENCH name=faultbench arch=<x86_64|arm64> size=<S> mib=128 mib_s=<first-touch MiB/s>
 *         faults=<ru_minflt delta> munmap_us=<munmap time> anon_fault_alloc=<delta>
 *         sparse_kib=<AnonPages growth touching one byte per 64 KiB of 128 MiB>
 * (anon_fault_alloc: the size's hugepages-<S>kB/stats counter; for 4K the sum over all
 * sizes, which must be 0; sparse_kib: what large folios cost a sparse user, 8192 KiB at 4K)
 * and then a human table. The knobs are put back as found.
 *
 * Runs on Linux too: with the mTHP files writable (root, Linux >= 6.8) it measures every
 * size; otherwise it reports 4K only, forced by MADV_NOHUGEPAGE. Not a test: it asserts
 * nothing (docs/mm/anon-faults.md, "Reproducing faultbench").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bench.h>
#include <mthp.h>
#include <sys/mman.h>

#define PG		4096UL
#define MIB		128UL
#define LEN		(MIB << 20)
#define PMD_SIZE	(2UL << 20)
#define REPS		3

struct result {
	unsigned int order;
	int done;
	unsigned long mib_s, munmap_us;
	long faults, alloc;
	long sparse_kib;	/* AnonPages growth when one page per 64 KiB is touched */
};

static long alloc_count(unsigned int order)
{
	long sum = 0;

	if (order)
		return mthp_stat(order, "anon_fault_alloc");
	for (unsigned int k = MTHP_MIN_ORDER; k <= MTHP_MAX_ORDER; k++) {
		long v = mthp_stat(k, "anon_fault_alloc");
		if (v > 0)
			sum += v;
	}
	return sum;
}

/* One run: 0, or -1 if the mapping failed. */
static int run_once(int nohuge, unsigned int order, unsigned long *mib_s, unsigned long *munmap_us,
		    long *faults, long *alloc)
{
	char *p = bench_map_aligned(LEN, PMD_SIZE);

	if (!p)
		return -1;
	if (nohuge)
		madvise(p, LEN, MADV_NOHUGEPAGE);

	long a0 = alloc_count(order), f0 = minflt_now();
	long t0 = now_ns();
	for (unsigned long off = 0; off < LEN; off += PG)
		((volatile char *)p)[off] = 1;
	long t1 = now_ns();
	long f1 = minflt_now(), a1 = alloc_count(order);
	long t2 = now_ns();
	munmap(p, LEN);
	long t3 = now_ns();

	*mib_s = t1 > t0 ? MIB * 1000000000UL / (unsigned long)(t1 - t0) : 0;
	*munmap_us = (unsigned long)(t3 - t2) / 1000;
	*faults = f1 - f0;
	*alloc = a0 >= 0 && a1 >= 0 ? a1 - a0 : -1;
	return 0;
}

/*
 * The price of large folios: map LEN, write one byte every SPARSE_STRIDE,
 * and report how much anonymous memory that took (AnonPages delta, KiB;
 * -1 where /proc/meminfo has no AnonPages).  4 KiB pages need LEN/16.
 */
#define SPARSE_STRIDE	(64UL << 10)
static long sparse_kib(void)
{
	char *p = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long before, after;

	if (p == MAP_FAILED)
		return -1;
	before = meminfo_kb("AnonPages");
	for (unsigned long off = SPARSE_STRIDE / 2; off < LEN; off += SPARSE_STRIDE)
		((volatile char *)p)[off] = 1;
	after = meminfo_kb("AnonPages");
	munmap(p, LEN);
	return before < 0 || after < 0 ? -1 : after - before;
}

int main(int argc, char **argv)
{
	const char *arch = bench_arch();
	unsigned int orders[16];
	struct thp_knobs saved;
	struct result res[16];
	int n = bench_orders(argc, argv, "faultbench", (const unsigned int[]){ 0, 2, 4, 9 }, 4, orders, 16);

	if (n < 0)
		return 2;

	int have_knobs = thp_knobs_save(&saved) == 0 && saved.sizes != 0;
	/* Writable? Write back what is there. */
	if (have_knobs) {
		for (unsigned int k = MTHP_MIN_ORDER; k <= MTHP_MAX_ORDER; k++)
			if ((saved.sizes & (1U << k)) && mthp_set(k, saved.size[k]) < 0)
				have_knobs = 0;
	}
	if (!have_knobs)
		printf("# faultbench: mTHP knobs missing or not writable: 4K only (MADV_NOHUGEPAGE)\n");

	for (int i = 0; i < n; i++) {
		unsigned int k = orders[i];
		struct result *r = &res[i];
		unsigned long mib_s[REPS], munmap_us[REPS], faults[REPS], alloc[REPS];

		memset(r, 0, sizeof(*r));
		r->order = k;
		if (k && (!have_knobs || !(saved.sizes & (1U << k)))) {
			printf("# faultbench: size %s: no hugepages-%lukB knob: skipped\n", mthp_size_name(k), 4UL << k);
			continue;
		}
		if (have_knobs) {
			if (k == 1)
				folio_knob_set("allow_order1", 1);	/* foliOS only; harmless elsewhere */
			if (thp_only(k, "always") < 0) {
				printf("# faultbench: size %s: cannot set the knobs: skipped\n", mthp_size_name(k));
				continue;
			}
		}
		int bad = 0;
		for (int rep = 0; rep < REPS && !bad; rep++) {
			long f = 0, a = 0;
			bad = run_once(k == 0 && !have_knobs, k, &mib_s[rep], &munmap_us[rep], &f, &a) < 0;
			faults[rep] = f;
			alloc[rep] = a < 0 ? 0 : a;
		}
		if (bad) {
			printf("# faultbench: size %s: mmap of %lu MiB failed\n", mthp_size_name(k), MIB);
			continue;
		}
		bench_sort(mib_s, REPS);
		bench_sort(munmap_us, REPS);
		bench_sort(faults, REPS);
		bench_sort(alloc, REPS);
		r->done = 1;
		r->mib_s = mib_s[REPS / 2];
		r->munmap_us = munmap_us[REPS / 2];
		r->faults = faults[REPS / 2];
		r->alloc = alloc[REPS / 2];
		r->sparse_kib = sparse_kib();
		printf("BENCH name=faultbench arch=%s size=%s mib=%lu mib_s=%lu faults=%ld munmap_us=%lu anon_fault_alloc=%ld sparse_kib=%ld\n",
		       arch, mthp_size_name(k), MIB, r->mib_s, r->faults, r->munmap_us, r->alloc, r->sparse_kib);
	}
	if (have_knobs && thp_knobs_restore(&saved) < 0)
		printf("# faultbench: could not restore every knob\n");

	printf("# faultbench (%s): %lu MiB, one byte written per 4 KiB page, median of %d runs\n", arch, MIB, REPS);
	printf("# %-5s %10s %8s %11s %10s %17s\n", "size", "MiB/s", "faults", "faults/MiB", "munmap_us",
	       "anon_fault_alloc");
	for (int i = 0; i < n; i++) {
		if (!res[i].done)
			continue;
		printf("# %-5s %10lu %8ld %11ld %10lu %17ld\n", mthp_size_name(res[i].order), res[i].mib_s,
		       res[i].faults, res[i].faults / (long)MIB, res[i].munmap_us, res[i].alloc);
	}
	return 0;
}
