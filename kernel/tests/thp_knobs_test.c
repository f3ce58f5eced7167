/*
 * thp_knobs_test.c - boot tests of the mTHP knobs, counters and
 * pseudo-files (mm/thp_sysfs.c, mm/vmstat.c, mm/proc_folios.c): the
 * enabled files' formats and writes through the live tree's show/store,
 * thp_anon= parsing (valid, invalid sizes and ranges, empty), the folio/
 * knobs, fragment/unfragment free-page accounting, the stats files and
 * /proc/vmstat, and /proc/self/folios over a private mm.  Every test puts
 * the configuration back and leaks no page.
 */
#include "kernel/fs.h"
#include "kernel/ktest.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/slab.h"
#include "kernel/string.h"
#include "mm/mm.h"
#include "mm/prezero.h"
#include "mm/proc_folios.h"
#include "mm/thp_sysfs.h"
#include "mm/vma.h"
#include <uapi/errno.h>

/* The live tree's inode at path (registered at boot), or NULL. */
static struct inode *knob(const char *path)
{
	struct inode *inode;

	return vfs_walk(&vfs_root, path, &inode, NULL) ? NULL : inode;
}

/* Does show() of path print exactly want? */
static bool shows(const char *path, const char *want)
{
	struct inode *inode = knob(path);
	char buf[128];
	long len;

	if (!inode)
		return false;
	len = pseudo_show(inode, buf, sizeof(buf));
	return len == (long)strlen(want) && memcmp(buf, want, len) == 0;
}

/* store() of word into path: what it returned. */
static long store(const char *path, const char *word)
{
	struct inode *inode = knob(path);

	return inode ? pseudo_store(inode, word, strlen(word)) : -ENOENT;
}

KTEST(thp_enabled_round_trip)
{
	const char *path = THP_SYSFS_DIR "/enabled";
	struct anon_order_config saved = anon_order_config;

	KT_ASSERT_EQ(store(path, "always"), 6);
	KT_ASSERT(shows(path, "[always] madvise never\n"));
	KT_ASSERT_EQ(store(path, "madvise\n"), 8);
	KT_ASSERT(shows(path, "always [madvise] never\n"));
	KT_ASSERT_EQ(anon_order_config.top, THP_MADVISE);
	KT_ASSERT_EQ(store(path, "never"), 5);
	KT_ASSERT(shows(path, "always madvise [never]\n"));
	/* Per-size words, junk, a second newline, nothing: refused, value kept. */
	KT_ASSERT_EQ(store(path, "inherit"), -EINVAL);
	KT_ASSERT_EQ(store(path, "alway"), -EINVAL);
	KT_ASSERT_EQ(store(path, "always\n\n"), -EINVAL);
	KT_ASSERT_EQ(store(path, " always"), -EINVAL);
	KT_ASSERT_EQ(store(path, "\n"), -EINVAL);
	KT_ASSERT_EQ(anon_order_config.top, THP_NEVER);
	anon_order_config = saved;
}

KTEST(thp_size_enabled_round_trip)
{
	static const struct { const char *word; enum thp_mode mode; const char *shown; } cases[] = {
		{ "always", THP_ALWAYS, "[always] inherit madvise never\n" },
		{ "inherit\n", THP_INHERIT, "always [inherit] madvise never\n" },
		{ "madvise", THP_MADVISE, "always inherit [madvise] never\n" },
		{ "never\n", THP_NEVER, "always inherit madvise [never]\n" },
	};
	struct anon_order_config saved = anon_order_config;
	char path[96];

	for (unsigned int order = 1; order <= MTHP_MAX_ORDER; order++) {
		thp_size_path(path, sizeof(path), order, "enabled");
		for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
			KT_ASSERT_EQ(store(path, cases[i].word), strlen(cases[i].word));
			KT_ASSERT_MSG(shows(path, cases[i].shown), "%s after %s", path, cases[i].word);
			KT_ASSERT_EQ(anon_order_config.size[order], cases[i].mode);
		}
		KT_ASSERT_EQ(store(path, "sometimes"), -EINVAL);
		KT_ASSERT_EQ(anon_order_config.size[order], THP_NEVER);
		/* Only this size moved. */
		KT_ASSERT_EQ(anon_order_config.top, saved.top);
		anon_order_config = saved;
	}
	KT_ASSERT(knob(THP_SYSFS_DIR "/hugepages-4kB/enabled") == NULL);
	KT_ASSERT(knob(THP_SYSFS_DIR "/hugepages-4096kB/enabled") == NULL);
}

KTEST(folio_knobs_round_trip)
{
	struct anon_order_config saved = anon_order_config;

	KT_ASSERT_EQ(store(FOLIO_SYSFS_DIR "/allow_order1", "0\n"), 2);
	KT_ASSERT(shows(FOLIO_SYSFS_DIR "/allow_order1", "0\n"));
	KT_ASSERT(!anon_order_config.allow_order1);
	KT_ASSERT_EQ(store(FOLIO_SYSFS_DIR "/allow_order1", "1"), 1);
	KT_ASSERT(shows(FOLIO_SYSFS_DIR "/allow_order1", "1\n"));
	KT_ASSERT_EQ(store(FOLIO_SYSFS_DIR "/allow_order1", "2"), -EINVAL);
	KT_ASSERT_EQ(store(FOLIO_SYSFS_DIR "/allow_order1", "10"), -EINVAL);
	KT_ASSERT(shows(FOLIO_SYSFS_DIR "/prezero", "1\n"));
	KT_ASSERT_EQ(store(FOLIO_SYSFS_DIR "/prezero", "0\n"), 2);
	KT_ASSERT(shows(FOLIO_SYSFS_DIR "/prezero", "0\n"));
	KT_ASSERT(!prezero_enabled);
	KT_ASSERT_EQ(store(FOLIO_SYSFS_DIR "/prezero", "on"), -EINVAL);
	KT_ASSERT_EQ(store(FOLIO_SYSFS_DIR "/prezero", "1"), 1);
	KT_ASSERT(prezero_enabled);
	KT_ASSERT_EQ(store(FOLIO_SYSFS_DIR "/policy", "adaptive\n"), 9);
	KT_ASSERT(shows(FOLIO_SYSFS_DIR "/policy", "linux [adaptive] reserve utilisation\n"));
	KT_ASSERT_EQ(anon_order_config.policy, ANON_POLICY_ADAPTIVE);
	KT_ASSERT_EQ(store(FOLIO_SYSFS_DIR "/policy", "static"), 6);	/* linux's old name */
	KT_ASSERT(shows(FOLIO_SYSFS_DIR "/policy", "[linux] adaptive reserve utilisation\n"));
	KT_ASSERT_EQ(store(FOLIO_SYSFS_DIR "/policy", "utilisation\n"), 12);
	KT_ASSERT_EQ(anon_order_config.policy, ANON_POLICY_UTILISATION);
	KT_ASSERT_EQ(store(FOLIO_SYSFS_DIR "/policy", "reserve"), 7);
	KT_ASSERT(shows(FOLIO_SYSFS_DIR "/policy", "linux adaptive [reserve] utilisation\n"));
	KT_ASSERT_EQ(store(FOLIO_SYSFS_DIR "/policy", "linux"), 5);
	KT_ASSERT(shows(FOLIO_SYSFS_DIR "/policy", "[linux] adaptive reserve utilisation\n"));
	KT_ASSERT_EQ(store(FOLIO_SYSFS_DIR "/policy", "dynamic"), -EINVAL);
	KT_ASSERT(shows(FOLIO_SYSFS_DIR "/policy_reserve/promote_percent", "50\n"));
	KT_ASSERT_EQ(store(FOLIO_SYSFS_DIR "/policy_reserve/promote_percent", "0"), -EINVAL);
	KT_ASSERT_EQ(store(FOLIO_SYSFS_DIR "/policy_reserve/promote_percent", "101"), -EINVAL);
	KT_ASSERT_EQ(store(FOLIO_SYSFS_DIR "/policy_reserve/promote_percent", "+x"), -EINVAL);
	KT_ASSERT(shows(FOLIO_SYSFS_DIR "/policy_utilisation/promote_percent", "90\n"));
	anon_order_config = saved;
}

KTEST(cow_policy_round_trip)
{
	static const struct {
		const char *write;
		long ret;		/* what the write returns */
		enum cow_policy now;	/* the policy after it */
		const char *reads;
	} steps[] = {
		{ "folio\n", 6, COW_POLICY_FOLIO, "page [folio] adaptive\n" },
		{ "adaptive", 8, COW_POLICY_ADAPTIVE, "page folio [adaptive]\n" },
		{ "pages", -EINVAL, COW_POLICY_ADAPTIVE, "page folio [adaptive]\n" },
		{ "", -EINVAL, COW_POLICY_ADAPTIVE, "page folio [adaptive]\n" },
		{ "page", 4, COW_POLICY_PAGE, "[page] folio adaptive\n" },
	};
	struct anon_order_config saved = anon_order_config;

	KT_ASSERT(shows(FOLIO_SYSFS_DIR "/cow_policy", "[page] folio adaptive\n"));
	for (unsigned int i = 0; i < ARRAY_SIZE(steps); i++) {
		KT_ASSERT_EQ(store(FOLIO_SYSFS_DIR "/cow_policy", steps[i].write), steps[i].ret);
		KT_ASSERT_EQ(anon_order_config.cow_policy, steps[i].now);
		KT_ASSERT(shows(FOLIO_SYSFS_DIR "/cow_policy", steps[i].reads));
	}
	anon_order_config = saved;
}

/* ---- the rest of the Linux 6.12 tree: defaults, every accepted word, refusals ---- */

#define ACCEPTED	1	/* a step's ret: the write returns its length */

struct tree_step {
	const char *write;
	long ret;		/* ACCEPTED or -errno */
	const char *reads;	/* the file afterwards */
};

struct tree_case {
	const char *path;	/* below THP_SYSFS_DIR */
	const char *def;	/* Linux 6.12's default, as read */
	struct tree_step steps[10];
};

static const struct tree_case tree_cases[] = {
	{ "defrag", "always defer defer+madvise [madvise] never\n", {
		{ "always", ACCEPTED, "[always] defer defer+madvise madvise never\n" },
		{ "defer\n", ACCEPTED, "always [defer] defer+madvise madvise never\n" },
		{ "defer+madvise", ACCEPTED, "always defer [defer+madvise] madvise never\n" },
		{ "never", ACCEPTED, "always defer defer+madvise madvise [never]\n" },
		{ "sometimes", -EINVAL, "always defer defer+madvise madvise [never]\n" },
		{ "defer+", -EINVAL, "always defer defer+madvise madvise [never]\n" },
		{ "madvise", ACCEPTED, "always defer defer+madvise [madvise] never\n" } } },
	{ "use_zero_page", "1\n", {
		{ "0", ACCEPTED, "0\n" }, { "+1\n", ACCEPTED, "1\n" }, { "2", -EINVAL, "1\n" },
		{ "99999999999999999999", -ERANGE, "1\n" }, { "y", -EINVAL, "1\n" },
		{ " 0", -EINVAL, "1\n" }, { "0\n\n", -EINVAL, "1\n" } } },
	{ "hpage_pmd_size", "2097152\n", { { "2097152", -EACCES, "2097152\n" } } },
	{ "shrink_underused", "1\n", {
		{ "0", ACCEPTED, "0\n" }, { "Y", ACCEPTED, "1\n" }, { "off", ACCEPTED, "0\n" },
		{ "on\n", ACCEPTED, "1\n" }, { "false", ACCEPTED, "0\n" }, { "true", ACCEPTED, "1\n" },
		{ "maybe", -EINVAL, "1\n" }, { "", -EINVAL, "1\n" }, { "o", -EINVAL, "1\n" } } },
	{ "shmem_enabled", "always within_size advise [never] deny force\n", {
		{ "always", ACCEPTED, "[always] within_size advise never deny force\n" },
		{ "within_size\n", ACCEPTED, "always [within_size] advise never deny force\n" },
		{ "advise", ACCEPTED, "always within_size [advise] never deny force\n" },
		{ "deny", ACCEPTED, "always within_size advise never [deny] force\n" },
		{ "force", ACCEPTED, "always within_size advise never deny [force]\n" },
		{ "madvise", -EINVAL, "always within_size advise never deny [force]\n" },
		{ "never           ", -EINVAL, "always within_size advise never deny [force]\n" },
		{ "never", ACCEPTED, "always within_size advise [never] deny force\n" } } },
	{ "hugepages-64kB/shmem_enabled", "always inherit within_size advise [never]\n", {
		{ "always", ACCEPTED, "[always] inherit within_size advise never\n" },
		{ "inherit", ACCEPTED, "always [inherit] within_size advise never\n" },
		{ "within_size", ACCEPTED, "always inherit [within_size] advise never\n" },
		{ "advise\n", ACCEPTED, "always inherit within_size [advise] never\n" },
		{ "madvise", -EINVAL, "always inherit within_size [advise] never\n" },
		{ "deny", -EINVAL, "always inherit within_size [advise] never\n" },
		{ "never", ACCEPTED, "always inherit within_size advise [never]\n" } } },
	{ "hugepages-2048kB/shmem_enabled", "always [inherit] within_size advise never\n", {
		{ "never", ACCEPTED, "always inherit within_size advise [never]\n" },
		{ "inherit", ACCEPTED, "always [inherit] within_size advise never\n" } } },
	{ "khugepaged/defrag", "1\n", {
		{ "0\n", ACCEPTED, "0\n" }, { "1", ACCEPTED, "1\n" }, { "2", -EINVAL, "1\n" },
		{ "18446744073709551616", -ERANGE, "1\n" } } },
	{ "khugepaged/max_ptes_none", "511\n", {
		{ "0", ACCEPTED, "0\n" }, { "512", -EINVAL, "0\n" }, { "-1", -EINVAL, "0\n" },
		{ "99999999999999999999", -EINVAL, "0\n" }, { "511\n", ACCEPTED, "511\n" } } },
	{ "khugepaged/max_ptes_swap", "64\n", {
		{ "511", ACCEPTED, "511\n" }, { "512", -EINVAL, "511\n" }, { "0x10", -EINVAL, "511\n" },
		{ "64", ACCEPTED, "64\n" } } },
	{ "khugepaged/max_ptes_shared", "256\n", {
		{ "0", ACCEPTED, "0\n" }, { "1000", -EINVAL, "0\n" }, { "256", ACCEPTED, "256\n" } } },
	{ "khugepaged/pages_to_scan", "4096\n", {
		{ "1", ACCEPTED, "1\n" }, { "0", -EINVAL, "1\n" }, { "4294967295", ACCEPTED, "4294967295\n" },
		{ "4294967296", -EINVAL, "4294967295\n" }, { "4096", ACCEPTED, "4096\n" } } },
	{ "khugepaged/scan_sleep_millisecs", "10000\n", {
		{ "0", ACCEPTED, "0\n" }, { "4294967296", -EINVAL, "0\n" }, { "", -EINVAL, "0\n" },
		{ "10000", ACCEPTED, "10000\n" } } },
	{ "khugepaged/alloc_sleep_millisecs", "60000\n", {
		{ "1", ACCEPTED, "1\n" }, { "1 ", -EINVAL, "1\n" }, { "60000", ACCEPTED, "60000\n" } } },
	{ "khugepaged/pages_collapsed", "0\n", { { "1", -EACCES, "0\n" } } },
	{ "khugepaged/full_scans", "0\n", { { "1", -EACCES, "0\n" } } },
};

KTEST(thp_sysfs_tree_round_trip)
{
	char path[128];

	for (unsigned int c = 0; c < ARRAY_SIZE(tree_cases); c++) {
		const struct tree_case *t = &tree_cases[c];

		snprintf(path, sizeof(path), THP_SYSFS_DIR "/%s", t->path);
		KT_ASSERT_MSG(knob(path), "%s missing", path);
		KT_ASSERT_MSG(shows(path, t->def), "%s: default", path);
		for (unsigned int i = 0; i < ARRAY_SIZE(t->steps) && t->steps[i].write; i++) {
			const struct tree_step *st = &t->steps[i];
			long want = st->ret == ACCEPTED ? (long)strlen(st->write) : st->ret;

			KT_ASSERT_MSG(store(path, st->write) == want, "%s: write '%s'", path, st->write);
			KT_ASSERT_MSG(shows(path, st->reads), "%s: after '%s'", path, st->write);
		}
		KT_ASSERT_MSG(shows(path, t->def), "%s: back to the default", path);
	}
}

/* Linux's two refusals that keep non-PMD sizes from overriding shmem "force". */
KTEST(thp_shmem_force_rules)
{
	const char *top = THP_SYSFS_DIR "/shmem_enabled";
	const char *size64 = THP_SYSFS_DIR "/hugepages-64kB/shmem_enabled";
	const char *size2m = THP_SYSFS_DIR "/hugepages-2048kB/shmem_enabled";

	KT_ASSERT_EQ(store(size64, "inherit"), 7);
	KT_ASSERT_EQ(store(top, "force"), -EINVAL);	/* 64K inherits */
	KT_ASSERT(shows(top, "always within_size advise [never] deny force\n"));
	KT_ASSERT_EQ(store(size64, "never"), 5);
	KT_ASSERT_EQ(store(top, "force\n"), 6);
	KT_ASSERT_EQ(store(size64, "inherit"), -EINVAL);	/* not the PMD size */
	KT_ASSERT_EQ(store(size2m, "never"), 5);
	KT_ASSERT_EQ(store(size2m, "inherit"), 7);	/* the PMD size may */
	KT_ASSERT_EQ(store(size64, "always"), 6);
	KT_ASSERT_EQ(store(size64, "never"), 5);
	KT_ASSERT_EQ(store(top, "never"), 5);
	KT_ASSERT_EQ(shmem_huge_config.top, SHMEM_HUGE_NEVER);
	for (unsigned int order = 1; order <= MTHP_MAX_ORDER; order++) {
		char path[96];

		thp_size_path(path, sizeof(path), order, "shmem_enabled");
		KT_ASSERT_MSG(shows(path, order == MTHP_MAX_ORDER ?
				    "always [inherit] within_size advise never\n" :
				    "always inherit within_size advise [never]\n"), "%s", path);
	}
}

/* thp_anon_parse(str) on a config whose sizes are all `never`: its result, sizes in *cfg. */
static int parse_fresh(const char *str, struct anon_order_config *cfg)
{
	*cfg = (struct anon_order_config){ .top = THP_MADVISE };
	return thp_anon_parse(str, cfg);
}

KTEST(thp_anon_parse_valid)
{
	static const enum thp_mode want[MTHP_MAX_ORDER + 1] = {
		[2 ... 4] = THP_ALWAYS, [5] = THP_INHERIT, [7] = THP_INHERIT,
	};
	struct anon_order_config cfg;

	/* Linux's example: 16K-64K are orders 2..4, 128K 5, 512K 7, 1M-2M 8..9. */
	KT_ASSERT_EQ(parse_fresh("16K-64K:always;128K,512K:inherit;1M-2M:never", &cfg), 0);
	for (unsigned int order = 1; order <= MTHP_MAX_ORDER; order++)
		KT_ASSERT_MSG(cfg.size[order] == want[order], "order %u: %d, want %d", order,
			      cfg.size[order], want[order]);
	KT_ASSERT_EQ(cfg.top, THP_MADVISE);
	/* foliOS's order 1, lower-case suffixes, bytes, the whole range, later groups win. */
	KT_ASSERT_EQ(parse_fresh("8K:madvise", &cfg), 0);
	KT_ASSERT_EQ(cfg.size[1], THP_MADVISE);
	KT_ASSERT_EQ(parse_fresh("16k,2m:always", &cfg), 0);
	KT_ASSERT(cfg.size[2] == THP_ALWAYS && cfg.size[9] == THP_ALWAYS && cfg.size[3] == THP_NEVER);
	KT_ASSERT_EQ(parse_fresh("65536:inherit", &cfg), 0);
	KT_ASSERT_EQ(cfg.size[4], THP_INHERIT);
	KT_ASSERT_EQ(parse_fresh("8K-2M:always;64K:never", &cfg), 0);
	for (unsigned int order = 1; order <= MTHP_MAX_ORDER; order++)
		KT_ASSERT_EQ(cfg.size[order], order == 4 ? THP_NEVER : THP_ALWAYS);
	KT_ASSERT_EQ(parse_fresh("2048K-2048K:inherit", &cfg), 0);
	KT_ASSERT_EQ(cfg.size[9], THP_INHERIT);
}

KTEST(thp_anon_parse_invalid)
{
	static const char *const bad[] = {
		"12K:always",			/* not a power of two */
		"1M-4M:never",			/* 4M is beyond one PTE table */
		"4K:always",			/* order 0 is not a size */
		"",				/* empty */
		"16K",				/* no mode */
		"16K:sometimes",		/* unknown mode */
		"16K:",				/* empty mode */
		":always",			/* empty sizes */
		"16K,:always",			/* empty size in a list */
		"64K-16K:always",		/* range upside down */
		"16K-:always",			/* open range */
		"16KB:always",			/* suffix too long */
		"16K:always;",			/* empty last group */
		"16K:always;12K:never",		/* a later bad group rejects it all */
		"99999999999999999999K:always",	/* overflow */
	};
	struct anon_order_config cfg;

	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		KT_ASSERT_MSG(parse_fresh(bad[i], &cfg) == -EINVAL, "thp_anon=%s accepted", bad[i]);
		for (unsigned int order = 1; order <= MTHP_MAX_ORDER; order++)
			KT_ASSERT_MSG(cfg.size[order] == THP_NEVER, "thp_anon=%s changed order %u",
				      bad[i], order);
	}
	KT_ASSERT_EQ(thp_anon_parse(NULL, &cfg), -EINVAL);
}

/* Free blocks of order >= 1 in the buddy allocator. */
static unsigned long free_large_blocks(void)
{
	unsigned long n = 0;

	for (unsigned int order = 1; order <= MAX_PAGE_ORDER; order++)
		n += zone_normal.free_area[order].nr_free;
	return n;
}

KTEST(fragment_unfragment_accounting)
{
	const char *path = FOLIO_SYSFS_DIR "/fragment";
	unsigned long before = nr_free_pages(), fragmented;
	struct page *earlier = alloc_pages(GFP_KERNEL, 0);

	KT_ASSERT(earlier);
	KT_ASSERT(shows(path, "0\n"));
	KT_ASSERT_EQ(store(path, "1\n"), 2);
	KT_ASSERT_EQ(free_large_blocks(), 0);
	/* A frame its owner frees while fragmented merges with nothing. */
	free_pages(earlier, 0);
	fragmented = nr_free_pages();
	KT_ASSERT_EQ(free_large_blocks(), 0);
	KT_ASSERT(fragmented < before && fragmented > 0);
	KT_ASSERT(alloc_pages(__GFP_NOWARN, 1) == NULL);
	KT_ASSERT(shows(path, "1\n"));
	KT_ASSERT_EQ(store(path, "1"), 1);		/* again: nothing more held */
	KT_ASSERT_EQ(nr_free_pages(), fragmented);
	KT_ASSERT_EQ(store(path, "2"), -EINVAL);
	KT_ASSERT_EQ(store(path, "0"), 1);
	KT_ASSERT_EQ(nr_free_pages(), before);
	KT_ASSERT(free_large_blocks() > 0);
	KT_ASSERT(shows(path, "0\n"));
	KT_ASSERT_EQ(store(path, "0\n"), 2);		/* again: nothing to release */
	KT_ASSERT_EQ(nr_free_pages(), before);
}

KTEST(mthp_stats_files)
{
	static const char *const names[] = {
		"anon_fault_alloc", "anon_fault_fallback", "anon_fault_fallback_charge", "swpout",
		"swpout_fallback", "shmem_alloc", "shmem_fallback", "shmem_fallback_charge", "split", "split_failed", "split_deferred", "nr_anon",
		"nr_anon_partially_mapped", "cow_reuse", "cow_copy_folio", "cow_copy_folio_fallback",
		"collapse_alloc", "collapse_alloc_failed",
	};
	char path[128], want[32];

	BUILD_BUG_ON(ARRAY_SIZE(names) != __MTHP_STAT_COUNT);
	for (unsigned int order = 1; order <= MTHP_MAX_ORDER; order++) {
		for (unsigned int item = 0; item < __MTHP_STAT_COUNT; item++) {
			unsigned long *mine = &mthp_stats[smp_processor_id()].stats[order][item], saved = *mine;
			struct inode *inode;
			int n = thp_size_path(path, sizeof(path), order, "stats/");

			snprintf(path + n, sizeof(path) - n, "%s", names[item]);
			inode = knob(path);
			KT_ASSERT_MSG(inode, "%s missing", path);
			KT_ASSERT_EQ(inode->mode, S_IFREG | 0444);
			KT_ASSERT_EQ(pseudo_store(inode, "0", 1), -EACCES);
			*mine += 1000 * order + item - sum_mthp_stat(order, item);	/* the sum, as the file shows it */
			snprintf(want, sizeof(want), "%lu\n", 1000UL * order + item);
			KT_ASSERT_MSG(shows(path, want), "%s", path);
			*mine = saved;
		}
	}
}

/* Is line (with its newline) in the show() output of path? */
static bool shows_line(const char *path, const char *line)
{
	static char buf[4096];
	long len = pseudo_show(knob(path), buf, sizeof(buf) - 1);

	if (len < 0 || len >= (long)sizeof(buf) - 1)
		return false;
	buf[len] = 0;
	for (const char *p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, line, strlen(line)) == 0)
			return true;
	return false;
}

KTEST(proc_vmstat_and_meminfo)
{
	struct vm_event_state *mine = &vm_event_states[smp_processor_id()];
	unsigned long saved = mine->pgalloc_order[9], saved_cow = mine->event[COW_REUSE];
	char line[48];

	mine->pgalloc_order[9] += 42 - sum_pgalloc_order(9);	/* the sums, as the file shows them */
	mine->event[COW_REUSE] += 7 - sum_vm_event(COW_REUSE);
	KT_ASSERT(shows_line("/proc/vmstat", "pgalloc_order_9 42\n"));
	KT_ASSERT(shows_line("/proc/vmstat", "cow_reuse 7\n"));
	KT_ASSERT(shows_line("/proc/vmstat", "pgalloc_order_0 "));
	mine->pgalloc_order[9] = saved;
	mine->event[COW_REUSE] = saved_cow;
	snprintf(line, sizeof(line), "nr_free_pages %lu\n", nr_free_pages());
	KT_ASSERT(shows_line("/proc/vmstat", line));
	snprintf(line, sizeof(line), "nr_anon_pages %lu\n", atomic_long_read(&nr_anon_pages));
	KT_ASSERT(shows_line("/proc/vmstat", line));
	snprintf(line, sizeof(line), "%-16s%8lu kB\n", "AnonPages:", atomic_long_read(&nr_anon_pages) * (PAGE_SIZE >> 10));
	KT_ASSERT(shows_line("/proc/meminfo", line));
	KT_ASSERT(shows_line("/proc/meminfo", "AnonHugePages:         0 kB\n"));
}

/* ---- /proc/self/folios over a private mm ---- */

#define FOLIOS_BASE	0x10000000UL	/* 256 MiB: PTE-table aligned */
#define NR_BIG		1100		/* order-0 lines: more than 64 KiB of output */

/* An mm with one read-write VMA of nr pages at FOLIOS_BASE; NULL on OOM. */
static struct mm_struct *folios_mm(unsigned long nr, struct vm_area_struct **vma)
{
	struct mm_struct *mm = mm_alloc();

	if (!mm)
		return NULL;
	mmap_write_lock(mm);
	*vma = vma_create(mm, FOLIOS_BASE, FOLIOS_BASE + nr * PAGE_SIZE,
			  VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE);
	mmap_write_unlock(mm);
	return mm;
}

/* Fault page i of vma in (write or read) through mm's populate entry; 0 or -errno. */
static int fault(struct vm_area_struct *vma, unsigned long i, bool write)
{
	unsigned long addr = FOLIOS_BASE + i * PAGE_SIZE;
	int ret;

	mmap_write_lock(vma->vm_mm);
	ret = populate_range(vma->vm_mm, addr, addr + PAGE_SIZE, write);
	mmap_write_unlock(vma->vm_mm);
	return ret;
}

/* /proc/<pid>/folios of mm's owner. */
static long folios_show_of(struct mm_struct *mm, char *buf, size_t len)
{
	return proc_folios_show(mm, buf, len);
}

/* Only order-0 folios, whatever the policy's defaults are. */
static void config_order0(void)
{
	anon_order_config.top = THP_NEVER;
	for (unsigned int order = 1; order <= MTHP_MAX_ORDER; order++)
		anon_order_config.size[order] = THP_NEVER;
}

KTEST(proc_self_folios_lines)
{
	struct anon_order_config saved = anon_order_config;
	unsigned long before = nr_free_pages();
	struct vm_area_struct *vma;
	struct mm_struct *mm;
	static char buf[1024], want[512];
	long len;

	config_order0();
	mm = folios_mm(8, &vma);
	KT_ASSERT(mm && vma);
	KT_ASSERT_EQ(folios_show_of(mm, buf, sizeof(buf)), 0);	/* nothing mapped */
	KT_ASSERT_EQ(fault(vma, 0, true), 0);
	KT_ASSERT_EQ(fault(vma, 1, true), 0);
	KT_ASSERT_EQ(fault(vma, 3, false), 0);
	KT_ASSERT_EQ(fault(vma, 4, false), 0);
	len = folios_show_of(mm, buf, sizeof(buf));
	anon_order_config = saved;
	snprintf(want, sizeof(want),
		 "0x000010000000-0x000010001000 order=0 pages=1 mapcount=1 rmap=1 ref=1 flags=anon,dirty,writable,exclusive\n"
		 "0x000010001000-0x000010002000 order=0 pages=1 mapcount=1 rmap=1 ref=1 flags=anon,dirty,writable,exclusive\n"
		 "0x000010003000-0x000010005000 order=0 pages=2 mapcount=0 rmap=0 ref=%d flags=zero\n",
		 folio_ref_count(page_folio(zero_page)));
	KT_ASSERT_MSG(len == (long)strlen(want) && memcmp(buf, want, len) == 0,
		      "got %ld bytes: %.*s", len, (int)min((size_t)len, (size_t)100), buf);
	KT_ASSERT_EQ(folios_show_of(NULL, buf, sizeof(buf)), 0);	/* no mm: empty */
	mmput(mm);
	KT_ASSERT_EQ(nr_free_pages(), before);
}

KTEST(proc_self_folios_buffer_limit)
{
	struct anon_order_config saved = anon_order_config;
	unsigned long before = nr_free_pages(), line_len;
	struct vm_area_struct *vma;
	struct mm_struct *mm;
	char *buf;
	long len;

	config_order0();
	mm = folios_mm(NR_BIG, &vma);
	KT_ASSERT(mm && vma);
	for (unsigned long i = 0; i < NR_BIG; i++)
		KT_ASSERT_EQ(fault(vma, i, true), 0);
	anon_order_config = saved;
	buf = kmalloc(PSEUDO_MAX_SIZE);
	KT_ASSERT(buf);
	/* Below the limit a full buffer asks for more (returns its size): 64 KiB is no cut. */
	KT_ASSERT_EQ(folios_show_of(mm, buf, PAGE_SIZE), PAGE_SIZE);
	KT_ASSERT_EQ(folios_show_of(mm, buf, 64 * 1024), 64 * 1024);
	/* At the limit: every line of the process. */
	len = folios_show_of(mm, buf, PSEUDO_MAX_SIZE);
	line_len = strchr(buf, '\n') - buf + 1;
	KT_ASSERT(len > 0 && (size_t)len < PSEUDO_MAX_SIZE && buf[len - 1] == '\n');
	KT_ASSERT_EQ(len % line_len, 0);
	KT_ASSERT_EQ(len / line_len, NR_BIG);
	kfree(buf);
	mmput(mm);
	KT_ASSERT_EQ(nr_free_pages(), before);
}
