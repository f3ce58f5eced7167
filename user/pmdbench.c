/*
 * pmdbench: PMD-mapped 2M folios against the same 2M folios mapped by 512 PTEs
 * (/sys/kernel/mm/folio/pmd_mapping 1 vs 0, mm/huge_memory.c).
 *
 * Only the 2M size "always"; 128 MiB mapped 2 MiB-aligned; write one byte per 4 KiB page
 * (first touch: 64 faults either way, each allocating and zeroing a 2M folio, then one PMD
 * or 512 PTEs), write them all again (the TLB reach: one entry per 2M or per 4K), munmap
 * (one PMD or 512 PTEs per folio to clear).  The two mappings take turns within each of
 * five rounds, so a slow spell of the host hits both alike; medians are reported, as
 *   BENCH name=pmdbench arch=<a> mapping=<pmd|pte> mib=128 mib_s=<first touch MiB/s>
 *         retouch_mib_s=<populated MiB/s> munmap_us=<munmap time> faults=<minflt delta>
 *         thp_fault_alloc=<delta>
 * foliOS only (the knob): elsewhere it prints a note and exits 0.  The knobs are put back
 * as found.  Not a test: it asserts nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bench.h>
#include <mthp.h>
#include <test.h>
#include <time.h>
#include <sys/mman.h>

#define PG		4096UL
#define MIB		128UL
#define LEN		(MIB << 20)
#define PMD_SIZE	(2UL << 20)
#define REPS		5

struct sample {
	unsigned long mib_s, retouch_mib_s, munmap_us, faults, alloc;
};

/* Write val to one byte of every page of [p, p + LEN); the nanoseconds it took. */
static unsigned long write_each_page(char *p, char val)
{
	long t0 = now_ns();

	for (unsigned long off = 0; off < LEN; off += PG)
		((volatile char *)p)[off] = val;
	return (unsigned long)(now_ns() - t0);
}

/* One run with pmd_mapping = pmd: 0, or -1 if the mapping failed. */
static int run_once(int pmd, struct sample *s)
{
	if (folio_knob_set("pmd_mapping", pmd) < 0)
		return -1;
	char *p = bench_map_aligned(LEN, PMD_SIZE);
	if (!p)
		return -1;
	long a0 = vmstat_get("thp_fault_alloc"), f0 = minflt_now();
	unsigned long touch_ns = write_each_page(p, 1);
	long f1 = minflt_now(), a1 = vmstat_get("thp_fault_alloc");
	unsigned long retouch_ns = write_each_page(p, 2);
	long t0 = now_ns();

	munmap(p, LEN);
	s->munmap_us = (unsigned long)(now_ns() - t0) / 1000;
	s->mib_s = touch_ns ? MIB * 1000000000UL / touch_ns : 0;
	s->retouch_mib_s = retouch_ns ? MIB * 1000000000UL / retouch_ns : 0;
	s->faults = (unsigned long)(f1 - f0);
	s->alloc = (unsigned long)(a1 - a0);
	return 0;
}

static unsigned long median(unsigned long *v)
{
	bench_sort(v, REPS);
	return v[REPS / 2];
}

int main(void)
{
	struct thp_knobs saved;
	long saved_pmd = folio_knob_get("pmd_mapping");
	unsigned long v[2][5][REPS];
	static const char *const names[2] = { "pte", "pmd" };

	if (!on_foliOS() || saved_pmd < 0 || thp_knobs_save(&saved) < 0) {
		printf("pmdbench: needs foliOS's /sys/kernel/mm/folio/pmd_mapping\n");
		return 0;
	}
	if (thp_only(9, "always") < 0) {
		printf("pmdbench: cannot enable 2M\n");
		return 1;
	}
	for (int r = 0; r < REPS; r++) {
		for (int pmd = 0; pmd < 2; pmd++) {
			struct sample s;

			if (run_once(pmd, &s) < 0) {
				printf("pmdbench: run failed\n");
				return 1;
			}
			v[pmd][0][r] = s.mib_s;
			v[pmd][1][r] = s.retouch_mib_s;
			v[pmd][2][r] = s.munmap_us;
			v[pmd][3][r] = s.faults;
			v[pmd][4][r] = s.alloc;
		}
	}
	thp_knobs_restore(&saved);
	folio_knob_set("pmd_mapping", saved_pmd);
	for (int pmd = 0; pmd < 2; pmd++)
		printf("BENCH name=pmdbench arch=%s mapping=%s mib=%lu mib_s=%lu retouch_mib_s=%lu "
		       "munmap_us=%lu faults=%lu thp_fault_alloc=%lu\n", bench_arch(), names[pmd], MIB,
		       median(v[pmd][0]), median(v[pmd][1]), median(v[pmd][2]), median(v[pmd][3]),
		       median(v[pmd][4]));
	return 0;
}
