/*
 * test_split_freeze.c - a split's freeze (mm/split.c "Freezing") as the
 * paths that work under a PTE lock alone see it.  A folio whose count
 * carries FOLIO_REF_SPLITTING is a split in progress on another CPU: every
 * such path must refuse it (page_folio_mapped, folio_try_get), leave it as
 * it was, wait (folio_split_wait: here the yield hook, which plays the
 * other CPU and finishes that split) and then do its work on the pieces:
 * munmap's zap, fork's copy, a CoW fault, a pin.  MADV_FREE and the
 * deferred-split scan skip it instead.  And the split's own check: a
 * reference taken before it (a CoW fault's copy in flight) makes it fail
 * with -EBUSY and the count exactly as it was.  Counts, orders, data and
 * the free-page total are checked exactly.
 */
#include "tools/hostmm/hostmm_vm.h"
#include "mm/gup.h"
#include "mm/split.h"

static struct folio *frozen;		/* the folio "another CPU" is splitting */
static unsigned int other_cpu_steps;	/* how often a waiter let it run */

/* Begin the other CPU's split: the mark its freeze puts on the count. */
static void other_split_begin(struct folio *folio)
{
	frozen = folio;
	other_cpu_steps = 0;
	atomic_add(FOLIO_REF_SPLITTING, &folio->_refcount);
}

/* The yield hook: the other CPU's split of `frozen` to order 0 completes. */
static void other_split_finish(void)
{
	struct folio *folio = frozen;

	other_cpu_steps++;
	if (!folio)
		return;
	frozen = NULL;
	atomic_sub(FOLIO_REF_SPLITTING, &folio->_refcount);
	folio_get(folio);
	folio_lock(folio);
	if (split_folio_to_order(folio, 0))
		panic("other_split_finish: the split failed");
	folio_unlock(folio);
	folio_put(folio);
}

/* Pages [first, end) from addr: each its own order-0 folio mapped `maps` times, holding 'a' + i. */
static bool pieces_mapped(struct mm_struct *mm, unsigned long addr, unsigned int first, unsigned int end,
			  int maps)
{
	for (unsigned int i = first; i < end; i++) {
		struct folio *f = vm_folio_at(mm, addr + PG(i));

		ASSERT_TRUE(f != NULL);
		ASSERT_EQ(folio_order(f), 0);
		ASSERT_EQ(folio_mapcount(f), maps);
		ASSERT_EQ(folio_ref_count(f), maps);
		ASSERT_EQ(((char *)folio_address(f))[0], 'a' + (char)i);
	}
	return true;
}

/* The end of each test: mm goes, and every page it had comes back. */
static bool mm_gone_all_freed(struct mm_struct *mm)
{
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* The child exits: the parent maps the 16 pieces alone, then goes too. */
static bool child_then_parent_gone(struct mm_struct *parent, struct mm_struct *child)
{
	vm_mm_put(child);
	vm_use(parent);
	ASSERT_TRUE(pieces_mapped(parent, VM_BASE, 0, 16, 1));
	return mm_gone_all_freed(parent);
}

/* While frozen, no finder gets the folio and its counts stay as they were. */
static bool refused_while_frozen(struct folio *folio, int mapcount)
{
	for (unsigned long i = 0; i < 16; i++)
		ASSERT_TRUE(page_folio_mapped(folio_page(folio, i)) == NULL);
	ASSERT_FALSE(folio_try_get(folio));
	ASSERT_EQ(folio_mapcount(folio), mapcount);
	ASSERT_EQ(folio_ref_count(folio), FOLIO_REF_SPLITTING + mapcount);
	return true;
}

/* munmap of 4 pages of a folio being split: the zap waits once, then unmaps 4 order-0 pieces. */
static bool test_split_freeze_zap_waits(void)
{
	struct folio *folio;
	struct mm_struct *mm = vm_setup_64k_folio(&folio);
	unsigned long free_before = nr_free_pages();

	other_split_begin(folio);
	ASSERT_TRUE(refused_while_frozen(folio, 16));
	hostmm_yield_hook = other_split_finish;
	ASSERT_EQ(vm_munmap(VM_BASE, PG(4)), 0);
	hostmm_yield_hook = NULL;
	ASSERT_EQ(other_cpu_steps, 1);
	ASSERT_EQ(nr_free_pages(), free_before + 4);
	ASSERT_TRUE(pieces_mapped(mm, VM_BASE, 4, 16, 1));
	debug_vm_check_mm_rmap(mm);
	memmap_check();
	return mm_gone_all_freed(mm);
}

/* fork of a folio being split: the copy waits once, then the child shares the 16 pieces. */
static bool test_split_freeze_fork_waits(void)
{
	struct folio *folio;
	struct mm_struct *parent = vm_setup_64k_folio(&folio), *child;

	other_split_begin(folio);
	hostmm_yield_hook = other_split_finish;
	child = vm_mm_dup(parent);
	hostmm_yield_hook = NULL;
	ASSERT_TRUE(child != NULL);
	ASSERT_EQ(other_cpu_steps, 1);
	ASSERT_TRUE(pieces_mapped(parent, VM_BASE, 0, 16, 2));
	ASSERT_TRUE(pieces_mapped(child, VM_BASE, 0, 16, 2));
	debug_vm_check_mm_rmap(parent);
	return child_then_parent_gone(parent, child);
}

/*
 * The RFC's scenario: the child CoW-faults page 3 of a folio it shares with
 * its parent while the folio is being split.  The fault takes nothing,
 * waits, and its retry copies the page out of the order-0 piece.
 */
static bool test_split_freeze_cow_fault_waits(void)
{
	struct folio *folio;
	struct mm_struct *parent = vm_setup_64k_folio(&folio), *child = vm_mm_dup(parent);
	struct folio *copy;

	ASSERT_TRUE(child != NULL);
	vm_use(child);
	other_split_begin(folio);
	ASSERT_TRUE(refused_while_frozen(folio, 32));
	hostmm_yield_hook = other_split_finish;
	ASSERT_EQ(vm_fault(child, VM_BASE + PG(3), true), VM_FAULT_RETRY);
	hostmm_yield_hook = NULL;
	ASSERT_EQ(other_cpu_steps, 1);
	ASSERT_FALSE(pte_write(vm_pte(child, VM_BASE + PG(3))));	/* it mapped nothing: the access retries */
	ASSERT_EQ(vm_user_write(child, VM_BASE + PG(3), 'Z'), 0);
	copy = vm_folio_at(child, VM_BASE + PG(3));
	ASSERT_TRUE(copy != vm_folio_at(parent, VM_BASE + PG(3)));
	ASSERT_EQ(folio_mapcount(vm_folio_at(parent, VM_BASE + PG(3))), 1);
	ASSERT_EQ(((char *)folio_address(vm_folio_at(parent, VM_BASE + PG(3))))[0], 'a' + 3);
	ASSERT_EQ(((char *)folio_address(copy))[0], 'Z');
	debug_vm_check_mm_rmap(child);
	debug_vm_check_mm_rmap(parent);
	return child_then_parent_gone(parent, child);
}

/* A pin of a page of a folio being split: taken on the order-0 piece, after the split. */
static bool test_split_freeze_pin_waits(void)
{
	struct folio *folio;
	struct mm_struct *mm = vm_setup_64k_folio(&folio);
	struct page *page;

	other_split_begin(folio);
	hostmm_yield_hook = other_split_finish;
	mmap_write_lock(mm);
	ASSERT_EQ(pin_user_pages(mm, VM_BASE + PG(5), 1, &page), 1);
	mmap_write_unlock(mm);
	hostmm_yield_hook = NULL;
	ASSERT_EQ(other_cpu_steps, 1);
	ASSERT_TRUE(page == folio_page(folio, 5));
	ASSERT_EQ(folio_order(page_folio(page)), 0);
	ASSERT_TRUE(folio_maybe_dma_pinned(page_folio(page)));
	ASSERT_EQ(folio_ref_count(page_folio(page)), 1 + GUP_PIN_COUNTING_BIAS);
	unpin_user_page(page);
	ASSERT_TRUE(pieces_mapped(mm, VM_BASE, 0, 16, 1));
	return mm_gone_all_freed(mm);
}

/* MADV_FREE and the deferred-split scan pass a folio being split by: nothing changes, nothing waits. */
static bool test_split_freeze_skipped(void)
{
	struct folio *folio;
	struct mm_struct *mm = vm_setup_64k_folio(&folio);

	ASSERT_EQ(vm_madvise(VM_BASE + PG(15), PG(1), MADV_DONTNEED), 0);	/* partially mapped: queued */
	ASSERT_EQ(deferred_split_count(), 1);
	other_split_begin(folio);
	hostmm_yield_hook = other_split_finish;
	ASSERT_EQ(vm_madvise(VM_BASE, PG(15), MADV_FREE), 0);
	ASSERT_EQ(deferred_split_scan(~0UL), 0);
	hostmm_yield_hook = NULL;
	ASSERT_EQ(other_cpu_steps, 0);
	ASSERT_TRUE(folio_test_swapbacked(folio));	/* not made lazyfree */
	ASSERT_EQ(folio_order(folio), 4);
	ASSERT_EQ(deferred_split_count(), 1);
	ASSERT_TRUE(refused_while_frozen(folio, 15));
	other_split_finish();	/* its unmapped page 15 is freed */
	ASSERT_TRUE(pieces_mapped(mm, VM_BASE, 0, 15, 1));
	ASSERT_EQ(deferred_split_count(), 0);
	return mm_gone_all_freed(mm);
}

/*
 * A reference taken before the split (a CoW fault copying in another mm
 * holds one) makes the freeze fail: -EBUSY, the order and the count
 * exactly as before, no mark left; once dropped, the split goes through.
 */
static bool test_split_freeze_busy_unmarked(void)
{
	struct folio *folio;
	struct mm_struct *mm = vm_setup_64k_folio(&folio);

	folio_get(folio);	/* the other CPU's */
	folio_get(folio);	/* the split's caller's */
	folio_lock(folio);
	ASSERT_EQ(split_folio_to_order(folio, 0), -EBUSY);
	ASSERT_EQ(folio_order(folio), 4);
	ASSERT_EQ(folio_ref_count(folio), 18);
	ASSERT_TRUE(page_folio_mapped(folio_page(folio, 7)) == folio);
	folio_put(folio);	/* the copy is done */
	ASSERT_EQ(split_folio_to_order(folio, 0), 0);
	folio_unlock(folio);
	ASSERT_EQ(folio_ref_count(folio), 2);
	folio_put(folio);
	ASSERT_TRUE(pieces_mapped(mm, VM_BASE, 0, 16, 1));
	return mm_gone_all_freed(mm);
}

const struct hostmm_test split_freeze_tests[] = {
	HOSTMM_TEST(test_split_freeze_zap_waits),
	HOSTMM_TEST(test_split_freeze_fork_waits),
	HOSTMM_TEST(test_split_freeze_cow_fault_waits),
	HOSTMM_TEST(test_split_freeze_pin_waits),
	HOSTMM_TEST(test_split_freeze_skipped),
	HOSTMM_TEST(test_split_freeze_busy_unmarked),
	{ NULL, NULL },
};
