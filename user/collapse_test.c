/*
 * collapse_test: MADV_COLLAPSE (mm/collapse.c, docs/mm/collapse.md) checked exactly through
 * /proc/self/folios, the counters and every byte of the data:
 *   64k     4K pages of a 256K range become four 64K folios (only 64K enabled)
 *   pmd     4K pages of a 2M block become one PMD-mapped 2M folio (only 2M enabled)
 *   fork    in a child whose pages are shared read-only with its parent: EINVAL, nothing
 *           changes; after the child wrote one page it collapses (copying), the parent's
 *           pages stay as they were
 *   errno   VM_NOHUGEPAGE, unaligned start, a hole
 * Every test checks that the free pages are the same before and after its collapse (the
 * old pages are freed as the new folios are allocated) and that AnonPages is back to its
 * value once the test unmapped its memory.  foliOS only: elsewhere one SKIP line.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <folios.h>
#include <mthp.h>
#include <test.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define PG	4096UL
#define BLOCK	(2UL << 20)

static struct thp_knobs saved;

/* The byte at offset off of page i. */
static unsigned char pattern(unsigned long i, unsigned long off)
{
	return (unsigned char)(i * 13 + off + 5);
}

/* A 2M-aligned RW mapping of len inside a reservation; its pages [0, nr) written by 4K faults. */
static char *map_filled(unsigned long len, unsigned long nr)
{
	char *res = mmap(NULL, len + BLOCK, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *p;

	if (res == MAP_FAILED)
		return NULL;
	p = (char *)(((unsigned long)res + BLOCK - 1) & ~(BLOCK - 1));
	if (mmap(p, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != p)
		return NULL;
	thp_only_mask(0, "never");
	for (unsigned long i = 0; i < nr; i++)
		for (unsigned long off = 0; off < PG; off++)
			p[i * PG + off] = (char)pattern(i, off);
	return p;
}

/* Every byte of pages [0, nr) as written, of [nr, total) zero. */
static int intact(const char *p, unsigned long nr, unsigned long total)
{
	for (unsigned long i = 0; i < total; i++)
		for (unsigned long off = 0; off < PG; off++)
			if ((unsigned char)p[i * PG + off] != (i < nr ? pattern(i, off) : 0))
				return 0;
	return 1;
}

/* Runs of [p, p + len): all of order, each of pages (1 << order) and carrying flag; their count. */
static int runs_of(const char *p, unsigned long len, unsigned int order, unsigned int flag)
{
	static struct folio_run runs[64];
	int n = folios_in_range((unsigned long)p, (unsigned long)p + len, runs, 64);

	for (int i = 0; i < n; i++)
		if (runs[i].order != order || runs[i].pages != 1UL << order ||
		    (runs[i].flags & flag) != flag)
			return -1;
	return n;
}

static void test_64k(void)
{
	long anon0 = vmstat_get("nr_anon_pages"), c0 = mthp_stat(4, "collapse_alloc");
	long pmd0 = vmstat_get("thp_collapse_alloc"), free0;
	char *p = map_filled(256 << 10, 64);

	if (!ok(p != NULL, "64k: setup"))
		return;
	is(runs_of(p, 256 << 10, 0, FOLIO_RUN_ANON), 64, "64k: 64 4K folios before");
	thp_only(4, "always");
	free0 = free_pages_now();
	is(madvise(p, 256 << 10, MADV_COLLAPSE), 0, "64k: MADV_COLLAPSE");
	is(free_pages_now(), free0, "64k: the old pages freed as the new folios came");
	is(runs_of(p, 256 << 10, 4, FOLIO_RUN_ANON | FOLIO_RUN_EXCLUSIVE), 4, "64k: four 64K folios");
	is(mthp_stat(4, "collapse_alloc") - c0, 4, "64k: stats/collapse_alloc +4");
	is(vmstat_get("thp_collapse_alloc") - pmd0, 0, "64k: thp_collapse_alloc counts 2M only");
	ok(intact(p, 64, 64), "64k: every byte kept");
	is(madvise(p, 256 << 10, MADV_COLLAPSE), 0, "64k: again: nothing to do");
	is(mthp_stat(4, "collapse_alloc") - c0, 4, "64k: nothing allocated");
	munmap(p, 256 << 10);
	is(vmstat_get("nr_anon_pages"), anon0, "64k: AnonPages back");
}

static void test_pmd(void)
{
	long anon0 = vmstat_get("nr_anon_pages"), c0 = vmstat_get("thp_collapse_alloc");
	long hp0 = meminfo_kb("AnonHugePages"), free0;
	char *p = map_filled(BLOCK, 400);
	struct folio_run r;

	if (!ok(p != NULL, "pmd: setup"))
		return;
	ok(p[450 * PG] == 0, "pmd: a zero-page read");
	thp_only(9, "always");
	folio_knob_set("pmd_mapping", 1);
	free0 = free_pages_now();
	is(madvise(p, BLOCK, MADV_COLLAPSE), 0, "pmd: MADV_COLLAPSE");
	/* 400 pages freed, 512 allocated; the emptied PTE table became the PMD's deposit. */
	is(free_pages_now(), free0 - 112, "pmd: 512 pages in, 400 out");
	is(runs_of(p, BLOCK, 9, FOLIO_RUN_ANON | FOLIO_RUN_PMD), 1, "pmd: one PMD-mapped 2M folio");
	ok(folio_at(p, &r) == 0 && r.mapcount == 512, "pmd: mapcount 512");
	is(vmstat_get("thp_collapse_alloc") - c0, 1, "pmd: thp_collapse_alloc +1");
	is(meminfo_kb("AnonHugePages") - hp0, 2048, "pmd: AnonHugePages +2048 kB");
	ok(intact(p, 400, 512), "pmd: every byte kept, the rest zero");
	munmap(p, BLOCK);
	is(vmstat_get("nr_anon_pages"), anon0, "pmd: AnonPages back");
}

static char *fork_p;

/* The child: shared read-only pages refuse; after one write the block collapses. */
static int fork_child(void *arg)
{
	struct folio_run r;

	(void)arg;
	if (madvise(fork_p, 64 << 10, MADV_COLLAPSE) != -1 || errno != EINVAL)
		return 1;
	if (folio_at(fork_p, &r) || r.order != 0 || !(r.flags & FOLIO_RUN_SHARED))
		return 2;
	fork_p[3 * PG] = (char)pattern(3, 0);	/* CoW: one page of its own, writable */
	if (madvise(fork_p, 64 << 10, MADV_COLLAPSE) != 0)
		return 3;
	if (folio_at(fork_p, &r) || r.order != 4 || (r.flags & FOLIO_RUN_SHARED))
		return 4;
	return intact(fork_p, 16, 16) ? 0 : 5;
}

static void test_fork(void)
{
	long anon0 = vmstat_get("nr_anon_pages");
	struct folio_run r;
	int status;

	fork_p = map_filled(64 << 10, 16);
	if (!ok(fork_p != NULL, "fork: setup"))
		return;
	thp_only(4, "always");
	status = run_child(fork_child, NULL);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "fork: the child's collapse (exit %d)",
	   WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	ok(folio_at(fork_p, &r) == 0 && r.order == 0, "fork: the parent's pages stay 4K");
	ok(intact(fork_p, 16, 16), "fork: the parent's bytes kept");
	munmap(fork_p, 64 << 10);
	is(vmstat_get("nr_anon_pages"), anon0, "fork: AnonPages back");
}

static void test_errno(void)
{
	char *p = map_filled(128 << 10, 32);
	struct folio_run r;

	if (!ok(p != NULL, "errno: setup"))
		return;
	thp_only(4, "always");
	is_errno(madvise(p + PG / 2, 64 << 10, MADV_COLLAPSE), EINVAL, "errno: unaligned start");
	madvise(p, 64 << 10, MADV_NOHUGEPAGE);
	is_errno(madvise(p, 64 << 10, MADV_COLLAPSE), EINVAL, "errno: VM_NOHUGEPAGE");
	ok(folio_at(p, &r) == 0 && r.order == 0, "errno: VM_NOHUGEPAGE block untouched");
	munmap(p + (64 << 10), 64 << 10);
	madvise(p, 64 << 10, MADV_HUGEPAGE);
	is_errno(madvise(p, 128 << 10, MADV_COLLAPSE), ENOMEM, "errno: a hole after the VMA");
	ok(folio_at(p, &r) == 0 && r.order == 4, "errno: the mapped part collapsed");
	ok(intact(p, 16, 16), "errno: bytes kept");
	munmap(p, 64 << 10);
}

int main(void)
{
	if (!foliOS_test_start())
		return done_testing();
	thp_knobs_save(&saved);
	long pmd_mapping = folio_knob_get("pmd_mapping");
	test_64k();
	test_pmd();
	test_fork();
	test_errno();
	folio_knob_set("pmd_mapping", pmd_mapping);
	ok(thp_knobs_restore(&saved) == 0, "knobs restored");
	return done_testing();
}
