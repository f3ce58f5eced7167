/*
 * softdirty_test: soft-dirty tracking as Linux's (Documentation/admin-guide/mm/soft-dirty.rst,
 * the cases of tools/testing/selftests/mm/soft-dirty.c; docs/mm/soft-dirty.md): pagemap
 * bit 55, clear_refs 4, VM_SOFTDIRTY.
 *
 *   simple    a write sets the bit, clear_refs 4 clears it, a read does not set it; each
 *             write after a clear is one page fault that reuses the page (getrusage's minor
 *             faults +1, pagemap's PFN unchanged: no copy; foliOS: the folio's order unchanged)
 *   vma       a new mapping reads soft-dirty on every page, touched or not, until the next
 *             clear; one mapped again at the same place, or merged with a new neighbour, too
 *   mprotect  clear, PROT_READ, PROT_READ|PROT_WRITE: still clean, and the next write is
 *             seen (mprotect does not make the page writable behind the tracking)
 *   mremap    moved pages read soft-dirty at their new place
 *   fork      the child inherits the bits; its writes (CoW copies) and the parent's (reuse)
 *             each mark only the writer's page
 *   shared    MAP_SHARED|MAP_ANONYMOUS: the same, a read maps a clean page read-only and the
 *             write after it is one fault on the object's page (no copy)
 *   64k       (foliOS) an order-4 folio: a write after a clear marks its page (x86_64) or its
 *             whole contiguous block (arm64: the block is one TLB entry, as its dirty state);
 *             the folio stays order 4, mapped 16 times
 *   pmd       (foliOS) a PMD-mapped 2M folio: one write marks all 512 pages, the block stays
 *             PMD-mapped; the bits survive the PMD's split into PTEs, and a write after the
 *             next clear marks one page (x86_64) or one 64K block (arm64) there
 * A kernel without soft-dirty (Linux without CONFIG_MEM_SOFT_DIRTY, where bit 55 always
 * reads 0) is skipped; foliOS must have it.  On foliOS every case runs in a child and
 * MemFree is back where it was after it (no leak).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bench.h>
#include <folios.h>
#include <mthp.h>
#include <test.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <uapi/pagemap.h>

#define PG	4096UL
#define BLK	(16 * PG)	/* 64K: one order-4 folio */
#define PMD	(2UL << 20)

#ifdef __aarch64__
#define CONT_PAGES 16	/* a folded contiguous block reads as one */
#else
#define CONT_PAGES 1
#endif

static bool folios;	/* foliOS: folio and counter checks, each case in a child */
static int pagemap = -1;
static struct thp_knobs saved;

/* A case's check: TAP here (Linux), or a diagnostic from the case's child (foliOS). */
static int expect(bool cond, const char *name)
{
	if (folios) {
		if (!cond)
			diag("child: not ok - %s", name);
		return !cond;
	}
	return !ok(cond, "%s", name);
}

/* addr's pagemap entry (0 when unreadable). */
static uint64_t pagemap_entry(const volatile void *addr)
{
	uint64_t e;

	return pread(pagemap, &e, 8, (off_t)((unsigned long)addr / PG * 8)) == 8 ? e : 0;
}

/* Bit 55 of addr's pagemap entry. */
static int soft_dirty(const void *addr)
{
	return !!(pagemap_entry(addr) & PM_SOFT_DIRTY);
}

/* How many of the n pages from p read soft-dirty. */
static int soft_dirty_pages(const char *p, unsigned long n)
{
	int c = 0;

	for (unsigned long i = 0; i < n; i++)
		c += soft_dirty(p + i * PG) == 1;
	return c;
}

/*
 * Write val at addr and return the page faults that took, or -1 when the page's frame
 * changed (a copy).  This process's own counts (getrusage's minor faults, pagemap's PFN),
 * not the system-wide cow_reuse, which other processes move too.  After a clear_refs 4
 * the test's own stack and buffers fault on their first write as well, so the counting
 * runs once dry first: from then on the stretch between the readings writes nothing new
 * but *addr.
 */
static long faults_of_write(volatile char *addr, char val)
{
	long f0, f1;
	uint64_t pfn0, pfn1;

	f0 = minflt_now();
	pfn0 = pagemap_entry(addr) & PM_PFRAME_MASK;
	pfn1 = pagemap_entry(addr) & PM_PFRAME_MASK;
	f1 = minflt_now();
	f0 = minflt_now();
	pfn0 = pagemap_entry(addr) & PM_PFRAME_MASK;
	*addr = val;
	pfn1 = pagemap_entry(addr) & PM_PFRAME_MASK;
	f1 = minflt_now();
	return pfn1 != pfn0 ? -1 : f1 - f0;
}

/* Does the write of val at addr take `want` faults and keep its frame (no copy)? */
static bool write_faults(volatile char *addr, char val, long want)
{
	long got = faults_of_write(addr, val);

	if (got != want)
		diag("write at %p: %ld faults (-1: a copy), want %ld", (void *)addr, got, want);
	return got == want;
}

/*
 * clear_refs 4.  The test's own memory is cleared too: the library's buffers are written
 * again now (mthp_prefault, folios_prefault), not in a stretch faults_of_write counts.
 */
static int clear_soft_dirty(void)
{
	int ret = sysfs_write("/proc/self/clear_refs", "4");

	mthp_prefault();
	folios_prefault();
	return ret;
}

/* Is the page at p in a folio of `order` mapped `mapcount` times (foliOS only; true elsewhere)? */
static bool folio_is(const void *p, unsigned int order, int mapcount, bool pmd)
{
	struct folio_run r;

	if (!folios)
		return true;
	if (folio_at(p, &r))
		return false;
	return r.order == order && r.mapcount == mapcount && !!(r.flags & FOLIO_RUN_PMD) == pmd;
}

/* ---- the cases (each returns its failed checks; in a child on foliOS) ---- */

static int simple(void *arg)
{
	char *p = bench_map_aligned(BLK, BLK);
	int fails = 0, bad = 0;

	(void)arg;
	p[0] = 1;
	fails += expect(soft_dirty(p) == 1, "simple: a written page is soft-dirty");
	fails += expect(clear_soft_dirty() == 0, "simple: clear_refs 4 is accepted");
	fails += expect(soft_dirty(p) == 0, "simple: clear_refs 4 clears it");
	fails += expect(*(volatile char *)p == 1 && soft_dirty(p) == 0, "simple: a read leaves it clear");
	for (int i = 0; i < 8; i++) {
		p[0] = (char)(i + 2);
		bad += soft_dirty(p) != 1;
		clear_soft_dirty();
		bad += soft_dirty(p) != 0;
	}
	fails += expect(!bad, "simple: write, clear, 8 rounds: set after each write, clear after each clear");
	fails += expect(write_faults(p, 10, 1), "simple: a write after a clear is one fault, no copy");
	fails += expect(p[0] == 10 && folio_is(p, 0, 1, false), "simple: the data and the order-0 folio kept");
	munmap(p, BLK);
	return fails;
}

static int vma(void *arg)
{
	char *p = bench_map_aligned(8 * PG, PG), *q;
	int fails = 0;

	(void)arg;
	munmap(p + 4 * PG, 4 * PG);	/* room for the neighbour below */
	fails += expect(soft_dirty_pages(p, 4) == 4, "vma: a new mapping reads soft-dirty, untouched");
	(void)*(volatile char *)(p + PG);
	p[2 * PG] = 1;
	clear_soft_dirty();
	fails += expect(soft_dirty_pages(p, 4) == 0, "vma: after clear_refs 4 no page is soft-dirty");
	munmap(p, 4 * PG);
	q = mmap(p, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	fails += expect(q == p && soft_dirty_pages(p, 4) == 4, "vma: mapped again at the same place: soft-dirty");
	clear_soft_dirty();
	q = mmap(p + 4 * PG, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
		 -1, 0);
	fails += expect(q == p + 4 * PG && soft_dirty_pages(p + 4 * PG, 4) == 4,
			"vma: a new neighbour reads soft-dirty");
	fails += expect(soft_dirty_pages(p, 4) == 4, "vma: and so does the mapping it merged with");
	munmap(p, 8 * PG);
	return fails;
}

static int mprotect_case(void *arg)
{
	char *p = bench_map_aligned(PG, PG);
	int fails = 0;

	(void)arg;
	p[0] = 1;
	clear_soft_dirty();
	fails += expect(soft_dirty(p) == 0, "mprotect: clear after a write");
	fails += expect(mprotect(p, PG, PROT_READ) == 0 && soft_dirty(p) == 0, "mprotect: PROT_READ: still clear");
	fails += expect(mprotect(p, PG, PROT_READ | PROT_WRITE) == 0 && soft_dirty(p) == 0,
			"mprotect: PROT_READ|PROT_WRITE: still clear");
	fails += expect(write_faults(p, 2, 1), "mprotect: the next write is one fault, no copy");
	fails += expect(soft_dirty(p) == 1, "mprotect: and it is seen");
	fails += expect(mprotect(p, PG, PROT_READ) == 0 && soft_dirty(p) == 1 && p[0] == 2,
			"mprotect: PROT_READ keeps the bit and the data");
	munmap(p, PG);
	return fails;
}

static int mremap_case(void *arg)
{
	char *p = bench_map_aligned(8 * PG, PG), *to = bench_map_aligned(8 * PG, PG), *q;
	int fails = 0;

	(void)arg;
	memset(p, 5, 8 * PG);
	clear_soft_dirty();
	fails += expect(soft_dirty_pages(p, 8) == 0, "mremap: clear before the move");
	q = mremap(p, 8 * PG, 8 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, to);
	fails += expect(q == to && soft_dirty_pages(q, 8) == 8, "mremap: every moved page reads soft-dirty");
	fails += expect(q == to && q[0] == 5 && q[8 * PG - 1] == 5, "mremap: the data moved");
	munmap(to, 8 * PG);
	return fails;
}

/*
 * fork's child: the parent's bits, and its own writes mark its own pages.  It opens its
 * own pagemap: on Linux an open pagemap reads the mm it was opened in (the parent's).
 */
static int fork_child(void *arg)
{
	char *p = arg;

	close(pagemap);
	pagemap = open("/proc/self/pagemap", O_RDONLY);
	if (soft_dirty(p) != 0 || soft_dirty(p + PG) != 1)
		return 1;
	p[0] = 3;
	return soft_dirty(p) == 1 && soft_dirty(p + PG) == 1 && soft_dirty(p + 2 * PG) == 0 ? 0 : 2;
}

static int fork_case(void *arg)
{
	char *p = bench_map_aligned(3 * PG, PG);
	int fails = 0, status;

	(void)arg;
	memset(p, 1, 3 * PG);
	clear_soft_dirty();
	p[PG] = 2;
	status = run_child(fork_child, p);
	fails += expect(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			"fork: the child has the parent's bits; its write marks its page");
	fails += expect(soft_dirty(p) == 0 && soft_dirty(p + PG) == 1 && soft_dirty(p + 2 * PG) == 0,
			"fork: the parent's bits as they were");
	p[2 * PG] = 4;
	fails += expect(soft_dirty_pages(p, 3) == 2 && p[0] == 1, "fork: the parent's write marks its page");
	munmap(p, 3 * PG);
	return fails;
}

static int shared(void *arg)
{
	char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int fails = 0;

	(void)arg;
	if (p == MAP_FAILED)
		return expect(false, "shared: mmap MAP_SHARED|MAP_ANONYMOUS");
	p[0] = 1;
	fails += expect(soft_dirty(p) == 1, "shared: a written page is soft-dirty");
	clear_soft_dirty();
	fails += expect(soft_dirty_pages(p, 4) == 0, "shared: clear_refs 4 clears the shared pages");
	fails += expect(*(volatile char *)(p + PG) == 0 && soft_dirty(p + PG) == 0,
			"shared: a read fault maps a page clean");
	fails += expect(write_faults(p + PG, 2, 1) && soft_dirty(p + PG) == 1,
			"shared: then a write is one fault, on the object's page (no copy), and marks it");
	fails += expect(write_faults(p, 3, 1) && soft_dirty_pages(p, 4) == 2,
			"shared: a page written before the clear faults again, the others stay clean");
	munmap(p, 4 * PG);
	return fails;
}

static int large_64k(void *arg)
{
	char *p = bench_map_aligned(BLK, BLK);
	int fails = 0;

	(void)arg;
	memset(p, 6, BLK);
	fails += expect(folio_is(p, 4, 16, false), "64k: one order-4 folio");
	clear_soft_dirty();
	fails += expect(soft_dirty_pages(p, 16) == 0, "64k: clear_refs 4 clears all 16 pages");
	fails += expect(write_faults(p + 3 * PG, 7, 1), "64k: a write after the clear: one fault, no copy");
	fails += expect(soft_dirty_pages(p, 16) == CONT_PAGES && soft_dirty(p + 3 * PG) == 1,
			"64k: it marks its page (arm64: its contiguous block)");
	fails += expect(write_faults(p + 5 * PG, 7, CONT_PAGES == 1),
			"64k: a second page: x86_64 faults again, arm64's block is writable already");
	fails += expect(soft_dirty_pages(p, 16) == (CONT_PAGES == 1 ? 2 : 16), "64k: the second page marked");
	fails += expect(folio_is(p, 4, 16, false) && p[0] == 6 && p[3 * PG] == 7, "64k: the folio stays order 4");
	munmap(p, BLK);
	return fails;
}

static int pmd(void *arg)
{
	char *p = bench_map_aligned(PMD, PMD);
	int fails = 0;

	(void)arg;
	p[0] = 1;
	if (!folio_is(p, 9, 512, true)) {
		munmap(p, PMD);
		return expect(false, "pmd: a PMD-mapped 2M folio");
	}
	clear_soft_dirty();
	fails += expect(soft_dirty_pages(p, 512) == 0, "pmd: clear_refs 4 clears the block");
	fails += expect(write_faults(p + PMD / 2, 2, 1) && folio_is(p, 9, 512, true),
			"pmd: a write is one fault, no copy, the block still PMD-mapped");
	fails += expect(soft_dirty_pages(p, 512) == 512, "pmd: it marks all 512 pages");
	fails += expect(madvise(p, PG, MADV_DONTNEED) == 0 && soft_dirty(p) == 0 &&
			soft_dirty_pages(p + PG, 511) == 511, "pmd: split into PTEs, the bits kept per page");
	clear_soft_dirty();
	fails += expect(write_faults(p + 100 * PG, 3, 1) && folio_is(p + PG, 9, 511, false) && p[PMD / 2] == 2,
			"pmd: after the next clear a write is one fault, no copy; the order-9 folio kept");
	fails += expect(soft_dirty_pages(p, 512) == CONT_PAGES && soft_dirty(p + 100 * PG) == 1,
			"pmd: it marks its page (arm64: its block)");
	munmap(p, PMD);
	return fails;
}

static const struct {
	const char *name;
	int (*fn)(void *);
	int order;	/* foliOS: the one large order set to always (-1: none); 64k/pmd are foliOS-only */
} cases[] = {
	{ "simple", simple, -1 }, { "vma", vma, -1 }, { "mprotect", mprotect_case, -1 },
	{ "mremap", mremap_case, -1 }, { "fork", fork_case, -1 }, { "shared", shared, -1 },
	{ "64k", large_64k, 4 }, { "pmd", pmd, 9 },
};

/* Does the kernel track soft-dirty at all?  A new mapping's written page reads it. */
static bool soft_dirty_supported(void)
{
	char *p = bench_map_aligned(PG, PG);
	bool yes = p && (p[0] = 1, soft_dirty(p) == 1);

	if (p)
		munmap(p, PG);
	return yes;
}

static int (*case_fn)(void *);

/*
 * A case in its own child (foliOS): it opens its own pagemap first, since an open
 * /proc/<pid>/pagemap reads the process it was opened for (Linux's: the mm of the open).
 */
static int child_case(void *arg)
{
	close(pagemap);
	pagemap = open("/proc/self/pagemap", O_RDONLY);
	return case_fn(arg);
}

int main(int argc, char **argv)
{
	folios = on_foliOS();
	pagemap = open("/proc/self/pagemap", O_RDONLY);
	if (!ok(pagemap >= 0, "open /proc/self/pagemap"))
		return done_testing();
	if (!soft_dirty_supported()) {
		if (folios)
			ok(0, "foliOS tracks soft-dirty");
		else
			skip("kernel without soft-dirty tracking (CONFIG_MEM_SOFT_DIRTY)");
		return done_testing();
	}
	if (folios) {
		if (thp_knobs_save(&saved)) {
			ok(0, "save the THP knobs");
			return done_testing();
		}
		folios_prefault();
	}
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (!test_selected(argc, argv, cases[i].name) || (!folios && cases[i].order >= 0))
			continue;
		if (folios && (cases[i].order < 0 ? thp_only_mask(0, "never") : thp_only(cases[i].order, "always"))) {
			ok(0, "%s: set the THP sizes", cases[i].name);
			continue;
		}
		if (folios) {
			case_fn = cases[i].fn;
			run_child_case(cases[i].name, child_case);
		}
		else
			cases[i].fn(NULL);
	}
	if (folios)
		thp_knobs_restore(&saved);
	close(pagemap);
	return done_testing();
}
