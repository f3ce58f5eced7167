/*
 * thp_sysfs.h - the anon-order policy's knobs as files and boot words, and
 * the test hooks under /sys/kernel/mm/folio/ (mm/thp_sysfs.c); formats in
 * docs/mm/knobs.md.
 */
#ifndef MM_THP_SYSFS_H
#define MM_THP_SYSFS_H

#include "mm/anon_order.h"

#define THP_SYSFS_DIR	"/sys/kernel/mm/transparent_hugepage"
#define FOLIO_SYSFS_DIR	"/sys/kernel/mm/folio"

/*
 * transparent_hugepage/defrag (always defer defer+madvise [madvise] never)
 * and use_zero_page (1): Linux's values, kept; foliOS has no compaction
 * and no huge zero page, so neither acts yet (docs/mm/knobs.md).
 */
enum thp_defrag {
	THP_DEFRAG_ALWAYS,
	THP_DEFRAG_DEFER,
	THP_DEFRAG_DEFER_MADVISE,
	THP_DEFRAG_MADVISE,
	THP_DEFRAG_NEVER,
};
extern enum thp_defrag thp_defrag;
extern unsigned int thp_use_zero_page;

/* khugepaged/ (mm/thp_sysfs_khugepaged.c; max_ptes_none is split.h's khugepaged_max_ptes_none). */
struct khugepaged_knobs {
	unsigned int defrag;			/* 0|1 */
	unsigned int max_ptes_swap;		/* 0..511 */
	unsigned int max_ptes_shared;		/* 0..511 */
	unsigned int pages_to_scan;		/* 1..UINT_MAX */
	unsigned int scan_sleep_millisecs;
	unsigned int alloc_sleep_millisecs;
	unsigned int pages_collapsed;		/* read-only: collapses by khugepaged (none) */
	unsigned int full_scans;		/* read-only */
};
extern struct khugepaged_knobs khugepaged_knobs;

/* shmem_enabled, top level and per size (mm/thp_sysfs_shmem.c): Linux's shmem_huge values. */
enum shmem_huge {
	SHMEM_HUGE_NEVER,
	SHMEM_HUGE_ALWAYS,
	SHMEM_HUGE_WITHIN_SIZE,
	SHMEM_HUGE_ADVISE,
	SHMEM_HUGE_DENY,	/* top level only */
	SHMEM_HUGE_FORCE,	/* top level only */
	SHMEM_HUGE_INHERIT,	/* per size only */
};
struct shmem_huge_config {
	enum shmem_huge top;
	enum shmem_huge size[MTHP_MAX_ORDER + 1];	/* per order 1..9; [0] unused */
};
extern struct shmem_huge_config shmem_huge_config;

/*
 * Write THP_SYSFS_DIR "/hugepages-<N>kB/" followed by name into buf (the
 * per-size directory of order, 1..MTHP_MAX_ORDER); returns what snprintf does.
 */
int thp_size_path(char *buf, size_t len, unsigned int order, const char *name);

/*
 * Apply a thp_anon= value ("16K-64K:always;128K,512K:inherit;1M-2M:never")
 * to cfg->size[].  All or nothing: on any error (unknown mode, a size that
 * is not a power of two from 8K to 2M, a range upside down, an empty
 * group) cfg is untouched, a warning is printed and -EINVAL returned.
 */
int thp_anon_parse(const char *str, struct anon_order_config *cfg);

/*
 * The fault_race_inject hook, called by the anonymous write fault once it
 * has allocated and zeroed an order-`order` folio for the block at start,
 * just before it takes the PTE lock (or, for a PMD mapping, the PMD lock:
 * the PTE table the injection builds makes the PMD no longer none) to map it.  While injections are left (the knob's
 * value) and order > 0, it plays a racing fault: maps the zero page at the
 * block's last PTE, if that PTE is none, and counts one injection used, so
 * the re-check under the lock fails and the fault retries a lower order.
 */
void fault_race_maybe_inject(struct vm_area_struct *vma, unsigned long start, unsigned int order);

/* Register the enabled files and /sys/kernel/mm/folio/ (after vfs_init). */
void thp_sysfs_init(void);

#endif
