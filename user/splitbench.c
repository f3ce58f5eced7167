/*
 * splitbench: memory the deferred-split scan (the "worker") gives back after a partial munmap.
 *
 *   splitbench
 *
 * 64K folios alone ("always", every other size "never"): map 128 MiB 2 MiB-aligned, write
 * every 4 KiB page, munmap every other 4 KiB page (64 MiB: every 64K folio is left half
 * mapped, so no page of it can be freed yet), then write 1 to foliOS's
 * /sys/kernel/mm/folio/deferred_split_scan (the scan the deferred-split shrinker runs under
 * reclaim).  One line:
 *   BENCH name=splitbench arch=<x86_64|arm64> size=64K mib=128
 *         memfree_kb_before=<after the munmaps> memfree_kb_after=<after the scan>
 *         anon_kb_before=<AnonPages> anon_kb_after=<AnonPages> recovered_kb=<MemFree delta>
 *         scan_us=<the scan> split=<64K split delta>
 * The knobs are put back as found.  Not a test: it asserts nothing (docs/mm/split.md).
 */
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <bench.h>
#include <mthp.h>
#include <sys/mman.h>

#define PG		4096UL
#define MIB		128UL
#define LEN		(MIB << 20)
#define PMD_SIZE	(2UL << 20)

int main(void)
{
	struct thp_knobs saved;
	char *p;

	if (thp_knobs_save(&saved) < 0 || thp_only(4, "always") < 0) {
		printf("# splitbench: cannot set the knobs\n");
		return 2;
	}
	p = bench_map_aligned(LEN, PMD_SIZE);
	if (!p) {
		printf("# splitbench: mmap of %lu MiB failed\n", MIB);
		thp_knobs_restore(&saved);
		return 2;
	}
	for (unsigned long off = 0; off < LEN; off += PG)
		((volatile char *)p)[off] = 1;
	for (unsigned long off = PG; off < LEN; off += 2 * PG)
		munmap(p + off, PG);
	long split0 = mthp_stat(4, "split");
	long free0 = meminfo_kb("MemFree"), anon0 = meminfo_kb("AnonPages");
	long t0 = now_ns();
	int w = folio_knob_set("deferred_split_scan", 1);
	long t1 = now_ns();
	long free1 = meminfo_kb("MemFree"), anon1 = meminfo_kb("AnonPages");
	long split1 = mthp_stat(4, "split");

	printf("BENCH name=splitbench arch=%s size=64K mib=%lu memfree_kb_before=%ld memfree_kb_after=%ld anon_kb_before=%ld anon_kb_after=%ld recovered_kb=%ld scan_us=%ld split=%ld%s\n",
	       bench_arch(), MIB, free0, free1, anon0, anon1, free1 - free0, (t1 - t0) / 1000,
	       split1 - split0, w < 0 ? " (no deferred_split_scan knob)" : "");
	munmap(p, LEN);
	if (thp_knobs_restore(&saved) < 0)
		printf("# splitbench: could not restore every knob\n");
	return 0;
}
