/*
 * rmap.h - reverse-map accounting of anonymous folios: who maps which page.
 *
 * Linux's rules (see docs/mm/folio.md): each PTE mapping a page of a folio
 * holds one folio reference and counts in that page's _mapcount; a large
 * folio also keeps _large_mapcount (sum over its pages) and _nr_pages_mapped
 * (pages with at least one mapping).  A folio mapped by fewer PTEs than it
 * has pages is partially mapped.
 */
#ifndef MM_RMAP_H
#define MM_RMAP_H

#include "mm/mm.h"
#include "mm/mm_types.h"

/*
 * A freshly allocated anon folio becomes mapped by nr_pages(folio) PTEs
 * starting at address addr of vma: PG_anon, anon_vma and index set, every
 * page's mapcount 1 and AnonExclusive.  The caller owns the allocation
 * reference and adds one per PTE minus that one.  PTE-table lock held.
 */
void folio_add_new_anon_rmap(struct folio *folio, struct vm_area_struct *vma, unsigned long addr);
/* nr more PTEs (fork: the child's copies) map pages [page, page + nr) of folio. */
void folio_dup_anon_rmap_ptes(struct folio *folio, struct page *page, int nr);
/* nr PTEs mapping pages [page, page + nr) of folio are gone. */
void folio_remove_rmap_ptes(struct folio *folio, struct page *page, int nr);

#endif
