/*
 * split.c - splitting anonymous large folios, and the deferred-split queue.
 *
 * A split turns one allocated order-N block, seen as one folio, into
 * several folios over the same frames: naturally aligned sub-blocks that
 * tile it.  Nothing moves.  The frames, their contents and every PTE that
 * maps them stay exactly as they are (a PTE names a PFN, not a folio);
 * only the metadata in the struct pages changes, so a split needs no TLB
 * flush.  This is what Linux's __folio_split() does after it has unmapped
 * the folio; foliOS does not unmap, because its per-page _mapcount already
 * tells each new folio how it is mapped.  What it needs instead is that
 * nothing maps, unmaps or references the folio while its metadata is
 * rewritten, with PTEs still mapping it on other CPUs: see "Freezing".
 *
 * The algorithm (docs/mm/split.md has the pictures):
 *
 *   1. Shape.  Which sub-blocks become folios is decided by halving: the
 *      whole block is kept if the shape does not ask to halve it, else
 *      each half is decided the same way.  A shape is a predicate on
 *      (offset, order):
 *        - a range [start, end) with new_order: halve blocks larger than
 *          new_order that overlap the range.  Uniform split
 *          (split_folio_to_order) is the range "the whole folio"; Linux
 *          6.15's non-uniform folio_split() is a range of one page;
 *        - boundary [start, end) (folio_split_boundary): halve blocks that
 *          hold pages both inside and outside the range, so the pieces
 *          inside stay as large as the ones outside;
 *        - unmapped (folio_split_unmapped): halve blocks that hold both
 *          mapped and unmapped pages.
 *      Walking the offsets in order, the piece starting at `off` is the
 *      largest block starting there (order ctz(off)) halved while the
 *      predicate says so: that is exactly the recursive halving, without
 *      recursion or a plan to store.
 *   2. Check.  The folio lock is held; every reference must be a PTE's
 *      but the caller's one (refcount == mapcount + 1) and the folio must
 *      not be pinned, else -EBUSY with nothing changed.
 *   3. Split its PMD mappings into PTEs (mm/huge_memory.c: no count
 *      changes), freeze it (below; -EBUSY when that finds another
 *      reference after all), and unqueue it from the deferred-split queue.
 *   4. Rewrite, piece by piece: head flags (the folio's inherited flags
 *      plus the head page's own PG_anon_exclusive; PG_head for order >= 1;
 *      no PG_partially_mapped), mapping, index + offset, an empty lru, the
 *      order in the piece's page[1], compound_head of its tails; per-page
 *      _mapcount and PG_anon_exclusive are kept; _large_mapcount and
 *      _nr_pages_mapped are recomputed from the pages.  Then each piece
 *      is published, the old head's last: refcount = the piece's mapcount
 *      (one reference per PTE), plus the caller's reference for the piece
 *      holding the old head page, or the split's own for the others.
 *   5. Finish: before the publication, pieces that are partially mapped
 *      are queued again, and when the folio was on an LRU list (it leaves
 *      it before the rewrite) every piece that stays goes on the same list
 *      (Linux's lru_add_split_folio); after it, DEBUG_VM checks rmap_walk()
 *      against each piece's mapcount, and every piece but the caller's is
 *      unlocked and loses the split's reference, which frees the ones no
 *      PTE maps: that is how a split gives memory back.
 *
 * Freezing.  The folio lock keeps other splits, reclaim and collapse
 * away, but not the paths that work under a PTE lock alone: a zap or a
 * CoW fault in another mm, fork, GUP, a reservation filling in.  The RFC's
 * bug is one of them: MADV_FREE splits an order-1 folio while another CPU
 * CoW-faults it, takes its reference on the old head and drops it on the
 * new piece.  So a split begins by adding FOLIO_REF_SPLITTING to the
 * count (mm/folio.h): from then on page_folio_mapped() and folio_try_get()
 * refuse the folio, and those paths drop their lock, wait and retry.  A
 * path that looked before that and is still inside its PTE-lock section
 * may be changing the mapcounts, so the split then takes and drops every
 * page-table lock at the folio's addresses in every mm that may map it
 * (rmap_sync_page_table_locks, as the PTE locks Linux's unmap takes).
 * After that nothing can change the counts but a holder dropping its
 * reference, and refcount == FOLIO_REF_SPLITTING + mapcount + 1 proves
 * there is no other holder, now or later, so the rewrite is alone; else
 * the mark comes off and the split fails with -EBUSY, nothing changed.
 * The pieces' counts stay 0 (tails have none) and the old head's stays
 * marked until each piece is complete: a finder that read the old head
 * sees either the mark or, after it, a page_folio() that moved.
 *
 * Order 1 is safe: a piece of order 1 keeps all its folio-wide fields,
 * the deferred-split link included, in its own page[1] (docs/mm/folio.md),
 * so queueing it writes nothing outside its two struct pages.
 *
 * Underused folios (below, "underused folios") are split the same way after
 * their zero pages have been remapped to the zero page.
 *
 * Locks: the folio lock (the caller's), then the anon_vma lock and the
 * page-table locks inside rmap walks (the freeze's, DEBUG_VM's, and the
 * zero-page remap of an underused folio), split_queue_lock around queue
 * changes, lru_lock around list changes; the buddy lock when a piece is
 * freed.  Order: kernel/spinlock.h.
 */
#include "mm/split.h"
#include "kernel/sched.h"
#include "mm/anon_order.h"
#include "mm/anon_reserve.h"
#include "mm/huge_mm.h"
#include "mm/foliotrace.h"
#include "mm/pgtable.h"
#include "mm/rmap.h"
#include "mm/vma.h"
#include "mm/vmscan.h"
#include "mm/vmstat.h"
#include <uapi/errno.h>

/* ---- the deferred-split queue ---- */

/*
 * Split candidates, oldest first, linked through folio->_deferred_list:
 * partially mapped large folios (PG_partially_mapped), and, as in Linux
 * 6.12, fresh folios of order >= UNDERUSED_MIN_ORDER queued by the fault
 * while the underused shrinker can split something (thp_underused_active):
 * the scan splits those when they turn out mostly zero (thp_underused) and
 * drops them from the queue when they do not.  Queued <=> the list link is
 * not empty.
 */
static struct deferred_split {
	spinlock_t split_queue_lock;
	struct list_head split_queue;	/* (q) */
	unsigned long split_queue_len;	/* (q) */
} deferred_split_queue = {
	.split_queue_lock = SPINLOCK_INIT("split_queue_lock"),
	.split_queue = LIST_HEAD_INIT(deferred_split_queue.split_queue),
};

void deferred_split_folio(struct folio *folio, bool partially_mapped)
{
	struct deferred_split *q = &deferred_split_queue;
	unsigned int order = folio_order(folio);

	VM_BUG_ON_FOLIO(!folio_test_large(folio) || !folio_mapped(folio), folio);
	if (partially_mapped ? folio_test_partially_mapped(folio) :
			       !list_empty(folio_deferred_list(folio)))
		return;
	spin_lock(&q->split_queue_lock);
	if (partially_mapped) {
		folio_set_partially_mapped(folio);
		count_mthp_stat(order, MTHP_STAT_SPLIT_DEFERRED);
		mod_mthp_stat(order, MTHP_STAT_NR_ANON_PARTIALLY_MAPPED, 1);
		if (order == MTHP_MAX_ORDER)
			count_vm_event(THP_DEFERRED_SPLIT_PAGE);	/* Linux: PMD-mappable folios only */
	}
	if (list_empty(folio_deferred_list(folio))) {
		list_add_tail(folio_deferred_list(folio), &q->split_queue);
		q->split_queue_len++;
	}
	spin_unlock(&q->split_queue_lock);
}

/* Take folio off the queue (q locked), clearing PG_partially_mapped. */
static void deferred_split_del(struct deferred_split *q, struct folio *folio)
{
	VM_BUG_ON_FOLIO(list_empty(folio_deferred_list(folio)) || !q->split_queue_len, folio);
	if (folio_test_partially_mapped(folio)) {
		folio_clear_partially_mapped(folio);
		mod_mthp_stat(folio_order(folio), MTHP_STAT_NR_ANON_PARTIALLY_MAPPED, -1);
	}
	list_del_init(folio_deferred_list(folio));
	q->split_queue_len--;
}

void folio_unqueue_deferred_split(struct folio *folio)
{
	struct deferred_split *q = &deferred_split_queue;

	if (list_empty(folio_deferred_list(folio)))
		return;
	spin_lock(&q->split_queue_lock);
	deferred_split_del(q, folio);
	spin_unlock(&q->split_queue_lock);
}

unsigned long deferred_split_count(void)
{
	return READ_ONCE(deferred_split_queue.split_queue_len);
}

/* ---- shapes ---- */

struct split_shape {
	/* Must the aligned block [off, off + 2^order) of folio be halved? */
	bool (*halve)(const struct split_shape *shape, struct folio *folio, unsigned long off,
		      unsigned int order);
	unsigned int new_order;
	unsigned long start, end;	/* page offsets in the folio (range shapes) */
	enum split_reason why;		/* told to the policy (policy.h's split hook) */
};

static bool halve_range(const struct split_shape *shape, struct folio *folio, unsigned long off,
			unsigned int order)
{
	(void)folio;
	return order > shape->new_order && off < shape->end && off + (1UL << order) > shape->start;
}

/* Does the block hold pages both inside and outside [start, end)? */
static bool halve_boundary(const struct split_shape *shape, struct folio *folio,
			   unsigned long off, unsigned int order)
{
	unsigned long last = off + (1UL << order);

	(void)folio;
	return off < shape->end && last > shape->start && (off < shape->start || last > shape->end);
}

/* Does the block mix mapped and unmapped pages? */
static bool halve_mixed(const struct split_shape *shape, struct folio *folio, unsigned long off,
			unsigned int order)
{
	bool first = page_mapcount(folio_page(folio, off)) > 0;

	(void)shape;
	for (unsigned long i = 1; i < (1UL << order); i++)
		if ((page_mapcount(folio_page(folio, off + i)) > 0) != first)
			return true;
	return false;
}

/*
 * The order of the new folio that starts at offset off of the order-`order`
 * folio being split (the pieces before it are decided): the largest aligned
 * block there, halved while the shape says so.
 */
static unsigned int split_piece_order(const struct split_shape *shape, struct folio *folio,
				      unsigned int order, unsigned long off)
{
	unsigned int k = off ? min((unsigned int)__builtin_ctzl(off), order) : order;

	while (k > 0 && shape->halve(shape, folio, off, k))
		k--;
	return k;
}

/* The smallest order of the pieces shape cuts the order-`order` folio into. */
static unsigned int split_min_order(const struct split_shape *shape, struct folio *folio, unsigned int order)
{
	unsigned int min_order = order, k;

	for (unsigned long off = 0; off < (1UL << order); off += 1UL << k) {
		k = split_piece_order(shape, folio, order, off);
		min_order = min(min_order, k);
	}
	return min_order;
}

/* ---- the split ---- */

/*
 * Folio flags every new folio inherits (PG_arch_1: arm64's caches were
 * synced for every page of the folio); everything else must be clear (asserted).
 */
#define SPLIT_INHERIT_FLAGS (BIT(PG_locked) | BIT(PG_active) | BIT(PG_referenced) | \
			     BIT(PG_dirty) | BIT(PG_anon) | BIT(PG_swapbacked) | BIT(PG_arch_1))
/* The bits of a page's flags that belong to the page, kept where they are. */
#define PAGE_OWN_FLAGS BIT(PG_anon_exclusive)

/*
 * Linux's can_split_folio(): every reference is a PTE's (one per mapping)
 * but the caller's one, and no one has the folio pinned.  frozen: the
 * count carries FOLIO_REF_SPLITTING.
 */
static bool can_split_folio(const struct folio *folio, bool frozen)
{
	int refs = atomic_read_acquire(&folio->_refcount);	/* before the mapcount: see folio_split_freeze */

	return refs == folio_mapcount(folio) + 1 + (frozen ? FOLIO_REF_SPLITTING : 0) &&
	       !folio_maybe_dma_pinned(folio);
}

/*
 * Begin the split of folio (locked, referenced, its anon_vma locked for
 * reading): mark its count, wait out the page-table sections that looked
 * before the mark, then check that the caller's is the only reference
 * besides the PTEs' and that no PMD maps it (mremap may have moved a block
 * past split_huge_pmd_folio).  true: the folio is frozen, no mapping or
 * reference can change until the pieces are published.  false: the mark
 * removed, nothing changed.  See "Freezing" at the top.
 *
 * After the sync the counts only fall (a holder unmapping drops the
 * mapcount, then the reference), so the reference count is read first:
 * a holder then always shows as one reference too many.
 */
static bool folio_split_freeze(struct folio *folio)
{
	atomic_add_return(FOLIO_REF_SPLITTING, &folio->_refcount);	/* fully ordered */
	rmap_sync_page_table_locks(folio);
	if (can_split_folio(folio, true) && atomic_read(&folio->_entire_mapcount) == -1)
		return true;
	atomic_sub_return(FOLIO_REF_SPLITTING, &folio->_refcount);
	return false;
}

/*
 * The split never sleeps while a folio is frozen (its anon_vma lock is
 * taken before the mark), so a pause and a yield are all a waiter needs.
 */
void folio_split_wait(void)
{
	spin_relax();
	schedule();
}

/*
 * Make the 2^order pages at head one new folio: metadata of page[0] and
 * (order >= 1) page[1] written from the old folio's saved `flags`,
 * `mapping` and `index`; tails pointed at head; mapcounts summed from the
 * pages.  Per-page _mapcount and PG_anon_exclusive are left as they are.
 * The refcount is not written: a new piece's stays 0 and the old head's
 * stays frozen until split_publish_folio.  The old head (old_head) keeps
 * its own flags word, changed bit by bit: a task waiting for its lock may
 * set PG_waiters in it meanwhile.
 */
static void split_prep_folio(struct page *head, unsigned int order, unsigned long flags,
			     struct anon_vma *mapping, unsigned long index, bool old_head)
{
	struct folio *new = (struct folio *)head;
	unsigned long nr = 1UL << order;
	int mapcount = 0, mapped = 0;

	for (unsigned long i = 0; i < nr; i++) {
		struct page *p = head + i;

		VM_BUG_ON_PAGE(i && (p->flags & ~PAGE_OWN_FLAGS), p);
		VM_BUG_ON_PAGE(i && atomic_read(&p->_refcount), p);
		if (atomic_read(&p->_mapcount) >= 0) {
			mapcount += atomic_read(&p->_mapcount) + 1;
			mapped++;
		}
		if (i) {
			WRITE_ONCE(p->compound_head, (unsigned long)head | 1);
			p->compound_order = order;
		}
	}
	VM_BUG_ON_PAGE(old_head && (head->flags & ~(SPLIT_INHERIT_FLAGS | PAGE_OWN_FLAGS | BIT(PG_head) |
						    BIT(PG_waiters))), head);
	if (!old_head) {
		VM_BUG_ON_PAGE(atomic_read(&head->_refcount), head);
		head->flags = flags | (head->flags & PAGE_OWN_FLAGS) | (order ? BIT(PG_head) : 0);
		WRITE_ONCE(head->compound_head, 0);
	} else if (!order) {
		clear_bit(PG_head, &head->flags);
	}
	INIT_LIST_HEAD(&new->lru);
	new->mapping = mapping;
	new->index = index;
	new->private = 0;	/* a tail's compound_order, or page[1]'s order, until now */
	if (order) {
		atomic_set(&new->_large_mapcount, mapcount - 1);
		atomic_set(&new->_nr_pages_mapped, mapped);
		atomic_set(&new->_entire_mapcount, -1);
		atomic_set(&new->_pincount, 0);
		INIT_LIST_HEAD(&new->_deferred_list);
	}
	mod_mthp_stat(order, MTHP_STAT_NR_ANON, 1);
}

/*
 * The piece new is complete and on its lists: give it its references, one
 * per PTE plus the caller's (the old head's piece) or the split's own (the
 * others, dropped by split_finish_folio), published with release order so
 * that a finder that sees them (page_folio_mapped, folio_try_get) sees the
 * piece's metadata, and every other piece's before the old head's.
 */
static void split_publish_folio(struct folio *new)
{
	atomic_set_release(&new->_refcount, folio_mapcount(new) + 1);
}

/* rmap_walk callback: the PTE at addr no longer lies in a contiguous block (arm64). */
static void split_unfold_pte(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep,
			     struct page *page, void *arg)
{
	(void)page;
	(void)arg;
	ptep_try_unfold(vma->vm_mm, addr, ptep);
}

/*
 * Before its publication: queue the piece new when it is partially mapped,
 * and put it on the LRU list the old folio was on (lru) when anything maps
 * it, so that it is on its lists from the moment others can find it
 * (MADV_FREE moves a folio between LRU lists; the scan finds the queue).
 */
static void split_list_folio(struct folio *new, bool lru)
{
	int mapped = folio_test_large(new) ? atomic_read(&new->_nr_pages_mapped) : folio_mapped(new);

	if (folio_test_large(new) && mapped && mapped < (int)folio_nr_pages(new))
		deferred_split_folio(new, true);
	if (lru && mapped)
		lru_add_split_folio(new);
}

/*
 * After the publication: unfold the arm64 contiguous blocks the piece new
 * shares with other pieces (a folded block maps one folio:
 * arch/arm64/contpte.c; none on x86_64), check its rmap (DEBUG_VM), and
 * unless it is the caller's, unlock it and drop the split's reference,
 * which frees it when nothing maps it.
 */
static void split_finish_folio(struct folio *new, bool callers)
{
	if (folio_nr_pages(new) < CONT_PTES && folio_mapped(new))
		rmap_walk(new, split_unfold_pte, NULL);
	debug_vm_check_folio_rmap(new);	/* locked, as every new folio until here */
	if (callers)
		return;
	folio_unlock(new);
	folio_put(new);
}

/*
 * The one split: cut folio into the pieces shape describes (see the top of
 * the file).  Contract: mm/split.h.
 */
static int __folio_split(struct folio *folio, const struct split_shape *shape)
{
	unsigned int old_order = folio_order(folio), order, min_order;
	unsigned long nr = folio_nr_pages(folio), flags, index, off;
	struct page *head = &folio->page;
	struct anon_vma *mapping;
	bool lru;

	VM_BUG_ON_FOLIO(!folio_test_locked(folio), folio);
	if (!folio_test_large(folio) || !folio_test_anon(folio) ||
	    !shape->halve(shape, folio, 0, old_order))
		return -EINVAL;
	VM_BUG_ON_FOLIO(folio->flags & ~(SPLIT_INHERIT_FLAGS | PAGE_OWN_FLAGS | BIT(PG_head) |
					 BIT(PG_partially_mapped) | BIT(PG_reservation) | BIT(PG_lru) |
					 BIT(PG_waiters)), folio);
	VM_BUG_ON_FOLIO(folio->private, folio);
	VM_BUG_ON_FOLIO(folio_test_partially_mapped(folio) && list_empty(folio_deferred_list(folio)),
			folio);
	mapping = folio->mapping;
	VM_BUG_ON_FOLIO(!mapping, folio);
	if (!can_split_folio(folio, false))
		goto busy;
	split_huge_pmd_folio(folio);	/* PTEs of the same pages: no count changes */
	min_order = split_min_order(shape, folio, old_order);
	if (anon_order_wants_split_feedback())
		anon_order_note_split(folio, min_order, shape->why);	/* whole, and an rmap walk: before the freeze */
	anon_vma_lock_read(mapping);	/* the freeze's walk; held until the pieces are published */
	if (!folio_split_freeze(folio)) {
		anon_vma_unlock_read(mapping);
		goto busy;
	}

	anon_reserve_break(folio);	/* the new folios are no reservations: the flag is not inherited */
	folio_unqueue_deferred_split(folio);
	lru = folio_isolate_lru(folio);
	mod_mthp_stat(old_order, MTHP_STAT_NR_ANON, -1);
	flags = folio->flags & SPLIT_INHERIT_FLAGS;
	index = folio->index;
	for (off = 0; off < nr; off += 1UL << order) {
		order = split_piece_order(shape, folio, old_order, off);
		split_prep_folio(head + off, order, flags, mapping, index + off, off == 0);
		if (off)
			get_anon_vma(mapping);	/* the first piece keeps the old folio's */
	}
	for (off = 0; off < nr; off += folio_nr_pages((struct folio *)(head + off)))
		split_list_folio((struct folio *)(head + off), lru);
	for (off = folio_nr_pages(folio); off < nr; off += folio_nr_pages((struct folio *)(head + off)))
		split_publish_folio((struct folio *)(head + off));
	split_publish_folio(folio);	/* the old head's last: see split_publish_folio */
	anon_vma_unlock_read(mapping);
	for (off = 0; off < nr; ) {
		struct folio *new = (struct folio *)(head + off);

		off += folio_nr_pages(new);	/* before a free clears it */
		split_finish_folio(new, new == folio);
	}
	count_mthp_stat(old_order, MTHP_STAT_SPLIT);
	if (old_order == MTHP_MAX_ORDER)
		count_vm_event(THP_SPLIT_PAGE);
	if (foliotrace_on())
		foliotrace_split(old_order, min_order);
	return 0;
busy:
	count_mthp_stat(old_order, MTHP_STAT_SPLIT_FAILED);
	if (old_order == MTHP_MAX_ORDER)
		count_vm_event(THP_SPLIT_PAGE_FAILED);
	return -EBUSY;
}

int split_folio_to_order(struct folio *folio, unsigned int new_order)
{
	struct split_shape shape = {
		.halve = halve_range, .new_order = new_order, .start = 0, .end = folio_nr_pages(folio),
		.why = SPLIT_KNOB,
	};

	return __folio_split(folio, &shape);
}

/* Split folio by a range shape over pages [start, end) of it: -EINVAL when they are not. */
static int folio_split_pages(struct folio *folio, struct split_shape *shape, struct page *start,
			     struct page *end)
{
	shape->start = (unsigned long)(start - &folio->page);
	shape->end = (unsigned long)(end - &folio->page);
	if (start < &folio->page || start >= end || shape->end > folio_nr_pages(folio))
		return -EINVAL;
	return __folio_split(folio, shape);
}

int folio_split_range(struct folio *folio, unsigned int new_order, struct page *start,
		      struct page *end, enum split_reason why)
{
	struct split_shape shape = { .halve = halve_range, .new_order = new_order, .why = why };

	return folio_split_pages(folio, &shape, start, end);
}

int folio_split_boundary(struct folio *folio, struct page *start, struct page *end,
			 enum split_reason why)
{
	struct split_shape shape = { .halve = halve_boundary, .why = why };

	return folio_split_pages(folio, &shape, start, end);
}

int folio_split_unmapped(struct folio *folio, enum split_reason why)
{
	struct split_shape shape = { .halve = halve_mixed, .why = why };

	return __folio_split(folio, &shape);
}

/* ---- underused folios (Linux 6.12's thp_underused, for every order) ---- */

bool shrink_underused = true;
unsigned int khugepaged_max_ptes_none = (1U << MTHP_MAX_ORDER) - 1;	/* Linux's 511: no folio is underused */

/* Zero pages a folio of order may hold and still not be underused: max_ptes_none scaled. */
static unsigned long underused_max_zero(unsigned int order)
{
	return READ_ONCE(khugepaged_max_ptes_none) >> (MTHP_MAX_ORDER - order);
}

bool thp_underused_active(unsigned int order)
{
	return order >= UNDERUSED_MIN_ORDER && READ_ONCE(shrink_underused) &&
	       underused_max_zero(order) < (1UL << order) - 1;
}

bool page_is_zero(const struct page *page)
{
	const u64 *word = page_address(page);

	for (unsigned long w = 0; w < PAGE_SIZE / sizeof(u64); w++)
		if (word[w])
			return false;
	return true;
}

/*
 * Linux's thp_underused(): more than underused_max_zero(order) of the
 * folio's pages are zero-filled.  Never when the threshold is 2^order - 1
 * (max_ptes_none 511, the default: Linux's "disabled").  A hint only, read
 * without the PTE locks: the remap checks each page again.
 */
static bool thp_underused(struct folio *folio)
{
	unsigned long nr = folio_nr_pages(folio), max_zero = underused_max_zero(folio_order(folio));
	unsigned long zero = 0, filled = 0;

	if (!thp_underused_active(folio_order(folio)))
		return false;
	for (unsigned long i = 0; i < nr; i++) {
		if (page_is_zero(folio_page(folio, i))) {
			if (++zero > max_zero)
				return true;
		} else if (++filled >= nr - max_zero) {
			return false;
		}
	}
	return false;
}

/*
 * rmap_walk callback (PTE-table lock held): if page is zero-filled, map the
 * shared zero page at addr instead (read-only: a write faults a fresh page;
 * soft-dirty kept, as Linux's try_to_map_unused_to_zeropage) and drop the PTE's rmap, rss and reference; *arg counts the pages so
 * unmapped.  The PTE is cleared (and the TLB flushed) before the data is
 * checked, so nothing can write the page between the check and the remap;
 * a page with any byte set gets its PTE back as it was.
 */
static void remap_zero_page(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep,
			    struct page *page, void *arg)
{
	struct folio *folio = page_folio(page);
	pte_t old, zero;

	if (!page_is_zero(page))
		return;
	old = ptep_get_and_clear(vma->vm_mm, addr, ptep);
	if (!page_is_zero(page)) {
		set_ptes(vma->vm_mm, addr, ptep, old, 1);
		return;
	}
	zero = pfn_pte(page_to_pfn(zero_page), vma->vm_page_prot);
	set_ptes(vma->vm_mm, addr, ptep, pte_soft_dirty(old) ? pte_mksoft_dirty(zero) : zero, 1);
	folio_remove_rmap_ptes(folio, page, 1, vma);
	update_hiwater_rss(vma->vm_mm);
	dec_mm_counter(vma->vm_mm, MM_ANONPAGES);
	folio_put(folio);	/* the PTE's; the caller still holds one */
	(*(unsigned long *)arg)++;
}

/*
 * Split an underused folio (locked, referenced, not partially mapped) and
 * free its zero pages: Linux's split_folio() with TTU_USE_SHARED_ZEROPAGE.
 * The zero pages are remapped to the zero page first, which leaves the
 * folio partially mapped; folio_split_unmapped then frees them.  Returns
 * whether any page was remapped (thp_underused_split_page counts those).
 */
static bool split_underused_folio(struct folio *folio)
{
	unsigned long remapped = 0;

	if (!can_split_folio(folio, false))
		return false;	/* pinned or referenced: its pages may be written behind the PTEs */
	split_huge_pmd_folio(folio);	/* the zero pages are remapped one PTE each */
	rmap_walk(folio, remap_zero_page, &remapped);
	if (!remapped)
		return false;
	if (folio_mapped(folio))
		folio_split_unmapped(folio, SPLIT_UNDERUSED);	/* else the caller's put frees it whole */
	count_vm_event(THP_UNDERUSED_SPLIT_PAGE);
	return true;
}

/* ---- running the queue ---- */

/*
 * One pass over the queue (at most n folios, oldest first, each rotated to
 * the back): the partially mapped folios are split so that their unmapped
 * pieces are freed (underused false), or the others, queued at fault, are
 * split if underused and, split or not, leave the queue (underused true,
 * Linux 6.12: scanned once).  Returns the folios split.
 */
static unsigned long deferred_split_pass(unsigned long n, bool underused)
{
	struct deferred_split *q = &deferred_split_queue;
	unsigned long split = 0;

	for (unsigned long i = 0; i < n; i++) {
		struct folio *folio;

		spin_lock(&q->split_queue_lock);
		if (list_empty(&q->split_queue)) {
			spin_unlock(&q->split_queue_lock);
			break;
		}
		folio = list_first_entry(&q->split_queue, struct folio, _deferred_list);
		/* To the back: where it stays if it cannot be split now. */
		list_del_init(folio_deferred_list(folio));
		list_add_tail(folio_deferred_list(folio), &q->split_queue);
		if (folio_test_partially_mapped(folio) == underused) {
			spin_unlock(&q->split_queue_lock);	/* the other pass's */
			continue;
		}
		if (!folio_try_get(folio)) {	/* being split elsewhere: it leaves the queue then */
			spin_unlock(&q->split_queue_lock);
			continue;
		}
		spin_unlock(&q->split_queue_lock);
		if (folio_trylock(folio)) {
			if (!underused)
				split += folio_split_unmapped(folio, SPLIT_DEFERRED) == 0;
			else if (thp_underused(folio))
				split += split_underused_folio(folio);
			folio_unlock(folio);
		}
		spin_lock(&q->split_queue_lock);
		if (underused && folio_test_large(folio) && !list_empty(folio_deferred_list(folio)) &&
		    !folio_test_partially_mapped(folio))
			deferred_split_del(q, folio);
		spin_unlock(&q->split_queue_lock);
		folio_put(folio);
	}
	return split;
}

/*
 * Linux's deferred_split_scan, in the order reclaim frees memory: first the
 * unmapped pieces of partially mapped folios, then underused folios; each
 * pass looks at up to nr_to_scan queued folios.
 */
unsigned long deferred_split_scan(unsigned long nr_to_scan)
{
	unsigned long split = deferred_split_pass(min(nr_to_scan, deferred_split_count()), false);

	return split + deferred_split_pass(min(nr_to_scan, deferred_split_count()), true);
}

/* ---- split_huge_pages for one mm (the split_range knob) ---- */

/*
 * The first folio (not the zero page) mapped at or after *addr and below
 * end in vma, with a reference taken; *addr is moved to its PTE and *idx is
 * the index of that page in the folio.  NULL when there is none.  Only the
 * PTE tables that exist are visited, so a terabyte reservation costs what
 * was touched.
 */
static struct folio *next_mapped_folio(struct vm_area_struct *vma, unsigned long *addr,
				       unsigned long end, unsigned long *idx)
{
	unsigned int nr;
	spinlock_t *ptl;
	pte_t *ptep;

	while ((ptep = pte_next_table_lock(vma->vm_mm, addr, end, &nr, &ptl))) {
		for (unsigned int i = 0; i < nr; i++, ptep++, *addr += PAGE_SIZE) {
			pte_t pte = ptep_get(ptep);
			struct folio *folio;

			if (!pte_present(pte) || pte_pfn(pte) == page_to_pfn(zero_page))
				continue;
			folio = page_folio_mapped(pfn_to_page(pte_pfn(pte)));
			if (!folio)
				continue;	/* being split elsewhere */
			*idx = pte_pfn(pte) - folio_pfn(folio);
			folio_get(folio);
			spin_unlock(ptl);
			return folio;
		}
		spin_unlock(ptl);
	}
	return NULL;
}

int split_huge_pages_mm(struct mm_struct *mm, unsigned long start, unsigned long end,
			unsigned int new_order, long in_folio_offset)
{
	struct vm_area_struct *vma;
	unsigned long addr = start;
	int ret = 0;

	mmap_write_lock(mm);
	while (addr < end && (vma = find_vma(mm, addr)) && vma->vm_start < end) {
		unsigned long vend = min(end, vma->vm_end), idx;
		struct folio *folio;

		addr = max(addr, vma->vm_start);
		if (new_order < HPAGE_PMD_ORDER)
			split_huge_pmd_range(vma, addr, vend);	/* the folios are found by their PTEs */
		while ((folio = next_mapped_folio(vma, &addr, vend, &idx))) {
			/* Past this folio's pages: its pieces are done, split or not. */
			addr += (folio_nr_pages(folio) - idx) << PAGE_SHIFT;
			if (folio_order(folio) > new_order &&
			    (in_folio_offset < 0 ||
			     (unsigned long)in_folio_offset < folio_nr_pages(folio)) &&
			    folio_trylock(folio)) {
				int err = in_folio_offset < 0 ? split_folio_to_order(folio, new_order) :
					  folio_split(folio, new_order,
						      folio_page(folio, in_folio_offset));

				if (err == -EBUSY)
					ret = -EBUSY;
				folio_unlock(folio);
			}
			folio_put(folio);
		}
		addr = vend;
	}
	mmap_write_unlock(mm);
	return ret;
}
