/*
 * test_mmu_gather.c - the unmap's TLB batching (mm/mmu_gather.c): nothing it
 * unmapped is freed before the flush (host_tlb records the free page count
 * at each flush), a full batch flushes early, tables force a whole-mm
 * flush; through the real paths a 64K munmap and MADV_DONTNEED are one
 * range flush of the folio's 16 pages, and an exit one flush for every VMA
 * and table; and a random sequence of gathers checked against a model
 * after every step.
 */
#include "tools/hostmm/hostmm.h"
#include "tools/hostmm/hostmm_vm.h"
#include "mm/gfp.h"
#include "mm/mmu_gather.h"
#include "mm/pgtable.h"
#include <uapi/mman.h>

/* Queue one fresh order-`order` folio unmapped at addr on tlb; returns it. */
static struct folio *queue_new_folio(struct mmu_gather *tlb, unsigned long addr, unsigned int order)
{
	struct folio *folio = folio_alloc(GFP_KERNEL, order);

	if (!folio)
		panic("queue_new_folio: out of memory");
	tlb_flush_pte_range(tlb, addr, PAGE_SIZE << order);
	tlb_remove_folio_refs(tlb, folio, 1);
	return folio;
}

static bool test_mmu_gather_frees_after_flush(void)
{
	struct mm_struct *mm;
	struct mmu_gather tlb;
	struct folio *folio;
	unsigned long free_before, flushes;

	vm_setup();
	mm = vm_mm_new();
	tlb_gather_mmu(&tlb, mm);
	flushes = host_tlb.flushes;
	folio = queue_new_folio(&tlb, VM_BASE, 0);
	free_before = nr_free_pages();
	ASSERT_EQ(folio_ref_count(folio), 1);		/* held until the flush */
	ASSERT_EQ(host_tlb.flushes, flushes);
	tlb_finish_mmu(&tlb);
	ASSERT_EQ(host_tlb.flushes, flushes + 1);
	ASSERT_EQ(host_tlb.start, VM_BASE);
	ASSERT_EQ(host_tlb.end, VM_BASE + PAGE_SIZE);
	ASSERT_EQ(host_tlb.free_pages_at_flush, free_before);	/* freed after it */
	ASSERT_EQ(nr_free_pages(), free_before + 1);
	ASSERT_EQ(tlb.nr_flushes, 1);
	return true;
}

/* 33 folios: the 32nd fills the batch and flushes the first 32 pages; the last goes at finish. */
static bool test_mmu_gather_full_batch_flushes_early(void)
{
	struct mm_struct *mm;
	struct mmu_gather tlb;
	unsigned long free_before, flushes;

	vm_setup();
	mm = vm_mm_new();
	tlb_gather_mmu(&tlb, mm);
	flushes = host_tlb.flushes;
	for (unsigned int i = 0; i < MMU_GATHER_BATCH - 1; i++)
		queue_new_folio(&tlb, VM_BASE + PG(i), 0);
	free_before = nr_free_pages();
	ASSERT_EQ(host_tlb.flushes, flushes);
	queue_new_folio(&tlb, VM_BASE + PG(MMU_GATHER_BATCH - 1), 0);
	ASSERT_EQ(host_tlb.flushes, flushes + 1);
	ASSERT_EQ(host_tlb.start, VM_BASE);
	ASSERT_EQ(host_tlb.end, VM_BASE + PG(MMU_GATHER_BATCH));
	ASSERT_EQ(host_tlb.free_pages_at_flush, free_before - 1);	/* the 32nd allocated, none freed */
	ASSERT_EQ(nr_free_pages(), free_before - 1 + MMU_GATHER_BATCH);
	ASSERT_EQ(tlb.nr, 0);
	queue_new_folio(&tlb, VM_BASE + PG(MMU_GATHER_BATCH), 0);
	tlb_finish_mmu(&tlb);
	ASSERT_EQ(host_tlb.flushes, flushes + 2);
	ASSERT_EQ(host_tlb.start, VM_BASE + PG(MMU_GATHER_BATCH));
	ASSERT_EQ(host_tlb.end, VM_BASE + PG(MMU_GATHER_BATCH + 1));
	ASSERT_EQ(nr_free_pages(), free_before - 1 + MMU_GATHER_BATCH);	/* all 33 back */
	return true;
}

/* A page table queued: one whole-mm flush (walk caches), the table freed after it; nothing gathered: none. */
static bool test_mmu_gather_tables_flush_whole_mm(void)
{
	struct mm_struct *mm;
	struct mmu_gather tlb;
	struct page *table;
	unsigned long free_before, flushes;

	vm_setup();
	mm = vm_mm_new();
	flushes = host_tlb.flushes;
	tlb_gather_mmu(&tlb, mm);
	tlb_finish_mmu(&tlb);
	ASSERT_EQ(host_tlb.flushes, flushes);		/* nothing to flush */
	tlb_gather_mmu(&tlb, mm);
	table = pte_alloc_one();
	ASSERT_TRUE(table != NULL);
	free_before = nr_free_pages();
	tlb_flush_pte_range(&tlb, VM_BASE, PAGE_SIZE);
	tlb_remove_table(&tlb, table);
	tlb_finish_mmu(&tlb);
	ASSERT_EQ(host_tlb.flushes, flushes + 1);
	ASSERT_EQ(host_tlb.start, 0);
	ASSERT_EQ(host_tlb.end, TLB_FLUSH_ALL);
	ASSERT_EQ(host_tlb.free_pages_at_flush, free_before);
	ASSERT_EQ(nr_free_pages(), free_before + 1);
	return true;
}

/*
 * A 64K folio in a 128K VMA: munmap of it is one flush of its 16 pages
 * (the PTE table stays: the rest of the VMA uses it), the folio freed after;
 * MADV_DONTNEED of the next 64K the same.
 */
static bool test_mmu_gather_64k_unmap_one_range_flush(void)
{
	struct mm_struct *mm = vm_setup_mm(0, K(128));
	unsigned long free_before, flushes;

	vm_policy_only(4);
	ASSERT_EQ(vm_fault(mm, VM_BASE, true), VM_FAULT_OK);
	ASSERT_EQ(vm_fault(mm, VM_BASE + K(64), true), VM_FAULT_OK);
	ASSERT_EQ(vm_order_at(mm, VM_BASE), 4);
	ASSERT_EQ(vm_order_at(mm, VM_BASE + K(64)), 4);
	free_before = nr_free_pages();
	flushes = host_tlb.flushes;
	ASSERT_EQ(vm_munmap(VM_BASE, K(64)), 0);
	ASSERT_EQ(host_tlb.flushes, flushes + 1);
	ASSERT_EQ(host_tlb.start, VM_BASE);
	ASSERT_EQ(host_tlb.end, VM_BASE + K(64));
	ASSERT_EQ(host_tlb.free_pages_at_flush, free_before);
	ASSERT_EQ(nr_free_pages(), free_before + 16);
	ASSERT_EQ(vm_madvise(VM_BASE + K(64), K(64), MADV_DONTNEED), 0);
	ASSERT_EQ(host_tlb.flushes, flushes + 2);
	ASSERT_EQ(host_tlb.start, VM_BASE + K(64));
	ASSERT_EQ(host_tlb.end, VM_BASE + K(128));
	ASSERT_EQ(host_tlb.free_pages_at_flush, free_before + 16);
	ASSERT_EQ(nr_free_pages(), free_before + 32);
	return true;
}

/* Exit of an mm with three VMAs far apart (three PTE tables): one flush, the whole mm, for all. */
static bool test_mmu_gather_exit_one_flush(void)
{
	struct mm_struct *mm = vm_setup_current_mm();
	unsigned long flushes, free_before;

	for (int i = 0; i < 3; i++) {
		unsigned long addr = VM_BASE + (unsigned long)i * PMD_SIZE * 4;

		ASSERT_EQ(vm_map_rw(addr, K(16)), (long)addr);
		ASSERT_EQ(vm_fault(mm, addr, true), VM_FAULT_OK);
	}
	switch_mm(NULL);
	flushes = host_tlb.flushes;
	free_before = nr_free_pages();
	vm_mm_put(mm);
	ASSERT_EQ(host_tlb.flushes, flushes + 1);
	ASSERT_EQ(host_tlb.end, TLB_FLUSH_ALL);
	ASSERT_EQ(host_tlb.free_pages_at_flush, free_before);	/* folios and tables after it */
	ASSERT_TRUE(nr_free_pages() > free_before);
	return true;
}

/*
 * Random gathers: folios of orders 0..4 at random addresses, early
 * flushes, tables, finishes.  After every step: the model's flush count,
 * the pages still held equal to those queued since the last flush, and
 * every flush came with nothing of its batch freed yet.
 */
static bool test_mmu_gather_random(void)
{
	struct mm_struct *mm;
	struct mmu_gather tlb;
	unsigned long flushes, held = 0, base_free, lo = 0, hi = 0;
	unsigned int queued = 0;

	vm_setup();
	vm_rng = 0x6a7e4b1d;
	mm = vm_mm_new();
	tlb_gather_mmu(&tlb, mm);
	flushes = host_tlb.flushes;
	base_free = nr_free_pages();
	for (int step = 0; step < 3000; step++) {
		unsigned long k = vm_rnd_below(20), free_now = nr_free_pages();
		bool flushed = false, tables = false;

		if (k < 16) {
			unsigned int order = (unsigned int)vm_rnd_below(5);
			unsigned long addr = VM_BASE + PG(vm_rnd_below(4096));

			queue_new_folio(&tlb, addr, order);
			lo = queued || held ? min(lo, addr) : addr;
			hi = queued || held ? max(hi, addr + (PAGE_SIZE << order)) : addr + (PAGE_SIZE << order);
			held += 1UL << order;
			free_now -= 1UL << order;
			flushed = ++queued == MMU_GATHER_BATCH;
		} else if (k < 18) {
			struct page *table = pte_alloc_one();

			ASSERT_TRUE(table != NULL);
			free_now -= 1;
			tlb_remove_table(&tlb, table);
			held += 1;
			tables = true;
			tlb_flush_mmu(&tlb);
			flushed = true;
		} else {
			flushed = queued > 0;
			tlb_flush_mmu(&tlb);
		}
		if (flushed) {
			ASSERT_EQ(host_tlb.flushes, ++flushes);
			ASSERT_EQ(host_tlb.free_pages_at_flush, free_now);	/* nothing freed before it */
			if (tables) {
				ASSERT_EQ(host_tlb.end, TLB_FLUSH_ALL);
			} else {
				ASSERT_EQ(host_tlb.start, lo);
				ASSERT_EQ(host_tlb.end, hi);
			}
			queued = 0;
			held = 0;
		}
		ASSERT_EQ(host_tlb.flushes, flushes);
		ASSERT_EQ(nr_free_pages(), base_free - held);
		ASSERT_EQ(tlb.nr, queued);
	}
	tlb_finish_mmu(&tlb);
	ASSERT_EQ(nr_free_pages(), base_free);
	return true;
}

const struct hostmm_test mmu_gather_tests[] = {
	HOSTMM_TEST(test_mmu_gather_frees_after_flush),
	HOSTMM_TEST(test_mmu_gather_full_batch_flushes_early),
	HOSTMM_TEST(test_mmu_gather_tables_flush_whole_mm),
	HOSTMM_TEST(test_mmu_gather_64k_unmap_one_range_flush),
	HOSTMM_TEST(test_mmu_gather_exit_one_flush),
	HOSTMM_TEST(test_mmu_gather_random),
	{ NULL, NULL },
};
