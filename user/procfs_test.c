/*
 * procfs_test: Linux's memory pseudo-files and calls, read the way Linux's tools read them
 * (tools/mm/page-types.c, selftests/mm/vm_util.c): /proc/self/pagemap and /proc/kpageflags,
 * /proc/kpagecount, /proc/self/status, /proc/self/smaps_rollup, /proc/self/maps beyond
 * 64 KiB, /proc/sys/vm/mmap_min_addr and drop_caches, sysinfo(2), a read at offset 0 after
 * lseek or with pread showing the current contents (as Linux's seq_file; mremap_test's
 * rewind() of /proc/self/maps).
 *
 *   procfs_test            every test
 *   procfs_test NAME...    only those (see tests[] below)
 *
 * Portable: on Linux the foliOS-only checks (folio orders from /proc/self/folios, kpageflags,
 * the knobs, mmap below mmap_min_addr as root) are skipped; the rest must hold there too.
 * Entries are read with lseek + read at (vaddr / 4096) * 8, as page-types does with pread.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <folios.h>
#include <mthp.h>
#include <test.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <uapi/pagemap.h>
#include <uapi/sysinfo.h>

#define PG		4096UL
#define SZ(k)		(PG << (k))
#define PMD_ORDER	9
#define PMD_SIZE	(2UL << 20)
#define BIT(b)		(1ULL << (b))

static struct thp_knobs saved;
static long saved_pmd_mapping = -1;
static char text[512 * 1024];	/* pseudo-file contents (pre-faulted: reading adds no RSS) */

/* ------------------------------------------------------------------ helpers */

/* The whole file path into text (NUL-terminated); bytes, or -1. */
static long read_text(const char *path)
{
	int fd = open(path, O_RDONLY);
	long n = 0, r;

	if (fd < 0)
		return -1;
	while ((r = read(fd, text + n, sizeof(text) - 1 - n)) > 0)
		n += r;
	close(fd);
	text[n] = 0;
	return r < 0 ? -1 : n;
}

/* nr 64-bit entries of the binary file path from index idx into out; entries read, or -1. */
static long read_entries(const char *path, unsigned long idx, uint64_t *out, unsigned long nr)
{
	int fd = open(path, O_RDONLY);
	long r = -1;

	if (fd < 0)
		return -1;
	if (lseek(fd, (off_t)(idx * 8), SEEK_SET) == (off_t)(idx * 8))
		r = read(fd, out, nr * 8);
	close(fd);
	return r < 0 ? -1 : r / 8;
}

static uint64_t pagemap_of(const void *addr)
{
	uint64_t e = 0;

	return read_entries(PROC_PAGEMAP_PATH, (unsigned long)addr / PG, &e, 1) == 1 ? e : ~0ULL;
}

static uint64_t kpage(const char *path, uint64_t pfn)
{
	uint64_t e = 0;

	return read_entries(path, pfn, &e, 1) == 1 ? e : ~0ULL;
}

/* The number after "key" on its line of text (kB or plain), or -1. */
static long text_value(const char *key)
{
	const char *p = strstr(text, key);

	return p ? strtol(p + strlen(key), NULL, 0) : -1;
}

/* A private RW mapping of len bytes at an align-aligned address; NULL on failure. */
static char *map_aligned(size_t len, size_t align)
{
	char *res = mmap(NULL, len + align, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long a;

	if (res == MAP_FAILED)
		return NULL;
	a = ((unsigned long)res + align - 1) & ~(align - 1);
	if (a > (unsigned long)res)
		munmap(res, a - (unsigned long)res);
	if ((unsigned long)res + align > a + len)
		munmap((char *)a + len, (unsigned long)res + align - a - len);
	return (char *)a;
}

/* ------------------------------------------------------------------ tests */

/* pagemap_read's checks: an offset or size not a multiple of 8 is -EINVAL; 0 bytes read 0. */
static void test_pagemap_errno(void)
{
	int fd = open(PROC_PAGEMAP_PATH, O_RDONLY);
	uint64_t e[2];

	ok(fd >= 0, "errno: open %s", PROC_PAGEMAP_PATH);
	is_errno(write(fd, e, 8), EBADF, "errno: write on a read-only descriptor is EBADF");
	is(lseek(fd, 4, SEEK_SET), 4, "errno: lseek to offset 4");
	is_errno(read(fd, e, 8), EINVAL, "errno: read at an unaligned offset is EINVAL");
	is(lseek(fd, 0, SEEK_SET), 0, "errno: lseek back to 0");
	is_errno(read(fd, e, 12), EINVAL, "errno: a size not a multiple of 8 is EINVAL");
	is(read(fd, e, 0), 0, "errno: a read of 0 bytes is 0");
	is(read(fd, e, 16), 16, "errno: 16 bytes at 0 read whole");
	is(e[0], 0, "errno: page 0 (never mapped) reads 0");
	e[0] = 1;
	is(syscall(__NR_pread64, fd, e, 8, 0L), 8, "errno: pread64 of entry 0");
	is(e[0], 0, "errno: pread64 reads the same entry");
	is(lseek(fd, 0, SEEK_CUR), 16, "errno: pread64 leaves the file position");
	is_errno(syscall(__NR_pread64, fd, e, 8, 4L), EINVAL, "errno: pread64 at an unaligned offset is EINVAL");
	is_errno(syscall(__NR_pread64, fd, e, 8, -8L), EINVAL, "errno: pread64 at a negative offset is EINVAL");
	is_errno(syscall(__NR_pread64, -1, e, 8, -8L), EINVAL, "errno: a negative offset is checked before the fd");
	is_errno(syscall(__NR_pread64, 999, e, 8, 0L), EBADF, "errno: pread64 on a bad fd is EBADF");
	close(fd);
	/* Linux lets root open it for writing (then write is EINVAL); foliOS's read-only pseudo-files refuse. */
	if (on_foliOS())
		is_errno(open(PROC_PAGEMAP_PATH, O_WRONLY), EACCES, "errno: pagemap opened for writing is EACCES");
}

/* Present, PFN, exclusive and file bits of unmapped, zero-page and written pages. */
static void test_pagemap_bits(void)
{
	char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t none, zero, anon, zero2;
	volatile char sink;

	ok(p != MAP_FAILED && madvise(p, 4 * PG, MADV_NOHUGEPAGE) == 0, "bits: mmap 4 pages");
	sink = p[PG];
	sink = p[3 * PG];
	(void)sink;
	p[2 * PG] = 1;
	none = pagemap_of(p);
	zero = pagemap_of(p + PG);
	anon = pagemap_of(p + 2 * PG);
	zero2 = pagemap_of(p + 3 * PG);
	is(none & ~PM_SOFT_DIRTY, 0, "bits: an untouched page of a mapping reads 0 (but soft-dirty: a new VMA's)");
	ok(!!(zero & PM_PRESENT), "bits: a read-faulted page is present (%#llx)", (unsigned long long)zero);
	ok(!(zero & (PM_MMAP_EXCLUSIVE | PM_FILE | PM_SWAP)),
	   "bits: the zero page is neither exclusive nor file nor swapped");
	is(zero & PM_PFRAME_MASK, zero2 & PM_PFRAME_MASK, "bits: both read pages map one frame (the zero page)");
	ok((anon & (PM_PRESENT | PM_MMAP_EXCLUSIVE | PM_FILE | PM_SWAP)) == (PM_PRESENT | PM_MMAP_EXCLUSIVE),
	   "bits: a written page is present and exclusive, not file (%#llx)", (unsigned long long)anon);
	ok(!(anon & (PM_UFFD_WP | PM_GUARD_REGION)), "bits: no uffd-wp, no guard bit");
	if (anon & PM_PFRAME_MASK)
		isnt(anon & PM_PFRAME_MASK, zero & PM_PFRAME_MASK, "bits: the written page has its own frame");
	else
		skip("bits: PFNs hidden from this reader (no CAP_SYS_ADMIN)");
	if (on_foliOS()) {
		is(kpage(PROC_KPAGEFLAGS_PATH, zero & PM_PFRAME_MASK) & BIT(KPF_ZERO_PAGE), BIT(KPF_ZERO_PAGE),
		   "bits: kpageflags of the zero page has KPF_ZERO_PAGE");
		is(kpage(PROC_KPAGECOUNT_PATH, anon & PM_PFRAME_MASK), 1, "bits: kpagecount of the written page is 1");
	}
	munmap(p, 4 * PG);
	is(pagemap_of(p + 2 * PG), 0, "bits: after munmap the entry is 0");
}

/*
 * A folio of order k written at an aligned address: its pages' PFNs are consecutive from
 * an aligned first one, and kpageflags marks head, tails, THP, ANON, MMAP; kpagecount 1.
 */
static void check_folio_order(unsigned int k)
{
	unsigned long nr = 1UL << k;
	char *p = map_aligned(SZ(k), SZ(k) > PMD_SIZE ? SZ(k) : PMD_SIZE);
	static uint64_t e[512], flags[512], count[512];
	struct folio_run run;
	unsigned long bad_pfn = 0, bad_flags = 0, bad_count = 0;

	if (!p) {
		ok(0, "order %u: mmap", k);
		return;
	}
	memset(p, 0x5a, SZ(k));
	if (folio_at(p, &run) != 0 || run.order != k || run.start != (unsigned long)p) {
		ok(0, "order %u: /proc/self/folios shows one folio of order %u at the start", k, k);
		munmap(p, SZ(k));
		return;
	}
	is(read_entries(PROC_PAGEMAP_PATH, (unsigned long)p / PG, e, nr), nr, "order: pagemap entries");
	uint64_t pfn0 = e[0] & PM_PFRAME_MASK;
	is(read_entries(PROC_KPAGEFLAGS_PATH, pfn0, flags, nr), nr, "order: kpageflags entries");
	is(read_entries(PROC_KPAGECOUNT_PATH, pfn0, count, nr), nr, "order: kpagecount entries");
	for (unsigned long i = 0; i < nr; i++) {
		uint64_t want = BIT(KPF_ANON) | BIT(KPF_MMAP) | BIT(KPF_UPTODATE) | BIT(KPF_SWAPBACKED) |
				(k ? BIT(KPF_THP) | BIT(i ? KPF_COMPOUND_TAIL : KPF_COMPOUND_HEAD) : 0);
		uint64_t mask = want | BIT(KPF_COMPOUND_HEAD) | BIT(KPF_COMPOUND_TAIL) | BIT(KPF_THP) |
				BIT(KPF_ZERO_PAGE) | BIT(KPF_BUDDY) | BIT(KPF_NOPAGE);

		bad_pfn += (e[i] & PM_PFRAME_MASK) != pfn0 + i ||
			   (e[i] & (PM_PRESENT | PM_MMAP_EXCLUSIVE | PM_FILE)) != (PM_PRESENT | PM_MMAP_EXCLUSIVE);
		bad_flags += (flags[i] & mask) != want;
		bad_count += count[i] != 1;
	}
	is(pfn0 & (nr - 1), 0, "order: the first PFN is aligned to the folio size");
	is(bad_pfn, 0, "order: PFNs consecutive, every page present and exclusive");
	is(bad_flags, 0, "order: kpageflags head/tail/THP/ANON/MMAP as the order says");
	is(bad_count, 0, "order: kpagecount 1 for every page");
	diag("order %u: pfn %#llx flags[0] %#llx flags[last] %#llx", k, (unsigned long long)pfn0,
	     (unsigned long long)flags[0], (unsigned long long)flags[nr - 1]);
	munmap(p, SZ(k));
}

/* Every folio order 0..9 (9: PMD-mapped), foliOS only (the orders come from its knobs). */
static void test_orders(void)
{
	if (!on_foliOS()) {
		skip("orders: not foliOS");
		return;
	}
	for (unsigned int k = 0; k <= PMD_ORDER; k++) {
		if (thp_only_mask(k ? 1U << k : 0, "always") < 0) {
			ok(0, "orders: set order %u always", k);
			continue;
		}
		check_folio_order(k);
	}
	thp_only_mask(0, "always");
}

/* A forked child sees the pages it shares with its parent as not exclusive, mapcount 2. */
static int child_shared(void *arg)
{
	const char *p = arg;
	uint64_t e = pagemap_of(p);

	if (!(e & PM_PRESENT) || (e & PM_MMAP_EXCLUSIVE))
		return 1;
	if (on_foliOS() && kpage(PROC_KPAGECOUNT_PATH, e & PM_PFRAME_MASK) != 2)
		return 2;
	return 0;
}

static void test_fork_exclusive(void)
{
	char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t before, after;

	ok(p != MAP_FAILED, "fork: mmap");
	p[0] = 1;
	before = pagemap_of(p);
	ok(!!(before & PM_MMAP_EXCLUSIVE), "fork: exclusive before fork");
	is(run_child(child_shared, p), 0, "fork: the child sees the page present, not exclusive (kpagecount 2)");
	after = pagemap_of(p);
	ok(!!(after & PM_MMAP_EXCLUSIVE) && (after & PM_PFRAME_MASK) == (before & PM_PFRAME_MASK),
	   "fork: exclusive again after the child exited, same frame");
	munmap(p, PG);
}

/* smaps: a PMD block's VMA shows AnonHugePages 2048 kB; smaps_rollup sums smaps. */
static void test_smaps(void)
{
	long rss = 0, pss = 0, anon = 0, n;
	const char *line;

	if (on_foliOS()) {
		char *p;

		thp_only(PMD_ORDER, "always");
		p = map_aligned(PMD_SIZE, PMD_SIZE);
		ok(p != NULL, "smaps: mmap 2M");
		memset(p, 1, PMD_SIZE);
		read_text("/proc/self/smaps");
		char head[32];
		snprintf(head, sizeof(head), "%08lx-", (unsigned long)p);
		const char *v = strstr(text, head);
		const char *h = v ? strstr(v, "AnonHugePages:") : NULL;
		is(h ? strtol(h + 14, NULL, 10) : -1, 2048, "smaps: AnonHugePages of the PMD block is 2048 kB");
		thp_only_mask(0, "always");
		munmap(p, PMD_SIZE);
	}
	n = read_text("/proc/self/smaps");
	ok(n > 0, "smaps: read /proc/self/smaps");
	for (line = text; (line = strstr(line, "\nRss:")); line++)
		rss += strtol(line + 5, NULL, 10);
	for (line = text; (line = strstr(line, "\nPss:")); line++)
		pss += strtol(line + 5, NULL, 10);
	for (line = text; (line = strstr(line, "\nAnonymous:")); line++)
		anon += strtol(line + 11, NULL, 10);
	n = read_text("/proc/self/smaps_rollup");
	ok(n > 0 && strstr(text, "[rollup]\n") != NULL, "smaps_rollup: header ends in [rollup]");
	is(text_value("\nRss:"), rss, "smaps_rollup: Rss is the sum of smaps' Rss");
	ok(labs(text_value("\nPss:") - pss) <= 80, "smaps_rollup: Pss is the sum of smaps' Pss (rounding)");
	is(text_value("\nAnonymous:"), anon, "smaps_rollup: Anonymous is the sum");
	ok(strstr(text, "\nPss_Anon:") && strstr(text, "\nPss_File:") && strstr(text, "\nPss_Shmem:") &&
	   strstr(text, "\nLocked:"), "smaps_rollup: Pss_Anon, Pss_File, Pss_Shmem ... Locked lines");
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* /proc/self/status: Linux 6.12's keys in Linux's order, values of this process. */
static void test_status(void)
{
	static const char *const keys[] = {
		"Name:", "Umask:", "State:", "Tgid:", "Ngid:", "Pid:", "PPid:", "TracerPid:", "Uid:",
		"Gid:", "FDSize:", "Groups:", "NStgid:", "NSpid:", "Kthread:", "VmPeak:", "VmSize:",
		"VmLck:", "VmPin:", "VmHWM:", "VmRSS:", "RssAnon:", "RssFile:", "RssShmem:", "VmData:",
		"VmStk:", "VmExe:", "VmLib:", "VmPTE:", "VmSwap:", "HugetlbPages:", "CoreDumping:",
		"THP_enabled:", "untag_mask:", "Threads:", "SigQ:", "SigPnd:", "ShdPnd:", "SigBlk:",
		"SigIgn:", "SigCgt:", "CapInh:", "CapPrm:", "CapEff:", "CapBnd:", "CapAmb:",
		"NoNewPrivs:", "Seccomp:", "Seccomp_filters:", "Cpus_allowed:", "Cpus_allowed_list:",
	};
	const char *at = text, *p;
	unsigned int in_order = 0;
	sigset_t set, old;
	char want[64];
	long rss0, anon0;
	char *m;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	signal(SIGUSR2, SIG_IGN);
	signal(SIGALRM, on_alarm);
	ok(read_text("/proc/self/status") > 0, "status: read");
	for (unsigned int i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		char key[32];

		snprintf(key, sizeof(key), "\n%s\t", keys[i]);
		p = i ? strstr(at, key) : (strncmp(text, "Name:\t", 6) ? NULL : text);
		if (!p) {
			diag("status: %s missing or out of order", keys[i]);
			break;
		}
		at = p + 1;
		in_order++;
	}
	is(in_order, sizeof(keys) / sizeof(keys[0]), "status: every key, in Linux's order");
	ok(strncmp(text, "Name:\tprocfs_test\n", 18) == 0, "status: Name is procfs_test");
	ok(strstr(text, "\nState:\tR (running)\n") != NULL, "status: State R (running)");
	is(text_value("\nPid:"), getpid(), "status: Pid");
	is(text_value("\nTgid:"), getpid(), "status: Tgid");
	is(text_value("\nPPid:"), getppid(), "status: PPid");
	ok(strstr(text, "\nSigBlk:\t0000000000000200\n") != NULL, "status: SigBlk shows SIGUSR1 blocked");
	p = strstr(text, "\nSigIgn:\t");
	ok(p && (strtoull(p + 9, NULL, 16) & (1ULL << (SIGUSR2 - 1))), "status: SigIgn has SIGUSR2");
	p = strstr(text, "\nSigCgt:\t");
	ok(p && (strtoull(p + 9, NULL, 16) & (1ULL << (SIGALRM - 1))), "status: SigCgt has SIGALRM");
	snprintf(want, sizeof(want), "\nVmRSS:\t%8ld kB\n", text_value("\nVmRSS:"));
	ok(strstr(text, want) != NULL, "status: VmRSS as '%%8lu kB'");
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGUSR2, SIG_DFL);
	signal(SIGALRM, SIG_DFL);

	rss0 = text_value("\nVmRSS:");
	anon0 = text_value("\nRssAnon:");
	m = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ok(m != MAP_FAILED && madvise(m, 1 << 20, MADV_NOHUGEPAGE) == 0, "status: mmap 1 MiB");
	memset(m, 1, 1 << 20);
	read_text("/proc/self/status");
	/* Linux's RSS counters are per-CPU and read approximately: exact on foliOS only. */
	long slack = on_foliOS() ? 0 : 512;
	ok(labs(text_value("\nVmRSS:") - rss0 - 1024) <= slack, "status: VmRSS grows by 1024 kB after writing 1 MiB");
	ok(labs(text_value("\nRssAnon:") - anon0 - 1024) <= slack, "status: RssAnon grows by 1024 kB");
	munmap(m, 1 << 20);
	read_text("/proc/self/status");
	ok(labs(text_value("\nVmRSS:") - rss0) <= slack, "status: VmRSS back after munmap");
	ok(text_value("\nVmHWM:") >= rss0 + 1024 - slack, "status: VmHWM keeps the peak");
}

/* sysinfo(2): Linux's struct; sizes in bytes (mem_unit 1 on 64-bit). */
static void test_sysinfo(void)
{
	struct sysinfo si;

	memset(&si, 0xff, sizeof(si));
	is(syscall(__NR_sysinfo, &si), 0, "sysinfo: returns 0");
	is(si.mem_unit, 1, "sysinfo: mem_unit 1");
	is(si.totalram, meminfo_kb("MemTotal") * 1024, "sysinfo: totalram is MemTotal");
	ok(si.freeram > 0 && si.freeram <= si.totalram, "sysinfo: 0 < freeram <= totalram");
	ok(si.uptime >= 1 && si.procs >= 2, "sysinfo: uptime >= 1 s, procs >= 2 (%ld, %u)", si.uptime,
	   si.procs);
	is_errno(syscall(__NR_sysinfo, (void *)8), EFAULT, "sysinfo: a bad pointer is EFAULT");
}

/* /proc/sys/vm/mmap_min_addr: a hint below it is raised; foliOS: MAP_FIXED below it EPERM. */
static void test_mmap_min_addr(void)
{
	long min;
	char *p;

	ok(read_text("/proc/sys/vm/mmap_min_addr") > 0, "mmap_min_addr: read");
	min = strtol(text, NULL, 10);
	p = mmap((void *)PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ok(p != MAP_FAILED && (unsigned long)p >= (unsigned long)min, "mmap_min_addr: a hint of 4096 maps at or above %ld", min);
	munmap(p, PG);
	if (!on_foliOS())
		return;
	is(min, 65536, "mmap_min_addr: 65536 by default");
	is_errno(mmap((void *)PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), EPERM,
		 "mmap_min_addr: MAP_FIXED below it is EPERM");
	p = mmap((void *)PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	is(p, 65536, "mmap_min_addr: the hint is raised to it");
	munmap(p, PG);
	is(sysfs_write("/proc/sys/vm/mmap_min_addr", "8192"), 0, "mmap_min_addr: write 8192");
	p = mmap((void *)(2 * PG), PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	is(p, 2 * PG, "mmap_min_addr: MAP_FIXED at 8192 now allowed");
	munmap(p, PG);
	is(sysfs_write("/proc/sys/vm/mmap_min_addr", "-1"), -1, "mmap_min_addr: -1 is refused");
	is(errno, EINVAL, "mmap_min_addr: with EINVAL");
	is(sysfs_write("/proc/sys/vm/mmap_min_addr", "65536"), 0, "mmap_min_addr: back to 65536");
	is(sysfs_write("/proc/sys/vm/drop_caches", "3"), 0, "drop_caches: 3 accepted");
	is(sysfs_write("/proc/sys/vm/drop_caches", "0"), -1, "drop_caches: 0 refused");
	is(errno, EINVAL, "drop_caches: with EINVAL");
	is(sysfs_write("/proc/sys/vm/drop_caches", "5"), -1, "drop_caches: 5 refused");
}

/* /proc/self/maps of more than 64 KiB is read whole: every VMA of a region cut into 2001. */
static void test_big_maps(void)
{
	const unsigned long nvma = 2001;
	char *p = mmap(NULL, nvma * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long lines = 0, inside = 0;
	long n;

	ok(p != MAP_FAILED, "maps: mmap %lu pages", nvma);
	for (unsigned long i = 1; i < nvma; i += 2)
		mprotect(p + i * PG, PG, PROT_READ);
	n = read_text("/proc/self/maps");
	ok(n > 64 * 1024, "maps: more than 64 KiB read (%ld bytes)", n);
	for (const char *l = text; *l; l = strchr(l, '\n') + 1) {
		unsigned long start = strtoul(l, NULL, 16);

		lines++;
		inside += start >= (unsigned long)p && start < (unsigned long)p + nvma * PG;
		if (!strchr(l, '\n'))
			break;
	}
	is(inside, nvma, "maps: every one of the region's VMAs is listed");
	ok(text[n - 1] == '\n', "maps: ends with a whole line (%lu lines)", lines);
	munmap(p, nvma * PG);
}

/* Is the mapping at addr listed in the n bytes of /proc/self/maps in text? */
static int maps_lists(const void *addr, long n)
{
	char head[32];

	snprintf(head, sizeof(head), "%08lx-", (unsigned long)addr);
	text[n < 0 ? 0 : n] = 0;
	return strstr(text, head) != NULL;
}

/* A read at offset 0 shows what the file holds at that read, not at open (Linux's seq_read
 * starts anew at 0): the first read, after lseek to 0, pread at 0; a read at the end is EOF. */
static void test_reread(void)
{
	int fd = open("/proc/self/maps", O_RDONLY);
	char *a, *b, *c;
	long n;

	ok(fd >= 0, "reread: open /proc/self/maps");
	c = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	n = read(fd, text, sizeof(text) - 1);
	ok(maps_lists(c, n), "reread: the first read lists a mapping made after open");
	munmap(c, PG);
	ok(n > 0 && read(fd, text, sizeof(text) - 1) == 0, "reread: read to the end");
	a = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	is(read(fd, text, sizeof(text) - 1), 0, "reread: a read at the end after mmap is still EOF");
	is(lseek(fd, 0, SEEK_SET), 0, "reread: lseek to 0");
	n = read(fd, text, sizeof(text) - 1);
	ok(maps_lists(a, n), "reread: read after lseek 0 lists the new mapping");
	b = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	n = pread(fd, text, sizeof(text) - 1, 0);
	ok(maps_lists(b, n), "reread: pread at 0 lists the next one");
	munmap(a, PG);
	n = pread(fd, text, sizeof(text) - 1, 0);
	ok(!maps_lists(a, n) && maps_lists(b, n), "reread: pread at 0 after munmap lists it no more");
	munmap(b, PG);
	close(fd);
}

/* clear_refs: 1..5 accepted (1 clears Referenced, 5 resets VmHWM), others EINVAL. */
static void test_clear_refs(void)
{
	char *m = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char path[64], head[32];
	const char *v, *r;
	long hwm;

	ok(m != MAP_FAILED && madvise(m, 1 << 20, MADV_NOHUGEPAGE) == 0, "clear_refs: mmap 1 MiB");
	memset(m, 1, 1 << 20);
	snprintf(path, sizeof(path), "/proc/self/clear_refs");
	for (int t = 1; t <= 5; t++) {
		char val[4];

		snprintf(val, sizeof(val), "%d", t);
		is(sysfs_write(path, val), 0, "clear_refs: a write of 1..5 is accepted");
	}
	is(sysfs_write(path, "6"), -1, "clear_refs: 6 is refused");
	is(errno, EINVAL, "clear_refs: with EINVAL");
	is(sysfs_write(path, "0"), -1, "clear_refs: 0 is refused");
	is(sysfs_write(path, "1"), 0, "clear_refs: 1 again");
	read_text("/proc/self/smaps");
	snprintf(head, sizeof(head), "%08lx-", (unsigned long)m);
	v = strstr(text, head);
	r = v ? strstr(v, "\nReferenced:") : NULL;
	is(r ? strtol(r + 12, NULL, 10) : -1, 0, "clear_refs: after 1 the region's Referenced is 0 kB");
	(void)*(volatile char *)m;
	read_text("/proc/self/smaps");
	v = strstr(text, head);
	r = v ? strstr(v, "\nReferenced:") : NULL;
	is(r ? strtol(r + 12, NULL, 10) : -1, 4, "clear_refs: one read makes 4 kB referenced again");
	munmap(m, 1 << 20);
	is(sysfs_write(path, "5"), 0, "clear_refs: 5");
	read_text("/proc/self/status");
	hwm = text_value("\nVmHWM:");
	ok(hwm - text_value("\nVmRSS:") <= (on_foliOS() ? 0 : 512), "clear_refs: after 5 VmHWM is VmRSS");
}

static const struct { const char *name; void (*fn)(void); } tests[] = {
	{ "errno", test_pagemap_errno },
	{ "bits", test_pagemap_bits },
	{ "orders", test_orders },
	{ "fork", test_fork_exclusive },
	{ "smaps", test_smaps },
	{ "status", test_status },
	{ "sysinfo", test_sysinfo },
	{ "mmap_min_addr", test_mmap_min_addr },
	{ "maps", test_big_maps },
	{ "clear_refs", test_clear_refs },
	{ "reread", test_reread },
};

int main(int argc, char **argv)
{
	int foliOS = on_foliOS();

	memset(text, 0, sizeof(text));
	folios_prefault();
	mthp_prefault();
	if (foliOS && (thp_knobs_save(&saved) < 0 || (saved_pmd_mapping = folio_knob_get("pmd_mapping")) < 0 ||
		       folio_knob_set("pmd_mapping", 1) < 0 || folio_knob_set("allow_order1", 1) < 0 ||
		       thp_only_mask(0, "always") < 0)) {
		ok(0, "setup: knobs # errno %d", errno);
		return done_testing();
	}
	for (unsigned int t = 0; t < sizeof(tests) / sizeof(tests[0]); t++) {
		if (!test_selected(argc, argv, tests[t].name))
			continue;
		diag("procfs_test: %s", tests[t].name);
		tests[t].fn();
	}
	if (foliOS)
		ok(thp_knobs_restore(&saved) == 0 && folio_knob_set("pmd_mapping", saved_pmd_mapping) == 0,
		   "knobs restored");
	return done_testing();
}
