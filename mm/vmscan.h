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

/* Empty lists (the kernel's boot and each host test). */
void vmscan_init(void);
/*
 * A fault just mapped the new anon folio: put it at the head of the
 * inactive anon list (one list_add).  It must not be on a list.
 */
void folio_add_lru(struct folio *folio);
/*
 * MADV_FREE made every PTE of the anon folio clean: make it lazyfree
 * (PG_swapbacked clear) and move it to the inactive file list, counting
 * pglazyfree (pages).  Nothing to do when it is lazyfree already.  PTE-table lock held.
 */
void folio_mark_lazyfree(struct folio *folio);
/*
 * The last reference to a folio on the LRU is gone (folio_put, before the
 * allocator takes it back): take it off its list.
 */
void folio_lru_release(struct folio *folio);

#endif
