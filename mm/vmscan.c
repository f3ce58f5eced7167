/*
 * vmscan.c - page reclaim: the LRU lists of anonymous folios, lazyfree
 * folios, direct and proactive reclaim, and the shrinkers after them.
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
 *
 * Reclaim.  There is no swap yet, so anon folios cannot be reclaimed and
 * only the file pair (lazyfree folios) is scanned; the anon pair just keeps
 * its order for when swap comes.  A pass (shrink_node) scans a share of
 * each list, lru_size >> priority, from the tail (oldest) in batches of
 * SWAP_CLUSTER_MAX: the active list only while it is larger than the
 * inactive one (deactivating: pgrefill, pgdeactivate), then the inactive
 * one (pgscan_*); do_try_to_free_pages repeats passes from DEF_PRIORITY
 * down to 0 (the whole lists) until it has freed enough.  For each inactive
 * lazyfree folio (shrink_folio_list), one rmap walk (folio_referenced)
 * clears the young bits and notes whether any PTE is dirty:
 *   - dirty: written since MADV_FREE; the whole folio is normal anon memory
 *     again (PG_swapbacked), to the active anon list: its data is kept;
 *   - mapped in a VM_LOCKED VMA (mlock after MADV_FREE): kept the same way,
 *     never freed (Linux moves it to the unevictable list; foliOS has none,
 *     and without swap a swapbacked folio is never reclaimed);
 *   - referenced (a young PTE): Linux's folio_check_references: kept on the
 *     inactive list with PG_referenced, or activated when it was referenced
 *     before too or through more than one VMA (pgactivate);
 *   - otherwise clean and idle: when no one but its PTEs and reclaim hold a
 *     reference, unmapped everywhere (try_to_unmap) and freed: pglazyfreed,
 *     pgsteal_*.  Later reads map the zero page.
 * One CPU: no user code runs between the walk that finds a folio clean and
 * the unmap, so no write can slip in between (SMP will have to check the
 * dirty bits it clears, as Linux's try_to_unmap_one does).  After the lists,
 * the shrinkers run (shrink_slab): the deferred-split shrinker splits the
 * partially mapped folios of split.c's queue, which frees their unmapped
 * pages.  So reclaim frees, in order, clean lazyfree folios, then unmapped
 * pieces; underused folios will join the deferred-split scan, as in Linux.
 *
 * Who reclaims: kswapd0, a kernel thread woken when user memory takes free
 * frames below the low watermark (page_alloc.c's slow path:
 * wakeup_kswapd), which reclaims until they reach the high one
 * (balance_pgdat; after MAX_RECLAIM_RETRIES runs that freed nothing it is
 * not woken again until some reclaim frees something, as Linux's
 * kswapd_failures); an allocation that may reclaim (direct reclaim,
 * try_to_free_pages, below the min watermark); and a write to
 * /sys/kernel/mm/folio/reclaim (proactive: N pages or "all"; Linux's
 * memory.reclaim).  The counters name who: pgscan_kswapd / pgsteal_kswapd
 * (and pageoutrun), _direct (and allocstall_normal), _proactive.
 */
#include "mm/vmscan.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/vfs.h"
#include "mm/anon_order.h"
#include "mm/page_alloc.h"
#include "mm/debug_vm.h"
#include "mm/huge_mm.h"
#include "mm/overcommit.h"
#include "mm/pgtable.h"
#include "mm/rmap.h"
#include "mm/split.h"
#include "mm/thp_sysfs.h"
#include "mm/vmstat.h"
#include <uapi/errno.h>

struct lruvec lruvec;
static LIST_HEAD(shrinker_list);	/* (c) struct shrinker.list */
/* kswapd_wanted's lock: kswapd checks it and sleeps under it (sleep_on_locked), as any CPU may wake it. */
static spinlock_t kswapd_lock = SPINLOCK_INIT("kswapd_lock");
bool kswapd_wanted;			/* (kswapd_lock) woken, not yet run; the kswapd wait channel */
static unsigned int kswapd_failures;	/* kswapd runs in a row that freed nothing */

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

/* Put folio (not on a list) at the head of the list its flags name. */
static void lru_add(struct folio *folio)
{
	spin_lock(&lruvec.lru_lock);
	folio_set_lru(folio);
	lruvec_add_folio(folio);
	spin_unlock(&lruvec.lru_lock);
}

void folio_add_lru(struct folio *folio)
{
	VM_BUG_ON_FOLIO(folio_test_lru(folio) || folio_test_active(folio) ||
			!folio_test_swapbacked(folio), folio);
	lru_add(folio);
}

/* Linux's lazyfree_fn: off its list, inactive, unreferenced, !swapbacked, onto the inactive file list. */
void folio_mark_lazyfree(struct folio *folio)
{
	VM_BUG_ON_FOLIO(!folio_test_anon(folio), folio);
	spin_lock(&lruvec.lru_lock);
	/*
	 * Tested under the lock, as Linux's lru_lazyfree: another mm's MADV_FREE
	 * of the shared folio may have moved it already, reclaim (another CPU's
	 * kswapd, the reclaim knob) may hold it isolated.
	 */
	if (!folio_test_swapbacked(folio) || !folio_test_lru(folio)) {
		spin_unlock(&lruvec.lru_lock);
		return;
	}
	lruvec_del_folio(folio);
	folio_clear_active(folio);
	folio_clear_referenced(folio);
	folio_clear_swapbacked(folio);
	lruvec_add_folio(folio);
	spin_unlock(&lruvec.lru_lock);
	count_vm_events(PGLAZYFREE, folio_nr_pages(folio));
}

bool folio_isolate_lru(struct folio *folio)
{
	VM_BUG_ON_FOLIO(!folio_test_locked(folio), folio);
	spin_lock(&lruvec.lru_lock);
	if (!folio_test_lru(folio)) {	/* tested under the lock: reclaim may isolate it meanwhile */
		spin_unlock(&lruvec.lru_lock);
		return false;
	}
	lruvec_del_folio(folio);
	folio_clear_lru(folio);
	spin_unlock(&lruvec.lru_lock);
	return true;
}

void lru_add_split_folio(struct folio *folio)
{
	VM_BUG_ON_FOLIO(folio_test_lru(folio) || !folio_mapped(folio), folio);	/* count: not yet published */
	lru_add(folio);
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

/* ---- isolating and putting back ---- */

/* Who is reclaiming: the offset of its pgscan_* / pgsteal_* counters (Linux's reclaimer_offset). */
enum reclaimer {
	RECLAIMER_KSWAPD,
	RECLAIMER_DIRECT,
	RECLAIMER_PROACTIVE,
};

struct scan_control {
	unsigned long nr_to_reclaim;	/* stop once this many pages are freed */
	unsigned long nr_reclaimed;	/* pages freed so far */
	int priority;			/* scan lru_size >> priority per pass */
	enum reclaimer reclaimer;
	bool ignore_references;		/* young PTEs do not keep a folio (MADV_PAGEOUT) */
};

/*
 * Take folios from the tail of list lru, at least one and until nr_to_scan
 * pages, onto dst: each with a reference and PG_lru clear (isolated).
 * Returns the pages taken (none when only dying folios were found).  A
 * folio whose last reference another CPU is dropping (refcount 0:
 * folio_lru_release waits for lru_lock to take it off) is not taken:
 * folio_try_get fails and it moves to the list's head, out of this scan's
 * way, as Linux's isolate_lru_folios does.
 */
static unsigned long isolate_lru_folios(enum lru_list lru, unsigned long nr_to_scan,
					struct list_head *dst)
{
	struct list_head *src = &lruvec.lists[lru];
	unsigned long nr = 0, skipped = 0;

	spin_lock(&lruvec.lru_lock);
	while (nr < nr_to_scan && !list_empty(src)) {
		struct folio *folio = list_entry(src->prev, struct folio, lru);

		if (!folio_try_get(folio)) {
			if (++skipped > nr_to_scan)
				break;		/* all dying: their releasers wait for this lock */
			list_del_init(&folio->lru);
			list_add(&folio->lru, src);
			continue;
		}
		lruvec_del_folio(folio);
		folio_clear_lru(folio);
		list_add(&folio->lru, dst);
		nr += folio_nr_pages(folio);
	}
	spin_unlock(&lruvec.lru_lock);
	return nr;
}

/* Put isolated folios back on the lists their flags name now and drop the isolation references. */
static void move_folios_to_lru(struct list_head *folios)
{
	while (!list_empty(folios)) {
		struct folio *folio = list_first_entry(folios, struct folio, lru);

		list_del_init(&folio->lru);
		lru_add(folio);
		folio_put(folio);	/* frees it, off its list, when that was the last reference */
	}
}

/* ---- references ---- */

struct folio_referenced_arg {
	unsigned int referenced;	/* VMAs in which a PTE was young */
	struct vm_area_struct *last;	/* the VMA last counted */
	bool dirty;			/* a PTE is dirty */
	bool mlocked;			/* a mapping VMA is VM_LOCKED */
};

static void folio_referenced_one(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep,
				 struct page *page, void *arg)
{
	struct folio_referenced_arg *ra = arg;

	(void)page;
	ra->dirty |= pte_dirty(ptep_get(ptep));
	ra->mlocked |= (vma->vm_flags & VM_LOCKED) != 0;
	if (ptep_clear_flush_young(vma->vm_mm, addr, ptep) && ra->last != vma) {
		ra->referenced++;
		ra->last = vma;
	}
}

/* The same for a PMD mapping (page_table_lock held). */
static void folio_referenced_pmd(struct vm_area_struct *vma, unsigned long addr, pmd_t *pmdp,
				 void *arg)
{
	struct folio_referenced_arg *ra = arg;

	ra->dirty |= pmd_dirty(pmdp_get(pmdp));
	ra->mlocked |= (vma->vm_flags & VM_LOCKED) != 0;
	if (pmdp_clear_flush_young(vma->vm_mm, addr, pmdp) && ra->last != vma) {
		ra->referenced++;
		ra->last = vma;
	}
}

/*
 * Test and clear the young bit of every PTE and PMD mapping folio (rmap_walk):
 * returns in how many VMAs one was young, as Linux's folio_referenced; and
 * whether one is dirty or mapped in a VM_LOCKED VMA (*keep: its data must stay).
 */
static unsigned int folio_referenced(struct folio *folio, bool *keep)
{
	struct folio_referenced_arg ra = { 0 };

	rmap_walk(folio, folio_referenced_one, &ra);
	rmap_walk_pmd(folio, folio_referenced_pmd, &ra);
	*keep = ra.dirty || ra.mlocked;
	return ra.referenced;
}

enum folio_references {
	FOLIOREF_RECLAIM,
	FOLIOREF_KEEP,
	FOLIOREF_ACTIVATE,
};

/* Linux's folio_check_references for an inactive folio with referenced_ptes young mappings. */
static enum folio_references folio_check_references(struct folio *folio, unsigned int referenced_ptes)
{
	bool referenced_folio = folio_test_referenced(folio);

	folio_clear_referenced(folio);
	if (!referenced_ptes)
		return FOLIOREF_RECLAIM;
	folio_set_referenced(folio);
	return referenced_folio || referenced_ptes > 1 ? FOLIOREF_ACTIVATE : FOLIOREF_KEEP;
}

/* ---- shrinking the lists ---- */

/*
 * Decide the isolated, locked lazyfree folio (the essay above): true when
 * it was freed (unlocked, the isolation reference dropped), false when it
 * stays, its flags saying on which list.  The order policy hears the
 * decision (policy.h's reclaim hook) before anything changes, unless the
 * folio is pinned or held (nothing decided).
 */
static bool shrink_lazyfree_folio(struct folio *folio, struct scan_control *sc)
{
	unsigned long nr = folio_nr_pages(folio);
	bool keep;
	unsigned int referenced = folio_referenced(folio, &keep);
	enum folio_references ref;

	VM_BUG_ON_FOLIO(!folio_test_lazyfree(folio) || folio_test_active(folio), folio);
	if (keep) {
		folio_set_swapbacked(folio);	/* written since MADV_FREE, or mlocked: anon again */
		ref = FOLIOREF_ACTIVATE;
	} else {
		ref = sc->ignore_references ? FOLIOREF_RECLAIM : folio_check_references(folio, referenced);
	}
	if (ref == FOLIOREF_RECLAIM &&
	    (folio_maybe_dma_pinned(folio) || folio_ref_count(folio) != 1 + folio_mapcount(folio)))
		return false;	/* pinned (vmsplice), or held (a CoW fault copying from it) */
	if (anon_order_wants_reclaim_feedback())
		anon_order_note_reclaim(folio, ref == FOLIOREF_RECLAIM ? RECLAIM_FREED : RECLAIM_REFERENCED);
	switch (ref) {
	case FOLIOREF_ACTIVATE:
		folio_set_active(folio);
		count_vm_events(PGACTIVATE, nr);
		return false;
	case FOLIOREF_KEEP:
		return false;
	case FOLIOREF_RECLAIM:
		break;
	}
	if (!try_to_unmap(folio)) {	/* written by another CPU after folio_referenced looked */
		folio_set_swapbacked(folio);
		folio_set_active(folio);
		count_vm_events(PGACTIVATE, nr);
		return false;
	}
	/*
	 * Unmapped now, and off every list but the deferred-split queue.  Our
	 * reference is the last one but for a finder that took one before the
	 * unmap and is about to drop it (MADV_FREE or MADV_PAGEOUT on another
	 * CPU: folio_get under the PTE lock, then a failed trylock) or the
	 * deferred-split scan (folio_try_get): its put frees the folio then.
	 */
	VM_BUG_ON_FOLIO(folio_mapped(folio), folio);
	folio_unlock(folio);
	folio_put(folio);
	count_vm_events(PGLAZYFREED, nr);
	sc->nr_reclaimed += nr;
	return true;
}

/* Reclaim what can go of the isolated folios; the rest goes back on the lists. */
static void shrink_folio_list(struct list_head *folios, struct scan_control *sc)
{
	LIST_HEAD(keep);

	while (!list_empty(folios)) {
		struct folio *folio = list_first_entry(folios, struct folio, lru);

		list_del_init(&folio->lru);
		if (folio_trylock(folio)) {
			if (shrink_lazyfree_folio(folio, sc))
				continue;
			folio_unlock(folio);
		}
		list_add(&folio->lru, &keep);
	}
	move_folios_to_lru(&keep);
}

unsigned long reclaim_pages(struct list_head *folios)
{
	struct scan_control sc = { .nr_to_reclaim = ~0UL, .ignore_references = true };
	LIST_HEAD(lazyfree);
	LIST_HEAD(keep);

	while (!list_empty(folios)) {
		struct folio *folio = list_first_entry(folios, struct folio, lru);

		VM_BUG_ON_FOLIO(folio_test_lru(folio), folio);
		/* Without swap only lazyfree folios can go (Linux: add_to_swap fails). */
		list_del_init(&folio->lru);
		if (folio_test_swapbacked(folio)) {
			list_add(&folio->lru, &keep);
		} else {
			folio_clear_active(folio);
			list_add(&folio->lru, &lazyfree);
		}
	}
	shrink_folio_list(&lazyfree, &sc);
	move_folios_to_lru(&keep);
	return sc.nr_reclaimed;
}

static void shrink_inactive_list(unsigned long nr_to_scan, enum lru_list lru, struct scan_control *sc)
{
	LIST_HEAD(folios);
	unsigned long before = sc->nr_reclaimed;

	count_vm_events(PGSCAN_KSWAPD + sc->reclaimer, isolate_lru_folios(lru, nr_to_scan, &folios));
	shrink_folio_list(&folios, sc);
	count_vm_events(PGSTEAL_KSWAPD + sc->reclaimer, sc->nr_reclaimed - before);
}

/*
 * Age the active list: its oldest folios have their young bits cleared and
 * go to the inactive list (Linux keeps only referenced executable file
 * folios active, and foliOS has none).
 */
static void shrink_active_list(unsigned long nr_to_scan, enum lru_list lru)
{
	LIST_HEAD(folios);
	unsigned long nr = isolate_lru_folios(lru, nr_to_scan, &folios);
	struct list_head *pos;

	count_vm_events(PGREFILL, nr);
	list_for_each(pos, &folios) {
		struct folio *folio = list_entry(pos, struct folio, lru);
		bool dirty;

		folio_referenced(folio, &dirty);
		folio_clear_active(folio);
	}
	count_vm_events(PGDEACTIVATE, nr);
	move_folios_to_lru(&folios);
}

/* Linux's inactive_is_low with the inactive ratio of an LRU below 1 GiB: 1. */
static bool inactive_is_low(enum lru_list inactive)
{
	return lruvec.nr_pages[inactive] < lruvec.nr_pages[inactive + LRU_ACTIVE];
}

/* One pass over the lazyfree (file) pair at sc->priority. */
static void shrink_lruvec(struct scan_control *sc)
{
	const enum lru_list inactive = LRU_INACTIVE_FILE, active = LRU_ACTIVE_FILE;
	unsigned long nr_inactive = lruvec.nr_pages[inactive] >> sc->priority;
	unsigned long nr_active = lruvec.nr_pages[active] >> sc->priority;

	while ((nr_inactive || nr_active) && sc->nr_reclaimed < sc->nr_to_reclaim) {
		unsigned long n = min(nr_active, SWAP_CLUSTER_MAX);

		nr_active -= n;
		if (n && inactive_is_low(inactive))
			shrink_active_list(n, active);
		n = min(nr_inactive, SWAP_CLUSTER_MAX);
		nr_inactive -= n;
		if (n)
			shrink_inactive_list(n, inactive, sc);
	}
}

/* Run the shrinkers: from each, what it could free >> priority.  Returns the pages freed. */
static unsigned long shrink_slab(int priority)
{
	unsigned long freed = 0;
	struct list_head *pos;

	list_for_each(pos, &shrinker_list) {
		struct shrinker *s = list_entry(pos, struct shrinker, list);
		struct shrink_control sc = { 0 };

		sc.nr_to_scan = s->count_objects(s, &sc) >> priority;
		if (sc.nr_to_scan)
			freed += s->scan_objects(s, &sc);
	}
	return freed;
}

static void shrink_node(struct scan_control *sc)
{
	unsigned long before = sc->nr_reclaimed;

	shrink_lruvec(sc);
	sc->nr_reclaimed += shrink_slab(sc->priority);
	if (sc->nr_reclaimed > before)
		kswapd_failures = 0;	/* there is something to reclaim again */
}

/* Passes from DEF_PRIORITY down to 0 until sc->nr_to_reclaim pages are free.  Returns the pages freed. */
static unsigned long do_try_to_free_pages(struct scan_control *sc)
{
	for (sc->priority = DEF_PRIORITY; sc->priority >= 0; sc->priority--) {
		shrink_node(sc);
		if (sc->nr_reclaimed >= sc->nr_to_reclaim)
			break;
	}
	return sc->nr_reclaimed;
}

unsigned long try_to_free_pages(gfp_t gfp, unsigned int order)
{
	struct scan_control sc = { .nr_to_reclaim = SWAP_CLUSTER_MAX, .reclaimer = RECLAIMER_DIRECT };

	(void)gfp;
	(void)order;
	count_vm_event(ALLOCSTALL_NORMAL);
	return do_try_to_free_pages(&sc);
}

/* ---- kswapd ---- */

void wakeup_kswapd(void)
{
	if (kswapd_failures >= MAX_RECLAIM_RETRIES)
		return;		/* hopeless until some reclaim succeeds: leave it to direct reclaim */
	spin_lock(&kswapd_lock);
	kswapd_wanted = true;
	spin_unlock(&kswapd_lock);
	wake_up(&kswapd_wanted);
}

unsigned long balance_pgdat(void)
{
	struct scan_control sc = { .reclaimer = RECLAIMER_KSWAPD };
	unsigned long high = high_wmark_pages(&zone_normal);

	count_vm_event(PAGEOUTRUN);
	for (sc.priority = DEF_PRIORITY; sc.priority >= 0 && nr_free_pages() < high; sc.priority--) {
		sc.nr_to_reclaim = sc.nr_reclaimed + max(high - nr_free_pages(), SWAP_CLUSTER_MAX);
		shrink_node(&sc);
	}
	if (!sc.nr_reclaimed && nr_free_pages() < high)
		kswapd_failures++;
	return sc.nr_reclaimed;
}

/* The thread: sleep until woken, balance, again. */
static void kswapd(void)
{
	arch_local_irq_enable();
	for (;;) {
		unsigned long flags = arch_local_irq_save();

		spin_lock(&kswapd_lock);
		while (!kswapd_wanted)
			sleep_on_locked(&kswapd_wanted, 0, &kswapd_lock);
		kswapd_wanted = false;
		spin_unlock(&kswapd_lock);
		arch_local_irq_restore(flags);
		balance_pgdat();
	}
}

void kswapd_run(void)
{
	if (!kthread_run(kswapd, "kswapd0"))
		pr_err("Failed to start kswapd\n");
}

void shrinker_register(struct shrinker *s)
{
	list_add_tail(&s->list, &shrinker_list);
}

/*
 * The deferred-split shrinker (Linux's "thp-deferred_split"): split.c's
 * scan splits queued, partially mapped folios so that their unmapped pages
 * go back to the buddy allocator.  Returns those pages (on one CPU nothing
 * else frees meanwhile).
 */
static unsigned long deferred_split_shrink_count(struct shrinker *s, struct shrink_control *sc)
{
	(void)s;
	(void)sc;
	return deferred_split_count();
}

static unsigned long deferred_split_shrink_scan(struct shrinker *s, struct shrink_control *sc)
{
	unsigned long free = nr_free_pages();

	(void)s;
	deferred_split_scan(sc->nr_to_scan);
	return nr_free_pages() - free;
}

static struct shrinker deferred_split_shrinker = {
	.name = "thp-deferred_split",
	.count_objects = deferred_split_shrink_count,
	.scan_objects = deferred_split_shrink_scan,
};

/* ---- /sys/kernel/mm/folio/reclaim: proactive reclaim (Linux's memory.reclaim) ---- */

static struct {
	bool all;		/* the last request was "all" */
	unsigned long requested, reclaimed;
} last_proactive;

/*
 * Free up to nr_pages pages, as Linux's memory.reclaim: passes until done
 * or MAX_RECLAIM_RETRIES passes (in all) freed nothing.  Returns the pages freed.
 */
static unsigned long proactive_reclaim(unsigned long nr_pages)
{
	unsigned long reclaimed = 0;
	int retries = MAX_RECLAIM_RETRIES;

	while (reclaimed < nr_pages) {
		struct scan_control sc = { .nr_to_reclaim = max(nr_pages - reclaimed, SWAP_CLUSTER_MAX),
					   .reclaimer = RECLAIMER_PROACTIVE };
		unsigned long got = do_try_to_free_pages(&sc);

		if (!got && !retries--)
			break;
		reclaimed += got;
	}
	return reclaimed;
}

static long reclaim_show(char *buf, size_t len)
{
	char requested[24];

	snprintf(requested, sizeof(requested), last_proactive.all ? "all" : "%lu",
		 last_proactive.requested);
	return snprintf(buf, len, "requested %s\nreclaimed %lu\n", requested, last_proactive.reclaimed);
}

/*
 * "all" (everything reclaimable) or a decimal count of pages, a trailing
 * newline allowed.  Returns len, -EAGAIN when fewer than N pages could be
 * freed (Linux's memory.reclaim), -EINVAL for anything else.
 */
static long reclaim_store(const char *buf, size_t len)
{
	size_t n = len && buf[len - 1] == '\n' ? len - 1 : len;
	unsigned long pages = 0;
	bool all = n == 3 && !strncmp(buf, "all", 3);

	if (!all) {
		if (!n || n > 19)
			return -EINVAL;
		for (size_t i = 0; i < n; i++) {
			if (buf[i] < '0' || buf[i] > '9')
				return -EINVAL;
			pages = pages * 10 + (unsigned long)(buf[i] - '0');
		}
	}
	last_proactive.all = all;
	last_proactive.requested = pages;
	last_proactive.reclaimed = proactive_reclaim(all ? ~0UL : pages);
	return all || last_proactive.reclaimed >= pages ? (long)len : -EAGAIN;
}

/*
 * /proc/sys/vm/drop_caches: Linux's values 1 (page cache), 2 (slab), 3
 * (both), 4 (quiet) are accepted (proc_dointvec_minmax 1..4) and the last
 * one is read back; foliOS has no page cache and no reclaimable slab, so
 * there is nothing to drop.
 */
static int sysctl_drop_caches;

static long drop_caches_show(char *buf, size_t len)
{
	return snprintf(buf, len, "%d\n", sysctl_drop_caches);
}

static long drop_caches_store(const char *buf, size_t len)
{
	return sysctl_int_store(buf, len, 1, 4, &sysctl_drop_caches);
}

void vmscan_init(void)
{
	spin_lock_init(&lruvec.lru_lock, "lru_lock");
	for (int lru = 0; lru < NR_LRU_LISTS; lru++) {
		INIT_LIST_HEAD(&lruvec.lists[lru]);
		lruvec.nr_pages[lru] = 0;
	}
	INIT_LIST_HEAD(&shrinker_list);
	shrinker_register(&deferred_split_shrinker);
	kswapd_wanted = false;
	kswapd_failures = 0;
	last_proactive.all = false;
	last_proactive.requested = last_proactive.reclaimed = 0;
	pseudo_file_register(FOLIO_SYSFS_DIR "/reclaim", reclaim_show, reclaim_store);
	pseudo_file_register("/proc/sys/vm/drop_caches", drop_caches_show, drop_caches_store);
}
