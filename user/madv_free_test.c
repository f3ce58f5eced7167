/* madv_free_test: MADV_FREE as Linux defines it, checked the same way on foliOS and natively
 * on Linux (the foliOS-only view of lazyfree folios and reclaim is in folio_test):
 *   - argument checks and errno: EINVAL for an unaligned start or a range that wraps, ENOMEM
 *     when the range has unmapped holes (the mapped parts are still freed), 0 for length 0, for
 *     read-only, PROT_NONE, never-touched and zero-page memory; EINVAL on mlock'ed memory and on
 *     shared anonymous memory where the kernel has them;
 *   - data: after MADV_FREE every page reads back either its old contents or zeros, whole;
 *     a page written after MADV_FREE keeps what was written; a forked child's MADV_FREE leaves
 *     the parent's data alone. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <test.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define PG	4096UL
#define NPAGES	64

static unsigned char *anon(size_t len)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

/* Page i holds the byte (i + seed) everywhere. */
static void fill(unsigned char *p, unsigned long npages, int seed)
{
	for (unsigned long i = 0; i < npages; i++)
		memset(p + i * PG, (int)(i + seed) & 0xff, PG);
}

/* Every page is whole: all (i + seed), or (zeros_ok) all 0. */
static int pages_old_or_zero(const unsigned char *p, unsigned long npages, int seed, int zeros_ok)
{
	for (unsigned long i = 0; i < npages; i++) {
		unsigned char want = (unsigned char)(i + seed), first = p[i * PG];

		if (first != want && !(zeros_ok && first == 0))
			return 0;
		for (unsigned long j = 1; j < PG; j++)
			if (p[i * PG + j] != first)
				return 0;
	}
	return 1;
}

static void errors(void)
{
	unsigned char *p = anon(16 * PG), *z;

	fill(p, 16, 1);
	is_errno(madvise(p + 1, PG, MADV_FREE), EINVAL, "MADV_FREE of an unaligned start: EINVAL");
	is_errno(madvise(p + 1, 0, MADV_FREE), EINVAL, "... even with length 0: EINVAL");
	is(madvise(p, 0, MADV_FREE), 0, "MADV_FREE of length 0 succeeds");
	is(madvise(p, 1, MADV_FREE), 0, "MADV_FREE of 1 byte covers the page");
	is_errno(madvise(p, -PG, MADV_FREE), EINVAL, "MADV_FREE of a range that wraps: EINVAL");
	munmap(p + 4 * PG, PG);
	is_errno(madvise(p, 16 * PG, MADV_FREE), ENOMEM, "MADV_FREE over an unmapped hole: ENOMEM");
	is_errno(madvise(p + 4 * PG, PG, MADV_FREE), ENOMEM, "MADV_FREE of only a hole: ENOMEM");
	is_errno(madvise(p + 4 * PG, 2 * PG, MADV_FREE), ENOMEM, "MADV_FREE starting in a hole: ENOMEM");
	ok(pages_old_or_zero(p, 4, 1, 1) && pages_old_or_zero(p + 5 * PG, 11, 6, 1),
	   "the mapped parts around the hole: old data or zeros");
	mprotect(p, PG, PROT_READ);
	is(madvise(p, PG, MADV_FREE), 0, "MADV_FREE of read-only memory succeeds");
	mprotect(p + PG, PG, PROT_NONE);
	is(madvise(p + PG, PG, MADV_FREE), 0, "MADV_FREE of PROT_NONE memory succeeds");
	munmap(p, 16 * PG);

	z = anon(4 * PG);
	is(madvise(z, 4 * PG, MADV_FREE), 0, "MADV_FREE of never-touched memory succeeds");
	(void)*(volatile unsigned char *)z;
	is(madvise(z, 4 * PG, MADV_FREE), 0, "MADV_FREE over the zero page succeeds");
	ok(z[0] == 0 && z[3 * PG] == 0, "... and it still reads zeros");
	if (mlock(z, PG) == 0) {
		is_errno(madvise(z, 2 * PG, MADV_FREE), EINVAL, "MADV_FREE over mlock'ed memory: EINVAL");
		munlock(z, PG);
	} else {
		skip("mlock not available (errno %d): MADV_FREE of locked memory not checked", errno);
	}
	munmap(z, 4 * PG);

	p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p != MAP_FAILED) {
		is_errno(madvise(p, PG, MADV_FREE), EINVAL, "MADV_FREE of shared anonymous memory: EINVAL");
		munmap(p, 4 * PG);
	} else {
		skip("no shared anonymous memory (errno %d): MADV_FREE of it not checked", errno);
	}
}

static void data(void)
{
	unsigned char *p = anon(NPAGES * PG);

	fill(p, NPAGES, 3);
	is(madvise(p, NPAGES * PG, MADV_FREE), 0, "MADV_FREE of 64 written pages");
	ok(pages_old_or_zero(p, NPAGES, 3, 1), "each page reads back whole: its old data or zeros");
	fill(p, NPAGES / 2, 9);
	ok(pages_old_or_zero(p, NPAGES / 2, 9, 0), "pages written after MADV_FREE keep the new data");
	is(madvise(p, NPAGES * PG, MADV_FREE), 0, "MADV_FREE again");
	p[5 * PG] = 0x5a;
	ok(p[5 * PG] == 0x5a, "a byte written after the second MADV_FREE reads back");
	munmap(p, NPAGES * PG);
}

static unsigned char *shared_after_fork;

static int child_frees(void *arg)
{
	(void)arg;
	return madvise(shared_after_fork, NPAGES * PG, MADV_FREE) == 0 ? 0 : 1;
}

static void fork_child_frees(void)
{
	shared_after_fork = anon(NPAGES * PG);
	fill(shared_after_fork, NPAGES, 5);
	is(run_child(child_frees, NULL), 0, "a forked child MADV_FREEs the memory it shares with us");
	ok(pages_old_or_zero(shared_after_fork, NPAGES, 5, 0), "the parent's data is untouched");
	munmap(shared_after_fork, NPAGES * PG);
}

int main(void)
{
	errors();
	data();
	fork_child_frees();
	return done_testing();
}
