/*
 * folio_test: variable-order anonymous folios, checked exactly through foliOS's
 * /proc/self/folios and Linux's mTHP knobs and counters (docs/mm/anon-faults.md).
 *
 *   folio_test            every test
 *   folio_test NAME...    only those (names: see `tests[]` below, e.g. `folio_test race cow`)
 *
 * foliOS only: on another kernel it prints "ok 1 - # SKIP not foliOS" and exits 0.
 * Every test sets the knobs it needs and puts back what it found (thp_knobs_save/restore);
 * the last check is that every knob reads as it did before the first test.
 *
 * Test VMAs are placed inside a PROT_NONE reservation (guard pages on both sides), so they
 * never merge with a neighbour and their bounds are exactly what the test says. Addresses
 * below are offsets from a 2 MiB-aligned base unless stated otherwise.
 *
 * A forked child reports through its exit status (its ok() counters are copies); it prints
 * "# child: ..." lines for what failed. Parent and child synchronise without pipes or
 * signal handlers (foliOS has neither yet): folios.h's folio_chan.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <folios.h>
#include <mthp.h>
#include <test.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define PG		4096UL
#define SZ(k)		(PG << (k))
#define PMD_SIZE	(2UL << 20)
#define ALL_ORDERS	0x3feU		/* orders 1..9 */

static struct thp_knobs saved;
static int nsetup_fail;

/* ---------------------------------------------------------------- regions */

struct region {
	char *res;		/* the PROT_NONE reservation */
	size_t res_len;
	char *p;		/* the test VMA */
	size_t len;
};

/* A private anonymous RW VMA of len bytes starting `offset` past an `align`-aligned
 * address, with PROT_NONE guards around it. extra: more mmap flags (MAP_POPULATE). */
static int region_map(struct region *r, size_t len, size_t align, size_t offset, int extra)
{
	r->res_len = PG + align + offset + len + PG;
	r->res = mmap(NULL, r->res_len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	r->p = NULL;
	r->len = len;
	if (r->res == MAP_FAILED)
		return -1;
	unsigned long a = ((unsigned long)r->res + PG + align - 1) & ~(align - 1);
	char *want = (char *)(a + offset);
	r->p = mmap(want, len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | extra, -1, 0);
	if (r->p != want) {
		munmap(r->res, r->res_len);
		r->p = NULL;
		return -1;
	}
	return 0;
}

static void region_unmap(struct region *r)
{
	if (r->res && r->res != MAP_FAILED)
		munmap(r->res, r->res_len);
	r->res = NULL;
	r->p = NULL;
}

/* base: the aligned address the region was built from (p - offset). */
#define BASE(r, offset) ((r)->p - (offset))

static void touch(volatile char *p)
{
	*p = 1;
}

/* ---------------------------------------------------------------- knobs */

static void setup_failed(const char *test, const char *what)
{
	nsetup_fail++;
	ok(0, "%s: setup: %s # errno %d (%s)", test, what, errno, strerror(errno));
}

/* Put the knobs back as found; report only a failure. */
static void restore(const char *test)
{
	if (thp_knobs_restore(&saved) < 0)
		ok(0, "%s: knobs restored # errno %d (%s)", test, errno, strerror(errno));
}

/* Only the orders in mask are "always"; everything else never; allow_order1 as given. */
static int set_only(const char *test, unsigned int mask, int allow_order1)
{
	if (folio_knob_set("allow_order1", allow_order1) < 0) {
		setup_failed(test, "write /sys/kernel/mm/folio/allow_order1");
		return -1;
	}
	if (thp_only_mask(mask, "always") < 0) {
		setup_failed(test, "write hugepages-*/enabled");
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------- expectations */

/* Check the run covering addr. mapcount/ref < 0: not checked. rmap must equal mapcount.
 * Returns 1 if it matches, else 0 with the reason in why. */
static int check_run(const void *addr, unsigned long start, unsigned int order,
		     unsigned long pages, int mapcount, int ref, unsigned int must,
		     unsigned int mustnot, char *why, size_t len)
{
	struct folio_run r;
	char s[200];
	int e = folio_at(addr, &r);

	if (e == -1) {
		snprintf(why, len, "%s unreadable (errno %d)", PROC_FOLIOS_PATH, errno);
		return 0;
	}
	if (e == -2) {
		snprintf(why, len, "%s has a malformed line", PROC_FOLIOS_PATH);
		return 0;
	}
	if (e == -3) {
		snprintf(why, len, "no run covers %p", addr);
		return 0;
	}
	folio_run_str(&r, s, sizeof(s));
	if (r.start != start || r.order != order || r.pages != pages ||
	    r.end != r.start + r.pages * PG ||
	    (mapcount >= 0 && r.mapcount != mapcount) || r.rmap != r.mapcount ||
	    (ref >= 0 && r.ref != ref) || (r.flags & must) != must || (r.flags & mustnot) ||
	    (r.flags & FOLIO_RUN_UNKNOWN)) {
		snprintf(why, len, "got %s; want start %#lx order %u pages %lu mapcount %d rmap=mapcount "
			 "ref %d flags+%#x-%#x", s, start, order, pages, mapcount, ref, must, mustnot);
		return 0;
	}
	return 1;
}

static int expect_run(const void *addr, unsigned long start, unsigned int order,
		      unsigned long pages, int mapcount, int ref, unsigned int must,
		      unsigned int mustnot, const char *fmt, ...) __attribute__((format(printf, 9, 10)));
static int expect_run(const void *addr, unsigned long start, unsigned int order,
		      unsigned long pages, int mapcount, int ref, unsigned int must,
		      unsigned int mustnot, const char *fmt, ...)
{
	char name[256], why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	int good = check_run(addr, start, order, pages, mapcount, ref, must, mustnot, why, sizeof(why));
	return good ? ok(1, "%s", name) : ok(0, "%s # %s", name, why);
}

/* A fresh, exclusively mapped anon folio of `order` holding addr: naturally aligned,
 * every page mapped once, refcount = pages. */
#define FRESH_MUST	(FOLIO_RUN_ANON | FOLIO_RUN_WRITABLE)
#define FRESH_MUSTNOT	(FOLIO_RUN_ZERO | FOLIO_RUN_SHARED | FOLIO_RUN_PARTIALLY_MAPPED | FOLIO_RUN_LAZYFREE)
#define expect_fresh(addr, order, ...) \
	expect_run((addr), (unsigned long)(addr) & ~(SZ(order) - 1), (order), 1UL << (order), \
		   1 << (order), 1 << (order), FRESH_MUST, FRESH_MUSTNOT, __VA_ARGS__)


/* Per-size counter snapshot. */
struct stats {
	long alloc[MTHP_MAX_ORDER + 1], fallback[MTHP_MAX_ORDER + 1], nr_anon[MTHP_MAX_ORDER + 1];
	long partial[MTHP_MAX_ORDER + 1], deferred[MTHP_MAX_ORDER + 1];
	long split[MTHP_MAX_ORDER + 1], split_failed[MTHP_MAX_ORDER + 1];
};

static int stats_read(struct stats *s)
{
	int e = 0;

	e |= mthp_stat_all("anon_fault_alloc", s->alloc);
	e |= mthp_stat_all("anon_fault_fallback", s->fallback);
	e |= mthp_stat_all("nr_anon", s->nr_anon);
	e |= mthp_stat_all("nr_anon_partially_mapped", s->partial);
	e |= mthp_stat_all("split_deferred", s->deferred);
	e |= mthp_stat_all("split", s->split);
	e |= mthp_stat_all("split_failed", s->split_failed);
	return e;
}

/* "1:0 2:1 ..." of b - a for orders 1..9. */
static char *delta_str(const long *a, const long *b, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = 0;
	for (unsigned int k = 1; k <= MTHP_MAX_ORDER && n < len; k++)
		n += snprintf(buf + n, len - n, "%s%s:%ld", k > 1 ? " " : "", mthp_size_name(k), b[k] - a[k]);
	return buf;
}

/* Every order's delta b - a equals want[k]. */
static int expect_deltas(const long *a, const long *b, const long *want, const char *name)
{
	char got[200], exp[200];
	long zero[MTHP_MAX_ORDER + 1] = { 0 };
	int good = 1;

	for (unsigned int k = 1; k <= MTHP_MAX_ORDER; k++)
		good &= a[k] >= 0 && b[k] >= 0 && b[k] - a[k] == want[k];
	if (good)
		return ok(1, "%s", name);
	return ok(0, "%s # deltas %s; want %s", name, delta_str(a, b, got, sizeof(got)),
		  delta_str(zero, want, exp, sizeof(exp)));
}

/* ---------------------------------------------------------------- tests */

/* Each size enabled alone: an aligned 2 MiB VMA, one write at 0x123000 gives a folio of
 * exactly that order at the naturally aligned block; counters move by exactly one. */
static void t_order_each_size(void)
{
	const char *T = "order";
	const unsigned long off = 0x123000;

	for (unsigned int k = 1; k <= MTHP_MAX_ORDER; k++) {
		struct region r;
		struct stats s0, s1, s2;
		char vname[32];

		if (set_only(T, 1U << k, 1) < 0)
			break;
		if (region_map(&r, PMD_SIZE, PMD_SIZE, 0, 0) < 0) {
			setup_failed(T, "mmap");
			break;
		}
		snprintf(vname, sizeof(vname), "pgalloc_order_%u", k);
		stats_read(&s0);
		long pga0 = vmstat_get(vname), thp0 = vmstat_get("thp_fault_alloc");
		long anon0 = vmstat_get("nr_anon_pages"), ap0 = meminfo_kb("AnonPages");
		touch(r.p + off);
		long pga1 = vmstat_get(vname), thp1 = vmstat_get("thp_fault_alloc");
		long anon1 = vmstat_get("nr_anon_pages"), ap1 = meminfo_kb("AnonPages");
		stats_read(&s1);

		char *blk = r.p + (off & ~(SZ(k) - 1));
		expect_fresh(r.p + off, k, "%s: %s alone, aligned VMA: write at +%#lx -> order %u at +%#lx",
			     T, mthp_size_name(k), off, k, off & ~(SZ(k) - 1));
		struct folio_run fr;
		ok((blk == r.p || folio_at(blk - PG, &fr) == -3) &&
		   (blk + SZ(k) == r.p + r.len || folio_at(blk + SZ(k), &fr) == -3),
		   "%s: %s: the pages just outside the block stay unmapped", T, mthp_size_name(k));
		long want[MTHP_MAX_ORDER + 1] = { 0 };
		want[k] = 1;
		char name[96];
		snprintf(name, sizeof(name), "%s: %s: anon_fault_alloc +1 for %s only", T, mthp_size_name(k), mthp_size_name(k));
		expect_deltas(s0.alloc, s1.alloc, want, name);
		snprintf(name, sizeof(name), "%s: %s: nr_anon +1 for %s only", T, mthp_size_name(k), mthp_size_name(k));
		expect_deltas(s0.nr_anon, s1.nr_anon, want, name);
		memset(want, 0, sizeof(want));
		snprintf(name, sizeof(name), "%s: %s: no anon_fault_fallback", T, mthp_size_name(k));
		expect_deltas(s0.fallback, s1.fallback, want, name);
		is(pga1 - pga0, 1, "/proc/vmstat pgalloc_order_k +1");
		is(thp1 - thp0, k == 9, "/proc/vmstat thp_fault_alloc counts PMD-size folios only");
		is(anon1 - anon0, 1L << k, "/proc/vmstat nr_anon_pages +pages");
		is(ap1 - ap0, 4L << k, "/proc/meminfo AnonPages +size in kB");

		region_unmap(&r);
		stats_read(&s2);
		memset(want, 0, sizeof(want));
		snprintf(name, sizeof(name), "%s: %s: munmap: nr_anon back to the start", T, mthp_size_name(k));
		expect_deltas(s0.nr_anon, s2.nr_anon, want, name);
		is(vmstat_get("nr_anon_pages"), anon0, "munmap: nr_anon_pages back to the start");
	}
	restore(T);
}

struct touch_want {
	unsigned long off;	/* from the 2 MiB-aligned base */
	unsigned int order;	/* expected folio order */
};

/* Write the offsets in order; expect each fresh folio. Returns the per-order counts. */
static void touch_and_expect(const char *T, char *base, const struct touch_want *tw, int n,
			     long counts[MTHP_MAX_ORDER + 1], int do_touch)
{
	for (int i = 0; i < n; i++) {
		if (do_touch)
			touch(base + tw[i].off);
		expect_fresh(base + tw[i].off, tw[i].order, "%s: +%#lx -> %s", T, tw[i].off,
			     mthp_size_name(tw[i].order));
		if (counts)
			counts[tw[i].order]++;
	}
}

/* VMA [base+4K, base+2M-12K) with every size on: the folios at the edges are exactly as
 * large as natural alignment and the VMA bounds allow (a binary decomposition). */
static const struct touch_want unaligned_layout[] = {
	{ 0x001000, 0 }, { 0x002000, 1 }, { 0x004000, 2 }, { 0x008000, 3 }, { 0x010000, 4 },
	{ 0x020000, 5 }, { 0x040000, 6 }, { 0x080000, 7 }, { 0x100000, 7 }, { 0x180000, 6 },
	{ 0x1c0000, 5 }, { 0x1e0000, 4 }, { 0x1f0000, 3 }, { 0x1f8000, 2 }, { 0x1fc000, 0 },
};
#define UNALIGNED_OFF	0x1000UL
#define UNALIGNED_LEN	(PMD_SIZE - 0x4000UL)

static void t_unaligned(void)
{
	const char *T = "unaligned";
	struct region r;
	struct stats s0, s1;
	long counts[MTHP_MAX_ORDER + 1] = { 0 };
	int n = sizeof(unaligned_layout) / sizeof(unaligned_layout[0]);

	if (set_only(T, ALL_ORDERS, 1) < 0 || region_map(&r, UNALIGNED_LEN, PMD_SIZE, UNALIGNED_OFF, 0) < 0) {
		setup_failed(T, "knobs or mmap");
		restore(T);
		return;
	}
	stats_read(&s0);
	touch_and_expect("unaligned VMA [+0x1000,+0x1fd000), all sizes", BASE(&r, UNALIGNED_OFF),
			 unaligned_layout, n, counts, 1);
	stats_read(&s1);
	is(folios_in_range((unsigned long)r.p, (unsigned long)r.p + r.len, NULL, 0), n,
	   "unaligned: exactly 15 runs cover the VMA (508 pages)");
	counts[0] = 0;
	expect_deltas(s0.alloc, s1.alloc, counts, "unaligned: anon_fault_alloc per size matches the folios");
	region_unmap(&r);

	/* The VMA end on its own: 64K alone, VMA [base, base+100K). */
	if (set_only(T, 1U << 4, 1) == 0 && region_map(&r, 100 << 10, PMD_SIZE, 0, 0) == 0) {
		touch(r.p + (96 << 10));
		expect_fresh(r.p + (96 << 10), 0, "VMA end: 64K alone, 100K VMA: write at +96K -> 4K (block passes the end)");
		touch(r.p + (64 << 10));
		expect_fresh(r.p + (64 << 10), 0, "VMA end: write at +64K -> 4K (same block)");
		touch(r.p + (4 << 10));
		expect_fresh(r.p + (4 << 10), 4, "VMA end: write at +4K -> 64K at +0");
		region_unmap(&r);
	}
	restore(T);
}

/* VMA [base+1M, base+3M): 2 MiB long but straddling a PTE table boundary. */
static void t_pte_table(void)
{
	const char *T = "pte-table";
	struct region r;
	struct stats s0, s1;

	if (set_only(T, ALL_ORDERS, 1) < 0 || region_map(&r, PMD_SIZE, PMD_SIZE, PMD_SIZE / 2, 0) < 0) {
		setup_failed(T, "knobs or mmap");
		restore(T);
		return;
	}
	char *base = BASE(&r, PMD_SIZE / 2);
	touch(base + PMD_SIZE - PG);
	expect_fresh(base + PMD_SIZE - PG, 8, "%s: VMA [+1M,+3M), all sizes: write at +2M-4K -> 1M at +1M", T);
	touch(base + PMD_SIZE);
	expect_fresh(base + PMD_SIZE, 8, "%s: write at +2M -> 1M at +2M (never one folio across two tables)", T);
	region_unmap(&r);

	if (set_only(T, 1U << 9, 1) == 0 && region_map(&r, PMD_SIZE, PMD_SIZE, PMD_SIZE / 2, 0) == 0) {
		base = BASE(&r, PMD_SIZE / 2);
		stats_read(&s0);
		touch(base + PMD_SIZE + PG);
		stats_read(&s1);
		expect_fresh(base + PMD_SIZE + PG, 0, "%s: 2M alone, same VMA: no 2M block fits -> 4K", T);
		is(s1.alloc[9] - s0.alloc[9], 0, "pte-table: 2M anon_fault_alloc +0");
		is(s1.fallback[9] - s0.fallback[9], 0, "pte-table: 2M anon_fault_fallback +0 (not tried, not a failure)");
		region_unmap(&r);
	}
	restore(T);
}

/* One page populated first (large sizes off), then every size on: each neighbour gets the
 * highest order whose aligned block is all none. */
static void t_prepopulated(void)
{
	const char *T = "prepopulated";
	static const struct touch_want tw[] = {
		{ 0x24000, 0 }, { 0x26000, 1 }, { 0x28000, 3 }, { 0x20000, 2 }, { 0x30000, 4 },
		{ 0x40000, 6 }, { 0x80000, 7 }, { 0x100000, 8 }, { 0x00000, 5 },
	};
	struct region r;

	if (set_only(T, 0, 1) < 0 || region_map(&r, PMD_SIZE, PMD_SIZE, 0, 0) < 0) {
		setup_failed(T, "knobs or mmap");
		restore(T);
		return;
	}
	touch(r.p + 0x25000);
	expect_fresh(r.p + 0x25000, 0, "%s: every size never: write at +0x25000 -> 4K", T);
	if (set_only(T, ALL_ORDERS, 1) == 0)
		touch_and_expect("prepopulated: then all sizes", r.p, tw, sizeof(tw) / sizeof(tw[0]), NULL, 1);
	expect_fresh(r.p + 0x25000, 0, "%s: the first page is still its own 4K folio", T);
	region_unmap(&r);
	restore(T);
}

/* top-level x per-size x VMA advice, exactly as Linux combines them, with 64K. */
static void t_policy_matrix(void)
{
	const char *T = "policy";
	static const char *const tops[] = { "always", "madvise", "never" };
	static const char *const sizes[] = { "always", "inherit", "madvise", "never" };
	static const char *const vmas[] = { "plain", "MADV_HUGEPAGE", "MADV_NOHUGEPAGE" };

	if (set_only(T, 0, 1) < 0) {
		restore(T);
		return;
	}
	for (int t = 0; t < 3; t++) {
		for (int s = 0; s < 4; s++) {
			for (int v = 0; v < 3; v++) {
				struct region r;
				int huge = v == 1, nohuge = v == 2;
				int allowed = !nohuge &&
					(s == 0 || (s == 2 && huge) ||
					 (s == 1 && (t == 0 || (t == 1 && huge))));

				if (thp_set_top(tops[t]) < 0 || mthp_set(4, sizes[s]) < 0) {
					setup_failed(T, "write enabled");
					restore(T);
					return;
				}
				if (region_map(&r, 128 << 10, PMD_SIZE, 0, 0) < 0) {
					setup_failed(T, "mmap");
					restore(T);
					return;
				}
				if (v && madvise(r.p, r.len, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE) < 0)
					setup_failed(T, "madvise");
				touch(r.p + PG);
				expect_fresh(r.p + PG, allowed ? 4 : 0, "%s: top=%s 64K=%s %s -> %s", T,
					     tops[t], sizes[s], vmas[v], allowed ? "64K" : "4K");
				region_unmap(&r);
			}
		}
	}
	restore(T);
}

/* Physical memory fragmented: each allowed order fails once (counted), the fault ends at
 * order 0; released: large folios again. */
static void t_fallback(void)
{
	const char *T = "fallback";
	struct region r;
	struct stats s0, s1;
	long want[MTHP_MAX_ORDER + 1] = { 0 };

	if (set_only(T, ALL_ORDERS, 1) < 0 || region_map(&r, PMD_SIZE, PMD_SIZE, 0, 0) < 0) {
		setup_failed(T, "knobs or mmap");
		restore(T);
		return;
	}
	stats_read(&s0);
	long tf0 = vmstat_get("thp_fault_fallback");
	if (folio_knob_set("fragment", 1) < 0) {
		setup_failed(T, "write /sys/kernel/mm/folio/fragment");
	} else {
		touch(r.p + 0x30000);
		folio_knob_set("fragment", 0);
		stats_read(&s1);
		expect_fresh(r.p + 0x30000, 0, "%s: fragmented, all sizes: write -> 4K", T);
		for (int k = 1; k <= MTHP_MAX_ORDER; k++)
			want[k] = 1;
		expect_deltas(s0.fallback, s1.fallback, want, "fallback: anon_fault_fallback +1 for every size 8K..2M");
		memset(want, 0, sizeof(want));
		expect_deltas(s0.alloc, s1.alloc, want, "fallback: anon_fault_alloc +0");
		expect_deltas(s0.nr_anon, s1.nr_anon, want, "fallback: nr_anon +0");
		is(vmstat_get("thp_fault_fallback") - tf0, 1, "fallback: /proc/vmstat thp_fault_fallback +1 (the 2M try)");
		is(folio_knob_get("fragment"), 0, "fallback: fragment reads 0 after writing 0");
		touch(r.p + 0x100000);
		expect_fresh(r.p + 0x100000, 8, "%s: released: write at +1M -> 1M", T);
	}
	region_unmap(&r);

	/* 64K alone: only 64K fails. */
	if (set_only(T, 1U << 4, 1) == 0 && region_map(&r, PMD_SIZE, PMD_SIZE, 0, 0) == 0) {
		stats_read(&s0);
		if (folio_knob_set("fragment", 1) == 0) {
			touch(r.p);
			folio_knob_set("fragment", 0);
			stats_read(&s1);
			expect_fresh(r.p, 0, "%s: fragmented, 64K alone -> 4K", T);
			memset(want, 0, sizeof(want));
			want[4] = 1;
			expect_deltas(s0.fallback, s1.fallback, want, "fallback: anon_fault_fallback +1 for 64K only");
		}
		region_unmap(&r);
	}
	restore(T);
}

/* ru_minflt per MiB written: one fault per folio. */
static long faults_for(unsigned int mask, size_t len)
{
	struct region r;

	if (set_only("faults", mask, 1) < 0 || region_map(&r, len, PMD_SIZE, 0, 0) < 0)
		return -1;
	long f0 = minflt_now();
	for (size_t off = 0; off < len; off += PG)
		r.p[off] = 1;
	long f1 = minflt_now();
	region_unmap(&r);
	return f1 - f0;
}

static void t_faults_per_mib(void)
{
	is(faults_for(1U << 4, 1 << 20), 16, "faults: 1 MiB written with 64K alone: 16 faults");
	is(faults_for(0, 1 << 20), 256, "faults: 1 MiB written with every size never: 256 faults");
	is(faults_for(1U << 2, 1 << 20), 64, "faults: 1 MiB written with 16K alone: 64 faults");
	is(faults_for(1U << 9, 2 << 20), 1, "faults: 2 MiB written with 2M alone: 1 fault");
	restore("faults");
}

/* Read faults map the zero page; a later write gets an order-0 folio; zero-page PTEs are
 * not none, so a block holding one cannot become a large folio. */
static void t_zero_page(void)
{
	const char *T = "zeropage";
	struct region r;
	volatile char *p;
	long sum = 0;

	if (set_only(T, 1U << 4, 1) < 0 || region_map(&r, 256 << 10, PMD_SIZE, 0, 0) < 0) {
		setup_failed(T, "knobs or mmap");
		restore(T);
		return;
	}
	p = r.p;
	long f0 = minflt_now();
	for (int i = 0; i < 4; i++)
		sum += p[i * PG];
	long f1 = minflt_now();
	is(sum, 0, "zeropage: reads give 0");
	is(f1 - f0, 4, "zeropage: 64K on: 4 page reads = 4 faults (reads never allocate)");
	expect_run(r.p, (unsigned long)r.p, 0, 4, -1, -1, FOLIO_RUN_ZERO, FOLIO_RUN_ANON | FOLIO_RUN_WRITABLE,
		   "%s: 4 reads -> one zero-page run of 4 PTEs, order 0, read-only", T);
	f0 = minflt_now();
	p[PG + 7] = 5;
	f1 = minflt_now();
	is(f1 - f0, 1, "zeropage: write to a zero-page PTE: 1 fault");
	expect_fresh(r.p + PG, 0, "%s: the write gets an order-0 folio", T);
	expect_run(r.p, (unsigned long)r.p, 0, 1, -1, -1, FOLIO_RUN_ZERO, FOLIO_RUN_ANON, "%s: +0 still the zero page", T);
	expect_run(r.p + 2 * PG, (unsigned long)r.p + 2 * PG, 0, 2, -1, -1, FOLIO_RUN_ZERO, FOLIO_RUN_ANON,
		   "%s: +8K..+16K still the zero page", T);
	is(p[PG + 7] + p[PG + 6] + p[0], 5, "zeropage: the written byte reads back, the rest 0");
	touch(r.p + 4 * PG);
	expect_fresh(r.p + 4 * PG, 0, "%s: write at +16K: its 64K block holds zero-page PTEs -> 4K", T);
	touch(r.p + 64 * 1024 + PG);
	expect_fresh(r.p + 64 * 1024 + PG, 4, "%s: write at +68K: block all none -> 64K", T);
	region_unmap(&r);
	restore(T);
}

/* The expected order for a write at off (from the aligned base, VMA [base, base+len))
 * given that the pages in popul[] are populated: the RFC's rule. */
static unsigned int rule_order(unsigned long off, unsigned long len, unsigned int mask,
			       const unsigned long *popul, int npop)
{
	for (int k = MTHP_MAX_ORDER; k >= 1; k--) {
		if (!(mask & (1U << k)))
			continue;
		unsigned long s = off & ~(SZ(k) - 1), e = s + SZ(k);
		int clear = e <= len;
		for (int i = 0; i < npop && clear; i++)
			clear = popul[i] < s || popul[i] >= e;
		if (clear)
			return k;
	}
	return 0;
}

/* fault_race_inject: a PTE of the chosen range is populated between the order choice and
 * the PTE lock; the re-check fails, the fault retries lower, nothing leaks. */
static void t_race(void)
{
	const char *T = "race";
	struct region r;
	struct stats s0, s1, s2;
	const unsigned long off = 0x140000;

	if (set_only(T, ALL_ORDERS, 1) < 0) {
		restore(T);
		return;
	}
	is(folio_knob_get("fault_race_inject"), 0, "race: fault_race_inject reads 0 at rest");
	/* Control run without injection (also warms up page tables and slab). */
	if (region_map(&r, PMD_SIZE, PMD_SIZE, 0, 0) < 0) {
		setup_failed(T, "mmap");
		restore(T);
		return;
	}
	touch(r.p + off);
	expect_fresh(r.p + off, 9, "%s: control: 2M VMA, all sizes, write at +%#lx -> 2M", T, off);
	region_unmap(&r);
	long free0 = free_pages_now();
	stats_read(&s0);

	if (folio_knob_set("fault_race_inject", 1) < 0) {
		setup_failed(T, "write fault_race_inject");
		restore(T);
		return;
	}
	if (region_map(&r, PMD_SIZE, PMD_SIZE, 0, 0) < 0) {
		setup_failed(T, "mmap");
		restore(T);
		return;
	}
	touch(r.p + off);
	stats_read(&s1);
	is(folio_knob_get("fault_race_inject"), 0, "race: the injection was used (reads 0)");

	/* Which pages did the kernel populate? Every run in the VMA but the faulting one. */
	struct folio_run runs[32], mine;
	int n = folios_in_range((unsigned long)r.p, (unsigned long)r.p + r.len, runs, 32);
	int have = folio_at(r.p + off, &mine) == 0;
	unsigned long popul[32];
	int npop = 0;
	for (int i = 0; i < n && i < 32; i++) {
		if (have && runs[i].start == mine.start)
			continue;
		for (unsigned long a = runs[i].start; a < runs[i].end && npop < 32; a += PG)
			popul[npop++] = a - (unsigned long)r.p;
	}
	ok(npop >= 1, "race: the injected PTE is visible in /proc/self/folios (%d page(s))", npop);
	unsigned int want = rule_order(off, PMD_SIZE, ALL_ORDERS, popul, npop);
	if (npop >= 1) {
		for (int i = 0; i < npop; i++)
			if ((popul[i] & ~(PG - 1)) == (off & ~(PG - 1)))
				want = 0;	/* the injected PTE is the faulting page itself */
		diag("race: injected at +%#lx, expected order %u", popul[0], want);
	}
	ok(have && mine.order < 9, "race: the order is lower than without injection (got %d)",
	   have ? (int)mine.order : -1);
	expect_fresh(r.p + off, want, "%s: the retry picks the highest all-none order around the injected PTE", T);
	is(s1.alloc[9] - s0.alloc[9], 0, "race: the discarded 2M folio is not counted in anon_fault_alloc");
	is(s1.nr_anon[9] - s0.nr_anon[9], 0, "race: ... nor in nr_anon (it was freed)");
	if (want >= 1)
		is(s1.alloc[want] - s0.alloc[want], 1, "race: the retry's folio counted once");
	region_unmap(&r);
	stats_read(&s2);
	long zero[MTHP_MAX_ORDER + 1] = { 0 };
	expect_deltas(s0.nr_anon, s2.nr_anon, zero, "race: munmap: nr_anon back to the start for every size");
	is(free_pages_now(), free0, "race: free pages after munmap = before (no leaked folio)");

	/* 64K alone, 3 injections: one is used, the retry is order 0 (not a large fault). */
	if (set_only(T, 1U << 4, 1) == 0 && folio_knob_set("fault_race_inject", 3) == 0) {
		free0 = free_pages_now();
		if (region_map(&r, PMD_SIZE, PMD_SIZE, 0, 0) == 0) {
			stats_read(&s0);
			touch(r.p + 0x8000);
			stats_read(&s1);
			is(folio_knob_get("fault_race_inject"), 2, "race: 64K alone, 3 injections: 2 left after one fault");
			expect_fresh(r.p + 0x8000, 0, "%s: 64K alone: retry -> 4K", T);
			is(s1.alloc[4] - s0.alloc[4], 0, "race: 64K anon_fault_alloc +0");
			is(s1.nr_anon[4] - s0.nr_anon[4], 0, "race: 64K nr_anon +0");
			folio_knob_set("fault_race_inject", 0);
			is(folio_knob_get("fault_race_inject"), 0, "race: writing 0 cancels the rest");
			region_unmap(&r);
			is(free_pages_now(), free0, "race: 64K: free pages after munmap = before mmap");
		}
	}
	restore(T);
}

/* ---- fork helpers (the mapcount channel is folios.h's folio_chan) */

/* In a child: check a run, print "# child: ..." if wrong, return 1 if wrong. */
static int cfail(const void *addr, unsigned long start, unsigned int order, unsigned long pages,
		 int mapcount, int ref, unsigned int must, unsigned int mustnot, const char *what)
{
	char why[512];

	if (check_run(addr, start, order, pages, mapcount, ref, must, mustnot, why, sizeof(why)))
		return 0;
	diag("child: %s: %s", what, why);
	return 1;
}

static int all_bytes(const char *p, size_t len, char c)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != c)
			return 0;
	return 1;
}

/* fork with 64K folios: shared, read-only on both sides, rmap == mapcount == 2 * pages. */
static void t_fork_rmap(void)
{
	const char *T = "fork-rmap";
	struct region r;
	struct folio_chan ch;
	const int nf = 4;

	if (set_only(T, 1U << 4, 1) < 0 || region_map(&r, nf * SZ(4), PMD_SIZE, 0, 0) < 0 ||
	    folio_chan_open(&ch) < 0) {
		setup_failed(T, "knobs, mmap or channel");
		restore(T);
		return;
	}
	for (size_t off = 0; off < r.len; off += PG)
		r.p[off] = 'a';
	for (int f = 0; f < nf; f++)
		expect_fresh(r.p + f * SZ(4), 4, "%s: before fork: folio %d is 64K", T, f);

	pid_t pid = fork();
	if (pid == 0) {
		int bad = 0;
		if (folio_chan_wait(&ch, 0) < 0) {
			diag("child: timed out waiting for the parent");
			bad++;
		}
		for (int f = 0; f < nf; f++)
			bad += cfail(r.p + f * SZ(4) + 5 * PG, (unsigned long)r.p + f * SZ(4), 4, 16, 32, 32,
				     FOLIO_RUN_ANON, FOLIO_RUN_WRITABLE | FOLIO_RUN_PARTIALLY_MAPPED, "child view of a 64K folio");
		_exit(bad > 100 ? 100 : bad);
	}
	ok(pid > 0, "%s: fork", T);
	for (int f = 0; f < nf; f++)
		expect_run(r.p + f * SZ(4) + 5 * PG, (unsigned long)r.p + f * SZ(4), 4, 16, 32, 32, FOLIO_RUN_ANON,
			   FOLIO_RUN_WRITABLE | FOLIO_RUN_PARTIALLY_MAPPED,
			   "%s: parent, child alive: folio %d: rmap == mapcount == ref == 32, read-only", T, f);
	folio_chan_send(&ch, 0);
	int status = -1;
	if (pid > 0)
		waitpid(pid, &status, 0);
	is(status, 0, "fork-rmap: child sees the same: rmap == mapcount == ref == 32, read-only (exit = failures)");
	for (int f = 0; f < nf; f++)
		expect_run(r.p + f * SZ(4), (unsigned long)r.p + f * SZ(4), 4, 16, 16, 16, FOLIO_RUN_ANON,
			   FOLIO_RUN_PARTIALLY_MAPPED, "%s: after child exit: folio %d: mapcount == rmap == ref == 16", T, f);
	ok(all_bytes(r.p, 1, 'a'), "fork-rmap: contents intact");
	region_unmap(&r);
	folio_chan_close(&ch);
	restore(T);
}

/* CoW with 64K folios: each write copies one 4K page; nothing leaks either way. */
static void t_cow(void)
{
	const char *T = "cow";
	struct region r;
	struct folio_chan ch;
	struct stats s0, s1, s2;

	if (set_only(T, 1U << 4, 1) < 0 || region_map(&r, 2 * SZ(4), PMD_SIZE, 0, 0) < 0 ||
	    folio_chan_open(&ch) < 0) {
		setup_failed(T, "knobs, mmap or channel");
		restore(T);
		return;
	}
	memset(r.p, 'P', r.len);
	unsigned long b = (unsigned long)r.p;
	expect_fresh(r.p, 4, "%s: parent's two 64K folios", T);
	stats_read(&s0);

	pid_t pid = fork();
	if (pid == 0) {
		int bad = 0;
		minflt_now();	/* its own CoW of this stack page comes first */
		long f0 = minflt_now();
		memset(r.p + 3 * PG, 'C', PG);
		long f1 = minflt_now();
		if (f1 - f0 != 1) {
			diag("child: writing one page after fork took %ld faults, want 1", f1 - f0);
			bad++;
		}
		bad += cfail(r.p + 3 * PG, b + 3 * PG, 0, 1, 1, 1, FOLIO_RUN_ANON | FOLIO_RUN_WRITABLE, FOLIO_RUN_ZERO,
			     "the written page is a new 4K folio");
		bad += cfail(r.p, b, 4, 3, 31, -1, FOLIO_RUN_ANON, FOLIO_RUN_PARTIALLY_MAPPED | FOLIO_RUN_WRITABLE,
			     "pages 0-2 still map the old 64K folio (31 mappings)");
		bad += cfail(r.p + 4 * PG, b + 4 * PG, 4, 12, 31, -1, FOLIO_RUN_ANON, FOLIO_RUN_PARTIALLY_MAPPED,
			     "pages 4-15 still map the old 64K folio");
		bad += cfail(r.p + SZ(4), b + SZ(4), 4, 16, 32, -1, FOLIO_RUN_ANON, FOLIO_RUN_PARTIALLY_MAPPED,
			     "the second 64K folio untouched");
		if (!all_bytes(r.p + 3 * PG, PG, 'C') || !all_bytes(r.p, 3 * PG, 'P') ||
		    !all_bytes(r.p + 4 * PG, r.len - 4 * PG, 'P')) {
			diag("child: contents wrong after its own write");
			bad++;
		}
		folio_chan_send(&ch, 0);
		if (folio_chan_wait(&ch, 1) < 0) {
			diag("child: timed out waiting for the parent");
			bad++;
		}
		if (!all_bytes(r.p + 5 * PG, PG, 'P')) {
			diag("child: the parent's write to page 5 leaked into the child");
			bad++;
		}
		bad += cfail(r.p, b, 4, 3, 30, -1, FOLIO_RUN_ANON, FOLIO_RUN_PARTIALLY_MAPPED,
			     "after the parent's write: old folio has 30 mappings, not partially mapped");
		_exit(bad > 100 ? 100 : bad);
	}
	ok(pid > 0, "%s: fork", T);
	ok(folio_chan_wait(&ch, 0) == 0, "%s: child wrote page 3", T);
	ok(all_bytes(r.p, r.len, 'P'), "%s: the child's write did not leak into the parent", T);
	expect_run(r.p, b, 4, 16, 31, -1, FOLIO_RUN_ANON, FOLIO_RUN_PARTIALLY_MAPPED | FOLIO_RUN_WRITABLE,
		   "%s: parent still maps all 16 pages; folio mapcount 31 (16 + 15), not partially mapped", T);
	minflt_now();	/* the stack is shared with the child too */
	long f0 = minflt_now();
	memset(r.p + 5 * PG, 'Q', PG);
	long f1 = minflt_now();
	is(f1 - f0, 1, "cow: parent writes one page: 1 fault");
	expect_run(r.p + 5 * PG, b + 5 * PG, 0, 1, 1, 1, FOLIO_RUN_ANON | FOLIO_RUN_WRITABLE, FOLIO_RUN_ZERO,
		   "%s: parent's written page is a new 4K folio (one page copied)", T);
	expect_run(r.p, b, 4, 5, 30, -1, FOLIO_RUN_ANON, FOLIO_RUN_PARTIALLY_MAPPED,
		   "%s: parent: pages 0-4 map the old folio, mapcount 30", T);
	expect_run(r.p + 6 * PG, b + 6 * PG, 4, 10, 30, -1, FOLIO_RUN_ANON, FOLIO_RUN_PARTIALLY_MAPPED,
		   "%s: parent: pages 6-15 map the old folio", T);
	folio_chan_send(&ch, 1);
	int status = -1;
	if (pid > 0)
		waitpid(pid, &status, 0);
	is(status, 0, "cow: child: one page copied per write, no leak either way (exit = failures)");
	ok(all_bytes(r.p + 3 * PG, PG, 'P') && all_bytes(r.p + 5 * PG, PG, 'Q') &&
	   all_bytes(r.p, 3 * PG, 'P') && all_bytes(r.p + 6 * PG, r.len - 6 * PG, 'P'),
	   "%s: parent's contents after the child exited", T);
	stats_read(&s1);
	expect_run(r.p, b, 4, 5, 15, -1, FOLIO_RUN_ANON | FOLIO_RUN_PARTIALLY_MAPPED, 0,
		   "%s: child gone: old folio maps 15 of 16 pages -> partially_mapped", T);
	expect_run(r.p + SZ(4), b + SZ(4), 4, 16, 16, -1, FOLIO_RUN_ANON, FOLIO_RUN_PARTIALLY_MAPPED,
		   "%s: the second folio is whole again (mapcount 16)", T);
	is(s1.partial[4] - s0.partial[4], 1, "cow: 64K nr_anon_partially_mapped +1");
	is(s1.deferred[4] - s0.deferred[4], 1, "cow: 64K split_deferred +1");
	region_unmap(&r);
	folio_chan_close(&ch);
	stats_read(&s2);
	is(s2.partial[4] - s0.partial[4], 0, "cow: munmap: nr_anon_partially_mapped back");
	is(s2.nr_anon[4] - s0.nr_anon[4], -2, "cow: munmap: nr_anon -2 (both 64K folios freed)");
	restore(T);
}

/* munmap of one page of a 64K folio: the rest stays mapped, partially_mapped, deferred once. */
static void t_partial_unmap(void)
{
	const char *T = "partial-unmap";
	struct region r;
	struct stats s0, s1, s2, s3;

	if (set_only(T, 1U << 4, 1) < 0 || region_map(&r, 2 * SZ(4), PMD_SIZE, 0, 0) < 0) {
		setup_failed(T, "knobs or mmap");
		restore(T);
		return;
	}
	memset(r.p, 'x', r.len);
	unsigned long b = (unsigned long)r.p;
	stats_read(&s0);
	is(munmap(r.p + 2 * PG, PG), 0, "partial-unmap: munmap one page of a 64K folio");
	stats_read(&s1);
	expect_run(r.p, b, 4, 2, 15, 15, FOLIO_RUN_ANON | FOLIO_RUN_PARTIALLY_MAPPED, 0,
		   "%s: pages 0-1 still map it, mapcount 15, partially_mapped", T);
	expect_run(r.p + 3 * PG, b + 3 * PG, 4, 13, 15, 15, FOLIO_RUN_ANON | FOLIO_RUN_PARTIALLY_MAPPED, 0,
		   "%s: pages 3-15 too", T);
	expect_fresh(r.p + SZ(4), 4, "%s: the other folio untouched", T);
	is(s1.deferred[4] - s0.deferred[4], 1, "partial-unmap: 64K split_deferred +1");
	is(s1.partial[4] - s0.partial[4], 1, "partial-unmap: 64K nr_anon_partially_mapped +1");
	is(s1.nr_anon[4] - s0.nr_anon[4], 0, "partial-unmap: 64K nr_anon unchanged (not split yet)");
	munmap(r.p + 4 * PG, PG);
	stats_read(&s2);
	is(s2.deferred[4] - s0.deferred[4], 1, "partial-unmap: a second page: split_deferred still +1 (once per folio)");
	ok(all_bytes(r.p, 2 * PG, 'x') && all_bytes(r.p + 5 * PG, r.len - 5 * PG, 'x'),
	   "partial-unmap: the remaining pages keep their contents");
	region_unmap(&r);
	stats_read(&s3);
	is(s3.partial[4] - s0.partial[4], 0, "partial-unmap: munmap: nr_anon_partially_mapped back");
	is(s3.nr_anon[4] - s0.nr_anon[4], -2, "partial-unmap: munmap: nr_anon -2");
	restore(T);
}

/* ---------------------------------------------------------------- MADV_FREE and reclaim */

#define LAZYFREE_MUST	(FOLIO_RUN_ANON | FOLIO_RUN_WRITABLE | FOLIO_RUN_EXCLUSIVE | FOLIO_RUN_LAZYFREE)
#define RECLAIM_KNOB	FOLIO_DIR "/reclaim"

/*
 * MemFree in pages, once the deferred-split queue is empty.  Pages that earlier tests' forks
 * left shared are copied when this process writes them, which leaves their old folios
 * partially mapped, queued, and reclaimable (the deferred-split shrinker): not the
 * lazyfree memory a test counts.  The buffers used in the measured window are written here
 * first, so that none is copied inside it.
 */
static long settle_free_pages(void)
{
	free_pages_now();
	vmstat_get("pglazyfreed");
	sysfs_write(FOLIO_DIR "/deferred_split_scan", "1");
	return free_pages_now();
}

/* The reclaim knob reads back "requested all\nreclaimed <pages>\n". */
static void expect_reclaimed(const char *T, long pages)
{
	char buf[64], want[64];

	snprintf(want, sizeof(want), "requested all\nreclaimed %ld\n", pages);
	ok(sysfs_read(RECLAIM_KNOB, buf, sizeof(buf)) > 0 && !strcmp(buf, want),
	   "%s: the reclaim knob reads back requested all, reclaimed %ld", T, pages);
}

/*
 * MADV_FREE of four whole 64K and four whole 2M folios: the same orders, each run lazyfree
 * and clean, pglazyfree and nr_inactive_file +pages; untouched, "all" to the reclaim knob
 * frees exactly those pages (pglazyfreed and MemFree), and reads see zeros.
 */
static void t_lazyfree(void)
{
	const char *T = "lazyfree";
	static const unsigned int orders[] = { 4, 9 };

	for (unsigned int o = 0; o < 2; o++) {
		unsigned int k = orders[o];
		unsigned long pages = 4UL << k;
		struct region r;

		if (set_only(T, 1U << k, 1) < 0 || region_map(&r, 4 * SZ(k), PMD_SIZE, 0, 0) < 0) {
			setup_failed(T, "knobs or mmap");
			restore(T);
			return;
		}
		memset(r.p, 'x', r.len);
		long lf0 = vmstat_get("pglazyfree"), lfd0 = vmstat_get("pglazyfreed");
		long inactive0 = vmstat_get("nr_inactive_file");
		is(madvise(r.p, r.len, MADV_FREE), 0, "lazyfree: MADV_FREE of four whole folios");
		for (int i = 0; i < 4; i++)
			expect_run(r.p + i * SZ(k), (unsigned long)r.p + i * SZ(k), k, 1UL << k, 1 << k,
				   1 << k, LAZYFREE_MUST, FOLIO_RUN_DIRTY | FOLIO_RUN_PARTIALLY_MAPPED,
				   "%s: %s folio %d keeps its order, lazyfree, clean", T, mthp_size_name(k), i);
		is(vmstat_get("pglazyfree") - lf0, pages, "lazyfree: pglazyfree +pages");
		is(vmstat_get("nr_inactive_file") - inactive0, pages,
		   "lazyfree: nr_inactive_file +pages (the lazyfree list)");
		long free0 = settle_free_pages(), thps0 = vmstat_get("nr_anon_transparent_hugepages");
		is(sysfs_write(RECLAIM_KNOB, "all"), 0, "lazyfree: write all to the reclaim knob");
		/* A PMD-mapped 2M folio also gives back the PTE table deposited with it. */
		is(free_pages_now() - free0, pages + thps0 - vmstat_get("nr_anon_transparent_hugepages"),
		   "lazyfree: MemFree rises by exactly those pages (and their PMDs' deposited tables)");
		is(vmstat_get("pglazyfreed") - lfd0, pages, "lazyfree: pglazyfreed +pages");
		expect_reclaimed(T, pages);
		ok(all_bytes(r.p, r.len, 0), "lazyfree: %s: reads see zeros", mthp_size_name(k));
		region_unmap(&r);
		restore(T);
	}
}

/*
 * Reclaim frees exactly the clean lazyfree memory: of two lazyfree 64K folios, the one
 * written again (one byte) stays whole with all its data and is normal memory again; the
 * other is freed; a folio never MADV_FREE'd is untouched.
 */
static void t_reclaim(void)
{
	const char *T = "reclaim";
	struct region r;

	if (set_only(T, 1U << 4, 1) < 0 || region_map(&r, 3 * SZ(4), PMD_SIZE, 0, 0) < 0) {
		setup_failed(T, "knobs or mmap");
		restore(T);
		return;
	}
	memset(r.p, 'x', r.len);
	is(madvise(r.p, 2 * SZ(4), MADV_FREE), 0, "reclaim: MADV_FREE of the first two folios");
	r.p[3 * PG] = 'w';
	long lfd0 = vmstat_get("pglazyfreed"), free0 = settle_free_pages();
	is(sysfs_write(RECLAIM_KNOB, "all"), 0, "reclaim: write all to the reclaim knob");
	is(free_pages_now() - free0, 16, "reclaim: MemFree rises by the clean folio only");
	is(vmstat_get("pglazyfreed") - lfd0, 16, "reclaim: pglazyfreed +16");
	expect_reclaimed(T, 16);
	expect_run(r.p, (unsigned long)r.p, 4, 16, 16, 16, FOLIO_RUN_ANON | FOLIO_RUN_DIRTY,
		   FOLIO_RUN_LAZYFREE, "%s: the written folio: whole, dirty, lazyfree cleared", T);
	ok(all_bytes(r.p, 3 * PG, 'x') && r.p[3 * PG] == 'w' && all_bytes(r.p + 3 * PG + 1, SZ(4) - 3 * PG - 1, 'x'),
	   "reclaim: the written folio keeps all its data");
	ok(all_bytes(r.p + SZ(4), SZ(4), 0), "reclaim: the clean one reads zeros");
	expect_fresh(r.p + 2 * SZ(4), 4, "%s: the folio never MADV_FREE'd is untouched", T);
	ok(all_bytes(r.p + 2 * SZ(4), SZ(4), 'x'), "reclaim: ... with its data");
	region_unmap(&r);
	restore(T);
}

/* MADV_POPULATE_WRITE and MAP_POPULATE take the fault path's orders. */
static void t_populate(void)
{
	const char *T = "populate";
	struct region r;
	struct stats s0, s1;

	if (set_only(T, 1U << 4, 1) < 0 || region_map(&r, 4 * SZ(4), PMD_SIZE, 0, 0) < 0) {
		setup_failed(T, "knobs or mmap");
		restore(T);
		return;
	}
	stats_read(&s0);
	is(madvise(r.p, r.len, MADV_POPULATE_WRITE), 0, "populate: MADV_POPULATE_WRITE of 256K, 64K alone");
	stats_read(&s1);
	for (int f = 0; f < 4; f++)
		expect_fresh(r.p + f * SZ(4) + 3 * PG, 4, "%s: folio %d is 64K", T, f);
	is(s1.alloc[4] - s0.alloc[4], 4, "populate: 64K anon_fault_alloc +4");
	region_unmap(&r);

	if (set_only(T, ALL_ORDERS, 1) == 0 &&
	    region_map(&r, UNALIGNED_LEN, PMD_SIZE, UNALIGNED_OFF, 0) == 0) {
		is(madvise(r.p, r.len, MADV_POPULATE_WRITE), 0, "populate: MADV_POPULATE_WRITE of the unaligned VMA");
		touch_and_expect("populate: unaligned, all sizes (as if written in address order)",
				 BASE(&r, UNALIGNED_OFF), unaligned_layout,
				 sizeof(unaligned_layout) / sizeof(unaligned_layout[0]), NULL, 0);
		region_unmap(&r);
	}
	if (set_only(T, 1U << 4, 1) == 0) {
		if (region_map(&r, 4 * SZ(4), PMD_SIZE, 0, MAP_POPULATE) == 0) {
			for (int f = 0; f < 4; f++)
				expect_fresh(r.p + f * SZ(4), 4, "%s: MAP_POPULATE, 64K alone: folio %d is 64K", T, f);
			region_unmap(&r);
		} else {
			setup_failed(T, "mmap MAP_POPULATE");
		}
	}
	/* A fault that returns without making the page writable (it lost its race to the
	 * zero page mapped at the faulting address itself) is taken again: 0 only when the
	 * page is present and writable, as Linux's populate. */
	if (set_only(T, 1U << 4, 1) == 0 && region_map(&r, SZ(4), PMD_SIZE, 0, 0) == 0) {
		struct folio_run run;
		long free0 = free_pages_now();

		if (folio_knob_set("fault_race_inject", 1) == 0) {
			is(madvise(r.p + 15 * PG, PG, MADV_POPULATE_WRITE), 0,
			   "populate: MADV_POPULATE_WRITE of a page whose 64K fault loses the race to the zero page");
			is(folio_knob_get("fault_race_inject"), 0, "populate: the injection was used");
			ok(folio_at(r.p + 15 * PG, &run) == 0 && (run.flags & FOLIO_RUN_WRITABLE) &&
			   !(run.flags & FOLIO_RUN_ZERO) && run.order == 0,
			   "populate: the page is a writable 4K anon page after all (%s)",
			   folio_at(r.p + 15 * PG, &run) == 0 ? run.flagstr : "not mapped");
		} else {
			setup_failed(T, "write fault_race_inject");
		}
		region_unmap(&r);
		is(free_pages_now(), free0, "populate: race: free pages after munmap = before");
	}
	restore(T);
}

/* allow_order1=0: order 1 is never used. */
static void t_order1(void)
{
	const char *T = "order1";
	struct region r;
	struct stats s0, s1;

	if (set_only(T, 1U << 1, 0) < 0 || region_map(&r, PMD_SIZE, PMD_SIZE, 0, 0) < 0) {
		setup_failed(T, "knobs or mmap");
		restore(T);
		return;
	}
	is(folio_knob_get("allow_order1"), 0, "order1: allow_order1 reads 0 after writing 0");
	stats_read(&s0);
	touch(r.p + 0x2000);
	stats_read(&s1);
	expect_fresh(r.p + 0x2000, 0, "%s: 8K always but allow_order1=0 -> 4K", T);
	is(s1.alloc[1] - s0.alloc[1], 0, "order1: 8K anon_fault_alloc +0");
	is(s1.fallback[1] - s0.fallback[1], 0, "order1: 8K anon_fault_fallback +0 (never tried)");
	region_unmap(&r);

	if (set_only(T, ALL_ORDERS, 0) == 0 &&
	    region_map(&r, UNALIGNED_LEN, PMD_SIZE, UNALIGNED_OFF, 0) == 0) {
		char *base = BASE(&r, UNALIGNED_OFF);
		touch(base + 0x2000);
		expect_fresh(base + 0x2000, 0, "%s: unaligned VMA, all sizes, allow_order1=0: +0x2000 -> 4K (not 8K)", T);
		touch(base + 0x3000);
		expect_fresh(base + 0x3000, 0, "%s: and +0x3000 -> 4K", T);
		touch(base + 0x4000);
		expect_fresh(base + 0x4000, 2, "%s: +0x4000 -> 16K as before", T);
		region_unmap(&r);
	}
	if (set_only(T, 1U << 1, 1) == 0 && region_map(&r, PMD_SIZE, PMD_SIZE, 0, 0) == 0) {
		touch(r.p + 0x2000);
		expect_fresh(r.p + 0x2000, 1, "%s: allow_order1=1 again -> 8K", T);
		region_unmap(&r);
	}
	restore(T);
}

/* ---- splits, through /sys/kernel/mm/folio/split_range and deferred_split_scan */

/* Write "START END NEW_ORDER [IN_FOLIO_OFFSET]" for [p, p + len) to split_range; 0 or -1 (errno). */
static int split_range(const void *p, size_t len, unsigned int new_order, long in_folio_offset)
{
	char cmd[96];
	unsigned long a = (unsigned long)p;

	if (in_folio_offset < 0)
		snprintf(cmd, sizeof(cmd), "%#lx %#lx %u\n", a, a + len, new_order);
	else
		snprintf(cmd, sizeof(cmd), "%#lx %#lx %u %ld\n", a, a + len, new_order, in_folio_offset);
	return sysfs_write(FOLIO_DIR "/split_range", cmd);
}

/* Page i of a test region holds the byte 'A' + i % 26 (fill) and still does (pages_intact). */
static void fill_pages(char *p, unsigned long pages)
{
	for (unsigned long i = 0; i < pages; i++)
		memset(p + i * PG, 'A' + (int)(i % 26), PG);
}

static int pages_intact(const char *p, unsigned long pages)
{
	for (unsigned long i = 0; i < pages; i++)
		if (!all_bytes(p + i * PG, PG, 'A' + (int)(i % 26)))
			return 0;
	return 1;
}

/* The runs over [p, p + len) are exactly the orders want[0..n), each folio mapped whole
 * (mapcount == ref == pages * per_page); reason in why. */
static int runs_are(const char *p, size_t len, const unsigned int *want, int n, int per_page,
		    char *why, size_t wlen)
{
	static struct folio_run runs[520];
	int got = folios_in_range((unsigned long)p, (unsigned long)p + len, runs, 520);
	unsigned long a = (unsigned long)p;

	if (got != n) {
		snprintf(why, wlen, "%d runs, want %d", got, n);
		return 0;
	}
	for (int i = 0; i < n; i++) {
		const struct folio_run *r = &runs[i];
		unsigned long pages = 1UL << want[i];
		char s[200];

		if (r->start != a || r->order != want[i] || r->pages != pages ||
		    r->mapcount != (int)pages * per_page || r->ref != r->mapcount || r->rmap != r->mapcount ||
		    (r->flags & (FOLIO_RUN_PARTIALLY_MAPPED | FOLIO_RUN_ZERO))) {
			snprintf(why, wlen, "run %d: %s; want %#lx order %u mapcount=ref=rmap=%lu", i,
				 folio_run_str(r, s, sizeof(s)), a, want[i], pages * per_page);
			return 0;
		}
		a += pages * PG;
	}
	return 1;
}

static int expect_runs(const char *p, size_t len, const unsigned int *want, int n, int per_page,
		       const char *name)
{
	char why[400];

	return runs_are(p, len, want, n, per_page, why, sizeof(why)) ? ok(1, "%s", name) :
	       ok(0, "%s # %s", name, why);
}

/* A 2M, 64K, 16K and 8K folio split through split_range to every lower order. */
static void t_split(void)
{
	const char *T = "split";
	static const unsigned int sizes[] = { 9, 4, 2, 1 };
	static unsigned int want[512];

	for (unsigned int s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		unsigned int k = sizes[s];

		for (unsigned int n = 0; n < k; n++) {
			struct region r;
			struct stats s0, s1;
			char name[128];

			if (set_only(T, 1U << k, 1) < 0 || region_map(&r, SZ(k), k == 9 ? PMD_SIZE : SZ(k), 0, 0) < 0) {
				setup_failed(T, "knobs or mmap");
				restore(T);
				return;
			}
			fill_pages(r.p, 1UL << k);
			want[0] = k;
			snprintf(name, sizeof(name), "%s: %s folio before", T, mthp_size_name(k));
			expect_runs(r.p, r.len, want, 1, 1, name);
			stats_read(&s0);
			long anon0 = meminfo_kb("AnonPages");
			ok(split_range(r.p, r.len, n, -1) == 0, "%s: split_range %s to %s # errno %d", T, mthp_size_name(k),
			   mthp_size_name(n), errno);
			stats_read(&s1);
			for (unsigned int i = 0; i < (1U << (k - n)); i++)
				want[i] = n;
			snprintf(name, sizeof(name), "%s: %s -> %u folios of %s, each mapped whole, rmap == mapcount",
				 T, mthp_size_name(k), 1U << (k - n), mthp_size_name(n));
			expect_runs(r.p, r.len, want, 1 << (k - n), 1, name);
			ok(s1.split[k] - s0.split[k] == 1 && s1.split_failed[k] == s0.split_failed[k],
			   "%s: %s split +1, split_failed +0", T, mthp_size_name(k));
			ok(s1.nr_anon[k] - s0.nr_anon[k] == -1 && (n == 0 || s1.nr_anon[n] - s0.nr_anon[n] == 1L << (k - n)),
			   "%s: nr_anon: %s -1, %s +%u", T, mthp_size_name(k), mthp_size_name(n), 1U << (k - n));
			is(meminfo_kb("AnonPages"), anon0, "split: AnonPages unchanged (every page still mapped)");
			ok(pages_intact(r.p, 1UL << k), "%s: %s -> %s: data intact", T, mthp_size_name(k), mthp_size_name(n));
			region_unmap(&r);
		}
	}

	/* Non-uniform (the 4th word): a 2M folio around its page 5 -> 10 folios. */
	static const unsigned int around5[] = { 2, 0, 0, 1, 3, 4, 5, 6, 7, 8 };
	struct region r;
	if (set_only(T, 1U << 9, 1) == 0 && region_map(&r, PMD_SIZE, PMD_SIZE, 0, 0) == 0) {
		fill_pages(r.p, 512);
		is(split_range(r.p + 300 * PG, PG, 0, 5), 0, "split: split_range ... 0 5: a 2M folio around page 5");
		expect_runs(r.p, r.len, around5, 10, 1, "split: 2M around page 5 -> 16K 4K 4K 8K 32K ... 1M");
		ok(pages_intact(r.p, 512), "%s: non-uniform: data intact", T);
		errno = 0;
		ok(split_range(r.p + PG, PG, 9, -1) < 0 && errno == EINVAL, "%s: NEW_ORDER 9: EINVAL", T);
		errno = 0;
		ok(sysfs_write(FOLIO_DIR "/split_range", "0x1000 0x2000") < 0 && errno == EINVAL,
		   "%s: two words: EINVAL", T);
		errno = 0;
		ok(split_range(r.p + 1, PG, 0, -1) < 0 && errno == EINVAL, "%s: unaligned START: EINVAL", T);
		region_unmap(&r);
	}
	restore(T);
}

/* Split in the parent while the child maps the folio too: both see the pieces, shared. */
static void t_split_fork(void)
{
	const char *T = "split-fork";
	static const unsigned int quarters[] = { 2, 2, 2, 2 };
	struct region r;
	struct folio_chan ch;

	if (set_only(T, 1U << 4, 1) < 0 || region_map(&r, SZ(4), SZ(4), 0, 0) < 0 ||
	    folio_chan_open(&ch) < 0) {
		setup_failed(T, "knobs, mmap or channel");
		restore(T);
		return;
	}
	fill_pages(r.p, 16);
	pid_t pid = fork();
	if (pid == 0) {
		char why[400];
		int bad = 0;

		if (folio_chan_wait(&ch, 0) < 0) {
			diag("child: timed out waiting for the parent");
			bad++;
		}
		if (!runs_are(r.p, r.len, quarters, 4, 2, why, sizeof(why))) {
			diag("child: after the parent's split: %s", why);
			bad++;
		}
		if (!pages_intact(r.p, 16)) {
			diag("child: contents changed by the split");
			bad++;
		}
		_exit(bad);
	}
	ok(pid > 0, "%s: fork", T);
	is(split_range(r.p, r.len, 2, -1), 0, "split-fork: parent splits the shared 64K folio to 16K");
	expect_runs(r.p, r.len, quarters, 4, 2, "split-fork: parent: four 16K folios, mapcount == ref == rmap == 8");
	ok(pages_intact(r.p, 16), "%s: parent: data intact", T);
	folio_chan_send(&ch, 0);
	int status = -1;
	if (pid > 0)
		waitpid(pid, &status, 0);
	is(status, 0, "split-fork: child sees the same four shared 16K folios, data intact (exit = failures)");
	expect_runs(r.p, r.len, quarters, 4, 1, "split-fork: child gone: mapcount == ref == 4 each");
	region_unmap(&r);
	folio_chan_close(&ch);
	restore(T);
}

/* munmap 15 of 16 pages of a 64K folio: AnonPages drops 60K at once; the deferred scan gives
 * exactly those 60K back; touching them again takes exactly 60K. */
static void t_deferred_scan(void)
{
	const char *T = "deferred-scan";
	struct region r;
	struct stats s0, s1;

	if (set_only(T, 1U << 4, 1) < 0 || region_map(&r, SZ(4), SZ(4), 0, 0) < 0) {
		setup_failed(T, "knobs or mmap");
		restore(T);
		return;
	}
	fill_pages(r.p, 16);
	expect_fresh(r.p, 4, "%s: a 64K folio", T);
	/* Empty the queue of other processes' folios, and warm the files up, before measuring. */
	is(folio_knob_set("deferred_split_scan", 1), 0, "deferred-scan: write 1 to deferred_split_scan");
	is(folio_knob_get("deferred_split_scan"), 0, "deferred-scan: ... the queue is empty");
	long anon0 = meminfo_kb("AnonPages");
	ok(munmap(r.p, 7 * PG) == 0 && munmap(r.p + 8 * PG, 8 * PG) == 0, "%s: munmap pages 0-6 and 8-15", T);
	is(anon0 - meminfo_kb("AnonPages"), 60, "deferred-scan: AnonPages -60 kB (it counts mapped pages)");
	expect_run(r.p + 7 * PG, (unsigned long)r.p + 7 * PG, 4, 1, 1, 1,
		   FOLIO_RUN_ANON | FOLIO_RUN_PARTIALLY_MAPPED, 0, "%s: page 7 maps the 64K folio, partially mapped", T);
	is(folio_knob_get("deferred_split_scan"), 1, "deferred-scan: deferred_split_scan reads 1 (queue length)");
	stats_read(&s0);
	long free0 = free_pages_now();
	int w = folio_knob_set("deferred_split_scan", 1);
	long free1 = free_pages_now();
	stats_read(&s1);
	is(w, 0, "deferred-scan: write 1: split everything queued");
	is(free1 - free0, 15, "deferred-scan: MemFree +60 kB: exactly the 15 unmapped pages came back");
	is(folio_knob_get("deferred_split_scan"), 0, "deferred-scan: the queue is empty again");
	expect_run(r.p + 7 * PG, (unsigned long)r.p + 7 * PG, 0, 1, 1, 1, FOLIO_RUN_ANON | FOLIO_RUN_EXCLUSIVE,
		   FOLIO_RUN_PARTIALLY_MAPPED, "%s: page 7 is its own 4K folio now", T);
	ok(all_bytes(r.p + 7 * PG, PG, 'A' + 7), "%s: page 7 keeps its data", T);
	ok(s1.split[4] - s0.split[4] == 1 && s1.nr_anon[4] - s0.nr_anon[4] == -1 &&
	   s1.partial[4] - s0.partial[4] == -1, "%s: 64K split +1, nr_anon -1, nr_anon_partially_mapped -1", T);

	char *lo = mmap(r.p, 7 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	char *hi = mmap(r.p + 8 * PG, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	ok(lo == r.p && hi == r.p + 8 * PG, "%s: map the 15 pages again", T);
	free0 = free_pages_now();
	for (int i = 0; i < 16; i++)
		if (i != 7)
			touch(r.p + i * PG);
	free1 = free_pages_now();
	is(free0 - free1, 15, "deferred-scan: touching them again takes exactly 60 kB (15 pages of 4K)");
	region_unmap(&r);
	restore(T);
}

/*
 * Underused folios: a 64K and a 2M folio with 1 byte written in each of pages 1, 4 and 7,
 * khugepaged/max_ptes_none 409 (thresholds 12 and 409 zero pages): writing 1 to
 * deferred_split_scan (the scan the deferred-split shrinker runs under reclaim) splits each,
 * MemFree rises by exactly its zero pages, which now map the zero page; the written pages stay
 * anon with their bytes; thp_underused_split_page +1.  A write to a freed address takes one
 * fresh zeroed page.
 */
static void t_underused(void)
{
	const char *T = "underused";
	static const unsigned int orders[] = { 4, 9 };
	static const int written[] = { 1, 4, 7 };

	for (unsigned int o = 0; o < 2; o++) {
		unsigned int k = orders[o];
		unsigned long pages = 1UL << k;
		struct region r;
		volatile char *p;

		if (set_only(T, 1U << k, 1) < 0 || region_map(&r, SZ(k), PMD_SIZE, 0, 0) < 0 ||
		    sysfs_write(THP_DIR "/khugepaged/max_ptes_none", "409") < 0) {
			setup_failed(T, "knobs or mmap");
			restore(T);
			return;
		}
		p = r.p;
		settle_free_pages();
		for (int i = 0; i < 3; i++)
			p[written[i] * PG] = (char)('a' + i);
		expect_fresh(r.p, k, "%s: a %luK folio, 3 pages written", T, pages * 4);
		long u0 = vmstat_get("thp_underused_split_page"), free0 = free_pages_now();
		ok(folio_knob_set("deferred_split_scan", 1) == 0, "%s: write 1 to deferred_split_scan", T);
		long free1 = free_pages_now();
		ok(free1 - free0 == (long)pages - 3, "%s: MemFree +%lu pages (got %ld): exactly the zero pages",
		   T, pages - 3, free1 - free0);
		ok(vmstat_get("thp_underused_split_page") - u0 == 1, "%s: thp_underused_split_page +1", T);
		for (int i = 0; i < 3; i++) {
			char *w = r.p + written[i] * PG;

			expect_run(w, (unsigned long)w, 0, 1, 1, 1, FOLIO_RUN_ANON, FOLIO_RUN_ZERO,
				   "%s: page %d is a 4K anon folio", T, written[i]);
			ok(w[0] == 'a' + i && all_bytes(w + 1, PG - 1, 0), "%s: page %d keeps its byte", T,
			   written[i]);
		}
		expect_run(r.p, (unsigned long)r.p, 0, 1, -1, -1, FOLIO_RUN_ZERO,
			   FOLIO_RUN_ANON | FOLIO_RUN_WRITABLE, "%s: page 0 maps the zero page", T);
		expect_run(r.p + 2 * PG, (unsigned long)r.p + 2 * PG, 0, 2, -1, -1, FOLIO_RUN_ZERO,
			   FOLIO_RUN_ANON | FOLIO_RUN_WRITABLE, "%s: pages 2-3 map the zero page", T);
		expect_run(r.p + 8 * PG, (unsigned long)r.p + 8 * PG, 0, pages - 8, -1, -1, FOLIO_RUN_ZERO,
			   FOLIO_RUN_ANON | FOLIO_RUN_WRITABLE, "%s: pages 8-%lu map the zero page", T,
			   pages - 1);
		ok(all_bytes(r.p + 8 * PG, (pages - 8) * PG, 0), "%s: they read zeros", T);
		free0 = free_pages_now();
		p[2 * PG + 9] = 'z';
		ok(free0 - free_pages_now() == 1, "%s: a write to page 2 takes one fresh page", T);
		expect_fresh(r.p + 2 * PG, 0, "%s: page 2 is a new 4K folio", T);
		ok(p[2 * PG + 9] == 'z' && all_bytes(r.p + 2 * PG, 9, 0) &&
		   all_bytes(r.p + 2 * PG + 10, PG - 10, 0), "%s: ... zeros but the byte written", T);
		region_unmap(&r);
		ok(sysfs_write(THP_DIR "/khugepaged/max_ptes_none", "511") >= 0,
		   "%s: max_ptes_none back to 511", T);
		restore(T);
	}
}

/* ---------------------------------------------------------------- pre-zeroing */

/* ---- MADV_FREE over part of a folio: split (madv_free_split), then lazyfree the covered pieces */

#define MADV_FREE_SPLIT_KNOB	FOLIO_DIR "/madv_free_split"

/* Pages [start, end) of an order-k folio MADV_FREE'd; the orders "around" gives (order0: all 0). */
static const struct {
	unsigned int k;
	unsigned long start, end;
	int n;
	unsigned int orders[16];
} mfs_cases[] = {
	{ 4, 4, 12, 4, { 2, 2, 2, 2 } },
	{ 4, 1, 16, 5, { 0, 0, 1, 2, 3 } },
	{ 9, 1, 512, 10, { 0, 0, 1, 2, 3, 4, 5, 6, 7, 8 } },
	{ 9, 100, 300, 14, { 6, 5, 2, 2, 3, 4, 7, 5, 3, 2, 2, 4, 6, 7 } },
};

/* Is every folio in [p, p + pages) lazyfree exactly when it lies in [start, end) (pages)? */
static int lazyfree_exactly(const char *p, unsigned long pages, unsigned long start, unsigned long end)
{
	static struct folio_run runs[520];
	int n = folios_in_range((unsigned long)p, (unsigned long)p + pages * PG, runs, 520);

	for (int i = 0; i < n; i++) {
		unsigned long first = (runs[i].start - (unsigned long)p) / PG;
		int in = first >= start && first + runs[i].pages <= end;

		if (!!(runs[i].flags & FOLIO_RUN_LAZYFREE) != in)
			return 0;
	}
	return n > 0;
}

/* Is every folio listed in [p, p + pages) (at least one) an order-0 folio mapped once? */
static int all_order0(const char *p, unsigned long pages)
{
	static struct folio_run runs[520];
	int n = folios_in_range((unsigned long)p, (unsigned long)p + pages * PG, runs, 520);

	for (int i = 0; i < n; i++)
		if (runs[i].order || runs[i].mapcount != 1 || runs[i].ref != 1)
			return 0;
	return n > 0 && n <= (int)pages;
}

/* One partial MADV_FREE case under policy how (order0 / around), checked exactly. */
static void madv_free_split_case(const char *T, const char *how, unsigned int c)
{
	static unsigned int want[512];
	unsigned int k = mfs_cases[c].k;
	unsigned long pages = 1UL << k, start = mfs_cases[c].start, end = mfs_cases[c].end;
	unsigned long covered = end - start;
	int around = !strcmp(how, "around"), n = around ? mfs_cases[c].n : (int)pages;
	struct stats s0, s1;
	struct region r;
	char name[160];

	if (set_only(T, 1U << k, 1) < 0 || region_map(&r, SZ(k), k == 9 ? PMD_SIZE : SZ(k), 0, 0) < 0) {
		setup_failed(T, "knobs or mmap");
		return;
	}
	fill_pages(r.p, pages);
	for (int i = 0; i < n; i++)
		want[i] = around ? mfs_cases[c].orders[i] : 0;
	stats_read(&s0);
	long lf0 = vmstat_get("pglazyfree"), lfd0 = vmstat_get("pglazyfreed");
	ok(madvise(r.p + start * PG, covered * PG, MADV_FREE) == 0, "%s: %s: MADV_FREE of pages [%lu, %lu) of a %s folio",
	   T, how, start, end, mthp_size_name(k));
	stats_read(&s1);
	snprintf(name, sizeof(name), "%s: %s: %s [%lu, %lu) -> %d folios, each mapped whole", T, how,
		 mthp_size_name(k), start, end, n);
	if (n <= 64)
		expect_runs(r.p, r.len, want, n, 1, name);
	else	/* 512 lines overflow the 64 KiB /proc/self/folios after other runs: those listed */
		ok(all_order0(r.p, pages), "%s: %s: %s [%lu, %lu) -> order-0 folios (every one listed)", T,
		   how, mthp_size_name(k), start, end);
	ok(s1.nr_anon[k] - s0.nr_anon[k] == -1, "%s: %s: nr_anon of %s -1", T, how, mthp_size_name(k));
	ok(lazyfree_exactly(r.p, pages, start, end), "%s: %s: lazyfree exactly on the covered pieces", T, how);
	ok(vmstat_get("pglazyfree") - lf0 == (long)covered, "%s: %s: pglazyfree +covered pages", T, how);
	ok(s1.split[k] - s0.split[k] == 1 && s1.split_failed[k] == s0.split_failed[k],
	   "%s: %s: %s split +1, split_failed +0", T, how, mthp_size_name(k));
	ok(pages_intact(r.p, pages), "%s: %s: every page keeps its data", T, how);
	/* Write the first covered page again: its piece is kept, with the write. */
	struct folio_run fr;
	long kept = folio_at(r.p + start * PG, &fr) == 0 ? (long)fr.pages : -1;
	r.p[start * PG] = 'w';
	long free0 = settle_free_pages();
	ok(sysfs_write(RECLAIM_KNOB, "all") == 0, "%s: %s: write all to the reclaim knob", T, how);
	ok(free_pages_now() - free0 == (long)covered - kept,
	   "%s: %s: MemFree rises by the clean covered pages", T, how);
	ok(vmstat_get("pglazyfreed") - lfd0 == (long)covered - kept, "%s: %s: pglazyfreed +those pages", T, how);
	ok(pages_intact(r.p, start) &&
	   r.p[start * PG] == 'w' && all_bytes(r.p + start * PG + 1, PG - 1, 'A' + (int)(start % 26)) &&
	   all_bytes(r.p + (start + (unsigned long)kept) * PG, (covered - (unsigned long)kept) * PG, 0),
	   "%s: %s: uncovered data intact, the re-dirtied piece kept, the rest reads zeros", T, how);
	for (unsigned long i = end; i < pages; i++)
		if (!all_bytes(r.p + i * PG, PG, 'A' + (int)(i % 26))) {
			ok(0, "%s: %s: page %lu after the range keeps its data", T, how, i);
			break;
		}
	region_unmap(&r);
}

/*
 * Order-1 and order-2 folios MADV_FREE'd in part (one page; for order 2 also the middle
 * two), reclaimed and refaulted MFS_ROUNDS times, alternating the policies: each cycle
 * frees exactly the covered pages and keeps the rest; no page is lost or leaked.
 */
#define MFS_ROUNDS	1000

static void madv_free_split_loop(const char *T)
{
	struct region r;

	if (region_map(&r, SZ(2), SZ(2), 0, 0) < 0) {
		setup_failed(T, "mmap");
		return;
	}
	memset(r.p, 'x', r.len);	/* the page tables, kept through the cycles */
	madvise(r.p, r.len, MADV_DONTNEED);
	long free0 = settle_free_pages(), lfd0 = vmstat_get("pglazyfreed"), want_freed = 0;
	int bad = 0;
	for (unsigned int k = 1; k <= 2 && !bad; k++) {
		if (set_only(T, 1U << k, 1) < 0)
			break;
		for (int round = 0; round < MFS_ROUNDS / 2 && !bad; round++) {
			unsigned long start = k == 2 && round % 3 == 2 ? 1 : (unsigned long)(round / 2) % (1UL << k);
			unsigned long end = k == 2 && round % 3 == 2 ? 3 : start + 1;
			char c = (char)('a' + round % 26);

			sysfs_write(MADV_FREE_SPLIT_KNOB, round % 2 ? "order0" : "around");
			memset(r.p, c, SZ(k));
			bad |= madvise(r.p + start * PG, (end - start) * PG, MADV_FREE) != 0;
			bad |= sysfs_write(RECLAIM_KNOB, "all") != 0;
			want_freed += (long)(end - start);
			for (unsigned long i = 0; i < (1UL << k); i++)
				bad |= !all_bytes(r.p + i * PG, PG, i >= start && i < end ? 0 : c);
			memset(r.p + start * PG, 'b', (end - start) * PG);	/* refault */
			bad |= !all_bytes(r.p + start * PG, (end - start) * PG, 'b');
			madvise(r.p, r.len, MADV_DONTNEED);
		}
	}
	ok(!bad, "%s: %d cycles of partial MADV_FREE, reclaim, refault on 8K/16K folios: exact data", T,
	   MFS_ROUNDS);
	ok(vmstat_get("pglazyfreed") - lfd0 == want_freed, "%s: pglazyfreed += every covered page", T);
	ok(settle_free_pages() == free0, "%s: MemFree as before the cycles (nothing leaked)", T);
	region_unmap(&r);
}

static void t_madv_free_split(void)
{
	const char *T = "madv-free-split";
	static const char *const hows[] = { "order0", "around" };
	char buf[64];

	ok(sysfs_read(MADV_FREE_SPLIT_KNOB, buf, sizeof(buf)) > 0 && !strcmp(buf, "order0 [around]\n"),
	   "%s: madv_free_split reads \"order0 [around]\" (the default)", T);
	errno = 0;
	ok(sysfs_write(MADV_FREE_SPLIT_KNOB, "both") < 0 && errno == EINVAL, "%s: a bad word: EINVAL", T);
	for (unsigned int h = 0; h < 2; h++) {
		ok(sysfs_write(MADV_FREE_SPLIT_KNOB, hows[h]) == 0, "%s: write %s", T, hows[h]);
		snprintf(buf, sizeof(buf), h ? "order0 [around]\n" : "[order0] around\n");
		char got[64];
		ok(sysfs_read(MADV_FREE_SPLIT_KNOB, got, sizeof(got)) > 0 && !strcmp(got, buf),
		   "%s: reads %s", T, h ? "order0 [around]" : "[order0] around");
		for (unsigned int c = 0; c < sizeof(mfs_cases) / sizeof(mfs_cases[0]); c++)
			madv_free_split_case(T, hows[h], c);
		restore(T);
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	madv_free_split_loop(T);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	diag("%s: %d cycles in %ld ms", T, MFS_ROUNDS,
	     (long)((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000));
	sysfs_write(MADV_FREE_SPLIT_KNOB, "around");
	restore(T);
}

/* Sleep until the idle zeroer has zeroed every free page but `slack`; 0, or -1 after 60 s. */
static int wait_zeroed(long slack)
{
	const struct timespec tick = { 0, 20 * 1000 * 1000 };

	for (int i = 0; i < 3000; i++) {
		if (vmstat_get("nr_free_zeroed") + slack >= vmstat_get("nr_free_pages"))
			return 0;
		nanosleep(&tick, NULL);
	}
	return -1;
}

/* Map and fill len bytes with c, then unmap: the allocator gets dirty memory back. */
static void free_dirty(size_t len, char c)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return;
	memset(p, c, len);
	munmap(p, len);
}

/*
 * One byte written at +off of a fresh order-k folio of a 2 MiB region: the folio has that
 * order, every other byte of it reads zero, and pgzero_prezeroed / pgzero_fault grow by
 * want_pre / want_fault pages (each -1: not checked, only their sum is: 2^k).
 */
static void prezero_fault(const char *what, unsigned int k, size_t off, long want_pre,
			  long want_fault)
{
	struct region r;

	if (region_map(&r, PMD_SIZE, PMD_SIZE, 0, 0) < 0) {
		setup_failed("prezero", "mmap");
		return;
	}
	size_t start = off & ~(SZ(k) - 1);
	long z0 = vmstat_get("pgzero_prezeroed"), f0 = vmstat_get("pgzero_fault");
	touch(r.p + off);
	long z1 = vmstat_get("pgzero_prezeroed"), f1 = vmstat_get("pgzero_fault");
	expect_fresh(r.p + off, k, "prezero: %s: write at +%#lx -> order %u", what, (unsigned long)off, k);
	ok(all_bytes(r.p + start, off - start, 0) && r.p[off] == 1 &&
	   all_bytes(r.p + off + 1, start + SZ(k) - off - 1, 0),
	   "prezero: %s: the fresh %luK folio reads zero but the byte written", what, SZ(k) >> 10);
	char name[160];
	snprintf(name, sizeof(name), "prezero: %s: pgzero_prezeroed + pgzero_fault += %lu", what, 1UL << k);
	is(z1 - z0 + f1 - f0, 1L << k, name);
	snprintf(name, sizeof(name), "prezero: %s: pgzero_prezeroed += %ld", what, want_pre);
	if (want_pre >= 0)
		is(z1 - z0, want_pre, name);
	snprintf(name, sizeof(name), "prezero: %s: pgzero_fault += %ld", what, want_fault);
	if (want_fault >= 0)
		is(f1 - f0, want_fault, name);
	region_unmap(&r);
}

/*
 * The idle zeroer and the fault path (mm/prezero.c): after idle time a 64K and a 2M fault
 * get pre-zeroed folios; with prezero=0 the fault zeroes (and the zeroer rests); memory
 * freed dirty reads zero in every mode, through write faults and through zero-page CoW.
 */
static void t_prezero(void)
{
	const char *T = "prezero";

	ok(folio_knob_get("prezero") == 1, "prezero: folio/prezero reads 1 (the default)");
	ok(vmstat_get("nr_free_zeroed") >= 0 && vmstat_get("pgzero_prezeroed") >= 0 &&
	   vmstat_get("pgzero_fault") >= 0 && vmstat_get("pgzero_idle") >= 0,
	   "prezero: /proc/vmstat has nr_free_zeroed, pgzero_prezeroed, pgzero_fault, pgzero_idle");
	errno = 0;
	ok(sysfs_write(FOLIO_DIR "/prezero", "2") < 0 && errno == EINVAL, "prezero: writing 2 fails with EINVAL");
	free_dirty(16UL << 20, 'D');
	long idle0 = vmstat_get("pgzero_idle");
	ok(wait_zeroed(64) == 0, "prezero: idle time zeroes every free page (within 60 s)");
	ok(vmstat_get("pgzero_idle") - idle0 >= (16L << 20) / (long)PG,
	   "prezero: pgzero_idle grew by at least the 16 MiB freed dirty");
	if (set_only(T, 1U << 4, 1) == 0)
		prezero_fault("64K after idle time", 4, 5 * PG, 16, 0);
	if (set_only(T, 1U << 9, 1) == 0)
		prezero_fault("2M after idle time", 9, 0x12345, 512, 0);

	if (folio_knob_set("prezero", 0) < 0) {
		setup_failed(T, "write folio/prezero");
		restore(T);
		return;
	}
	is(vmstat_get("nr_free_zeroed"), 0, "prezero: prezero=0 forgets every pre-zeroed free block");
	if (set_only(T, 1U << 4, 1) == 0)
		prezero_fault("64K, prezero=0", 4, 15 * PG + 7, 0, 16);
	free_dirty(16UL << 20, 'E');
	idle0 = vmstat_get("pgzero_idle");
	usleep(200 * 1000);
	is(vmstat_get("pgzero_idle") - idle0, 0, "prezero: prezero=0: idle time zeroes nothing");
	if (set_only(T, 1U << 4, 1) == 0)
		prezero_fault("64K, prezero=0, dirty memory freed", 4, 0, 0, 16);
	if (set_only(T, 0, 1) == 0)
		prezero_fault("4K, prezero=0", 0, 0x4321, 0, 1);

	/* prezero=1 right after freeing dirty memory: zeroed or not, it reads zero. */
	folio_knob_set("prezero", 1);
	free_dirty(16UL << 20, 'F');
	if (set_only(T, 1U << 4, 1) == 0)
		prezero_fault("64K, prezero=1, dirty memory just freed", 4, 3 * PG, -1, -1);
	if (set_only(T, 0, 1) == 0)
		prezero_fault("4K, prezero=1, dirty memory just freed", 0, 0x777, -1, -1);
	struct region r;
	if (region_map(&r, 16 * PG, PMD_SIZE, 0, 0) == 0) {
		volatile char c = r.p[PG];	/* the zero page */
		(void)c;
		long z0 = vmstat_get("pgzero_prezeroed"), f0 = vmstat_get("pgzero_fault");
		r.p[PG + 9] = 2;		/* its CoW: an order-0 folio from the same path */
		long z1 = vmstat_get("pgzero_prezeroed"), f1 = vmstat_get("pgzero_fault");
		ok(all_bytes(r.p + PG, 9, 0) && r.p[PG + 9] == 2 && all_bytes(r.p + PG + 10, PG - 10, 0),
		   "prezero: a write to the zero page gets a page that reads zero but the byte written");
		is(z1 - z0 + f1 - f0, 1, "prezero: zero-page CoW: pgzero_prezeroed + pgzero_fault += 1");
		region_unmap(&r);
	}
	restore(T);
}

/* The knobs' read formats. */
static void t_formats(void)
{
	char buf[256], path[128], dir[96];

	ok(sysfs_read(THP_DIR "/enabled", buf, sizeof(buf)) > 0 &&
	   (!strcmp(buf, "[always] madvise never\n") || !strcmp(buf, "always [madvise] never\n") ||
	    !strcmp(buf, "always madvise [never]\n")), "formats: transparent_hugepage/enabled");
	int good = 1;
	for (unsigned int k = 1; k <= MTHP_MAX_ORDER; k++) {
		snprintf(path, sizeof(path), "%s/enabled", mthp_dir(k, dir, sizeof(dir)));
		good &= sysfs_read(path, buf, sizeof(buf)) > 0 &&
			(!strcmp(buf, "[always] inherit madvise never\n") ||
			 !strcmp(buf, "always [inherit] madvise never\n") ||
			 !strcmp(buf, "always inherit [madvise] never\n") ||
			 !strcmp(buf, "always inherit madvise [never]\n"));
	}
	ok(good, "formats: hugepages-8kB..2048kB/enabled (orders 1..9)");
	static const char *const stats[] = { "anon_fault_alloc", "anon_fault_fallback",
		"anon_fault_fallback_charge", "swpout", "swpout_fallback", "split", "split_failed",
		"split_deferred", "nr_anon", "nr_anon_partially_mapped" };
	good = 1;
	for (unsigned int k = 1; k <= MTHP_MAX_ORDER; k++)
		for (size_t i = 0; i < sizeof(stats) / sizeof(stats[0]); i++)
			good &= mthp_stat(k, stats[i]) >= 0;
	ok(good, "formats: every stats/ counter of every size reads as a number");
	ok(folio_knob_get("allow_order1") == 0 || folio_knob_get("allow_order1") == 1,
	   "formats: folio/allow_order1 is 0 or 1");
	ok(sysfs_read(FOLIO_DIR "/policy", buf, sizeof(buf)) > 0 &&
	   (!strcmp(buf, "[linux] adaptive reserve utilisation\n") ||
	    !strcmp(buf, "linux [adaptive] reserve utilisation\n") ||
	    !strcmp(buf, "linux adaptive [reserve] utilisation\n") ||
	    !strcmp(buf, "linux adaptive reserve [utilisation]\n")),
	   "formats: folio/policy");
	errno = 0;
	ok(thp_set_top("sometimes") < 0 && errno == EINVAL, "formats: enabled rejects a bad word with EINVAL");
	ok(vmstat_get("pgfault") > 0 && vmstat_get("pgalloc_order_0") >= 0 && vmstat_get("thp_fault_alloc") >= 0,
	   "formats: /proc/vmstat has pgfault, pgalloc_order_0, thp_fault_alloc");
	ok(meminfo_kb("AnonPages") >= 0, "formats: /proc/meminfo has AnonPages");
	struct folio_run runs[4];
	ok(folios_read(runs, 4) > 0, "formats: /proc/self/folios parses");
}

static void t_restored(void)
{
	struct thp_knobs now;

	thp_knobs_save(&now);
	int same = now.have_top == saved.have_top && !strcmp(now.top, saved.top) &&
		   now.sizes == saved.sizes && now.allow_order1 == saved.allow_order1 &&
		   now.prezero == saved.prezero &&
		   !strcmp(now.policy, saved.policy);
	for (unsigned int k = 1; k <= MTHP_MAX_ORDER; k++)
		if (saved.sizes & (1U << k))
			same &= !strcmp(now.size[k], saved.size[k]);
	ok(same, "every knob reads as before the tests");
	is(folio_knob_get("fragment"), 0, "fragment released");
	is(folio_knob_get("fault_race_inject"), 0, "no injections left");
}

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
	{ "formats", t_formats },
	{ "order", t_order_each_size },
	{ "unaligned", t_unaligned },
	{ "pte-table", t_pte_table },
	{ "prepopulated", t_prepopulated },
	{ "policy", t_policy_matrix },
	{ "fallback", t_fallback },
	{ "faults", t_faults_per_mib },
	{ "zeropage", t_zero_page },
	{ "race", t_race },
	{ "fork-rmap", t_fork_rmap },
	{ "cow", t_cow },
	{ "partial-unmap", t_partial_unmap },
	{ "populate", t_populate },
	{ "order1", t_order1 },
	{ "split", t_split },
	{ "split-fork", t_split_fork },
	{ "deferred-scan", t_deferred_scan },
	{ "underused", t_underused },
	{ "prezero", t_prezero },
	{ "lazyfree", t_lazyfree },
	{ "reclaim", t_reclaim },
	{ "madv-free-split", t_madv_free_split },
};
#define NTESTS ((int)(sizeof(tests) / sizeof(tests[0])))

/* Fault in the stack and the libraries' buffers now, so later counter deltas only see
 * the test's own faults. */
static void __attribute__((noinline)) prefault_stack(void)
{
	volatile char buf[192 << 10];

	for (size_t i = 0; i < sizeof(buf); i += PG)
		buf[i] = 0;
}

int main(int argc, char **argv)
{
	if (!foliOS_test_start())
		return done_testing();
	prefault_stack();
	if (thp_knobs_save(&saved) < 0) {
		ok(0, "%s readable # errno %d (%s): the mTHP knobs are not there", THP_DIR "/enabled",
		   errno, strerror(errno));
		return done_testing();
	}
	diag("found: top=%s allow_order1=%ld policy=%s", saved.top, saved.allow_order1,
	     saved.have_policy ? saved.policy : "?");
	for (int t = 0; t < NTESTS; t++) {
		if (!test_selected(argc, argv, tests[t].name))
			continue;
		diag("folio_test: %s", tests[t].name);
		tests[t].fn();
		thp_knobs_restore(&saved);
	}
	t_restored();
	test_cases_known(argc, argv);
	return done_testing();
}
