/*
 * thp_sysfs_khugepaged.c - /sys/kernel/mm/transparent_hugepage/khugepaged/,
 * Linux 6.12's files with their formats, defaults and write checks
 * (mm/khugepaged.c there):
 *
 *   defrag                 1      0 or 1 (kstrtoul; > 1 -EINVAL, overflow -ERANGE)
 *   max_ptes_none          511    0..511 (the underused threshold, mm/split.h)
 *   max_ptes_swap          64     0..511
 *   max_ptes_shared        256    0..511
 *   pages_to_scan          4096   1..UINT_MAX
 *   scan_sleep_millisecs   10000  0..UINT_MAX
 *   alloc_sleep_millisecs  60000  0..UINT_MAX
 *   pages_collapsed        0      read-only: collapses by khugepaged
 *   full_scans             0      read-only: khugepaged's passes over every mm
 *
 * foliOS has no khugepaged thread (MADV_COLLAPSE collapses synchronously,
 * mm/collapse.c, and is not counted here, as Linux does not): the files
 * keep Linux's values so that tools read and write them unchanged, and only
 * max_ptes_none acts (docs/mm/knobs.md says which does what).  Every
 * number reads "%u\n"; a bad write is -EINVAL and changes nothing.
 */
#include "mm/thp_sysfs.h"
#include "mm/thp_sysfs_file.h"
#include "mm/split.h"
#include <uapi/folios.h>

#define UINT_MAX_KNOB	(~0U)
#define PTES_MAX	((1U << MTHP_MAX_ORDER) - 1)	/* Linux: HPAGE_PMD_NR - 1 */

struct khugepaged_knobs khugepaged_knobs = {
	.defrag = 1,
	.max_ptes_swap = (1U << MTHP_MAX_ORDER) / 8,
	.max_ptes_shared = (1U << MTHP_MAX_ORDER) / 2,
	.pages_to_scan = (1U << MTHP_MAX_ORDER) * 8,
	.scan_sleep_millisecs = 10000,
	.alloc_sleep_millisecs = 60000,
};

static struct uint_knob defrag_knob = { &khugepaged_knobs.defrag, 0, 1, true };
static struct uint_knob max_ptes_none_knob = { &khugepaged_max_ptes_none, 0, PTES_MAX, false };
static struct uint_knob max_ptes_swap_knob = { &khugepaged_knobs.max_ptes_swap, 0, PTES_MAX, false };
static struct uint_knob max_ptes_shared_knob = { &khugepaged_knobs.max_ptes_shared, 0, PTES_MAX, false };
static struct uint_knob pages_to_scan_knob = { &khugepaged_knobs.pages_to_scan, 1, UINT_MAX_KNOB, false };
static struct uint_knob scan_sleep_knob = { &khugepaged_knobs.scan_sleep_millisecs, 0, UINT_MAX_KNOB, false };
static struct uint_knob alloc_sleep_knob = { &khugepaged_knobs.alloc_sleep_millisecs, 0, UINT_MAX_KNOB, false };
static struct uint_knob pages_collapsed_knob = { &khugepaged_knobs.pages_collapsed, 0, 0, false };
static struct uint_knob full_scans_knob = { &khugepaged_knobs.full_scans, 0, 0, false };

/* In Linux's order (khugepaged_attr[]). */
const struct thp_sysfs_file khugepaged_files[] = {
	{ "khugepaged/defrag", uint_knob_show, uint_knob_store, &defrag_knob },
	{ "khugepaged/max_ptes_none", uint_knob_show, uint_knob_store, &max_ptes_none_knob },
	{ "khugepaged/max_ptes_swap", uint_knob_show, uint_knob_store, &max_ptes_swap_knob },
	{ "khugepaged/max_ptes_shared", uint_knob_show, uint_knob_store, &max_ptes_shared_knob },
	{ "khugepaged/pages_to_scan", uint_knob_show, uint_knob_store, &pages_to_scan_knob },
	{ "khugepaged/pages_collapsed", uint_knob_show, NULL, &pages_collapsed_knob },
	{ "khugepaged/full_scans", uint_knob_show, NULL, &full_scans_knob },
	{ "khugepaged/scan_sleep_millisecs", uint_knob_show, uint_knob_store, &scan_sleep_knob },
	{ "khugepaged/alloc_sleep_millisecs", uint_knob_show, uint_knob_store, &alloc_sleep_knob },
};
const size_t nr_khugepaged_files = ARRAY_SIZE(khugepaged_files);
