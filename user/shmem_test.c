/*
 * shmem_test: shared memory (MAP_SHARED|MAP_ANONYMOUS and memfd_create) against Linux
 * 6.12's behaviour (the same binary passes natively on Linux: tools/user-host-test.sh).
 *
 *   fork        a shared anonymous mapping is shared across fork both ways (exact bytes)
 *   memfd       round trips through write/pread/pwrite/lseek/fstat/ftruncate and two mappings;
 *               the /proc/self/maps names "/memfd:<name> (deleted)" and "/dev/zero (deleted)"
 *   short       writes whose source faults part way: short counts, zeros, no stale bytes
 *   private     MAP_PRIVATE of a memfd: reads see the object, a write copies (CoW)
 *   truncate    ftruncate shrinking: SIGBUS past the end of a shared mapping, zeros after growing
 *   madvise     MADV_DONTNEED keeps the data, MADV_REMOVE punches it out (fd reads zeros too)
 *   fallocate   allocation grows the object (not with KEEP_SIZE), PUNCH_HOLE zeroes whole and
 *               partial pages through the fd and a shared mapping; seals and Linux's errno order
 *   remap       mremap grow/move keeps the sharing (the child sees it), SIGBUS past the object;
 *               mprotect, mlock, mincore, msync on a shared mapping
 *   pin         vmsplice of a read-only shared page pins it (nothing to unshare)
 *   report      smaps Rss/Pss/Shared_Dirty/Private_Dirty/Anonymous, status RssShmem, pagemap
 *               PM_FILE and the exclusive bit by mapcount; on foliOS kpageflags (no KPF_ANON,
 *               KPF_SWAPBACKED), /proc/self/folios (flag shmem), nr_shmem and Shmem
 *   errno       memfd_create, ftruncate, F_ADD_SEALS/F_GET_SEALS, seals, mmap and madvise misuse
 *
 * On foliOS MemFree must come back after everything (no page of any object is leaked).
 */
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
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <uapi/pagemap.h>

#define PG		4096
#define RW		(PROT_READ | PROT_WRITE)
#define SHARED_ANON	(MAP_SHARED | MAP_ANONYMOUS)

static volatile char *sigbus_addr;
static char text[64 << 10];	/* /proc files read here (prefaulted in main) */

/* Read a whole /proc file into text; its length or -1. */
static long read_text(const char *path)
{
	int fd = open(path, O_RDONLY);
	long n = 0, r;

	if (fd < 0)
		return -1;
	while ((r = read(fd, text + n, sizeof(text) - 1 - (size_t)n)) > 0)
		n += r;
	close(fd);
	text[n] = '\0';
	return n;
}

/* The kB value of field in the smaps block of the VMA starting at p, or -1. */
static long smaps_kb(const void *p, const char *field)
{
	char head[32];
	const char *b, *f;

	snprintf(head, sizeof(head), "%08lx-", (unsigned long)p);
	if (read_text("/proc/self/smaps") < 0 || !(b = strstr(text, head)) || !(f = strstr(b, field)))
		return -1;
	return strtol(f + strlen(field), NULL, 10);
}

/* The number after key in /proc/self/status (kB), or -1. */
static long status_kb(const char *key)
{
	const char *p;

	if (read_text("/proc/self/status") < 0 || !(p = strstr(text, key)))
		return -1;
	return strtol(p + strlen(key), NULL, 10);
}

static unsigned long long pagemap_entry(const void *addr, const char *path, unsigned long idx)
{
	unsigned long long e = ~0ULL;
	int fd = open(path, O_RDONLY);

	(void)addr;
	if (fd >= 0 && pread(fd, &e, 8, (off_t)(idx * 8)) != 8)
		e = ~0ULL;
	if (fd >= 0)
		close(fd);
	return e;
}

static unsigned long long pagemap_of(const void *addr)
{
	return pagemap_entry(addr, "/proc/self/pagemap", (unsigned long)addr / PG);
}

static void touch_sigbus(void)
{
	*sigbus_addr = 1;
}

/* The signal that ends a child touching addr (0: none). */
static int sigbus_at(volatile char *addr)
{
	sigbus_addr = addr;
	return expect_signal(touch_sigbus);
}

/* ------------------------------------------------------------------ tests */

static int fork_child(void *arg)
{
	volatile char *p = arg;

	if (p[0] != 'a')
		return 1;
	p[PG] = 'b';
	p[2 * PG + 7] = 'c';
	return 0;
}

static void test_fork(void)
{
	char *p = mmap(NULL, 3 * PG, RW, SHARED_ANON, -1, 0);
	int st;

	ok(p != MAP_FAILED, "fork: MAP_SHARED|MAP_ANONYMOUS maps");
	is(p[PG], 0, "fork: a fresh shared page reads zero");
	p[0] = 'a';
	st = run_child(fork_child, p);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "fork: the child saw the parent's write");
	is(p[PG], 'b', "fork: the parent sees the child's write");
	is(p[2 * PG + 7], 'c', "fork: ... in a page the parent never touched");
	is(munmap(p, 3 * PG), 0, "fork: munmap");
}

static void test_memfd(void)
{
	int fd = memfd_create("shm", MFD_CLOEXEC);
	char b[8] = { 0 };
	struct stat st;
	char *m, *m2;

	ok(fd >= 0, "memfd: memfd_create");
	is(fcntl(fd, F_GETFD), FD_CLOEXEC, "memfd: MFD_CLOEXEC sets FD_CLOEXEC");
	is(write(fd, "hello", 5), 5, "memfd: write 5 bytes");
	is(fstat(fd, &st), 0, "memfd: fstat");
	is(st.st_size, 5, "memfd: st_size 5");
	ok(S_ISREG(st.st_mode), "memfd: S_IFREG");
	is(lseek(fd, 0, SEEK_END), 5, "memfd: SEEK_END at 5");
	is(read(fd, b, 8), 0, "memfd: read at the end is 0");
	is(pread(fd, b, 8, 1), 4, "memfd: pread stops at the end");
	ok(!memcmp(b, "ello", 4), "memfd: pread contents");
	is(ftruncate(fd, 2 * PG), 0, "memfd: ftruncate to 2 pages");
	fstat(fd, &st);
	is(st.st_size, 2 * PG, "memfd: st_size follows ftruncate");
	m = mmap(NULL, 2 * PG, RW, MAP_SHARED, fd, 0);
	m2 = mmap(NULL, PG, RW, MAP_SHARED, fd, PG);
	ok(m != MAP_FAILED && m2 != MAP_FAILED, "memfd: two shared mappings (offset 0 and 4096)");
	ok(!memcmp(m, "hello", 5), "memfd: the mapping shows what write() wrote");
	m[PG + 1] = 'x';
	is(m2[1], 'x', "memfd: a write through one mapping shows in the other");
	is(pread(fd, b, 1, PG + 1), 1, "memfd: pread of the mapped write");
	is(b[0], 'x', "memfd: ... reads it");
	is(pwrite(fd, "Z", 1, 0), 1, "memfd: pwrite");
	is(m[0], 'Z', "memfd: the mapping shows what pwrite wrote");
	is(pread(fd, b, 2, 2 * PG - 1), 1, "memfd: pread at the last byte");
	read_text("/proc/self/maps");
	ok(strstr(text, "/memfd:shm (deleted)") != NULL, "memfd: /proc/self/maps names /memfd:shm (deleted)");
	munmap(m, 2 * PG);
	munmap(m2, PG);
	m = mmap(NULL, PG, RW, SHARED_ANON, -1, 0);
	read_text("/proc/self/maps");
	ok(strstr(text, "/dev/zero (deleted)") != NULL, "memfd: shared anonymous memory is /dev/zero (deleted)");
	munmap(m, PG);
	close(fd);
}

/* A write whose source faults part way: a short write, the rest of the page zeros, never stale bytes. */
static void test_short_write(void)
{
	char *src = mmap(NULL, 2 * PG, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *m;
	int fd = memfd_create("short", 0);
	struct stat st;
	int zeros = 1;

	memset(src, 's', PG);
	munmap(src + PG, PG);	/* the source ends 100 bytes into the write */
	is(write(fd, src + PG - 100, PG), 100, "short: a whole-page write from a source that faults: 100 bytes");
	fstat(fd, &st);
	is(st.st_size, 100, "short: the object grew by what was copied only");
	is(pwrite(fd, src + PG - 50, 200, 1000), 50, "short: a part-page write that faults: 50 bytes");
	fstat(fd, &st);
	is(st.st_size, 1050, "short: st_size 1050");
	m = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
	for (int i = 100; i < 1000; i++)
		zeros &= m[i] == 0;
	ok(m[99] == 's' && m[1000] == 's' && m[1049] == 's' && zeros && m[1050] == 0 && m[PG - 1] == 0,
	   "short: the data written, zeros between and after: no stale byte");
	munmap(m, PG);
	munmap(src, PG);
	close(fd);
}

static void test_private(void)
{
	int fd = memfd_create("priv", 0);
	char b = 0, *p, *s;

	ftruncate(fd, 2 * PG);
	pwrite(fd, "Z", 1, 0);
	p = mmap(NULL, 2 * PG, RW, MAP_PRIVATE, fd, 0);
	s = mmap(NULL, 2 * PG, RW, MAP_SHARED, fd, 0);
	ok(p != MAP_FAILED && s != MAP_FAILED, "private: MAP_PRIVATE and MAP_SHARED of one memfd");
	is(p[0], 'Z', "private: a read sees the object");
	p[0] = 'P';
	pread(fd, &b, 1, 0);
	is(b, 'Z', "private: a write copies: the object keeps its byte");
	is(s[0], 'Z', "private: ... and the shared mapping too");
	s[1] = 'Q';
	is(p[1], 0, "private: the copy does not see later writes to its page");
	pwrite(fd, "R", 1, PG + 2);
	is(p[PG + 2], 'R', "private: an untouched page still reads the object");
	munmap(p, 2 * PG);
	munmap(s, 2 * PG);
	close(fd);
}

static void test_truncate(void)
{
	int fd = memfd_create("trunc", 0);
	char *m;

	ftruncate(fd, 2 * PG);
	m = mmap(NULL, 2 * PG, RW, MAP_SHARED, fd, 0);
	m[0] = 1;
	m[PG] = 2;
	is(ftruncate(fd, PG), 0, "truncate: shrink to one page");
	is(sigbus_at(m + PG), SIGBUS, "truncate: SIGBUS past the end");
	is(m[0], 1, "truncate: the page before the end keeps its data");
	is(ftruncate(fd, 2 * PG), 0, "truncate: grow again");
	is(m[PG], 0, "truncate: the page that came back reads zero");
	munmap(m, 2 * PG);
	close(fd);
}

static void test_madvise(void)
{
	char *p = mmap(NULL, 2 * PG, RW, SHARED_ANON, -1, 0);
	int fd = memfd_create("remove", 0);
	char b = 1, *m;

	p[0] = 5;
	p[PG] = 6;
	is(madvise(p, 2 * PG, MADV_DONTNEED), 0, "madvise: MADV_DONTNEED on shared memory");
	is(p[0], 5, "madvise: DONTNEED keeps the data of shared memory");
	is(madvise(p, PG, MADV_REMOVE), 0, "madvise: MADV_REMOVE");
	is(p[0], 0, "madvise: REMOVE punched the page out: zeros");
	is(p[PG], 6, "madvise: the page after it is untouched");
	munmap(p, 2 * PG);
	ftruncate(fd, PG);
	m = mmap(NULL, PG, RW, MAP_SHARED, fd, 0);
	m[3] = 9;
	is(madvise(m, PG, MADV_REMOVE), 0, "madvise: MADV_REMOVE on a memfd mapping");
	pread(fd, &b, 1, 3);
	is(b, 0, "madvise: the fd reads zeros after REMOVE");
	munmap(m, PG);
	close(fd);
}

static void test_fallocate(void)
{
	int fd = memfd_create("falloc", MFD_ALLOW_SEALING), pfd[2];
	struct stat st;
	char b[3] = { 1, 1, 1 }, *m;

	is(fallocate(fd, 0, 0, 3 * PG), 0, "fallocate: allocate 3 pages");
	fstat(fd, &st);
	is(st.st_size, 3 * PG, "fallocate: the object grew to 3 pages");
	is(fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 8 * PG), 0, "fallocate: KEEP_SIZE past the end");
	fstat(fd, &st);
	is(st.st_size, 3 * PG, "fallocate: KEEP_SIZE leaves the size");
	m = mmap(NULL, 3 * PG, RW, MAP_SHARED, fd, 0);
	is(m[PG], 0, "fallocate: allocated pages read zero");
	memset(m, 7, 3 * PG);
	is(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, PG - 1, PG + 2), 0,
	   "fallocate: PUNCH_HOLE of one page and two partial ones");
	pread(fd, b, 3, PG - 2);
	is(b[0] == 7 && b[1] == 0 && b[2] == 0, 1, "fallocate: the partial page before is zeroed from the offset");
	is(m[PG + PG / 2], 0, "fallocate: the whole page reads zero through the mapping");
	is(m[2 * PG], 0, "fallocate: the first byte of the page after is zeroed");
	is(m[2 * PG + 1], 7, "fallocate: the rest of the page after keeps its data");
	fstat(fd, &st);
	is(st.st_size, 3 * PG, "fallocate: a punch leaves the size");
	is(fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, PG), -1, "fallocate: PUNCH_HOLE needs KEEP_SIZE");
	is(errno, EOPNOTSUPP, "fallocate: ... EOPNOTSUPP");
	is(fallocate(fd, FALLOC_FL_ZERO_RANGE, 0, PG), -1, "fallocate: ZERO_RANGE on shmem");
	is(errno, EOPNOTSUPP, "fallocate: ... EOPNOTSUPP");
	is(fallocate(fd, 0x80, 0, PG), -1, "fallocate: an unknown mode");
	is(errno, EOPNOTSUPP, "fallocate: ... EOPNOTSUPP");
	is(fallocate(fd, FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_KEEP_SIZE, 0, PG), -1, "fallocate: COLLAPSE_RANGE with KEEP_SIZE");
	is(errno, EOPNOTSUPP, "fallocate: ... EOPNOTSUPP");
	is(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, 0, PG), -1,
	   "fallocate: two modes at once");
	is(errno, EOPNOTSUPP, "fallocate: ... EOPNOTSUPP");
	is(fallocate(fd, 0, -1, PG), -1, "fallocate: a negative offset");
	is(errno, EINVAL, "fallocate: ... EINVAL");
	is(fallocate(fd, 0, 0, 0), -1, "fallocate: len 0");
	is(errno, EINVAL, "fallocate: ... EINVAL");
	is(fallocate(-1, 0, 0, 0), -1, "fallocate: a bad fd before a bad len");
	is(errno, EBADF, "fallocate: ... EBADF");
	is(fallocate(fd, 0, 0x7fffffffffff0000L, 0x10000L), -1, "fallocate: a range past the largest file");
	is(errno, EFBIG, "fallocate: ... EFBIG");
	is(fcntl(fd, F_ADD_SEALS, F_SEAL_GROW), 0, "fallocate: seal GROW");
	is(fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 4 * PG), -1, "fallocate: past the end of a GROW-sealed object, KEEP_SIZE or not");
	is(errno, EPERM, "fallocate: ... EPERM");
	is(fallocate(fd, 0, 0, 3 * PG), 0, "fallocate: inside a GROW-sealed object");
	munmap(m, 3 * PG);
	is(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), 0, "fallocate: seal WRITE");
	is(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, PG), -1, "fallocate: punch a WRITE-sealed object");
	is(errno, EPERM, "fallocate: ... EPERM");
	close(fd);
	pipe(pfd);
	is(fallocate(pfd[1], 0, 0, PG), -1, "fallocate: a pipe");
	is(errno, ESPIPE, "fallocate: ... ESPIPE");
	close(pfd[0]);
	close(pfd[1]);
	fd = open("/proc/self/status", O_RDONLY);
	is(fallocate(fd, 0, 0, PG), -1, "fallocate: a file open read-only");
	is(errno, EBADF, "fallocate: ... EBADF");
	close(fd);
}

static int remap_child(void *arg)
{
	volatile char *p = arg;

	if (p[0] != 3)
		return 1;
	p[PG] = 4;
	return 0;
}

static void test_remap(void)
{
	char *p = mmap(NULL, 2 * PG, RW, SHARED_ANON, -1, 0), *q;
	unsigned char vec[2] = { 9, 9 };
	int st;

	p[0] = 3;
	q = mremap(p, 2 * PG, 4 * PG, MREMAP_MAYMOVE, NULL);
	ok(q != MAP_FAILED, "remap: mremap grows a shared mapping");
	is(q[0], 3, "remap: the data moved with it");
	st = run_child(remap_child, q);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "remap: the child sees the moved mapping");
	is(q[PG], 4, "remap: still shared after mremap: the parent sees the child's write");
	is(sigbus_at(q + 2 * PG), SIGBUS, "remap: the grown part lies past the object: SIGBUS");
	is(mprotect(q, 2 * PG, PROT_READ), 0, "remap: mprotect read-only");
	is(mprotect(q, 2 * PG, RW), 0, "remap: mprotect read-write");
	q[1] = 7;
	is(q[1], 7, "remap: writable again");
	is(mlock(q, 2 * PG), 0, "remap: mlock a shared mapping");
	is(munlock(q, 2 * PG), 0, "remap: munlock");
	is(mincore(q, 2 * PG, vec), 0, "remap: mincore");
	ok(vec[0] & 1 && vec[1] & 1, "remap: mincore: both pages resident");
	is(msync(q, 2 * PG, MS_SYNC), 0, "remap: msync");
	is(munmap(q, 4 * PG), 0, "remap: munmap");
}

static void test_pin(void)
{
	char *p = mmap(NULL, PG, PROT_READ, SHARED_ANON, -1, 0);
	struct iovec iov = { p, 16 };
	char b[16] = { 1 };
	int pfd[2];

	pipe(pfd);
	is(vmsplice(pfd[1], &iov, 1, 0), 16, "pin: vmsplice pins a page of read-only shared memory");
	is(read(pfd[0], b, 16), 16, "pin: the pipe gives the 16 bytes back");
	is(b[0] | b[15], 0, "pin: ... zeros, as the page holds");
	close(pfd[0]);
	close(pfd[1]);
	munmap(p, PG);
}

static void test_report(void)
{
	int fd = memfd_create("report", 0);
	char *a, *b;
	unsigned long long e0, e1;
	volatile char c;

	ftruncate(fd, 2 * PG);
	a = mmap(NULL, 2 * PG, RW, MAP_SHARED, fd, 0);
	b = mmap(NULL, PG, RW, MAP_SHARED, fd, 0);
	a[0] = 1;
	a[PG] = 2;
	c = b[0];
	(void)c;
	is(smaps_kb(a, "Rss:"), 8, "report: smaps Rss of the two-page mapping");
	is(smaps_kb(a, "Pss:"), 6, "report: Pss: the page mapped twice counts half");
	is(smaps_kb(a, "Shared_Dirty:"), 4, "report: Shared_Dirty: the page mapped twice");
	is(smaps_kb(a, "Private_Dirty:"), 4, "report: Private_Dirty: the page mapped once");
	is(smaps_kb(a, "Anonymous:"), 0, "report: Anonymous 0: shmem is not anon");
	is(smaps_kb(b, "Rss:"), 4, "report: smaps Rss of the second mapping");
	is(smaps_kb(b, "Shared_Dirty:"), 4, "report: its page is shared and dirty (written through the other)");
	is(smaps_kb(b, "Pss:"), 2, "report: its Pss is half a page");
	is(status_kb("RssShmem:"), 12, "report: status RssShmem counts every mapping's pages");
	e0 = pagemap_of(a);
	e1 = pagemap_of(a + PG);
	ok((e0 & PM_PRESENT) && (e0 & PM_FILE), "report: pagemap: present, PM_FILE (bit 61)");
	ok(!(e0 & PM_MMAP_EXCLUSIVE), "report: pagemap: bit 56 clear for the page mapped twice");
	ok((e1 & PM_FILE) && (e1 & PM_MMAP_EXCLUSIVE), "report: pagemap: bit 56 set for the page mapped once");
	if (on_foliOS()) {
		unsigned long long k = pagemap_entry(NULL, "/proc/kpageflags", (unsigned long)(e0 & PM_PFRAME_MASK));

		ok(!(k & (1ULL << KPF_ANON)), "report: kpageflags: no KPF_ANON");
		ok((k & (1ULL << KPF_SWAPBACKED)) && (k & (1ULL << KPF_MMAP)), "report: kpageflags: KPF_SWAPBACKED, KPF_MMAP");
		struct folio_run r;

		ok(folio_at(a, &r) == 0 && r.order == 0 && r.mapcount == 2 && r.rmap == 2 && r.ref == 3 &&
		   r.flags == (FOLIO_RUN_SHMEM | FOLIO_RUN_SHARED | FOLIO_RUN_DIRTY | FOLIO_RUN_WRITABLE),
		   "report: folios: order 0, mapcount 2 = rmap, ref 3, flags shmem,shared,dirty,writable");
		ok(folio_at(b, &r) == 0 && r.flags == (FOLIO_RUN_SHMEM | FOLIO_RUN_SHARED | FOLIO_RUN_WRITABLE),
		   "report: folios: the read-only-touched mapping: shmem,shared,writable, not dirty");
		read_text("/proc/vmstat");
		ok(strstr(text, "\nnr_shmem 2\n") != NULL, "report: vmstat nr_shmem 2");
		read_text("/proc/meminfo");
		ok(strstr(text, "\nShmem:                 8 kB\n") != NULL, "report: meminfo Shmem 8 kB");
	} else {
		skip("report: kpageflags and nr_shmem checked on foliOS only");
		skip("report: (2)");
		skip("report: (3)");
		skip("report: (4)");
		skip("report: (5)");
		skip("report: (6)");
	}
	munmap(a, 2 * PG);
	munmap(b, PG);
	close(fd);
}

static void test_errno(void)
{
	char name[300];
	int fd, pfd[2];
	char *m;

	errno = 0;
	is_errno(memfd_create((const char *)8, 0), EFAULT, "errno: memfd_create bad name: EFAULT");
	is_errno(memfd_create("x", 0x100), EINVAL, "errno: unknown flag: EINVAL");
	is_errno(memfd_create("x", MFD_EXEC | MFD_NOEXEC_SEAL), EINVAL, "errno: MFD_EXEC|MFD_NOEXEC_SEAL: EINVAL");
	memset(name, 'n', sizeof(name));
	name[250] = '\0';
	is_errno(memfd_create(name, 0), EINVAL, "errno: a 250-byte name: EINVAL");
	name[249] = '\0';
	fd = memfd_create(name, 0);
	ok(fd >= 0, "errno: a 249-byte name is fine");
	close(fd);
	fd = memfd_create("seal", 0);
	is(fcntl(fd, F_GET_SEALS), F_SEAL_SEAL, "errno: without MFD_ALLOW_SEALING: F_SEAL_SEAL");
	is_errno(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), EPERM, "errno: F_ADD_SEALS then: EPERM");
	is_errno(ftruncate(fd, -1), EINVAL, "errno: ftruncate negative: EINVAL");
	is_errno(ftruncate(99, 0), EBADF, "errno: ftruncate bad fd: EBADF");
	pipe(pfd);
	is_errno(ftruncate(pfd[1], 0), EINVAL, "errno: ftruncate a pipe: EINVAL");
	is_errno(fcntl(pfd[0], F_GET_SEALS), EINVAL, "errno: F_GET_SEALS on a pipe: EINVAL");
	is_errno(fcntl(pfd[1], F_ADD_SEALS, F_SEAL_SEAL), EINVAL, "errno: F_ADD_SEALS on a pipe: EINVAL");
	close(pfd[0]);
	close(pfd[1]);
	close(fd);

	fd = memfd_create("seal", MFD_ALLOW_SEALING);
	is(fcntl(fd, F_GET_SEALS), 0, "errno: MFD_ALLOW_SEALING: no seals");
	is_errno(fcntl(fd, F_ADD_SEALS, 0x100), EINVAL, "errno: unknown seal: EINVAL");
	ftruncate(fd, PG);
	m = mmap(NULL, PG, RW, MAP_SHARED, fd, 0);
	is_errno(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), EBUSY, "errno: F_SEAL_WRITE with a shared mapping: EBUSY");
	munmap(m, PG);
	is(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW), 0, "errno: seal write, shrink, grow");
	is(fcntl(fd, F_GET_SEALS), F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW, "errno: F_GET_SEALS");
	is_errno(write(fd, "a", 1), EPERM, "errno: write when sealed: EPERM");
	is_errno((long)mmap(NULL, PG, RW, MAP_SHARED, fd, 0), EPERM, "errno: shared writable mmap when sealed: EPERM");
	m = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 0);
	ok(m != MAP_FAILED, "errno: a private mapping of a sealed memfd is fine");
	is_errno(madvise(m, PG, MADV_REMOVE), EACCES, "errno: MADV_REMOVE on a private mapping: EACCES");
	munmap(m, PG);
	is_errno(ftruncate(fd, 0), EPERM, "errno: ftruncate smaller with F_SEAL_SHRINK: EPERM");
	is_errno(ftruncate(fd, 2 * PG), EPERM, "errno: ftruncate larger with F_SEAL_GROW: EPERM");
	close(fd);

	m = mmap(NULL, PG, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	is_errno(madvise(m, PG, MADV_REMOVE), EINVAL, "errno: MADV_REMOVE on private anonymous memory: EINVAL");
	munmap(m, PG);
	m = mmap(NULL, PG, RW, SHARED_ANON, -1, 0);
	is_errno(madvise(m, PG, MADV_FREE), EINVAL, "errno: MADV_FREE on shared memory: EINVAL");
	is_errno(madvise(m, PG, MADV_WIPEONFORK), EINVAL, "errno: MADV_WIPEONFORK on shared memory: EINVAL");
	munmap(m, PG);
	is_errno((long)mmap(NULL, PG, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0), EINVAL,
		 "errno: MAP_SHARED_VALIDATE|MAP_ANONYMOUS: EINVAL");
	is_errno((long)mmap(NULL, PG, RW, MAP_SHARED, 99, 0), EBADF, "errno: MAP_SHARED of a closed fd: EBADF");
}

static long settled_free_pages(void)
{
	sysfs_write(FOLIO_DIR "/deferred_split_scan", "1");
	return free_pages_now();
}

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
	{ "fork", test_fork }, { "memfd", test_memfd }, { "short", test_short_write }, { "private", test_private },
	{ "truncate", test_truncate }, { "madvise", test_madvise }, { "fallocate", test_fallocate }, { "remap", test_remap },
	{ "pin", test_pin }, { "report", test_report }, { "errno", test_errno },
};

int main(int argc, char **argv)
{
	long free0;

	memset(text, 0, sizeof(text));
	read_text("/proc/self/smaps");	/* fault in the buffer and the stack before the baseline */
	free0 = on_foliOS() ? settled_free_pages() : 0;
	for (unsigned int i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		if (test_selected(argc, argv, tests[i].name))
			tests[i].fn();
	if (on_foliOS())
		is(settled_free_pages(), free0, "MemFree back: no page of any shmem object leaked");
	return done_testing();
}
