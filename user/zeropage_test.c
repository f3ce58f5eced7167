/* zeropage_test: never-written anonymous memory reads as zero; a read fault costs one
 * minor fault per page on foliOS (the shared zero page, mapped read-only), and a later
 * write gets a private page without disturbing the other zero-page readers. */
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <test.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>

#define PG 4096UL
#define NPAGES 64

static long minflt(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) < 0)
		return -1;
	return ru.ru_minflt;
}

static int zero_page(const volatile unsigned long *p)
{
	for (size_t i = 0; i < PG / sizeof(long); i++)
		if (p[i])
			return 0;
	return 1;
}

int main(void)
{
	volatile unsigned char *p = mmap(NULL, NPAGES * PG, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long before, after, sum = 0;

	ok(p != MAP_FAILED, "mmap %d pages", NPAGES);
	before = minflt();
	for (int i = 0; i < NPAGES; i++)
		sum += p[i * PG];
	after = minflt();
	is(sum, 0, "first read of every never-written page gives 0");
	if (on_foliOS())
		is(after - before, NPAGES, "foliOS: one minor fault per page read");
	else
		diag("minor faults for %d page reads on this kernel: %ld", NPAGES, after - before);
	before = minflt();
	for (int i = 0; i < NPAGES; i++)
		sum += p[i * PG + 8];
	after = minflt();
	is(after - before, 0, "reading the same pages again: no new fault");
	int all = 1;
	for (int i = 0; i < NPAGES; i++)
		all &= zero_page((volatile unsigned long *)(p + i * PG));
	ok(all, "every byte of every page is 0");

	p[3 * PG + 5] = 0x42;
	is(p[3 * PG + 5], 0x42, "writing after a read fault works");
	ok(zero_page((volatile unsigned long *)(p + 2 * PG)) &&
	   zero_page((volatile unsigned long *)(p + 4 * PG)) && p[3 * PG] == 0 && p[3 * PG + 6] == 0,
	   "the write is private: neighbouring zero-page readers still read 0");

	volatile unsigned char *q = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ok(q != MAP_FAILED && q[5] == 0 && zero_page((volatile unsigned long *)q),
	   "a second mapping still reads 0 after the write (the zero page was not written)");
	q[5] = 7;
	ok(p[3 * PG + 5] == 0x42 && p[4 * PG + 5] == 0 && q[5] == 7, "two written pages are distinct");

	/* Zero-page mappings across fork: the child writes, the parent still reads 0. */
	volatile unsigned char *r = p + 10 * PG;
	(void)r[0];
	int pid = fork();
	if (pid == 0) {
		r[0] = 9;
		_exit(r[0] == 9 && r[PG] == 0 ? 0 : 1);
	}
	int status = -1;
	waitpid(pid, &status, 0);
	is(status, 0, "child writes a zero-page-backed page after fork");
	is(r[0], 0, "parent still reads 0 there");

	/* Write faults on fresh pages count too, and mprotect(PROT_READ) keeps zero pages. */
	before = minflt();
	for (int i = 32; i < 40; i++)
		p[i * PG] = 1;
	after = minflt();
	if (on_foliOS())
		is(after - before, 8, "foliOS: one fault per page written after a read (zero page -> private)");
	is(mprotect((void *)(p + 48 * PG), 8 * PG, PROT_READ), 0, "mprotect(PROT_READ) of zero-page-backed pages");
	ok(zero_page((volatile unsigned long *)(p + 50 * PG)), "they still read 0");
	munmap((void *)p, NPAGES * PG);
	munmap((void *)q, 4 * PG);
	return done_testing();
}
