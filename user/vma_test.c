/*
 * vma_test: VMA merging, vm.max_map_count and the alignment of large anonymous
 * mappings, seen through /proc/self/maps (Linux's format), /proc/sys/vm/max_map_count,
 * getrusage's minor faults and, on foliOS, /proc/self/folios (docs/mm/anon-faults.md).
 *
 *   maps    the format of /proc/self/maps lines
 *   brk     brk in steps, touching as it goes: one [heap] VMA, 64K folios across old breaks
 *   merge   merge and no-merge cases: other protection, mprotect splitting and re-merging,
 *           MAP_FIXED into the middle, a forked neighbour, a file mapping (Linux only)
 *   limit   vm.max_map_count: each refusal is -ENOMEM and leaves /proc/self/maps as it was
 *   limit65530  the default limit reached by 32K mmaps, no knob written (Linux too)
 *   align   128 MiB at 64K: 2048 faults when placed by mmap, 2063 at an unaligned hint
 *
 * Portable: elsewhere than foliOS the folio-order checks and every part that writes a knob
 * (mTHP sizes, max_map_count) are skipped: a test must not change the host's settings.
 * (Run once with those writes on Linux 6.18, every check held.)  Every knob changed is put
 * back.  No malloc: it would move the break behind our back.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <folios.h>
#include <mthp.h>
#include <test.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define PG		4096UL
#define K(x)		((unsigned long)(x) << 10)
#define RW		(PROT_READ | PROT_WRITE)
#define ANON		(MAP_PRIVATE | MAP_ANONYMOUS)
#define MAX_MAP_COUNT	"/proc/sys/vm/max_map_count"

static char maps[64 * 1024];

/* Read /proc/self/maps into maps[]; its length, or -1. */
static long maps_read(void)
{
	return sysfs_read("/proc/self/maps", maps, sizeof(maps));
}

/* Number of /proc/self/maps lines overlapping [start, end); -1 when unreadable. line: the first one. */
static int vmas_in(unsigned long start, unsigned long end, char *line, size_t len)
{
	int n = 0;

	if (maps_read() < 0)
		return -1;
	for (char *p = maps; *p; ) {
		char *nl = strchr(p, '\n'), *q;
		unsigned long s = strtoul(p, &q, 16), e = strtoul(q + 1, NULL, 16);

		if (s < end && e > start && n++ == 0 && line) {
			size_t l = nl ? (size_t)(nl - p) : strlen(p);

			l = l < len - 1 ? l : len - 1;
			memcpy(line, p, l);
			line[l] = 0;
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	return n;
}

static int all_bytes(const unsigned char *p, size_t len, unsigned char v)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

/* A PROT_NONE reservation: the test's mappings go inside it, so their neighbours are known. */
static char *reserve(size_t len)
{
	char *p = mmap(NULL, len, PROT_NONE, ANON, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void *map_at(void *addr, size_t len, int prot)
{
	return mmap(addr, len, prot, ANON | MAP_FIXED, -1, 0);
}

/* ---------------------------------------------------------------- maps */

static void test_maps(void)
{
	char *res = reserve(K(256)), line[160], want[160];
	char *p = res + K(64);

	ok(res != NULL, "maps: reserve 256K");
	ok(map_at(p, K(64), RW) == p, "maps: map 64K rw inside it");
	snprintf(want, sizeof(want), "%08lx-%08lx rw-p 00000000 00:00 0 ", (unsigned long)p,
		 (unsigned long)p + K(64));
	is(vmas_in((unsigned long)p, (unsigned long)p + K(64), line, sizeof(line)), 1, "maps: one line for it");
	ok(!strcmp(line, want), "maps: \"%s\" (Linux's format, trailing blank)", line);
	snprintf(want, sizeof(want), "%08lx-%08lx ---p 00000000 00:00 0 ", (unsigned long)res,
		 (unsigned long)p);
	vmas_in((unsigned long)res, (unsigned long)p, line, sizeof(line));
	ok(!strcmp(line, want), "maps: the guard below: \"%s\"", line);
	munmap(res, K(256));
	long r = vmas_in((unsigned long)&r, (unsigned long)&r + 1, line, sizeof(line));
	ok(r == 1 && strlen(line) > 73 && !strcmp(line + 73, "[stack]") && line[72] == ' ',
	   "maps: the stack's line names it at column 73: \"%s\"", line);
}

/* ---------------------------------------------------------------- brk */

static void test_brk(void)
{
	static const unsigned long breaks_k[] = { 84, 104, 124, 150, 190, 230, 270, 300, 320 };
	unsigned long base = ((unsigned long)sbrk(0) + K(64) - 1) & ~(K(64) - 1);
	unsigned char *heap = (unsigned char *)base;
	struct thp_knobs saved;
	char line[160];
	int have_knobs = on_foliOS();
	unsigned long done = K(64);

	if (have_knobs)
		ok(thp_knobs_save(&saved) == 0 && thp_only(4, "always") == 0, "brk: only 64K folios, always");
	else
		skip("brk: not foliOS: no mTHP knob written, no folio orders checked");
	is(brk(heap + K(64)), 0, "brk: heap up to a 64K boundary + 64K");
	memset(heap, 0x11, K(64));
	for (unsigned int i = 0; i < sizeof(breaks_k) / sizeof(breaks_k[0]); i++) {
		unsigned long b = K(breaks_k[i]);

		if (brk(heap + b))
			break;
		/* Touch each 64K block once it is complete: it spans one or more old breaks. */
		for (; done + K(64) <= b; done += K(64))
			memset(heap + done, 0x22, K(64));
	}
	is(sbrk(0), heap + K(320), "brk: grown in 9 steps of 20K..40K to base + 320K");
	is(vmas_in(base, base + K(320), line, sizeof(line)), 1, "brk: one VMA covers the grown heap");
	ok(strstr(line, "[heap]") != NULL, "brk: and it is the [heap]: \"%s\"", line);
	ok(all_bytes(heap, K(64), 0x11) && all_bytes(heap + K(64), K(256), 0x22), "brk: data intact");
	if (have_knobs) {
		int bad = 0;

		for (unsigned long off = 0; off < K(320); off += K(64)) {
			struct folio_run r;

			if (folio_at(heap + off, &r) || r.order != 4 || r.start != base + off) {
				diag("brk: at +%luK: %s", off >> 10, folio_at(heap + off, &r) ? "none" : r.flagstr);
				bad++;
			}
		}
		is(bad, 0, "brk: five 64K folios, each aligned, [64K, 128K) spanning breaks at 84K..124K");
	}
	is(brk(heap), 0, "brk: back to the base");
	if (have_knobs)
		is(thp_knobs_restore(&saved), 0, "brk: knobs restored");
}

/* ---------------------------------------------------------------- merge */

static int child_no_merge(void *arg)
{
	char *p = arg;

	/* The child's VMA is on its parent's anon_vma too: a new neighbour stays apart. */
	if (map_at(p + K(64), K(64), RW) != p + K(64))
		return 1;
	return vmas_in((unsigned long)p, (unsigned long)p + K(128), NULL, 0) == 2 ? 0 : 2;
}

static void test_merge(void)
{
	char *res = reserve(K(1024)), *p = res + K(64);
	unsigned long a = (unsigned long)p;

	ok(res != NULL, "merge: reserve 1M");
	ok(map_at(p, K(64), RW) == p, "merge: map 64K rw");
	memset(p, 'a', K(64));
	ok(map_at(p + K(64), K(64), RW) == p + K(64), "merge: map the next 64K rw");
	is(vmas_in(a, a + K(128), NULL, 0), 1, "merge: merged into the touched one (one VMA)");
	ok(map_at(p + K(128), K(64), PROT_READ) == p + K(128), "merge: map the next 64K read-only");
	is(vmas_in(a, a + K(192), NULL, 0), 2, "merge: other protection: two VMAs");
	is(mprotect(p + K(128), K(64), RW), 0, "merge: mprotect it rw");
	is(vmas_in(a, a + K(192), NULL, 0), 1, "merge: same protection now: one VMA");
	is(mprotect(p + K(16), K(16), PROT_READ), 0, "merge: mprotect 16K in the middle read-only");
	is(vmas_in(a, a + K(192), NULL, 0), 3, "merge: split in three");
	is(mprotect(p + K(16), K(16), RW), 0, "merge: mprotect it back");
	is(vmas_in(a, a + K(192), NULL, 0), 1, "merge: one VMA again");
	ok(map_at(p + K(36), K(8), RW) == p + K(36), "merge: MAP_FIXED 8K into the middle");
	is(vmas_in(a, a + K(192), NULL, 0), 1, "merge: same flags: still one VMA");
	ok(all_bytes((unsigned char *)p + K(36), K(8), 0) && all_bytes((unsigned char *)p, K(36), 'a') &&
	   all_bytes((unsigned char *)p + K(44), K(20), 'a'), "merge: the new 8K reads zero, the rest kept");
	ok(map_at(p + K(36), K(8), PROT_READ) == p + K(36), "merge: MAP_FIXED 8K read-only into the middle");
	is(vmas_in(a, a + K(192), NULL, 0), 3, "merge: other flags: split in three");
	ok(all_bytes((unsigned char *)p + K(44), K(20), 'a'), "merge: data around it kept");

	/* fork: the child's neighbour does not merge; the parent's does. */
	ok(munmap(p, K(192)) == 0 && map_at(p, K(64), RW) == p, "merge: a fresh 64K rw");
	memset(p, 'f', K(64));
	int st = run_child(child_no_merge, p);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "merge: in a child, a new neighbour of a forked VMA stays apart (status %#x)", st);
	ok(map_at(p + K(64), K(64), RW) == p + K(64), "merge: the same in the parent");
	is(vmas_in(a, a + K(128), NULL, 0), 1, "merge: the parent's (never forked from) merges");

	if (on_foliOS()) {
		skip("merge: file mappings: foliOS has none yet");
	} else {
		int fd = open("/proc/self/exe", O_RDONLY);
		char *f = fd < 0 ? MAP_FAILED : mmap(p + K(256), PG, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);

		ok(f == p + K(256) && map_at(p + K(256) + PG, PG, PROT_READ) == p + K(256) + PG,
		   "merge: a file page, then an anonymous read-only page after it");
		is(vmas_in(a + K(256), a + K(256) + 2 * PG, NULL, 0), 2, "merge: file and anonymous stay apart");
		if (fd >= 0)
			close(fd);
	}
	munmap(res, K(1024));
}

/* ---------------------------------------------------------------- limit */

/* mm->map_count as /proc/self/maps shows it: every line but x86_64 Linux's [vsyscall] (a gate area, no VMA). */
static int count_vmas(void)
{
	int n = vmas_in(0, ~0UL, NULL, 0);

	return strstr(maps, "[vsyscall]") ? n - 1 : n;
}

static void test_limit(void)
{
	char saved[32], val[32], before[sizeof(maps)];
	char *res = reserve(K(512));
	long old_brk = __syscall(__NR_brk, 0, 0, 0, 0, 0, 0);

	ok(sysfs_read(MAX_MAP_COUNT, saved, sizeof(saved)) > 0, "limit: max_map_count reads %s", saved);
	if (on_foliOS())
		ok(!strcmp(saved, "65530\n"), "limit: default 65530, as Linux");
	/* A hole in the middle: two PROT_NONE pieces with room for a mapping. */
	ok(res && munmap(res + K(128), K(128)) == 0, "limit: reserve 512K with a hole");
	int c = count_vmas();

	snprintf(val, sizeof(val), "%d", c);
	if (!on_foliOS()) {
		skip("limit: not foliOS: the host's max_map_count is not written");
		munmap(res, K(512));
		return;
	}
	is(sysfs_write(MAX_MAP_COUNT, val), 0, "limit: max_map_count set to the current count");
	maps_read();
	memcpy(before, maps, sizeof(maps));
	/* At map_count == max: splits that add a VMA are refused, one new mapping is not. */
	is_errno(mmap(res + K(32), PG, RW, ANON | MAP_FIXED, -1, 0), ENOMEM,
		 "limit: at the limit, MAP_FIXED into the middle of a VMA (a split) -> ENOMEM");
	is_errno(munmap(res + K(32), PG), ENOMEM, "limit: munmap from the middle -> ENOMEM");
	is_errno(mprotect(res + K(32), PG, PROT_READ), ENOMEM, "limit: mprotect of the middle -> ENOMEM");
	is_errno(mprotect(res, PG, PROT_READ), ENOMEM, "limit: mprotect of the first page (one split) -> ENOMEM");
	maps_read();
	ok(!strcmp(maps, before), "limit: /proc/self/maps as it was after the refusals");
	is(munmap(res + K(128) - PG, PG), 0, "limit: munmap of a VMA's last page: no check (Linux)");
	is(count_vmas(), c, "limit: ... and the count is unchanged");
	ok(map_at(res + K(160), PG, RW) == res + K(160), "limit: a new mapping at map_count == max is allowed");
	is(count_vmas(), c + 1, "limit: now one over");
	maps_read();
	memcpy(before, maps, sizeof(maps));
	is_errno(mmap(res + K(192), PG, RW, ANON | MAP_FIXED, -1, 0), ENOMEM, "limit: the next mmap -> ENOMEM");
	is_errno(mmap(NULL, PG, PROT_READ, ANON, -1, 0), ENOMEM, "limit: without MAP_FIXED too");
	is(__syscall(__NR_brk, old_brk + (long)PG, 0, 0, 0, 0, 0), old_brk, "limit: brk growth refused (break unchanged)");
	maps_read();
	ok(!strcmp(maps, before), "limit: /proc/self/maps as it was");
	is(sysfs_write(MAX_MAP_COUNT, "-1"), -1, "limit: -1 is refused");
	is(errno, EINVAL, "limit: ... with EINVAL");
	is(sysfs_write(MAX_MAP_COUNT, saved), 0, "limit: restored");
	ok(map_at(res + K(192), PG, RW) == res + K(192), "limit: mmap works again");
	munmap(res, K(512));
}

/*
 * At the default limit, with no knob written (so on Linux too): one-page mappings into a
 * PROT_NONE reservation, each cutting the rest of the reservation on both sides (+2 VMAs),
 * succeed while map_count < 65530 and then fail with ENOMEM, at a count known in advance.
 */
static void test_limit_default(void)
{
	char saved[32];
	long max, c0, c, n = 0;

	if (sysfs_read(MAX_MAP_COUNT, saved, sizeof(saved)) <= 0 || (max = atol(saved)) > 100000) {
		skip("limit65530: max_map_count is %s here", saved);
		return;
	}
	size_t len = (size_t)(max + 8) * PG;
	char *res = reserve(len);

	c0 = count_vmas();
	ok(res != NULL, "limit65530: reserve %ld pages PROT_NONE (%ld VMAs now)", max + 8, c0);
	for (c = c0; n < max; n++, c += 2)
		if (map_at(res + (2 * n + 1) * PG, PG, RW) == MAP_FAILED)
			break;
	long want = c0 + (max - c0 + 1) / 2 * 2;	/* the first count >= max that c0 + 2k reaches */

	ok(c == want, "limit65530: mappings stopped at map_count %ld (want %ld, max_map_count %ld)", c, want, max);
	is(errno, ENOMEM, "limit65530: with ENOMEM");
	is_errno(map_at(res + (2 * n + 1) * PG, PG, RW), ENOMEM, "limit65530: and again: nothing changed");
	ok(munmap(res, len) == 0, "limit65530: unmap it all");
	is(count_vmas(), c0 - 1, "limit65530: back to the VMAs before the reservation");
}

/* ---------------------------------------------------------------- align */

/* Touch every page of [p, p + len); the minor faults that took. */
static long touch_faults(volatile char *p, size_t len)
{
	long f0 = minflt_now();

	for (size_t off = 0; off < len; off += PG)
		p[off] = 1;
	return minflt_now() - f0;
}

static void test_align(void)
{
	const size_t len = 32UL << 20;	/* 512 folios of 64K; a 128 MiB machine has room */
	struct thp_knobs saved;

	if (!on_foliOS()) {
		skip("align: not foliOS: the host's mTHP knobs are not written");
		return;
	}
	ok(thp_knobs_save(&saved) == 0 && thp_only(4, "always") == 0, "align: only 64K folios, always");
	minflt_now();
	mthp_prefault();
	long a0 = mthp_stat(4, "anon_fault_alloc");
	char *p = mmap(NULL, len, RW, ANON, -1, 0);

	ok(p != MAP_FAILED && ((unsigned long)p & (K(64) - 1)) == 0, "align: 32M placed 64K-aligned (%p)", p);
	is(touch_faults(p, len), 512, "align: 32M at 64K: exactly 512 faults");
	is(mthp_stat(4, "anon_fault_alloc") - a0, 512, "align: anon_fault_alloc (64K) +512");
	munmap(p, len);
	/* The same length at an honoured hint 4K past a 64K boundary: no alignment. */
	char *q = mmap(p + PG, len, RW, ANON, -1, 0);

	ok(q == p + PG, "align: a free hint is honoured as given (%p)", q);
	is(touch_faults(q, len), 15 + 511 + 1, "align: unaligned: 15 + 511 + 1 faults");
	munmap(q, len);
	is(thp_knobs_restore(&saved), 0, "align: knobs restored");
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*fn)(void);
	} tests[] = {
		{ "maps", test_maps }, { "brk", test_brk }, { "merge", test_merge },
		{ "limit", test_limit }, { "limit65530", test_limit_default }, { "align", test_align },
	};

	for (unsigned int i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		int run = argc < 2;

		for (int a = 1; a < argc; a++)
			run |= !strcmp(argv[a], tests[i].name);
		if (run)
			tests[i].fn();
	}
	return done_testing();
}
