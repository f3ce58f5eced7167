/*
 * mremap_test: mremap(2) against Linux 6.12's behaviour (mm/mremap.c, docs/mm/vma.md).
 *
 *   errno     the argument checks in Linux's order, each refusal leaving the data as it was
 *   grow      in place when the space after is free; -ENOMEM without MAYMOVE when it is not
 *   shrink    the tail is unmapped (a touch there is SIGSEGV)
 *   move      MAYMOVE: data moves, the old range is gone; on foliOS the 64K folios keep their
 *             orders and mapcounts at the new address, and no folio is allocated (the
 *             pgalloc_order_* counters of /proc/vmstat stay: the same folios moved),
 *             aligned as the old one (64K-congruent)
 *   fixed     FIXED over a mapping (replaced) and to an address 4K off a 64K boundary: the
 *             folios stay whole, unaligned (foliOS: none allocated); fork + CoW there never leak
 *   dontunmap DONTUNMAP: the data at the new place, the old range mapped and zero
 *   partial   moving 64K that cuts two folios: each stays whole, mapped in two pieces, and
 *             turns partially mapped when one piece is unmapped (foliOS)
 *   pmd       (foliOS) a PMD-mapped 2M folio moves as one PMD between 2M-aligned addresses
 *             and as 512 PTEs (the same order-9 folio) to an unaligned one
 * On foliOS every case runs in a child and MemFree is back where it was after it (no leak).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <folios.h>
#include <mthp.h>
#include <test.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define PG	4096UL
#define BLK	(16 * PG)	/* 64K: one order-4 folio */
#define NBLK	8
#define PMD	(2UL << 20)

static bool folios;	/* foliOS: the folio checks run, each case in a child */

/* One check of a case: TAP in this process (Linux), a diagnostic from a child (foliOS). */
static int chk(bool cond, const char *name)
{
	if (!folios)
		return !ok(cond, "%s", name);
	if (!cond)
		diag("child: not ok - %s", name);
	return !cond;
}
static struct thp_knobs saved;

/* An anonymous RW region of len bytes aligned to align, with nothing mapped in the len after it. */
static char *map_aligned(size_t len, size_t align)
{
	char *p = mmap(NULL, 2 * len + align, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *a;

	if (p == MAP_FAILED)
		return NULL;
	a = (char *)(((unsigned long)p + align - 1) & ~(align - 1));
	if (a > p)
		munmap(p, (size_t)(a - p));
	munmap(a + len, (size_t)(p + 2 * len + align - (a + len)));
	return a;
}

static void fill(char *p, size_t len, int tag)
{
	for (size_t off = 0; off < len; off += PG)
		memset(p + off, (tag * 31 + (int)(off / PG)) & 0xff, PG);
}

/* Does [p, p + len) hold fill(tag)'s pattern, page i of it starting at page `first`? */
static bool check(const char *p, size_t len, int tag, size_t first)
{
	for (size_t off = 0; off < len; off += PG) {
		unsigned char want = (tag * 31 + (int)(first + off / PG)) & 0xff;

		if ((unsigned char)p[off] != want || (unsigned char)p[off + PG - 1] != want)
			return false;
	}
	return true;
}

static bool zero(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i += 512)
		if (p[i])
			return false;
	return true;
}

/* Is [p, p + len) free (nothing mapped)? */
static bool unmapped(void *p, size_t len)
{
	void *q = mmap(p, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (q == MAP_FAILED)
		return false;
	munmap(q, len);
	return q == p;
}

/* Folio allocations so far (pgalloc_order_0..9 of /proc/vmstat): a move that copied would add some. */
static long allocs(void)
{
	long n = 0;

	for (int k = 0; k <= MTHP_MAX_ORDER; k++) {
		char name[32];

		snprintf(name, sizeof(name), "pgalloc_order_%d", k);
		n += vmstat_get(name);
	}
	return n;
}

/* Every page of [p, p + n blocks) in an order-4 folio mapped 16 times, its run starting at its block. */
static bool blocks_kept(const char *p, int n)
{
	for (int i = 0; i < n * 16; i++) {
		struct folio_run r;
		const char *a = p + i * PG;

		if (folio_at(a, &r) || r.order != 4 || r.mapcount != 16 || r.rmap != 16 ||
		    (unsigned long)a - r.start != (unsigned long)(i % 16) * PG) {
			diag("at %p: %s", (const void *)a, folio_at(a, &r) ? "none" : r.flagstr);
			return false;
		}
	}
	return true;
}

/* ---- the cases (each returns the number of failed checks: run in a child on foliOS) ---- */

static int errno_table(void *arg)
{
	int fails = 0;
	char *p = map_aligned(4 * PG, PG), *blocker;

	(void)arg;
	fill(p, 4 * PG, 1);
#define ERR(call, err, name) fails += chk((long)(call) == -1 && errno == (err), name)
	ERR(mremap(p, PG, PG, 8, NULL), EINVAL, "errno: unknown flag");
	ERR(mremap(p, PG, 2 * PG, MREMAP_FIXED, p + 8 * PG), EINVAL, "errno: FIXED without MAYMOVE");
	ERR(mremap(p, PG, PG, MREMAP_DONTUNMAP, NULL), EINVAL, "errno: DONTUNMAP without MAYMOVE");
	ERR(mremap(p, PG, 2 * PG, MREMAP_DONTUNMAP | MREMAP_MAYMOVE, NULL), EINVAL,
	    "errno: DONTUNMAP with a new length");
	ERR(mremap(p + 1, PG, PG, 0, NULL), EINVAL, "errno: unaligned address");
	ERR(mremap(p, PG, 0, MREMAP_MAYMOVE, NULL), EINVAL, "errno: new length 0");
	ERR(mremap(p + 16 * PG, PG, 2 * PG, MREMAP_MAYMOVE, NULL), EFAULT, "errno: nothing mapped there");
	ERR(mremap(p, 6 * PG, 8 * PG, MREMAP_MAYMOVE, NULL), EFAULT, "errno: old range leaves the VMA");
	ERR(mremap(p, 0, PG, MREMAP_MAYMOVE, NULL), EINVAL, "errno: old length 0 of a private mapping");
	ERR(mremap(p, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, p + 16 * PG + 1), EINVAL,
	    "errno: unaligned new address");
	ERR(mremap(p, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, p + PG), EINVAL,
	    "errno: overlapping ranges");
	ERR(mremap(p, PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)(USER_VA_END - PG)), EINVAL,
	    "errno: new range past the end of user space");
	blocker = mmap(p + 4 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	ERR(mremap(p, 4 * PG, 8 * PG, 0, NULL), ENOMEM, "errno: no room to grow, no MAYMOVE");
	fails += chk((long)mremap(p, 4 * PG, 4 * PG, 0, NULL) == (long)p, "same length: the address, nothing done");
	fails += chk(check(p, 4 * PG, 1, 0), "errno: every refusal left the data as it was");
	munmap(blocker, PG);
	munmap(p, 4 * PG);
	return fails;
}

static void touch_past(void *p)
{
	*(volatile char *)p = 1;
}

static int grow_shrink(void *arg)
{
	int fails = 0;
	char *p = map_aligned(4 * PG, PG), *q;

	(void)arg;
	fill(p, 4 * PG, 2);
	q = mremap(p, 4 * PG, 8 * PG, 0, NULL);
	fails += chk((long)q == (long)p, "grow: in place when the space after is free");
	fails += chk(q == p && check(p, 4 * PG, 2, 0) && zero(p + 4 * PG, 4 * PG), "grow: data kept, the rest zero");
	if (q == p) {
		memset(p + 7 * PG, 7, PG);
		q = mremap(p, 8 * PG, 2 * PG, 0, NULL);
		fails += chk((long)q == (long)p, "shrink: same address");
		fails += chk(check(p, 2 * PG, 2, 0) && unmapped(p + 2 * PG, 6 * PG), "shrink: the tail is unmapped");
		fails += chk(expect_signal_arg(touch_past, p + 2 * PG) == SIGSEGV, "shrink: a touch past the end is SIGSEGV");
	}
	munmap(p, 8 * PG);
	return fails;
}

static int move(void *arg)
{
	size_t len = NBLK * BLK;
	char *p = map_aligned(len, BLK), *blocker, *q;
	long a0 = 0, a1 = 0;
	int fails = 0;

	(void)arg;
	fill(p, len, 3);
	blocker = mmap(p + len, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (folios) {
		fails += chk(blocks_kept(p, NBLK), "move: 64K folios before");
		a0 = allocs();
		a0 = allocs();	/* the second: its buffer copied on write already */
	}
	q = mremap(p, len, 2 * len, MREMAP_MAYMOVE, NULL);
	a1 = folios ? allocs() : 0;
	fails += chk(q != MAP_FAILED && q != p, "move: MAYMOVE moves when it cannot grow in place");
	if (q == MAP_FAILED)
		return fails + 1;
	fails += chk(check(q, len, 3, 0) && zero(q + len, len), "move: data at the new place, zeros after");
	fails += chk(unmapped(p, len), "move: the old range is unmapped");
	if (folios) {	/* Linux 6.12 aligns only multiples of 2M */
		struct folio_run r;

		fails += chk(((unsigned long)q - (unsigned long)p) % BLK == 0,
			     "move: new address congruent to the old mod 64K");
		fails += chk(a1 == a0, "move: no folio allocated: the same folios moved");
		fails += chk(blocks_kept(q, NBLK), "move: order 4, mapcount 16, block-aligned at the new place");
#ifdef __aarch64__
		fails += chk(!folio_at(q, &r) && (r.flags & FOLIO_RUN_CONT), "move: arm64 contiguous block folded again");
#else
		fails += chk(!folio_at(q, &r) && !(r.flags & FOLIO_RUN_CONT), "move: no contiguous bit on x86_64");
#endif
	}
	munmap(q, 2 * len);
	munmap(blocker, PG);
	return fails;
}

static int fixed(void *arg)
{
	size_t len = NBLK * BLK;
	char *p = map_aligned(len, BLK), *d = map_aligned(len + BLK, BLK), *q;
	long a0 = 0, a1 = 0;
	int fails = 0, status;
	pid_t pid;

	(void)arg;
	fill(p, len, 4);
	fill(d, len + BLK, 5);
	if (folios) {
		fails += chk(blocks_kept(p, NBLK), "fixed: folios before");
		a0 = allocs();
		a0 = allocs();
	}
	q = mremap(p, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, d + PG);
	a1 = folios ? allocs() : 0;
	fails += chk((long)q == (long)(d + PG), "fixed: to new_addr, 4K off a 64K boundary");
	fails += chk(check(q, len, 4, 0) && check(d, PG, 5, 0) && check(d + PG + len, BLK - PG, 5, 1 + len / PG),
		     "fixed: the data replaced exactly the destination");
	fails += chk(unmapped(p, len), "fixed: the old range is unmapped");
	if (folios) {
		fails += chk(a1 == a0, "fixed: no folio allocated: the same folios moved");
		fails += chk(blocks_kept(q, NBLK), "fixed: unaligned, each folio whole (order 4, mapcount 16)");
	}
	pid = fork();
	if (pid == 0) {
		fill(q, len, 6);
		_exit(check(q, len, 6, 0) ? 0 : 1);
	}
	fails += chk(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && !WEXITSTATUS(status),
		     "fixed: the child's writes to the unaligned folios are its own");
	fails += chk(check(q, len, 4, 0), "fixed: the parent's data unchanged by the child");
	fill(q, len, 7);
	fails += chk(check(q, len, 7, 0), "fixed: the parent writes after the child exited");
	munmap(d, len + BLK);
	return fails;
}

static int dontunmap(void *arg)
{
	size_t len = NBLK * BLK;
	char *p = map_aligned(len, BLK), *q;
	long a0 = 0, a1 = 0;
	int fails = 0;

	(void)arg;
	fill(p, len, 8);
	if (folios) {
		fails += chk(blocks_kept(p, NBLK), "dontunmap: folios before");
		a0 = allocs();
		a0 = allocs();
	}
	q = mremap(p, len, len, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL);
	a1 = folios ? allocs() : 0;
	fails += chk(q != MAP_FAILED && q != p && check(q, len, 8, 0), "dontunmap: the data at the new place");
	fails += chk(!unmapped(p, len) && zero(p, len), "dontunmap: the old range still mapped, reads zero");
	if (folios && q != MAP_FAILED) {
		fails += chk(a1 == a0, "dontunmap: no folio allocated: the same folios moved");
		fails += chk(blocks_kept(q, NBLK), "dontunmap: order 4, mapcount 16 at the new place");
	}
	memset(p, 9, PG);
	fails += chk(p[0] == 9 && check(q, len, 8, 0), "dontunmap: the old range takes new writes");
	munmap(p, len);
	if (q != MAP_FAILED)
		munmap(q, len);
	return fails;
}

static int partial(void *arg)
{
	size_t len = 4 * BLK;
	char *p = map_aligned(len, BLK), *d = map_aligned(BLK, BLK), *q;
	struct folio_run r;
	int fails = 0;

	(void)arg;
	fill(p, len, 10);
	q = mremap(p + BLK / 2, BLK, BLK, MREMAP_MAYMOVE | MREMAP_FIXED, d);
	fails += chk((long)q == (long)d, "partial: 64K across two folios moved");
	fails += chk(check(p, BLK / 2, 10, 0) && check(d, BLK, 10, 8) && check(p + 3 * BLK / 2, len - 3 * BLK / 2, 10, 24) &&
		     unmapped(p + BLK / 2, BLK), "partial: the data moved, a hole where it was");
	if (folios) {
		fails += chk(!folio_at(p, &r) && r.order == 4 && r.pages == 8 && r.mapcount == 16 &&
			     !(r.flags & FOLIO_RUN_PARTIALLY_MAPPED), "partial: the cut folio whole, mapped in two pieces");
		fails += chk(!folio_at(d, &r) && r.order == 4 && r.pages == 8 && r.mapcount == 16 && r.rmap == 16,
			     "partial: its moved piece found by the rmap");
		munmap(d, BLK);
		fails += chk(!folio_at(p, &r) && r.order == 4 && r.mapcount == 8 && (r.flags & FOLIO_RUN_PARTIALLY_MAPPED),
			     "partial: unmapping one piece leaves it partially mapped");
	}
	munmap(d, BLK);
	munmap(p, len);
	return fails;
}

static int pmd(void *arg)
{
	char *p = map_aligned(PMD, PMD), *d = map_aligned(2 * PMD, PMD), *q;
	struct folio_run r;
	long a0, a1;
	int fails = 0;

	(void)arg;
	fill(p, PMD, 11);
	if (folio_at(p, &r) || !(r.flags & FOLIO_RUN_PMD)) {
		munmap(p, PMD);
		munmap(d, 2 * PMD);
		return chk(false, "pmd: the 2M region is one PMD-mapped folio");
	}
	a0 = allocs();
	a0 = allocs();
	q = mremap(p, PMD, PMD, MREMAP_MAYMOVE | MREMAP_FIXED, d);
	a1 = allocs();
	fails += chk(q == d && check(d, PMD, 11, 0) && !folio_at(d, &r) && (r.flags & FOLIO_RUN_PMD) &&
		     r.mapcount == 512 && a1 == a0, "pmd: 2M-aligned to 2M-aligned: one PMD, the same folio");
	a0 = allocs();
	q = mremap(d, PMD, PMD, MREMAP_MAYMOVE | MREMAP_FIXED, d + PMD + 16 * PG);
	a1 = allocs();
	fails += chk(q == d + PMD + 16 * PG && check(q, PMD, 11, 0) && !folio_at(q, &r) && !(r.flags & FOLIO_RUN_PMD) &&
		     r.order == 9 && r.pages == 512 && r.mapcount == 512 && r.rmap == 512 && a1 == a0,
		     "pmd: to an unaligned address: 512 PTEs of the same order-9 folio");
	munmap(d, 2 * PMD);
	return fails;
}

static void run(const char *name, int (*fn)(void *))
{
	if (folios)
		run_child_case(name, fn);
	else
		fn(NULL);
}

/* The portable cases, in order (pmd, foliOS only, comes last). */
static const struct {
	const char *name;
	int (*fn)(void *);
} cases[] = {
	{ "errno", errno_table }, { "grow", grow_shrink }, { "move", move }, { "fixed", fixed },
	{ "dontunmap", dontunmap }, { "partial", partial },
};

int main(int argc, char **argv)
{
	folios = on_foliOS();
	if (folios) {
		if (thp_knobs_save(&saved) || thp_only(4, "always")) {
			ok(0, "set the 64K size to always");
			return done_testing();
		}
		folios_prefault();
	}
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (test_selected(argc, argv, cases[i].name))
			run(cases[i].name, cases[i].fn);
	if (folios && test_selected(argc, argv, "pmd")) {
		thp_only(9, "always");
		run("pmd", pmd);
	}
	if (folios)
		thp_knobs_restore(&saved);
	return done_testing();
}
