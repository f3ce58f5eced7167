/*
 * softdirtybench: what soft-dirty tracking costs (docs/mm/soft-dirty.md), per folio size.
 *
 * For each size (4K 64K 2M by default, or those named on the command line), only that size
 * "always" (4K: every large size "never"); 64 MiB mapped aligned to the size and every page
 * written (populated), then five rounds of:
 *   clear     write "4" to /proc/self/clear_refs (every entry write-protected and cleaned)
 *   idle      the same again, nothing left to change: the walk alone
 *   refault   write one byte per 4 KiB page: the soft-dirty faults (each a reuse, no copy)
 *   retouch   the same again: no fault, the baseline
 * Medians of the rounds are printed as
 *   BENCH name=softdirtybench arch=<a> size=<4K|64K|2M> mib=64 clear_us=<clear>
 *         idle_clear_us=<clean clear> refault_mib_s=<MiB/s> retouch_mib_s=<MiB/s>
 *         faults=<minflt delta of a refault> cow_reuse=<its cow_reuse delta>
 * The ratio refault/retouch is the price of a tracking round per written page; faults shows
 * the granularity (one per page, per arm64 contiguous block, per PMD block).  Elsewhere than
 * foliOS (no knobs, no cow_reuse) it runs the default size only and prints -1 for what it
 * cannot read.  Not a test: it asserts nothing.
 */
#include <stdio.h>
#include <unistd.h>
#include <bench.h>
#include <mthp.h>
#include <test.h>
#include <time.h>
#include <sys/mman.h>

#define PG	4096UL
#define MIB	64UL
#define LEN	(MIB << 20)
#define REPS	5

struct round {
	unsigned long clear_us, idle_us, refault_mib_s, retouch_mib_s, faults, reuse;
};

/* One byte of every page of [p, p + LEN) written; the nanoseconds it took. */
static unsigned long write_pages(char *p, char val)
{
	long t0 = now_ns();

	for (unsigned long off = 0; off < LEN; off += PG)
		((volatile char *)p)[off] = val;
	return (unsigned long)(now_ns() - t0);
}

/* clear_refs 4; the microseconds it took. */
static unsigned long clear_us(void)
{
	long t0 = now_ns();

	sysfs_write("/proc/self/clear_refs", "4");
	return (unsigned long)(now_ns() - t0) / 1000;
}

static unsigned long mib_s(unsigned long ns)
{
	return ns ? MIB * 1000000000UL / ns : 0;
}

/* The rounds for order k (0 for 4K) into BENCH; -1 if the region could not be mapped. */
static int bench_size(unsigned int k, const char *size)
{
	char *p = bench_map_aligned(LEN, PG << k);
	struct round r[REPS];

	if (!p)
		return -1;
	write_pages(p, 1);
	for (int i = 0; i < REPS; i++) {
		long f0, reuse0 = vmstat_get("cow_reuse");

		r[i].clear_us = clear_us();
		r[i].idle_us = clear_us();
		f0 = minflt_now();
		r[i].refault_mib_s = mib_s(write_pages(p, (char)(i + 2)));
		r[i].faults = (unsigned long)(minflt_now() - f0);
		r[i].reuse = reuse0 < 0 ? ~0UL : (unsigned long)(vmstat_get("cow_reuse") - reuse0);
		r[i].retouch_mib_s = mib_s(write_pages(p, (char)(i + 3)));
	}
	munmap(p, LEN);
	printf("BENCH name=softdirtybench arch=%s size=%s mib=%lu clear_us=%lu idle_clear_us=%lu "
	       "refault_mib_s=%lu retouch_mib_s=%lu faults=%lu cow_reuse=%ld\n", bench_arch(), size, MIB,
	       BENCH_MEDIAN(r, REPS, clear_us), BENCH_MEDIAN(r, REPS, idle_us), BENCH_MEDIAN(r, REPS, refault_mib_s),
	       BENCH_MEDIAN(r, REPS, retouch_mib_s), BENCH_MEDIAN(r, REPS, faults),
	       (long)BENCH_MEDIAN(r, REPS, reuse));
	return 0;
}

int main(int argc, char **argv)
{
	static const unsigned int defaults[] = { 0, 4, 9 };
	unsigned int orders[MTHP_MAX_ORDER + 1];
	struct thp_knobs saved;
	int have_knobs = on_foliOS() && thp_knobs_save(&saved) == 0;
	int n = bench_orders(argc, argv, "softdirtybench", defaults, have_knobs ? 3 : 1, orders,
			     MTHP_MAX_ORDER + 1);

	if (n < 0)
		return 2;
	for (int i = 0; i < n; i++) {
		if (bench_only_size("softdirtybench", orders[i], have_knobs) < 0)
			continue;
		if (bench_size(orders[i], mthp_size_name(orders[i])) < 0)
			printf("# softdirtybench: size %s: mmap failed\n", mthp_size_name(orders[i]));
	}
	if (have_knobs)
		thp_knobs_restore(&saved);
	return 0;
}
