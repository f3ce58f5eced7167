/*
 * mmu_gather.h - batching the TLB flush of an unmap (Linux's struct
 * mmu_gather, include/asm-generic/tlb.h, much reduced).
 *
 * Clearing a PTE does not stop another CPU from using the translation it
 * cached: until the flush reaches it (TLB shootdown, docs/smp.md) that CPU
 * may still read and write the page.  So an unmap may not free the folio
 * or the page table it unmapped before the flush, or memory reused
 * elsewhere is corrupted.  The gather lets the unmap go on without
 * flushing at every step: it records the range of PTEs cleared, the
 * references to drop on the folios that were mapped there and the page
 * tables taken out of the tree, and tlb_flush_mmu() flushes once, for the
 * whole range (a whole-mm flush past TLB_SINGLE_PAGE_FLUSH_CEILING pages
 * or when tables went: the walk caches too), and only then drops the
 * references (folio_put_refs) and frees the tables.  A full batch of
 * folios flushes early; tlb_finish_mmu() flushes what is left.
 *
 * Users: zap (munmap, exit and mremap's old range through
 * vma_unmap_range, MADV_DONTNEED, shmem truncation, the OOM reaper) and
 * free_pgd_range.  A gather lives on the caller's stack for one operation
 * on one mm; the PTE locks may be held or not when it flushes (the
 * shootdown's waits answer calls: kernel/smp.h).
 */
#ifndef MM_MMU_GATHER_H
#define MM_MMU_GATHER_H

#include "kernel/list.h"
#include "kernel/types.h"

struct folio;
struct mm_struct;
struct page;

#define MMU_GATHER_BATCH	32	/* folios held before an early flush */

struct mmu_gather {
	struct mm_struct *mm;
	unsigned long start, end;	/* PTEs cleared and not yet flushed; start == end: none */
	bool freed_tables;		/* tables queued: flush the whole mm, walk caches included */
	unsigned int nr;		/* folios queued */
	struct {
		struct folio *folio;
		int refs;		/* references to drop after the flush */
	} folios[MMU_GATHER_BATCH];
	struct list_head tables;	/* page tables (page->lru) to free after the flush */
	unsigned long nr_flushes;	/* TLB flushes done (tests) */
};

/* Start gathering an unmap of mm. */
void tlb_gather_mmu(struct mmu_gather *tlb, struct mm_struct *mm);
/* The PTEs of [addr, addr + size) were cleared: the next flush covers them. */
void tlb_flush_pte_range(struct mmu_gather *tlb, unsigned long addr, unsigned long size);
/*
 * Drop refs references to folio after the flush (the PTEs that held them
 * were passed to tlb_flush_pte_range).  A full batch flushes and drops at once.
 */
void tlb_remove_folio_refs(struct mmu_gather *tlb, struct folio *folio, int refs);
/* Free the page table page (taken out of the tree, empty) after a whole-mm flush. */
void tlb_remove_table(struct mmu_gather *tlb, struct page *table);
/* Flush what was gathered, then drop the folio references and free the tables. */
void tlb_flush_mmu(struct mmu_gather *tlb);
/* The end of the operation: tlb_flush_mmu (the gather may then go). */
void tlb_finish_mmu(struct mmu_gather *tlb);

#endif
