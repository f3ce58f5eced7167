/*
 * faultbench: first-touch cost of anonymous memory per folio size.
 *
 *   faultbench            sizes 4K 16K 64K 2M
 *   faultbench 64K ...    the named sizes (4K 8K 16K 32K 64K 128K 256K 512K 1M 2M)
 *
 * For each size: that mTHP size alone "always" and every other size "never" (4K: every
 * large size never), mmap 128 MiB (2 MiB-aligned), write one byte per 4 KiB page, munmap.
 * Three runs; the median of each figure is reported, as one line per size
 *   BENCH name=faultbench arch=<x86_64|arm64> size=<S> prezero=<off|empty|idle> mib=128
 *         mib_s=<first-touch MiB/s> faults=<ru_minflt delta> munmap_us=<munmap time>
 *         anon_fault_alloc=<delta> prezeroed=<pgzero_prezeroed delta>
 *         sparse_kib=<AnonPages growth touching one byte per 64 KiB of 128 MiB>
 *         retouch_mib_s=<the same writes again, to memory now populated>
 *         contpte_fold=<delta> contpte_unfold=<delta>
 * (anon_fault_alloc: the size's hugepages-<S>kB/stats counter; for 4K the sum over all
 * sizes, which must be 0; prezeroed: pages the faults got pre-zeroed, 32768 when all were;
 * sparse_kib: what large folios cost a sparse user, 8192 KiB at 4K; retouch_mib_s: the
 * ceiling, the loop over populated memory, no fault; contpte_*: /proc/vmstat's arm64
 * contiguous-bit counters over the run, touch to munmap: 2048 folds at 64K, 0 elsewhere and
 * on x86_64, 0 unfolds as munmap takes whole blocks) and then a human table.
 *
 * With foliOS's /sys/kernel/mm/folio/prezero knob every size is measured in three modes
 * (docs/mm/anon-faults.md, "Pre-zeroed folios"), taken in turn within each of the three
 * rounds, so that a slow spell of the host hits all three alike:
 *   off    prezero=0: every fault zeroes its folio, as before pre-zeroing (writing 0 also
 *          makes the kernel forget which free blocks are zeroed);
 *   empty  prezero=1 but nothing pre-zeroed: right after `off`, no idle time in between, so
 *          the faults get the memory the previous run freed, unzeroed;
 *   idle   prezero=1 after idle time: the program first sleeps until the idle zeroer has
 *          zeroed (almost) every free page.
 * Without the knob (Linux) only `off`, which is what Linux does. The knobs are put back as
 * found.
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

/* One run's figures. */
struct sample {
	unsigned long mib_s, retouch_mib_s, munmap_us;
	long faults, alloc, prezeroed, fold, unfold;
};

enum { MODE_OFF, MODE_EMPTY, MODE_IDLE, NR_MODES };
static const char *const mode_names[NR_MODES] = { "off", "empty", "idle" };

/* The median of REPS values (sorts them). */
static unsigned long median(unsigned long *v)
{
	bench_sort(v, REPS);
	return v[REPS / 2];
}

/*
 * Sleep until the idle zeroer has zeroed every free page but a little (reading
 * /proc/vmstat itself frees a page or two unzeroed), at most 10 s.
 */
static void wait_for_idle_zeroing(void)
{
	const struct timespec tick = { 0, 20 * 1000 * 1000 };

	for (int i = 0; i < 500; i++) {
		long zeroed = vmstat_get("nr_free_zeroed"), free = vmstat_get("nr_free_pages");

		if (zeroed < 0 || free < 0 || zeroed + 256 >= free)
			return;
		nanosleep(&tick, NULL);
	}
}

/* One run: 0, or -1 if the mapping failed. */
static int run_once(int nohuge, unsigned int order, int mode, struct sample *out)
{
	if (mode == MODE_IDLE)
		wait_for_idle_zeroing();

	char *p = bench_map_aligned(LEN, PMD_SIZE);

	if (!p)
		return -1;
	if (nohuge)
		madvise(p, LEN, MADV_NOHUGEPAGE);

	long c0 = vmstat_get("contpte_fold"), u0 = vmstat_get("contpte_unfold");
	long a0 = bench_size_stat(order, "anon_fault_alloc"), z0 = vmstat_get("pgzero_prezeroed"), f0 = minflt_now();
	long t0 = now_ns();
	for (unsigned long off = 0; off < LEN; off += PG)
		((volatile char *)p)[off] = 1;
	long t1 = now_ns();
	long f1 = minflt_now(), z1 = vmstat_get("pgzero_prezeroed"), a1 = bench_size_stat(order, "anon_fault_alloc");
	long r0 = now_ns();
	for (unsigned long off = 0; off < LEN; off += PG)
		((volatile char *)p)[off] = 2;
	long r1 = now_ns();
	long t2 = now_ns();
	munmap(p, LEN);
	long t3 = now_ns();
	long c1 = vmstat_get("contpte_fold"), u1 = vmstat_get("contpte_unfold");

	out->mib_s = t1 > t0 ? MIB * 1000000000UL / (unsigned long)(t1 - t0) : 0;
	out->retouch_mib_s = r1 > r0 ? MIB * 1000000000UL / (unsigned long)(r1 - r0) : 0;
	out->munmap_us = (unsigned long)(t3 - t2) / 1000;
	out->faults = f1 - f0;
	out->alloc = a0 >= 0 && a1 >= 0 ? a1 - a0 : 0;
	out->prezeroed = z0 >= 0 && z1 >= 0 ? z1 - z0 : 0;
	out->fold = c0 >= 0 && c1 >= 0 ? c1 - c0 : 0;
	out->unfold = u0 >= 0 && u1 >= 0 ? u1 - u0 : 0;
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

/*
 * Measure size k (knobs already set) in each of nr_modes modes, the modes in turn within
 * each round; print one BENCH line per mode and keep the medians in med[mode].
 * 0, or -1 if a mapping or the prezero knob failed.
 */
static int measure(const char *arch, int have_knobs, unsigned int k, int nr_modes,
		   struct sample med[NR_MODES])
{
	struct sample run[NR_MODES][REPS];

	for (int rep = 0; rep < REPS; rep++) {
		for (int mode = 0; mode < nr_modes; mode++) {
			if (nr_modes > 1 && folio_knob_set("prezero", mode != MODE_OFF) < 0)
				return -1;
			if (run_once(k == 0 && !have_knobs, k, mode, &run[mode][rep]) < 0)
				return -1;
		}
	}
	long sparse = sparse_kib();
	for (int mode = 0; mode < nr_modes; mode++) {
		unsigned long v[8][REPS];

		for (int rep = 0; rep < REPS; rep++) {
			const struct sample *x = &run[mode][rep];

			v[0][rep] = x->mib_s;
			v[1][rep] = x->retouch_mib_s;
			v[2][rep] = x->munmap_us;
			v[3][rep] = (unsigned long)x->faults;
			v[4][rep] = (unsigned long)x->alloc;
			v[5][rep] = (unsigned long)x->prezeroed;
			v[6][rep] = (unsigned long)x->fold;
			v[7][rep] = (unsigned long)x->unfold;
		}
		med[mode] = (struct sample){ median(v[0]), median(v[1]), median(v[2]),
					     (long)median(v[3]), (long)median(v[4]),
					     (long)median(v[5]), (long)median(v[6]), (long)median(v[7]) };
		printf("BENCH name=faultbench arch=%s size=%s prezero=%s mib=%lu mib_s=%lu faults=%ld munmap_us=%lu anon_fault_alloc=%ld prezeroed=%ld sparse_kib=%ld retouch_mib_s=%lu contpte_fold=%ld contpte_unfold=%ld\n",
		       arch, mthp_size_name(k), mode_names[mode], MIB, med[mode].mib_s, med[mode].faults,
		       med[mode].munmap_us, med[mode].alloc, med[mode].prezeroed, sparse,
		       med[mode].retouch_mib_s, med[mode].fold, med[mode].unfold);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *arch = bench_arch();
	unsigned int orders[16];
	int done[16] = { 0 };
	struct thp_knobs saved;
	struct sample res[16][NR_MODES];
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
	int nr_modes = saved.have_prezero ? NR_MODES : 1;

	for (int i = 0; i < n; i++) {
		unsigned int k = orders[i];

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
		if (measure(arch, have_knobs, k, nr_modes, res[i]) < 0) {
			printf("# faultbench: size %s: mmap of %lu MiB or the prezero knob failed\n",
			       mthp_size_name(k), MIB);
			continue;
		}
		done[i] = 1;
	}
	if (have_knobs && thp_knobs_restore(&saved) < 0)
		printf("# faultbench: could not restore every knob\n");

	printf("# faultbench (%s): %lu MiB, one byte written per 4 KiB page, median of %d runs\n", arch, MIB, REPS);
	printf("# %-5s %-7s %10s %8s %11s %10s %17s %10s %12s\n", "size", "prezero", "MiB/s", "faults",
	       "faults/MiB", "munmap_us", "anon_fault_alloc", "prezeroed", "retouch_MiB/s");
	for (int i = 0; i < n; i++)
		for (int mode = 0; done[i] && mode < nr_modes; mode++) {
			const struct sample *x = &res[i][mode];

			printf("# %-5s %-7s %10lu %8ld %11ld %10lu %17ld %10ld %12lu\n", mthp_size_name(orders[i]),
			       mode_names[mode], x->mib_s, x->faults, x->faults / (long)MIB, x->munmap_us,
			       x->alloc, x->prezeroed, x->retouch_mib_s);
		}
	return 0;
}
