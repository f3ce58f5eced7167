/* brk_test: the program break grows and shrinks; re-grown memory is zero; sbrk(0)
 * follows; brk refuses to move below its start or into another mapping.  (No malloc
 * here: it would move the break behind our back.) */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <test.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define PG 4096UL

static int all_bytes(const unsigned char *p, size_t len, unsigned char v)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

int main(void)
{
	unsigned long raw = __syscall(__NR_brk, 0, 0, 0, 0, 0, 0);
	unsigned char *start = sbrk(0);

	ok(raw != 0, "brk(0) returns the current break (%#lx)", raw);
	is(start, raw, "sbrk(0) agrees with brk(0)");
	ok(raw > 0x400000 && raw < 0x0000800000000000UL, "the break lies above the program");

	/* Page-align first so that shrinking really unmaps whole pages. */
	unsigned char *base = (unsigned char *)(((uintptr_t)start + PG - 1) & ~(PG - 1));
	is(brk(base), 0, "brk to the next page boundary");
	is(sbrk(0), base, "sbrk(0) follows brk");

	is(brk(base + 16 * PG), 0, "brk grows by 16 pages");
	is(sbrk(0), base + 16 * PG, "sbrk(0) reports the new break");
	ok(all_bytes(base, 16 * PG, 0), "new heap memory reads as zero");
	memset(base, 0xc3, 16 * PG);
	ok(all_bytes(base, 16 * PG, 0xc3), "new heap memory is writable");

	is(brk(base + 4 * PG), 0, "brk shrinks to 4 pages");
	ok(all_bytes(base, 4 * PG, 0xc3), "memory below the new break keeps its contents");
	is(brk(base + 16 * PG), 0, "brk grows again to 16 pages");
	ok(all_bytes(base + 4 * PG, 12 * PG, 0), "re-grown memory reads as zero");
	ok(all_bytes(base, 4 * PG, 0xc3), "the kept part still holds its contents");

	unsigned char *old = sbrk(8 * PG);
	is(old, base + 16 * PG, "sbrk(+8 pages) returns the old break");
	is(sbrk(0), base + 24 * PG, "... and moves it");
	old = sbrk(-(long)(8 * PG));
	is(old, base + 24 * PG, "sbrk(-8 pages) returns the old break");
	is(sbrk(0), base + 16 * PG, "... and moves it back");

	/* Big growth: 8 MiB, touched page by page. */
	is(brk(base + (8 << 20)), 0, "brk grows by 8 MiB");
	int bad = 0;
	for (unsigned long off = 16 * PG; off < (8 << 20); off += PG) {
		bad |= base[off] != 0;
		base[off] = (unsigned char)(off >> 12);
	}
	for (unsigned long off = 16 * PG; off < (8 << 20); off += PG)
		bad |= base[off] != (unsigned char)(off >> 12);
	ok(!bad, "8 MiB of heap: zero, then holds what was written");
	is(brk(base), 0, "brk back to its start");
	is(sbrk(0), base, "sbrk(0) after the shrink");

	/* Refusals: the raw call returns the unchanged break. */
	unsigned long r = __syscall(__NR_brk, 0x1000, 0, 0, 0, 0, 0);
	is(r, (unsigned long)base, "brk below the program's start is refused (break unchanged)");
	is_errno(brk((void *)0x1000), ENOMEM, "... and the wrapper reports ENOMEM");
	r = __syscall(__NR_brk, (long)(USER_VA_END + (1UL << 44)), 0, 0, 0, 0, 0);
	is(r, (unsigned long)base, "brk beyond USER_VA_END is refused");

	void *blk = mmap(base + 64 * PG, PG, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	ok(blk == base + 64 * PG, "mmap a page 64 pages above the break");
	r = __syscall(__NR_brk, (long)(base + 128 * PG), 0, 0, 0, 0, 0);
	is(r, (unsigned long)base, "brk into another mapping is refused");
	is(brk(base + 32 * PG), 0, "brk up to below that mapping works");
	ok(all_bytes(base, 32 * PG, 0), "and reads as zero");
	munmap(blk, PG);
	is(brk(base), 0, "brk back to its start");
	return done_testing();
}
