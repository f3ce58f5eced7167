/*
 * huge_mm.h - PMD-mapped 2 MiB anonymous folios (mm/huge_memory.c): the
 * fault, and what every page-table walker does when it meets a PMD block.
 * docs/mm/huge-pmd.md has the picture.
 */
#ifndef MM_HUGE_MM_H
#define MM_HUGE_MM_H

#include "mm/mm.h"
#include "mm/mm_types.h"
#include "mm/pgtable.h"

/*
 * /sys/kernel/mm/folio/pmd_mapping (boot: folio.pmd_mapping=): 1 (default)
 * maps an order-9 folio of an anonymous write fault with one PMD block
 * where it can; 0 maps it with 512 PTEs, as before (for comparison).
 */
extern bool thp_pmd_mapping;
/* Anon folios mapped by at least one PMD now (Linux's NR_ANON_THPS; mm/vmstat.h legend (a)). */
extern atomic_long_t nr_anon_thps;

/* handle_mm_fault's answer when the PTE level should handle the fault. */
#define VM_FAULT_FALLBACK	0x100
/* Internal fault flag: the PMD fault could not allocate; the PTE level skips order 9. */
#define FAULT_FLAG_HUGE_FALLBACK 0x100

/*
 * The PMD level of a fault at addr (handle_mm_fault calls it first; mmap_lock
 * held): a write to a none PMD whose 2 MiB block lies in the VMA maps a new
 * order-9 folio with one PMD (do_huge_pmd_anonymous_page); a fault on a PMD
 * block fixes young/dirty or, for a write to a write-protected one, reuses
 * the folio when this PMD is its only mapping, else splits the PMD mapping
 * (the PTE level then copies one page).  Returns VM_FAULT_OK/OOM, or
 * VM_FAULT_FALLBACK for the PTE level (*flags may gain
 * FAULT_FLAG_HUGE_FALLBACK).
 */
int do_huge_pmd_fault(struct vm_area_struct *vma, unsigned long addr, unsigned int *flags);

/*
 * MADV_COLLAPSE's PMD step (mm/collapse.c): map folio (fresh, order 9, not
 * mapped, its data in place) at the 2 MiB-aligned haddr of vma with one PMD
 * block, taking the PTE table there, whose PTEs the caller has all
 * cleared, as the deposit; rmap, references, rss as a fault's (without the
 * fault counters).  false, nothing done, when the PMD no longer points to
 * an empty table (the caller maps PTEs instead).  mmap_lock held, no spinlock.
 */
bool collapse_huge_pmd(struct vm_area_struct *vma, unsigned long haddr, struct folio *folio);

/*
 * The first PMD block in [*addr, end) of mm: its entry, *addr moved to its
 * first address (aligned down: it may start before the old *addr); NULL
 * when none.  Visits only the PMD tables that exist.  No lock taken: the
 * caller takes mm->page_table_lock and re-reads the entry.
 */
pmd_t *pmd_next_huge(struct mm_struct *mm, unsigned long *addr, unsigned long end);
/* The folio a present PMD block maps. */
struct folio *pmd_folio(pmd_t pmd);

/*
 * The walkers (mmap_lock held).  Each handles the PMD blocks of its range
 * before it walks the PTE tables: zap_huge_pmds unmaps the blocks inside
 * [start, end) whole and splits those it covers in part; copy_huge_pmds
 * shares src's blocks with dst write-protected (fork; 0 or -ENOMEM, then
 * what was copied stays for dst's teardown); change_huge_pmds gives vma's
 * blocks its new protection (mprotect; the VMA's edges split them first,
 * split_huge_pmd_address); madvise_free_huge_pmds makes the covered blocks
 * clean, old and their folios lazyfree and splits the rest;
 * split_huge_pmd_range splits every block [start, end) touches.
 */
void zap_huge_pmds(struct vm_area_struct *vma, unsigned long start, unsigned long end);
int copy_huge_pmds(struct vm_area_struct *dst, struct vm_area_struct *src);
void change_huge_pmds(struct vm_area_struct *vma);
/* clear_refs 4 on every PMD block of vma (mm/soft_dirty.h's clear_refs_soft_dirty). */
void clear_soft_dirty_pmds(struct vm_area_struct *vma);
bool madvise_free_huge_pmds(struct vm_area_struct *vma, unsigned long start, unsigned long end);
void split_huge_pmd_range(struct vm_area_struct *vma, unsigned long start, unsigned long end);
/* A VMA is cut at addr: split the block addr falls inside (Linux's vma_adjust_trans_huge). */
void split_huge_pmd_address(struct vm_area_struct *vma, unsigned long addr);
/* Split every PMD mapping of folio, in every mm (before the folio itself is split). */
void split_huge_pmd_folio(struct folio *folio);

/*
 * mremap (Linux's move_huge_pmd): move the PMD block at old_haddr of vma to
 * new_haddr (both 2 MiB aligned, the destination PMD table built, the
 * destination PMD none or an empty PTE table, which is freed) as one
 * entry: the folio keeps its PFN, order, mapcounts and deposit.  false,
 * changing nothing, when a PTE is set there.  mmap_lock held, and vma's
 * anon_vma tree locked for writing (vma_rmap_lock: no rmap walk sees the
 * block at both places, or at neither).
 */
bool move_huge_pmd(struct vm_area_struct *vma, unsigned long old_haddr, unsigned long new_haddr);

/*
 * fn(vma, addr, pmdp, arg) for every PMD block, in every mm, that maps
 * folio (anonymous, order 9), with that mm's page_table_lock held.
 */
void rmap_walk_pmd(struct folio *folio,
		   void (*fn)(struct vm_area_struct *vma, unsigned long addr, pmd_t *pmdp, void *arg),
		   void *arg);
/* Was the PMD block at haddr young?  If so make it old and flush its TLB entry (reclaim). */
bool pmdp_clear_flush_young(struct mm_struct *mm, unsigned long haddr, pmd_t *pmdp);
/*
 * Unmap the lazyfree folio from every PMD that maps it (try_to_unmap's PMD
 * part); false, the rest left mapped, at the first block written since
 * MADV_FREE (write-protected, its dirty bit kept).
 */
bool try_to_unmap_pmds(struct folio *folio);
/* Does a PMD block map addr in mm?  Then true, with its entry in *pmd (populate's check). */
bool huge_pmd_lookup(struct mm_struct *mm, unsigned long addr, pmd_t *pmd);
/* The page mapping addr of mm through a PMD block, or NULL (exec's copy into a new mm). */
struct page *follow_huge_pmd_page(struct mm_struct *mm, unsigned long addr);

#endif
