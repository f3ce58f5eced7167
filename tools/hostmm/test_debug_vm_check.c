/*
 * test_debug_vm_check.c - the /sys/kernel/mm/folio/debug_vm_check knob
 * (mm/debug_vm_check.c): its words, that a sound mm (alone, or sharing its
 * folios with a fork child) passes and stays as it was, that a broken
 * mapcount or free block panics with the checker's message, and what it
 * leaves alone: folios someone else has locked, and allocated frames while
 * more than one CPU is online (memmap_check_free).
 */
#include "tools/hostmm/hostmm_vm.h"

#define KNOB	FOLIO_SYSFS_DIR "/debug_vm_check"

static long knob(const char *val)
{
	return vm_knob_write(KNOB, val);
}

/* "1" (with or without a newline) checks and changes nothing; every other word is -EINVAL. */
static bool test_debug_vm_check_words(void)
{
	static const char *const bad[] = { "", "\n", "0", "2", "11", "1 ", " 1", "y", "on", "1\n\n", "01" };
	struct folio *folio;
	struct mm_struct *mm = vm_setup_64k_folio(&folio);
	unsigned long free_before = nr_free_pages();
	char buf[8];

	ASSERT_EQ(knob("1"), 1);
	ASSERT_EQ(knob("1\n"), 2);
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++)
		if (knob(bad[i]) != -EINVAL) {
			test_fail(__FILE__, __LINE__, "\"%s\" accepted", bad[i]);
			return false;
		}
	ASSERT_EQ(vm_knob_read(KNOB, buf, sizeof(buf)), 0);
	ASSERT_EQ(nr_free_pages(), free_before);
	ASSERT_TRUE(vm_folio_at(mm, VM_BASE) == folio);
	ASSERT_EQ(folio_order(folio), 4);
	ASSERT_EQ(folio_mapcount(folio), 16);
	ASSERT_EQ(folio_ref_count(folio), 16);
	ASSERT_FALSE(folio_test_locked(folio));
	current->mm = NULL;			/* a kernel thread: no mm to check */
	ASSERT_EQ(knob("1"), -EINVAL);
	vm_use(mm);
	return true;
}

/* A folio shared with a fork child: 32 PTEs in two mms, found from either. */
static bool test_debug_vm_check_after_fork(void)
{
	struct folio *folio;
	struct mm_struct *parent = vm_setup_64k_folio(&folio), *child = vm_mm_dup(parent);

	ASSERT_TRUE(child != NULL);
	ASSERT_EQ(folio_mapcount(folio), 32);
	ASSERT_EQ(knob("1"), 1);
	vm_use(child);
	ASSERT_EQ(vm_user_write(child, VM_BASE + PG(3), 'z'), 0);	/* CoW: 31 left */
	ASSERT_EQ(folio_mapcount(folio), 31);
	ASSERT_EQ(knob("1"), 1);
	vm_use(parent);
	ASSERT_EQ(knob("1"), 1);
	return true;
}

/* One mapping too many in the count: the rmap check reports it, from the writer's mm. */
static bool test_debug_vm_check_rmap_mismatch_panics(void)
{
	struct folio *folio;
	struct mm_struct *mm = vm_setup_64k_folio(&folio);

	atomic_inc(&folio->_large_mapcount);
	ASSERT_PANICS("debug_vm_check_folio_rmap: rmap_walk finds 16 PTEs, mapcount is 17", knob("1"));
	/* The panic left the checker's locks and its folio reference held: release them, undo the damage. */
	folio_unlock(folio);
	folio_put(folio);
	mmap_write_unlock(mm);
	atomic_dec(&folio->_large_mapcount);
	return true;
}

/* A folio locked by someone else (a split or reclaim at work) is not looked at. */
static bool test_debug_vm_check_skips_locked_folio(void)
{
	struct folio *folio;

	vm_setup_64k_folio(&folio);
	folio_lock(folio);
	atomic_inc(&folio->_large_mapcount);
	ASSERT_EQ(knob("1"), 1);
	atomic_dec(&folio->_large_mapcount);
	folio_unlock(folio);
	ASSERT_EQ(knob("1"), 1);
	return true;
}

/*
 * Several CPUs online: allocated frames are in flux, so a frame with no
 * reference outside any free block passes; one CPU: the whole memmap check
 * finds it.
 */
static bool test_debug_vm_check_smp_skips_allocated(void)
{
	struct page *page;

	vm_setup_current_mm();
	page = alloc_pages(GFP_KERNEL, 0);
	atomic_set(&page->_refcount, 0);	/* as between a last put and the buddy lock */
	num_online_cpus = 2;
	ASSERT_EQ(knob("1"), 1);
	num_online_cpus = 1;
	ASSERT_PANICS("memmap_check: frame neither free nor allocated (leak?)", knob("1"));
	spin_unlock(&zone_normal.lock);		/* held by the walk that panicked */
	atomic_set(&page->_refcount, 1);
	free_pages(page, 0);
	return true;
}

/* Several CPUs online: the free blocks are still checked whole. */
static bool test_debug_vm_check_smp_checks_free(void)
{
	struct page *page;

	vm_setup_current_mm();
	page = alloc_pages(GFP_KERNEL, 3);
	free_pages(page, 3);
	if (!PageBuddy(page))
		page = page_is_buddy(page - 8, 4) ? page - 8 : page;	/* merged with its buddy */
	atomic_set(&page[5]._mapcount, 0);
	num_online_cpus = 2;
	ASSERT_PANICS("memmap_check: free interior frame in use", knob("1"));
	num_online_cpus = 1;
	spin_unlock(&zone_normal.lock);
	atomic_set(&page[5]._mapcount, -1);
	return true;
}

const struct hostmm_test debug_vm_check_tests[] = {
	HOSTMM_TEST(test_debug_vm_check_words),
	HOSTMM_TEST(test_debug_vm_check_rmap_mismatch_panics),
	HOSTMM_TEST(test_debug_vm_check_skips_locked_folio),
	HOSTMM_TEST(test_debug_vm_check_smp_skips_allocated),
	HOSTMM_TEST(test_debug_vm_check_smp_checks_free),
	HOSTMM_TEST(test_debug_vm_check_after_fork),
	{ NULL, NULL },
};
