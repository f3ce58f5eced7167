/*
 * tlb_shootdown_test: a thread's TLB entries must be gone once another thread's munmap or
 * mprotect has returned (docs/smp.md, "Race stress").  A reader thread, pinned to one CPU,
 * accesses a page in a loop, so its CPU holds the translation; the main thread, pinned to
 * another, waits until the reader is hot, changes the mapping, and only when the call has
 * returned raises a flag.  The reader's first access after it sees the flag must fault:
 *
 *   munmap     reads, then munmap: the next read faults (SIGSEGV); meanwhile the main
 *              thread maps a new page elsewhere and fills it with a new pattern, so a
 *              stale entry to the freed frame, once reused, would show that pattern
 *   prot_none  reads, then mprotect(PROT_NONE): the next read faults
 *   prot_read  writes, then mprotect(PROT_READ): the next write faults, and the page
 *              holds exactly the last value the reader stored before it
 *   fork       writes, then fork: the child's copy must stay as it was at fork while the
 *              parent's writer goes on (its first write after fork must fault: CoW), and
 *              every value the writer reads back is its own
 *
 * Each case runs ITERS iterations and must count ITERS faults of ITERS, no value but the
 * page's own before the flag, none after it.  Accesses go through probe_read/probe_write
 * (<probe.h>): a fault returns 1 instead of killing the thread.  Without
 * sched_setaffinity (ENOSYS) the threads run unpinned, and with one CPU the loops yield
 * (both said in a diag line); the checks stay the same.  Portable: passes on Linux.
 */
#include <cpu.h>
#include <probe.h>
#include <stdio.h>
#include <string.h>
#include <thread.h>
#include <unistd.h>
#include <test.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define PG		4096UL
#define ITERS		32
#define HOT_ACCESSES	64	/* accesses before the reader calls itself hot */
#define REUSE_SLOTS	8	/* pages of the area the new pages are mapped in */
#define POST_WRITES	256	/* fork: the writer's writes after fork returned */
#define CHILD_MARK	0xc41dc41dc41dc41dUL

enum mode { MODE_MUNMAP, MODE_PROT_NONE, MODE_PROT_READ };

static const char *const mode_names[] = { "munmap", "prot_none", "prot_read" };

/* What the two threads share; the iteration counters only grow (each side writes its own). */
struct shoot {
	enum mode mode;
	int spin;				/* several CPUs: spin; one: yield while waiting */
	int reader_cpu;				/* -1: unpinned */
	volatile unsigned long *volatile page;	/* this iteration's page */
	volatile int started;			/* main: iteration whose page is set */
	volatile int hot;			/* reader: iteration it has accessed HOT_ACCESSES times */
	volatile int returned;			/* main: iteration whose munmap/mprotect returned */
	volatile int done;			/* reader: iteration it has finished */
	unsigned long last[ITERS];		/* reader: the last value it stored (prot_read) */
	int pinned;				/* reader: pin_to_cpu's result */
	int faulted, stale, wrong, reused;	/* reader's counts, see check_case */
	int early;				/* reader: faults before the flag (allowed) */
};

/* The word every page of iteration i holds, and the new pages' pattern. */
static unsigned long pattern(int i)
{
	return 0x5eed000000000000UL | (unsigned long)i << 8;
}
#define NEW_PATTERN	0x0dd0dd0dd0dd0dd0UL

static void wait_until(const volatile int *counter, int i, int spin)
{
	for (unsigned int n = 0; __atomic_load_n(counter, __ATOMIC_ACQUIRE) < i; n++)
		if (!spin || (n & 1023) == 1023)
			__syscall(__NR_sched_yield, 0, 0, 0, 0, 0, 0);
}

/* One access of this mode's kind; a read's value into *v.  1 when it faulted. */
static int access_page(const struct shoot *s, volatile unsigned long *p, unsigned long store,
		       unsigned long *v)
{
	if (s->mode == MODE_PROT_READ)
		return probe_write(p, store);
	return probe_read(p, v);
}

/* The reader: per iteration, access until the flag is up, then once more (must fault). */
static int reader(void *arg)
{
	struct shoot *s = arg;

	s->pinned = s->reader_cpu >= 0 ? pin_to_cpu(s->reader_cpu) : -1;
	for (int i = 0; i < ITERS; i++) {
		unsigned long v = 0, stored = pattern(i);
		volatile unsigned long *p;
		int faulted = 0;

		wait_until(&s->started, i, s->spin);
		p = s->page;
		for (unsigned int n = 0; __atomic_load_n(&s->returned, __ATOMIC_ACQUIRE) < i; n++) {
			if (!faulted && access_page(s, p, pattern(i) + n + 1, &v)) {
				faulted = 1;
			} else if (!faulted && s->mode == MODE_PROT_READ) {
				stored = pattern(i) + n + 1;
			} else if (!faulted && v != pattern(i)) {
				s->wrong++;
				s->reused += v == NEW_PATTERN;
			}
			if (n + 1 == HOT_ACCESSES)
				__atomic_store_n(&s->hot, i, __ATOMIC_RELEASE);
			if (!s->spin)
				__syscall(__NR_sched_yield, 0, 0, 0, 0, 0, 0);
		}
		s->early += faulted;
		if (access_page(s, p, ~0UL, &v)) {
			s->faulted++;
		} else {
			s->stale++;
			s->reused += s->mode != MODE_PROT_READ && v == NEW_PATTERN;
		}
		s->last[i] = stored;
		__atomic_store_n(&s->done, i, __ATOMIC_RELEASE);
	}
	return 0;
}

/*
 * ITERS pages, one per iteration, mapped up front (so that no iteration can fail to start
 * and leave the other thread waiting), order 0 each (MADV_NOHUGEPAGE: munmap frees the
 * frame itself).  NULL when mmap failed.
 */
static unsigned char *map_iteration_pages(void)
{
	unsigned char *pages = mmap(NULL, ITERS * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (pages == MAP_FAILED)
		return NULL;
	madvise(pages, ITERS * PG, MADV_NOHUGEPAGE);
	return pages;
}

/* One iteration of the main thread on page p; 0, or -1 when a call failed. */
static int main_iteration(struct shoot *s, int i, volatile unsigned long *p, unsigned char *reuse)
{
	unsigned long *q = (unsigned long *)(void *)(reuse + (unsigned long)(i % REUSE_SLOTS) * PG);
	int err = 0;

	for (unsigned long w = 0; w < PG / sizeof(long); w++)
		p[w] = pattern(i);
	s->page = p;
	__atomic_store_n(&s->started, i, __ATOMIC_RELEASE);
	wait_until(&s->hot, i, s->spin);
	if (s->mode == MODE_MUNMAP) {
		err = munmap((void *)p, PG);
		/* A new page, outside p's range so its address is never p's: the freed frame's next use. */
		if (mmap(q, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != q)
			err = -1;
		else
			for (unsigned long w = 0; w < PG / sizeof(long); w++)
				q[w] = NEW_PATTERN;
	} else {
		err = mprotect((void *)p, PG, s->mode == MODE_PROT_NONE ? PROT_NONE : PROT_READ);
	}
	__atomic_store_n(&s->returned, i, __ATOMIC_RELEASE);
	wait_until(&s->done, i, s->spin);
	if (s->mode == MODE_PROT_READ && p[0] != s->last[i])
		s->wrong++;		/* the page must hold the reader's last completed store */
	if (s->mode != MODE_MUNMAP)
		err |= munmap((void *)p, PG);
	else if (mmap(q, PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != q)
		err = -1;
	return err;
}

static void check_case(enum mode mode, int ncpu)
{
	static struct shoot s;
	const char *name = mode_names[mode];
	unsigned char *reuse = mmap(NULL, REUSE_SLOTS * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned char *pages = map_iteration_pages();
	struct uthread t;
	int main_pin, failed = 0;

	memset(&s, 0, sizeof(s));
	s.mode = mode;
	s.spin = ncpu > 1;
	s.reader_cpu = ncpu > 1 ? 1 : -1;
	s.started = s.hot = s.returned = s.done = -1;
	main_pin = ncpu > 1 ? pin_to_cpu(0) : -1;
	if (!ok(reuse != MAP_FAILED && pages && thread_start(&t, reader, &s) > 0, "%s: reader thread started", name))
		return;
	for (int i = 0; i < ITERS; i++)
		failed += main_iteration(&s, i, (volatile unsigned long *)(void *)(pages + (unsigned long)i * PG),
					 reuse) != 0;
	thread_join(&t);
	munmap(reuse, REUSE_SLOTS * PG);
	munmap(pages, ITERS * PG);
	if (mode == MODE_MUNMAP)
		diag("%s: main thread pinned: %d, reader pinned: %d (0: yes; -38: no sched_setaffinity; -1: one CPU)",
		     name, main_pin, s.pinned);
	ok(failed == 0, "%s: every munmap/mprotect and mmap succeeded (%d failed)", name, failed);
	ok(s.faulted == ITERS, "%s: the first %s after the call returned faulted: %d of %d iterations",
	   name, mode == MODE_PROT_READ ? "write" : "read", s.faulted, ITERS);
	ok(s.stale == 0, "%s: no access went through a stale entry after the call returned (%d did)",
	   name, s.stale);
	ok(s.wrong == 0, mode == MODE_PROT_READ ? "%s: the page holds the last completed store (%d wrong)" :
	   "%s: reads before the flag saw the page's own pattern only (%d wrong)", name, s.wrong);
	if (mode == MODE_MUNMAP)
		ok(s.reused == 0, "%s: the freed frame's new contents never showed at the old address (%d times)",
		   name, s.reused);
	diag("%s: %d of %d iterations faulted before the flag as well", name, s.early, ITERS);
}

/* ---- fork: the parent's writable entries write-protected on every CPU ---- */

/* What fork's writer thread and the main thread share (the counters as in struct shoot). */
struct forkw {
	int spin, writer_cpu;
	volatile unsigned long *volatile page;
	volatile int started, hot, forked, done;
	volatile int *post;			/* MAP_SHARED: the writer's post-fork writes, for the child */
	unsigned long last[ITERS];		/* writer: its last value */
	int wrong;				/* writer: read-backs that were not its own value */
};

/* The writer: per iteration, write until fork has returned, then POST_WRITES more, each read back. */
static int fork_writer(void *arg)
{
	struct forkw *f = arg;

	if (f->writer_cpu >= 0)
		pin_to_cpu(f->writer_cpu);
	for (int i = 0; i < ITERS; i++) {
		volatile unsigned long *p;
		unsigned long v = pattern(i);

		wait_until(&f->started, i, f->spin);
		p = f->page;
		for (unsigned int n = 0; __atomic_load_n(&f->forked, __ATOMIC_ACQUIRE) < i; n++) {
			p[0] = ++v;
			if (n + 1 == HOT_ACCESSES)
				__atomic_store_n(&f->hot, i, __ATOMIC_RELEASE);
			if (!f->spin)
				__syscall(__NR_sched_yield, 0, 0, 0, 0, 0, 0);
		}
		for (int k = 0; k < POST_WRITES; k++) {
			p[0] = ++v;
			f->wrong += p[0] != v;
			__atomic_store_n(f->post, k + 1, __ATOMIC_RELEASE);
			if (!f->spin)
				__syscall(__NR_sched_yield, 0, 0, 0, 0, 0, 0);
		}
		f->last[i] = v;
		__atomic_store_n(&f->done, i, __ATOMIC_RELEASE);
	}
	return 0;
}

/* The child: its copy must hold what it held at fork until the writer is done; then it writes its own. */
static int fork_child(struct forkw *f, volatile unsigned long *p)
{
	unsigned long v0 = p[0];
	int changed = 0;

	while (__atomic_load_n(f->post, __ATOMIC_ACQUIRE) < POST_WRITES) {
		changed += p[0] != v0;
		if (!f->spin)
			__syscall(__NR_sched_yield, 0, 0, 0, 0, 0, 0);
	}
	changed += p[0] != v0;
	p[0] = CHILD_MARK;
	return changed ? 1 : 0;
}

static void check_fork(int ncpu)
{
	static struct forkw f;
	int *post = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	unsigned char *pages = map_iteration_pages();
	int failed = 0, child_ok = 0, kept = 0;
	struct uthread t;

	memset(&f, 0, sizeof(f));
	f.spin = ncpu > 1;
	f.writer_cpu = ncpu > 1 ? 1 : -1;
	f.post = post;
	f.started = f.hot = f.forked = f.done = -1;
	if (!ok(post != MAP_FAILED && pages && thread_start(&t, fork_writer, &f) > 0, "fork: writer thread started"))
		return;
	for (int i = 0; i < ITERS; i++) {
		volatile unsigned long *p = (volatile unsigned long *)(void *)(pages + (unsigned long)i * PG);
		int status = -1;
		pid_t pid;

		p[0] = pattern(i);
		*post = 0;
		f.page = p;
		__atomic_store_n(&f.started, i, __ATOMIC_RELEASE);
		wait_until(&f.hot, i, f.spin);
		pid = fork();
		if (pid == 0)
			_exit(fork_child(&f, p));
		__atomic_store_n(&f.forked, i, __ATOMIC_RELEASE);
		wait_until(&f.done, i, f.spin);
		child_ok += pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
		kept += p[0] == f.last[i];
		failed += pid <= 0 || munmap((void *)p, PG) != 0;
	}
	thread_join(&t);
	munmap(post, PG);
	munmap(pages, ITERS * PG);
	ok(failed == 0, "fork: every fork and munmap succeeded (%d failed)", failed);
	ok(child_ok == ITERS, "fork: the child's copy held its value at fork while the parent's thread wrote on: "
	   "%d of %d iterations", child_ok, ITERS);
	ok(f.wrong == 0, "fork: the writer read back its own value every time (%d not)", f.wrong);
	ok(kept == ITERS, "fork: the parent's page holds the writer's last value, never the child's (%d of %d)",
	   kept, ITERS);
}

int main(int argc, char **argv)
{
	int ncpu = cpus_allowed();

	if (!ok(probe_install() == 0, "SIGSEGV handler for the probes installed"))
		return done_testing();
	diag("%d CPUs allowed", ncpu);
	for (enum mode m = MODE_MUNMAP; m <= MODE_PROT_READ; m++)
		if (test_selected(argc, argv, mode_names[m]))
			check_case(m, ncpu);
	if (test_selected(argc, argv, "fork"))
		check_fork(ncpu);
	test_cases_known(argc, argv);
	return done_testing();
}
