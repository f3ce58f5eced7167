/*
 * madvbench: MADV_FREE and the reclaim of lazyfree memory, per folio size.
 *
 *   madvbench            sizes 4K 64K 2M
 *   madvbench 64K ...    the named sizes (4K 8K 16K 32K 64K 128K 256K 512K 1M 2M)
 *
 * For each size (that mTHP size alone "always", every other "never"; 4K: every large size
 * never): map 128 MiB 2 MiB-aligned, write one byte per 4 KiB page, MADV_FREE all of it
 * (whole folios become lazyfree, none is split), then write "all" to foliOS's
 * /sys/kernel/mm/folio/reclaim (every clean lazyfree page is freed), munmap.  Three runs;
 * the medians, one line per size:
 *   BENCH name=madvbench arch=<x86_64|arm64> size=<S> mib=128 madv_free_us=<MADV_FREE time>
 *         reclaim_us=<reclaim knob write time> pglazyfree=<delta> pglazyfreed=<delta>
 * then a human table.  The knobs are put back as found.
 *
 * Runs on Linux too (as root with writable mTHP knobs for the large sizes): there is no
 * reclaim knob, so reclaim_us=-1 and pglazyfreed stays 0.  Not a test: it asserts nothing
 * (docs/mm/reclaim.md).
 */
#include <stdio.h>
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
#define RECLAIM_KNOB	FOLIO_DIR "/reclaim"

struct run {
	unsigned long madv_free_us, reclaim_us, lazyfree, lazyfreed;
	long reclaim_failed;	/* no reclaim knob (Linux) */
};

/* One run: 0, or -1 when the mapping failed. */
static int run_once(int nohuge, struct run *r)
{
	char *p = bench_map_aligned(LEN, PMD_SIZE);

	if (!p)
		return -1;
	if (nohuge)
		madvise(p, LEN, MADV_NOHUGEPAGE);
	for (unsigned long off = 0; off < LEN; off += PG)
		((volatile char *)p)[off] = 1;
	long lf0 = vmstat_get("pglazyfree"), lfd0 = vmstat_get("pglazyfreed");
	long t0 = now_ns();
	madvise(p, LEN, MADV_FREE);
	long t1 = now_ns();
	r->reclaim_failed = sysfs_write(RECLAIM_KNOB, "all") < 0;
	long t2 = now_ns();
	r->madv_free_us = (unsigned long)(t1 - t0) / 1000;
	r->reclaim_us = (unsigned long)(t2 - t1) / 1000;
	r->lazyfree = (unsigned long)(vmstat_get("pglazyfree") - lf0);
	r->lazyfreed = (unsigned long)(vmstat_get("pglazyfreed") - lfd0);
	munmap(p, LEN);
	return 0;
}

/* The median of field `f` over runs[0..REPS). */
#define MEDIAN(runs, f) ({ unsigned long __v[REPS]; \
	for (int __i = 0; __i < REPS; __i++) __v[__i] = (runs)[__i].f; \
	bench_sort(__v, REPS); __v[REPS / 2]; })

int main(int argc, char **argv)
{
	const char *arch = bench_arch();
	unsigned int orders[16];
	unsigned long madv[16], recl[16];
	int have_reclaim = 1, done[16];
	struct thp_knobs saved;
	int n = bench_orders(argc, argv, "madvbench", (const unsigned int[]){ 0, 4, 9 }, 3, orders, 16);

	if (n < 0)
		return 2;
	int have_knobs = thp_knobs_save(&saved) == 0 && saved.sizes != 0;
	for (int i = 0; i < n; i++) {
		unsigned int k = orders[i];
		struct run runs[REPS];
		int bad = 0;

		done[i] = 0;
		if (k && (!have_knobs || (k == 1 && folio_knob_set("allow_order1", 1) < 0) ||
			  thp_only(k, "always") < 0)) {
			printf("# madvbench: size %s: cannot set the knobs: skipped\n", mthp_size_name(k));
			continue;
		}
		if (!k && have_knobs)
			thp_only_mask(0, "always");
		for (int rep = 0; rep < REPS && !bad; rep++)
			bad = run_once(!k && !have_knobs, &runs[rep]) < 0;
		if (bad) {
			printf("# madvbench: size %s: mmap of %lu MiB failed\n", mthp_size_name(k), MIB);
			continue;
		}
		have_reclaim = !runs[0].reclaim_failed;
		done[i] = 1;
		madv[i] = MEDIAN(runs, madv_free_us);
		recl[i] = MEDIAN(runs, reclaim_us);
		printf("BENCH name=madvbench arch=%s size=%s mib=%lu madv_free_us=%lu reclaim_us=%ld pglazyfree=%lu pglazyfreed=%lu\n",
		       arch, mthp_size_name(k), MIB, madv[i], have_reclaim ? (long)recl[i] : -1L,
		       MEDIAN(runs, lazyfree), MEDIAN(runs, lazyfreed));
	}
	if (have_knobs && thp_knobs_restore(&saved) < 0)
		printf("# madvbench: could not restore every knob\n");
	printf("# madvbench (%s): %lu MiB written, MADV_FREE'd, reclaimed; median of %d runs%s\n", arch,
	       MIB, REPS, have_reclaim ? "" : " (no reclaim knob here)");
	printf("# %-5s %13s %11s\n", "size", "madv_free_us", "reclaim_us");
	for (int i = 0; i < n; i++)
		if (done[i])
			printf("# %-5s %13lu %11ld\n", mthp_size_name(orders[i]), madv[i],
			       have_reclaim ? (long)recl[i] : -1L);
	return 0;
}
