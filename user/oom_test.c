/*
 * oom_test: memory pressure on foliOS: kswapd and the OOM killer.
 *   - kswapd0 (pid 2) ignores SIGKILL; when touching memory takes free memory below the low
 *     watermark (/proc/zoneinfo) but not below min, it reclaims lazyfree memory (MADV_FREE'd
 *     2M folios) until free memory is back above the high one, without any direct reclaim,
 *     on whichever CPU it runs and whenever (t_kswapd);
 *   - the OOM killer kills the largest process, not the one that faulted: a child holding
 *     60% of memory sleeps while a second child writes another 60%; the first dies by
 *     SIGKILL (the kernel log's "Out of memory: Killed process <pid> (oom_test) ..." line is
 *     checked by tools/test.sh: "# oom_test: OOM victim pid <pid>" names it), the second
 *     finishes;
 *   - a child that writes more memory than the machine has is itself the largest: killed by
 *     SIGKILL, the parent lives on, the next child gets the memory back, and nothing leaks
 *     (runtests' check).
 * foliOS only: on Linux this would test the host's kswapd and OOM killer.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <test.h>
#include <mthp.h>

#define PG		4096UL
#define PMD_SIZE	(2UL << 20)

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Fresh anonymous memory of len bytes (NULL on failure), one byte per page written. */
static char *touch(unsigned long len)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	for (unsigned long off = 0; off < len; off += PG)
		p[off] = 1;
	return p;
}

/* len bytes at a 2 MiB boundary with MADV_HUGEPAGE (2M folios with the default knobs), written. */
static char *touch_2m(unsigned long len)
{
	char *res = mmap(NULL, len + PMD_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *p = (char *)(((unsigned long)res + PMD_SIZE - 1) & ~(PMD_SIZE - 1));

	if (res == MAP_FAILED || madvise(p, len, MADV_HUGEPAGE))
		return NULL;
	memset(p, 'l', len);
	return p;
}

/* kswapd0's state letter in /proc/2/stat ('S' asleep, 'R' woken or running), 0 if unreadable. */
static char kswapd_state(void)
{
	char buf[256], *paren;

	if (sysfs_read("/proc/2/stat", buf, sizeof(buf)) <= 0 || !(paren = strrchr(buf, ')')))
		return 0;
	return paren[1] == ' ' ? paren[2] : 0;
}

/*
 * Write order-0 pages of fill (a MAP_NORESERVE reservation, *used bytes written so far)
 * until free memory is at most 400 pages above low, never below low + 320 - a few: each
 * pass writes what is above low + 320 less what its page tables take (one PTE table per
 * 512 pages, an upper table or two), then measures again.  Stays above low: no kswapd.
 */
static void fill_to_low(char *fill, unsigned long *used, long low)
{
	for (long above; (above = free_pages_now() - low) > 400;) {
		long avail = above - 320;
		unsigned long n = (unsigned long)(avail - avail / 256 - 8);

		for (unsigned long off = 0; off < n * PG; off += PG)
			fill[*used + off] = 1;
		*used += n * PG;
	}
}

/*
 * Linux's contract, whichever CPUs kswapd and the allocating task run on: an allocation that
 * takes free memory below the low watermark wakes kswapd, which reclaims until free is above
 * the high one; only an allocation that would go below min reclaims itself.  The test writes
 * memory until kswapd is woken (free at low; another CPU may run it at once), far above min
 * (low - min >= 256 pages at 1 GiB), so that no timing of kswapd against the writer can lead
 * to direct reclaim, and writes nothing more: what kswapd leaves is what the test reads.
 * Then it waits until kswapd sleeps again ('S' in /proc/2/stat: it has finished every
 * wake-up) and asserts the exact outcome.  (Writing 64 pages on below low made the check of
 * the high watermark fail at 8 GiB, where 4 folios of 512 pages bring free from low to just
 * above high: the writes after kswapd's run took it under again.)
 */
/*
 * Pages the kernel may take for itself between kswapd's last check (free >= high) and the
 * test's read of MemFree: a slab page for the /proc reads in between, a pipe buffer.  At
 * 8 GiB, where 4 folios of 512 pages bring free from low to just about high, the read after
 * kswapd had stopped found 3 pages below high.
 */
#define KSWAPD_SLACK	16

static void t_kswapd(void)
{
	const unsigned long lazy_len = 64UL << 20;
	long low = zoneinfo_get("low"), high = zoneinfo_get("high"), min = zoneinfo_get("min");
	long stolen0 = vmstat_get("pgsteal_kswapd"), lazyfreed0 = vmstat_get("pglazyfreed");
	long stall0 = vmstat_get("allocstall_normal"), runs0 = vmstat_get("pageoutrun");
	char *lazy = touch_2m(lazy_len);
	unsigned long fill_len = (unsigned long)free_pages_now() * PG + 2 * PMD_SIZE, used = 0;
	char *fill = mmap(NULL, fill_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
			  -1, 0);
	long low_point = 0, n, after;
	int waits = 0;

	is(kill(2, SIGKILL), 0, "kill(2, SIGKILL) succeeds: kswapd0 ignores it");
	ok(min > 0 && low - min >= 64 && high > low, "/proc/zoneinfo: min %ld, low %ld, high %ld pages",
	   min, low, high);
	ok(lazy && madvise(lazy, lazy_len, MADV_FREE) == 0, "kswapd: 64 MiB of 2M folios MADV_FREE'd");
	ok(fill != MAP_FAILED && madvise(fill, fill_len, MADV_NOHUGEPAGE) == 0, "kswapd: %lu MiB reserved",
	   fill_len >> 20);
	if (fill == MAP_FAILED)
		return;
	fill_to_low(fill, &used, low);
	/*
	 * The rest in one fresh 2 MiB block (one new PTE table, at most one PMD table too): in
	 * bulk to 8 pages above low, then a page at a time until kswapd is awake or has run
	 * (the allocation that finds free at low wakes it; a page table taken without a
	 * wake-up may have put free below low a page earlier), or free is half way from low
	 * to min (no wake-up came: wakeup_kswapd gives up after MAX_RECLAIM_RETRIES failed
	 * runs; the checks below then fail, without direct reclaim).
	 */
	used = (used + PMD_SIZE - 1) & ~(PMD_SIZE - 1);
	n = 0;
	while (vmstat_get("pageoutrun") == runs0 && kswapd_state() == 'S' &&
	       (low_point = free_pages_now()) > low - (low - min) / 2) {
		long k = low_point - low >= 16 ? low_point - low - 8 : 1;

		for (long i = 0; i < k; i++)
			fill[used + (unsigned long)(n + i) * PG] = 1;
		n += k;
	}
	while (kswapd_state() != 'S' && waits++ < 3000)
		sleep_ms(10);
	after = free_pages_now();	/* before this test prints: its pipe to runtests takes pages */
	ok(n > 0 && n <= 512 && low_point > min, "kswapd: woken after %ld pages, %ld free before the last one (low %ld, min %ld)",
	   n, low_point, low, min);
	is(kswapd_state(), 'S', "kswapd: asleep again after its run");
	long stolen = vmstat_get("pgsteal_kswapd") - stolen0;
	ok(vmstat_get("pageoutrun") > runs0, "kswapd: it ran (pageoutrun)");
	ok(stolen > 0 && stolen % 512 == 0, "kswapd: reclaimed whole 2M lazyfree folios (%ld pages)", stolen);
	is(vmstat_get("pglazyfreed") - lazyfreed0, stolen, "kswapd: all of it lazyfree (pglazyfreed)");
	ok(after + KSWAPD_SLACK >= high, "kswapd: free memory back above the high watermark (%ld >= %ld - %d)",
	   after, high, KSWAPD_SLACK);
	is(vmstat_get("allocstall_normal") - stall0, 0, "kswapd: no direct reclaim was needed");
	munmap(fill, fill_len);
	munmap(lazy, lazy_len);
}

static unsigned long hog_len;

/* Hold hog_len bytes, then sleep until killed. */
static int hog_and_sleep(void *arg)
{
	(void)arg;
	if (!touch(hog_len))
		return 2;
	for (;;)
		sleep_ms(10);
}

/* Write hog_len bytes and exit 0: only possible if someone else's memory is freed. */
static int write_and_exit(void *arg)
{
	(void)arg;
	return touch(hog_len) ? 0 : 2;
}

static void t_kill_largest(void)
{
	long free0 = free_pages_now(), oom0 = vmstat_get("oom_kill");
	int hog, status;

	hog_len = (unsigned long)free0 * 6 / 10 * PG;
	hog = fork();
	if (hog == 0)
		_exit(hog_and_sleep(NULL));
	for (int i = 0; i < 3000 && free_pages_now() > free0 - (long)(hog_len / PG); i++)
		sleep_ms(10);
	ok(free_pages_now() <= free0 - (long)(hog_len / PG), "kill-largest: the first child holds 60%% of memory");
	diag("oom_test: OOM victim pid %d", hog);
	is(run_child(write_and_exit, NULL), 0, "kill-largest: a second child writes another 60% and exits 0");
	ok(waitpid(hog, &status, 0) == hog && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	   "kill-largest: the first child, the largest, was killed by SIGKILL");
	is(vmstat_get("oom_kill") - oom0, 1, "kill-largest: oom_kill +1");
}

static unsigned long touch_len;

/* Write one byte per page of touch_len bytes of fresh anonymous memory. */
static void touch_too_much(void)
{
	hog_len = touch_len;
	_exit(write_and_exit(NULL));
}

int main(void)
{
	long total_kb, before;

	if (!on_foliOS()) {
		skip("not foliOS");
		return done_testing();
	}
	mthp_prefault();
	t_kswapd();
	t_kill_largest();
	total_kb = meminfo_kb("MemTotal");
	ok(total_kb > 0, "MemTotal readable (%ld kB)", total_kb);
	touch_len = ((unsigned long)total_kb << 10) + (64UL << 20);
	is(expect_signal(touch_too_much), SIGKILL, "writing more than RAM: the child, the largest, is killed by SIGKILL");
	/* Measured after the first round, so our own stack and heap are already warm. */
	before = free_pages_now();
	is(expect_signal(touch_too_much), SIGKILL, "... and again: the memory came back");
	is(free_pages_now(), before, "free pages after the second child equal free pages before it");
	char *p = mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ok(p != MAP_FAILED && (p[0] = 7) == 7 && p[15 * PG] == 0, "the parent can still fault memory in");
	return done_testing();
}
