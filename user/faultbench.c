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
 * (anon_fault_alloc: the size's hugepages-<S>kB/stats counter; for 4K the sum over all
 * sizes, which must be 0; prezeroed: pages the faults got pre-zeroed, 32768 when all were;
 * sparse_kib: what large folios cost a sparse user, 8192 KiB at 4K; retouch_mib_s: the
 * ceiling, the loop over populated memory, no fault) and then a human table.
 *
 * With foliOS's /sys/kernel/mm/folio/prezero knob every size is measured in three modes
 * (docs/mm/anon-faults.md, "Pre-zeroed folios"):
 *   off    prezero=0: every fault zeroes its folio (the kernel before pre-zeroing);
 *   empty  prezero=1 but nothing pre-zeroed: the memory the faults get was just freed by
 *          the previous run and no idle time passed; needs a boot with folio.prezero=0, so
 *          that nothing was zeroed before (otherwise skipped, with a note);
 *   idle   prezero=1 after idle time: before each run the program sleeps until the idle
 *          zeroer has zeroed (almost) every free page.
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
#include <mthp.h>
#include <sys/mman.h>
#include <sys/utsname.h>

#define PG		4096UL
#define MIB		128UL
#define LEN		(MIB << 20)
#define PMD_SIZE	(2UL << 20)
#define REPS		3

struct result {
	unsigned int order;
	int mode;
	int done;
	unsigned long mib_s, retouch_mib_s, munmap_us;
	long faults, alloc, prezeroed;
	long sparse_kib;	/* AnonPages growth when one page per 64 KiB is touched */
};

enum { MODE_OFF, MODE_EMPTY, MODE_IDLE, NR_MODES };
static const char *const mode_names[NR_MODES] = { "off", "empty", "idle" };

static const char *const size_names[] = { "4K", "8K", "16K", "32K", "64K", "128K", "256K",
					  "512K", "1M", "2M" };

static const char *arch_name(void)
{
	static struct utsname u;

	uname(&u);
	return strcmp(u.machine, "aarch64") == 0 ? "arm64" : u.machine;
}

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

static void sort3(unsigned long *v)
{
	for (int i = 0; i < REPS; i++)
		for (int j = i + 1; j < REPS; j++)
			if (v[j] < v[i]) {
				unsigned long t = v[i];
				v[i] = v[j];
				v[j] = t;
			}
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
static int run_once(int nohuge, unsigned int order, int mode, unsigned long *mib_s,
		    unsigned long *retouch_mib_s, unsigned long *munmap_us, long *faults, long *alloc,
		    long *prezeroed)
{
	if (mode == MODE_IDLE)
		wait_for_idle_zeroing();

	char *raw = mmap(NULL, LEN + PMD_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (raw == MAP_FAILED)
		return -1;
	char *p = (char *)(((unsigned long)raw + PMD_SIZE - 1) & ~(PMD_SIZE - 1));
	if (p > raw)
		munmap(raw, p - raw);
	if (p + LEN < raw + LEN + PMD_SIZE)
		munmap(p + LEN, raw + LEN + PMD_SIZE - (p + LEN));
	if (nohuge)
		madvise(p, LEN, MADV_NOHUGEPAGE);

	long a0 = alloc_count(order), z0 = vmstat_get("pgzero_prezeroed"), f0 = minflt_now();
	long t0 = now_ns();
	for (unsigned long off = 0; off < LEN; off += PG)
		((volatile char *)p)[off] = 1;
	long t1 = now_ns();
	long f1 = minflt_now(), z1 = vmstat_get("pgzero_prezeroed"), a1 = alloc_count(order);
	long r0 = now_ns();
	for (unsigned long off = 0; off < LEN; off += PG)
		((volatile char *)p)[off] = 2;
	long r1 = now_ns();
	long t2 = now_ns();
	munmap(p, LEN);
	long t3 = now_ns();

	*mib_s = t1 > t0 ? MIB * 1000000000UL / (unsigned long)(t1 - t0) : 0;
	*retouch_mib_s = r1 > r0 ? MIB * 1000000000UL / (unsigned long)(r1 - r0) : 0;
	*munmap_us = (unsigned long)(t3 - t2) / 1000;
	*faults = f1 - f0;
	*alloc = a0 >= 0 && a1 >= 0 ? a1 - a0 : -1;
	*prezeroed = z0 >= 0 && z1 >= 0 ? z1 - z0 : 0;
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

static int parse_size(const char *s)
{
	for (unsigned int k = 0; k <= MTHP_MAX_ORDER; k++)
		if (!strcmp(s, size_names[k]))
			return k;
	return -1;
}

/* Measure size k in mode (knobs already set); fills r.  0, or -1 if a mapping failed. */
static int measure(int have_knobs, unsigned int k, int mode, struct result *r)
{
	unsigned long mib_s[REPS], retouch[REPS], munmap_us[REPS], faults[REPS], alloc[REPS];
	unsigned long prezeroed[REPS];

	for (int rep = 0; rep < REPS; rep++) {
		long f, a, z;

		if (run_once(k == 0 && !have_knobs, k, mode, &mib_s[rep], &retouch[rep], &munmap_us[rep],
			     &f, &a, &z) < 0)
			return -1;
		faults[rep] = f;
		alloc[rep] = a < 0 ? 0 : a;
		prezeroed[rep] = z;
	}
	sort3(mib_s);
	sort3(retouch);
	sort3(munmap_us);
	sort3(faults);
	sort3(alloc);
	sort3(prezeroed);
	r->done = 1;
	r->mib_s = mib_s[REPS / 2];
	r->retouch_mib_s = retouch[REPS / 2];
	r->munmap_us = munmap_us[REPS / 2];
	r->faults = faults[REPS / 2];
	r->alloc = alloc[REPS / 2];
	r->prezeroed = prezeroed[REPS / 2];
	r->sparse_kib = sparse_kib();
	return 0;
}

int main(int argc, char **argv)
{
	const char *arch = arch_name();
	unsigned int orders[16];
	int n = 0, nres = 0;
	struct thp_knobs saved;
	struct result res[16 * NR_MODES];

	if (argc < 2) {
		orders[n++] = 0;
		orders[n++] = 2;
		orders[n++] = 4;
		orders[n++] = 9;
	}
	for (int i = 1; i < argc && n < 16; i++) {
		int k = parse_size(argv[i]);
		if (k < 0) {
			dprintf(2, "usage: faultbench [4K|8K|16K|...|1M|2M ...]\n");
			return 2;
		}
		orders[n++] = k;
	}

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

	for (int mode = 0; mode < nr_modes; mode++) {
		if (saved.have_prezero && folio_knob_set("prezero", mode != MODE_OFF) < 0) {
			printf("# faultbench: cannot write /sys/kernel/mm/folio/prezero: mode %s skipped\n",
			       mode_names[mode]);
			continue;
		}
		if (mode == MODE_EMPTY && vmstat_get("nr_free_zeroed") > 0) {
			printf("# faultbench: mode empty skipped: pre-zeroed memory left (boot with folio.prezero=0)\n");
			continue;
		}
		for (int i = 0; i < n; i++) {
			unsigned int k = orders[i];
			struct result *r = &res[nres];

			memset(r, 0, sizeof(*r));
			r->order = k;
			r->mode = mode;
			if (k && (!have_knobs || !(saved.sizes & (1U << k)))) {
				printf("# faultbench: size %s: no hugepages-%lukB knob: skipped\n", size_names[k], 4UL << k);
				continue;
			}
			if (have_knobs) {
				if (k == 1)
					folio_knob_set("allow_order1", 1);	/* foliOS only; harmless elsewhere */
				if (thp_only(k, "always") < 0) {
					printf("# faultbench: size %s: cannot set the knobs: skipped\n", size_names[k]);
					continue;
				}
			}
			if (measure(have_knobs, k, mode, r) < 0) {
				printf("# faultbench: size %s: mmap of %lu MiB failed\n", size_names[k], MIB);
				continue;
			}
			nres++;
			printf("BENCH name=faultbench arch=%s size=%s prezero=%s mib=%lu mib_s=%lu faults=%ld munmap_us=%lu anon_fault_alloc=%ld prezeroed=%ld sparse_kib=%ld retouch_mib_s=%lu\n",
			       arch, size_names[k], mode_names[mode], MIB, r->mib_s, r->faults, r->munmap_us,
			       r->alloc, r->prezeroed, r->sparse_kib, r->retouch_mib_s);
		}
	}
	if (have_knobs && thp_knobs_restore(&saved) < 0)
		printf("# faultbench: could not restore every knob\n");

	printf("# faultbench (%s): %lu MiB, one byte written per 4 KiB page, median of %d runs\n", arch, MIB, REPS);
	printf("# %-5s %-7s %10s %8s %11s %10s %17s %10s\n", "size", "prezero", "MiB/s", "faults", "faults/MiB",
	       "munmap_us", "anon_fault_alloc", "prezeroed");
	for (int i = 0; i < nres; i++)
		printf("# %-5s %-7s %10lu %8ld %11ld %10lu %17ld %10ld\n", size_names[res[i].order],
		       mode_names[res[i].mode], res[i].mib_s, res[i].faults, res[i].faults / (long)MIB,
		       res[i].munmap_us, res[i].alloc, res[i].prezeroed);
	return 0;
}
