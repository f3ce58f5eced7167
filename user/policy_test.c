/*
 * policy_test: the order policies of mm/policy/ (docs/policylab.md "How to write a
 * policy"), switched at run time through /sys/kernel/mm/folio/policy, with only 64K
 * "always", checked exactly through /proc/self/folios, the fault count (minflt),
 * /proc/vmstat and every byte of the data:
 *   knob        the policy booted with (argv[1]; default linux, tools/test.sh boots with
 *               folio.policy= too), the file's format, "static" as linux's old name, EINVAL
 *               for other words, the tunables under policy_<name>/
 *   sequential  256K written page by page: four 64K folios under every policy, after
 *               4 faults (linux, adaptive), 32 (reserve: half of each block faults, the
 *               rest is mapped at 50%) or 60 (utilisation: 15 of 16 pages, then the
 *               collapse)
 *   sparse      2 pages of each 64K block written: linux maps 64 pages, reserve maps 8
 *               and holds 4 reservations that folio/deferred_split_scan breaks, freeing
 *               56 pages; utilisation maps 8 4K pages
 *   fork        under reserve the child's write next to a reserved page gets its own 4K
 *               page; the parent's read, then write, is filled from its reservation
 *   feedback    the policies' split hook (policy.h): MADV_FREE of part of a 64K folio
 *               splits it, after which adaptive's next fault in that VMA takes 4K (linux:
 *               64K) and utilisation promotes no more; after the shrinker broke reserve's
 *               reservations in a VMA, its next fault maps a whole 64K folio, no reservation
 * Each case checks that AnonPages and the free pages are back once it unmapped its
 * memory (no page leaked).  foliOS only: elsewhere one SKIP line.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <folios.h>
#include <mthp.h>
#include <test.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define PG	4096UL
#define BLK	(64UL << 10)
#define LEN	(4 * BLK)
#define ALIGN2M	(2UL << 20)

static struct thp_knobs saved;
static char *resv;	/* the 2M-aligned PROT_NONE window the tests map into */

/* LEN of fresh RW memory at a 2M-aligned address. */
static char *map_fresh(void)
{
	char *p = (char *)(((unsigned long)resv + ALIGN2M - 1) & ~(ALIGN2M - 1));

	if (mmap(p, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != p)
		return NULL;
	return p;
}

static unsigned char pattern(unsigned long i)
{
	return (unsigned char)(i * 7 + 3);
}

/* Write page i's byte 0 .. and its last byte. */
static void touch(char *p, unsigned long i)
{
	p[i * PG] = (char)pattern(i);
	p[i * PG + PG - 1] = (char)pattern(i);
}

/* Pages in `which` hold their pattern, the others are zero. */
static int intact(const char *p, int (*which)(unsigned long))
{
	for (unsigned long i = 0; i < LEN / PG; i++) {
		unsigned char want = which(i) ? pattern(i) : 0;

		if ((unsigned char)p[i * PG] != want || (unsigned char)p[i * PG + PG - 1] != want)
			return 0;
	}
	return 1;
}

/* The order of the folio mapping addr, or -1. */
static int order_at(const void *addr)
{
	struct folio_run r;

	return folio_at(addr, &r) == 0 ? (int)r.order : -1;
}

/* How many of the four 64K blocks of p are mapped by one 64K folio at their start. */
static int blocks_of_order4(const char *p)
{
	int n = 0;

	for (int b = 0; b < 4; b++)
		n += order_at(p + b * BLK) == 4;
	return n;
}

static int every_page(unsigned long i)
{
	(void)i;
	return 1;
}

static int sparse_page(unsigned long i)
{
	return i % 8 == 0;
}

/* buf without its brackets. */
static void unbracket(char *buf)
{
	char *w = buf;

	for (char *r = buf; *r; r++)
		if (*r != '[' && *r != ']')
			*w++ = *r;
	*w = 0;
}

/* booted: the policy the kernel should have started with (folio.policy=, else linux). */
static void test_knob(const char *booted)
{
	char buf[64], cur[16];

	ok(sysfs_read_mode(FOLIO_DIR "/policy", cur, sizeof(cur)) == 0 && !strcmp(cur, booted),
	   "knob: booted with %s", booted);
	ok(sysfs_read(FOLIO_DIR "/policy", buf, sizeof(buf)) > 0 && strchr(buf, '[') &&
	   (unbracket(buf), !strcmp(buf, "linux adaptive reserve utilisation\n")), "knob: format");
	is(sysfs_write(FOLIO_DIR "/policy", "static"), 0, "knob: static accepted");
	ok(sysfs_read_mode(FOLIO_DIR "/policy", buf, sizeof(buf)) == 0 && !strcmp(buf, "linux"),
	   "knob: static is linux");
	is_errno(sysfs_write(FOLIO_DIR "/policy", "ingens"), EINVAL, "knob: an unknown policy: EINVAL");
	is(sysfs_read_long(FOLIO_DIR "/policy_reserve/promote_percent"), 50, "knob: reserve promote_percent 50");
	is(sysfs_read_long(FOLIO_DIR "/policy_utilisation/promote_percent"), 90,
	   "knob: utilisation promote_percent 90");
	is_errno(sysfs_write(FOLIO_DIR "/policy_reserve/promote_percent", "101"), EINVAL,
		 "knob: promote_percent 101: EINVAL");
}

/* Sequential writes of LEN under policy: 64K folios after `faults` faults. */
static void test_sequential(const char *policy, long faults, const char *counter, long count)
{
	long anon0 = vmstat_get("nr_anon_pages"), free0 = free_pages_now(), c0 = vmstat_get(counter), f0;
	char name[96];
	char *p;

	snprintf(name, sizeof(name), "sequential %s", policy);
	if (!ok(sysfs_write(FOLIO_DIR "/policy", policy) == 0 && (p = map_fresh()) != NULL, "%s: setup", name))
		return;
	f0 = minflt_now();
	for (unsigned long i = 0; i < LEN / PG; i++)
		touch(p, i);
	is(minflt_now() - f0, faults, name);
	is(blocks_of_order4(p), 4, "  four 64K folios");
	is(vmstat_get("nr_anon_pages") - anon0, 64, "  64 pages mapped");
	is(vmstat_get(counter) - c0, count, "  the policy's counter");
	ok(intact(p, every_page), "  every byte");
	munmap(p, LEN);
	is(vmstat_get("nr_anon_pages"), anon0, "  AnonPages back");
	is(free_pages_now(), free0, "  no page leaked");
}

/* Two pages of each block written under policy: `mapped` pages mapped. */
static void test_sparse(const char *policy, long mapped, int order)
{
	long anon0, free0, b0;
	char name[96];
	char *p;

	/* Reservations of this process made before (booted with folio.policy=reserve) go first. */
	folio_knob_set("deferred_split_scan", 1);
	anon0 = vmstat_get("nr_anon_pages");
	free0 = free_pages_now();
	b0 = vmstat_get("anon_reserve_break");
	snprintf(name, sizeof(name), "sparse %s", policy);
	if (!ok(sysfs_write(FOLIO_DIR "/policy", policy) == 0 && (p = map_fresh()) != NULL, "%s: setup", name))
		return;
	for (unsigned long i = 0; i < LEN / PG; i += 8)
		touch(p, i);
	is(vmstat_get("nr_anon_pages") - anon0, mapped, name);
	is(order_at(p) + order_at(p + BLK) + order_at(p + 2 * BLK) + order_at(p + 3 * BLK), 4 * order,
	   "  the folio orders");
	if (!strcmp(policy, "reserve")) {
		long before = free_pages_now();

		is(sysfs_write(FOLIO_DIR "/deferred_split_scan", "1"), 0, "  pressure: the shrinker");
		is(vmstat_get("anon_reserve_break") - b0, 4, "  four reservations broken");
		is(free_pages_now() - before, 56, "  their 56 never-mapped pages freed");
		is(order_at(p) + order_at(p + 8 * PG), 0, "  the touched pages stay, 4K");
	}
	ok(intact(p, sparse_page), "  every byte");
	munmap(p, LEN);
	is(vmstat_get("nr_anon_pages"), anon0, "  AnonPages back");
	is(free_pages_now(), free0, "  no page leaked");
}

/* Under reserve, after fork: the child's page next to a reserved one is its own. */
static void test_fork(void)
{
	long anon0 = vmstat_get("nr_anon_pages"), free0 = free_pages_now();
	int status = -1;
	pid_t pid;
	char *p;

	if (!ok(sysfs_write(FOLIO_DIR "/policy", "reserve") == 0 && (p = map_fresh()) != NULL, "fork: setup"))
		return;
	touch(p, 0);
	pid = fork();
	if (pid == 0) {
		touch(p, 1);
		_exit(order_at(p + PG) == 0 && order_at(p) == 4 && (unsigned char)p[0] == pattern(0) ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	is(status, 0, "fork: the child's write got its own 4K page");
	ok(p[PG] == 0, "fork: the parent's page 1 reads zero");
	is(order_at(p + PG), 4, "fork: the parent's read filled its reservation");
	touch(p, 1);
	is(order_at(p + PG), 4, "fork: the parent's write reused it");
	ok((unsigned char)p[PG] == pattern(1) && p[2 * PG] == 0, "fork: the parent's data");
	munmap(p, LEN);
	is(vmstat_get("nr_anon_pages"), anon0, "fork: AnonPages back");
	is(free_pages_now(), free0, "fork: no page leaked");
}

/* "name: what", for is() (which takes no format). */
static const char *say(const char *name, const char *what)
{
	static char buf[128];

	snprintf(buf, sizeof(buf), "%s: %s", name, what);
	return buf;
}

/* The end of a feedback case: unmap p, AnonPages and the free pages as at the start. */
static void feedback_done(const char *name, char *p, long anon0, long free0)
{
	munmap(p, LEN);
	is(vmstat_get("nr_anon_pages"), anon0, say(name, "AnonPages back"));
	is(free_pages_now(), free0, say(name, "no page leaked"));
}

/* Blocks 0..2 written, MADV_FREE of 2 pages of block 0 (a split): the order block 3's fault gets. */
static void test_feedback_adaptive(const char *policy, int want)
{
	long anon0 = vmstat_get("nr_anon_pages"), free0 = free_pages_now();
	char name[64];
	char *p;

	snprintf(name, sizeof(name), "feedback %s", policy);
	if (!ok(sysfs_write(FOLIO_DIR "/policy", policy) == 0 && (p = map_fresh()) != NULL, "%s: setup", name))
		return;
	for (unsigned long i = 0; i < 3 * BLK / PG; i++)
		touch(p, i);
	is(order_at(p) + order_at(p + BLK) + order_at(p + 2 * BLK), 12, say(name, "three 64K folios"));
	is(madvise(p + 2 * PG, 2 * PG, MADV_FREE), 0, say(name, "MADV_FREE of 2 pages"));
	ok(order_at(p) < 4, "%s: that folio split", name);
	touch(p, 3 * BLK / PG);
	is(order_at(p + 3 * BLK), want, say(name, "the next fault's order"));
	ok((unsigned char)p[0] == pattern(0) && (unsigned char)p[BLK] == pattern(BLK / PG), "%s: data", name);
	feedback_done(name, p, anon0, free0);
}

/* utilisation: block 0 promoted, then split by MADV_FREE of part: block 1 is promoted no more. */
static void test_feedback_utilisation(void)
{
	long anon0 = vmstat_get("nr_anon_pages"), free0 = free_pages_now(), c0 = vmstat_get("anon_promote_collapse");
	char *p;

	if (!ok(sysfs_write(FOLIO_DIR "/policy", "utilisation") == 0 && (p = map_fresh()) != NULL,
		"feedback utilisation: setup"))
		return;
	for (unsigned long i = 0; i < 15; i++)
		touch(p, i);
	is(order_at(p), 4, "feedback utilisation: block 0 promoted");
	is(madvise(p + 2 * PG, 2 * PG, MADV_FREE), 0, "feedback utilisation: MADV_FREE of 2 pages splits it");
	for (unsigned long i = 0; i < 15; i++)
		touch(p, BLK / PG + i);
	is(order_at(p + BLK), 0, "feedback utilisation: block 1 not promoted");
	is(vmstat_get("anon_promote_collapse") - c0, 1, "feedback utilisation: one collapse");
	ok((unsigned char)p[BLK + 14 * PG] == pattern(BLK / PG + 14), "feedback utilisation: data");
	feedback_done("feedback utilisation", p, anon0, free0);
}

/* reserve: two reservations broken by the shrinker; the VMA's next fault maps a whole 64K folio. */
static void test_feedback_reserve(void)
{
	long anon0, free0, a0;
	struct folio_run r;
	char *p;

	folio_knob_set("deferred_split_scan", 1);	/* others' reservations first */
	anon0 = vmstat_get("nr_anon_pages");
	free0 = free_pages_now();
	a0 = vmstat_get("anon_reserve_alloc");
	if (!ok(sysfs_write(FOLIO_DIR "/policy", "reserve") == 0 && (p = map_fresh()) != NULL,
		"feedback reserve: setup"))
		return;
	touch(p, 0);
	touch(p, 8);
	touch(p, BLK / PG);
	touch(p, BLK / PG + 8);
	is(vmstat_get("anon_reserve_alloc") - a0, 2, "feedback reserve: two reservations");
	is(sysfs_write(FOLIO_DIR "/deferred_split_scan", "1"), 0, "feedback reserve: the shrinker breaks them");
	touch(p, 2 * BLK / PG);
	ok(folio_at(p + 2 * BLK, &r) == 0 && r.order == 4 && r.pages == 16,
	   "feedback reserve: the next fault maps a whole 64K folio");
	is(vmstat_get("anon_reserve_alloc") - a0, 2, "feedback reserve: no reservation made");
	ok((unsigned char)p[8 * PG] == pattern(8) && (unsigned char)p[2 * BLK] == pattern(2 * BLK / PG),
	   "feedback reserve: data");
	feedback_done("feedback reserve", p, anon0, free0);
}

int main(int argc, char **argv)
{
	if (!foliOS_test_start())
		return done_testing();
	thp_knobs_save(&saved);
	resv = mmap(NULL, 2 * ALIGN2M, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!ok(resv != MAP_FAILED && thp_only(4, "always") == 0 && map_fresh() != NULL,
		"setup: window, only 64K always"))
		return done_testing();
	touch(map_fresh(), 0);	/* the window's PTE table, kept while the window lives */
	munmap(map_fresh(), LEN);
	test_knob(argc > 1 ? argv[1] : "linux");
	test_sequential("linux", 4, "thp_fault_alloc", 0);
	test_sequential("adaptive", 4, "thp_fault_alloc", 0);
	test_sequential("reserve", 32, "anon_reserve_promote", 4);
	test_sequential("utilisation", 60, "anon_promote_collapse", 4);
	test_sparse("linux", 64, 4);
	test_sparse("reserve", 8, 4);
	test_sparse("utilisation", 8, 0);
	test_fork();
	test_feedback_adaptive("linux", 4);
	test_feedback_adaptive("adaptive", 0);
	test_feedback_utilisation();
	test_feedback_reserve();
	ok(thp_knobs_restore(&saved) == 0, "knobs restored");
	return done_testing();
}
