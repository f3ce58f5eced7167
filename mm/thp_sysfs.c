/*
 * thp_sysfs.c - the anon-order policy's configuration (anon_order_config)
 * with its defaults, and its files and boot words, in Linux's formats; plus
 * the foliOS test hooks beside them under /sys/kernel/mm/folio/:
 *
 *   /sys/kernel/mm/transparent_hugepage/enabled                 always [madvise] never
 *   /sys/kernel/mm/transparent_hugepage/hugepages-<N>kB/enabled  always inherit madvise [never]
 *   /sys/kernel/mm/transparent_hugepage/defrag                  always defer defer+madvise [madvise] never
 *   /sys/kernel/mm/transparent_hugepage/use_zero_page           1
 *   /sys/kernel/mm/transparent_hugepage/hpage_pmd_size          2097152 (read-only)
 *   /sys/kernel/mm/transparent_hugepage/shrink_underused         1 (mm/split.h; kstrtobool)
 *   .../transparent_hugepage/shmem_enabled, hugepages-<N>kB/shmem_enabled (mm/thp_sysfs_shmem.c)
 *   .../transparent_hugepage/khugepaged/... (mm/thp_sysfs_khugepaged.c)
 *   /sys/kernel/mm/folio/allow_order1                            1
 *   /sys/kernel/mm/folio/policy                                  [linux] adaptive reserve utilisation
 *   /sys/kernel/mm/folio/policy_<name>/<tunable>                 the policy's (mm/policy/<name>.c)
 *   /sys/kernel/mm/folio/madv_free_split                         order0 [around]
 *   /sys/kernel/mm/folio/cow_policy                              [page] folio adaptive
 *   /sys/kernel/mm/folio/prezero                                 1 (mm/prezero.h)
 *   /sys/kernel/mm/folio/pmd_mapping                             1 (mm/huge_mm.h)
 *   /sys/kernel/mm/folio/fragment                                0 (write 1/0: hold/release)
 *   /sys/kernel/mm/folio/fault_race_inject                       0 (write N: lose N races)
 *   /sys/kernel/mm/folio/deferred_split_scan                     queue length (write 1: split all)
 *   /sys/kernel/mm/folio/split_range                             (write "START END ORDER [OFFSET]")
 *   /sys/kernel/mm/folio/debug_vm_check                          (write 1: mm/debug_vm_check.c)
 *   transparent_hugepage=  thp_anon=  folio.allow_order1=  folio.policy=  folio.prezero=
 *   folio.cow_policy=
 *
 * Writes take one word, with or without a trailing newline (sysfs_streq),
 * or a number or boolean as Linux's kstrtoul / kstrtobool read them
 * (mm/thp_sysfs_file.c), and return the length written or -EINVAL (as
 * Linux, -ERANGE for a number that overflows a single-flag file).
 * docs/mm/knobs.md has it all.
 */
#include "mm/thp_sysfs.h"
#include "mm/thp_sysfs_file.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/vfs.h"
#include "mm/page_alloc.h"
#include "mm/pgtable.h"
#include "mm/prezero.h"
#include "mm/huge_mm.h"
#include "mm/split.h"
#include "mm/vma.h"
#include <uapi/errno.h>

/*
 * The defaults, all here.  Linux's top level and PMD size (top madvise, 2M
 * inherits: 2 MiB folios only with MADV_HUGEPAGE), plus foliOS's measured
 * choice: 64K "always" (docs/results/anon-folios.md: first touch 3.3x
 * (x86_64) / 4.6x (arm64) faster than 4K with 16x fewer faults, while a
 * sparse user pays at most 16x the memory; 2M for everyone would add only
 * 1.3x more speed at up to 512x the memory).  Order 1 allowed when
 * enabled; the static policy.  MADV_FREE over part of a large folio splits
 * it "around" the covered pages, so they stay large folios.  A CoW fault
 * copies one page, as Linux (cow_policy: docs/mm/cow.md).
 */
struct anon_order_config anon_order_config = {
	.top = THP_MADVISE,
	.size = { [1 ... 3] = THP_NEVER, [4] = THP_ALWAYS, [5 ... MTHP_MAX_ORDER - 1] = THP_NEVER,
		  [MTHP_MAX_ORDER] = THP_INHERIT },
	.allow_order1 = true,
	.policy = ANON_POLICY_LINUX,
	.madv_free_split = MADV_FREE_SPLIT_AROUND,
	.cow_policy = COW_POLICY_PAGE,
};

const char *const thp_mode_names[] = {
	[THP_NEVER] = "never",
	[THP_ALWAYS] = "always",
	[THP_MADVISE] = "madvise",
	[THP_INHERIT] = "inherit",
};

static const char *const madv_free_split_names[] = {
	[MADV_FREE_SPLIT_ORDER0] = "order0",
	[MADV_FREE_SPLIT_AROUND] = "around",
};

static const char *const cow_policy_names[] = {
	[COW_POLICY_PAGE] = "page",
	[COW_POLICY_FOLIO] = "folio",
	[COW_POLICY_ADAPTIVE] = "adaptive",
};

int thp_mode_parse(const char *word, size_t len)
{
	for (int mode = 0; mode < (int)ARRAY_SIZE(thp_mode_names); mode++)
		if (sysfs_word_is(thp_mode_names[mode], word, len))
			return mode;
	return -1;
}

/* ---- "a [b] c" files: one value out of a list of words ---- */

static const struct choice_knob top_knob = {
	thp_mode_names, (const int[]){ THP_ALWAYS, THP_MADVISE, THP_NEVER }, 3,
};
static const struct choice_knob size_knob = {
	thp_mode_names, (const int[]){ THP_ALWAYS, THP_INHERIT, THP_MADVISE, THP_NEVER }, 4,
};
static const struct choice_knob madv_free_split_knob = {
	madv_free_split_names, (const int[]){ MADV_FREE_SPLIT_ORDER0, MADV_FREE_SPLIT_AROUND }, 2,
};
static const struct choice_knob cow_policy_knob = {
	cow_policy_names, (const int[]){ COW_POLICY_PAGE, COW_POLICY_FOLIO, COW_POLICY_ADAPTIVE }, 3,
};

static const char *const thp_defrag_names[] = {
	[THP_DEFRAG_ALWAYS] = "always",
	[THP_DEFRAG_DEFER] = "defer",
	[THP_DEFRAG_DEFER_MADVISE] = "defer+madvise",
	[THP_DEFRAG_MADVISE] = "madvise",
	[THP_DEFRAG_NEVER] = "never",
};
static const struct choice_knob defrag_knob = {
	thp_defrag_names, (const int[]){ THP_DEFRAG_ALWAYS, THP_DEFRAG_DEFER, THP_DEFRAG_DEFER_MADVISE,
					 THP_DEFRAG_MADVISE, THP_DEFRAG_NEVER }, 5,
};

/* "0" or "1" (a trailing newline allowed): the value, or -EINVAL. */
static int bool_parse(const char *buf, size_t len)
{
	len = strip_newline(buf, len);
	if (len != 1 || (buf[0] != '0' && buf[0] != '1'))
		return -EINVAL;
	return buf[0] - '0';
}

/* ---- transparent_hugepage/enabled and hugepages-<N>kB/enabled ---- */

static long thp_enabled_show(char *buf, size_t len)
{
	return choice_show(&top_knob, anon_order_config.top, buf, len);
}

static long thp_enabled_store(const char *buf, size_t len)
{
	int mode = choice_parse(&top_knob, buf, len);

	if (mode < 0)
		return mode;
	anon_order_config.top = mode;
	return len;
}

/* data: &anon_order_config.size[order] */
static long thp_size_enabled_show(void *data, char *buf, size_t len)
{
	return choice_show(&size_knob, *(enum thp_mode *)data, buf, len);
}

static long thp_size_enabled_store(void *data, const char *buf, size_t len)
{
	int mode = choice_parse(&size_knob, buf, len);

	if (mode < 0)
		return mode;
	*(enum thp_mode *)data = mode;
	return len;
}

/* ---- defrag, use_zero_page, hpage_pmd_size, shrink_underused (Linux's defaults) ---- */

enum thp_defrag thp_defrag = THP_DEFRAG_MADVISE;
unsigned int thp_use_zero_page = 1;
static unsigned int hpage_pmd_size = PMD_SIZE;

/* Linux's single_hugepage_flag_store: kstrtoul's error as is, a value above 1 -EINVAL. */
static struct uint_knob use_zero_page_knob = { &thp_use_zero_page, 0, 1, true };
static struct uint_knob hpage_pmd_size_knob = { &hpage_pmd_size, 0, 0, false };

/* shrink_underused: "%d\n", written as Linux's kstrtobool reads (y/n/1/0/on/off ...). */
static long shrink_underused_show(void *data, char *buf, size_t len)
{
	(void)data;
	return snprintf(buf, len, "%d\n", READ_ONCE(shrink_underused));
}

static long shrink_underused_store(void *data, const char *buf, size_t len)
{
	bool val;
	int err = kstrtobool_buf(buf, len, &val);

	(void)data;
	if (err)
		return err;
	WRITE_ONCE(shrink_underused, val);
	return (long)len;
}

/* The top-level files besides enabled, in Linux's order (hugepage_attr[]). */
static const struct thp_sysfs_file thp_top_files[] = {
	{ "defrag", enum_file_show, enum_file_store,
	  &(struct enum_file){ &defrag_knob, (unsigned int *)&thp_defrag } },
	{ "use_zero_page", uint_knob_show, uint_knob_store, &use_zero_page_knob },
	{ "hpage_pmd_size", uint_knob_show, NULL, &hpage_pmd_size_knob },
	{ "shrink_underused", shrink_underused_show, shrink_underused_store, NULL },
};

/* ---- folio/allow_order1, folio/prezero: 0 or 1 ---- */

/* data: the bool */
static long bool_knob_show(void *data, char *buf, size_t len)
{
	return snprintf(buf, len, "%d\n", READ_ONCE(*(bool *)data));
}

static long bool_knob_store(void *data, const char *buf, size_t len)
{
	int val = bool_parse(buf, len);

	if (val < 0)
		return val;
	WRITE_ONCE(*(bool *)data, val);
	return len;
}

/* data: &prezero_enabled, changed through prezero_set() (0 also forgets the zeroed blocks). */
static long prezero_store(void *data, const char *buf, size_t len)
{
	int val = bool_parse(buf, len);

	if (val < 0)
		return val;
	(void)data;
	prezero_set(val);
	return len;
}

/* ---- folio/policy, folio/madv_free_split, folio/cow_policy: one enum of anon_order_config each ---- */

#define ENUM_FILE(knob, field) { &(knob), (unsigned int *)&anon_order_config.field }
BUILD_BUG_ON(sizeof(enum thp_defrag) != sizeof(unsigned int) ||
	     sizeof(enum madv_free_split) != sizeof(unsigned int) ||
	     sizeof(enum cow_policy) != sizeof(unsigned int));
static const struct enum_file madv_free_split_file = ENUM_FILE(madv_free_split_knob, madv_free_split);
static const struct enum_file cow_policy_file = ENUM_FILE(cow_policy_knob, cow_policy);

/* ---- folio/policy: the policies of mm/policy/ by their names ---- */

static const char *policy_names[NR_ANON_POLICIES];
static const struct choice_knob policy_knob = {
	policy_names, (const int[]){
#define ANON_POLICY_SHOWN(id, name) ANON_POLICY_##id,
		ANON_POLICY_LIST(ANON_POLICY_SHOWN)
#undef ANON_POLICY_SHOWN
	}, NR_ANON_POLICIES,
};

/* "[linux] adaptive reserve utilisation": the policies' own names. */
static long policy_show(void *data, char *buf, size_t len)
{
	(void)data;
	for (int id = 0; id < NR_ANON_POLICIES; id++)
		policy_names[id] = anon_policies[id]->name;
	return choice_show(&policy_knob, anon_order_config.policy, buf, len);
}

/*
 * One policy's name (or "static", linux's old name): from the next fault
 * on, every hook is the new policy's.  Live VMAs keep their words of the
 * old policy's, ignored (anon_policy_state); reservations stay as they are
 * and are filled only while a reserving policy is current, broken as
 * always by unmaps, splits and the shrinker (mm/anon_reserve.c).
 */
static long policy_store(void *data, const char *buf, size_t len)
{
	int id = anon_policy_parse(buf, len);

	(void)data;
	if (id < 0)
		return id;
	WRITE_ONCE(anon_order_config.policy, (enum anon_policy_id)id);
	return (long)len;
}

/* Register every policy's tunables under folio/policy_<name>/. */
static void policy_files_register(void)
{
	char path[96];

	for (int id = 0; id < NR_ANON_POLICIES; id++) {
		const struct anon_policy *p = anon_policies[id];

		for (unsigned int i = 0; i < p->nr_files; i++) {
			snprintf(path, sizeof(path), FOLIO_SYSFS_DIR "/policy_%s/%s", p->name, p->files[i].path);
			pseudo_file_register_data(path, p->files[i].show, p->files[i].store, p->files[i].data);
		}
	}
}

/* ---- folio/fragment: hold every other free frame (tests of fallback) ---- */

static struct buddy_frag fragment_held;
static bool fragmented;

static long fragment_show(char *buf, size_t len)
{
	return snprintf(buf, len, "%d\n", fragmented);
}

/* 1: buddy_fragment() (no free block of order >= 1 left); 0: give it all back.  Idempotent. */
static long fragment_store(const char *buf, size_t len)
{
	int val = bool_parse(buf, len);

	if (val < 0)
		return val;
	if (val && !fragmented)
		buddy_fragment(&fragment_held);
	else if (!val && fragmented)
		buddy_unfragment(&fragment_held);
	fragmented = val;
	return len;
}

/* ---- folio/fault_race_inject: lose the fault path's race on purpose (tests) ---- */

/* Injections left: faults of one mm under different PTE locks race for the last one, so atomic. */
static atomic_long_t fault_race_inject;

void fault_race_maybe_inject(struct vm_area_struct *vma, unsigned long start, unsigned int order)
{
	unsigned long last = start + ((PAGE_SIZE << order) - PAGE_SIZE);
	spinlock_t *ptl;
	pte_t *ptep;

	if (!atomic_long_read(&fault_race_inject) || order == 0)
		return;
	ptep = pte_alloc_map_lock(vma->vm_mm, last, &ptl);	/* a PMD fault has no table yet */
	if (ptep && pte_none(ptep_get(ptep)) && atomic_long_add_unless(&fault_race_inject, -1, 0))
		set_ptes(vma->vm_mm, last, ptep, pfn_pte(page_to_pfn(zero_page), vma->vm_page_prot), 1);
	if (ptep)
		spin_unlock(ptl);
}

static long fault_race_show(char *buf, size_t len)
{
	return snprintf(buf, len, "%ld\n", atomic_long_read(&fault_race_inject));
}

/* A decimal count (what follows the digits is ignored); -EINVAL unless it starts with a digit. */
static long fault_race_store(const char *buf, size_t len)
{
	unsigned long v = 0;

	for (const char *p = buf; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (unsigned long)(*p - '0');
	if (buf[0] < '0' || buf[0] > '9')
		return -EINVAL;
	atomic_long_set(&fault_race_inject, (long)v);
	return (long)len;
}

/* ---- folio/deferred_split_scan, folio/split_range: drive mm/split.c (tests, labs) ---- */

static long deferred_split_scan_show(char *buf, size_t len)
{
	return snprintf(buf, len, "%lu\n", deferred_split_count());
}

/* "1": split every folio queued now (deferred_split_scan); anything else is -EINVAL. */
static long deferred_split_scan_store(const char *buf, size_t len)
{
	if (bool_parse(buf, len) != 1)
		return -EINVAL;
	deferred_split_scan(~0UL);
	return len;
}

/* The value of a digit in base (10 or 16), or -1. */
static int digit_value(char c, unsigned int base)
{
	int d = c >= '0' && c <= '9' ? c - '0' :
		c >= 'a' && c <= 'f' ? c - 'a' + 10 :
		c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

	return d < (int)base ? d : -1;
}

/*
 * The number in base (16: "0x" optional) that starts buf[*pos] and ends at a
 * space or at len; *pos moves past it and the spaces after it.  false when
 * there is none, it overflows or junk follows.
 */
static bool parse_word_number(const char *buf, size_t len, size_t *pos, unsigned int base,
			      unsigned long *val)
{
	size_t i = *pos, first;
	unsigned long v = 0;

	if (base == 16 && i + 1 < len && buf[i] == '0' && (buf[i + 1] == 'x' || buf[i + 1] == 'X'))
		i += 2;
	for (first = i; i < len && digit_value(buf[i], base) >= 0; i++) {
		unsigned int d = (unsigned int)digit_value(buf[i], base);

		if (v > (~0UL - d) / base)
			return false;
		v = v * base + d;
	}
	if (i == first || (i < len && buf[i] != ' '))
		return false;
	while (i < len && buf[i] == ' ')
		i++;
	*pos = i;
	*val = v;
	return true;
}

/* Write-only: reads are empty. */
static long split_range_show(char *buf, size_t len)
{
	(void)buf;
	(void)len;
	return 0;
}

/*
 * "START END NEW_ORDER [IN_FOLIO_OFFSET]": START, END page-aligned hex user
 * addresses of the writing process, START < END; NEW_ORDER decimal, below
 * the largest order; IN_FOLIO_OFFSET decimal.  split_huge_pages_mm() on
 * them: the length written, -EBUSY when some folio could not be split,
 * -EINVAL for anything malformed.
 */
static long split_range_store(const char *buf, size_t len)
{
	unsigned long start, end, new_order, offset;
	size_t n = strip_newline(buf, len), pos = 0;
	long in_folio_offset = -1;
	int ret;

	if (!parse_word_number(buf, n, &pos, 16, &start) || !parse_word_number(buf, n, &pos, 16, &end) ||
	    !parse_word_number(buf, n, &pos, 10, &new_order))
		return -EINVAL;
	if (pos < n) {
		if (!parse_word_number(buf, n, &pos, 10, &offset) || offset > (1UL << MTHP_MAX_ORDER))
			return -EINVAL;
		in_folio_offset = (long)offset;
	}
	if (pos != n || !current->mm || start >= end || (start | end) & ~PAGE_MASK ||
	    new_order >= MTHP_MAX_ORDER)
		return -EINVAL;
	ret = split_huge_pages_mm(current->mm, start, end, (unsigned int)new_order, in_folio_offset);
	return ret ? ret : (long)len;
}

/* ---- thp_anon= ---- */

/* Length of the prefix of s[0..len) before the first c (len when there is none). */
static size_t span_to(const char *s, size_t len, char c)
{
	size_t i = 0;

	while (i < len && s[i] != c)
		i++;
	return i;
}

/* memparse()'s size suffixes: the shift of K/M/G (either case), 0 for none, -1 otherwise. */
static int size_suffix_shift(const char *s, size_t len)
{
	if (len == 0)
		return 0;
	if (len > 1)
		return -1;
	switch (s[0]) {
	case 'K': case 'k': return 10;
	case 'M': case 'm': return 20;
	case 'G': case 'g': return 30;
	}
	return -1;
}

/* "64K", "2M", "8192": its order 1..MTHP_MAX_ORDER, or -EINVAL (with Linux's message). */
static int thp_size_order(const char *s, size_t len)
{
	const unsigned long max = PAGE_SIZE << MTHP_MAX_ORDER;
	unsigned long size = 0;
	size_t i;
	int shift;

	for (i = 0; i < len && s[i] >= '0' && s[i] <= '9' && size <= max; i++)
		size = size * 10 + (s[i] - '0');
	shift = size_suffix_shift(s + i, len - i);
	if (i > 0 && size <= max && shift >= 0) {
		for (int order = 1; order <= MTHP_MAX_ORDER; order++)
			if (size << shift == PAGE_SIZE << order)
				return order;
	}
	pr_err("invalid size %.*s in thp_anon boot parameter\n", (int)len, s);
	return -EINVAL;
}

/* One "SIZE" or "SIZE-SIZE" item: 0 and the order range, or -EINVAL. */
static int thp_anon_range(const char *s, size_t len, int *start, int *end)
{
	size_t dash = span_to(s, len, '-');

	*start = thp_size_order(s, dash);
	*end = dash == len ? *start : thp_size_order(s + dash + 1, len - dash - 1);
	if (*start < 0 || *end < 0 || *start > *end)
		return -EINVAL;
	return 0;
}

/* One "SIZES:MODE" group applied to size[]: 0 or -EINVAL. */
static int thp_anon_group(const char *s, size_t len, enum thp_mode *size)
{
	size_t colon = span_to(s, len, ':');
	int mode = colon == len ? -1 : thp_mode_parse(s + colon + 1, len - colon - 1);

	if (mode < 0) {
		pr_err("invalid SIZES:MODE group '%.*s' in thp_anon boot parameter\n", (int)len, s);
		return -EINVAL;
	}
	for (size_t pos = 0, item; pos <= colon; pos += item + 1) {
		int start, end;

		item = span_to(s + pos, colon - pos, ',');
		if (thp_anon_range(s + pos, item, &start, &end))
			return -EINVAL;
		for (int order = start; order <= end; order++)
			size[order] = mode;
	}
	return 0;
}

int thp_anon_parse(const char *str, struct anon_order_config *cfg)
{
	enum thp_mode size[MTHP_MAX_ORDER + 1];
	size_t len, group;

	if (!str)
		str = "";
	len = strlen(str);
	memcpy(size, cfg->size, sizeof(size));
	for (size_t pos = 0; pos <= len; pos += group + 1) {
		group = span_to(str + pos, len - pos, ';');
		if (thp_anon_group(str + pos, group, size)) {
			pr_warn("thp_anon=%s: error parsing string, ignoring setting\n", str);
			return -EINVAL;
		}
	}
	memcpy(cfg->size, size, sizeof(size));
	return 0;
}

/* ---- boot words ---- */

static int thp_anon_setup(const char *value)
{
	return thp_anon_parse(value, &anon_order_config);
}
__setup("thp_anon", thp_anon_setup);

/* A boot word's value through a file's store (NULL, a bare word, is invalid). */
static int setup_via_store(long (*store)(const char *buf, size_t len), const char *value)
{
	long ret = value ? store(value, strlen(value)) : -EINVAL;

	return ret < 0 ? ret : 0;
}

static int transparent_hugepage_setup(const char *value)
{
	return setup_via_store(thp_enabled_store, value);
}
__setup("transparent_hugepage", transparent_hugepage_setup);

/* A boot word's value through a data file's store (a bare word is invalid). */
static int setup_via_data_store(long (*store)(void *data, const char *buf, size_t len),
				void *data, const char *value)
{
	long ret = value ? store(data, value, strlen(value)) : -EINVAL;

	return ret < 0 ? ret : 0;
}

static int allow_order1_setup(const char *value)
{
	return setup_via_data_store(bool_knob_store, &anon_order_config.allow_order1, value);
}
__setup("folio.allow_order1", allow_order1_setup);

/* At boot nothing is zeroed yet: only the flag. */
static int prezero_setup(const char *value)
{
	return setup_via_data_store(bool_knob_store, &prezero_enabled, value);
}
__setup("folio.prezero", prezero_setup);

static int pmd_mapping_setup(const char *value)
{
	return setup_via_data_store(bool_knob_store, &thp_pmd_mapping, value);
}
__setup("folio.pmd_mapping", pmd_mapping_setup);

static int policy_setup(const char *value)
{
	return setup_via_data_store(policy_store, NULL, value);
}
__setup("folio.policy", policy_setup);

static int cow_policy_setup(const char *value)
{
	return setup_via_data_store(enum_file_store, (void *)&cow_policy_file, value);
}
__setup("folio.cow_policy", cow_policy_setup);

/* ---- registration ---- */

int thp_size_path(char *buf, size_t len, unsigned int order, const char *name)
{
	return snprintf(buf, len, THP_SYSFS_DIR "/hugepages-%lukB/%s",
			(PAGE_SIZE << order) >> 10, name);
}

void thp_sysfs_init(void)
{
	char path[96];

	struct thp_sysfs_file shmem_size;

	pseudo_file_register(THP_SYSFS_DIR "/enabled", thp_enabled_show, thp_enabled_store);
	thp_sysfs_register(thp_top_files, ARRAY_SIZE(thp_top_files));
	thp_sysfs_register(&shmem_enabled_file, 1);
	thp_sysfs_register(khugepaged_files, nr_khugepaged_files);
	for (unsigned int order = 1; order <= MTHP_MAX_ORDER; order++) {
		thp_size_path(path, sizeof(path), order, "enabled");
		pseudo_file_register_data(path, thp_size_enabled_show, thp_size_enabled_store,
					  &anon_order_config.size[order]);
		thp_shmem_size_file(order, &shmem_size);
		thp_size_path(path, sizeof(path), order, "shmem_enabled");
		pseudo_file_register_data(path, shmem_size.show, shmem_size.store, shmem_size.data);
	}
	pseudo_file_register_data(FOLIO_SYSFS_DIR "/allow_order1", bool_knob_show, bool_knob_store,
				  &anon_order_config.allow_order1);
	pseudo_file_register_data(FOLIO_SYSFS_DIR "/prezero", bool_knob_show, prezero_store,
				  &prezero_enabled);
	pseudo_file_register_data(FOLIO_SYSFS_DIR "/pmd_mapping", bool_knob_show, bool_knob_store,
				  &thp_pmd_mapping);
	pseudo_file_register_data(FOLIO_SYSFS_DIR "/policy", policy_show, policy_store, NULL);
	policy_files_register();
	pseudo_file_register_data(FOLIO_SYSFS_DIR "/madv_free_split", enum_file_show, enum_file_store,
				  (void *)&madv_free_split_file);
	pseudo_file_register_data(FOLIO_SYSFS_DIR "/cow_policy", enum_file_show, enum_file_store,
				  (void *)&cow_policy_file);
	pseudo_file_register(FOLIO_SYSFS_DIR "/fragment", fragment_show, fragment_store);
	pseudo_file_register(FOLIO_SYSFS_DIR "/fault_race_inject", fault_race_show, fault_race_store);
	pseudo_file_register(FOLIO_SYSFS_DIR "/deferred_split_scan", deferred_split_scan_show,
			     deferred_split_scan_store);
	pseudo_file_register(FOLIO_SYSFS_DIR "/split_range", split_range_show, split_range_store);
	debug_vm_check_init();
}
