/*
 * race_stress_test: threads and processes changing one address space at once, every page's
 * contents checked against a model after every round (docs/smp.md, "Race stress").
 *
 *   stress   ROUNDS rounds.  Each round the main thread sets the mTHP sizes of the round
 *            (foliOS), forks M child processes, starts N worker threads (N = CPUs + 1,
 *            M = CPUs, at least 2 each; created each round and exiting at its end), and
 *            waits for all.  The private range P (64 pages per worker) is split into one
 *            slice per worker; the shared ranges S (MAP_SHARED anonymous) and F (a memfd)
 *            into 8 pages per worker and per child.  A worker runs OPS random operations
 *            on its slice: write (first-touch faults at the round's orders, CoW of what
 *            the children share), MADV_DONTNEED, MADV_FREE and munmap + mmap MAP_FIXED of
 *            parts of large folios, an mprotect(PROT_READ) flip with a read check,
 *            split_range of a part to order 0..2 and reclaim of 32 pages on demand
 *            (foliOS knobs), a check of a part, and fork (the child writes a part of the
 *            forking worker's slice, checks that slice, runs debug_vm_check).  A child, on its copy of P (CoW on
 *            both sides), writes, frees and checks random ranges, writes its pages of S
 *            and F, checks all, runs debug_vm_check and exits.  After the round the main
 *            thread checks every page of P, S and F and runs debug_vm_check.
 *   order1   the RFC's scenario, ORDER1_ITERS times: an order-1 folio (8 KiB, order 1
 *            the only size) shared by fork; the parent (CPU 0) MADV_FREEs its first page,
 *            which splits the folio, while the child (CPU 1) CoW-writes the second; both
 *            check both pages; once the child has exited, each folio run of the range
 *            must be mapped exactly once per page with rmap == mapcount
 *            (/proc/self/folios), and debug_vm_check passes.
 *   mmcalls  the address-space calls of one process at once (they run without the big kernel
 *            lock): N workers (N = CPUs + 1, at least 2), each owning every N-th page of one
 *            range Q (so each call's range is its own page but the VMA it splits, merges or
 *            replaces is shared with the others), run MM_OPS random calls on their pages:
 *            write, MADV_DONTNEED, mmap MAP_FIXED over it, an mprotect(PROT_READ) flip with
 *            a check, mremap MREMAP_DONTUNMAP away and back (the place left behind
 *            reads zeros), a MAP_SHARED page in its place
 *            for a while (a shmem VMA: the calls' big-kernel-lock part), MADV_POPULATE_WRITE,
 *            mmap(NULL) + munmap of a scratch range (the gap search), and MADV_DONTFORK +
 *            DOFORK over all of Q (the others' pages too); a reader thread meanwhile reads
 *            random words of Q, each of which must be zero or its own page's pattern.  Q has
 *            no hole at any time (replacement is by MAP_FIXED, the move by DONTUNMAP), so
 *            every call's result is exact.  Then every page of Q is checked.
 *
 * The model: each page carries the tag of (seed, round, page, writer) in every word (mixed
 * with the word's index); a page must read its tag, or zero after MADV_DONTNEED / munmap
 * + mmap / never written, or either (whole) after MADV_FREE.  Seeds are fixed (SEED, each
 * worker's and child's rng derived from it and the round), so a failure repeats its
 * operations; their interleaving is the scheduler's.  Bounds: a fixed number of rounds and
 * operations, each at most 16 pages.  On Linux the foliOS knobs (split_range, reclaim,
 * debug_vm_check, /proc/self/folios) are skipped and the mTHP sizes are left as they are
 * (the test says so); the rest runs the same.  Leaks: runtests' check after the program.
 */
#include <cpu.h>
#include <errno.h>
#include <fcntl.h>
#include <folios.h>
#include <mthp.h>
#include <stdio.h>
#include <string.h>
#include <thread.h>
#include <unistd.h>
#include <test.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define PG		4096UL
#define WORDS		(PG / sizeof(unsigned long))
#define SEED		0x5eedUL
#define ROUNDS		6
#define OPS		20		/* per worker per round */
#define CHILD_OPS	12		/* per child per round */
#define SLICE		64		/* private pages per worker */
#define OWN		8		/* pages of S and of F per worker and per child */
#define MAX_RANGE	16		/* pages an operation covers at most */
#define MAX_WORKERS	9
#define MAX_CHILDREN	8
#define ORDER1_ITERS	24
#define MM_OPS		120		/* per mmcalls worker */
#define MM_PAGES	8		/* pages of Q per mmcalls worker */
#define DEBUG_VM_CHECK	FOLIO_DIR "/debug_vm_check"
#define SPLIT_RANGE	FOLIO_DIR "/split_range"
#define RECLAIM		FOLIO_DIR "/reclaim"

/* What a page may read: its tag, zero, or either. */
enum page_state { P_ZERO, P_TAG, P_FREED };
struct page_model {
	unsigned char state;
	unsigned long tag;
};

/* The mTHP sizes of each round (bit k: order k "always", the others "never"). */
static const unsigned int round_orders[ROUNDS] = { 1U << 4, 1U << 1 | 1U << 2 | 1U << 3, 1U << 1 | 1U << 4,
						   1U << 2 | 1U << 3 | 1U << 4, 1U << 1, 0 };

static int nworkers, nchildren, ncpu, foliOS;
static unsigned char *P, *S, *F;
static struct page_model pmodel[MAX_WORKERS * SLICE];
static unsigned long smodel[MAX_WORKERS + MAX_CHILDREN][OWN];	/* S's tags by owner; F's are S's + 1 */

/* Operation counts, by kind, over the whole run (workers add their own). */
enum op { OP_WRITE, OP_DONTNEED, OP_FREE, OP_REMAP, OP_MPROTECT, OP_SPLIT, OP_RECLAIM, OP_CHECK, OP_FORK,
	  NR_OPS };
static const char *const op_names[NR_OPS] = { "write", "dontneed", "free", "remap", "mprotect", "split",
					      "reclaim", "check", "fork" };
static unsigned long op_count[MAX_WORKERS][NR_OPS];

/* xorshift64*: each worker and child has its own state. */
static unsigned long rnd(unsigned long *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dUL;
}

static unsigned long rng_seed(int round, int who)
{
	unsigned long s = SEED * 0x9e3779b97f4a7c15UL ^ (unsigned long)round << 32 ^ (unsigned long)who << 8;

	return s ? s : 1;
}

/* The tag of (round, page, writer): never zero. */
static unsigned long tag_of(int round, unsigned long page, int writer)
{
	return SEED << 48 | (unsigned long)(round + 1) << 40 | (unsigned long)(writer + 1) << 32 | (page + 1);
}

static void page_fill(volatile unsigned long *p, unsigned long tag)
{
	for (unsigned long w = 0; w < WORDS; w++)
		p[w] = tag ^ (w * 0x9e3779b97f4a7c15UL);
}

/* Does the page read as the model allows?  Whole: every word its tag, or every word zero. */
static int page_ok(const volatile unsigned long *p, const struct page_model *m)
{
	unsigned long first = p[0];
	int zero = first == 0;

	if (zero ? m->state == P_TAG : (m->state == P_ZERO || first != m->tag))
		return 0;
	for (unsigned long w = 1; w < WORDS; w++)
		if (p[w] != (zero ? 0 : m->tag ^ (w * 0x9e3779b97f4a7c15UL)))
			return 0;
	return 1;
}

/* Pages [first, first + n) of P that do not read as pmodel says. */
static int check_private(const struct page_model *model, unsigned long first, unsigned long n)
{
	int bad = 0;

	for (unsigned long i = first; i < first + n; i++)
		bad += !page_ok((const volatile unsigned long *)(P + i * PG), &model[i]);
	return bad;
}

/* S's and F's pages of owner o that do not hold its tags. */
static int check_shared(int o)
{
	int bad = 0;

	for (int i = 0; i < OWN; i++) {
		struct page_model s = { smodel[o][i] ? P_TAG : P_ZERO, smodel[o][i] };
		struct page_model f = { s.state, s.tag ? s.tag + 1 : 0 };
		unsigned long page = (unsigned long)o * OWN + (unsigned long)i;

		bad += !page_ok((const volatile unsigned long *)(S + page * PG), &s);
		bad += !page_ok((const volatile unsigned long *)(F + page * PG), &f);
	}
	return bad;
}

/* Owner o writes its pages of S and F with round's tags (it owns smodel[o]). */
static void write_shared(int o, int round)
{
	for (int i = 0; i < OWN; i++) {
		unsigned long page = (unsigned long)o * OWN + (unsigned long)i, tag = tag_of(round, page, o);

		page_fill((volatile unsigned long *)(S + page * PG), tag);
		page_fill((volatile unsigned long *)(F + page * PG), tag + 1);
		smodel[o][i] = tag;
	}
}

/* Write val to a knob with raw calls (threads share errno): 0 or -errno. */
static long knob_write(const char *path, const char *val)
{
	long fd = __syscall(__NR_openat, AT_FDCWD, (long)path, O_WRONLY, 0, 0, 0), n;

	if (fd < 0)
		return fd;
	n = __syscall(__NR_write, fd, (long)val, (long)strlen(val), 0, 0, 0);
	__syscall(__NR_close, fd, 0, 0, 0, 0, 0);
	return n < 0 ? n : 0;
}

/* debug_vm_check for the calling process: 0 when it passed (or on Linux: nothing to run). */
static long debug_vm_check(void)
{
	return foliOS ? knob_write(DEBUG_VM_CHECK, "1") : 0;
}

/* ---- stress: the operations ---- */

/* Pages [first, first + n) of P as one range; a random one of at most MAX_RANGE in a slice. */
struct range {
	unsigned long first, n;
};

static struct range random_range(unsigned long *rs, unsigned long base, unsigned long len)
{
	struct range r;

	r.n = 1 + rnd(rs) % MAX_RANGE;
	r.first = base + rnd(rs) % (len - r.n + 1);
	return r;
}

static void model_set(struct page_model *model, struct range r, enum page_state st, int round, int writer)
{
	for (unsigned long i = r.first; i < r.first + r.n; i++) {
		if (st == P_FREED && model[i].state != P_TAG)
			continue;	/* freeing zeros leaves zeros */
		model[i].state = (unsigned char)st;
		if (st == P_TAG)
			model[i].tag = tag_of(round, i, writer);
	}
}

/* Write range r of P with writer's tags; update model. */
static void op_write(struct page_model *model, struct range r, int round, int writer)
{
	for (unsigned long i = r.first; i < r.first + r.n; i++)
		page_fill((volatile unsigned long *)(P + i * PG), tag_of(round, i, writer));
	model_set(model, r, P_TAG, round, writer);
}

/*
 * One random operation on range r of P (model: the caller's view of P, its tags by
 * writer); 0, or the number of failures (a failed call, a page not as the model says).
 */
static int do_op(enum op op, struct page_model *model, struct range r, int round, int writer)
{
	unsigned char *a = P + r.first * PG;
	size_t len = r.n * PG;
	char cmd[96];
	long ret;

	switch (op) {
	case OP_WRITE:
		op_write(model, r, round, writer);
		return 0;
	case OP_DONTNEED:
		ret = madvise(a, len, MADV_DONTNEED);
		model_set(model, r, P_ZERO, round, writer);
		return ret != 0;
	case OP_FREE:
		ret = madvise(a, len, MADV_FREE);
		model_set(model, r, P_FREED, round, writer);
		return ret != 0;
	case OP_REMAP:
		ret = munmap(a, len) != 0;
		ret += mmap(a, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != a;
		model_set(model, r, P_ZERO, round, writer);
		return (int)ret;
	case OP_MPROTECT:
		ret = mprotect(a, len, PROT_READ) != 0;
		ret += check_private(model, r.first, r.n);
		ret += mprotect(a, len, PROT_READ | PROT_WRITE) != 0;
		return (int)ret;
	case OP_SPLIT:
		if (!foliOS)
			return 0;
		snprintf(cmd, sizeof(cmd), "%#lx %#lx %lu", (unsigned long)a, (unsigned long)a + len,
			 (r.first + r.n) % 3);
		ret = knob_write(SPLIT_RANGE, cmd);
		return ret != 0 && ret != -EBUSY;
	case OP_RECLAIM:
		ret = foliOS ? knob_write(RECLAIM, "32") : 0;
		return ret != 0 && ret != -EAGAIN;
	case OP_CHECK:
	default:
		return check_private(model, r.first, r.n);
	}
}

struct worker {
	struct uthread t;
	int id, round, failures;
};

/*
 * OP_FORK: fork from this worker while the others go on.  The child's copy of this
 * worker's slice is exact (no one else writes it), so the child writes a random range of
 * it (CoW on its side), checks the whole slice, runs debug_vm_check and exits; the other
 * slices of its copy were mid-change at fork and are not looked at.  1 when the child failed.
 */
static int worker_fork(struct worker *w, unsigned long base, unsigned long *rs)
{
	struct range r = random_range(rs, base, SLICE);
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		op_write(pmodel, r, w->round, MAX_WORKERS + MAX_CHILDREN + w->id);
		_exit(check_private(pmodel, base, SLICE) || debug_vm_check() ? 1 : 0);
	}
	return !(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Raised once every worker of the round is started: no mmap(NULL) after that takes a hole. */
static volatile int workers_go;

/*
 * A worker thread: OPS random operations on its slice, then a check of it all.  It waits
 * for workers_go first: its munmap + mmap(MAP_FIXED) leaves a moment's hole, which the
 * stack of a thread being started could otherwise take.
 */
static int worker(void *arg)
{
	struct worker *w = arg;
	unsigned long base = (unsigned long)w->id * SLICE, rs = rng_seed(w->round, w->id);

	if (ncpu > 1)
		pin_to_cpu(w->id % ncpu);
	while (!__atomic_load_n(&workers_go, __ATOMIC_ACQUIRE))
		__syscall(__NR_sched_yield, 0, 0, 0, 0, 0, 0);
	op_write(pmodel, (struct range){ base, SLICE }, w->round, w->id);	/* first touch, or CoW */
	write_shared(w->id, w->round);
	for (int k = 0; k < OPS; k++) {
		enum op op = (enum op)(rnd(&rs) % NR_OPS);

		if (op == OP_FORK)
			w->failures += worker_fork(w, base, &rs);
		else
			w->failures += do_op(op, pmodel, random_range(&rs, base, SLICE), w->round, w->id);
		op_count[w->id][op]++;
		if (op == OP_DONTNEED)	/* shared memory keeps its contents through DONTNEED */
			w->failures += madvise(S + (unsigned long)w->id * OWN * PG, OWN * PG, MADV_DONTNEED) != 0;
	}
	w->failures += check_private(pmodel, base, SLICE) + check_shared(w->id);
	return 0;
}

/*
 * A child process of round round: on its copy of P (model: its copy of pmodel) CHILD_OPS
 * writes, frees and checks of random ranges anywhere in P, its pages of S and F written,
 * then everything checked, and debug_vm_check.  Exit status: 0, 1 (a page not as the
 * model says, or a call failed), 2 (debug_vm_check failed).
 */
static int child(int id, int round)
{
	static const enum op kinds[] = { OP_WRITE, OP_WRITE, OP_DONTNEED, OP_FREE, OP_CHECK };
	int owner = nworkers + id, bad = 0;
	unsigned long rs = rng_seed(round, owner), npages = (unsigned long)nworkers * SLICE;

	if (ncpu > 1)
		pin_to_cpu((id + 1) % ncpu);
	write_shared(owner, round);
	for (int k = 0; k < CHILD_OPS; k++) {
		enum op op = kinds[rnd(&rs) % (sizeof(kinds) / sizeof(kinds[0]))];

		bad += do_op(op, pmodel, random_range(&rs, 0, npages), round, owner);
	}
	bad += check_private(pmodel, 0, npages);
	bad += check_shared(owner);
	if (bad)
		return 1;
	return debug_vm_check() ? 2 : 0;
}

/* One round; its four TAP lines. */
static void stress_round(int round)
{
	struct worker w[MAX_WORKERS];
	pid_t pids[MAX_CHILDREN];
	int failures = 0, children_ok = 0, bad;
	long dvc;

	if (foliOS && thp_only_mask(round_orders[round], "always"))
		diag("round %d: could not set the mTHP sizes", round);
	for (int c = 0; c < nchildren; c++) {
		pids[c] = fork();
		if (pids[c] == 0)
			_exit(child(c, round));
	}
	workers_go = 0;
	for (int i = 0; i < nworkers; i++) {
		w[i].id = i;
		w[i].round = round;
		w[i].failures = 0;
		if (thread_start(&w[i].t, worker, &w[i]) <= 0)
			w[i].failures = -1000;
	}
	__atomic_store_n(&workers_go, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < nworkers; i++) {
		if (w[i].failures != -1000)
			thread_join(&w[i].t);
		failures += w[i].failures;
	}
	for (int c = 0; c < nchildren; c++) {
		int status = -1;

		if (pids[c] > 0 && waitpid(pids[c], &status, 0) == pids[c] && WIFEXITED(status) &&
		    WEXITSTATUS(status) == 0)
			children_ok++;
		else
			diag("round %d: child %d: status %#x", round, c, status);
		for (int i = 0; i < OWN; i++)
			smodel[nworkers + c][i] = tag_of(round, (unsigned long)(nworkers + c) * OWN + i, nworkers + c);
	}
	ok(failures == 0, "stress: round %d: %d workers' operations and checks of their slices passed (%d failed)",
	   round, nworkers, failures);
	ok(children_ok == nchildren, "stress: round %d: %d of %d children (CoW on both sides) exited 0", round,
	   children_ok, nchildren);
	bad = check_private(pmodel, 0, (unsigned long)nworkers * SLICE);
	for (int o = 0; o < nworkers + nchildren; o++)
		bad += check_shared(o);
	ok(bad == 0, "stress: round %d: every page of P, S and F as the model says (%d not)", round, bad);
	dvc = debug_vm_check();
	if (foliOS)
		ok(dvc == 0, "stress: round %d: debug_vm_check passes (%ld)", round, dvc);
	else
		skip("stress: round %d: debug_vm_check is foliOS's", round);
}

/* Map len bytes aligned to 64 KiB (so a slice's large folios do not straddle it). */
static unsigned char *map_aligned(size_t len, int flags, int fd)
{
	size_t align = 16 * PG;
	unsigned char *p = mmap(NULL, len + align, PROT_READ | PROT_WRITE, flags, fd, 0), *a;

	if (p == MAP_FAILED)
		return NULL;
	if (fd >= 0 || (flags & MAP_SHARED)) {	/* shared: no alignment needed, keep it whole */
		munmap(p + len, align);
		return p;
	}
	a = (unsigned char *)(((unsigned long)p + align - 1) & ~(align - 1));
	if (a > p)
		munmap(p, (size_t)(a - p));
	munmap(a + len, align - (size_t)(a - p));
	return a;
}

static void t_stress(void)
{
	size_t plen = (size_t)nworkers * SLICE * PG, slen = (size_t)(nworkers + nchildren) * OWN * PG;
	int fd = memfd_create("race_stress", 0);
	unsigned long totals[NR_OPS] = { 0 };
	char line[256];
	size_t n = 0;

	P = map_aligned(plen, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	S = map_aligned(slen, MAP_SHARED | MAP_ANONYMOUS, -1);
	F = fd >= 0 && ftruncate(fd, (off_t)slen) == 0 ? map_aligned(slen, MAP_SHARED, fd) : NULL;
	if (!ok(P && S && F, "stress: P (%zu KiB private), S and F (%zu KiB shared anonymous, memfd) mapped",
		plen >> 10, slen >> 10))
		return;
	memset(pmodel, 0, sizeof(pmodel));
	memset(smodel, 0, sizeof(smodel));
	for (int round = 0; round < ROUNDS; round++)
		stress_round(round);
	for (int i = 0; i < nworkers; i++)
		for (int op = 0; op < NR_OPS; op++)
			totals[op] += op_count[i][op];
	for (int op = 0; op < NR_OPS; op++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, " %s %lu", op_names[op], totals[op]);
	diag("stress: operations by the workers:%s", line);
	munmap(P, plen);
	munmap(S, slen);
	munmap(F, slen);
	close(fd);
}

/* ---- order1: the RFC's MADV_FREE split of an order-1 folio against a CoW fault ---- */

struct order1_sync {
	volatile int ready, go;
};

/* Every run of [a, a + 2 pages): mapped once per page, rmap == mapcount.  1 if so. */
static int order1_runs_exact(const unsigned char *a)
{
	struct folio_run runs[2];
	int n = folios_in_range((unsigned long)a, (unsigned long)a + 2 * PG, runs, 2);

	for (int i = 0; i < n; i++)
		if (runs[i].mapcount != (int)runs[i].pages || runs[i].rmap != runs[i].mapcount)
			return 0;
	return n > 0;
}

/* The child of one iteration: CoW-write page 1 at the parent's signal, check both pages. */
static int order1_child(struct order1_sync *sync, unsigned char *a, int it)
{
	struct page_model m0 = { P_TAG, tag_of(it, 0, 0) }, m1 = { P_TAG, tag_of(it, 1, 1) };

	if (ncpu > 1)
		pin_to_cpu(1);
	sync->ready = 1;
	while (!sync->go)
		if (ncpu == 1)
			__syscall(__NR_sched_yield, 0, 0, 0, 0, 0, 0);
	page_fill((volatile unsigned long *)(a + PG), m1.tag);
	if (!page_ok((volatile unsigned long *)a, &m0) || !page_ok((volatile unsigned long *)(a + PG), &m1))
		return 1;
	return debug_vm_check() ? 2 : 0;
}

static void t_order1(void)
{
	unsigned char *map = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct order1_sync *sync = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	unsigned char *a = (unsigned char *)(((unsigned long)map + 2 * PG - 1) & ~(2 * PG - 1));
	int order1 = 0, parent_ok = 0, child_ok = 0, runs_ok = 0, dvc_ok = 0, split = 0;

	if (!ok(map != MAP_FAILED && sync != MAP_FAILED, "order1: mapped"))
		return;
	if (foliOS && (folio_knob_set("allow_order1", 1) || thp_only(1, "always")))
		diag("order1: could not make order 1 the only size");
	if (ncpu > 1)
		pin_to_cpu(0);
	for (int it = 0; it < ORDER1_ITERS; it++) {
		struct page_model m0 = { P_FREED, tag_of(it, 0, 0) }, m1 = { P_TAG, tag_of(it, 1, 0) };
		struct folio_run r;
		int status = -1, good;
		pid_t pid;

		page_fill((volatile unsigned long *)a, m0.tag);		/* the fault: one order-1 folio */
		page_fill((volatile unsigned long *)(a + PG), m1.tag);
		order1 += foliOS && folio_at(a, &r) == 0 && r.order == 1 && r.pages == 2;
		sync->ready = sync->go = 0;
		pid = fork();
		if (pid == 0)
			_exit(order1_child(sync, a, it));
		while (!sync->ready)
			__syscall(__NR_sched_yield, 0, 0, 0, 0, 0, 0);
		sync->go = 1;
		madvise(a, PG, MADV_FREE);	/* part of the shared folio: the split path */
		good = page_ok((volatile unsigned long *)a, &m0) && page_ok((volatile unsigned long *)(a + PG), &m1);
		child_ok += waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
		parent_ok += good && page_ok((volatile unsigned long *)a, &m0) &&
			     page_ok((volatile unsigned long *)(a + PG), &m1);
		if (foliOS) {
			runs_ok += order1_runs_exact(a);
			split += folio_at(a + PG, &r) == 0 && r.order == 0;
		}
		dvc_ok += debug_vm_check() == 0;
		madvise(a, 2 * PG, MADV_DONTNEED);	/* the next iteration faults a fresh folio */
	}
	if (foliOS) {
		ok(order1 == ORDER1_ITERS, "order1: %d of %d iterations started from one order-1 folio", order1,
		   ORDER1_ITERS);
	} else {
		skip("order1: the folio's order is read from foliOS's /proc/self/folios");
	}
	ok(parent_ok == ORDER1_ITERS, "order1: the parent's pages exact (page 0 old or zero) in %d of %d iterations",
	   parent_ok, ORDER1_ITERS);
	ok(child_ok == ORDER1_ITERS, "order1: the child's pages exact after its CoW write in %d of %d iterations",
	   child_ok, ORDER1_ITERS);
	if (foliOS) {
		ok(runs_ok == ORDER1_ITERS, "order1: with the child gone every run mapped once a page, rmap == mapcount "
		   "(%d of %d)", runs_ok, ORDER1_ITERS);
		ok(dvc_ok == ORDER1_ITERS, "order1: debug_vm_check passes after every iteration (%d of %d)", dvc_ok,
		   ORDER1_ITERS);
		diag("order1: the folio was split by the time the child had exited in %d of %d iterations", split,
		     ORDER1_ITERS);
	} else {
		skip("order1: folio runs are foliOS's /proc/self/folios");
		skip("order1: debug_vm_check is foliOS's");
	}
	munmap(map, 4 * PG);
	munmap(sync, PG);
}

/* ---- mmcalls: the mm system calls of several threads at once ---- */

enum mm_op { MM_WRITE, MM_DONTNEED, MM_REPLACE, MM_RDONLY, MM_MOVE, MM_SHARED, MM_POPULATE, MM_SCRATCH,
	     MM_DONTFORK, MM_CHECK, NR_MM_OPS };

static unsigned char *Q;
static unsigned long qpages;
static volatile int mm_done;

/* Word k of page p of Q written in iteration it (it >= 1); zero is "never written since". */
static unsigned long mm_word(unsigned long p, unsigned long it, unsigned long k)
{
	return 0x6d6d000000000000UL | p << 36 | it << 12 | k;
}

static void mm_fill(volatile unsigned long *w, unsigned long p, unsigned long it)
{
	for (unsigned long k = 0; k < WORDS; k++)
		w[k] = it ? mm_word(p, it, k) : 0;
}

/* Does page p (at w) hold exactly iteration it's pattern (0: zeros)? */
static int mm_page_is(const volatile unsigned long *w, unsigned long p, unsigned long it)
{
	for (unsigned long k = 0; k < WORDS; k++)
		if (w[k] != (it ? mm_word(p, it, k) : 0))
			return 0;
	return 1;
}

struct mm_worker {
	struct uthread t;
	int id, failures;
	unsigned long model[MM_PAGES];	/* the iteration each own page holds, 0: zeros */
	unsigned char *scratch;		/* one page of its own, MREMAP_DONTUNMAP's target */
};

/* One call on own page p (model *m, iteration it): 0 when every result was exact. */
static int mm_do(struct mm_worker *w, enum mm_op op, unsigned long p, unsigned long *m, unsigned long it)
{
	unsigned char *a = Q + p * PG, *q;
	volatile unsigned long *wa = (volatile unsigned long *)a;
	int bad = 0;

	switch (op) {
	case MM_WRITE:
		mm_fill(wa, p, *m = it);
		return 0;
	case MM_DONTNEED:
		*m = 0;
		return madvise(a, PG, MADV_DONTNEED) != 0;
	case MM_REPLACE:
		*m = 0;
		return mmap(a, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != a;
	case MM_RDONLY:
		bad = mprotect(a, PG, PROT_READ) != 0 || !mm_page_is(wa, p, *m);
		return bad + (mprotect(a, PG, PROT_READ | PROT_WRITE) != 0);
	case MM_MOVE:
		/*
		 * The page moves to scratch and back over the empty one left behind, DONTUNMAP
		 * both ways: neither place is ever a hole another worker's mmap(NULL) could take.
		 */
		bad = mremap(a, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP, w->scratch) != w->scratch;
		bad += !bad && (!mm_page_is((volatile unsigned long *)w->scratch, p, *m) || !mm_page_is(wa, p, 0));
		return bad + (mremap(w->scratch, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP, a) != a) +
		       !mm_page_is(wa, p, *m) + !mm_page_is((volatile unsigned long *)w->scratch, p, 0);
	case MM_SHARED:
		/* A shmem page in its place, written and read, then private memory again. */
		bad = mmap(a, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != a;
		if (!bad) {
			mm_fill(wa, p, it);
			bad = !mm_page_is(wa, p, it);
		}
		*m = 0;
		return bad + (mmap(a, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != a);
	case MM_POPULATE:
		return madvise(a, PG, MADV_POPULATE_WRITE) != 0 || !mm_page_is(wa, p, *m);
	case MM_SCRATCH:
		q = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (q == MAP_FAILED)
			return 1;
		for (unsigned long i = 0; i < 3; i++)
			mm_fill((volatile unsigned long *)(q + i * PG), qpages + i, it);
		for (unsigned long i = 0; i < 3; i++)
			bad += !mm_page_is((volatile unsigned long *)(q + i * PG), qpages + i, it);
		return bad + (munmap(q, 3 * PG) != 0);
	case MM_DONTFORK:	/* all of Q: splits and merges the VMAs every worker's pages are in */
		return (madvise(Q, qpages * PG, MADV_DONTFORK) != 0) + (madvise(Q, qpages * PG, MADV_DOFORK) != 0);
	case MM_CHECK:
	default:
		return !mm_page_is(wa, p, *m);
	}
}

static unsigned long mm_op_count[MAX_WORKERS][NR_MM_OPS];

static int mm_worker(void *arg)
{
	struct mm_worker *w = arg;
	unsigned long rs = rng_seed(ROUNDS, w->id);

	if (ncpu > 1)
		pin_to_cpu(w->id % ncpu);
	while (!__atomic_load_n(&workers_go, __ATOMIC_ACQUIRE))
		__syscall(__NR_sched_yield, 0, 0, 0, 0, 0, 0);
	for (unsigned long k = 1; k <= MM_OPS; k++) {
		enum mm_op op = (enum mm_op)(rnd(&rs) % NR_MM_OPS);
		unsigned long i = rnd(&rs) % MM_PAGES, p = i * (unsigned long)nworkers + (unsigned long)w->id;
		int bad = mm_do(w, op, p, &w->model[i], (unsigned long)w->id << 16 | k);

		if (bad)
			diag("mmcalls: worker %d: call %lu (%d) on page %lu: %d wrong", w->id, k, op, p, bad);
		w->failures += bad;
		mm_op_count[w->id][op]++;
	}
	return 0;
}

/* Words of Q read by the reader that were neither zero nor their own page's pattern. */
static unsigned long mm_reads, mm_foreign;

static int mm_reader(void *arg)
{
	unsigned long rs = SEED;

	(void)arg;
	if (ncpu > 1)
		pin_to_cpu(ncpu - 1);
	while (!__atomic_load_n(&mm_done, __ATOMIC_ACQUIRE)) {
		unsigned long p = rnd(&rs) % qpages, k = rnd(&rs) % WORDS;
		unsigned long v = ((volatile unsigned long *)(Q + p * PG))[k];

		/* Any iteration's pattern of this page and word: the bits the page and word give. */
		mm_foreign += v && (v & ~(0xfffffUL << 12)) != (0x6d6d000000000000UL | p << 36 | k);
		if (++mm_reads % 64 == 0 && ncpu == 1)
			__syscall(__NR_sched_yield, 0, 0, 0, 0, 0, 0);
	}
	return 0;
}

static void t_mmcalls(void)
{
	struct mm_worker w[MAX_WORKERS];
	struct uthread reader;
	unsigned long totals[NR_MM_OPS] = { 0 };
	int failures = 0, bad = 0, started = 0;
	long dvc;

	qpages = (unsigned long)nworkers * MM_PAGES;
	Q = map_aligned(qpages * PG, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	if (!ok(Q != NULL, "mmcalls: Q mapped (%lu pages, %d workers)", qpages, nworkers))
		return;
	memset(w, 0, sizeof(w));
	workers_go = mm_done = 0;
	for (int i = 0; i < nworkers; i++) {
		w[i].id = i;
		w[i].scratch = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (w[i].scratch == MAP_FAILED || thread_start(&w[i].t, mm_worker, &w[i]) <= 0)
			w[i].failures = -1000;
	}
	started = thread_start(&reader, mm_reader, NULL) > 0;
	__atomic_store_n(&workers_go, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < nworkers; i++) {
		if (w[i].failures != -1000)
			thread_join(&w[i].t);
		failures += w[i].failures;
	}
	__atomic_store_n(&mm_done, 1, __ATOMIC_RELEASE);
	if (started)
		thread_join(&reader);
	ok(failures == 0, "mmcalls: %d workers x %d calls on their pages of Q, every result exact (%d wrong)",
	   nworkers, MM_OPS, failures);
	ok(started && mm_foreign == 0, "mmcalls: every word the reader read was zero or its page's (%lu of %lu not)",
	   mm_foreign, mm_reads);
	for (int i = 0; i < nworkers; i++)
		for (unsigned long j = 0; j < MM_PAGES; j++)
			bad += !mm_page_is((volatile unsigned long *)(Q + (j * (unsigned long)nworkers + (unsigned long)i) * PG),
					   j * (unsigned long)nworkers + (unsigned long)i, w[i].model[j]);
	ok(bad == 0, "mmcalls: every page of Q as its worker's model says after the run (%d not)", bad);
	dvc = debug_vm_check();
	if (foliOS)
		ok(dvc == 0, "mmcalls: debug_vm_check passes (%ld)", dvc);
	else
		skip("mmcalls: debug_vm_check is foliOS's");
	for (int i = 0; i < nworkers; i++) {
		for (int op = 0; op < NR_MM_OPS; op++)
			totals[op] += mm_op_count[i][op];
		if (w[i].scratch != MAP_FAILED)
			munmap(w[i].scratch, PG);
	}
	diag("mmcalls: calls by kind: write %lu dontneed %lu replace %lu rdonly %lu move %lu shared %lu populate %lu "
	     "scratch %lu dontfork %lu check %lu", totals[MM_WRITE], totals[MM_DONTNEED], totals[MM_REPLACE],
	     totals[MM_RDONLY], totals[MM_MOVE], totals[MM_SHARED], totals[MM_POPULATE], totals[MM_SCRATCH],
	     totals[MM_DONTFORK], totals[MM_CHECK]);
	munmap(Q, qpages * PG);
}

int main(int argc, char **argv)
{
	struct thp_knobs knobs;
	int saved;

	foliOS = on_foliOS();
	if (foliOS) {
		folios_prefault();
		mthp_prefault();
	}
	ncpu = cpus_allowed();
	nworkers = ncpu + 1 < 2 ? 2 : ncpu + 1 > MAX_WORKERS ? MAX_WORKERS : ncpu + 1;
	nchildren = ncpu < 2 ? 2 : ncpu > MAX_CHILDREN ? MAX_CHILDREN : ncpu;
	diag("%d CPUs allowed%s: %d worker threads, %d child processes; seed %#lx", ncpu,
	     pin_to_cpu(0) == -ENOSYS ? " (no sched_setaffinity: unpinned)" : "", nworkers, nchildren, SEED);
	saved = foliOS && thp_knobs_save(&knobs) == 0;
	if (!foliOS)
		diag("not foliOS: the mTHP sizes stay as they are; split_range, reclaim, debug_vm_check and "
		     "/proc/self/folios are skipped");
	if (test_selected(argc, argv, "stress"))
		t_stress();
	if (test_selected(argc, argv, "order1"))
		t_order1();
	if (test_selected(argc, argv, "mmcalls"))
		t_mmcalls();
	test_cases_known(argc, argv);
	if (foliOS)
		ok(saved && thp_knobs_restore(&knobs) == 0, "the mTHP knobs restored");
	return done_testing();
}
