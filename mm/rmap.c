/*
 * rmap.c - mapcount bookkeeping for anonymous folios (see rmap.h).
 *
 * This file grows into the anon_vma reverse map (rmap_walk); for now it
 * owns the mapcount transitions and asserts each one's starting state.
 */
#include "mm/rmap.h"

void folio_add_new_anon_rmap(struct folio *folio, struct vm_area_struct *vma, unsigned long addr)
{
	unsigned long nr = folio_nr_pages(folio);

	VM_BUG_ON_FOLIO(folio_test_anon(folio) || folio_mapped(folio), folio);
	folio_set_anon(folio);
	folio_set_swapbacked(folio);
	folio->mapping = vma->anon_vma;
	folio->index = ((addr - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff;
	for (unsigned long i = 0; i < nr; i++) {
		struct page *page = folio_page(folio, i);

		VM_BUG_ON_PAGE(page->_mapcount != -1, page);
		page->_mapcount = 0;
		SetPageAnonExclusive(page);
	}
	if (folio_test_large(folio)) {
		folio->_large_mapcount = (int)nr - 1;
		folio->_nr_pages_mapped = (int)nr;
	}
}

void folio_dup_anon_rmap_ptes(struct folio *folio, struct page *page, int nr)
{
	VM_BUG_ON_FOLIO(!folio_test_anon(folio), folio);
	for (int i = 0; i < nr; i++) {
		VM_BUG_ON_PAGE(page[i]._mapcount < 0, &page[i]);
		page[i]._mapcount++;
		ClearPageAnonExclusive(&page[i]);
	}
	if (folio_test_large(folio))
		folio->_large_mapcount += nr;
}

void folio_remove_rmap_ptes(struct folio *folio, struct page *page, int nr)
{
	int unmapped = 0;

	for (int i = 0; i < nr; i++) {
		VM_BUG_ON_PAGE(page[i]._mapcount < 0, &page[i]);
		if (--page[i]._mapcount < 0) {
			unmapped++;
			ClearPageAnonExclusive(&page[i]);
		}
	}
	if (!folio_test_large(folio))
		return;
	folio->_large_mapcount -= nr;
	folio->_nr_pages_mapped -= unmapped;
	VM_BUG_ON_FOLIO(folio->_large_mapcount < -1 || folio->_nr_pages_mapped < 0, folio);
	if (folio->_nr_pages_mapped && folio->_nr_pages_mapped < (int)folio_nr_pages(folio))
		folio_set_partially_mapped(folio);
}
