/*
 * test_vm.c - address spaces on the host: the mmap family through the
 * SYSCALL_DEFINE entry points (argument checks, placement), partial unmap
 * of large folios (deferred split accounting), MADV_DONTNEED, mprotect
 * split/merge, MADV_HUGEPAGE on a sub-range, the adaptive policy, the two
 * PTE lookups (pte_offset_map_lock never allocates, pte_alloc_map_lock does)
 * and the PTE stores' lock assertion.
 */
#include "tools/hostmm/hostmm_vm.h"

#define ANON_PRIV	(MAP_PRIVATE | MAP_ANONYMOUS)
#define RW		(PROT_READ | PROT_WRITE)

/* ---- the system calls ---- */

static bool test_mmap_syscall_checks(void)
{
	struct mm_struct *mm = vm_setup_current_mm();

	ASSERT_EQ(vm_mmap(0, 0, RW, ANON_PRIV), -EINVAL);
	{
		long a = vm_mmap(0, PAGE_SIZE, RW | 0x100, ANON_PRIV);	/* unknown prot bits: ignored (Linux) */

		ASSERT_TRUE(a > 0);
		ASSERT_EQ(vm_munmap((unsigned long)a, PAGE_SIZE), 0);
	}
	ASSERT_EQ(vm_mmap(0, PAGE_SIZE, RW, MAP_ANONYMOUS), -EINVAL);
	ASSERT_EQ(vm_mmap(0, PAGE_SIZE, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS), -EINVAL);
	ASSERT_EQ(vm_mmap(0, PAGE_SIZE, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN), -EINVAL);
	/* File mappings: every fd of the (empty) table is closed. */
	ASSERT_EQ(vm_mmap(0, PAGE_SIZE, RW, MAP_PRIVATE), -EBADF);
	{
		struct syscall_args a = { { 0, PAGE_SIZE, RW, MAP_PRIVATE, 3, 0 } };

		ASSERT_EQ(sys_mmap(&a), -EBADF);
		a.a[4] = 64;
		ASSERT_EQ(sys_mmap(&a), -EBADF);
		a.a[3] = ANON_PRIV;
		a.a[5] = 5;	/* offset not page aligned */
		ASSERT_EQ(sys_mmap(&a), -EINVAL);
	}
	ASSERT_EQ(vm_mmap(0, TASK_SIZE + PAGE_SIZE, RW, ANON_PRIV), -ENOMEM);
	ASSERT_EQ(vm_mmap(0x1000, PAGE_SIZE, RW, ANON_PRIV | MAP_FIXED), -EPERM);
	ASSERT_EQ(vm_mmap(VM_BASE + 1, PAGE_SIZE, RW, ANON_PRIV | MAP_FIXED), -EINVAL);
	ASSERT_EQ(vm_mmap(TASK_SIZE - PAGE_SIZE, 2 * PAGE_SIZE, RW, ANON_PRIV | MAP_FIXED), -ENOMEM);
	/* Top-down placement below mmap_base, rounded up to pages. */
	ASSERT_EQ(vm_mmap(0, 100, RW, ANON_PRIV), (long)(VM_MMAP_BASE - PAGE_SIZE));
	ASSERT_EQ(vm_mmap(0, K(64), PROT_READ, ANON_PRIV), (long)(VM_MMAP_BASE - PAGE_SIZE - K(64)));
	ASSERT_EQ(mm->map_count, 2);	/* different flags: no merge */
	/* A free hint is honoured; a taken one is not. */
	ASSERT_EQ(vm_mmap(VM_BASE, K(8), RW, ANON_PRIV), (long)VM_BASE);
	ASSERT_EQ(vm_mmap(VM_BASE, K(8), RW, ANON_PRIV), (long)(VM_MMAP_BASE - PAGE_SIZE - K(72)));
	ASSERT_EQ(vm_mmap(VM_BASE + K(4), K(8), RW, ANON_PRIV | MAP_FIXED_NOREPLACE), -EEXIST);
	/* Adjacent with the same flags: merged. */
	ASSERT_EQ(vm_map_rw(VM_BASE + K(8), K(8)), (long)(VM_BASE + K(8)));
	ASSERT_EQ(vm_vma(mm, VM_BASE)->vm_end, VM_BASE + K(16));
	ASSERT_EQ(mm->map_count, 4);
	/* munmap checks. */
	ASSERT_EQ(vm_munmap(VM_BASE + 1, PAGE_SIZE), -EINVAL);
	ASSERT_EQ(vm_munmap(VM_BASE, 0), -EINVAL);
	ASSERT_EQ(vm_munmap(TASK_SIZE, PAGE_SIZE), -EINVAL);
	ASSERT_EQ(vm_munmap(VM_BASE + K(4), K(4)), 0);	/* a hole in the middle: split */
	ASSERT_EQ(mm->map_count, 5);
	ASSERT_EQ(vm_munmap(VM_BASE + K(1024), K(4)), 0);	/* nothing there: fine */
	/* mprotect checks. */
	ASSERT_EQ(vm_mprotect(VM_BASE + 1, K(4), PROT_READ), -EINVAL);
	ASSERT_EQ(vm_mprotect(VM_BASE, K(4), 0x10), -EINVAL);
	ASSERT_EQ(vm_mprotect(VM_BASE, 0, PROT_READ), 0);
	ASSERT_EQ(vm_mprotect(VM_BASE, K(16), PROT_READ), -ENOMEM);	/* the hole */
	/* madvise checks. */
	ASSERT_EQ(vm_madvise(VM_BASE + 1, K(4), MADV_DONTNEED), -EINVAL);
	ASSERT_EQ(vm_madvise(VM_BASE, K(4), 99), -EINVAL);
	ASSERT_EQ(vm_madvise(VM_BASE, 0, MADV_DONTNEED), 0);
	ASSERT_EQ(vm_madvise(VM_BASE, K(16), MADV_NORMAL), -ENOMEM);
	ASSERT_EQ(vm_madvise(VM_BASE + K(8), K(8), MADV_WILLNEED), 0);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* MAP_FIXED | MAP_FIXED_NOREPLACE over a live mapping: -EEXIST and nothing touched (Linux). */
/*
 * arm64's user space (hostmm_set_user_space): addresses up to 2^48 map,
 * fault and unmap (the root's upper half holds user tables), what x86_64's
 * 47 bits refuse; fork_test's 192 TiB MAP_NORESERVE region fits, touched at
 * both ends; every page and table comes back.
 */
static bool test_mmap_arm64_user_space(void)
{
	const unsigned long top = 1UL << 48, big = 192UL << 40;
	struct mm_struct *mm = vm_setup_current_mm();
	unsigned long free0;

	ASSERT_EQ(vm_mmap(1UL << 47, PAGE_SIZE, RW, ANON_PRIV | MAP_FIXED), -ENOMEM);	/* x86_64's: refused */
	vm_mm_put(mm);
	hostmm_set_user_space(HOSTMM_USER_ARM64);
	ASSERT_EQ(TASK_SIZE, top);
	free0 = nr_free_pages();
	mm = vm_mm_new();
	vm_use(mm);
	ASSERT_EQ(mm->mmap_base, 0xff0000000000UL);
	ASSERT_EQ(vm_mmap(0, PAGE_SIZE, RW, ANON_PRIV), (long)(0xff0000000000UL - PAGE_SIZE));
	ASSERT_EQ(vm_mmap(top - PAGE_SIZE, 2 * PAGE_SIZE, RW, ANON_PRIV | MAP_FIXED), -ENOMEM);
	ASSERT_EQ(vm_mmap(top - K(64), K(64), RW, ANON_PRIV | MAP_FIXED), (long)(top - K(64)));
	ASSERT_EQ(vm_mmap(1UL << 40, big, RW, ANON_PRIV | MAP_NORESERVE), (long)(1UL << 40));
	ASSERT_EQ(vm_user_write(mm, 1UL << 40, 'a'), VM_FAULT_OK);
	ASSERT_EQ(vm_user_write(mm, (1UL << 40) + big - 1, 'z'), VM_FAULT_OK);
	ASSERT_EQ(vm_user_write(mm, top - 1, 't'), VM_FAULT_OK);
	ASSERT_EQ(vm_user_read(mm, (1UL << 40) + big - 1), 'z');
	ASSERT_EQ(vm_user_read(mm, top - 1), 't');
	ASSERT_EQ(vm_munmap(top - K(64), K(64)), 0);
	ASSERT_EQ(vm_munmap(top, PAGE_SIZE), -EINVAL);
	ASSERT_EQ(vm_user_read(mm, (1UL << 40)), 'a');
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), free0);
	hostmm_set_user_space(HOSTMM_USER_X86_64);
	return true;
}

static bool test_mmap_fixed_noreplace_wins(void)
{
	struct mm_struct *mm = vm_setup_current_mm();
	struct folio *folio;

	ASSERT_EQ(vm_map_rw(VM_BASE, K(16)), (long)VM_BASE);
	ASSERT_EQ(vm_fault(mm, VM_BASE + K(4), true), VM_FAULT_OK);
	folio = vm_folio_at(mm, VM_BASE + K(4));
	memset(folio_address(folio), 0x5a, PAGE_SIZE);
	ASSERT_EQ(vm_mmap(VM_BASE + K(4), K(4), RW, ANON_PRIV | MAP_FIXED | MAP_FIXED_NOREPLACE), -EEXIST);
	ASSERT_EQ(vm_mmap(VM_BASE + K(12), K(8), RW, ANON_PRIV | MAP_FIXED | MAP_FIXED_NOREPLACE), -EEXIST);
	ASSERT_TRUE(vm_folio_at(mm, VM_BASE + K(4)) == folio);
	ASSERT_EQ(((unsigned char *)folio_address(folio))[PAGE_SIZE - 1], 0x5a);
	ASSERT_EQ(mm->map_count, 1);
	ASSERT_EQ(vm_vma(mm, VM_BASE)->vm_end, VM_BASE + K(16));
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), 1);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* MAP_POPULATE and MADV_POPULATE_WRITE go through the fault path: same orders. */
static bool test_mmap_populate(void)
{
	struct mm_struct *mm = vm_setup_current_mm();

	vm_policy_only(4);
	ASSERT_EQ(vm_mmap(VM_BASE, K(128), RW, ANON_PRIV | MAP_FIXED | MAP_POPULATE), (long)VM_BASE);
	ASSERT_EQ(vm_order_at(mm, VM_BASE), 4);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + K(64)), 4);
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), 32);
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_ANON_FAULT_ALLOC), 2);
	ASSERT_EQ(vm_mmap(VM_BASE + K(1024), K(64), PROT_READ, ANON_PRIV | MAP_FIXED), (long)(VM_BASE + K(1024)));
	ASSERT_EQ(vm_madvise(VM_BASE + K(1024), K(64), MADV_POPULATE_WRITE), -EINVAL);
	ASSERT_EQ(vm_madvise(VM_BASE + K(1024), K(64), MADV_POPULATE_READ), 0);
	ASSERT_EQ(pte_pfn(vm_pte(mm, VM_BASE + K(1024 + 60))), page_to_pfn(zero_page));
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), 32);
	ASSERT_EQ(vm_map_rw(VM_BASE + K(2048), K(64)), (long)(VM_BASE + K(2048)));
	ASSERT_EQ(vm_madvise(VM_BASE + K(2048), K(64), MADV_POPULATE_WRITE), 0);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + K(2048)), 4);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* ---- (5) partial unmap of a 64K folio ---- */

static bool test_munmap_partial_folio(void)
{
	struct mm_struct *mm = vm_setup_current_mm();
	struct folio *folio;
	unsigned long free_before, anon_before, tables;

	vm_policy_only(4);
	ASSERT_EQ(vm_map_rw(VM_BASE, K(64)), (long)VM_BASE);
	vm_prealloc_tables(mm, VM_BASE);
	tables = mm_pgtables_bytes(mm) >> PAGE_SHIFT;
	free_before = nr_free_pages();
	anon_before = atomic_long_read(&nr_anon_pages);
	ASSERT_EQ(vm_fault(mm, VM_BASE, true), VM_FAULT_OK);
	folio = vm_folio_at(mm, VM_BASE);
	ASSERT_EQ(folio_order(folio), 4);
	ASSERT_EQ(nr_free_pages(), free_before - 16);

	/* Unmap the first 16K: partially mapped, queued once. */
	ASSERT_EQ(vm_munmap(VM_BASE, K(16)), 0);
	ASSERT_TRUE(folio_test_partially_mapped(folio));
	ASSERT_EQ(atomic_read(&folio->_nr_pages_mapped), 12);
	ASSERT_EQ(atomic_read(&folio->_large_mapcount), 11);
	ASSERT_EQ(folio_ref_count(folio), 12);
	ASSERT_EQ(folio_rmap_count(folio), 12);
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_SPLIT_DEFERRED), 1);
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_NR_ANON_PARTIALLY_MAPPED), 1);
	ASSERT_EQ(sum_vm_event(THP_DEFERRED_SPLIT_PAGE), 0);	/* Linux: the PMD size only */
	ASSERT_EQ(deferred_split_count(), 1);
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), 12);
	ASSERT_EQ(atomic_long_read(&nr_anon_pages), anon_before + 12);	/* AnonPages: mapped pages only */
	ASSERT_EQ(nr_free_pages(), free_before - 16);	/* the folio is still whole */
	debug_vm_check_mm_rmap(mm);

	/* More of it: still counted once. */
	ASSERT_EQ(vm_munmap(VM_BASE + K(32), K(8)), 0);
	ASSERT_EQ(atomic_read(&folio->_nr_pages_mapped), 10);
	ASSERT_EQ(atomic_long_read(&nr_anon_pages), anon_before + 10);
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_SPLIT_DEFERRED), 1);
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_NR_ANON_PARTIALLY_MAPPED), 1);
	ASSERT_EQ(deferred_split_count(), 1);
	ASSERT_EQ(mm->map_count, 2);

	/* The rest: the folio is freed and leaves the queue; no VMA is left, so no page table. */
	ASSERT_EQ(vm_munmap(VM_BASE, K(64)), 0);
	ASSERT_EQ(mm->map_count, 0);
	ASSERT_TRUE(tables > 0);
	ASSERT_EQ(mm_pgtables_bytes(mm), 0);
	ASSERT_EQ(nr_free_pages(), free_before + tables);
	ASSERT_EQ(atomic_long_read(&nr_anon_pages), anon_before);
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_NR_ANON_PARTIALLY_MAPPED), 0);
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_NR_ANON), 0);
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_SPLIT_DEFERRED), 1);
	ASSERT_EQ(deferred_split_count(), 0);
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), 0);
	memmap_check();
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* ---- (7) MADV_DONTNEED ---- */

static bool test_madv_dontneed(void)
{
	struct mm_struct *mm = vm_setup_current_mm();
	struct folio *folio;
	unsigned long free_before;

	vm_policy_only(4);
	ASSERT_EQ(vm_map_rw(VM_BASE, K(128)), (long)VM_BASE);
	vm_prealloc_tables(mm, VM_BASE);
	free_before = nr_free_pages();
	ASSERT_EQ(vm_fault(mm, VM_BASE, true), VM_FAULT_OK);
	ASSERT_EQ(vm_fault(mm, VM_BASE + K(64), true), VM_FAULT_OK);
	ASSERT_EQ(nr_free_pages(), free_before - 32);
	memset(folio_address(vm_folio_at(mm, VM_BASE)), 0x5a, K(64));

	/* Whole first folio: gone, the VMA stays, the next touch sees zeroes. */
	ASSERT_EQ(vm_madvise(VM_BASE, K(64), MADV_DONTNEED), 0);
	ASSERT_EQ(mm->map_count, 1);
	ASSERT_TRUE(pte_none(vm_pte(mm, VM_BASE)));
	ASSERT_EQ(nr_free_pages(), free_before - 16);
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), 16);
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_SPLIT_DEFERRED), 0);
	ASSERT_EQ(vm_fault(mm, VM_BASE + K(4), true), VM_FAULT_OK);
	folio = vm_folio_at(mm, VM_BASE);
	ASSERT_EQ(folio_order(folio), 4);
	for (unsigned long b = 0; b < K(64); b++)
		ASSERT_EQ(((unsigned char *)folio_address(folio))[b], 0);

	/* Part of the second: partially mapped, no VMA split. */
	folio = vm_folio_at(mm, VM_BASE + K(64));
	ASSERT_EQ(vm_madvise(VM_BASE + K(64 + 4), K(4), MADV_DONTNEED), 0);
	ASSERT_EQ(mm->map_count, 1);
	ASSERT_TRUE(folio_test_partially_mapped(folio));
	ASSERT_EQ(atomic_read(&folio->_nr_pages_mapped), 15);
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_SPLIT_DEFERRED), 1);
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_NR_ANON_PARTIALLY_MAPPED), 1);
	/* The hole refaults: order 4 no longer fits there, order 0. */
	ASSERT_EQ(vm_fault(mm, VM_BASE + K(64 + 4), true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + K(64 + 4)), 0);
	ASSERT_EQ(vm_madvise(VM_BASE, K(128), MADV_DONTNEED), 0);
	ASSERT_EQ(nr_free_pages(), free_before);
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_NR_ANON_PARTIALLY_MAPPED), 0);
	ASSERT_EQ(deferred_split_count(), 0);
	ASSERT_EQ(atomic_long_read(&nr_anon_pages), 0);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* ---- (7) mprotect: split, PTE rewrite, merge ---- */

static bool test_mprotect_split_merge(void)
{
	struct mm_struct *mm = vm_setup_current_mm();
	struct vm_area_struct *vma;

	vm_policy_only(4);
	ASSERT_EQ(vm_map_rw(VM_BASE, K(64)), (long)VM_BASE);
	ASSERT_EQ(vm_fault(mm, VM_BASE, true), VM_FAULT_OK);
	ASSERT_TRUE(pte_write(vm_pte(mm, VM_BASE + K(16))));
	ASSERT_EQ(vm_mprotect(VM_BASE + K(16), K(16), PROT_READ), 0);
	ASSERT_EQ(mm->map_count, 3);
	vma = vm_vma(mm, VM_BASE + K(16));
	ASSERT_EQ(vma->vm_start, VM_BASE + K(16));
	ASSERT_EQ(vma->vm_end, VM_BASE + K(32));
	ASSERT_EQ(vma->vm_flags & VM_ACCESS_FLAGS, VM_READ);
	ASSERT_EQ(vma->vm_pgoff, (VM_BASE + K(16)) >> PAGE_SHIFT);
	ASSERT_TRUE(vma->anon_vma == vm_vma(mm, VM_BASE)->anon_vma);
	ASSERT_FALSE(pte_write(vm_pte(mm, VM_BASE + K(16))));
	ASSERT_TRUE(pte_present(vm_pte(mm, VM_BASE + K(16))));
	ASSERT_TRUE(pte_dirty(vm_pte(mm, VM_BASE + K(16))));
	ASSERT_TRUE(pte_write(vm_pte(mm, VM_BASE + K(12))));
	ASSERT_TRUE(pte_write(vm_pte(mm, VM_BASE + K(32))));
	ASSERT_EQ(folio_rmap_count(vm_folio_at(mm, VM_BASE)), 16);
	debug_vm_check_mm_rmap(mm);
	/* Writes there now fail; PROT_NONE keeps the frame but faults on reads too. */
	ASSERT_EQ(do_page_fault(VM_BASE + K(16), FAULT_FLAG_WRITE), VM_FAULT_SIGSEGV);
	ASSERT_EQ(vm_mprotect(VM_BASE + K(20), K(4), PROT_NONE), 0);
	ASSERT_EQ(mm->map_count, 5);
	ASSERT_EQ(do_page_fault(VM_BASE + K(20), 0), VM_FAULT_SIGSEGV);
	ASSERT_TRUE(pte_present(vm_pte(mm, VM_BASE + K(20))));
	ASSERT_EQ(pte_pfn(vm_pte(mm, VM_BASE + K(20))), folio_pfn(vm_folio_at(mm, VM_BASE)) + 5);
	/* Back to RW everywhere: one VMA again. */
	ASSERT_EQ(vm_mprotect(VM_BASE, K(64), RW), 0);
	ASSERT_EQ(mm->map_count, 1);
	vma = vm_vma(mm, VM_BASE);
	ASSERT_EQ(vma->vm_start, VM_BASE);
	ASSERT_EQ(vma->vm_end, VM_BASE + K(64));
	ASSERT_EQ(folio_rmap_count(vm_folio_at(mm, VM_BASE)), 16);
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), 16);
	debug_vm_check_mm_rmap(mm);
	/* A range with a hole: -ENOMEM, nothing changed. */
	ASSERT_EQ(vm_mprotect(VM_BASE, K(128), PROT_READ), -ENOMEM);
	ASSERT_EQ(mm->map_count, 1);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/*
 * An exclusive, already-written large folio stays one folio across an
 * mprotect that keeps it writable: a write after mprotect(RW) must not copy
 * pages out of it (Linux keeps exclusive anon PTEs writable,
 * can_change_pte_writable, and reuses exclusive large folios on a write fault).
 */
static bool test_mprotect_rw_keeps_large_folio(void)
{
	struct mm_struct *mm = vm_setup_current_mm();
	struct folio *folio;
	unsigned long free_before;

	vm_policy_only(4);
	ASSERT_EQ(vm_map_rw(VM_BASE, K(64)), (long)VM_BASE);
	ASSERT_EQ(vm_fault(mm, VM_BASE, true), VM_FAULT_OK);
	folio = vm_folio_at(mm, VM_BASE);
	free_before = nr_free_pages();
	ASSERT_EQ(vm_mprotect(VM_BASE, K(64), RW), 0);
	ASSERT_EQ(vm_fault(mm, VM_BASE + K(8), true), VM_FAULT_OK);
	ASSERT_TRUE(vm_folio_at(mm, VM_BASE + K(8)) == folio);
	ASSERT_FALSE(folio_test_partially_mapped(folio));
	ASSERT_EQ(nr_free_pages(), free_before);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* ---- (7) MADV_HUGEPAGE on a sub-range ---- */

static bool test_madv_hugepage_subrange(void)
{
	struct mm_struct *mm = vm_setup_current_mm();
	struct vm_area_struct *vma;

	vm_policy(THP_MADVISE, THP_INHERIT);
	ASSERT_EQ(vm_map_rw(VM_BASE, K(512)), (long)VM_BASE);
	ASSERT_EQ(vm_madvise(VM_BASE + K(128), K(256), MADV_HUGEPAGE), 0);
	ASSERT_EQ(mm->map_count, 3);
	vma = vm_vma(mm, VM_BASE + K(128));
	ASSERT_EQ(vma->vm_start, VM_BASE + K(128));
	ASSERT_EQ(vma->vm_end, VM_BASE + K(384));
	ASSERT_TRUE(vma->vm_flags & VM_HUGEPAGE);
	ASSERT_FALSE(vm_vma(mm, VM_BASE)->vm_flags & VM_HUGEPAGE);
	ASSERT_FALSE(vm_vma(mm, VM_BASE + K(384))->vm_flags & VM_HUGEPAGE);
	/* Inside: the largest order that fits the VMA (128K aligned block: order 5). */
	ASSERT_EQ(vm_fault(mm, VM_BASE + K(130), true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + K(130)), 5);
	ASSERT_EQ(vm_fault(mm, VM_BASE + K(256), true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + K(256)), 5);
	/* Outside: order 0. */
	ASSERT_EQ(vm_fault(mm, VM_BASE, true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE), 0);
	ASSERT_EQ(vm_fault(mm, VM_BASE + K(400), true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + K(400)), 0);
	/* Again on the same range: nothing to do.  Then NOHUGEPAGE on part of it. */
	ASSERT_EQ(vm_madvise(VM_BASE + K(128), K(256), MADV_HUGEPAGE), 0);
	ASSERT_EQ(mm->map_count, 3);
	ASSERT_EQ(vm_madvise(VM_BASE + K(128), K(128), MADV_NOHUGEPAGE), 0);
	ASSERT_EQ(mm->map_count, 4);
	ASSERT_TRUE(vm_vma(mm, VM_BASE + K(128))->vm_flags & VM_NOHUGEPAGE);
	ASSERT_FALSE(vm_vma(mm, VM_BASE + K(128))->vm_flags & VM_HUGEPAGE);
	debug_vm_check_mm_rmap(mm);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* ---- (8) the adaptive policy ---- */

static bool test_adaptive_sequential_raises_cap(void)
{
	/* 2 MiB VMA, every size allowed, fault each first unmapped page in turn. */
	static const struct { unsigned int page, order, cap; } steps[] = {
		{ 0, 4, 4 }, { 16, 4, 5 }, { 32, 5, 5 }, { 64, 5, 6 }, { 96, 5, 6 },
		{ 128, 6, 6 }, { 192, 6, 7 }, { 256, 7, 7 }, { 384, 7, 8 },
	};
	struct mm_struct *mm = vm_setup_current_mm();
	struct vm_area_struct *vma;

	vm_policy(THP_ALWAYS, THP_INHERIT);
	anon_order_config.policy = ANON_POLICY_ADAPTIVE;
	ASSERT_EQ(vm_map_rw(VM_BASE, K(2048)), (long)VM_BASE);
	vma = vm_vma(mm, VM_BASE);
	ASSERT_EQ(anon_policy_state(vma), ANON_ORDER_CAP_INITIAL);
	for (unsigned int i = 0; i < ARRAY_SIZE(steps); i++) {
		ASSERT_EQ(vm_fault(mm, VM_BASE + PG(steps[i].page), true), VM_FAULT_OK);
		ASSERT_EQ(vm_order_at(mm, VM_BASE + PG(steps[i].page)), steps[i].order);
		ASSERT_EQ(anon_policy_state(vma), steps[i].cap);
	}
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), 512);
	/* MADV_DONTNEED of part of the last (order 7) folio: cap below 7. */
	ASSERT_EQ(vm_madvise(VM_BASE + PG(400), PG(1), MADV_DONTNEED), 0);
	ASSERT_EQ(anon_policy_state(vma), 6);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* Static policy: the cap is not consulted and does not move. */
static bool test_adaptive_static_ignores_cap(void)
{
	struct mm_struct *mm = vm_setup_current_mm();
	struct vm_area_struct *vma;

	vm_policy(THP_ALWAYS, THP_INHERIT);
	ASSERT_EQ(vm_map_rw(VM_BASE, K(2048)), (long)VM_BASE);
	vma = vm_vma(mm, VM_BASE);
	ASSERT_EQ(vm_fault(mm, VM_BASE, true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE), 9);
	ASSERT_EQ(vm_madvise(VM_BASE, PG(1), MADV_DONTNEED), 0);
	ASSERT_TRUE(vma->policy_owner == NULL);	/* nobody wrote the VMA's word */
	anon_order_config.policy = ANON_POLICY_ADAPTIVE;
	ASSERT_EQ(anon_policy_state(vma), ANON_ORDER_CAP_INITIAL);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/*
 * A partial munmap of a large folio is sparse use too (anon_order.c): the
 * VMA left mapping the rest of the folio gets its cap lowered below the
 * folio's order, and its next faults are capped.
 */
static bool test_adaptive_partial_munmap_lowers_cap(void)
{
	struct mm_struct *mm = vm_setup_current_mm();
	struct vm_area_struct *vma;

	vm_policy(THP_ALWAYS, THP_INHERIT);
	anon_order_config.policy = ANON_POLICY_ADAPTIVE;
	ASSERT_EQ(vm_map_rw(VM_BASE, K(2048)), (long)VM_BASE);
	ASSERT_EQ(vm_fault(mm, VM_BASE, true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE), 4);
	/* Unmap the folio's last page: [0, 15 pages) keeps the rest of it. */
	ASSERT_EQ(vm_munmap(VM_BASE + PG(15), PG(1)), 0);
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_SPLIT_DEFERRED), 1);
	vma = vm_vma(mm, VM_BASE);
	ASSERT_EQ(vma->vm_end, VM_BASE + PG(15));
	ASSERT_EQ(anon_policy_state(vma), 3);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/*
 * munmap splits the range off before zapping it: the partial unmap is
 * reported to the VMA that survives with the rest of the folio, not to the
 * one being removed.  A cut inside one folio leaves parts below and above:
 * the one above hears of it.
 */
static bool test_adaptive_partial_munmap_tells_survivor(void)
{
	const unsigned long b = VM_BASE + K(4096);
	struct mm_struct *mm = vm_setup_current_mm();

	vm_policy(THP_ALWAYS, THP_INHERIT);
	anon_order_config.policy = ANON_POLICY_ADAPTIVE;
	ASSERT_EQ(vm_map_rw(VM_BASE, K(2048)), (long)VM_BASE);
	ASSERT_EQ(vm_fault(mm, VM_BASE, true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE), 4);
	ASSERT_EQ(vm_munmap(VM_BASE, PG(4)), 0);
	ASSERT_EQ(vm_vma(mm, VM_BASE + PG(4))->vm_start, VM_BASE + PG(4));
	ASSERT_EQ(anon_policy_state(vm_vma(mm, VM_BASE + PG(4))), 3);

	ASSERT_EQ(vm_map_rw(b, K(2048)), (long)b);
	ASSERT_EQ(vm_fault(mm, b, true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, b), 4);
	ASSERT_EQ(vm_munmap(b + PG(5), PG(2)), 0);
	ASSERT_EQ(vm_vma(mm, b)->vm_end, b + PG(5));
	ASSERT_EQ(anon_policy_state(vm_vma(mm, b)), ANON_ORDER_CAP_INITIAL);
	ASSERT_EQ(anon_policy_state(vm_vma(mm, b + PG(7))), 3);
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_SPLIT_DEFERRED), 2);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/*
 * A 64 TiB reservation with three pages touched, far apart: fork, split_range,
 * mprotect, munmap and exit visit only the PTE tables that exist (pte_next_table_lock
 * skips each empty upper-level entry in one step), so this finishes at
 * once instead of walking 32 million PTE-table slots (or, for mprotect,
 * 16 billion pages).
 */
static bool test_huge_sparse_mapping_costs_what_is_touched(void)
{
	const unsigned long len = 64UL << 40;
	struct mm_struct *mm = vm_setup_current_mm(), *child;
	unsigned long base, at[3];
	long ret;

	vm_policy(THP_NEVER, THP_NEVER);
	ret = vm_mmap(0, len, RW, ANON_PRIV | MAP_NORESERVE);	/* more than RAM: not charged */
	ASSERT_TRUE(ret > 0);
	base = (unsigned long)ret;
	at[0] = base;
	at[1] = base + len / 2 + K(4);
	at[2] = base + len - PAGE_SIZE;
	for (unsigned int i = 0; i < 3; i++)
		ASSERT_EQ(vm_fault(mm, at[i], true), VM_FAULT_OK);
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), 3);
	child = vm_mm_dup(mm);
	ASSERT_TRUE(child != NULL);
	ASSERT_EQ(get_mm_counter(child, MM_ANONPAGES), 3);
	ASSERT_TRUE(vm_folio_at(child, at[1]) == vm_folio_at(mm, at[1]));
	ASSERT_EQ(split_huge_pages_mm(mm, base, base + len, 0, -1), 0);	/* the split_range knob */
	ASSERT_EQ(vm_mprotect(base, len, PROT_READ), 0);
	ASSERT_FALSE(pte_write(vm_pte(mm, at[2])));
	ASSERT_TRUE(pte_present(vm_pte(mm, at[2])));
	ASSERT_EQ(vm_madvise(base, len / 2, MADV_DONTNEED), 0);
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), 2);
	ASSERT_EQ(vm_munmap(base + len / 4, len / 2), 0);
	ASSERT_EQ(get_mm_counter(mm, MM_ANONPAGES), 1);
	ASSERT_EQ(mm->map_count, 2);
	vm_mm_put(child);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/*
 * pte_offset_map_lock finds no table where none was built (and builds
 * none); pte_alloc_map_lock builds the tables, or returns NULL when it
 * cannot; afterwards both give the same PTE and lock.
 */
static bool test_pte_map_lock_alloc(void)
{
	struct mm_struct *mm = vm_setup_current_mm();
	unsigned long free_before = nr_free_pages();
	spinlock_t *ptl, *ptl2;
	pte_t *ptep;

	ASSERT_TRUE(pte_offset_map_lock(mm, VM_BASE, &ptl) == NULL);
	ASSERT_EQ(nr_free_pages(), free_before);
	drain_all();
	ASSERT_TRUE(pte_alloc_map_lock(mm, VM_BASE, &ptl) == NULL);
	undrain_all();
	ASSERT_EQ(nr_free_pages(), free_before);
	ptep = pte_alloc_map_lock(mm, VM_BASE, &ptl);
	ASSERT_TRUE(ptep != NULL);
	assert_spin_locked(ptl);
	spin_unlock(ptl);
	ASSERT_TRUE(nr_free_pages() < free_before);
	ASSERT_TRUE(pte_offset_map_lock(mm, VM_BASE + PG(1), &ptl2) == ptep + 1);
	ASSERT_TRUE(ptl2 == ptl);
	spin_unlock(ptl2);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* Every PTE store helper refuses to run without the PTE-table lock. */
static bool test_pte_stores_assert_ptl(void)
{
	struct mm_struct *mm = vm_setup_current_mm();
	spinlock_t *ptl;
	pte_t *ptep = pte_alloc_map_lock(mm, VM_BASE, &ptl);

	ASSERT_TRUE(ptep != NULL);
	spin_unlock(ptl);
	ASSERT_PANICS("set_ptes: lock ptl not held",
		      set_ptes(mm, VM_BASE, ptep, pfn_pte(page_to_pfn(zero_page), PAGE_READONLY), 1));
	ASSERT_PANICS("clear_ptes: lock ptl not held", clear_ptes(mm, VM_BASE, ptep, 1));
	ASSERT_PANICS("wrprotect_ptes: lock ptl not held", wrprotect_ptes(mm, VM_BASE, ptep, 1));
	ASSERT_PANICS("clear_ptes: lock ptl not held", ptep_get_and_clear(mm, VM_BASE, ptep));
	ASSERT_PANICS("ptep_set: lock ptl not held", ptep_set(mm, VM_BASE, ptep, __pte(0)));
	return true;
}

const struct hostmm_test vm_tests[] = {
	HOSTMM_TEST(test_mmap_syscall_checks),
	HOSTMM_TEST(test_mmap_arm64_user_space),
	HOSTMM_TEST(test_mmap_fixed_noreplace_wins),
	HOSTMM_TEST(test_mmap_populate),
	HOSTMM_TEST(test_munmap_partial_folio),
	HOSTMM_TEST(test_madv_dontneed),
	HOSTMM_TEST(test_mprotect_split_merge),
	HOSTMM_TEST(test_mprotect_rw_keeps_large_folio),
	HOSTMM_TEST(test_madv_hugepage_subrange),
	HOSTMM_TEST(test_adaptive_sequential_raises_cap),
	HOSTMM_TEST(test_adaptive_static_ignores_cap),
	HOSTMM_TEST(test_adaptive_partial_munmap_lowers_cap),
	HOSTMM_TEST(test_adaptive_partial_munmap_tells_survivor),
	HOSTMM_TEST(test_huge_sparse_mapping_costs_what_is_touched),
	HOSTMM_TEST(test_pte_map_lock_alloc),
	HOSTMM_TEST(test_pte_stores_assert_ptl),
	{ NULL, NULL },
};
