/*
 * oom_test: memory pressure on foliOS: kswapd and the OOM killer.
 *   - kswapd0 (pid 2) ignores SIGKILL; when touching memory takes free memory below the low
 *     watermark (/proc/zoneinfo), it reclaims lazyfree memory (MADV_FREE'd 2M folios) until
 *     free memory is back above the high one, without any direct reclaim;
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

static void t_kswapd(void)
{
	const unsigned long lazy_len = 64UL << 20;
	long low = zoneinfo_get("low"), high = zoneinfo_get("high");
	long stolen0 = vmstat_get("pgsteal_kswapd"), lazyfreed0 = vmstat_get("pglazyfreed");
	long stall0 = vmstat_get("allocstall_normal"), runs0 = vmstat_get("pageoutrun");
	char *lazy = touch_2m(lazy_len), *fill;
	unsigned long fill_len;

	is(kill(2, SIGKILL), 0, "kill(2, SIGKILL) succeeds: kswapd0 ignores it");
	ok(low > 0 && high > low, "/proc/zoneinfo: low %ld, high %ld pages", low, high);
	ok(lazy && madvise(lazy, lazy_len, MADV_FREE) == 0, "kswapd: 64 MiB of 2M folios MADV_FREE'd");
	/*
	 * 64 pages more than stay above low: the fault that crosses it wakes kswapd, which runs
	 * on its way back to user mode and frees a 2M folio, more than high - low + 64 pages.
	 */
	fill_len = (unsigned long)(free_pages_now() - low + 64) * PG;
	fill = touch(fill_len);
	ok(fill != NULL, "kswapd: wrote 64 pages more than the low watermark leaves");
	sleep_ms(100);
	long stolen = vmstat_get("pgsteal_kswapd") - stolen0;
	ok(vmstat_get("pageoutrun") > runs0, "kswapd: it ran (pageoutrun)");
	ok(stolen > 0 && stolen % 512 == 0, "kswapd: reclaimed whole 2M lazyfree folios (%ld pages)", stolen);
	is(vmstat_get("pglazyfreed") - lazyfreed0, stolen, "kswapd: all of it lazyfree (pglazyfreed)");
	ok(free_pages_now() >= high, "kswapd: free memory back above the high watermark (%ld >= %ld)",
	   free_pages_now(), high);
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
