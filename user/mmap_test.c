/* mmap_test: mmap/munmap/mprotect/madvise semantics, asserted exactly as Linux
 * behaves (every portable check also passes natively on Linux). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <test.h>
#include <sys/mman.h>

#define PG 4096UL

static void *map(void *addr, size_t len, int prot, int flags)
{
	return mmap(addr, len, prot, flags, -1, 0);
}

static void *anon(size_t len)
{
	return map(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
}

static int all_bytes(const unsigned char *p, size_t len, unsigned char v)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

static void touch_read(void *p) { (void)*(volatile char *)p; }
static void touch_write(void *p) { *(volatile char *)p = 1; }

int main(int argc, char **argv)
{
	unsigned char *p, *q;
	(void)argc;

	/* Basics. */
	p = anon(4 * PG);
	ok(p != MAP_FAILED, "anonymous private mmap of 4 pages");
	is((uintptr_t)p & (PG - 1), 0, "mmap returns a page-aligned address");
	ok((uintptr_t)p + 4 * PG <= USER_VA_END, "mapping lies below USER_VA_END");
	ok(all_bytes(p, 4 * PG, 0), "fresh anonymous memory reads as zero");
	memset(p, 0xab, 4 * PG);
	ok(all_bytes(p, 4 * PG, 0xab), "anonymous memory is writable");
	is(munmap(p, 4 * PG), 0, "munmap of the whole mapping");
	is(expect_signal_arg(touch_read, p), SIGSEGV, "reading an unmapped page: SIGSEGV");

	/* Partial munmap splits the mapping. */
	p = anon(3 * PG);
	memset(p, 0x11, PG);
	memset(p + PG, 0x22, PG);
	memset(p + 2 * PG, 0x33, PG);
	is(munmap(p + PG, PG), 0, "munmap of the middle page");
	is(expect_signal_arg(touch_read, p + PG), SIGSEGV, "reading the unmapped middle page: SIGSEGV");
	is(expect_signal_arg(touch_write, p + PG), SIGSEGV, "writing the unmapped middle page: SIGSEGV");
	ok(all_bytes(p, PG, 0x11) && all_bytes(p + 2 * PG, PG, 0x33),
	   "both neighbours of the hole keep their contents");
	p[0] = 0x44;
	p[2 * PG] = 0x55;
	ok(p[0] == 0x44 && p[2 * PG] == 0x55, "both neighbours stay writable");
	is(munmap(p + PG, PG), 0, "munmap of an already unmapped range succeeds");
	is(munmap(p, 3 * PG), 0, "munmap across the hole");

	/* MAP_FIXED replaces an existing mapping; the new one is zero. */
	p = anon(4 * PG);
	memset(p, 0x77, 4 * PG);
	q = map(p + PG, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
	is(q, p + PG, "MAP_FIXED over a mapping returns the requested address");
	ok(all_bytes(p + PG, 2 * PG, 0), "MAP_FIXED replacement reads as zero");
	ok(all_bytes(p, PG, 0x77) && all_bytes(p + 3 * PG, PG, 0x77),
	   "MAP_FIXED leaves the pages around it alone");

	/* MAP_FIXED_NOREPLACE. */
	q = map(p + PG, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
	is_errno(q, EEXIST, "MAP_FIXED_NOREPLACE over a mapping: EEXIST");
	q = map(p + 3 * PG, 2 * PG, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
	is_errno(q, EEXIST, "MAP_FIXED_NOREPLACE partly over a mapping: EEXIST");
	memset(p + PG, 0x78, PG);
	q = map(p + PG, PG, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_FIXED_NOREPLACE);
	is_errno(q, EEXIST, "MAP_FIXED | MAP_FIXED_NOREPLACE over a mapping: EEXIST (NOREPLACE wins)");
	ok(all_bytes(p + PG, PG, 0x78), "... and the mapping keeps its data");
	munmap(p + 2 * PG, PG);
	q = map(p + 2 * PG, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
	is(q, p + 2 * PG, "MAP_FIXED_NOREPLACE into a hole returns the address");
	ok(all_bytes(p + 2 * PG, PG, 0), "MAP_FIXED_NOREPLACE mapping reads as zero");
	munmap(p, 4 * PG);

	/* Argument checking. */
	p = anon(2 * PG);
	is_errno(munmap(p + 1, PG), EINVAL, "munmap of an unaligned address: EINVAL");
	is_errno(mprotect(p + 1, PG, PROT_READ), EINVAL, "mprotect of an unaligned address: EINVAL");
	is_errno(madvise(p + 1, PG, MADV_DONTNEED), EINVAL, "madvise of an unaligned address: EINVAL");
	is_errno(anon(0), EINVAL, "mmap of length 0: EINVAL");
	is_errno(munmap(p, 0), EINVAL, "munmap of length 0: EINVAL");
	is_errno(map(p + 1, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED), EINVAL,
		 "MAP_FIXED at an unaligned address: EINVAL");
	is_errno(map(NULL, PG, PROT_READ, MAP_ANONYMOUS), EINVAL,
		 "mmap without MAP_PRIVATE or MAP_SHARED: EINVAL");
	is_errno(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, -1, 0), EBADF,
		 "file mapping of fd -1: EBADF");
	is(mprotect(p, 0, PROT_READ), 0, "mprotect of length 0 succeeds (Linux)");
	is(madvise(p, 0, MADV_DONTNEED), 0, "madvise of length 0 succeeds (Linux)");
	munmap(p, 2 * PG);

	/* Beyond USER_VA_END. */
	is_errno(map((void *)(USER_VA_END - PG), 2 * PG, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED), ENOMEM,
		 "MAP_FIXED straddling USER_VA_END: ENOMEM");
	is_errno(map((void *)0xffff800000000000UL, PG, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED), ENOMEM,
		 "MAP_FIXED at a kernel address: ENOMEM");
	is_errno(anon(USER_VA_END + PG), ENOMEM, "mmap longer than USER_VA_END: ENOMEM");
	is_errno(anon(-PG), ENOMEM, "mmap of length -4096: ENOMEM");
	is_errno(munmap((void *)(USER_VA_END - PG), 2 * PG), EINVAL,
		 "munmap straddling USER_VA_END: EINVAL");
	is_errno(mprotect((void *)(USER_VA_END - PG), 2 * PG, PROT_READ), ENOMEM,
		 "mprotect straddling USER_VA_END: ENOMEM");
	q = map((void *)(USER_VA_END - PG), PG, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
	/* The top page may hold the stack's guard gap or vsyscall-free space; accept both. */
	ok(q == (void *)(USER_VA_END - PG) || (q == MAP_FAILED && (errno == ENOMEM || errno == EEXIST)),
	   "MAP_FIXED_NOREPLACE of the last user page: mapped, or ENOMEM/EEXIST");
	if (q != MAP_FAILED)
		munmap(q, PG);

	/* mprotect. */
	p = anon(3 * PG);
	memset(p, 0x5a, 3 * PG);
	is(mprotect(p + PG, PG, PROT_READ), 0, "mprotect(PROT_READ) of the middle page");
	ok(p[PG] == 0x5a && p[PG + 100] == 0x5a, "read-only page is still readable");
	is(expect_signal_arg(touch_write, p + PG), SIGSEGV, "writing a read-only page: SIGSEGV");
	is(expect_signal_arg(touch_write, p), 0, "writing the page before it: no signal");
	is(expect_signal_arg(touch_write, p + 2 * PG), 0, "writing the page after it: no signal");
	is(mprotect(p + PG, PG, PROT_READ | PROT_WRITE), 0, "mprotect back to read-write");
	p[PG] = 0x66;
	ok(p[PG] == 0x66 && p[PG + 1] == 0x5a, "writable again, contents kept");
	is(mprotect(p, 3 * PG, PROT_NONE), 0, "mprotect(PROT_NONE) of all three pages");
	is(expect_signal_arg(touch_read, p + 2 * PG), SIGSEGV, "reading a PROT_NONE page: SIGSEGV");
	is(mprotect(p, 3 * PG, PROT_READ | PROT_WRITE), 0, "mprotect(PROT_NONE -> RW)");
	ok(p[0] == 0x5a && p[PG] == 0x66 && p[2 * PG] == 0x5a, "contents survive PROT_NONE");
	munmap(p + PG, PG);
	is_errno(mprotect(p, 3 * PG, PROT_READ), ENOMEM, "mprotect over a hole: ENOMEM");
	munmap(p, 3 * PG);

	/* Hint address: honoured when free. */
	p = anon(16 * PG);
	munmap(p, 16 * PG);
	q = map(p + 4 * PG, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	is(q, p + 4 * PG, "a free hint address is honoured");
	munmap(q, 2 * PG);
	p = anon(2 * PG);
	q = map(p, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	ok(q != MAP_FAILED && q != p, "an occupied hint address is ignored, not an error");
	ok(p[0] == 0 && (q == MAP_FAILED || q[0] == 0), "... and the existing mapping is untouched");
	munmap(q, 2 * PG);
	munmap(p, 2 * PG);

	/* Flags accepted with anonymous private mappings. */
	q = map(NULL, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE);
	ok(q != MAP_FAILED && all_bytes(q, 8 * PG, 0), "MAP_POPULATE mapping is zero");
	munmap(q, 8 * PG);
	q = map(NULL, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE);
	ok(q != MAP_FAILED, "MAP_NORESERVE accepted");
	munmap(q, 8 * PG);
	q = map(NULL, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK);
	ok(q != MAP_FAILED, "MAP_STACK accepted");
	if (q != MAP_FAILED) {
		q[8 * PG - 1] = 1;
		munmap(q, 8 * PG);
	}
	q = map(NULL, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN);
	ok(q != MAP_FAILED, "MAP_GROWSDOWN accepted");
	if (q != MAP_FAILED) {
		q[8 * PG - 1] = 1;
		munmap(q, 8 * PG);
	}

	/* madvise. */
	p = anon(4 * PG);
	memset(p, 0x99, 4 * PG);
	is(madvise(p, 4 * PG, MADV_DONTNEED), 0, "MADV_DONTNEED");
	ok(all_bytes(p, 4 * PG, 0), "MADV_DONTNEED zeroes private anonymous memory");
	p[0] = 1;
	ok(p[0] == 1, "memory is usable after MADV_DONTNEED");
	is_errno(madvise(p, 4 * PG, 1000), EINVAL, "unknown madvise advice: EINVAL");
	is_errno(madvise(p, 4 * PG, 7), EINVAL, "madvise advice 7 (unused number): EINVAL");
	is(madvise(p, 4 * PG, MADV_NORMAL), 0, "MADV_NORMAL");
	is(madvise(p, 4 * PG, MADV_HUGEPAGE), 0, "MADV_HUGEPAGE accepted");
	is(madvise(p, 4 * PG, MADV_NOHUGEPAGE), 0, "MADV_NOHUGEPAGE accepted");
	munmap(p + PG, PG);
	is_errno(madvise(p, 4 * PG, MADV_DONTNEED), ENOMEM, "madvise over an unmapped hole: ENOMEM");
	is_errno(madvise(p + PG, PG, MADV_NORMAL), ENOMEM, "madvise of only a hole: ENOMEM");
	munmap(p, 4 * PG);

	/* MAP_SHARED|MAP_ANONYMOUS maps (shmem_test has the rest); file mappings but memfd's:
	 * not supported on foliOS. */
	q = map(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS);
	ok(q != MAP_FAILED, "MAP_SHARED|MAP_ANONYMOUS maps");
	if (q != MAP_FAILED)
		munmap(q, PG);
	if (on_foliOS()) {
		int fd = open(argv[0], O_RDONLY);
		ok(fd >= 0, "foliOS: open %s", argv[0]);
		q = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 0);
		ok(q == MAP_FAILED, "foliOS: a file mapping returns an error (errno %d)", errno);
		close(fd);
	} else {
		skip("file mappings are only refused on foliOS");
	}

	/* Many small mappings and unmapping every other page: VMA bookkeeping. */
	p = anon(64 * PG);
	for (int i = 0; i < 64; i++)
		p[i * PG] = (unsigned char)i;
	int bad = 0;
	for (int i = 1; i < 64; i += 2)
		bad |= munmap(p + i * PG, PG);
	for (int i = 0; i < 64; i += 2)
		bad |= p[i * PG] != (unsigned char)i;
	ok(!bad, "unmapping every other page of 64 keeps the rest intact");
	is(expect_signal_arg(touch_read, p + 33 * PG), SIGSEGV, "... and the odd pages are gone");
	is(munmap(p, 64 * PG), 0, "munmap of the whole checkerboard");
	return done_testing();
}
