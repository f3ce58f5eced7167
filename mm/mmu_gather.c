/*
 * mmu_gather.c - batching an unmap's TLB flush, and freeing what it unmapped
 * only after the flush: contract in mm/mmu_gather.h.
 */
#include "mm/mmu_gather.h"
#include "mm/folio.h"
#include "mm/mm.h"
#include "mm/pgtable.h"

void tlb_gather_mmu(struct mmu_gather *tlb, struct mm_struct *mm)
{
	tlb->mm = mm;
	tlb->start = tlb->end = 0;
	tlb->freed_tables = false;
	tlb->nr = 0;
	INIT_LIST_HEAD(&tlb->tables);
	tlb->nr_flushes = 0;
}

void tlb_flush_pte_range(struct mmu_gather *tlb, unsigned long addr, unsigned long size)
{
	VM_BUG_ON(!size);
	if (tlb->start == tlb->end) {
		tlb->start = addr;
		tlb->end = addr + size;
		return;
	}
	tlb->start = min(tlb->start, addr);
	tlb->end = max(tlb->end, addr + size);
}

void tlb_remove_folio_refs(struct mmu_gather *tlb, struct folio *folio, int refs)
{
	VM_BUG_ON(tlb->start == tlb->end);	/* its PTEs were cleared and gathered first */
	tlb->folios[tlb->nr].folio = folio;
	tlb->folios[tlb->nr].refs = refs;
	if (++tlb->nr == MMU_GATHER_BATCH)
		tlb_flush_mmu(tlb);
}

void tlb_remove_table(struct mmu_gather *tlb, struct page *table)
{
	list_add_tail(&table->lru, &tlb->tables);
	tlb->freed_tables = true;
}

void tlb_flush_mmu(struct mmu_gather *tlb)
{
	if (tlb->freed_tables) {
		flush_tlb_mm(tlb->mm);
		tlb->nr_flushes++;
	} else if (tlb->start != tlb->end) {
		flush_tlb_range(tlb->mm, tlb->start, tlb->end);
		tlb->nr_flushes++;
	}
	tlb->start = tlb->end = 0;
	tlb->freed_tables = false;
	/* No CPU can reach them now. */
	for (unsigned int i = 0; i < tlb->nr; i++)
		folio_put_refs(tlb->folios[i].folio, tlb->folios[i].refs);
	tlb->nr = 0;
	while (!list_empty(&tlb->tables)) {
		struct page *table = list_first_entry(&tlb->tables, struct page, lru);

		list_del_init(&table->lru);
		pte_free(table);
	}
}

void tlb_finish_mmu(struct mmu_gather *tlb)
{
	tlb_flush_mmu(tlb);
}
