/*
 * shmembench: first-touch cost of shared memory against private anonymous memory, 4 KiB
 * pages throughout (private memory with MADV_NOHUGEPAGE, so every mapping faults once per
 * page).  For each kind: map 32 MiB, write one byte per page, munmap; five runs, the median
 * reported as one line per kind
 *   BENCH name=shmembench arch=<x86_64|arm64> kind=<K> mib=32 mib_s=<first-touch MiB/s>
 *         faults=<ru_minflt delta> ratio_pct=<mib_s as a percentage of private's>
 * kinds: private (MAP_PRIVATE|MAP_ANONYMOUS), shared (MAP_SHARED|MAP_ANONYMOUS), memfd
 * (MAP_SHARED of a memfd), memfd_write (write() of 32 MiB into a memfd, no mapping: the
 * object's pages without faults).  ratio_pct compares within the run, so a slow spell of
 * the host cancels out.  Runs on Linux too.  Not a test: it asserts nothing.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bench.h>
#include <sys/mman.h>
#include <sys/resource.h>

#define PG	4096UL
#define MIB	32UL
#define LEN	(MIB << 20)
#define REPS	5

enum kind { PRIVATE, SHARED, MEMFD, MEMFD_WRITE, NR_KINDS };
static const char *const kind_names[NR_KINDS] = { "private", "shared", "memfd", "memfd_write" };
static char chunk[64 << 10];

struct sample {
	unsigned long mib_s;
	long faults;
};

static long minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/* Fill the object behind fd with write() (memfd_write) or touch a mapping of kind k. */
static int run_once(enum kind k, struct sample *s)
{
	int fd = k >= MEMFD ? memfd_create("bench", 0) : -1;
	long f0 = minflt(), t0, t;
	char *p = NULL;

	if (k >= MEMFD && (fd < 0 || ftruncate(fd, (off_t)LEN)))
		return -1;
	if (k != MEMFD_WRITE) {
		p = mmap(NULL, LEN, PROT_READ | PROT_WRITE, k == PRIVATE ? MAP_PRIVATE | MAP_ANONYMOUS :
			 k == SHARED ? MAP_SHARED | MAP_ANONYMOUS : MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			return -1;
		if (k == PRIVATE)
			madvise(p, LEN, MADV_NOHUGEPAGE);
	}
	t0 = now_ns();
	for (unsigned long off = 0; off < LEN; off += k == MEMFD_WRITE ? sizeof(chunk) : PG) {
		if (k == MEMFD_WRITE)
			pwrite(fd, chunk, sizeof(chunk), (off_t)off);
		else
			p[off] = 1;
	}
	t = now_ns() - t0;
	s->faults = minflt() - f0;
	s->mib_s = t > 0 ? MIB * 1000000000UL / (unsigned long)t : 0;
	if (p)
		munmap(p, LEN);
	if (fd >= 0)
		close(fd);
	return 0;
}

int main(void)
{
	struct sample runs[NR_KINDS][REPS];
	unsigned long median[NR_KINDS];

	memset(chunk, 1, sizeof(chunk));
	/* Kinds taken in turn within each round: a slow spell of the host hits all alike. */
	for (int r = 0; r < REPS; r++)
		for (int k = 0; k < NR_KINDS; k++)
			if (run_once((enum kind)k, &runs[k][r])) {
				printf("# shmembench: %s: mapping failed\n", kind_names[k]);
				return 1;
			}
	for (int k = 0; k < NR_KINDS; k++)
		median[k] = BENCH_MEDIAN(runs[k], REPS, mib_s);
	for (int k = 0; k < NR_KINDS; k++)
		printf("BENCH name=shmembench arch=%s kind=%s mib=%lu mib_s=%lu faults=%lu ratio_pct=%lu\n",
		       bench_arch(), kind_names[k], MIB, median[k], BENCH_MEDIAN(runs[k], REPS, faults),
		       median[PRIVATE] ? median[k] * 100 / median[PRIVATE] : 0);
	return 0;
}
