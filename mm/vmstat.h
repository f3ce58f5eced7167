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
 *
 * Legend: how each counter stays right with several CPUs counting.
 *
 *   (c) per-CPU, summed when read (Linux's vm_event_states and mthp_stats):
 *       every event counter (enum vm_event_item), pgalloc_order_N, and every
 *       mTHP stat.  count_vm_event(s), count_pgalloc_order, count_mthp_stat
 *       and mod_mthp_stat add to this CPU's block only, with local_add
 *       (<asm/percpu.h>): one step no interrupt on this CPU can split (x86_64
 *       a single add to memory, arm64 an LDXR/STXR loop an exception restarts),
 *       so an interrupt handler that counts the same item on this CPU is
 *       never lost; no other CPU writes the block (the kernel is not
 *       preemptible: a task cannot move between smp_processor_id() and its
 *       add).  sum_vm_event, sum_pgalloc_order and sum_mthp_stat add up
 *       every possible CPU's word (aligned words, never torn): exact when
 *       nothing counts meanwhile, else some value the counter had or is
 *       about to have for each CPU.
 *   (g) gauges that go up and down, per-CPU deltas summed: the mTHP stats
 *       nr_anon and nr_anon_partially_mapped (mod_mthp_stat: a folio counted
 *       up on one CPU may be counted down on another, so one CPU's word may
 *       be "negative").  The sum is exact when nothing changes meanwhile; a
 *       sum read mid-update may be off by the changes in flight, and one that
 *       comes out negative reads as 0 (as Linux's global counters do).
 *   (a) gauges kept exact at every read as one atomic_long_t: nr_anon_pages
 *       (here), nr_anon_thps (mm/huge_mm.h) and nr_shmem_pages (mm/shmem.h),
 *       changed under different PTE-table / page-table locks of different mms.
 *   (l) under their own lock: the zone's free counts (nr_free_pages,
 *       nr_free_zeroed: the zone lock) and the LRU sizes nr_*_anon /
 *       nr_*_file (lru_lock); read without it as single words.
 */
#ifndef MM_VMSTAT_H
#define MM_VMSTAT_H

#include "kernel/atomic.h"
#include "kernel/smp.h"
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

/* One CPU's event counters (c): Linux's struct vm_event_state, and foliOS's pgalloc_order. */
struct vm_event_state {
	unsigned long event[NR_VM_EVENT_ITEMS];
	unsigned long pgalloc_order[MTHP_MAX_ORDER + 1];	/* anon folios allocated per order (0..9) */
} __aligned(64);

/* One CPU's mTHP counters (c, g): Linux's struct mthp_stat, rows 1..MTHP_MAX_ORDER used. */
struct mthp_stat {
	unsigned long stats[MTHP_MAX_ORDER + 1][__MTHP_STAT_COUNT];
} __aligned(64);

extern struct vm_event_state vm_event_states[NR_CPUS];
extern struct mthp_stat mthp_stats[NR_CPUS];
extern atomic_long_t nr_anon_pages;			/* (a) anon pages mapped now (Linux's NR_ANON_MAPPED) */

static inline void count_vm_events(enum vm_event_item item, unsigned long n)
{
	local_add(n, &vm_event_states[smp_processor_id()].event[item]);
}

static inline void count_vm_event(enum vm_event_item item)
{
	count_vm_events(item, 1);
}

/* An anon folio of this order (0..MTHP_MAX_ORDER) allocated: pgalloc_order_<order>. */
static inline void count_pgalloc_order(unsigned int order)
{
	local_add(1, &vm_event_states[smp_processor_id()].pgalloc_order[order]);
}

/* Per-size counters exist for orders 1..MTHP_MAX_ORDER; order 0 is ignored. */
static inline void mod_mthp_stat(unsigned int order, enum mthp_stat_item item, long delta)
{
	if (order >= 1 && order <= MTHP_MAX_ORDER)
		local_add((unsigned long)delta, &mthp_stats[smp_processor_id()].stats[order][item]);
}

static inline void count_mthp_stat(unsigned int order, enum mthp_stat_item item)
{
	mod_mthp_stat(order, item, 1);
}

/* The counters' values now: every possible CPU's share added up (the legend's (c) and (g)). */
unsigned long sum_vm_event(enum vm_event_item item);
unsigned long sum_pgalloc_order(unsigned int order);
unsigned long sum_mthp_stat(unsigned int order, enum mthp_stat_item item);

/* Registers /proc/vmstat and the hugepages-<size>kB/stats files. */
void vmstat_init(void);

#endif
