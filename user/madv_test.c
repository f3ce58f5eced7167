/* madv_test: the madvise advice, mincore, msync, the mlock family, resource limits, prctl
 * and the exact semantics of mprotect/mmap/madvise/wait4, as Linux 6.12 defines them; every
 * row was run natively on Linux first (tools/user-host-test.sh) and holds there too:
 *   - fork advice: DONTFORK (the child has no mapping: SIGSEGV), DOFORK, WIPEONFORK (the
 *     child reads zeros, the parent keeps its data), KEEPONFORK;
 *   - the advice table: every advice Linux knows on private anonymous memory, on mlocked
 *     memory (DONTNEED/FREE/COLD/PAGEOUT EINVAL, DONTNEED_LOCKED 0), length 0, unknown ones;
 *   - mincore vectors before and after a touch and after MADV_DONTNEED, and its errno;
 *   - msync's flag and range checks;
 *   - mlock/mlock2(MLOCK_ONFAULT)/munlock/mlockall(MCL_FUTURE) under RLIMIT_MEMLOCK (run
 *     without CAP_IPC_LOCK: dropped first on Linux when root, foliOS has no capabilities);
 *     locked pages survive reclaim (foliOS's folio/reclaim knob);
 *   - RLIMIT_AS, RLIMIT_DATA, RLIMIT_NOFILE refusals and the setrlimit checks;
 *   - prctl THP disable (foliOS: the folios made are order 0), names, unknown options;
 *     PR_SET_MDWE / PR_GET_MDWE (memory-deny-write-execute: mmap and mprotect -EACCES,
 *     inherited by fork unless PR_MDWE_NO_INHERIT; in children, since it cannot be undone). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <folios.h>
#include <mthp.h>
#include <test.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define PG	4096UL
#define CAP_IPC_LOCK	14
#define LINUX_CAPABILITY_VERSION_3	0x20080522
#define RECLAIM_KNOB	"/sys/kernel/mm/folio/reclaim"

static unsigned char *anon(size_t len, int prot)
{
	void *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* How many of the npages pages at p does mincore report resident (-1: mincore failed)? */
static long resident(void *p, unsigned long npages)
{
	unsigned char vec[64];
	long n = 0;

	if (npages > sizeof(vec) || mincore(p, npages * PG, vec))
		return -1;
	for (unsigned long i = 0; i < npages; i++)
		n += vec[i] & 1;
	return n;
}

/*
 * The /proc/self/smaps entry of the mapping that starts at p: its "Locked:" value in kB
 * (*locked_kb) and whether its VmFlags holds the two-letter flag; -1 if not found.
 */
static int smaps_entry(const void *p, const char *flag, long *locked_kb)
{
	static char buf[1 << 16];
	char head[32], want[8], *e, *v, *end;
	int fd = open("/proc/self/smaps", O_RDONLY);
	long n = 0, r;

	if (fd < 0)
		return -1;
	while (n < (long)sizeof(buf) - 1 && (r = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
		n += r;
	close(fd);
	buf[n] = 0;
	snprintf(head, sizeof(head), "%lx-", (unsigned long)p);
	for (e = buf; e && strncmp(e, head, strlen(head)); e = strchr(e, '\n') ? strchr(e, '\n') + 1 : NULL)
		;
	if (!e || !(v = strstr(e, "Locked:")) || !(end = strstr(v, "\n")))
		return -1;
	*locked_kb = 0;
	for (char *c = v + 7; *c == ' ' || (*c >= '0' && *c <= '9'); c++)
		if (*c != ' ')
			*locked_kb = *locked_kb * 10 + (*c - '0');
	snprintf(want, sizeof(want), " %s ", flag);
	v = strstr(e, "VmFlags:");
	end = v ? strchr(v, '\n') : NULL;
	if (!v || !end)
		return -1;
	*end = 0;
	return strstr(v, want) != NULL;
}

/* ---------------------------------------------------------------- fork advice */

static unsigned char *fork_page;

static void touch_fork_page(void)
{
	*(volatile unsigned char *)fork_page = 1;
}

static int child_reads(void *arg)
{
	return fork_page[0] == *(unsigned char *)arg && fork_page[PG - 1] == *(unsigned char *)arg;
}

static void fork_advice(void)
{
	unsigned char zero = 0, a = 'a';
	int st;

	fork_page = anon(PG, PROT_READ | PROT_WRITE);
	memset(fork_page, 'a', PG);
	long kb;

	is(madvise(fork_page, PG, MADV_DONTFORK), 0, "MADV_DONTFORK: 0");
	is(smaps_entry(fork_page, "dc", &kb), 1, "smaps VmFlags: dc");
	is(expect_signal(touch_fork_page), SIGSEGV, "DONTFORK: the child has no mapping there (SIGSEGV)");
	is(madvise(fork_page, PG, MADV_DOFORK), 0, "MADV_DOFORK: 0");
	st = run_child(child_reads, &a);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 1, "DOFORK: the child sees the parent's data");
	is(madvise(fork_page, PG, MADV_WIPEONFORK), 0, "MADV_WIPEONFORK: 0");
	is(smaps_entry(fork_page, "wf", &kb), 1, "smaps VmFlags: wf");
	st = run_child(child_reads, &zero);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 1, "WIPEONFORK: the child reads zeros");
	ok(fork_page[0] == 'a' && fork_page[PG - 1] == 'a', "WIPEONFORK: the parent keeps its data");
	is(madvise(fork_page, PG, MADV_KEEPONFORK), 0, "MADV_KEEPONFORK: 0");
	st = run_child(child_reads, &a);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 1, "KEEPONFORK: the child sees the data again");
	munmap(fork_page, PG);
}

/* ---------------------------------------------------------------- the advice table */

static void advice_table(void)
{
	static const struct { int advice; const char *name; } all[] = {
		{ MADV_NORMAL, "NORMAL" }, { MADV_RANDOM, "RANDOM" }, { MADV_SEQUENTIAL, "SEQUENTIAL" },
		{ MADV_WILLNEED, "WILLNEED" }, { MADV_DONTNEED, "DONTNEED" }, { MADV_FREE, "FREE" },
		{ MADV_DONTFORK, "DONTFORK" }, { MADV_DOFORK, "DOFORK" }, { MADV_MERGEABLE, "MERGEABLE" },
		{ MADV_UNMERGEABLE, "UNMERGEABLE" }, { MADV_HUGEPAGE, "HUGEPAGE" },
		{ MADV_NOHUGEPAGE, "NOHUGEPAGE" }, { MADV_DONTDUMP, "DONTDUMP" }, { MADV_DODUMP, "DODUMP" },
		{ MADV_WIPEONFORK, "WIPEONFORK" }, { MADV_KEEPONFORK, "KEEPONFORK" }, { MADV_COLD, "COLD" },
		{ MADV_PAGEOUT, "PAGEOUT" }, { MADV_POPULATE_READ, "POPULATE_READ" },
		{ MADV_POPULATE_WRITE, "POPULATE_WRITE" }, { MADV_DONTNEED_LOCKED, "DONTNEED_LOCKED" },
	};
	static const int unknown[] = { 5, 6, 7, 26, 99, 110, -1 };	/* (102+: Linux 6.13 guards) */
	unsigned char *p = anon(4 * PG, PROT_READ | PROT_WRITE);
	char name[96];

	memset(p, 'x', 4 * PG);
	for (unsigned int i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		snprintf(name, sizeof(name), "MADV_%s on private anonymous memory: 0", all[i].name);
		is(madvise(p, 4 * PG, all[i].advice), 0, name);
		snprintf(name, sizeof(name), "MADV_%s of length 0: 0", all[i].name);
		is(madvise(p, 0, all[i].advice), 0, name);
	}
	for (unsigned int i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		snprintf(name, sizeof(name), "advice %d: EINVAL", unknown[i]);
		is_errno(madvise(p, PG, unknown[i]), EINVAL, name);
	}
	memset(p, 'x', 4 * PG);
	if (mlock(p, 4 * PG) == 0) {
		is_errno(madvise(p, PG, MADV_DONTNEED), EINVAL, "MADV_DONTNEED on mlocked memory: EINVAL");
		is_errno(madvise(p, PG, MADV_FREE), EINVAL, "MADV_FREE on mlocked memory: EINVAL");
		is_errno(madvise(p, PG, MADV_COLD), EINVAL, "MADV_COLD on mlocked memory: EINVAL");
		is_errno(madvise(p, PG, MADV_PAGEOUT), EINVAL, "MADV_PAGEOUT on mlocked memory: EINVAL");
		p[0] = 'y';
		is(madvise(p, PG, MADV_DONTNEED_LOCKED), 0, "MADV_DONTNEED_LOCKED on mlocked memory: 0");
		is(p[0], 0, "... and the page reads zeros afterwards");
		is(p[PG], 'x', "... the next page keeps its data");
		is(munlock(p, 4 * PG), 0, "munlock: 0");
	} else {
		skip("mlock failed (errno %d): locked advice not checked", errno);
	}
	munmap(p, 4 * PG);
}

/*
 * COLD and PAGEOUT as Linux without swap: written (dirty) memory stays; MADV_FREE'd clean
 * memory is freed at once by PAGEOUT (reads zeros, no longer resident).
 */
static void cold_pageout(void)
{
	unsigned char *p = anon(16 * PG, PROT_READ | PROT_WRITE);
	int kept = 1;

	memset(p, 'c', 16 * PG);
	is(madvise(p, 16 * PG, MADV_COLD), 0, "MADV_COLD: 0");
	is(madvise(p, 16 * PG, MADV_PAGEOUT), 0, "MADV_PAGEOUT of written memory: 0");
	for (unsigned long i = 0; i < 16 * PG; i++)
		kept &= p[i] == 'c';
	ok(kept, "written memory keeps its data through COLD and PAGEOUT (no swap)");
	is(resident(p, 16), 16, "... and stays resident");
	is(madvise(p, 16 * PG, MADV_FREE), 0, "MADV_FREE: 0");
	is(madvise(p, 16 * PG, MADV_PAGEOUT), 0, "MADV_PAGEOUT of lazyfree memory: 0");
	is(resident(p, 16), 0, "PAGEOUT freed the lazyfree pages at once");
	ok(p[0] == 0 && p[15 * PG] == 0, "they read zeros");
	munmap(p, 16 * PG);
}

/* ---------------------------------------------------------------- mincore, msync */

static void mincore_msync(void)
{
	unsigned char *p = anon(8 * PG, PROT_READ | PROT_WRITE), vec[8];

	is(resident(p, 8), 0, "mincore: nothing resident before a touch");
	p[0] = 1;
	p[3 * PG] = 1;
	(void)*(volatile unsigned char *)(p + 5 * PG);	/* a read: the zero page */
	is(mincore(p, 8 * PG, vec), 0, "mincore: 0");
	ok(vec[0] == 1 && vec[1] == 0 && vec[3] == 1 && vec[5] == 1 && vec[7] == 0,
	   "mincore: written and read pages 1, the others 0 (%d %d %d %d %d)",
	   vec[0], vec[1], vec[3], vec[5], vec[7]);
	is(madvise(p, 8 * PG, MADV_DONTNEED), 0, "MADV_DONTNEED: 0");
	is(resident(p, 8), 0, "mincore after MADV_DONTNEED: nothing resident");
	is(mincore(p, 0, vec), 0, "mincore of length 0: 0");
	is(mincore(p, 1, vec), 0, "mincore of 1 byte: 0 (one page)");
	is_errno(mincore(p + 1, PG, vec), EINVAL, "mincore of an unaligned start: EINVAL");
	is_errno(mincore(p, PG, (unsigned char *)8), EFAULT, "mincore with a bad vector: EFAULT");
	munmap(p + 4 * PG, PG);
	is_errno(mincore(p, 8 * PG, vec), ENOMEM, "mincore over a hole: ENOMEM");
	is_errno(mincore(p + 4 * PG, PG, vec), ENOMEM, "mincore of a hole: ENOMEM");

	is(msync(p, 4 * PG, MS_ASYNC), 0, "msync MS_ASYNC: 0");
	is(msync(p, 4 * PG, MS_SYNC), 0, "msync MS_SYNC: 0");
	is(msync(p, 4 * PG, MS_INVALIDATE), 0, "msync MS_INVALIDATE: 0");
	is(msync(p, 0, MS_SYNC), 0, "msync of length 0: 0");
	is_errno(msync(p, PG, MS_ASYNC | MS_SYNC), EINVAL, "msync MS_ASYNC|MS_SYNC: EINVAL");
	is_errno(msync(p, PG, 8), EINVAL, "msync with an unknown flag: EINVAL");
	is_errno(msync(p + 1, PG, MS_SYNC), EINVAL, "msync of an unaligned start: EINVAL");
	is_errno(msync(p, 8 * PG, MS_SYNC), ENOMEM, "msync MS_SYNC over a hole: ENOMEM");
	is_errno(msync(p, 8 * PG, MS_ASYNC), ENOMEM, "msync MS_ASYNC over a hole: ENOMEM");
	is_errno(msync(p + 4 * PG, PG, MS_ASYNC), ENOMEM, "msync of only a hole: ENOMEM");
	if (mlock(p, PG) == 0) {
		is_errno(msync(p, PG, MS_INVALIDATE), EBUSY, "msync MS_INVALIDATE of mlocked memory: EBUSY");
		is(msync(p, PG, MS_SYNC), 0, "msync MS_SYNC of mlocked memory: 0");
	} else {
		skip("mlock failed (errno %d)", errno);
	}
	munmap(p, 8 * PG);
}

/* ---------------------------------------------------------------- mlock and RLIMIT_MEMLOCK */

/* On Linux as root: drop CAP_IPC_LOCK, so RLIMIT_MEMLOCK binds as it does on foliOS. */
static void drop_ipc_lock(void)
{
	struct { unsigned int version; int pid; } hdr = { LINUX_CAPABILITY_VERSION_3, 0 };
	struct { unsigned int effective, permitted, inheritable; } data[2];

	if (on_foliOS() || syscall(__NR_capget, &hdr, data))
		return;
	data[0].effective &= ~(1U << CAP_IPC_LOCK);
	data[0].permitted &= ~(1U << CAP_IPC_LOCK);
	if (syscall(__NR_capset, &hdr, data))
		diag("capset failed (errno %d): RLIMIT_MEMLOCK checks may not hold", errno);
}

static int set_limit(int res, unsigned long cur, unsigned long max)
{
	struct rlimit rl = { cur, max };

	return setrlimit(res, &rl);
}

static void mlock_limits(void)
{
	struct rlimit old;
	unsigned char *p = anon(32 * PG, PROT_READ | PROT_WRITE), *q;

	drop_ipc_lock();
	getrlimit(RLIMIT_MEMLOCK, &old);
	is(set_limit(RLIMIT_MEMLOCK, 16 * PG, old.rlim_max), 0, "RLIMIT_MEMLOCK 16 pages: 0");
	is(mlock(p + 1, 8 * PG - 1), 0, "mlock of 8 pages (unaligned start): 0");
	is(resident(p, 8), 8, "mlock populated the 8 pages");
	{
		long kb = -1;

		is(smaps_entry(p, "lo", &kb), 1, "smaps VmFlags: lo");
		is(kb, 8 * PG / 1024, "smaps Locked: the 8 pages");
	}
	is(mlock(p, 8 * PG), 0, "mlock of the same pages again: 0 (counted once)");
	is_errno(mlock(p + 8 * PG, 16 * PG), ENOMEM, "mlock beyond RLIMIT_MEMLOCK: ENOMEM");
	is(resident(p + 8 * PG, 16), 0, "... and nothing was populated");
	is_errno(mlock2(p, PG, 2), EINVAL, "mlock2 with an unknown flag: EINVAL");
	is(mlock2(p + 8 * PG, 4 * PG, MLOCK_ONFAULT), 0, "mlock2 MLOCK_ONFAULT: 0");
	is(resident(p + 8 * PG, 4), 0, "MLOCK_ONFAULT populates nothing");
	p[8 * PG] = 1;
	is(resident(p + 8 * PG, 4), 1, "... the touched page is resident");
	is(munlock(p, 32 * PG), 0, "munlock of all: 0");
	is(mlock(p, 16 * PG), 0, "after munlock the whole limit is free again");
	munlock(p, 16 * PG);
	munmap(p + 20 * PG, 4 * PG);
	is_errno(mlock(p + 16 * PG, 8 * PG), ENOMEM, "mlock over a hole: ENOMEM");
	is_errno(mlock(p + 20 * PG, PG), ENOMEM, "mlock of a hole: ENOMEM");
	munlock(p, 32 * PG);
	mprotect(p, PG, PROT_NONE);
	is_errno(mlock(p, PG), ENOMEM, "mlock of PROT_NONE memory: ENOMEM (it cannot be populated)");
	munlock(p, PG);
	mprotect(p, PG, PROT_READ | PROT_WRITE);
	is(mlockall(MCL_FUTURE), 0, "mlockall(MCL_FUTURE): 0");
	q = anon(4 * PG, PROT_READ | PROT_WRITE);
	is(resident(q, 4), 4, "MCL_FUTURE: a new mapping is populated");
	is_errno(mmap(NULL, 32 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EAGAIN,
		 "MCL_FUTURE: a new mapping beyond RLIMIT_MEMLOCK: EAGAIN");
	is(munlockall(), 0, "munlockall: 0");
	is_errno(mlockall(0), EINVAL, "mlockall(0): EINVAL");
	is_errno(mlockall(MCL_ONFAULT), EINVAL, "mlockall(MCL_ONFAULT) alone: EINVAL");
	is_errno(mlockall(8), EINVAL, "mlockall with an unknown flag: EINVAL");
	is(set_limit(RLIMIT_MEMLOCK, 0, old.rlim_max), 0, "RLIMIT_MEMLOCK 0: 0");
	is_errno(mlock(p, PG), EPERM, "mlock with RLIMIT_MEMLOCK 0: EPERM");
	is_errno(mlockall(MCL_CURRENT), EPERM, "mlockall with RLIMIT_MEMLOCK 0: EPERM");
	is_errno(mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0), EPERM,
		 "MAP_LOCKED with RLIMIT_MEMLOCK 0: EPERM");
	is(set_limit(RLIMIT_MEMLOCK, old.rlim_cur, old.rlim_max), 0, "RLIMIT_MEMLOCK back");
	munmap(q, 4 * PG);
	munmap(p, 32 * PG);
}

/* foliOS: a lazyfree page that is then mlocked keeps its data through reclaim. */
static void locked_survive_reclaim(void)
{
	unsigned char *p = anon(16 * PG, PROT_READ | PROT_WRITE), *q = anon(16 * PG, PROT_READ | PROT_WRITE);
	int fd, good = 1, zeros = 1;

	memset(p, 'L', 16 * PG);
	memset(q, 'U', 16 * PG);
	is(madvise(q, 16 * PG, MADV_FREE), 0, "MADV_FREE of 16 other pages, not locked: 0");
	is(madvise(p, 16 * PG, MADV_FREE), 0, "MADV_FREE of 16 pages: 0");
	is(mlock(p, 16 * PG), 0, "then mlock: 0");
	fd = open(RECLAIM_KNOB, O_WRONLY);
	if (fd < 0) {
		skip("no %s: reclaim of locked pages not checked", RECLAIM_KNOB);
	} else {
		ok(write(fd, "all", 3) == 3 || errno == EAGAIN, "reclaim all");
		close(fd);
		for (unsigned long i = 0; i < 16 * PG; i++) {
			good &= p[i] == 'L';
			zeros &= q[i] == 0;
		}
		ok(zeros, "the unlocked lazyfree pages were reclaimed (read zeros)");
		ok(good, "the locked pages kept their data through reclaim");
	}
	munlock(p, 16 * PG);
	munmap(p, 16 * PG);
	munmap(q, 16 * PG);
}

/* ---------------------------------------------------------------- resource limits */

/* Use depth pages of stack, touching each. */
static int deep(int depth)
{
	volatile char page[PG];

	page[0] = (char)depth;
	page[PG - 1] = (char)depth;
	return depth ? deep(depth - 1) + page[0] - (char)depth : 0;
}

static void stack_past_limit(void)
{
	struct rlimit rl;

	getrlimit(RLIMIT_STACK, &rl);
	if (set_limit(RLIMIT_STACK, 256 * 1024, rl.rlim_max))	/* the hard limit as it is */
		_exit(2);
	deep(512);	/* 2 MiB */
}

static void stack_within_limit(void)
{
	deep(128);	/* 512 KiB of the default 8 MiB */
}

static void rlimits(void)
{
	struct rlimit as, data, nofile;
	int fds[64], n = 0, fd;

	getrlimit(RLIMIT_AS, &as);
	getrlimit(RLIMIT_DATA, &data);
	getrlimit(RLIMIT_NOFILE, &nofile);
	is_errno(set_limit(RLIMIT_AS, 2, 1), EINVAL, "setrlimit soft above hard: EINVAL");
	is_errno(set_limit(RLIM_NLIMITS, 1, 1), EINVAL, "setrlimit of resource 16: EINVAL");
	is_errno(setrlimit(RLIMIT_AS, (struct rlimit *)8), EFAULT, "setrlimit with a bad pointer: EFAULT");

	is(expect_signal(stack_within_limit), 0, "a 512 KiB stack within RLIMIT_STACK: fine");
	is(expect_signal(stack_past_limit), SIGSEGV, "stack growth past RLIMIT_STACK (256 KiB): SIGSEGV");
	is(set_limit(RLIMIT_AS, 256UL << 20, as.rlim_max), 0, "RLIMIT_AS 256 MiB: 0");
	is_errno(mmap(NULL, 512UL << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), ENOMEM,
		 "mmap of 512 MiB under RLIMIT_AS 256 MiB: ENOMEM");
	ok(sbrk(512L << 20) == (void *)-1, "brk growing 512 MiB under RLIMIT_AS: refused");
	set_limit(RLIMIT_AS, as.rlim_cur, as.rlim_max);

	is(set_limit(RLIMIT_DATA, 64UL << 20, data.rlim_max), 0, "RLIMIT_DATA 64 MiB: 0");
	is_errno(mmap(NULL, 128UL << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
		 ENOMEM, "a private writable 128 MiB mapping under RLIMIT_DATA 64 MiB: ENOMEM");
	{
		void *r = mmap(NULL, 128UL << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		ok(r != MAP_FAILED, "a read-only 128 MiB mapping is not data: mapped");
		if (r != MAP_FAILED)
			munmap(r, 128UL << 20);
	}
	ok(sbrk(128L << 20) == (void *)-1, "brk growing 128 MiB under RLIMIT_DATA 64 MiB: refused");
	set_limit(RLIMIT_DATA, data.rlim_cur, data.rlim_max);

	is(set_limit(RLIMIT_NOFILE, 8, nofile.rlim_max), 0, "RLIMIT_NOFILE 8: 0");
	while (n < 64 && (fd = dup(0)) >= 0)
		fds[n++] = fd;
	is_errno(fd, EMFILE, "dup past RLIMIT_NOFILE: EMFILE");
	ok(n > 0 && fds[n - 1] == 7, "the last descriptor is 7 (%d)", n ? fds[n - 1] : -1);
	is_errno(open("/", O_RDONLY), EMFILE, "open past RLIMIT_NOFILE: EMFILE");
	is_errno(dup3(0, 8, 0), EBADF, "dup3 to a descriptor at RLIMIT_NOFILE: EBADF");
	while (n)
		close(fds[--n]);
	set_limit(RLIMIT_NOFILE, nofile.rlim_cur, nofile.rlim_max);
}

/* ---------------------------------------------------------------- prctl */

static void prctl_calls(void)
{
	char name[16] = { 0 };
	unsigned char *p;
	struct folio_run r;

	is(prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0), 0, "PR_GET_THP_DISABLE: 0 at first");
	p = anon(4UL << 20, PROT_READ | PROT_WRITE);
	madvise(p, 4UL << 20, MADV_HUGEPAGE);
	memset(p, 1, 4UL << 20);
	if (on_foliOS()) {
		int found = folio_at(p + (2UL << 20), &r);

		ok(found == 0 && r.order > 0, "THP enabled: a large folio (order %u)", found ? 0 : r.order);
	}
	munmap(p, 4UL << 20);
	is_errno(prctl(PR_SET_THP_DISABLE, 1, 1, 0, 0), EINVAL, "PR_SET_THP_DISABLE with arg3: EINVAL");
	is_errno(prctl(PR_GET_THP_DISABLE, 1, 0, 0, 0), EINVAL, "PR_GET_THP_DISABLE with arg2: EINVAL");
	is(prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0), 0, "PR_SET_THP_DISABLE 1: 0");
	is(prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0), 1, "PR_GET_THP_DISABLE: 1");
	p = anon(4UL << 20, PROT_READ | PROT_WRITE);
	madvise(p, 4UL << 20, MADV_HUGEPAGE);
	memset(p, 1, 4UL << 20);
	if (on_foliOS())
		ok(folio_at(p + (2UL << 20), &r) == 0 && r.order == 0, "THP disabled: order-0 folios only");
	munmap(p, 4UL << 20);
	is(prctl(PR_SET_THP_DISABLE, 0, 0, 0, 0), 0, "PR_SET_THP_DISABLE 0: 0");
	is(prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0), 0, "PR_GET_THP_DISABLE: 0 again");
	is(prctl(PR_SET_NAME, (unsigned long)"a-rather-long-name-here", 0, 0, 0), 0, "PR_SET_NAME: 0");
	is(prctl(PR_GET_NAME, (unsigned long)name, 0, 0, 0), 0, "PR_GET_NAME: 0");
	is(strcmp(name, "a-rather-long-n"), 0, "the name is cut to 15 bytes");
	is_errno(prctl(PR_SET_NAME, 8, 0, 0, 0), EFAULT, "PR_SET_NAME from a bad pointer: EFAULT");
	is_errno(prctl(PR_GET_NAME, 8, 0, 0, 0), EFAULT, "PR_GET_NAME to a bad pointer: EFAULT");
	is_errno(prctl(9999, 0, 0, 0, 0), EINVAL, "an unknown prctl option: EINVAL");
}

/* ---------------------------------------------------------------- PR_SET_MDWE */

static int mdwe_failed;

/* A check inside an MDWE child: a diagnostic when it fails, counted in the exit status. */
static void mdwe_check(int cond, const char *name)
{
	if (!cond) {
		diag("child: not ok - %s", name);
		mdwe_failed++;
	}
}

/* Is mmap/mprotect's result ret -1 with errno err? */
#define mdwe_errno(ret, err, name) mdwe_check((long)(ret) == -1 && errno == (err), name)

/* The permission string ("r-xp") /proc/self/maps gives the VMA holding addr. */
static int maps_perms(const void *addr, char perms[5])
{
	static char text[16 << 10];
	char *line = text, *end;

	if (sysfs_read("/proc/self/maps", text, sizeof(text)) <= 0)
		return 0;
	for (; *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : line + strlen(line)) {
		unsigned long lo = strtoul(line, &end, 16), hi = strtoul(end + 1, &end, 16);

		if ((unsigned long)addr >= lo && (unsigned long)addr < hi) {
			memcpy(perms, end + 1, 4);
			perms[4] = '\0';
			return 1;
		}
	}
	return 0;
}

/* A fork of an MDWE process: inherits it unless the parent set NO_INHERIT. */
static int mdwe_grandchild(void *arg)
{
	long inherited = (long)arg;
	void *p = mmap(NULL, PG, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	mdwe_check(prctl(PR_GET_MDWE, 0, 0, 0, 0) == (inherited ? (long)PR_MDWE_REFUSE_EXEC_GAIN : 0),
		   "fork: PR_GET_MDWE as inherited");
	mdwe_check((p == MAP_FAILED) == (inherited != 0), "fork: a W+X mmap refused only when inherited");
	return mdwe_failed;
}

static int mdwe_child(void *arg)
{
	long no_inherit = (long)arg;
	unsigned long bits = PR_MDWE_REFUSE_EXEC_GAIN | (no_inherit ? PR_MDWE_NO_INHERIT : 0);
	char *rx, *r, perms[5] = "";
	int st;

	mdwe_check(prctl(PR_GET_MDWE, 0, 0, 0, 0) == 0, "PR_GET_MDWE: 0 at first");
	mdwe_errno(prctl(PR_SET_MDWE, PR_MDWE_NO_INHERIT, 0, 0, 0), EINVAL, "NO_INHERIT alone: EINVAL");
	mdwe_errno(prctl(PR_SET_MDWE, 7, 0, 0, 0), EINVAL, "unknown bits: EINVAL");
	mdwe_errno(prctl(PR_SET_MDWE, 0, 7, 0, 0), EINVAL, "PR_SET_MDWE arg3: EINVAL");
	mdwe_errno(prctl(PR_GET_MDWE, 7, 0, 0, 0), EINVAL, "PR_GET_MDWE arg2: EINVAL");
	mdwe_check(prctl(PR_SET_MDWE, 0, 0, 0, 0) == 0, "PR_SET_MDWE 0 while off: 0");
	mdwe_check(prctl(PR_SET_MDWE, bits, 0, 0, 0) == 0, "PR_SET_MDWE: 0");
	mdwe_check(prctl(PR_GET_MDWE, 0, 0, 0, 0) == (long)bits, "PR_GET_MDWE: the bits set");
	mdwe_check(prctl(PR_SET_MDWE, bits, 0, 0, 0) == 0, "PR_SET_MDWE again with the same bits: 0");
	mdwe_errno(prctl(PR_SET_MDWE, 0, 0, 0, 0), EPERM, "PR_SET_MDWE cannot be undone: EPERM");
	mdwe_errno(prctl(PR_SET_MDWE, bits ^ PR_MDWE_NO_INHERIT, 0, 0, 0), EPERM, "nor NO_INHERIT changed: EPERM");
	mdwe_errno(mmap(NULL, PG, PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EACCES,
		   "mmap W+X: EACCES");
	rx = mmap(NULL, 2 * PG, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mdwe_check(rx != MAP_FAILED, "mmap R+X: allowed");
	mdwe_check(mprotect(rx, 2 * PG, PROT_READ | PROT_EXEC) == 0, "mprotect R+X to R+X: allowed");
	mdwe_errno(mprotect(rx, PG, PROT_READ | PROT_WRITE | PROT_EXEC), EACCES, "mprotect to W+X: EACCES");
	mdwe_check(mprotect(rx + PG, PG, PROT_READ) == 0, "mprotect dropping X: allowed");
	/* [R+X][R]: the first VMA changes, the second would gain X: EACCES after the first. */
	mdwe_errno(mprotect(rx, 2 * PG, PROT_EXEC), EACCES, "mprotect [R+X][R] to X: EACCES at the second");
	mdwe_check(maps_perms(rx, perms) && strcmp(perms, "--xp") == 0, "... the first VMA became X only");
	mdwe_check(maps_perms(rx + PG, perms) && strcmp(perms, "r--p") == 0, "... the second kept R");
	r = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mdwe_errno(mprotect(r, PG, PROT_READ | PROT_EXEC), EACCES, "mprotect R to R+X (gains X): EACCES");
	mdwe_check(mmap(r, PG, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == r,
		   "mmap MAP_FIXED R+X over an R mapping: allowed (a new mapping)");
	st = run_child(mdwe_grandchild, (void *)(long)!no_inherit);
	mdwe_check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the fork's checks");
	munmap(rx, 2 * PG);
	munmap(r, PG);
	return mdwe_failed;
}

static int mdwe_inherit(void *arg) { (void)arg; return mdwe_child((void *)0L); }
static int mdwe_no_inherit(void *arg) { (void)arg; return mdwe_child((void *)1L); }

static void mdwe(void)
{
	run_child_case("PR_SET_MDWE", mdwe_inherit);
	run_child_case("PR_SET_MDWE with PR_MDWE_NO_INHERIT", mdwe_no_inherit);
}

/* ---------------------------------------------------------------- exact semantics */

static unsigned char *sem_page;

static void write_sem_page(void)
{
	*(volatile unsigned char *)sem_page = 1;
}

static void semantics(void)
{
	unsigned char *p = anon(8 * PG, PROT_READ | PROT_WRITE), *r;
	int st;
	pid_t pid;

	munmap(p + 4 * PG, PG);
	is_errno(mprotect(p, 8 * PG, PROT_READ), ENOMEM, "mprotect over [mapped][hole]: ENOMEM");
	sem_page = p;
	is(expect_signal(write_sem_page), SIGSEGV, "... the mapped part before the hole became read-only");
	sem_page = p + 5 * PG;
	is(expect_signal(write_sem_page), 0, "... the part after the hole did not change");
	is_errno(mprotect(p + 4 * PG, 2 * PG, PROT_READ), ENOMEM, "mprotect starting in a hole: ENOMEM");
	is(mprotect(p, 0, 0x100), 0, "mprotect of length 0 with an unknown prot bit: 0");
	is_errno(mprotect(p, 0, PROT_GROWSDOWN | PROT_GROWSUP), EINVAL, "mprotect GROWSDOWN|GROWSUP, even of length 0: EINVAL");
	is(mprotect(p, PG, PROT_READ | PROT_WRITE | PROT_SEM), 0, "mprotect PROT_SEM: 0");
	is_errno(mprotect(p, PG, PROT_READ | 0x100), EINVAL, "mprotect with an unknown prot bit: EINVAL");
	is_errno(mprotect(p + 4 * PG, PG, PROT_READ | PROT_GROWSDOWN), ENOMEM,
		 "mprotect PROT_GROWSDOWN over an unmapped range: ENOMEM");
	is_errno(mprotect(p, PG, PROT_READ | PROT_GROWSDOWN), EINVAL,
		 "mprotect PROT_GROWSDOWN of a VMA that does not grow down: EINVAL");
	r = mmap(NULL, PG, PROT_READ | PROT_WRITE | 0x100, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ok(r != MAP_FAILED, "mmap ignores unknown prot bits");
	if (r != MAP_FAILED)
		munmap(r, PG);
	is_errno(mmap(NULL, 2UL << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB,
		      -1, 0), ENOMEM, "MAP_HUGETLB with no huge pages reserved: ENOMEM");
	munmap(p, 8 * PG);

	p = anon(8 * PG, PROT_READ | PROT_WRITE);
	munmap(p + 2 * PG, PG);
	is_errno(madvise(p + 2 * PG, 4 * PG, MADV_POPULATE_WRITE), ENOMEM,
		 "MADV_POPULATE_WRITE over [hole][mapped]: ENOMEM");
	is(resident(p + 3 * PG, 3), 0, "... nothing after the hole was populated");
	is_errno(madvise(p, 8 * PG, MADV_POPULATE_READ), ENOMEM,
		 "MADV_POPULATE_READ over [mapped][hole][mapped]: ENOMEM");
	is(resident(p, 2), 2, "... the part before the hole was populated");
	is(resident(p + 3 * PG, 5), 0, "... it stopped at the hole");
	munmap(p, 8 * PG);

	pid = fork();
	if (pid == 0)
		_exit(3);
	is_errno(wait4(pid, (int *)8, 0, NULL), EFAULT, "wait4 with a bad status pointer: EFAULT");
	is_errno(wait4(pid, &st, 0, NULL), ECHILD, "... the child was reaped anyway: ECHILD");
}

int main(int argc, char **argv)
{
	if (test_selected(argc, argv, "fork"))
		fork_advice();
	if (test_selected(argc, argv, "advice"))
		advice_table();
	if (test_selected(argc, argv, "pageout"))
		cold_pageout();
	if (test_selected(argc, argv, "mincore"))
		mincore_msync();
	if (test_selected(argc, argv, "semantics"))
		semantics();
	if (test_selected(argc, argv, "prctl"))
		prctl_calls();
	if (test_selected(argc, argv, "mdwe"))
		mdwe();
	if (test_selected(argc, argv, "rlimit"))
		rlimits();
	if (test_selected(argc, argv, "mlock")) {
		mlock_limits();
		if (on_foliOS())
			locked_survive_reclaim();
	}
	test_cases_known(argc, argv);
	return done_testing();
}
