/*
 * pmd_test: PMD-mapped 2 MiB anonymous folios (mm/huge_memory.c, docs/mm/huge-pmd.md),
 * checked exactly through /proc/self/folios (flag pmd), /proc/self/smaps, /proc/vmstat
 * (thp_fault_alloc, thp_split_pmd, nr_anon_transparent_hugepages) and /proc/meminfo.
 *
 *   pmd_test            every test
 *   pmd_test NAME...    only those (see tests[] below)
 *
 * foliOS only: elsewhere it prints one SKIP line and exits 0.  Only the 2M size is
 * enabled while the tests run, and folio/pmd_mapping is 1 unless a test says otherwise;
 * both are put back at the end.  Each test works on a 2 MiB-aligned 2 MiB VMA (the "block")
 * inside a PROT_NONE reservation, with a second, already PMD-mapped 2 MiB VMA beside it in
 * the same reservation, so that the page-table pages above the block exist before the test
 * counts free pages; before counting, and again after the test unmapped the block, the
 * block is written whole once and unmapped (block_settle), which leaves its PMD none
 * whether or not a test left an empty PTE table there (the PMD fault takes such a table
 * over, and its unmap frees it), and runs the deferred-split scan (a fork leaves this
 * program's own large folios partially mapped after its CoW writes).  So every test ends with the free pages, AnonPages and
 * the PMD-mapped folios exactly as before it (no leak).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sched.h>
#include <folios.h>
#include <mthp.h>
#include <test.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define PG		4096UL
#define PMD_SIZE	(2UL << 20)
#define NPAGES		(PMD_SIZE / PG)
#define PMD_ORDER	9
#define PMD_MUST	(FOLIO_RUN_ANON | FOLIO_RUN_PMD)

static struct thp_knobs saved;
static char smaps_buf[64 << 10];	/* prefaulted in main: reading smaps allocates nothing */
static long saved_pmd_mapping;

/* ---------------------------------------------------------------- the block */

struct block {
	char *res;		/* PROT_NONE reservation */
	size_t res_len;
	char *p;		/* the 2 MiB test VMA, 2 MiB-aligned */
	char *warm;		/* the 2 MiB VMA above it, PMD-mapped first */
	long free0, anon0, thps0, nr_anon0;
};

/* Write the unmapped block whole once with PMD mapping on, and unmap it: its PMD is none after. */
static void block_settle(struct block *b)
{
	long knob = folio_knob_get("pmd_mapping");

	folio_knob_set("pmd_mapping", 1);
	mmap(b->p, PMD_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	b->p[0] = 1;
	munmap(b->p, PMD_SIZE);
	folio_knob_set("pmd_mapping", knob);
	/* Pieces this program's own large folios lost to a fork's CoW: freed now, not later. */
	sysfs_write(FOLIO_DIR "/deferred_split_scan", "1");
}

/* Map the block (and its warm neighbour) and snapshot the counters; 0 or -1. */
static int block_map(struct block *b)
{
	b->res_len = 4 * PMD_SIZE;
	b->res = mmap(NULL, b->res_len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b->res == MAP_FAILED)
		return -1;
	b->p = (char *)(((unsigned long)b->res + PMD_SIZE - 1) & ~(PMD_SIZE - 1));
	b->warm = b->p + PMD_SIZE;
	if (mmap(b->p, 2 * PMD_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		 -1, 0) != b->p) {
		munmap(b->res, b->res_len);
		return -1;
	}
	b->warm[0] = 1;
	block_settle(b);
	b->free0 = free_pages_now();
	b->anon0 = vmstat_get("nr_anon_pages");
	b->thps0 = vmstat_get("nr_anon_transparent_hugepages");
	b->nr_anon0 = mthp_stat(PMD_ORDER, "nr_anon");
	if (mmap(b->p, PMD_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != b->p)
		return -1;
	return 0;
}

/* block_map for test T, reporting a failure. */
static int block_begin(struct block *b, const char *T)
{
	return block_map(b) < 0 ? ok(0, "%s: setup # errno %d", T, errno) - 1 : 0;
}

static void fill(char *p, unsigned long pages);

static long split_pmd_count(void)
{
	return vmstat_get("thp_split_pmd");
}

/* block_begin, then fill the block (one PMD-mapped folio); thp_split_pmd now, or -1. */
static long begin_filled(struct block *b, const char *T)
{
	if (block_begin(b, T) < 0)
		return -1;
	fill(b->p, NPAGES);
	return split_pmd_count();
}

/* A fresh, empty block VMA in the same place. */
static void block_remap(struct block *b)
{
	munmap(b->p, PMD_SIZE);
	mmap(b->p, PMD_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
}

/*
 * Unmap the block and check nothing leaked: the 2M folios (nr_anon of 2M), AnonPages, the
 * PMD-mapped folios and the free pages (deposits and tables too) exactly as before.  The
 * deferred-split scan block_settle runs first frees what this program's own large folios
 * lost to a fork's copy-on-write (which leaves them partially mapped), and may split them:
 * so the smaller sizes' nr_anon are not compared.  Then drop the whole reservation.
 */
static void block_unmap(struct block *b, const char *T)
{
	char name[128];

	munmap(b->p, PMD_SIZE);
	block_settle(b);
	snprintf(name, sizeof(name), "%s: after munmap: 2M folios (nr_anon) as before", T);
	is(mthp_stat(PMD_ORDER, "nr_anon"), b->nr_anon0, name);
	snprintf(name, sizeof(name), "%s: after munmap: free pages as before (no leak)", T);
	is(free_pages_now(), b->free0, name);
	snprintf(name, sizeof(name), "%s: after munmap: nr_anon_pages as before", T);
	is(vmstat_get("nr_anon_pages"), b->anon0, name);
	snprintf(name, sizeof(name), "%s: after munmap: nr_anon_transparent_hugepages as before", T);
	is(vmstat_get("nr_anon_transparent_hugepages"), b->thps0, name);
	munmap(b->res, b->res_len);
}

/* Page i of [p, p + pages * PG) holds 'A' + i % 26 (fill), and still does (intact, skipping [skip0, skip1)). */
static void fill(char *p, unsigned long pages)
{
	for (unsigned long i = 0; i < pages; i++)
		memset(p + i * PG, 'A' + (int)(i % 26), PG);
}

static int intact(const char *p, unsigned long pages, unsigned long skip0, unsigned long skip1)
{
	for (unsigned long i = 0; i < pages; i++) {
		if (i >= skip0 && i < skip1)
			continue;
		for (unsigned long j = 0; j < PG; j += 512)
			if (p[i * PG + j] != 'A' + (int)(i % 26))
				return 0;
	}
	return 1;
}

static int all_zero(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i])
			return 0;
	return 1;
}

/* ---------------------------------------------------------------- expectations */

/* The run covering addr is [start, start + pages * PG) of an order-`order` folio with this mapcount
 * (rmap equal) and ref (< 0: unchecked), having every flag of must and none of mustnot. */
static int expect_run(const void *addr, unsigned long start, unsigned int order, unsigned long pages,
		      int mapcount, int ref, unsigned int must, unsigned int mustnot, const char *name)
{
	struct folio_run r;
	char s[200];

	if (folio_at(addr, &r) < 0)
		return ok(0, "%s # no run covers %p", name, addr);
	folio_run_str(&r, s, sizeof(s));
	if (r.start != start || r.order != order || r.pages != pages || r.mapcount != mapcount ||
	    r.rmap != r.mapcount || (ref >= 0 && r.ref != ref) || (r.flags & must) != must ||
	    (r.flags & mustnot))
		return ok(0, "%s # got %#lx %s; want %#lx order %u pages %lu mapcount %d ref %d +%#x -%#x",
			  name, r.start, s, start, order, pages, mapcount, ref, must, mustnot);
	return ok(1, "%s", name);
}

/* The value in kB of field ("AnonHugePages:") in the smaps entry of the VMA starting at addr; -1 if absent. */
static long smaps_kb(const void *addr, const char *field)
{
	char head[32], *buf = smaps_buf;
	long n = sysfs_read("/proc/self/smaps", buf, sizeof(smaps_buf));
	char *vma, *f, *next;

	if (n < 0)
		return -1;
	snprintf(head, sizeof(head), "%08lx-", (unsigned long)addr);
	for (vma = buf; vma && strncmp(vma, head, strlen(head)); vma = strchr(vma, '\n'), vma = vma ? vma + 1 : NULL)
		;
	if (!vma)
		return -1;
	next = strstr(vma, "VmFlags:");
	f = strstr(vma, field);
	if (!f || !next || f > next)
		return -1;
	return strtol(f + strlen(field), NULL, 10);
}

/* ---------------------------------------------------------------- tests */

/* A write anywhere in the block maps one order-9 folio with one PMD. */
static void t_fault(void)
{
	const char *T = "fault";
	struct block b;
	long alloc0 = vmstat_get("thp_fault_alloc"), split0 = split_pmd_count(),
	     ahp0 = meminfo_kb("AnonHugePages");

	if (block_begin(&b, T) < 0)
		return;
	alloc0 = vmstat_get("thp_fault_alloc");
	b.p[0x123456] = 7;
	expect_run(b.p, (unsigned long)b.p, PMD_ORDER, NPAGES, NPAGES, NPAGES,
		   PMD_MUST | FOLIO_RUN_DIRTY | FOLIO_RUN_WRITABLE | FOLIO_RUN_EXCLUSIVE,
		   FOLIO_RUN_SHARED | FOLIO_RUN_PARTIALLY_MAPPED,
		   "fault: one run, order 9, 512 pages, mapcount=rmap=ref=512, flags pmd");
	is(folios_in_range((unsigned long)b.p, (unsigned long)b.p + PMD_SIZE, NULL, 0), 1,
	   "fault: exactly one run covers the block");
	is(vmstat_get("thp_fault_alloc") - alloc0, 1, "fault: thp_fault_alloc +1");
	is(split_pmd_count() - split0, 0, "fault: thp_split_pmd +0");
	is(vmstat_get("nr_anon_transparent_hugepages") - b.thps0, 1, "fault: nr_anon_transparent_hugepages +1");
	is(meminfo_kb("AnonHugePages") - ahp0, 2 * 2048, "fault: meminfo AnonHugePages +2048 kB (block and neighbour)");
	/* The block's VMA: the block alone, or merged with the neighbour (both PMD-mapped). */
	long size = smaps_kb(b.p, "Size:");
	ok(size == 2048 || size == 4096, "fault: smaps has the block's VMA (Size %ld kB)", size);
	is(smaps_kb(b.p, "AnonHugePages:"), size, "fault: smaps AnonHugePages = Size");
	is(smaps_kb(b.p, "Rss:"), size, "fault: smaps Rss = Size");
	is(smaps_kb(b.p, "Anonymous:"), size, "fault: smaps Anonymous = Size");
	is(smaps_kb(b.p, "Private_Dirty:"), size, "fault: smaps Private_Dirty = Size");
	is(smaps_kb(b.p, "Pss:"), size, "fault: smaps Pss = Size");
	ok(b.p[0x123456] == 7 && all_zero(b.p, 0x123456) && all_zero(b.p + 0x123457, PMD_SIZE - 0x123457),
	   "fault: the written byte, zeros everywhere else");
	block_unmap(&b, T);
}

/* The same write with folio/pmd_mapping 0: the 2M folio is PTE-mapped, nothing PMD-mapped. */
static void t_knob_off(void)
{
	const char *T = "knob-off";
	struct block b;

	if (block_begin(&b, T) < 0)
		return;
	is(folio_knob_set("pmd_mapping", 0), 0, "knob-off: pmd_mapping 0");
	b.p[5] = 1;
	expect_run(b.p, (unsigned long)b.p, PMD_ORDER, NPAGES, NPAGES, NPAGES, FOLIO_RUN_ANON, FOLIO_RUN_PMD,
		   "knob-off: order 9 mapped by 512 PTEs (no pmd flag)");
	is(vmstat_get("nr_anon_transparent_hugepages") - b.thps0, 0, "knob-off: nr_anon_transparent_hugepages +0");
	folio_knob_set("pmd_mapping", 1);
	block_unmap(&b, T);
}

/* munmap of one page in the middle splits the PMD mapping; the rest keeps its data. */
static void t_munmap_part(void)
{
	const char *T = "munmap-part";
	struct block b;
	long split0;

	if ((split0 = begin_filled(&b, T)) < 0)
		return;
	munmap(b.p + 5 * PG, PG);
	is(split_pmd_count() - split0, 1, "munmap-part: thp_split_pmd +1");
	expect_run(b.p, (unsigned long)b.p, PMD_ORDER, 5, NPAGES - 1, NPAGES - 1,
		   FOLIO_RUN_ANON | FOLIO_RUN_PARTIALLY_MAPPED, FOLIO_RUN_PMD,
		   "munmap-part: [0, 5) PTE-mapped pages of the same folio, mapcount 511");
	expect_run(b.p + 6 * PG, (unsigned long)b.p + 6 * PG, PMD_ORDER, NPAGES - 6, NPAGES - 1, NPAGES - 1,
		   FOLIO_RUN_ANON | FOLIO_RUN_PARTIALLY_MAPPED, FOLIO_RUN_PMD, "munmap-part: [6, 512) likewise");
	ok(intact(b.p, NPAGES, 5, 6), "munmap-part: data intact");
	is(vmstat_get("nr_anon_transparent_hugepages") - b.thps0, 0, "munmap-part: no longer PMD-mapped");
	block_unmap(&b, T);
}

/* mprotect of one page splits the PMD; of the whole block changes the PMD alone. */
static void t_mprotect(void)
{
	const char *T = "mprotect";
	struct block b;
	long split0;

	if ((split0 = begin_filled(&b, T)) < 0)
		return;
	is(mprotect(b.p, PMD_SIZE, PROT_READ), 0, "mprotect: whole block read-only");
	expect_run(b.p, (unsigned long)b.p, PMD_ORDER, NPAGES, NPAGES, NPAGES, PMD_MUST,
		   FOLIO_RUN_WRITABLE, "mprotect: still one PMD, not writable");
	is(mprotect(b.p, PMD_SIZE, PROT_READ | PROT_WRITE), 0, "mprotect: whole block read-write");
	expect_run(b.p, (unsigned long)b.p, PMD_ORDER, NPAGES, NPAGES, NPAGES, PMD_MUST | FOLIO_RUN_WRITABLE,
		   0, "mprotect: still one PMD, writable again (exclusive)");
	is(split_pmd_count() - split0, 0, "mprotect: whole block: thp_split_pmd +0");
	b.p[3 * PG] = 'D';
	is(mprotect(b.p + PMD_SIZE / 2, PG, PROT_READ), 0, "mprotect: one page at +1M read-only");
	is(split_pmd_count() - split0, 1, "mprotect: part: thp_split_pmd +1");
	expect_run(b.p + PMD_SIZE / 2, (unsigned long)b.p + PMD_SIZE / 2, PMD_ORDER, 1, NPAGES, NPAGES,
		   FOLIO_RUN_ANON, FOLIO_RUN_PMD | FOLIO_RUN_WRITABLE, "mprotect: part: the page alone, read-only");
	expect_run(b.p, (unsigned long)b.p, PMD_ORDER, NPAGES / 2, NPAGES, NPAGES,
		   FOLIO_RUN_ANON | FOLIO_RUN_WRITABLE, FOLIO_RUN_PMD, "mprotect: part: the pages below, writable");
	ok(b.p[3 * PG] == 'D' && intact(b.p, NPAGES, 3, 4), "mprotect: data intact");
	block_unmap(&b, T);
}

/* MADV_DONTNEED of 64K splits the PMD and drops those pages; of the whole block drops the PMD. */
static void t_dontneed(void)
{
	const char *T = "dontneed";
	struct block b;
	long split0;

	if ((split0 = begin_filled(&b, T)) < 0)
		return;
	is(madvise(b.p + PMD_SIZE / 2, 16 * PG, MADV_DONTNEED), 0, "dontneed: 64K at +1M");
	is(split_pmd_count() - split0, 1, "dontneed: part: thp_split_pmd +1");
	expect_run(b.p, (unsigned long)b.p, PMD_ORDER, NPAGES / 2, NPAGES - 16, NPAGES - 16,
		   FOLIO_RUN_ANON | FOLIO_RUN_PARTIALLY_MAPPED, FOLIO_RUN_PMD, "dontneed: part: mapcount 496");
	ok(all_zero(b.p + PMD_SIZE / 2, 16 * PG) && intact(b.p, NPAGES, NPAGES / 2, NPAGES / 2 + 16),
	   "dontneed: part: zeros there, data intact elsewhere");
	block_remap(&b);
	b.p[0] = 1;
	split0 = split_pmd_count();
	is(madvise(b.p, PMD_SIZE, MADV_DONTNEED), 0, "dontneed: whole block");
	is(split_pmd_count() - split0, 0, "dontneed: whole: thp_split_pmd +0");
	is(vmstat_get("nr_anon_transparent_hugepages") - b.thps0, 0, "dontneed: whole: the PMD mapping gone");
	ok(all_zero(b.p, PMD_SIZE), "dontneed: whole: reads zeros");
	block_unmap(&b, T);
}

/* MADV_FREE of 64K splits the PMD (then the folio around it); of the whole block lazyfrees the PMD. */
static void t_free(void)
{
	const char *T = "free";
	struct block b;
	long split0;

	if ((split0 = begin_filled(&b, T)) < 0)
		return;
	is(madvise(b.p + PMD_SIZE / 2, 16 * PG, MADV_FREE), 0, "free: 64K at +1M");
	is(split_pmd_count() - split0, 1, "free: part: thp_split_pmd +1");
	expect_run(b.p + PMD_SIZE / 2, (unsigned long)b.p + PMD_SIZE / 2, 4, 16, 16, 16,
		   FOLIO_RUN_ANON | FOLIO_RUN_LAZYFREE, FOLIO_RUN_PMD | FOLIO_RUN_DIRTY,
		   "free: part: the covered 64K a lazyfree folio of its own");
	expect_run(b.p, (unsigned long)b.p, 8, NPAGES / 2, NPAGES / 2, NPAGES / 2, FOLIO_RUN_ANON,
		   FOLIO_RUN_PMD | FOLIO_RUN_LAZYFREE, "free: part: the 1M below one folio, not lazyfree");
	ok(intact(b.p, NPAGES, 0, 0), "free: part: data intact (nothing reclaimed yet)");
	block_remap(&b);
	fill(b.p, NPAGES);
	split0 = split_pmd_count();
	is(madvise(b.p, PMD_SIZE, MADV_FREE), 0, "free: whole block");
	is(split_pmd_count() - split0, 0, "free: whole: thp_split_pmd +0");
	expect_run(b.p, (unsigned long)b.p, PMD_ORDER, NPAGES, NPAGES, NPAGES, PMD_MUST | FOLIO_RUN_LAZYFREE,
		   FOLIO_RUN_DIRTY, "free: whole: one PMD, clean, lazyfree");
	is(smaps_kb(b.p, "LazyFree:"), 2048, "free: whole: smaps LazyFree 2048 kB");
	b.p[7] = 'W';
	expect_run(b.p, (unsigned long)b.p, PMD_ORDER, NPAGES, NPAGES, NPAGES, PMD_MUST | FOLIO_RUN_DIRTY, 0,
		   "free: whole: a write dirties the PMD again");
	ok(b.p[7] == 'W' && intact(b.p, NPAGES, 0, 0), "free: whole: the write and the old data");
	block_unmap(&b, T);
}

/* fork shares the PMD write-protected; each side's write splits its own PMD and copies one page. */
static int fork_child(void *arg)
{
	char *p = arg;
	struct folio_run r;
	int bad = 0;

	bad += folio_at(p, &r) < 0 || (r.flags & (FOLIO_RUN_PMD | FOLIO_RUN_SHARED)) !=
		(FOLIO_RUN_PMD | FOLIO_RUN_SHARED) || (r.flags & FOLIO_RUN_WRITABLE) || r.pages != NPAGES;
	if (bad)
		diag("child: the shared PMD: %s", folio_run_str(&r, (char[200]){ 0 }, 200));
	/* Wait (bounded) for the parent's write: its copy of page 7 drops the mapcount to 1023. */
	for (int i = 0; i < 100000 && folio_at(p, &r) == 0 && r.mapcount != 2 * (int)NPAGES - 1; i++)
		sched_yield();
	bad += r.mapcount != 2 * (int)NPAGES - 1;
	p[3 * PG] = 'C';
	bad += p[3 * PG] != 'C' || !intact(p, NPAGES, 3, 4);
	bad += folio_at(p + 3 * PG, &r) < 0 || r.order != 0 || (r.flags & FOLIO_RUN_PMD);
	return bad;
}

static void t_fork(void)
{
	const char *T = "fork";
	struct block b;
	long split0;
	int st;

	if ((split0 = begin_filled(&b, T)) < 0)
		return;
	pid_t pid = fork();
	if (pid == 0)
		_exit(fork_child(b.p));
	b.p[7 * PG] = 'Q';
	waitpid(pid, &st, 0);
	is(st, 0, "fork: child: a shared read-only PMD; its write copied one page; the parent's data only");
	ok(b.p[7 * PG] == 'Q' && b.p[3 * PG] == 'A' + 3 && intact(b.p, NPAGES, 7, 8),
	   "fork: parent: its write, no leak from the child");
	is(split_pmd_count() - split0, 2, "fork: thp_split_pmd +2 (one per side)");
	expect_run(b.p, (unsigned long)b.p, PMD_ORDER, 7, NPAGES - 1, NPAGES - 1,
		   FOLIO_RUN_ANON | FOLIO_RUN_PARTIALLY_MAPPED, FOLIO_RUN_PMD,
		   "fork: parent after the child: the folio PTE-mapped but page 7, mapcount 511");
	expect_run(b.p + 7 * PG, (unsigned long)b.p + 7 * PG, 0, 1, 1, 1, FOLIO_RUN_ANON | FOLIO_RUN_WRITABLE,
		   FOLIO_RUN_PMD, "fork: parent: page 7 its own copy");
	block_unmap(&b, T);

	/* The child exits untouched: the parent's write reuses the folio, no split, no copy. */
	if (block_map(&b) < 0)
		return;
	fill(b.p, NPAGES);
	split0 = split_pmd_count();
	pid = fork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, &st, 0);
	expect_run(b.p, (unsigned long)b.p, PMD_ORDER, NPAGES, NPAGES, NPAGES, PMD_MUST, FOLIO_RUN_WRITABLE,
		   "fork: child gone: mapcount 512, still write-protected");
	b.p[9] = 'R';
	expect_run(b.p, (unsigned long)b.p, PMD_ORDER, NPAGES, NPAGES, NPAGES,
		   PMD_MUST | FOLIO_RUN_WRITABLE | FOLIO_RUN_EXCLUSIVE, 0, "fork: parent's write reuses the PMD folio");
	is(split_pmd_count() - split0, 0, "fork: reuse: thp_split_pmd +0");
	ok(b.p[9] == 'R' && intact(b.p, NPAGES, 0, 0), "fork: reuse: data kept");
	block_unmap(&b, T);
}

/* split_range of a PMD-mapped folio: the PMD mapping first, then the folio; data intact. */
static void t_split(void)
{
	const char *T = "split";
	struct block b;
	char cmd[96];
	long split0;

	if ((split0 = begin_filled(&b, T)) < 0)
		return;
	snprintf(cmd, sizeof(cmd), "%#lx %#lx 4\n", (unsigned long)b.p, (unsigned long)b.p + PMD_SIZE);
	is(sysfs_write(FOLIO_DIR "/split_range", cmd), 0, "split: split_range to order 4");
	is(split_pmd_count() - split0, 1, "split: thp_split_pmd +1");
	is(folios_in_range((unsigned long)b.p, (unsigned long)b.p + PMD_SIZE, NULL, 0), 32,
	   "split: 32 runs");
	expect_run(b.p + 0x50000, (unsigned long)b.p + 0x50000, 4, 16, 16, 16, FOLIO_RUN_ANON | FOLIO_RUN_WRITABLE,
		   FOLIO_RUN_PMD, "split: an order-4 piece, PTE-mapped, writable");
	ok(intact(b.p, NPAGES, 0, 0), "split: data intact");
	block_unmap(&b, T);
}

/* The block is written after its PMD was none but a PTE table exists (a read first): no PMD. */
static void t_pte_table(void)
{
	const char *T = "pte-table";
	struct block b;
	volatile char *v;

	if (block_begin(&b, T) < 0)
		return;
	v = b.p;
	(void)v[0];
	v[PG] = 1;
	struct folio_run r;
	ok(folio_at(b.p + PG, &r) == 0 && !(r.flags & FOLIO_RUN_PMD), "pte-table: a PTE table there: no PMD mapping");
	block_unmap(&b, T);
}

/* "Name:" padded as Linux's SEQ_PUT_DEC lines ("%-16s%8lu kB"; Private_Hugetlb: 17 and 7). */
static int smaps_line(char *buf, size_t len, const char *name, unsigned long kb)
{
	int wide = strlen(name) >= 16;

	return snprintf(buf, len, "%s%*s%*lu kB\n", name, wide ? 1 : 16 - (int)strlen(name), "",
			wide ? 7 : 8, kb);
}

/* /proc/self/smaps: Linux's line format for the block. */
static void t_smaps(void)
{
	const char *T = "smaps";
	static const struct { const char *name; unsigned long kb; } want[] = {
		{ "Size:", 2048 }, { "KernelPageSize:", 4 }, { "MMUPageSize:", 4 }, { "Rss:", 2048 },
		{ "Pss:", 2048 }, { "Pss_Dirty:", 2048 }, { "Shared_Clean:", 0 }, { "Shared_Dirty:", 0 },
		{ "Private_Clean:", 0 }, { "Private_Dirty:", 2048 }, { "Referenced:", 2048 },
		{ "Anonymous:", 2048 }, { "KSM:", 0 }, { "LazyFree:", 0 }, { "AnonHugePages:", 2048 },
		{ "ShmemPmdMapped:", 0 }, { "FilePmdMapped:", 0 }, { "Shared_Hugetlb:", 0 },
		{ "Private_Hugetlb:", 0 }, { "Swap:", 0 }, { "SwapPss:", 0 }, { "Locked:", 0 },
	};
	static char expect[2048];
	char *buf = smaps_buf;
	struct block b;
	int n;

	if (block_begin(&b, T) < 0)
		return;
	munmap(b.warm, PMD_SIZE);	/* the block alone in its VMA; the PMD table stays */
	b.nr_anon0 = mthp_stat(PMD_ORDER, "nr_anon");
	b.free0 = free_pages_now();
	b.anon0 = vmstat_get("nr_anon_pages");
	b.thps0 = vmstat_get("nr_anon_transparent_hugepages");
	b.p[0] = 1;
	sysfs_read("/proc/self/smaps", buf, sizeof(smaps_buf));
	n = snprintf(expect, sizeof(expect), "%08lx-%08lx rw-p 00000000 00:00 0 \n", (unsigned long)b.p,
		     (unsigned long)b.p + PMD_SIZE);
	for (unsigned int i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		n += smaps_line(expect + n, sizeof(expect) - n, want[i].name, want[i].kb);
	snprintf(expect + n, sizeof(expect) - n, "THPeligible:    %8u\nVmFlags: rd wr ", 1U);
	ok(strstr(buf, expect) != NULL, "smaps: the block's entry as Linux prints it, AnonHugePages 2048 kB");
	if (!strstr(buf, expect))
		diag("want:\n%s", expect);
	block_unmap(&b, T);
}

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
	{ "fault", t_fault },
	{ "knob-off", t_knob_off },
	{ "munmap-part", t_munmap_part },
	{ "mprotect", t_mprotect },
	{ "dontneed", t_dontneed },
	{ "free", t_free },
	{ "fork", t_fork },
	{ "split", t_split },
	{ "pte-table", t_pte_table },
	{ "smaps", t_smaps },
};
#define NTESTS ((int)(sizeof(tests) / sizeof(tests[0])))

int main(int argc, char **argv)
{
	if (!foliOS_test_start())
		return done_testing();
	memset(smaps_buf, 0, sizeof(smaps_buf));
	if (thp_knobs_save(&saved) < 0 || (saved_pmd_mapping = folio_knob_get("pmd_mapping")) < 0) {
		ok(0, "knobs readable # errno %d (%s)", errno, strerror(errno));
		return done_testing();
	}
	if (thp_only(PMD_ORDER, "always") < 0 || folio_knob_set("pmd_mapping", 1) < 0) {
		ok(0, "setup: 2M always, pmd_mapping 1 # errno %d", errno);
		return done_testing();
	}
	for (int t = 0; t < NTESTS; t++) {
		if (!test_selected(argc, argv, tests[t].name))
			continue;
		diag("pmd_test: %s", tests[t].name);
		tests[t].fn();
	}
	ok(thp_knobs_restore(&saved) == 0 && folio_knob_set("pmd_mapping", saved_pmd_mapping) == 0,
	   "knobs restored");
	test_cases_known(argc, argv);
	return done_testing();
}
