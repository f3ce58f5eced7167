/*
 * vmscan.h - the LRU lists of anonymous folios and page reclaim
 * (mm/vmscan.c; docs/mm/reclaim.md).
 *
 * Every anonymous folio is on exactly one of four lists from the fault
 * that maps it (folio_add_lru) until the put that frees it
 * (folio_lru_release), except while reclaim has it isolated.  Linux's
 * lists and flags: PG_lru (on a list), PG_active (on the active one of its
 * pair), PG_referenced (accessed once since the last scan), PG_swapbacked
 * (clear: lazyfree, on the "file" pair, as Linux puts MADV_FREE'd folios:
 * foliOS has no page cache, so only lazyfree folios live there).
 */
#ifndef MM_VMSCAN_H
#define MM_VMSCAN_H

#include "kernel/list.h"
#include "kernel/spinlock.h"
#include "mm/folio.h"
#include "mm/gfp.h"

enum lru_list {
	LRU_INACTIVE_ANON,
	LRU_ACTIVE_ANON,
	LRU_INACTIVE_FILE,	/* lazyfree folios (Linux: file and lazyfree) */
	LRU_ACTIVE_FILE,
	NR_LRU_LISTS
};

#define LRU_ACTIVE	1	/* inactive + LRU_ACTIVE = the pair's active list */

/*
 * The lists (Linux's lruvec of the one node).  Lock legend: (l) lru_lock,
 * taken with interrupts off, inside the PTE-table lock (the fault adds and
 * zap frees under it) and never around an allocation or a free.
 */
struct lruvec {
	spinlock_t lru_lock;
	struct list_head lists[NR_LRU_LISTS];	/* (l) folio->lru, newest at the head */
	unsigned long nr_pages[NR_LRU_LISTS];	/* (l) pages of the folios on each list */
};

extern struct lruvec lruvec;

/* The list a folio on the LRU belongs on, from its flags. */
static inline enum lru_list folio_lru_list(const struct folio *folio)
{
	enum lru_list lru = folio_test_swapbacked(folio) ? LRU_INACTIVE_ANON : LRU_INACTIVE_FILE;

	return folio_test_active(folio) ? lru + LRU_ACTIVE : lru;
}

/*
 * Empty lists and shrinker list, /sys/kernel/mm/folio/reclaim registered
 * (the kernel's boot, after vfs_init; each host test).
 */
void vmscan_init(void);
/*
 * A fault just mapped the new anon folio: put it at the head of the
 * inactive anon list (one list_add).  It must not be on a list.
 */
void folio_add_lru(struct folio *folio);
/*
 * MADV_FREE made every PTE of the anon folio clean: make it lazyfree
 * (PG_swapbacked clear) and move it to the inactive file list, counting
 * pglazyfree (pages).  Nothing to do when it is lazyfree already, or off the
 * LRU (isolated by reclaim on another CPU: it stays as it was).  PTE-table lock held.
 */
void folio_mark_lazyfree(struct folio *folio);
/*
 * A split (mm/split.c) turns one folio into several: folio_isolate_lru()
 * takes the old one off its list first (PG_lru clear; true when it was on
 * one; no reference is taken, the splitter holds one), lru_add_split_folio()
 * then puts each new folio that stays (mapped) on the list its flags name,
 * which the split copied from the old folio, before its reference count is
 * published (lists' finders skip it until then: folio_try_get).  Folio locked.
 */
bool folio_isolate_lru(struct folio *folio);
/*
 * Linux's reclaim_pages (MADV_PAGEOUT): reclaim the isolated folios on the
 * list (each with a reference, PG_lru clear), their young bits ignored.
 * No swap: a clean lazyfree folio is freed (unless mapped in a VM_LOCKED
 * VMA), a dirty one becomes normal anon memory again, any other goes back
 * on its list as it was.  Returns the pages freed.  No locks held.
 */
unsigned long reclaim_pages(struct list_head *folios);
void lru_add_split_folio(struct folio *folio);
/*
 * The last reference to a folio on the LRU is gone (folio_put, before the
 * allocator takes it back): take it off its list.
 */
void folio_lru_release(struct folio *folio);

/* ---- reclaim ---- */

#define SWAP_CLUSTER_MAX	32UL	/* pages per isolation batch, and direct reclaim's goal */
#define DEF_PRIORITY		12	/* the first pass scans 1/4096 of a list, the last all of it */
#define MAX_RECLAIM_RETRIES	16	/* passes without progress before giving up */

/*
 * Direct reclaim (an allocation with __GFP_DIRECT_RECLAIM found the min
 * watermark reached, mm/page_alloc.c): free at least SWAP_CLUSTER_MAX pages
 * if it can, counting allocstall_normal, pgscan_direct and pgsteal_direct.
 * Returns the pages freed.  Process context, no spinlock held.
 */
unsigned long try_to_free_pages(gfp_t gfp, unsigned int order);

/*
 * Free frames fell below the low watermark (page_alloc.c): wake kswapd0,
 * unless its last MAX_RECLAIM_RETRIES runs freed nothing.  Any context.
 */
void wakeup_kswapd(void);
/*
 * kswapd's work: reclaim until free frames reach the high watermark (or a
 * whole run from DEF_PRIORITY to 0 is done), counting pageoutrun,
 * pgscan_kswapd and pgsteal_kswapd.  Returns the pages freed.
 */
unsigned long balance_pgdat(void);
/* Start kswapd0 (the boot context, after init's task exists: init keeps pid 1). */
void kswapd_run(void);

/*
 * Shrinkers: what reclaim frees after the LRU lists, as Linux's shrink_slab.
 * count_objects says how much the shrinker could free; scan_objects frees
 * from sc->nr_to_scan of it and returns the pages it freed (Linux counts
 * objects; here every object is memory).  vmscan_init registers the
 * deferred-split shrinker: it runs split.c's deferred_split_scan, which
 * splits the partially mapped folios of the queue, freeing their unmapped
 * pages, and the underused folios the fault queued, freeing their zero
 * pages (Linux's deferred_split_scan does both), so reclaim frees, in
 * order, clean lazyfree folios, then unmapped pieces and underused folios.
 */
struct shrink_control {
	unsigned long nr_to_scan;	/* in: how much to try */
};

struct shrinker {
	const char *name;
	unsigned long (*count_objects)(struct shrinker *s, struct shrink_control *sc);
	unsigned long (*scan_objects)(struct shrinker *s, struct shrink_control *sc);
	struct list_head list;		/* (c) on the shrinker list; registered after vmscan_init() */
};

/* Add s to what reclaim runs (after vmscan_init(), which empties the list). */
void shrinker_register(struct shrinker *s);

#endif
