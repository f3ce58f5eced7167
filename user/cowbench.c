/*
 * cowbench: fork + copy-on-write of 128 MiB, per folio size and cow_policy (docs/mm/cow.md).
 *
 *   cowbench            sizes 4K 64K 2M
 *   cowbench 64K ...    the named sizes (4K 8K 16K 32K 64K 128K 256K 512K 1M 2M)
 *
 * For each size (that mTHP size alone "always", every other "never"; 4K: every large size
 * never): map 128 MiB 2 MiB-aligned and write one byte per 4 KiB page, fork, then
 *   mode=copy   with the child alive (it sleeps until killed), the parent writes one byte
 *               per page again: every write is a CoW, of a page or a folio as
 *               /sys/kernel/mm/folio/cow_policy says (page, folio, adaptive);
 *   mode=reuse  the child exits first; the parent's writes reuse its folios (any policy).
 * Three runs; the medians, one line per size, mode and policy:
 *   BENCH name=cowbench arch=<x86_64|arm64> size=<S> mib=128 mode=<copy|reuse>
 *         policy=<page|folio|adaptive> faults=<write faults> us_per_mib=<write time / 128>
 *         copy_folio=<folios copied> copy_page=<pages copied> reuse=<cow_reuse delta>
 *         after=<the region's folios after: SIZE:COUNT,...>
 * then a human table.  The knobs are put back as found.  On Linux (no cow_policy knob) only
 * policy=page runs and the counters read -1.  Not a test: it asserts nothing.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bench.h>
#include <mthp.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define PG		4096UL
#define MIB		128UL
#define LEN		(MIB << 20)
#define PMD_SIZE	(2UL << 20)
#define REPS		3
#define MEDIAN(runs, f) BENCH_MEDIAN(runs, REPS, f)
#define COW_KNOB	FOLIO_DIR "/cow_policy"

static const char *const policies[] = { "page", "folio", "adaptive" };
#define NPOLICIES	3

struct run {
	unsigned long faults, us, copy_folio, copy_page, reuse;
};

static void touch(char *p)
{
	for (unsigned long off = 0; off < LEN; off += PG)
		((volatile char *)p)[off] = 1;
}

/* One run; reuse: the child exits before the parent writes.  0, or -1 (mmap/fork). */
static int run_once(int reuse, int nohuge, struct run *r)
{
	char *p = bench_map_aligned(LEN, PMD_SIZE);
	struct timespec ts = { 1, 0 };
	int status;

	if (!p)
		return -1;
	if (nohuge)
		madvise(p, LEN, MADV_NOHUGEPAGE);
	touch(p);
	pid_t pid = fork();
	if (pid == 0) {
		if (reuse)
			_exit(0);
		for (;;)
			nanosleep(&ts, NULL);
	}
	if (pid < 0) {
		munmap(p, LEN);
		return -1;
	}
	if (reuse)
		waitpid(pid, &status, 0);
	long cr0 = vmstat_get("cow_reuse");
	long cc0 = vmstat_get("cow_copy_folio"), p0 = vmstat_get("pgalloc_order_0");
	long f0 = minflt_now(), t0 = now_ns();
	touch(p);
	long t1 = now_ns(), f1 = minflt_now();
	r->faults = (unsigned long)(f1 - f0);
	r->us = (unsigned long)(t1 - t0) / 1000 / MIB;
	r->copy_folio = (unsigned long)(vmstat_get("cow_copy_folio") - cc0);
	r->copy_page = (unsigned long)(vmstat_get("pgalloc_order_0") - p0);
	r->reuse = (unsigned long)(vmstat_get("cow_reuse") - cr0);
	if (!reuse) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	munmap(p, LEN);
	return 0;
}

int main(int argc, char **argv)
{
	const char *arch = bench_arch();
	unsigned int orders[16];
	struct thp_knobs saved;
	int n = bench_orders(argc, argv, "cowbench", (const unsigned int[]){ 0, 4, 9 }, 3, orders, 16);

	if (n < 0)
		return 2;
	int have_knobs = thp_knobs_save(&saved) == 0 && saved.sizes != 0;
	int have_cow = have_knobs && saved.have_cow_policy;
	printf("# cowbench (%s): 128 MiB written, forked, written again; median of %d runs\n", arch, REPS);
	printf("# %-5s %-6s %-9s %7s %10s %10s %9s %7s  %s\n", "size", "mode", "policy", "faults",
	       "us_per_mib", "copy_folio", "copy_page", "reuse", "after");
	for (int i = 0; i < n; i++) {
		unsigned int k = orders[i];

		if (bench_only_size("cowbench", k, have_knobs) < 0)
			continue;
		for (int m = 0; m < 1 + NPOLICIES; m++) {
			int reuse = m == NPOLICIES;
			const char *policy = policies[reuse ? 0 : m];
			struct run runs[REPS];
			char after[64];
			int bad = 0;

			if ((!have_cow && m && !reuse) || (have_cow && sysfs_write(COW_KNOB, policy) < 0))
				continue;
			for (int rep = 0; rep < REPS && !bad; rep++)
				bad = run_once(reuse, !k && !have_knobs, &runs[rep]) < 0;
			if (bad) {
				printf("# cowbench: size %s: mmap or fork failed\n", mthp_size_name(k));
				break;
			}
			unsigned long cf = MEDIAN(runs, copy_folio), cp = MEDIAN(runs, copy_page);
			unsigned long kept = LEN / PG - cf * (1UL << k) - cp;	/* pages not copied */
			if (reuse || !k)
				snprintf(after, sizeof(after), "%s:%lu", mthp_size_name(k), LEN / (PG << k));
			else
				snprintf(after, sizeof(after), "%s:%lu,4K:%lu%s", mthp_size_name(k), cf, cp,
					 kept ? "+old" : "");
			printf("BENCH name=cowbench arch=%s size=%s mib=%lu mode=%s policy=%s faults=%lu us_per_mib=%lu copy_folio=%ld copy_page=%ld reuse=%ld after=%s\n",
			       arch, mthp_size_name(k), MIB, reuse ? "reuse" : "copy", reuse ? "any" : policy,
			       MEDIAN(runs, faults), MEDIAN(runs, us), have_cow ? (long)cf : -1L,
			       have_cow ? (long)cp : -1L, have_cow ? (long)MEDIAN(runs, reuse) : -1L, after);
			printf("# %-5s %-6s %-9s %7lu %10lu %10ld %9ld %7ld  %s\n", mthp_size_name(k),
			       reuse ? "reuse" : "copy", reuse ? "any" : policy, MEDIAN(runs, faults),
			       MEDIAN(runs, us), have_cow ? (long)cf : -1L, have_cow ? (long)cp : -1L,
			       have_cow ? (long)MEDIAN(runs, reuse) : -1L, after);
		}
	}
	if (have_knobs && thp_knobs_restore(&saved) < 0)
		printf("# cowbench: could not restore every knob\n");
	return 0;
}
