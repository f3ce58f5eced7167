/*
 * gup_test: vmsplice() pins and copy-on-write, Linux's GUP-after-fork cases
 * (tools/testing/selftests/mm/cow.c: "vmsplice() + unmap in child",
 * "vmsplice() before fork, unmap in parent after fork", "vmsplice() + unmap in
 * parent after fork") plus a read-only pin, for every folio size (foliOS: 4K and
 * each hugepages-<N>kB alone "always"; Linux: the system's own size):
 *
 *   before-fork   the parent pins, forks; the child rewrites the memory; the parent
 *                 unmaps it and reads the pipe: the data as it was at vmsplice time
 *   after-fork    the same with the pin taken after fork, on the shared pages
 *   child-pin     the child pins the shared pages and unmaps them; the parent
 *                 rewrites them; the child reads the pipe: the old data
 *   ro-pin        the same in a read-only VMA (the pin unshares without write access),
 *                 the parent making its side writable again to rewrite it
 *
 * On foliOS also (/proc/self/folios): a pin keeps the folio whole (same order),
 * marks it "pinned" and adds one reference (order > 0) or GUP_PIN_COUNTING_BIAS = 1024
 * (order 0); reading the buffer or closing the pipe takes the pin away again; and
 * MemFree comes back after each size (deferred-split queue emptied first).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <folios.h>
#include <mthp.h>
#include <test.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>

#define PG		4096UL
#define PIPE_CAP	(16 * PG)
#define GUP_PIN_COUNTING_BIAS	1024

static char rbuf[PIPE_CAP];

/* A len-byte region aligned to align, filled with 'A' (faulted in at its folio size). */
static char *map_aligned(size_t len, size_t align)
{
	char *p = mmap(NULL, len + align, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *q;

	if (p == MAP_FAILED)
		return NULL;
	q = (char *)(((unsigned long)p + align - 1) & ~(align - 1));
	if (q > p)
		munmap(p, q - p);
	munmap(q + len, p + align - q);
	memset(q, 'A', len);
	return q;
}

/* Read n bytes from rfd: 0 when each is c, else 1. */
static int pipe_holds(int rfd, size_t n, char c)
{
	size_t got = 0;

	while (got < n) {
		long r = read(rfd, rbuf + got, n - got);

		if (r <= 0)
			return 1;
		got += r;
	}
	for (size_t i = 0; i < n; i++)
		if (rbuf[i] != c)
			return 1;
	return 0;
}

static long splice_in(int wfd, char *mem, size_t n)
{
	struct iovec iov = { mem, n };

	return vmsplice(wfd, &iov, 1, 0);
}

/* Wait for one byte on fd (the other side's signal). */
static void wait_byte(int fd)
{
	char c;

	read(fd, &c, 1);
}

/* vmsplice in the parent (before or after fork), the child rewrites, the parent unmaps and reads. */
static int case_parent(char *mem, size_t len, bool before_fork)
{
	int fds[2], sync[2], status, pid, bad;
	size_t n = len < PIPE_CAP ? len : PIPE_CAP;
	long t = 0;

	pipe(fds);
	pipe(sync);
	if (before_fork)
		t = splice_in(fds[1], mem, n);
	pid = fork();
	if (pid == 0) {
		wait_byte(sync[0]);
		memset(mem, 'C', len);
		_exit(0);
	}
	if (!before_fork)
		t = splice_in(fds[1], mem, n);
	write(sync[1], "g", 1);
	waitpid(pid, &status, 0);
	munmap(mem, len);
	bad = t != (long)n || pipe_holds(fds[0], n, 'A');
	close(fds[0]);
	close(fds[1]);
	close(sync[0]);
	close(sync[1]);
	return bad;
}

/* The child pins (in a read-only VMA: ro), unmaps; the parent rewrites; the child reads. */
static int case_child(char *mem, size_t len, bool ro)
{
	int fds[2], s1[2], s2[2], status, pid;
	size_t n = len < PIPE_CAP ? len : PIPE_CAP;

	pipe(fds);
	pipe(s1);
	pipe(s2);
	if (ro)
		mprotect(mem, len, PROT_READ);
	pid = fork();
	if (pid == 0) {
		long t = splice_in(fds[1], mem, n);

		munmap(mem, len);
		write(s1[1], "p", 1);
		wait_byte(s2[0]);
		_exit(t != (long)n || pipe_holds(fds[0], n, 'A'));
	}
	wait_byte(s1[0]);
	if (ro)
		mprotect(mem, len, PROT_READ | PROT_WRITE);
	memset(mem, 'P', len);
	write(s2[1], "w", 1);
	waitpid(pid, &status, 0);
	munmap(mem, len);
	close(fds[0]);
	close(fds[1]);
	close(s1[0]);
	close(s1[1]);
	close(s2[0]);
	close(s2[1]);
	return !WIFEXITED(status) || WEXITSTATUS(status);
}

/* foliOS: the pin as /proc/self/folios shows it, taken and dropped by a read or a close. */
static void case_pin_count(char *mem, unsigned int order, const char *size)
{
	struct folio_run before, r;
	int fds[2], pin = order ? 1 : GUP_PIN_COUNTING_BIAS;

	folio_at(mem, &before);
	is(before.order, order, "pin-count: the folio before");
	ok(!(before.flags & FOLIO_RUN_PINNED), "%s pin-count: not pinned before", size);
	pipe(fds);
	is(splice_in(fds[1], mem, PG), PG, "pin-count: vmsplice one page");
	folio_at(mem, &r);
	ok(r.flags & FOLIO_RUN_PINNED, "%s pin-count: pinned (%s)", size, r.flagstr);
	is(r.order, order, "pin-count: the pin keeps the folio whole");
	is(r.ref, before.ref + pin, "pin-count: the pin's references");
	is(pipe_holds(fds[0], PG, 'A'), 0, "pin-count: read the page");
	folio_at(mem, &r);
	ok(!(r.flags & FOLIO_RUN_PINNED), "%s pin-count: read: unpinned", size);
	is(r.ref, before.ref, "pin-count: read: references back");
	is(splice_in(fds[1], mem, 2 * PG), 2 * PG, "pin-count: vmsplice two pages");
	folio_at(mem, &r);
	/* Order 0: the second page is another folio. */
	is(r.ref, before.ref + (order ? 2 : 1) * pin, "pin-count: two pins on the folio");
	close(fds[0]);
	close(fds[1]);
	folio_at(mem, &r);
	ok(!(r.flags & FOLIO_RUN_PINNED) && r.ref == before.ref,
	   "%s pin-count: closing the pipe drops both pins (ref %d)", size, r.ref);
}

static long settled_free_pages(void)
{
	sysfs_write(FOLIO_DIR "/deferred_split_scan", "1");
	return free_pages_now();
}

/* Every case at one size: 2^order pages per folio, at least 16 pages of memory. */
static void test_size(unsigned int order)
{
	size_t fsz = PG << order, len = fsz < PIPE_CAP ? PIPE_CAP : fsz;
	const char *size = on_foliOS() ? mthp_size_name(order) : "system";
	char *mem;
	long free0 = 0;

	if (on_foliOS())
		free0 = settled_free_pages();
	mem = map_aligned(len, fsz);
	is(case_parent(mem, len, true), 0, "before-fork: no leak from the child into the pipe");
	mem = map_aligned(len, fsz);
	is(case_parent(mem, len, false), 0, "after-fork: no leak from the child into the pipe");
	mem = map_aligned(len, fsz);
	is(case_child(mem, len, false), 0, "child-pin: no leak from the parent into the child's pipe");
	mem = map_aligned(len, fsz);
	is(case_child(mem, len, true), 0, "ro-pin: no leak through a read-only pin");
	if (on_foliOS()) {
		mem = map_aligned(len, fsz);
		case_pin_count(mem, order, size);
		munmap(mem, len);
		is(settled_free_pages(), free0, "no page leaked");
	}
	diag("size %s done", size);
}

int main(void)
{
	struct thp_knobs saved;
	unsigned int present;

	memset(rbuf, 0, sizeof(rbuf));
	if (!on_foliOS()) {
		test_size(0);
		return done_testing();
	}
	folios_prefault();
	mthp_prefault();
	thp_knobs_save(&saved);
	present = mthp_orders_present();
	thp_only_mask(0, "never");
	test_size(0);
	for (unsigned int order = MTHP_MIN_ORDER; order <= MTHP_MAX_ORDER; order++) {
		if (!(present & (1U << order)))
			continue;
		thp_only(order, "always");
		test_size(order);
	}
	thp_knobs_restore(&saved);
	return done_testing();
}
