/*
 * test_collapse.c - MADV_COLLAPSE (mm/collapse.c): 4K pages into 64K
 * folios and into a PMD-mapped 2M folio with every byte kept, zero-filled
 * holes, the block order rules (sysfs ignored but for the sizes it allows,
 * VM_NOHUGEPAGE), the skips (shared after fork: read-only; an extra
 * reference: EAGAIN), the errno of the calls, and an allocation failure
 * that leaves everything as it was.  Exact counts; every page free at the end.
 */
#include "tools/hostmm/hostmm_vm.h"
#include "mm/collapse.h"

/* The byte test data puts at page i, offset off. */
static unsigned char pattern(unsigned long i, unsigned long off)
{
	return (unsigned char)(i * 7 + off * 3 + 1);
}

/* A fresh mm with [VM_BASE, + len) RW, and its pages [0, nr) written by 4K faults (3 bytes each). */
static struct mm_struct *collapse_setup(unsigned long len, unsigned long nr)
{
	struct mm_struct *mm = vm_setup_mm(0, len);

	vm_policy(THP_NEVER, THP_NEVER);	/* the faults map 4K pages */
	for (unsigned long i = 0; i < nr; i++)
		for (unsigned long off = 0; off < PAGE_SIZE; off += 2047)
			if (vm_user_write(mm, VM_BASE + PG(i) + off, pattern(i, off)))
				return NULL;
	return mm;
}

/* Pages [0, nr) read back what collapse_setup wrote, [nr, total) read zero. */
static bool data_intact(struct mm_struct *mm, unsigned long nr, unsigned long total)
{
	for (unsigned long i = 0; i < total; i++)
		for (unsigned long off = 0; off < PAGE_SIZE; off += 2047)
			ASSERT_EQ(vm_user_read(mm, VM_BASE + PG(i) + off), i < nr ? pattern(i, off) : 0);
	return true;
}

/* 16 4K pages become one 64K folio: data, orders, mapcounts, counters, no page lost. */
static bool test_collapse_64k(void)
{
	struct mm_struct *mm = collapse_setup(K(128), 32);
	unsigned long free0;
	struct folio *folio;

	ASSERT_TRUE(mm);
	free0 = nr_free_pages();
	ASSERT_EQ(vm_order_at(mm, VM_BASE), 0);
	vm_policy_only(4);
	ASSERT_EQ(vm_madvise(VM_BASE, K(128), MADV_COLLAPSE), 0);
	for (unsigned long i = 0; i < 32; i++)
		ASSERT_EQ(vm_order_at(mm, VM_BASE + PG(i)), 4);
	folio = vm_folio_at(mm, VM_BASE);
	ASSERT_EQ(folio_mapcount(folio), 16);
	ASSERT_EQ(folio_ref_count(folio), 16);
	ASSERT_EQ(folio_rmap_count(folio), 16);
	ASSERT_TRUE(vm_folio_at(mm, VM_BASE + K(64)) != folio);
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_COLLAPSE_ALLOC), 2);
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_ANON_FAULT_ALLOC), 0);	/* no fault */
	ASSERT_EQ(sum_vm_event(THP_COLLAPSE_ALLOC), 0);			/* PMD order only */
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), 32);
	ASSERT_EQ(atomic_long_read(&nr_anon_pages), 32);
	ASSERT_EQ(nr_free_pages(), free0);	/* 32 pages freed, 32 allocated */
	ASSERT_TRUE(data_intact(mm, 32, 32));
	/* Again: collapsed already, nothing allocated. */
	ASSERT_EQ(vm_madvise(VM_BASE, K(128), MADV_COLLAPSE), 0);
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_COLLAPSE_ALLOC), 2);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* 512 pages, some never written (none), some read (zero page), become one PMD-mapped 2M folio. */
static bool test_collapse_pmd(void)
{
	struct mm_struct *mm = collapse_setup(K(2048), 300);
	struct folio *folio;

	ASSERT_TRUE(mm);
	ASSERT_EQ(vm_user_read(mm, VM_BASE + PG(400)), 0);	/* a zero-page PTE */
	vm_policy_only(9);
	thp_pmd_mapping = true;
	ASSERT_EQ(vm_madvise(VM_BASE, K(2048), MADV_COLLAPSE), 0);
	ASSERT_TRUE(vm_huge_pmd(mm, VM_BASE) != NULL);
	folio = vm_folio_at(mm, VM_BASE);
	ASSERT_EQ(folio_order(folio), 9);
	ASSERT_EQ(folio_mapcount(folio), 512);
	ASSERT_EQ(atomic_read(&folio->_entire_mapcount), 0);
	ASSERT_EQ(atomic_long_read(&nr_anon_thps), 1);
	ASSERT_EQ(mm->nr_pgtables_deposited, 1);	/* the emptied PTE table */
	ASSERT_EQ(sum_vm_event(THP_COLLAPSE_ALLOC), 1);
	ASSERT_EQ(sum_mthp_stat(9, MTHP_STAT_COLLAPSE_ALLOC), 1);
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), 512);
	ASSERT_TRUE(data_intact(mm, 300, 512));
	ASSERT_EQ(vm_madvise(VM_BASE, K(2048), MADV_COLLAPSE), 0);	/* PMD-mapped already */
	ASSERT_EQ(sum_vm_event(THP_COLLAPSE_ALLOC), 1);
	vm_mm_put(mm);
	ASSERT_EQ(atomic_long_read(&nr_anon_thps), 0);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* Every size "never": Linux's MADV_COLLAPSE still makes 2M (sysfs does not limit it). */
static bool test_collapse_ignores_never(void)
{
	struct mm_struct *mm = collapse_setup(K(2048), 512);

	ASSERT_TRUE(mm);
	thp_pmd_mapping = false;
	ASSERT_EQ(vm_madvise(VM_BASE, K(2048), MADV_COLLAPSE), 0);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + PG(511)), 9);
	ASSERT_TRUE(vm_huge_pmd(mm, VM_BASE) == NULL);	/* pmd_mapping 0: 512 PTEs */
	ASSERT_EQ(sum_vm_event(THP_COLLAPSE_ALLOC), 1);
	ASSERT_TRUE(data_intact(mm, 512, 512));
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* The calls' errno, Linux's order. */
static bool test_collapse_errno(void)
{
	struct mm_struct *mm = collapse_setup(K(128), 16);

	ASSERT_TRUE(mm);
	vm_policy_only(4);
	ASSERT_EQ(vm_madvise(VM_BASE + 1, K(64), MADV_COLLAPSE), -EINVAL);	/* unaligned */
	ASSERT_EQ(vm_madvise(VM_BASE, 0, MADV_COLLAPSE), 0);
	ASSERT_EQ(vm_madvise(VM_BASE, K(32), MADV_COLLAPSE), 0);	/* no whole block: nothing asked */
	ASSERT_EQ(vm_order_at(mm, VM_BASE), 0);
	ASSERT_EQ(vm_madvise(VM_BASE + K(64), K(64), MADV_COLLAPSE), -EINVAL);	/* none PTEs only */
	ASSERT_EQ(vm_madvise(VM_BASE, K(128), MADV_COLLAPSE), -EINVAL);	/* the last block failed */
	ASSERT_EQ(vm_order_at(mm, VM_BASE), 4);				/* the first done */
	ASSERT_EQ(vm_munmap(VM_BASE + K(64), K(64)), 0);
	ASSERT_EQ(vm_madvise(VM_BASE, K(256), MADV_COLLAPSE), -ENOMEM);	/* a hole after */
	ASSERT_EQ(vm_order_at(mm, VM_BASE), 4);
	ASSERT_EQ(vm_map_rw(VM_BASE + K(1024), K(64)), (long)(VM_BASE + K(1024)));
	ASSERT_EQ(vm_madvise(VM_BASE + K(1024), K(64), MADV_COLLAPSE), -EINVAL);	/* no anon_vma */
	ASSERT_EQ(vm_madvise(VM_BASE, K(64), MADV_NOHUGEPAGE), 0);
	ASSERT_EQ(vm_madvise(VM_BASE, K(64), MADV_COLLAPSE), -EINVAL);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* After fork both sides map the pages read-only: -EINVAL, nothing changes; a pin: -EAGAIN. */
static bool test_collapse_skips_shared_and_pinned(void)
{
	struct mm_struct *mm = collapse_setup(K(64), 16), *child;
	struct vm_snapshot snap;
	struct folio *folio;

	ASSERT_TRUE(mm);
	vm_policy_only(4);
	child = vm_mm_dup(mm);
	ASSERT_TRUE(child);
	vm_use(mm);
	vm_snapshot(mm, &snap);
	ASSERT_EQ(vm_madvise(VM_BASE, K(64), MADV_COLLAPSE), -EINVAL);
	ASSERT_TRUE(vm_snapshot_same(mm, &snap, 0));
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_COLLAPSE_ALLOC), 0);
	vm_mm_put(child);
	vm_use(mm);
	ASSERT_EQ(vm_user_write(mm, VM_BASE, pattern(0, 0)), 0);	/* reused: writable again */
	folio = vm_folio_at(mm, VM_BASE + PG(5));
	folio_get(folio);	/* an extra reference, as a pin holds */
	vm_snapshot(mm, &snap);
	ASSERT_EQ(vm_madvise(VM_BASE, K(64), MADV_COLLAPSE), -EAGAIN);
	ASSERT_TRUE(vm_snapshot_same(mm, &snap, 0));
	folio_put(folio);
	ASSERT_EQ(vm_madvise(VM_BASE, K(64), MADV_COLLAPSE), 0);
	ASSERT_EQ(vm_order_at(mm, VM_BASE), 4);
	ASSERT_TRUE(data_intact(mm, 16, 16));
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* No folio to be had: -ENOMEM, counted, every PTE and byte as before; then it works. */
static bool test_collapse_alloc_fail(void)
{
	struct mm_struct *mm = collapse_setup(K(2048), 512);
	struct vm_snapshot snap;
	unsigned long free0;

	ASSERT_TRUE(mm);
	vm_policy_only(9);
	thp_pmd_mapping = true;
	free0 = nr_free_pages();
	vm_snapshot(mm, &snap);
	drain_leaving(100);	/* no order-9 block left */
	ASSERT_EQ(vm_madvise(VM_BASE, K(2048), MADV_COLLAPSE), -ENOMEM);
	undrain_all();
	ASSERT_TRUE(vm_snapshot_same(mm, &snap, 0));
	ASSERT_EQ(sum_vm_event(THP_COLLAPSE_ALLOC_FAILED), 1);
	ASSERT_EQ(sum_mthp_stat(9, MTHP_STAT_COLLAPSE_ALLOC_FAILED), 1);
	ASSERT_EQ(sum_vm_event(THP_COLLAPSE_ALLOC), 0);
	ASSERT_EQ(nr_free_pages(), free0);
	ASSERT_TRUE(data_intact(mm, 512, 512));
	hostmm_fail_alloc(1);	/* the scan buffer (kmalloc) */
	ASSERT_EQ(vm_madvise(VM_BASE, K(2048), MADV_COLLAPSE), -ENOMEM);
	hostmm_fail_alloc(0);
	ASSERT_TRUE(vm_snapshot_same(mm, &snap, 0));
	ASSERT_EQ(vm_madvise(VM_BASE, K(2048), MADV_COLLAPSE), 0);
	ASSERT_TRUE(vm_huge_pmd(mm, VM_BASE) != NULL);
	ASSERT_TRUE(data_intact(mm, 512, 512));
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

const struct hostmm_test collapse_tests[] = {
	HOSTMM_TEST(test_collapse_64k),
	HOSTMM_TEST(test_collapse_pmd),
	HOSTMM_TEST(test_collapse_ignores_never),
	HOSTMM_TEST(test_collapse_errno),
	HOSTMM_TEST(test_collapse_skips_shared_and_pinned),
	HOSTMM_TEST(test_collapse_alloc_fail),
	{ NULL, NULL },
};
