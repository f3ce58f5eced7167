/*
 * anon_order_test.c - boot test of the RFC's order choice on each arch's
 * real page tables (the host harness has x86_64's format only): a kernel-made
 * mm with a VMA whose edges cut the 2 MiB region at odd pages, written page
 * by page in order with every size "always", gets exactly the naturally
 * aligned folios that fit (the anon-order lab's boot test).  Puts the
 * configuration back and leaks no page.
 */
#include "kernel/ktest.h"
#include "kernel/sched.h"
#include "mm/anon_order.h"
#include "mm/mm.h"
#include "mm/pgtable.h"
#include "mm/vma.h"
#include <uapi/errno.h>

#define AO_BASE		0x20000000UL	/* 512 MiB: PTE-table aligned */

/* The folio mapped at addr in mm and its first page's address there, or NULL. */
static struct folio *ao_folio_at(struct mm_struct *mm, unsigned long addr, unsigned long *start)
{
	struct folio *folio = NULL;
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(mm, addr, &ptl);

	if (!ptep)
		return NULL;
	if (pte_present(ptep_get(ptep))) {
		unsigned long pfn = pte_pfn(ptep_get(ptep));

		folio = page_folio(pfn_to_page(pfn));
		*start = addr - ((pfn - folio_pfn(folio)) << PAGE_SHIFT);
	}
	spin_unlock(ptl);
	return folio;
}

/*
 * VMA [base + 5 pages, base + 37 pages), written from its first page up: the
 * folios are page 5 (order 0), [6,8) order 1, [8,16) order 3, [16,32) order 4,
 * [32,36) order 2, page 36 order 0, each at a physical block of its order.
 */
KTEST(anon_fault_orders_vma_edges)
{
	static const struct { unsigned int first, order; } want[] = {
		{ 5, 0 }, { 6, 1 }, { 8, 3 }, { 16, 4 }, { 32, 2 }, { 36, 0 },
	};
	struct anon_order_config saved = anon_order_config;
	unsigned long before = nr_free_pages();
	struct mm_struct *mm = mm_alloc();
	int populated;

	KT_ASSERT(mm);
	anon_order_config.top = THP_ALWAYS;
	for (unsigned int order = 1; order <= MTHP_MAX_ORDER; order++)
		anon_order_config.size[order] = THP_INHERIT;
	anon_order_config.allow_order1 = true;
	anon_order_config.policy = ANON_POLICY_LINUX;
	mmap_write_lock(mm);
	populated = vma_create(mm, AO_BASE + 5 * PAGE_SIZE, AO_BASE + 37 * PAGE_SIZE,
			       VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE) ?
		    populate_range(mm, AO_BASE + 5 * PAGE_SIZE, AO_BASE + 37 * PAGE_SIZE, true) : -ENOMEM;
	mmap_write_unlock(mm);
	anon_order_config = saved;
	KT_ASSERT_EQ(populated, 0);
	for (unsigned int i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		unsigned long addr = AO_BASE + want[i].first * PAGE_SIZE, start = 0;
		struct folio *folio = ao_folio_at(mm, addr, &start);

		KT_ASSERT(folio != NULL);
		KT_ASSERT_EQ(folio_order(folio), want[i].order);
		KT_ASSERT_EQ(start, addr);
		KT_ASSERT_EQ(folio_pfn(folio) & ((1UL << want[i].order) - 1), 0);
		KT_ASSERT_EQ(folio_mapcount(folio), 1 << want[i].order);
	}
	KT_ASSERT_EQ(mm->rss_anon, 32);
	memmap_check();
	mmput(mm);
	KT_ASSERT_EQ(nr_free_pages(), before);
}
