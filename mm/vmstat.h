/*
 * vmstat.h - memory counters with Linux's names.
 *
 * Two families:
 *   - event counters of /proc/vmstat (pgfault, thp_fault_alloc, ...) and
 *     foliOS's per-order allocation counts (pgalloc_order_N); pgzero_idle
 *     and nr_free_zeroed are the allocator's (zone_normal), shown here too;
 *   - per-size mTHP counters of /sys/kernel/mm/transparent_hugepage/
 *     hugepages-<size>kB/stats/<name> (Linux's enum mthp_stat_item), one
 *     array per order 1..MTHP_MAX_ORDER.
 * Counters are plain unsigned longs: one CPU, updated with interrupts
 * enabled only from process context (the fault path, munmap, fork, exit).
 */
#ifndef MM_VMSTAT_H
#define MM_VMSTAT_H

#include "kernel/types.h"
#include <uapi/folios.h>	/* MTHP_MAX_ORDER: 9, 2 MiB with 4 KiB pages, one PTE table */

enum vm_event_item {
	PGFAULT,			/* page faults handled */
	PGALLOC_ANON,			/* anon folios allocated by faults (any order) */
	THP_FAULT_ALLOC,		/* PMD-order (2 MiB) anon folios allocated by faults */
	THP_FAULT_FALLBACK,		/* PMD-order allocations that failed */
	THP_COLLAPSE_ALLOC,		/* PMD-order folios allocated by MADV_COLLAPSE (mm/collapse.c) */
	THP_COLLAPSE_ALLOC_FAILED,	/* ... and its PMD-order allocations that failed */
	THP_SPLIT_PAGE,			/* large folios split */
	THP_SPLIT_PAGE_FAILED,
	THP_SPLIT_PMD,			/* PMD mappings split into PTEs (mm/huge_memory.c) */
	THP_DEFERRED_SPLIT_PAGE,	/* large folios queued for deferred split */
	THP_UNDERUSED_SPLIT_PAGE,	/* underused large folios split, zero pages freed (any order) */
	ALLOCSTALL_NORMAL,		/* direct reclaim runs (allocations that had to reclaim) */
	PGACTIVATE,			/* pages moved to an active list */
	PGDEACTIVATE,			/* pages moved to an inactive list */
	PGLAZYFREE,			/* pages marked lazyfree (MADV_FREE) */
	PGLAZYFREED,			/* lazyfree pages reclaimed without I/O */
	PGREFILL,			/* pages scanned on active lists */
	PGSTEAL_KSWAPD,			/* pages reclaimed by kswapd ... */
	PGSTEAL_DIRECT,			/* ... by direct reclaim ... */
	PGSTEAL_PROACTIVE,		/* ... and by /sys/kernel/mm/folio/reclaim */
	PGSCAN_KSWAPD,			/* pages scanned on inactive lists by kswapd ... */
	PGSCAN_DIRECT,			/* ... by direct reclaim ... */
	PGSCAN_PROACTIVE,		/* ... and by the reclaim knob */
	PAGEOUTRUN,			/* kswapd runs */
	OOM_KILL,			/* processes the OOM killer killed */
	COW_FAULT,			/* write faults on read-only PTEs of anon folios (foliOS) */
	COW_REUSE,			/* ... that reused the page instead of copying (foliOS) */
	COW_COPY_FOLIO,			/* ... that copied a whole large folio (cow_policy; foliOS) */
	PGZERO_PREZEROED,		/* pages of fresh anon folios that came pre-zeroed (foliOS) */
	PGZERO_FAULT,			/* pages of fresh anon folios the fault zeroed itself (foliOS) */
	CONTPTE_FOLD,			/* 16-PTE blocks given the arm64 contiguous bit (foliOS; 0 on x86_64) */
	CONTPTE_UNFOLD,			/* ... and taken out of it with the block still mapped (foliOS) */
	NR_TLB_LOCAL_FLUSH_ALL,		/* whole-mm / whole-TLB flushes, address-space switches included */
	NR_TLB_LOCAL_FLUSH_ONE,		/* single-page TLB flushes */
	NR_TLB_REMOTE_FLUSH,		/* TLB shootdowns sent to other CPUs (x86_64 IPIs) */
	NR_TLB_REMOTE_FLUSH_RECEIVED,	/* their IPIs handled here */
	ASID_ROLLOVER,			/* ASID / PCID generations started after the first (foliOS) */
	PGTABLE_WALK_TABLES,		/* PTE tables the user page-table walkers visited (foliOS) */
	ANON_RESERVE_ALLOC,		/* large folios allocated as reservations (reserve policy; foliOS) */
	ANON_RESERVE_FILL,		/* ... pages later faults mapped from one (foliOS) */
	ANON_RESERVE_PROMOTE,		/* ... reservations mapped whole at the policy's threshold (foliOS) */
	ANON_RESERVE_BREAK,		/* ... reservations broken: partial unmap or split (foliOS) */
	ANON_PROMOTE_COLLAPSE,		/* blocks the utilisation policy collapsed into one folio (foliOS) */
	ANON_PROMOTE_COLLAPSE_FAILED,	/* ... and collapses it asked for that failed (foliOS) */
	NR_VM_EVENT_ITEMS
};

enum mthp_stat_item {
	MTHP_STAT_ANON_FAULT_ALLOC,
	MTHP_STAT_ANON_FAULT_FALLBACK,
	MTHP_STAT_ANON_FAULT_FALLBACK_CHARGE,
	MTHP_STAT_SWPOUT,
	MTHP_STAT_SWPOUT_FALLBACK,
	MTHP_STAT_SHMEM_ALLOC,			/* shmem folios of this size allocated (order 0 only yet: 0) */
	MTHP_STAT_SHMEM_FALLBACK,
	MTHP_STAT_SHMEM_FALLBACK_CHARGE,
	MTHP_STAT_SPLIT,
	MTHP_STAT_SPLIT_FAILED,
	MTHP_STAT_SPLIT_DEFERRED,
	MTHP_STAT_NR_ANON,			/* anon folios of this order now allocated */
	MTHP_STAT_NR_ANON_PARTIALLY_MAPPED,	/* ... of which partially mapped */
	MTHP_STAT_COW_REUSE,			/* CoW faults that reused a folio of this size (foliOS) */
	MTHP_STAT_COW_COPY_FOLIO,		/* ... that copied one into a new folio of this size (foliOS) */
	MTHP_STAT_COW_COPY_FOLIO_FALLBACK,	/* ... that wanted to but could not allocate: one page (foliOS) */
	MTHP_STAT_COLLAPSE_ALLOC,		/* folios of this size allocated by MADV_COLLAPSE (foliOS) */
	MTHP_STAT_COLLAPSE_ALLOC_FAILED,	/* ... and allocations of this size it could not have (foliOS) */
	__MTHP_STAT_COUNT
};

extern unsigned long vm_events[NR_VM_EVENT_ITEMS];
extern unsigned long mthp_stats[MTHP_MAX_ORDER + 1][__MTHP_STAT_COUNT];
extern unsigned long pgalloc_order[MTHP_MAX_ORDER + 1];	/* anon folios allocated per order (0..9) */
extern unsigned long nr_anon_pages;			/* anon pages mapped now (Linux's NR_ANON_MAPPED) */

static inline void count_vm_event(enum vm_event_item item)
{
	vm_events[item]++;
}

static inline void count_vm_events(enum vm_event_item item, unsigned long n)
{
	vm_events[item] += n;
}

/* Per-size counters exist for orders 1..MTHP_MAX_ORDER; order 0 is ignored. */
static inline void count_mthp_stat(unsigned int order, enum mthp_stat_item item)
{
	if (order >= 1 && order <= MTHP_MAX_ORDER)
		mthp_stats[order][item]++;
}

static inline void mod_mthp_stat(unsigned int order, enum mthp_stat_item item, long delta)
{
	if (order >= 1 && order <= MTHP_MAX_ORDER)
		mthp_stats[order][item] += (unsigned long)delta;
}

/* Registers /proc/vmstat and the hugepages-<size>kB/stats files. */
void vmstat_init(void);

#endif
