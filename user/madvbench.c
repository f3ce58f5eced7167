/*
 * madvbench: MADV_FREE and the reclaim of lazyfree memory, per folio size.
 *
 *   madvbench            sizes 4K 64K 2M
 *   madvbench 64K ...    the named sizes (4K 8K 16K 32K 64K 128K 256K 512K 1M 2M)
 *
 * For each size (that mTHP size alone "always", every other "never"; 4K: every large size
 * never): map 128 MiB 2 MiB-aligned, write one byte per 4 KiB page, MADV_FREE it, then
 * write "all" to foliOS's /sys/kernel/mm/folio/reclaim (every clean lazyfree page is
 * freed), munmap.  MADV_FREE covers either all of it (cover=whole: whole folios become
 * lazyfree, none is split) or, for the large sizes, every folio but its first page, one
 * call per folio (cover=partial: each folio is split first, as
 * /sys/kernel/mm/folio/madv_free_split says: split=order0 or split=around).  Three runs;
 * the medians, one line per size and cover:
 *   BENCH name=madvbench arch=<x86_64|arm64> size=<S> mib=128 cover=<whole|partial>
 *         split=<none|order0|around> madv_free_us=<MADV_FREE time>
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
#define SPLIT_KNOB	FOLIO_DIR "/madv_free_split"

/* What MADV_FREE covers: all of it, or every folio but its first page under a split policy. */
static const struct cover {
	const char *cover, *split;
} covers[] = {
	{ "whole", "none" },
	{ "partial", "order0" },
	{ "partial", "around" },
};
#define NCOVERS	3

struct run {
	unsigned long madv_free_us, reclaim_us, lazyfree, lazyfreed;
	long reclaim_failed;	/* no reclaim knob (Linux) */
};

/* One run; folio: 0 to MADV_FREE all of it, else the folio size (all but its first page each).
 * 0, or -1 when the mapping failed. */
static int run_once(int nohuge, unsigned long folio, struct run *r)
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
	if (!folio)
		madvise(p, LEN, MADV_FREE);
	for (unsigned long off = 0; folio && off < LEN; off += folio)
		madvise(p + off + PG, folio - PG, MADV_FREE);
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

#define MEDIAN(runs, f) BENCH_MEDIAN(runs, REPS, f)

int main(int argc, char **argv)
{
	const char *arch = bench_arch();
	unsigned int orders[16];
	unsigned long madv[16][NCOVERS], recl[16][NCOVERS];
	int have_reclaim = 1, done[16][NCOVERS];
	struct thp_knobs saved;
	char split_saved[32] = "";
	int n = bench_orders(argc, argv, "madvbench", (const unsigned int[]){ 0, 4, 9 }, 3, orders, 16);

	if (n < 0)
		return 2;
	int have_knobs = thp_knobs_save(&saved) == 0 && saved.sizes != 0;
	int have_split = sysfs_read_mode(SPLIT_KNOB, split_saved, sizeof(split_saved)) == 0;
	for (int i = 0; i < n; i++) {
		unsigned int k = orders[i];

		memset(done[i], 0, sizeof(done[i]));
		if (bench_only_size("madvbench", k, have_knobs) < 0)
			continue;
		for (int c = 0; c < (k && have_split ? NCOVERS : 1); c++) {
			struct run runs[REPS];
			int bad = 0;

			if (c)
				sysfs_write(SPLIT_KNOB, covers[c].split);
			for (int rep = 0; rep < REPS && !bad; rep++)
				bad = run_once(!k && !have_knobs, c ? PG << k : 0, &runs[rep]) < 0;
			if (bad) {
				printf("# madvbench: size %s: mmap of %lu MiB failed\n", mthp_size_name(k), MIB);
				break;
			}
			have_reclaim = !runs[0].reclaim_failed;
			done[i][c] = 1;
			madv[i][c] = MEDIAN(runs, madv_free_us);
			recl[i][c] = MEDIAN(runs, reclaim_us);
			printf("BENCH name=madvbench arch=%s size=%s mib=%lu cover=%s split=%s madv_free_us=%lu reclaim_us=%ld pglazyfree=%lu pglazyfreed=%lu\n",
			       arch, mthp_size_name(k), MIB, covers[c].cover, covers[c].split, madv[i][c],
			       have_reclaim ? (long)recl[i][c] : -1L, MEDIAN(runs, lazyfree),
			       MEDIAN(runs, lazyfreed));
		}
	}
	if (have_knobs && thp_knobs_restore(&saved) < 0)
		printf("# madvbench: could not restore every knob\n");
	if (have_split && sysfs_write(SPLIT_KNOB, split_saved) < 0)
		printf("# madvbench: could not restore madv_free_split\n");
	printf("# madvbench (%s): %lu MiB written, MADV_FREE'd, reclaimed; median of %d runs%s\n", arch,
	       MIB, REPS, have_reclaim ? "" : " (no reclaim knob here)");
	printf("# %-5s %-8s %-6s %13s %11s\n", "size", "cover", "split", "madv_free_us", "reclaim_us");
	for (int i = 0; i < n; i++)
		for (int c = 0; c < NCOVERS; c++)
			if (done[i][c])
				printf("# %-5s %-8s %-6s %13lu %11ld\n", mthp_size_name(orders[i]), covers[c].cover,
				       covers[c].split, madv[i][c], have_reclaim ? (long)recl[i][c] : -1L);
	return 0;
}
