/*
 * policybench: faults and memory per order policy (docs/policylab.md, docs/mm/anon-faults.md
 * "Order policies") on three touch patterns.
 *
 *   policybench
 *
 * 64K folios alone ("always", every other size "never"); for each policy of
 * /sys/kernel/mm/folio/policy (linux, adaptive, reserve, utilisation) and each pattern, map
 * 32 MiB 2 MiB-aligned and write one byte per touched 4 KiB page:
 *   seq     every page
 *   half    the first 8 pages of each 64K block
 *   sparse  the first page of each 64K block
 * One line each:
 *   BENCH name=policybench arch=<x86_64|arm64> policy=<P> pattern=<seq|half|sparse> mib=32
 *         touched=<pages written> faults=<ru_minflt delta> rss_kb=<AnonPages growth>
 *         used_kb=<MemFree drop: mapped plus reserved memory> folios_64k=<nr_anon of 64K growth>
 *         touch_us=<the writes> scanned_used_kb=<MemFree drop after folio/deferred_split_scan,
 *         the shrinker memory pressure runs: reservations broken, their never-mapped part freed>
 * then munmap.  The knobs are put back as found.  Not a test: it asserts nothing.
 */
#include <stdio.h>
#include <bench.h>
#include <time.h>
#include <mthp.h>
#include <sys/mman.h>

#define PG		4096UL
#define BLK		(64UL << 10)
#define MIB		32UL
#define LEN		(MIB << 20)
#define PMD_SIZE	(2UL << 20)

static const char *const policies[] = { "linux", "adaptive", "reserve", "utilisation" };
static const char *const patterns[] = { "seq", "half", "sparse" };
static const unsigned long per_block[] = { 16, 8, 1 };	/* pages written per 64K block */

static void run(const char *policy, unsigned int pat)
{
	long f0, anon0, free0, n0, t0, t1, faults, rss, used, folios;
	unsigned long touched = 0;
	char *p;

	if (sysfs_write(FOLIO_DIR "/policy", policy) < 0 || !(p = bench_map_aligned(LEN, PMD_SIZE))) {
		printf("# policybench: policy %s or the mmap failed\n", policy);
		return;
	}
	f0 = minflt_now();
	anon0 = meminfo_kb("AnonPages");
	free0 = meminfo_kb("MemFree");
	n0 = mthp_stat(4, "nr_anon");
	t0 = now_ns();
	for (unsigned long b = 0; b < LEN; b += BLK)
		for (unsigned long i = 0; i < per_block[pat]; i++, touched++)
			((volatile char *)p)[b + i * PG] = 1;
	t1 = now_ns();
	faults = minflt_now() - f0;
	rss = meminfo_kb("AnonPages") - anon0;
	used = free0 - meminfo_kb("MemFree");
	folios = mthp_stat(4, "nr_anon") - n0;
	folio_knob_set("deferred_split_scan", 1);
	printf("BENCH name=policybench arch=%s policy=%s pattern=%s mib=%lu touched=%lu faults=%ld rss_kb=%ld used_kb=%ld folios_64k=%ld touch_us=%ld scanned_used_kb=%ld\n",
	       bench_arch(), policy, patterns[pat], MIB, touched, faults, rss, used, folios, (t1 - t0) / 1000,
	       free0 - meminfo_kb("MemFree"));
	munmap(p, LEN);
}

int main(void)
{
	struct thp_knobs saved;

	if (thp_knobs_save(&saved) < 0 || !saved.have_policy || thp_only(4, "always") < 0) {
		printf("# policybench: cannot set the knobs (foliOS only)\n");
		return 2;
	}
	mthp_prefault();
	for (unsigned int pat = 0; pat < sizeof(patterns) / sizeof(patterns[0]); pat++)
		for (unsigned int i = 0; i < sizeof(policies) / sizeof(policies[0]); i++)
			run(policies[i], pat);
	if (thp_knobs_restore(&saved) < 0)
		printf("# policybench: could not restore every knob\n");
	return 0;
}
