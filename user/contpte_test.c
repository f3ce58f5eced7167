/*
 * contpte_test: arm64's contiguous bit on user PTEs (arch/arm64/contpte.c,
 * docs/mm/anon-faults.md "Contiguous PTEs"), checked exactly through
 * /proc/self/folios (the `cont` flag) and /proc/vmstat (contpte_fold,
 * contpte_unfold).
 *
 * Every test maps 64 KiB-aligned regions with only the 64K size enabled, so
 * each 64 KiB of the region is one order-4 folio in one 16-PTE block:
 *   fold      a written folio is folded (+1 fold per folio)
 *   mprotect  mprotect of one page unfolds (+1), mprotect back refolds (+1)
 *   munmap    munmap of one page unfolds (+1), the rest stays unfolded
 *   dontneed  MADV_DONTNEED of one page unfolds; refaulting it (order 0) does not refold
 *   free      MADV_FREE of the whole folio keeps it folded; a write reads dirty (gathered)
 *   fork      after fork both keep the block folded (read-only); a CoW write of one
 *             page unfolds in the writer (when it copies the page); data never leaks
 * Data is checked after each step.  On x86_64 (no contiguous bit) the same steps run
 * and the counters stay 0 and no run reads `cont`.
 *
 * foliOS only: elsewhere it prints "ok 1 - # SKIP not foliOS" and exits 0.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <folios.h>
#include <mthp.h>
#include <test.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#define PG		4096UL
#define BLOCK		(16 * PG)
#define ORDER_64K	4

static struct thp_knobs saved;
static int arm64;		/* the kernel folds (0: x86_64, counters must stay 0) */

/* A 64 KiB-aligned private RW mapping of n blocks; NULL on failure. */
static char *map_blocks(int n)
{
	size_t len = (size_t)(n + 1) * BLOCK;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *a;

	if (p == MAP_FAILED)
		return NULL;
	a = (char *)(((unsigned long)p + BLOCK - 1) & ~(BLOCK - 1));
	if (a > p)
		munmap(p, (size_t)(a - p));
	munmap(a + n * BLOCK, (size_t)(p + len - (a + n * BLOCK)));
	return a;
}

/* Write a pattern naming (tag, page) into every page of [p, p + len). */
static void fill(char *p, size_t len, int tag)
{
	for (size_t off = 0; off < len; off += PG)
		memset(p + off, (tag * 31 + (int)(off / PG)) & 0xff, PG);
}

/* Does page i of p hold fill(.., tag)'s pattern? */
static int page_is(const char *p, size_t i, int tag)
{
	unsigned char want = (unsigned char)((tag * 31 + (int)i) & 0xff);

	for (size_t b = 0; b < PG; b++)
		if ((unsigned char)p[i * PG + b] != want)
			return 0;
	return 1;
}

/* Pages [first, last] of p hold tag's pattern. */
static int pages_are(const char *p, size_t first, size_t last, int tag)
{
	for (size_t i = first; i <= last; i++)
		if (!page_is(p, i, tag))
			return 0;
	return 1;
}

/* 1 when the run at addr reads `cont` (folded), 0 when not, -1 when no run covers it. */
static int cont_at(const void *addr)
{
	struct folio_run r;

	if (folio_at(addr, &r))
		return -1;
	return !!(r.flags & FOLIO_RUN_CONT);
}

struct counts {
	long fold, unfold;
};

static struct counts counts_now(void)
{
	return (struct counts){ vmstat_get("contpte_fold"), vmstat_get("contpte_unfold") };
}

/* The counters moved by (fold, unfold) on arm64, by nothing on x86_64. */
static void expect_counts(struct counts before, long fold, long unfold, const char *what)
{
	struct counts now = counts_now();
	char name[160];

	fold = arm64 ? fold : 0;
	unfold = arm64 ? unfold : 0;
	snprintf(name, sizeof(name), "%s: contpte_fold +%ld", what, fold);
	is(now.fold - before.fold, fold, name);
	snprintf(name, sizeof(name), "%s: contpte_unfold +%ld", what, unfold);
	is(now.unfold - before.unfold, unfold, name);
}

static void expect_cont(const void *addr, int want, const char *what)
{
	char name[160];

	want = arm64 ? want : 0;
	snprintf(name, sizeof(name), "%s: %s", what, want ? "cont" : "not cont");
	is(cont_at(addr), want, name);
}

/* n blocks mapped and filled with tag's pattern, reported as "<test>: map n blocks"; NULL on failure. */
static char *filled_blocks(int n, int tag, const char *test)
{
	char *p = map_blocks(n);
	char name[80];

	snprintf(name, sizeof(name), "%s: map %d block%s", test, n, n > 1 ? "s" : "");
	if (!ok(p != NULL, "%s", name))
		return NULL;
	fill(p, (size_t)n * BLOCK, tag);
	return p;
}

static void t_fold(void)
{
	struct counts c = counts_now();
	char *p = filled_blocks(2, 1, "fold");
	struct folio_run r;

	if (!p)
		return;
	expect_counts(c, 2, 0, "fold: two 64K folios written");
	ok(!folio_at(p, &r) && r.order == ORDER_64K && r.pages == 16, "fold: one order-4 run of 16 pages");
	expect_cont(p, 1, "fold: first block");
	expect_cont(p + BLOCK, 1, "fold: second block");
	ok(pages_are(p, 0, 31, 1), "fold: data intact");
	c = counts_now();
	munmap(p, 2 * BLOCK);
	expect_counts(c, 0, 0, "fold: munmap of whole blocks unfolds nothing");
}

static void t_mprotect(void)
{
	char *p = filled_blocks(2, 2, "mprotect");
	struct counts c;

	if (!p)
		return;
	c = counts_now();
	is(mprotect(p + 3 * PG, PG, PROT_READ), 0, "mprotect: page 3 read-only");
	expect_counts(c, 0, 1, "mprotect: one page");
	expect_cont(p, 0, "mprotect: block 0 after");
	expect_cont(p + BLOCK, 1, "mprotect: block 1 untouched");
	ok(pages_are(p, 0, 31, 2), "mprotect: data intact");
	c = counts_now();
	is(mprotect(p + 3 * PG, PG, PROT_READ | PROT_WRITE), 0, "mprotect: page 3 back to read-write");
	expect_counts(c, 1, 0, "mprotect back: refold");
	expect_cont(p, 1, "mprotect back: block 0");
	p[3 * PG] = 0x5a;
	ok(p[3 * PG] == 0x5a && pages_are(p, 4, 31, 2), "mprotect back: writable, data intact");
	c = counts_now();
	is(mprotect(p, 2 * BLOCK, PROT_READ), 0, "mprotect: both blocks read-only");
	expect_counts(c, 2, 2, "mprotect of whole blocks: unfold and refold each");
	expect_cont(p + BLOCK, 1, "mprotect: read-only block folded");
	munmap(p, 2 * BLOCK);
}

static void t_munmap(void)
{
	char *p = filled_blocks(1, 3, "munmap");
	struct counts c;

	if (!p)
		return;
	c = counts_now();
	is(munmap(p + 5 * PG, PG), 0, "munmap: page 5");
	expect_counts(c, 0, 1, "munmap: one page");
	expect_cont(p, 0, "munmap: block after");
	ok(pages_are(p, 0, 4, 3) && pages_are(p, 6, 15, 3), "munmap: the other 15 pages intact");
	munmap(p, BLOCK);
}

static void t_dontneed(void)
{
	char *p = filled_blocks(1, 4, "dontneed");
	struct counts c;

	if (!p)
		return;
	c = counts_now();
	is(madvise(p + 9 * PG, PG, MADV_DONTNEED), 0, "dontneed: page 9");
	expect_counts(c, 0, 1, "dontneed: one page");
	ok(pages_are(p, 0, 8, 4) && pages_are(p, 10, 15, 4) && p[9 * PG] == 0,
	   "dontneed: page 9 reads zero, the rest intact");
	c = counts_now();
	p[9 * PG] = 1;
	expect_counts(c, 0, 0, "dontneed: refault of page 9 (another folio) does not refold");
	expect_cont(p, 0, "dontneed: block after refault");
	munmap(p, BLOCK);
}

static void t_free(void)
{
	char *p = filled_blocks(1, 5, "free");
	struct folio_run r;
	struct counts c;

	if (!p)
		return;
	c = counts_now();
	is(madvise(p, BLOCK, MADV_FREE), 0, "free: MADV_FREE the whole folio");
	expect_counts(c, 0, 0, "free: whole block stays folded");
	ok(!folio_at(p, &r) && (r.flags & FOLIO_RUN_LAZYFREE) && !(r.flags & FOLIO_RUN_DIRTY),
	   "free: lazyfree and clean");
	expect_cont(p, 1, "free: block");
	p[11 * PG + 7] = 9;
	ok(!folio_at(p, &r) && (r.flags & FOLIO_RUN_DIRTY),
	   "free: a write to page 11 reads dirty for the run (gathered over the block)");
	expect_cont(p, 1, "free: block after the write");
	ok(pages_are(p, 0, 10, 5) && pages_are(p, 12, 15, 5) && p[11 * PG + 7] == 9,
	   "free: data intact");
	munmap(p, BLOCK);
}

/* The child of t_fork: its block is folded, read-only; a write copies one page. */
static int fork_child(char *p)
{
	int bad = 0;

	bad |= cont_at(p) != (arm64 ? 1 : 0);
	bad |= !pages_are(p, 0, 15, 6);
	p[2 * PG] = 0x77;
	bad |= cont_at(p) != 0;
	bad |= p[2 * PG] != 0x77 || !pages_are(p, 3, 15, 6) || !pages_are(p, 0, 1, 6);
	if (bad)
		printf("# child: cont %d after the write, data %s\n", cont_at(p),
		       pages_are(p, 3, 15, 6) ? "ok" : "bad");
	return bad;
}

static void t_fork(void)
{
	char *p = filled_blocks(1, 6, "fork");
	struct folio_run r;
	int status = -1;
	pid_t pid;

	if (!p)
		return;
	pid = fork();
	if (pid == 0)
		_exit(fork_child(p));
	ok(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && !WEXITSTATUS(status),
	   "fork: child saw its block folded, unfolded by its CoW write, data right");
	expect_cont(p, 1, "fork: parent's block after the child's write and exit");
	ok(pages_are(p, 0, 15, 6), "fork: parent's data untouched by the child");
	p[7 * PG] = 0x33;
	/* A copy of the page (order 0 there) unfolds; reusing the whole folio keeps it folded. */
	ok(!folio_at(p + 7 * PG, &r), "fork: page 7 mapped after the parent's write");
	expect_cont(p, r.order == ORDER_64K, "fork: parent's block after its CoW write of page 7");
	ok(p[7 * PG] == 0x33 && pages_are(p, 0, 6, 6) && pages_are(p, 8, 15, 6),
	   "fork: parent's data after its write");
	munmap(p, BLOCK);
}

int main(void)
{
	struct utsname u;

	if (!foliOS_test_start())
		return done_testing();
	arm64 = !uname(&u) && !strcmp(u.machine, "aarch64");
	if (thp_knobs_save(&saved) < 0 || thp_only(ORDER_64K, "always") < 0) {
		ok(0, "64K only # errno %d (%s)", errno, strerror(errno));
		return done_testing();
	}
	diag("contpte_test: %s", arm64 ? "arm64, the contiguous bit in use" : "no contiguous bit");
	t_fold();
	t_mprotect();
	t_munmap();
	t_dontneed();
	t_free();
	t_fork();
	ok(thp_knobs_restore(&saved) == 0, "knobs restored");
	return done_testing();
}
