/* overcommit_test: overcommit accounting as Linux's (vm.overcommit_memory, Committed_AS,
 * CommitLimit).  What is charged and given back by mmap (private writable; not read-only,
 * not MAP_NORESERVE), mprotect, MAP_FIXED over a charged mapping, brk and fork, read from
 * /proc/meminfo's Committed_AS; the heuristic mode's refusals; the meminfo lines' format.
 * All of that holds natively on Linux too, where Committed_AS is a per-CPU counter read
 * without its CPU-local parts and other processes move it: there each delta may be off by
 * SLACK_KB and is tried up to three times; on foliOS every delta is exact to the kB.
 * Writing /proc/sys/vm (modes 1 and 2, the files' checks) is done on foliOS only: the host's
 * settings are not ours to change.  Every setting is put back as found. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <mthp.h>
#include <test.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define MIB		(1UL << 20)
#define SIZE_KB		((long)(size >> 10))
#define SLACK_KB	(64L << 10)		/* Linux: per-CPU batch (RAM / CPUs / 256 pages) */
#define VM		"/proc/sys/vm/"

/*
 * The mappings' size: 256 MiB (above Linux's per-CPU batch, SLACK_KB), or half of RAM
 * rounded down to 2 MiB when that is less (a 128 MiB machine: mode 0 refuses one mapping
 * larger than RAM + swap).  Set by main.
 */
static unsigned long size;

/* A step's name: fmt with size in MiB for its %lu (one at a time: a static buffer). */
static const char *sized(const char *fmt)
{
	static char name[128];

	snprintf(name, sizeof(name), fmt, size / MIB);
	return name;
}

static void *map(void *addr, size_t len, int prot, int flags)
{
	return mmap(addr, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);
}

static long committed(void)
{
	return meminfo_kb("Committed_AS");
}

/* One measured step: do it, return Committed_AS after minus before, undo it. */
typedef long (*step_fn)(void);

/* Is the step's delta want kB?  Exact on foliOS; on Linux within SLACK_KB, best of three. */
static int delta_is(step_fn step, long want, const char *name)
{
	long got = step();

	for (int i = 0; i < 2 && !on_foliOS() && labs(got - want) > SLACK_KB; i++)
		got = step();
	if (on_foliOS() ? got == want : labs(got - want) <= SLACK_KB)
		return ok(1, "%s: Committed_AS %+ld kB", name, want);
	return ok(0, "%s: Committed_AS moved %+ld kB, want %+ld", name, got, want);
}

static long step_rw(void)
{
	long c0 = committed();
	void *p = map(NULL, size, PROT_READ | PROT_WRITE, 0);
	long d = committed() - c0;

	munmap(p, size);
	return p == MAP_FAILED ? -1 : d;
}

static long step_rw_unmapped(void)
{
	long c0 = committed();
	void *p = map(NULL, size, PROT_READ | PROT_WRITE, 0);

	munmap(p, size);
	return p == MAP_FAILED ? -1 : committed() - c0;
}

static long step_flags(int prot, int flags)
{
	long c0 = committed();
	void *p = map(NULL, size, prot, flags);
	long d = committed() - c0;

	munmap(p, size);
	return p == MAP_FAILED ? -1 : d;
}

static long step_ro(void) { return step_flags(PROT_READ, 0); }
static long step_none(void) { return step_flags(PROT_NONE, 0); }
static long step_noreserve(void) { return step_flags(PROT_READ | PROT_WRITE, MAP_NORESERVE); }
static long step_growsdown(void) { return step_flags(PROT_READ | PROT_WRITE, MAP_GROWSDOWN); }

/* Map size with prot and flags (written once if touch), mprotect it to to: that mprotect's delta. */
static long step_mprotect(int prot, int flags, int touch, int to)
{
	char *p = map(NULL, size, prot, flags);
	long c0, d;

	if (p == MAP_FAILED)
		return -1;
	if (touch)
		p[0] = 1;
	c0 = committed();
	d = mprotect(p, size, to) ? -1 : committed() - c0;
	munmap(p, size);
	return d;
}

#define RW	(PROT_READ | PROT_WRITE)
/* Read-only to read-write: charged. */
static long step_mprotect_rw(void) { return step_mprotect(PROT_READ, 0, 0, RW); }
/* Back to read-only before any page was written: given back (no anon_vma yet). */
static long step_mprotect_ro_untouched(void) { return step_mprotect(RW, 0, 0, PROT_READ); }
/* ... after a write: the charge stays (the written page is ours to keep). */
static long step_mprotect_ro_touched(void) { return step_mprotect(RW, 0, 1, PROT_READ); }
/* A MAP_NORESERVE mapping made writable: not charged either. */
static long step_mprotect_noreserve(void) { return step_mprotect(PROT_READ, MAP_NORESERVE, 0, RW); }

/* MAP_FIXED over a charged mapping of the same size: nothing more. */
static long step_fixed_over(void)
{
	void *p = map(NULL, size, PROT_READ | PROT_WRITE, 0);
	long c0 = committed();
	void *q = map(p, size, PROT_READ | PROT_WRITE, MAP_FIXED);
	long d = q == p ? committed() - c0 : -1;

	munmap(p, size);
	return d;
}

/* Half of a charged mapping unmapped: half given back. */
static long step_munmap_half(void)
{
	char *p = map(NULL, size, PROT_READ | PROT_WRITE, 0);
	long c0 = committed();
	long d = munmap(p + size / 4, size / 2) ? -1 : committed() - c0;

	munmap(p, size);
	return d;
}

/* The heap grown by size (and shrunk back). */
static long step_brk(void)
{
	unsigned long b = (unsigned long)syscall(__NR_brk, 0);
	long c0 = committed(), d;

	b = (b + 4095) & ~4095UL;
	syscall(__NR_brk, b);
	c0 = committed();
	d = (unsigned long)syscall(__NR_brk, b + size) == b + size ? committed() - c0 : -1;
	syscall(__NR_brk, b);
	return d;
}

static void sleep_forever(void)
{
	struct timespec ts = { 60, 0 };

	nanosleep(&ts, NULL);
	_exit(0);
}

/* A fork's charge: Committed_AS while the child lives (its mm is complete when fork returns). */
static long fork_charge(void)
{
	long c0 = committed(), d;
	int pid = fork();

	if (pid == 0)
		sleep_forever();
	if (pid < 0)
		return -1;
	d = committed() - c0;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return d;
}

static long base_fork_charge;

/* Fork with a charged size mapping, a read-only one and a MAP_NORESERVE one: size more than a bare fork. */
static long step_fork(void)
{
	void *rw = map(NULL, size, PROT_READ | PROT_WRITE, 0);
	void *ro = map(NULL, size, PROT_READ, 0);
	void *nr = map(NULL, size, PROT_READ | PROT_WRITE, MAP_NORESERVE);
	long d = fork_charge() - base_fork_charge;

	munmap(rw, size);
	munmap(ro, size);
	munmap(nr, size);
	return d;
}

/* "Name:" padded to 16 columns, 8 digits, " kB": Linux's show_val_kb. */
static int meminfo_line_ok(const char *buf, const char *name)
{
	const char *p = strstr(buf, name);
	size_t n = strlen(name);

	if (!p || (p != buf && p[-1] != '\n'))
		return 0;
	for (size_t i = n; i < 16; i++)
		if (p[i] != ' ')
			return 0;
	for (size_t i = 16; i < 24; i++)
		if (p[i] != ' ' && (p[i] < '0' || p[i] > '9'))
			return 0;
	return p[23] >= '0' && p[23] <= '9' && strncmp(p + 24, " kB\n", 4) == 0;
}

static void meminfo_format(void)
{
	static char buf[8192];
	long total = meminfo_kb("MemTotal"), swap = meminfo_kb("SwapTotal");
	long hugetlb = meminfo_kb("Hugetlb"), ratio = sysfs_read_long(VM "overcommit_ratio");
	long kbytes = sysfs_read_long(VM "overcommit_kbytes");

	ok(sysfs_read("/proc/meminfo", buf, sizeof(buf)) > 0, "/proc/meminfo readable");
	ok(meminfo_line_ok(buf, "CommitLimit:"), "meminfo: 'CommitLimit:' padded to 16 columns, 8 digits, ' kB'");
	ok(meminfo_line_ok(buf, "Committed_AS:"), "meminfo: 'Committed_AS:' in the same format");
	char *cl = strstr(buf, "CommitLimit:"), *ca = strstr(buf, "Committed_AS:");
	char *ap = strstr(buf, "AnonPages:"), *ah = strstr(buf, "AnonHugePages:");
	ok(cl && ca && ca == strchr(cl, '\n') + 1, "meminfo: Committed_AS right after CommitLimit");
	ok(ap && ah && ap < cl && ca < ah, "meminfo: both between AnonPages and AnonHugePages (Linux's order)");
	if (kbytes == 0 && hugetlb <= 0)
		is(meminfo_kb("CommitLimit"), (total / 4 * ratio / 100) * 4 + swap,
		   "CommitLimit = MemTotal * overcommit_ratio / 100 + SwapTotal (in pages)");
	else
		skip("CommitLimit formula: overcommit_kbytes or hugetlb pages set");
}

/* The heuristic (mode 0): only one request larger than RAM + swap is refused. */
static void guess_mode(void)
{
	long total = meminfo_kb("MemTotal"), swap = meminfo_kb("SwapTotal");
	size_t over = (size_t)(total + swap) * 1024 + 64 * MIB, big = USER_VA_END / 2;
	void *p;

	is_errno(map(NULL, over, PROT_READ | PROT_WRITE, 0), ENOMEM,
		 "mode 0: one private writable mapping larger than RAM + swap: ENOMEM");
	p = map(NULL, over, PROT_READ | PROT_WRITE, MAP_NORESERVE);
	ok(p != MAP_FAILED, "mode 0: ... with MAP_NORESERVE: mapped");
	munmap(p, over);
	p = map(NULL, over, PROT_READ, 0);
	ok(p != MAP_FAILED, "mode 0: ... read-only: mapped (not charged)");
	munmap(p, over);
	is_errno(map(NULL, 128UL << 40, PROT_READ | PROT_WRITE, 0), ENOMEM, "mode 0: mmap of 128 TiB: ENOMEM");
	is_errno(map(NULL, big, PROT_READ | PROT_WRITE, 0), ENOMEM,
		 "mode 0: mmap of half the address space (64 TiB x86_64, 128 TiB aarch64): ENOMEM");
	p = map(NULL, big, PROT_READ | PROT_WRITE, MAP_NORESERVE);
	ok(p != MAP_FAILED, "mode 0: ... with MAP_NORESERVE: mapped");
	if (p != MAP_FAILED) {
		/* 2 MiB aligned: the folio there (any order) starts at the address. */
		char *mid = (char *)(((unsigned long)p + big / 2) & ~(2 * MIB - 1));

		*mid = 1;
		ok(*mid == 1 && ((char *)p)[big - 1] == 0, "... and usable where touched");
		if (on_foliOS()) {
			static char folios[65536];
			char want[64];

			snprintf(want, sizeof(want), "%#014lx-", (unsigned long)mid);
			ok(sysfs_read("/proc/self/folios", folios, sizeof(folios)) > 0 && strstr(folios, want),
			   "foliOS: /proc/self/folios walks the reservation's one touched table (%s)", want);
		}
		munmap(p, big);
	}
}

/* Writes to the /proc/sys/vm files (foliOS: ours to change). */
static long sysctl_write_ret(const char *name, const char *val)
{
	char path[64];
	int fd;
	long r;

	snprintf(path, sizeof(path), VM "%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	r = write(fd, val, strlen(val));
	close(fd);
	return r;
}

static void sysctl_files(void)
{
	is(sysfs_read_long(VM "overcommit_memory"), 0, "overcommit_memory reads 0 (the default)");
	is(sysfs_read_long(VM "overcommit_ratio"), 50, "overcommit_ratio reads 50");
	is(sysfs_read_long(VM "overcommit_kbytes"), 0, "overcommit_kbytes reads 0");
	is_errno(sysctl_write_ret("overcommit_memory", "3"), EINVAL, "overcommit_memory 3: EINVAL");
	is_errno(sysctl_write_ret("overcommit_memory", "-1"), EINVAL, "overcommit_memory -1: EINVAL");
	is_errno(sysctl_write_ret("overcommit_memory", "one"), EINVAL, "overcommit_memory 'one': EINVAL");
	is_errno(sysctl_write_ret("overcommit_memory", "1x\n"), EINVAL, "overcommit_memory '1x': EINVAL");
	is_errno(sysctl_write_ret("overcommit_ratio", "-10"), EINVAL, "overcommit_ratio -10: EINVAL");
	is_errno(sysctl_write_ret("overcommit_kbytes", "-1"), EINVAL, "overcommit_kbytes -1: EINVAL");
	is(sysfs_read_long(VM "overcommit_memory"), 0, "... and nothing changed");
	is(sysctl_write_ret("overcommit_ratio", "80\n"), 3, "overcommit_ratio 80: written");
	is(meminfo_kb("CommitLimit"), meminfo_kb("MemTotal") / 4 * 80 / 100 * 4, "CommitLimit follows it");
	is(sysctl_write_ret("overcommit_kbytes", "65536"), 5, "overcommit_kbytes 65536: written");
	is(meminfo_kb("CommitLimit"), 65536, "CommitLimit = overcommit_kbytes");
	is(sysfs_read_long(VM "overcommit_ratio"), 0, "... and overcommit_ratio reads 0 (Linux)");
	is(sysctl_write_ret("overcommit_ratio", "50"), 2, "overcommit_ratio 50 again");
	is(sysfs_read_long(VM "overcommit_kbytes"), 0, "... and overcommit_kbytes reads 0");
}

/* Mode 1: anything goes, and is still counted. */
static void always_mode(void)
{
	size_t big = USER_VA_END / 2;
	long c0 = committed();
	void *p;

	is(sysctl_write_ret("overcommit_memory", "1"), 1, "overcommit_memory 1");
	p = map(NULL, big, PROT_READ | PROT_WRITE, 0);
	ok(p != MAP_FAILED, "mode 1: half the address space, no MAP_NORESERVE: mapped");
	is(committed() - c0, (long)(big >> 10), "mode 1: ... and counted in Committed_AS");
	munmap(p, big);
	is(committed(), c0, "mode 1: munmap gives it back");
}

/* Mode 2: Committed_AS stays below CommitLimit; MAP_NORESERVE does not help; fork is charged. */
static void never_mode(void)
{
	long limit, c0, c1;
	char *p, val[32];

	is(sysctl_write_ret("overcommit_memory", "2"), 1, "overcommit_memory 2");
	limit = meminfo_kb("CommitLimit");
	c0 = committed();
	ok(c0 < limit, "mode 2: Committed_AS %ld kB below CommitLimit %ld kB", c0, limit);
	is_errno(map(NULL, (size_t)(limit - c0) * 1024 + MIB, PROT_READ | PROT_WRITE, 0), ENOMEM,
		 "mode 2: a mapping past CommitLimit: ENOMEM");
	is_errno(map(NULL, (size_t)(limit - c0) * 1024 + MIB, PROT_READ | PROT_WRITE, MAP_NORESERVE), ENOMEM,
		 "mode 2: ... MAP_NORESERVE is ignored: ENOMEM");
	is(committed(), c0, "mode 2: refusals charge nothing");
	p = map(NULL, MIB, PROT_READ | PROT_WRITE, 0);
	ok(p != MAP_FAILED, "mode 2: 1 MiB below the limit: mapped");
	is(committed() - c0, 1024, "mode 2: Committed_AS +1024 kB");
	munmap(p, MIB);
	is(committed(), c0, "mode 2: munmap: Committed_AS back to its old value");
	p = map(NULL, MIB, PROT_READ | PROT_WRITE, MAP_NORESERVE);
	is(committed() - c0, 1024, "mode 2: a MAP_NORESERVE MiB is charged too");
	munmap(p, MIB);
	p = map(NULL, MIB, PROT_READ, 0);
	is(mprotect(p, MIB, PROT_READ | PROT_WRITE), 0, "mode 2: mprotect to writable below the limit");
	is(committed() - c0, 1024, "mode 2: ... charged 1024 kB");
	munmap(p, MIB);
	c1 = fork_charge();
	ok(c1 > 0, "mode 2: fork charges the child (%ld kB)", c1);
	is(committed(), c0, "mode 2: ... and the child's exit gives it back");
	/* A limit the child cannot fit under: fork fails with ENOMEM and charges nothing. */
	snprintf(val, sizeof(val), "%ld", c0 + c1 / 2);
	is(sysctl_write_ret("overcommit_kbytes", val), (long)strlen(val), "overcommit_kbytes Committed_AS + half a fork");
	int pid = fork();
	if (pid == 0)
		_exit(0);
	is_errno(pid, ENOMEM, "mode 2: fork past CommitLimit: ENOMEM");
	if (pid > 0)
		waitpid(pid, NULL, 0);
	is(committed(), c0, "mode 2: ... Committed_AS unchanged");
	is(sysctl_write_ret("overcommit_ratio", "50"), 2, "overcommit_ratio 50 (clears overcommit_kbytes)");
	is(sysctl_write_ret("overcommit_memory", "0"), 1, "overcommit_memory 0 again");
}

int main(void)
{
	size = (unsigned long)meminfo_kb("MemTotal") * 1024 / 2 & ~(2 * MIB - 1);
	if (size > 256 * MIB || !size)
		size = 256 * MIB;
	meminfo_format();
	if (sysfs_read_long(VM "overcommit_memory") == 0) {
		guess_mode();
	} else {
		skip("mode 0 checks: overcommit_memory is not 0 here");
	}
	delta_is(step_rw, SIZE_KB, sized("%lu MiB private read-write mmap"));
	delta_is(step_rw_unmapped, 0, "... munmap gives it all back");
	delta_is(step_ro, 0, sized("%lu MiB read-only mmap"));
	delta_is(step_none, 0, sized("%lu MiB PROT_NONE mmap"));
	delta_is(step_noreserve, 0, sized("%lu MiB MAP_NORESERVE mmap (mode 0)"));
	delta_is(step_growsdown, SIZE_KB, sized("%lu MiB MAP_GROWSDOWN read-write mmap"));
	delta_is(step_mprotect_rw, SIZE_KB, "mprotect read-only -> read-write");
	delta_is(step_mprotect_ro_untouched, -SIZE_KB, "mprotect read-write -> read-only, never written");
	delta_is(step_mprotect_ro_touched, 0, "mprotect read-write -> read-only after a write");
	delta_is(step_mprotect_noreserve, 0, "mprotect of a MAP_NORESERVE mapping to read-write");
	delta_is(step_fixed_over, 0, "MAP_FIXED over a charged mapping of the same size");
	delta_is(step_munmap_half, -SIZE_KB / 2, "munmap of half a charged mapping");
	delta_is(step_brk, SIZE_KB, sized("brk grown by %lu MiB"));
	base_fork_charge = fork_charge();
	ok(base_fork_charge > 0, "fork charges the child's writable mappings (%ld kB)", base_fork_charge);
	delta_is(step_fork, SIZE_KB, sized("fork with one more %lu MiB writable mapping (and read-only, NORESERVE ones)"));
	if (on_foliOS()) {
		sysctl_files();
		always_mode();
		never_mode();
	} else {
		skip("writing /proc/sys/vm (modes 1 and 2): foliOS only, the host's settings stay");
	}
	return done_testing();
}
