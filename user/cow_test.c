/*
 * cow_test: the copy-on-write matrix, in the spirit of Linux's
 * tools/testing/selftests/mm/cow.c (docs/mm/cow.md).
 *
 * For every folio size (foliOS: 4K, i.e. every size "never", and each hugepages-<N>kB
 * size alone "always") and every /sys/kernel/mm/folio/cow_policy (page, folio,
 * adaptive), on a region of NBLK naturally aligned blocks of that size:
 *
 *   parent-writes   the child alive: the parent rewrites everything
 *   child-writes    the same, roles swapped
 *   reuse           the child exits first; the parent's writes reuse its folios
 *   mprotect        read-only before fork, read-write again after it, both sides write
 *   partial-munmap  one page unmapped before fork; the parent rewrites the rest
 *   dontneed-*      MADV_DONTNEED of one block after fork, in the parent or the child
 *   free-*          MADV_FREE of one block after fork, in the parent or the child
 *   adaptive-order  (foliOS) a CoW does not lower the adaptive order policy's cap
 *   fallback        (foliOS, folio) no free block for the copy: one page is copied
 *
 * Everywhere: each side sees exactly its own data (every page carries a pattern of its
 * side and index), never the other side's.  On foliOS also: the write faults and the
 * cow_copy_folio / cow_reuse counters each policy must give (exact), the folios the
 * writes leave (/proc/self/folios), and MemFree back where it was after each size and
 * policy (no page leaked).  On Linux only the data checks run, at the system's own
 * folio size (tools/user-host-test.sh).
 *
 *   cow_test            every size
 *   cow_test 64K 4K     those sizes only (foliOS)
 *
 * Children report through their exit status (the number of failed checks) and print
 * "# child: ..." lines.  On foliOS the two sides synchronise through a folio_chan (the
 * peer is quiescent during a measured window); on Linux the waiting side sleeps first,
 * which only makes the data checks stronger, never wrong.
 */
#include <errno.h>
#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <folios.h>
#include <mthp.h>
#include <test.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define PG		4096UL
#define PMD_SIZE	(2UL << 20)
#define NBLK		4
#define SEED_A		0x11	/* before fork */
#define SEED_P		0x51	/* the parent after fork */
#define SEED_C		0x91	/* the child after fork */

static bool folios;		/* on foliOS: the knob, counter and folio checks run */
static unsigned int order;	/* the size under test */
static const char *policy = "host";	/* the cow_policy under test ("host": not foliOS) */
static struct folio_chan ch;

static unsigned long blk(void) { return PG << order; }
static unsigned long nr(void) { return 1UL << order; }

/* ---- regions and patterns ---- */

struct region {
	char *p;		/* NBLK blocks, 2 MiB aligned, always at the same address */
	size_t len;
};

/* A PROT_NONE reservation the regions are mapped into (MAP_FIXED) and given back to, so
 * that every case reuses the same page tables and MemFree compares exactly. */
static char *reserve;

static int reserve_map(void)
{
	size_t len = NBLK * PMD_SIZE + PMD_SIZE;
	char *m = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		return -1;
	reserve = (char *)(((unsigned long)m + PMD_SIZE - 1) & ~(PMD_SIZE - 1));
	return 0;
}

static int region_map(struct region *r)
{
	r->len = NBLK * blk();
	r->p = mmap(reserve, r->len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		    -1, 0);
	return r->p == reserve ? 0 : -1;
}

static void region_unmap(struct region *r)
{
	mmap(r->p, r->len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
}

static unsigned char pat(int seed, size_t page)
{
	return (unsigned char)(seed + page * 7);
}

/* Fill pages [first, first + n) of p, each with its byte of seed. */
static void fill(char *p, size_t first, size_t n, int seed)
{
	for (size_t i = first; i < first + n; i++)
		memset(p + i * PG, pat(seed, i), PG);
}

/* Is page i all c?  Its first, middle and last words (pages are copied whole). */
static bool page_is(const char *p, size_t i, unsigned char c)
{
	const volatile unsigned long *q = (const volatile unsigned long *)(p + i * PG);
	unsigned long w = 0x0101010101010101UL * c;
	size_t last = PG / sizeof(long) - 1;

	return q[0] == w && q[last / 2] == w && q[last] == w;
}

/* Do pages [first, first + n) hold seed's pattern (zero_ok: or zeros, page by page)? */
static bool holds(const char *p, size_t first, size_t n, int seed, bool zero_ok)
{
	for (size_t i = first; i < first + n; i++)
		if (!page_is(p, i, pat(seed, i)) && !(zero_ok && page_is(p, i, 0)))
			return false;
	return true;
}

static bool zeros(const char *p, size_t first, size_t n)
{
	for (size_t i = first; i < first + n; i++)
		if (!page_is(p, i, 0))
			return false;
	return true;
}

/* ---- counters and folios (foliOS) ---- */

struct snap {
	long minflt, copy_folio, copy_folio_size, fallback, reuse, reuse_size, free;
};

/* Called once before a window: touches this side's stack and the libraries' buffers,
 * which fork shared, so that the window's faults are the region's only. */
static void prefault(void)
{
	volatile char stack[16 * 1024];

	for (size_t i = 0; i < sizeof(stack); i += 512)
		stack[i] = 0;
	minflt_now();
	if (folios) {
		mthp_prefault();
		folios_prefault();
		free_pages_now();
	}
}

static void snap(struct snap *s)
{
	s->minflt = minflt_now();
	if (!folios)
		return;
	s->copy_folio = vmstat_get("cow_copy_folio");
	s->reuse = vmstat_get("cow_reuse");
	s->copy_folio_size = order ? mthp_stat(order, "cow_copy_folio") : 0;
	s->fallback = order ? mthp_stat(order, "cow_copy_folio_fallback") : 0;
	s->reuse_size = order ? mthp_stat(order, "cow_reuse") : 0;
	s->free = free_pages_now();
}

/* The order of the folio mapped at p (/proc/self/folios), or -1. */
static long vm_order_of(const void *p)
{
	struct folio_run fr;

	return folio_at(p, &fr) == 0 ? (long)fr.order : -1;
}

/* Is block b, written whole after fork under the policy, a folio copy? (docs/mm/cow.md) */
static bool folio_copied(int b, bool neighbour_written)
{
	if (!order || !strcmp(policy, "page"))
		return false;
	if (!strcmp(policy, "folio"))
		return true;
	return neighbour_written && (b * blk()) % PMD_SIZE != 0;	/* adaptive */
}

/* The check of one side; a child (child true) prints and counts instead of ok(). */
static int check(bool child, bool cond, const char *fmt, const char *what)
{
	if (!child)
		return ok(cond, fmt, mthp_size_name(order), policy, what) ? 0 : 1;
	if (!cond)
		diag(fmt, "child", policy, what);
	return !cond;
}

#define CHECK(child, cond, what) check((child), (cond), "%s %s: %s", (what))

static int check_is(bool child, long got, long want, const char *what)
{
	char buf[160];

	snprintf(buf, sizeof(buf), "%s (got %ld want %ld)", what, got, want);
	return check(child, got == want, "%s %s: %s", buf);
}

/*
 * After a side rewrote every page of r (block b whole, in order) since fork with the peer
 * alive, from snapshot s0: the faults, cow_copy_folio and the folios each policy gives.
 * Blocks below first_written were not rewritten whole: they took extra_faults faults.
 * A folio copy that falls back to pages (counted) is allowed for: no layout check then.
 */
static int expect_rewrite(bool child, struct region *r, const struct snap *s0, int first_written,
			  long extra_faults)
{
	struct snap s1;
	long faults = extra_faults, copies = 0;
	unsigned long runs = (unsigned long)extra_faults;	/* runs of the region so far */
	int bad = 0;

	snap(&s1);
	if (!folios)
		return 0;
	/* A folio copy that found no free block copied a page, then the block's other pages. */
	long fallback = s1.fallback - s0->fallback;
	if (fallback)
		diag("%s %s: %ld folio copies fell back to pages (no free block)", mthp_size_name(order),
		     policy, fallback);
	faults += fallback * ((long)nr() - 1);
	copies -= fallback;
	for (int b = first_written; b < NBLK; b++) {
		faults += folio_copied(b, b > first_written) ? 1 : (long)nr();
		copies += folio_copied(b, b > first_written);
	}
	for (int b = first_written; b < NBLK && !fallback; b++) {
		bool fc = folio_copied(b, b > first_written);
		struct folio_run fr;
		char what[96];

		runs += fc ? 1 : nr();
		if (runs > 256)
			continue;	/* its run is past what folios_read() keeps */
		snprintf(what, sizeof(what), "block %d is a fresh exclusive %s folio", b,
			 fc ? "whole" : "4K");
		bad += CHECK(child, folio_at(r->p + b * blk() + blk() - PG, &fr) == 0 &&
			     fr.order == (fc ? order : 0) && fr.mapcount == 1 << fr.order &&
			     fr.ref == 1 << fr.order && (fr.flags & FOLIO_RUN_EXCLUSIVE) &&
			     (fr.flags & FOLIO_RUN_WRITABLE), what);
	}
	bad += check_is(child, s1.minflt - s0->minflt, faults, "write faults");
	bad += check_is(child, s1.copy_folio - s0->copy_folio, copies, "cow_copy_folio (vmstat)");
	if (order)
		bad += check_is(child, s1.copy_folio_size - s0->copy_folio_size, copies,
				"cow_copy_folio (this size)");
	return bad;
}

/* Sync: the peer is ready (foliOS: a channel slot; elsewhere nothing to wait for). */
static int peer_wait(int slot)
{
	if (folios)
		return folio_chan_wait(&ch, slot);
	usleep(100000);
	return 0;
}

static void peer_send(int slot)
{
	if (folios)
		folio_chan_send(&ch, slot);
}

static int wait_child(pid_t pid)
{
	int status = -1;

	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* ---- the cases ---- */

/* One side rewrites everything while the other waits, then checks it saw nothing. */
static void t_one_side_writes(bool child_writes)
{
	const char *T = child_writes ? "child-writes" : "parent-writes";
	struct region r;
	struct snap s0;

	if (region_map(&r) < 0) {
		ok(0, "%s: mmap", T);
		return;
	}
	fill(r.p, 0, NBLK * nr(), SEED_A);
	pid_t pid = fork();
	if (pid == 0) {
		int bad = 0;
		prefault();
		peer_send(0);
		if (child_writes) {
			snap(&s0);
			fill(r.p, 0, NBLK * nr(), SEED_C);
			bad += expect_rewrite(true, &r, &s0, 0, 0);
			peer_send(1);
			bad += peer_wait(2) < 0;
			bad += !holds(r.p, 0, NBLK * nr(), SEED_C, false);
		} else {
			bad += peer_wait(1) < 0;
			bad += CHECK(true, holds(r.p, 0, NBLK * nr(), SEED_A, false),
				     "the parent's writes did not reach the child");
		}
		_exit(bad > 100 ? 100 : bad);
	}
	CHECK(false, pid > 0, T);
	peer_wait(0);
	if (child_writes) {
		peer_wait(1);
		CHECK(false, holds(r.p, 0, NBLK * nr(), SEED_A, false), "the child's writes did not reach the parent");
		peer_send(2);
	} else {
		prefault();
		snap(&s0);
		fill(r.p, 0, NBLK * nr(), SEED_P);
		expect_rewrite(false, &r, &s0, 0, 0);
		peer_send(1);
	}
	check_is(false, wait_child(pid), 0, child_writes ? "child-writes: child's checks (exit = failures)"
							  : "parent-writes: child's checks (exit = failures)");
	if (!child_writes)
		CHECK(false, holds(r.p, 0, NBLK * nr(), SEED_P, false), "parent-writes: the parent's own data");
	region_unmap(&r);
}

static void t_parent_writes(void) { t_one_side_writes(false); }
static void t_child_writes(void) { t_one_side_writes(true); }

/*
 * After the child exited: one write per block reuses each folio (no copy, no page
 * allocated, the whole block writable and exclusive), and the rest of the block then
 * takes no fault.  wrprotect: the region was read-only at fork, made writable again
 * by both sides (the child rewrote its copy first).
 */
static void reuse_after_child(bool wrprotect)
{
	const char *T = wrprotect ? "mprotect" : "reuse";
	struct region r;
	struct snap s0, s1, s2;
	char what[64];

	if (region_map(&r) < 0) {
		ok(0, "%s: mmap", T);
		return;
	}
	fill(r.p, 0, NBLK * nr(), SEED_A);
	if (wrprotect)
		check_is(false, mprotect(r.p, r.len, PROT_READ), 0, "mprotect: PROT_READ before fork");
	pid_t pid = fork();
	if (pid == 0) {
		int bad = !holds(r.p, 0, NBLK * nr(), SEED_A, false);
		if (wrprotect) {
			bad += mprotect(r.p, r.len, PROT_READ | PROT_WRITE) != 0;
			fill(r.p, 0, NBLK * nr(), SEED_C);
			bad += !holds(r.p, 0, NBLK * nr(), SEED_C, false);
		}
		_exit(bad);
	}
	snprintf(what, sizeof(what), "%s: the child saw the data (exit = failures)", T);
	check_is(false, wait_child(pid), 0, what);
	CHECK(false, holds(r.p, 0, NBLK * nr(), SEED_A, false), wrprotect ?
	      "mprotect: the child's writes did not reach the parent" : "reuse: data intact");
	if (wrprotect)
		check_is(false, mprotect(r.p, r.len, PROT_READ | PROT_WRITE), 0,
			 "mprotect: PROT_READ|PROT_WRITE after fork");
	prefault();
	snap(&s0);
	for (int b = 0; b < NBLK; b++)
		r.p[b * blk() + blk() - PG] = 'w';	/* the last page: the reuse covers the pages below */
	snap(&s1);
	fill(r.p, 0, NBLK * nr(), SEED_P);
	snap(&s2);
	CHECK(false, holds(r.p, 0, NBLK * nr(), SEED_P, false), wrprotect ? "mprotect: parent's data"
									  : "reuse: parent's data");
	if (folios) {
		check_is(false, s1.minflt - s0.minflt, NBLK, "reuse: one write fault per block");
		check_is(false, s1.reuse - s0.reuse, NBLK, "reuse: cow_reuse (vmstat) +1 per block");
		if (order)
			check_is(false, s1.reuse_size - s0.reuse_size, NBLK, "reuse: cow_reuse (this size) +1 per block");
		check_is(false, s1.copy_folio - s0.copy_folio, 0, "reuse: no folio copied");
		check_is(false, s1.free - s0.free, 0, "reuse: no page allocated (MemFree unchanged)");
		check_is(false, s2.minflt - s1.minflt, 0, "reuse: the rest of each block takes no fault");
		for (int b = 0; b < NBLK; b++) {
			struct folio_run fr;
			snprintf(what, sizeof(what), "%s: block %d: the same whole folio, exclusive", T, b);
			CHECK(false, folio_at(r.p + b * blk(), &fr) == 0 && fr.order == order && fr.pages == nr() &&
			      fr.start == (unsigned long)r.p + b * blk() && fr.mapcount == (int)nr() &&
			      fr.ref == (int)nr() && (fr.flags & FOLIO_RUN_EXCLUSIVE) &&
			      (fr.flags & FOLIO_RUN_WRITABLE) && !(fr.flags & FOLIO_RUN_PARTIALLY_MAPPED), what);
		}
	}
	region_unmap(&r);
}

static void t_reuse(void) { reuse_after_child(false); }
static void t_mprotect(void) { reuse_after_child(true); }

/* Page 1 unmapped before fork: the parent rewrites the rest with the child alive. */
static void t_partial_munmap(void)
{
	struct region r;
	struct snap s0;

	if (region_map(&r) < 0) {
		ok(0, "partial-munmap: mmap");
		return;
	}
	fill(r.p, 0, NBLK * nr(), SEED_A);
	check_is(false, munmap(r.p + PG, PG), 0, "partial-munmap: munmap page 1 before fork");
	pid_t pid = fork();
	if (pid == 0) {
		int bad = 0;
		prefault();
		peer_send(0);
		bad += peer_wait(1) < 0;
		bad += !holds(r.p, 0, 1, SEED_A, false) || !holds(r.p, 2, NBLK * nr() - 2, SEED_A, false);
		_exit(bad);
	}
	peer_wait(0);
	prefault();
	snap(&s0);
	fill(r.p, 0, 1, SEED_P);
	fill(r.p, 2, NBLK * nr() - 2, SEED_P);
	/* Block 0 lost a page (order 0: block 1 is gone); the blocks after it are whole. */
	expect_rewrite(false, &r, &s0, order ? 1 : 2, order ? (long)nr() - 1 : 1);
	peer_send(1);
	check_is(false, wait_child(pid), 0, "partial-munmap: the child kept its data (exit = failures)");
	CHECK(false, holds(r.p, 0, 1, SEED_P, false) && holds(r.p, 2, NBLK * nr() - 2, SEED_P, false),
	      "partial-munmap: parent's data");
	region_unmap(&r);
}

/* MADV_DONTNEED (dontneed) or MADV_FREE of block 1 after fork on one side, which then
 * writes page 0 of block 2: the other side keeps everything; the advising side reads
 * zeros (MADV_FREE: its data or zeros) in block 1. */
static void madvise_after_fork(int advice, bool in_child)
{
	const char *T = advice == MADV_DONTNEED ? (in_child ? "dontneed-child" : "dontneed-parent")
						: (in_child ? "free-child" : "free-parent");
	struct region r;
	char what[96];

	if (region_map(&r) < 0) {
		ok(0, "%s: mmap", T);
		return;
	}
	fill(r.p, 0, NBLK * nr(), SEED_A);
	pid_t pid = fork();
	int bad = 0, me = in_child ? SEED_C : SEED_P;
	if (pid == 0 && !in_child) {
		bad += peer_wait(0) < 0;
		bad += !holds(r.p, 0, NBLK * nr(), SEED_A, false);
		_exit(bad);
	}
	if (pid != 0 && in_child) {
		peer_wait(0);
		snprintf(what, sizeof(what), "%s: the child's madvise and write did not reach the parent", T);
		CHECK(false, holds(r.p, 0, NBLK * nr(), SEED_A, false), what);
		peer_send(1);
		snprintf(what, sizeof(what), "%s: the child's checks (exit = failures)", T);
		check_is(false, wait_child(pid), 0, what);
		region_unmap(&r);
		return;
	}
	/* the advising side */
	bool side_child = pid == 0;
	bad += madvise(r.p + blk(), blk(), advice) != 0;
	bad += advice == MADV_DONTNEED ? !zeros(r.p, nr(), nr()) : !holds(r.p, nr(), nr(), SEED_A, true);
	fill(r.p, 2 * nr(), 1, me);
	bad += !holds(r.p, 2 * nr(), 1, me, false) || !holds(r.p, 0, nr(), SEED_A, false) ||
	       !holds(r.p, 2 * nr() + 1, 2 * nr() - 1, SEED_A, false);
	if (side_child) {
		peer_send(0);
		bad += peer_wait(1) < 0;
		_exit(bad);
	}
	snprintf(what, sizeof(what), "%s: the parent's view after its madvise and write", T);
	CHECK(false, !bad, what);
	peer_send(0);
	snprintf(what, sizeof(what), "%s: the child kept its data (exit = failures)", T);
	check_is(false, wait_child(pid), 0, what);
	region_unmap(&r);
}

static void t_dontneed_parent(void) { madvise_after_fork(MADV_DONTNEED, false); }
static void t_dontneed_child(void) { madvise_after_fork(MADV_DONTNEED, true); }
static void t_free_parent(void) { madvise_after_fork(MADV_FREE, false); }
static void t_free_child(void) { madvise_after_fork(MADV_FREE, true); }

/*
 * foliOS, sizes up to the adaptive order policy's initial cap (64K): the same page of
 * block 0 written by the child, then by the parent, unmaps that page of the old folio
 * entirely (partially mapped) -- a CoW, not sparse use: the parent's VMA keeps its cap,
 * so a fresh write fault in block 2 still gets a folio of this size.
 */
static void t_adaptive_order(void)
{
	struct region r;
	struct folio_run fr;
	size_t x = nr() - 1;

	if (!folios || !order || order > 4)
		return;
	if (sysfs_write(FOLIO_DIR "/policy", "adaptive") < 0 || region_map(&r) < 0) {
		CHECK(false, false, "adaptive-order: order policy adaptive, mmap");
		return;
	}
	fill(r.p, 0, nr(), SEED_A);
	pid_t pid = fork();
	if (pid == 0) {
		prefault();
		fill(r.p, x, 1, SEED_C);
		peer_send(0);
		_exit(peer_wait(1) < 0 || !holds(r.p, x, 1, SEED_C, false) || !holds(r.p, 0, x, SEED_A, false));
	}
	peer_wait(0);
	fill(r.p, x, 1, SEED_P);
	fill(r.p, 2 * nr(), 1, SEED_P);
	CHECK(false, folio_at(r.p + 2 * blk(), &fr) == 0 && fr.order == order && fr.pages == nr(),
	      "adaptive-order: after the CoW a fresh fault still maps a folio of this size");
	peer_send(1);
	check_is(false, wait_child(pid), 0, "adaptive-order: the child kept its data (exit = failures)");
	CHECK(false, holds(r.p, x, 1, SEED_P, false) && holds(r.p, 0, x, SEED_A, false),
	      "adaptive-order: parent's data");
	region_unmap(&r);
	sysfs_write(FOLIO_DIR "/policy", "static");
}

static volatile int woken;	/* t_fallback's child: SIGUSR1 came */

static void on_usr1(int sig)
{
	(void)sig;
	woken = 1;
}

/*
 * foliOS, cow_policy folio: with no free block above order 0 (the fragment knob) the folio
 * copy falls back to one page (counted), nothing is lost, and the data stay apart.  The
 * child sleeps in sigsuspend (not polling /proc/self/folios as peer_wait does) until the
 * parent's SIGUSR1: while the allocator is held fragmented nothing else may allocate, or
 * reclaim woken by it could free a block of the folio's order.
 */
static void t_fallback(void)
{
	struct sigaction sa = { 0 };
	sigset_t usr1, old, none;
	struct region r;
	struct snap s0, s1;

	if (!folios || !order || strcmp(policy, "folio"))
		return;
	if (region_map(&r) < 0) {
		CHECK(false, false, "fallback: mmap");
		return;
	}
	fill(r.p, 0, NBLK * nr(), SEED_A);
	sa.sa_handler = on_usr1;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigemptyset(&none);
	sigaction(SIGUSR1, &sa, NULL);
	sigprocmask(SIG_BLOCK, &usr1, &old);	/* the child inherits it blocked: no lost wakeup */
	woken = 0;
	pid_t pid = fork();
	if (pid == 0) {
		prefault();
		peer_send(0);
		while (!woken)
			sigsuspend(&none);
		_exit(!holds(r.p, 0, NBLK * nr(), SEED_A, false));
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	peer_wait(0);
	prefault();
	snap(&s0);
	CHECK(false, folio_knob_set("fragment", 1) == 0, "fallback: fragment 1");
	fill(r.p, 0, 1, SEED_P);
	CHECK(false, folio_knob_set("fragment", 0) == 0, "fallback: fragment 0");
	snap(&s1);
	check_is(false, s1.minflt - s0.minflt, 1, "fallback: one write fault");
	check_is(false, s1.fallback - s0.fallback, 1, "fallback: cow_copy_folio_fallback +1");
	check_is(false, s1.copy_folio - s0.copy_folio, 0, "fallback: no folio copied");
	check_is(false, vm_order_of(r.p), 0, "fallback: the written page is a 4K copy");
	check_is(false, vm_order_of(r.p + PG), (long)order, "fallback: the rest maps the old folio");
	kill(pid, SIGUSR1);
	check_is(false, wait_child(pid), 0, "fallback: the child kept its data (exit = failures)");
	CHECK(false, holds(r.p, 0, 1, SEED_P, false) && holds(r.p, 1, NBLK * nr() - 1, SEED_A, false),
	      "fallback: parent's data");
	region_unmap(&r);
}

static const struct { const char *name; void (*fn)(void); } cases[] = {
	{ "parent-writes", t_parent_writes },
	{ "child-writes", t_child_writes },
	{ "reuse", t_reuse },
	{ "mprotect", t_mprotect },
	{ "partial-munmap", t_partial_munmap },
	{ "dontneed-parent", t_dontneed_parent },
	{ "dontneed-child", t_dontneed_child },
	{ "free-parent", t_free_parent },
	{ "free-child", t_free_child },
	{ "adaptive-order", t_adaptive_order },
	{ "fallback", t_fallback },
};

/* MemFree once the deferred-split queue is empty (copies leave old folios partially mapped). */
static long settled_free_pages(void)
{
	sysfs_write(FOLIO_DIR "/deferred_split_scan", "1");
	return free_pages_now();
}

/* Every case; leak_check: then MemFree must be back where it was before them. */
static void run_cases(bool leak_check)
{
	long free0 = folios ? settled_free_pages() : 0;

	for (unsigned int c = 0; c < sizeof(cases) / sizeof(cases[0]); c++)
		cases[c].fn();
	if (folios && leak_check)
		check_is(false, settled_free_pages(), free0, "MemFree back where it was (no page leaked)");
}

/* Is the size of `order` asked for (no arguments: every size)? */
static bool wanted(int argc, char **argv)
{
	for (int a = 1; a < argc; a++)
		if (!strcmp(argv[a], mthp_size_name(order)))
			return true;
	return argc < 2;
}

int main(int argc, char **argv)
{
	static const char *const policies[] = { "page", "folio", "adaptive" };
	struct thp_knobs saved;

	folios = on_foliOS();
	if (reserve_map() < 0) {
		ok(0, "reserve the test range # errno %d", errno);
		return done_testing();
	}
	prefault();
	if (!folios) {
		diag("not foliOS: data checks only, at this system's folio sizes");
		run_cases(false);
		return done_testing();
	}
	mthp_prefault();
	folios_prefault();
	if (thp_knobs_save(&saved) < 0 || !saved.have_cow_policy || folio_chan_open(&ch) < 0) {
		ok(0, "knobs %s/cow_policy readable, channel mapped # errno %d", FOLIO_DIR, errno);
		return done_testing();
	}
	is(sysfs_write(FOLIO_DIR "/policy", "static"), 0, "order policy static");
	is(folio_knob_set("allow_order1", 1), 0, "allow_order1 1");
	for (order = 0; order <= MTHP_MAX_ORDER; order++) {
		if ((order && !(saved.sizes & (1U << order))) || !wanted(argc, argv))
			continue;
		if (thp_only_mask(order ? 1U << order : 0, "always") < 0) {
			ok(0, "%s: enable only this size", mthp_size_name(order));
			continue;
		}
		/* p = 0: a first round at "page" warms the kernel's slab caches up (the new
		 * VMA and anon_vma shapes of this size), which keep their pages. */
		for (unsigned int p = 0; p < 4; p++) {
			policy = policies[p ? p - 1 : 0];
			if (sysfs_write(FOLIO_DIR "/cow_policy", policy) < 0) {
				ok(0, "cow_policy %s", policy);
				continue;
			}
			run_cases(p > 0);
		}
	}
	folio_chan_close(&ch);
	is(thp_knobs_restore(&saved), 0, "knobs restored");
	return done_testing();
}
