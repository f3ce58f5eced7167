/*
 * vmscan.c - the LRU lists of anonymous folios.
 *
 * The lists.  Linux's four evictable lists of one lruvec: inactive and
 * active anon, inactive and active "file".  A new anon folio goes on the
 * head of the inactive anon list when the fault maps it (folio_add_lru:
 * one list_add under lru_lock, nothing else on the fault path) and leaves
 * its list when its last reference goes (folio_lru_release, called by
 * folio_put).  The flags say where a folio is: PG_lru set while it is on a
 * list, PG_swapbacked clear for lazyfree folios (the file pair),
 * PG_active for the active list of the pair; nr_pages counts the pages on
 * each list.  A folio is on exactly one list, the one folio_lru_list()
 * names, or on none while reclaim holds it isolated (PG_lru clear).
 *
 * Lazyfree.  MADV_FREE (mm/madvise.c) makes every PTE of a folio it covers
 * whole clean and old, then folio_mark_lazyfree() moves the folio, whatever
 * its size, to the inactive file list with PG_swapbacked clear: Linux's
 * lazyfree_fn.  A write afterwards dirties a PTE again (the MMU, or the
 * write fault where the MMU does not keep the dirty state: asm/pgtable.h).
 */
#include "mm/vmscan.h"
#include "mm/debug_vm.h"
#include "mm/vmstat.h"

struct lruvec lruvec;

void vmscan_init(void)
{
	spin_lock_init(&lruvec.lru_lock, "lru_lock");
	for (int lru = 0; lru < NR_LRU_LISTS; lru++) {
		INIT_LIST_HEAD(&lruvec.lists[lru]);
		lruvec.nr_pages[lru] = 0;
	}
}

/* Add folio at the head of the list its flags name.  lru_lock held. */
static void lruvec_add_folio(struct folio *folio)
{
	enum lru_list lru = folio_lru_list(folio);

	assert_spin_locked(&lruvec.lru_lock);
	list_add(&folio->lru, &lruvec.lists[lru]);
	lruvec.nr_pages[lru] += folio_nr_pages(folio);
}

/* Take folio off the list its flags name.  lru_lock held. */
static void lruvec_del_folio(struct folio *folio)
{
	enum lru_list lru = folio_lru_list(folio);

	assert_spin_locked(&lruvec.lru_lock);
	VM_BUG_ON_FOLIO(lruvec.nr_pages[lru] < folio_nr_pages(folio), folio);
	list_del_init(&folio->lru);
	lruvec.nr_pages[lru] -= folio_nr_pages(folio);
}

void folio_add_lru(struct folio *folio)
{
	VM_BUG_ON_FOLIO(folio_test_lru(folio) || folio_test_active(folio) ||
			!folio_test_swapbacked(folio), folio);
	spin_lock(&lruvec.lru_lock);
	folio_set_lru(folio);
	lruvec_add_folio(folio);
	spin_unlock(&lruvec.lru_lock);
}

/* Linux's lazyfree_fn: off its list, inactive, unreferenced, !swapbacked, onto the inactive file list. */
void folio_mark_lazyfree(struct folio *folio)
{
	if (!folio_test_swapbacked(folio))
		return;
	VM_BUG_ON_FOLIO(!folio_test_anon(folio) || !folio_test_lru(folio), folio);
	spin_lock(&lruvec.lru_lock);
	lruvec_del_folio(folio);
	folio_clear_active(folio);
	folio_clear_referenced(folio);
	folio_clear_swapbacked(folio);
	lruvec_add_folio(folio);
	spin_unlock(&lruvec.lru_lock);
	count_vm_events(PGLAZYFREE, folio_nr_pages(folio));
}

void folio_lru_release(struct folio *folio)
{
	VM_BUG_ON_FOLIO(!folio_test_lru(folio) || folio_ref_count(folio), folio);
	spin_lock(&lruvec.lru_lock);
	lruvec_del_folio(folio);
	folio_clear_lru(folio);
	folio_clear_active(folio);
	spin_unlock(&lruvec.lru_lock);
}
