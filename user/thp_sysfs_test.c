/*
 * thp_sysfs_test: the whole /sys/kernel/mm/transparent_hugepage/ tree of Linux 6.12
 * (docs/mm/knobs.md): every file exists and reads in Linux's format; on foliOS also
 * the defaults, every accepted write (read back) and a refused one (EINVAL, nothing
 * changed), each knob put back as found.
 *
 * Portable: on Linux it only reads (it must never change the host's knobs), and a
 * per-size enabled file is expected from 16kB up (Linux has no order-1 anon THP),
 * foliOS has hugepages-8kB/enabled too.  Nothing may leak: free pages are the same
 * before and after on foliOS.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mthp.h>
#include <test.h>

/* A choice file: its words in Linux's order, and foliOS's default word. */
struct choice_file {
	const char *path;	/* below THP_DIR */
	const char *words[7];
	const char *def;
};

static const struct choice_file choices[] = {
	{ "enabled", { "always", "madvise", "never" }, "madvise" },
	{ "defrag", { "always", "defer", "defer+madvise", "madvise", "never" }, "madvise" },
	{ "shmem_enabled", { "always", "within_size", "advise", "never", "deny", "force" }, "never" },
};

/* A number file: its bounds, foliOS's default (Linux's), and whether it is writable. */
struct number_file {
	const char *path;
	unsigned long min, max, def;
	int writable;
};

static const struct number_file numbers[] = {
	{ "use_zero_page", 0, 1, 1, 1 },
	{ "hpage_pmd_size", 2097152, 2097152, 2097152, 0 },
	{ "shrink_underused", 0, 1, 1, 1 },
	{ "khugepaged/defrag", 0, 1, 1, 1 },
	{ "khugepaged/max_ptes_none", 0, 511, 511, 1 },
	{ "khugepaged/max_ptes_swap", 0, 511, 64, 1 },
	{ "khugepaged/max_ptes_shared", 0, 511, 256, 1 },
	{ "khugepaged/pages_to_scan", 1, 4294967295UL, 4096, 1 },
	{ "khugepaged/scan_sleep_millisecs", 0, 4294967295UL, 10000, 1 },
	{ "khugepaged/alloc_sleep_millisecs", 0, 4294967295UL, 60000, 1 },
	{ "khugepaged/pages_collapsed", 0, 4294967295UL, 0, 0 },
	{ "khugepaged/full_scans", 0, 4294967295UL, 0, 0 },
};

/* Linux 6.12's stats/ files: of every size, and of the anonymous sizes (16kB..2048kB). */
static const char *const stats_any[] = {
	"swpout", "swpout_fallback", "shmem_alloc", "shmem_fallback", "shmem_fallback_charge",
	"split", "split_failed",
};
static const char *const stats_anon[] = {
	"anon_fault_alloc", "anon_fault_fallback", "anon_fault_fallback_charge", "split_deferred",
	"nr_anon", "nr_anon_partially_mapped",
};

static const char *const size_enabled_words[] = { "always", "inherit", "madvise", "never", 0 };
static const char *const size_shmem_words[] = { "always", "inherit", "within_size", "advise",
						  "never", 0 };

static char buf[512];

/* Length of text's first line (for messages). */
static int first_line(const char *text)
{
	const char *nl = strchr(text, '\n');

	return nl ? (int)(nl - text) : (int)strlen(text);
}

/* THP_DIR "/" rel into p. */
static const char *thp_path(char *p, size_t len, const char *rel)
{
	snprintf(p, len, "%s/%s", THP_DIR, rel);
	return p;
}

/*
 * Does text read "w0 w1 ... wn\n" with exactly one word in brackets?  Its index in
 * *sel, or -1 when the format is wrong.
 */
static int choice_format(const char *text, const char *const *words, int *sel)
{
	const char *p = text;

	*sel = -1;
	for (int i = 0; words[i]; i++) {
		size_t n = strlen(words[i]);
		int br = *p == '[';

		if (i && *p++ != ' ')
			return -1;
		br = *p == '[';
		p += br;
		if (strncmp(p, words[i], n))
			return -1;
		p += n;
		if (br && *p++ != ']')
			return -1;
		if (br && *sel >= 0)
			return -1;
		if (br)
			*sel = i;
	}
	return *sel >= 0 && strcmp(p, "\n") == 0 ? 0 : -1;
}

/* The bracketed word of file (words: its list) into sel, or -1 (not ok reported). */
static int check_choice(const char *rel, const char *const *words, int *sel)
{
	char path[160];

	if (sysfs_read(thp_path(path, sizeof(path), rel), buf, sizeof(buf)) <= 0)
		return ok(0, "%s: readable # errno %d", rel, errno) - 1;
	return ok(choice_format(buf, words, sel) == 0, "%s: format (%.*s)", rel,
		  first_line(buf), buf) ? 0 : -1;
}

/* "%lu\n" within [min, max]: the value, or -1. */
static long check_number(const char *rel, unsigned long min, unsigned long max)
{
	char path[160], *end;
	unsigned long v;

	if (sysfs_read(thp_path(path, sizeof(path), rel), buf, sizeof(buf)) <= 0)
		return ok(0, "%s: readable # errno %d", rel, errno) - 1;
	v = strtoul(buf, &end, 10);
	if (!ok(end != buf && strcmp(end, "\n") == 0 && v >= min && v <= max, "%s: format (%.*s)",
		rel, first_line(buf), buf))
		return -1;
	return (long)v;
}

/* foliOS: write each word of a choice file and read it back; a bad word is EINVAL. */
static void write_choices(const char *rel, const char *const *words, int sel)
{
	char path[160];
	int now, all = 1;

	thp_path(path, sizeof(path), rel);
	for (int i = 0; words[i]; i++) {
		if (strcmp(words[i], "force") == 0 || strcmp(words[i], "deny") == 0 ||
		    strcmp(words[i], "inherit") == 0)
			continue;	/* their rules depend on other files: the boot test's */
		all &= sysfs_write(path, words[i]) == 0 && check_choice(rel, words, &now) == 0 &&
		       now == i;
	}
	ok(all, "%s: every word written reads back", rel);
	is_errno(sysfs_write(path, "sometimes"), EINVAL, "bad word refused");
	ok(sysfs_write(path, words[sel]) == 0 && check_choice(rel, words, &now) == 0 && now == sel,
	   "%s: put back", rel);
}

/* foliOS: write min and max of a number file, then max + 1 (EINVAL), then the old value. */
static void write_number(const struct number_file *f, long old)
{
	char path[160], val[32];

	thp_path(path, sizeof(path), f->path);
	snprintf(val, sizeof(val), "%lu\n", f->min);
	ok(sysfs_write(path, val) == 0 && check_number(f->path, f->min, f->min) >= 0, "%s: min", f->path);
	snprintf(val, sizeof(val), "%lu", f->max);
	ok(sysfs_write(path, val) == 0 && check_number(f->path, f->max, f->max) >= 0, "%s: max", f->path);
	snprintf(val, sizeof(val), "%lu", f->max + 1);
	is_errno(sysfs_write(path, f->max == 1 ? "2" : val), EINVAL, "above max refused");
	is_errno(sysfs_write(path, "x"), EINVAL, "junk refused");
	snprintf(val, sizeof(val), "%ld", old);
	ok(sysfs_write(path, val) == 0 && check_number(f->path, (unsigned long)old, (unsigned long)old) >= 0,
	   "%s: put back", f->path);
}

static void test_top_files(int foliOS)
{
	for (unsigned int i = 0; i < sizeof(choices) / sizeof(choices[0]); i++) {
		int sel;

		if (check_choice(choices[i].path, choices[i].words, &sel) < 0)
			continue;
		if (!foliOS)
			continue;
		ok(strcmp(choices[i].words[sel], choices[i].def) == 0, "%s: default %s", choices[i].path,
		   choices[i].def);
		write_choices(choices[i].path, choices[i].words, sel);
	}
	for (unsigned int i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
		const struct number_file *f = &numbers[i];
		long v = check_number(f->path, f->min, f->max);
		char path[160];

		if (v < 0 || !foliOS)
			continue;
		is(v, f->def, "default");
		if (f->writable)
			write_number(f, v);
		else
			is_errno(sysfs_write(thp_path(path, sizeof(path), f->path), "0"), EACCES,
				 "read-only refuses writing");
	}
}

/* Every per-size directory: enabled (anon sizes), shmem_enabled and Linux's stats files. */
static void test_size_dirs(int foliOS)
{
	for (unsigned int order = 1; order <= MTHP_MAX_ORDER; order++) {
		int anon = foliOS || order >= 2, sel, all = 1;
		char dir[48], rel[160];

		snprintf(dir, sizeof(dir), "hugepages-%lukB", 4UL << order);
		snprintf(rel, sizeof(rel), "%s/enabled", dir);
		if (anon)
			check_choice(rel, size_enabled_words, &sel);
		snprintf(rel, sizeof(rel), "%s/shmem_enabled", dir);
		if (check_choice(rel, size_shmem_words, &sel) == 0 && foliOS) {
			ok(sel == (order == MTHP_MAX_ORDER ? 1 : 4), "%s: default", rel);
			write_choices(rel, size_shmem_words, sel);
		}
		for (unsigned int i = 0; i < sizeof(stats_any) / sizeof(stats_any[0]); i++) {
			snprintf(rel, sizeof(rel), "%s/stats/%s", dir, stats_any[i]);
			all &= check_number(rel, 0, ~0UL) >= 0;
		}
		for (unsigned int i = 0; anon && i < sizeof(stats_anon) / sizeof(stats_anon[0]); i++) {
			snprintf(rel, sizeof(rel), "%s/stats/%s", dir, stats_anon[i]);
			all &= check_number(rel, 0, ~0UL) >= 0;
		}
		ok(all, "%s/stats: Linux 6.12's files", dir);
	}
}

int main(void)
{
	int foliOS = on_foliOS();
	long free0 = foliOS ? free_pages_now() : 0;

	test_top_files(foliOS);
	test_size_dirs(foliOS);
	if (foliOS)
		is(free_pages_now(), free0, "no page leaked");
	return done_testing();
}
