/*
 * huge_memory.c - PMD-mapped 2 MiB anonymous folios (Linux's THP PMD
 * mappings): an order-9 folio mapped by one block entry at the PMD level
 * instead of 512 PTEs, so the TLB holds it in one entry and the fault, fork
 * and unmap each touch one entry.
 *
 * When.  An anonymous write fault at addr whose 2 MiB-aligned block lies in
 * the VMA, with the order-9 size allowed by the policy (anon_orders_allowed)
 * and thp_pmd_mapping on, and whose PMD is none (as Linux requires) or
 * points to a PTE table with no PTE set (foliOS keeps tables after munmap;
 * the fault takes the empty table over as the deposit), allocates the
 * order-9 folio and maps it with one PMD (do_huge_pmd_anonymous_page).  When the folio cannot be had, the fault
 * falls back to the PTE level without order 9 (thp_fault_fallback, once).
 *
 * Nothing is ever lost: the deposit.  Every PMD mapping keeps one PTE table
 * (with its lock) deposited in its mm (mm->pmd_huge_pte, Linux's
 * pgtable_trans_huge_deposit), allocated before the PMD is set, so that
 * splitting the PMD mapping into 512 PTEs of the same folio
 * (__split_huge_pmd_locked) never allocates and never fails.  A zap
 * withdraws one and frees it.  The deposited tables count in
 * mm_pgtables_bytes, as Linux's.
 *
 * Mapcounts: a PMD mapping counts exactly as the 512 PTEs it stands for.
 * Each page's _mapcount, the folio's _large_mapcount and _nr_pages_mapped,
 * AnonPages and the refcount (one reference per mapped page) move as if
 * 512 PTEs had been set (folio_add_new_anon_rmap, folio_dup_anon_rmap_ptes,
 * folio_remove_rmap_ptes over the whole folio), and _entire_mapcount counts
 * the PMD mappings besides (-1: none), as Linux's.  So splitting a PMD
 * mapping into PTEs changes no count but _entire_mapcount, a split of the
 * folio (mm/split.c) finds its per-page counts ready once the PMD mappings
 * are split, folio_mapcount() stays "pages mapped, summed over mappings"
 * (a PMD alone: 512), and rmap_walk's count (folio_rmap_count) adds 512 per
 * PMD.  AnonHugePages / nr_anon_transparent_hugepages count folios with
 * _entire_mapcount >= 0 (Linux's NR_ANON_THPS).
 *
 * The walkers.  pte_next_table_lock() does not see PMD blocks (they are no
 * PTE tables), so every walker first visits the blocks of its range
 * (pmd_next_huge) and either handles a block whole (zap, fork, mprotect,
 * MADV_FREE of all 2 MiB; reclaim's unmap) or splits the PMD mapping and
 * lets its PTE walk do the rest (a part of a block: MADV_DONTNEED,
 * MADV_FREE; a VMA cut inside a block, split_huge_pmd_address, so that no
 * block ever straddles two VMAs; a split of the folio; a CoW of a shared
 * block).  Each split counts thp_split_pmd.
 *
 * Write-protect faults.  After fork both sides map the block read-only.  A
 * write reuses the folio when this PMD is its only mapping (mapcount 512,
 * refcount 512: nobody else maps or holds it), else splits the PMD mapping
 * and lets the PTE level copy one page (Linux's do_huge_pmd_wp_page
 * fallback).
 *
 * Locks: mmap_lock, then mm->page_table_lock (the PMD lock, Linux's
 * pmd_lock), then a PTE-table lock (kernel/spinlock.h).  Table pages are
 * allocated and freed with no spinlock held.  One CPU: a PMD is cleared
 * and re-set inside one page_table_lock section with interrupts off, so no
 * walker can see the none PMD in between (SMP will want Linux's
 * pmdp_invalidate).
 */
#include "mm/huge_mm.h"
#include "mm/anon_order.h"
#include "mm/rmap.h"
#include "mm/soft_dirty.h"
#include "mm/split.h"
#include "mm/thp_sysfs.h"
#include "mm/vma.h"
#include "mm/vmscan.h"
#include "mm/vmstat.h"
#include <uapi/errno.h>

bool thp_pmd_mapping = true;
atomic_long_t nr_anon_thps;

/* Bytes one PMD table maps: 1 GiB. */
#define PMD_TABLE_SPAN	((unsigned long)PT_ENTRIES << pt_level_shift(PT_LEVELS - 2))

/* ---- entries, lock, deposit ---- */

static pmd_t *pmd_off(struct mm_struct *mm, unsigned long addr, bool alloc)
{
	return (pmd_t *)(alloc ? mm_pgtable_alloc(mm, addr, PT_LEVELS - 2) :
			 pgtable_walk(mm->pgd, addr, PT_LEVELS - 2, false));
}

struct folio *pmd_folio(pmd_t pmd)
{
	return page_folio(pfn_to_page(pmd_pfn(pmd)));
}

/* Store a user PMD (a block, or none); an executable block's I-cache is synced first (arm64). */
static void set_pmd_at(struct mm_struct *mm, pmd_t *pmdp, pmd_t pmd)
{
	assert_spin_locked(&mm->page_table_lock);
	arch_sync_icache_dcache(pmd_pte(pmd), HPAGE_PMD_NR);
	*(volatile pmd_t *)pmdp = pmd;
	pgtable_sync();
}

/*
 * Clear the PMD block at haddr by an atomic exchange (what the MMU recorded
 * up to the clear, on any CPU, is in the result: mm/pgtable.h) and flush
 * its TLB entry; returns the old value.
 */
static pmd_t pmdp_huge_get_and_clear(struct mm_struct *mm, unsigned long haddr, pmd_t *pmdp)
{
	pmd_t old;

	assert_spin_locked(&mm->page_table_lock);
	old = __pmd(pt_entry_xchg(&pmd_val(*pmdp), 0));
	VM_BUG_ON(!pmd_trans_huge(old));
	flush_tlb_range(mm, haddr, haddr + PAGE_SIZE);	/* one address drops the block's entry */
	return old;
}

/*
 * Replace the PMD block at haddr by pmd atomically, a write the MMU
 * recorded in the old block kept (pt_entry_replace), and flush its TLB entry.
 */
static void pmdp_set(struct mm_struct *mm, unsigned long haddr, pmd_t *pmdp, pmd_t pmd)
{
	assert_spin_locked(&mm->page_table_lock);
	arch_sync_icache_dcache(pmd_pte(pmd), HPAGE_PMD_NR);
	pt_entry_replace(&pmd_val(*pmdp), pmd_val(pmd));
	flush_tlb_range(mm, haddr, haddr + PAGE_SIZE);
}

bool pmdp_clear_flush_young(struct mm_struct *mm, unsigned long haddr, pmd_t *pmdp)
{
	pmd_t pmd = pmdp_get(pmdp);

	if (pmd_young(pmd))
		pmdp_set(mm, haddr, pmdp, pmd_mkold(pmd));
	return pmd_young(pmd);
}

static void pgtable_trans_huge_deposit(struct mm_struct *mm, struct page *table)
{
	assert_spin_locked(&mm->page_table_lock);
	list_add(&table->lru, &mm->pmd_huge_pte);
	mm->nr_pgtables_deposited++;
}

static struct page *pgtable_trans_huge_withdraw(struct mm_struct *mm)
{
	struct page *table;

	assert_spin_locked(&mm->page_table_lock);
	if (list_empty(&mm->pmd_huge_pte))
		panic("pgtable_trans_huge_withdraw: no table deposited (%lu)", mm->nr_pgtables_deposited);
	table = list_first_entry(&mm->pmd_huge_pte, struct page, lru);
	list_del_init(&table->lru);
	mm->nr_pgtables_deposited--;
	return table;
}

/* ---- rmap of a PMD mapping (counted as 512 PTEs, see the top) ---- */

static void folio_dup_anon_rmap_pmd(struct folio *folio)
{
	VM_BUG_ON_FOLIO(atomic_read(&folio->_entire_mapcount) < 0, folio);
	folio_dup_anon_rmap_ptes(folio, &folio->page, HPAGE_PMD_NR);
	atomic_inc(&folio->_entire_mapcount);
}

/* One PMD mapping of folio is gone, turned into PTEs (split) or not (zap). */
static void folio_drop_entire_mapping(struct folio *folio)
{
	VM_BUG_ON_FOLIO(atomic_read(&folio->_entire_mapcount) < 0, folio);
	if (atomic_add_negative(-1, &folio->_entire_mapcount))
		atomic_long_dec(&nr_anon_thps);
}

/* ---- the fault ---- */

/* Write faults map writable, dirty, soft-dirty and young (vm_page_prot has the access flag). */
static pmd_t mk_huge_pmd(struct folio *folio, struct vm_area_struct *vma)
{
	return pmd_mksoft_dirty(pmd_mkdirty(pmd_mkwrite(pfn_pmd(folio_pfn(folio), vma->vm_page_prot))));
}

/*
 * The order-9 folio and (want_table) the PTE table to deposit for a PMD
 * mapping, or false (nothing held) when either cannot be had: the folio's failure
 * is counted (thp_fault_fallback, anon_fault_fallback of 2M) and tells the
 * PTE level to skip order 9.  No spinlock held.
 */
static bool huge_pmd_alloc(struct folio **folio, struct page **table, bool want_table,
			   unsigned int *flags)
{
	*table = NULL;
	*folio = folio_alloc(GFP_NOWAIT | __GFP_NOWARN | __GFP_PREZERO, HPAGE_PMD_ORDER);
	if (!*folio) {
		count_mthp_stat(HPAGE_PMD_ORDER, MTHP_STAT_ANON_FAULT_FALLBACK);
		count_vm_event(THP_FAULT_FALLBACK);
		*flags |= FAULT_FLAG_HUGE_FALLBACK;
		return false;
	}
	if (want_table && !(*table = pte_alloc_one())) {
		folio_put(*folio);
		return false;
	}
	return true;
}

/*
 * The PTE table pmd points to when every PTE in it is none, else NULL.  A
 * PMD fault takes such a table over as its deposit: foliOS keeps PTE tables
 * after munmap and MADV_DONTNEED, and Linux's "the PMD must be none" would
 * then keep the block PTE-mapped forever.
 */
static struct page *pmd_empty_pte_table(pmd_t pmd)
{
	pte_t *ptep;

	if (pmd_none(pmd) || pmd_trans_huge(pmd))
		return NULL;
	ptep = __va(pt_entry_pa(pmd_val(pmd)));
	for (unsigned int i = 0; i < PT_ENTRIES; i++)
		if (!pte_none(ptep_get(&ptep[i])))
			return NULL;
	return virt_to_page(ptep);
}

/*
 * Under page_table_lock: the PMD at pmdp (haddr) is still what the fault
 * saw: none (table: the fresh deposit), or a table still empty, which is
 * unhooked (its PTE lock taken for the last look; the walk caches flushed
 * with the range, as a table entry becomes a block) and returned as the
 * deposit.  NULL when it changed: the fault falls back.
 */
static struct page *huge_pmd_claim(struct mm_struct *mm, unsigned long haddr, pmd_t *pmdp,
				   struct page *table)
{
	pmd_t pmd = pmdp_get(pmdp);
	struct page *old;
	spinlock_t *ptl;

	if (table)
		return pmd_none(pmd) ? table : NULL;
	old = pmd_empty_pte_table(pmd);
	if (!old)
		return NULL;
	ptl = pte_lockptr(page_address(old));
	spin_lock(ptl);
	old = pmd_empty_pte_table(pmd);
	if (old)
		set_pmd_at(mm, pmdp, __pmd(0));
	spin_unlock(ptl);
	if (old)
		flush_tlb_range(mm, haddr, haddr + PMD_SIZE);
	return old;
}

/*
 * Map folio (fresh, order 9, its rmap and references added) at haddr with
 * one PMD block, table deposited; the PMD is none.  page_table_lock held.
 */
static void map_new_huge_pmd(struct vm_area_struct *vma, unsigned long haddr, pmd_t *pmdp,
			     struct folio *folio, struct page *table)
{
	struct mm_struct *mm = vma->vm_mm;

	VM_BUG_ON(!pmd_none(pmdp_get(pmdp)) || (haddr & ~PMD_MASK));
	atomic_set(&folio->_entire_mapcount, 0);
	atomic_long_inc(&nr_anon_thps);
	pgtable_trans_huge_deposit(mm, table);
	set_pmd_at(mm, pmdp, mk_huge_pmd(folio, vma));
}

/*
 * Linux's do_huge_pmd_anonymous_page: map a fresh, zeroed order-9 folio at
 * the block around addr with one PMD, depositing a PTE table: a new one
 * when the PMD is none, the PMD's own when it points to an empty table.
 * VM_FAULT_FALLBACK when the block does not fit, order 9 is not allowed or
 * cannot be allocated, or the PMD changed meanwhile.
 */
static int do_huge_pmd_anonymous_page(struct vm_area_struct *vma, unsigned long addr, pmd_t *pmdp,
				      unsigned int *flags)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long haddr = addr & PMD_MASK;
	struct page *table, *deposit;
	struct folio *folio;

	if (!READ_ONCE(thp_pmd_mapping) || haddr < vma->vm_start || haddr + PMD_SIZE > vma->vm_end ||
	    !(anon_orders_allowed(vma, addr) & (1UL << HPAGE_PMD_ORDER)))
		return VM_FAULT_FALLBACK;
	if (anon_vma_prepare(vma))
		return VM_FAULT_OOM;
	if (!huge_pmd_alloc(&folio, &table, pmd_none(pmdp_get(pmdp)), flags))
		return VM_FAULT_FALLBACK;
	anon_folio_zero(folio, haddr, addr);
	fault_race_maybe_inject(vma, haddr, HPAGE_PMD_ORDER);

	spin_lock(&mm->page_table_lock);
	deposit = huge_pmd_claim(mm, haddr, pmdp, table);
	if (!deposit) {
		spin_unlock(&mm->page_table_lock);
		if (table)
			pte_free(table);
		folio_put(folio);
		return VM_FAULT_FALLBACK;	/* a table or block appeared meanwhile */
	}
	account_new_anon_folio(vma, folio, haddr);
	map_new_huge_pmd(vma, haddr, pmdp, folio, deposit);
	spin_unlock(&mm->page_table_lock);
	return VM_FAULT_OK;
}

bool collapse_huge_pmd(struct vm_area_struct *vma, unsigned long haddr, struct folio *folio)
{
	struct mm_struct *mm = vma->vm_mm;
	pmd_t *pmdp = pmd_off(mm, haddr, false);
	struct page *deposit;

	VM_BUG_ON_FOLIO(folio_order(folio) != HPAGE_PMD_ORDER || folio_mapped(folio), folio);
	if (!pmdp)
		return false;
	spin_lock(&mm->page_table_lock);
	deposit = huge_pmd_claim(mm, haddr, pmdp, NULL);
	if (deposit) {
		add_new_anon_folio(vma, folio, haddr);
		map_new_huge_pmd(vma, haddr, pmdp, folio, deposit);
	}
	spin_unlock(&mm->page_table_lock);
	return deposit != NULL;
}

/*
 * Split the PMD mapping at haddr of vma into 512 PTEs mapping the same
 * pages with the same permission, dirty, soft-dirty and young state, in the deposited
 * table (Linux's __split_huge_pmd_locked).  Never fails; counts no page.
 * page_table_lock held; takes the new table's lock.
 */
static void __split_huge_pmd_locked(struct vm_area_struct *vma, unsigned long haddr, pmd_t *pmdp)
{
	struct mm_struct *mm = vma->vm_mm;
	pmd_t old = pmdp_huge_get_and_clear(mm, haddr, pmdp);
	struct page *table = pgtable_trans_huge_withdraw(mm);
	pte_t *ptep = page_address(table), entry;
	spinlock_t *ptl = pte_lockptr(ptep);

	VM_BUG_ON(haddr & ~PMD_MASK);
	entry = pte_mkold(pfn_pte(pmd_pfn(old), vma->vm_page_prot));
	if (pmd_write(old))
		entry = pte_mkwrite(entry);
	entry = pte_gather_young_dirty(entry, pmd_pte(old));	/* the block's young, dirty, soft-dirty */
	spin_lock(ptl);
	set_ptes(mm, haddr, ptep, entry, HPAGE_PMD_NR);
	spin_unlock(ptl);
	pmd_populate(mm, pmdp, table);
	folio_drop_entire_mapping(pmd_folio(old));
	count_vm_event(THP_SPLIT_PMD);
}

/*
 * A write to the write-protected PMD block pmd at haddr (Linux's
 * do_huge_pmd_wp_page): reuse the folio, writable, dirty and soft-dirty,
 * when its pages are AnonExclusive (write-protected by clear_refs 4 or
 * mprotect: a pin does not matter) or this PMD is its only mapping and
 * nobody else holds it, else split the PMD mapping and fall back to
 * the PTE level's copy-on-write, which counts the fault (cow_fault); a
 * reuse counts cow_fault and cow_reuse here.  page_table_lock held; unlocks.
 */
static int do_huge_pmd_wp_page(struct vm_area_struct *vma, unsigned long haddr, pmd_t *pmdp,
			       pmd_t pmd)
{
	struct mm_struct *mm = vma->vm_mm;
	struct folio *folio = pmd_folio(pmd);

	if (PageAnonExclusive(&folio->page) ||
	    (folio_mapcount(folio) == (int)HPAGE_PMD_NR && folio_ref_count(folio) == (int)HPAGE_PMD_NR &&
	     !folio_maybe_dma_pinned(folio))) {
		for (unsigned int i = 0; i < HPAGE_PMD_NR; i++)
			SetPageAnonExclusive(folio_page(folio, i));
		pmdp_set(mm, haddr, pmdp, pmd_mksoft_dirty(pmd_mkyoung(pmd_mkdirty(pmd_mkwrite(pmd)))));
		spin_unlock(&mm->page_table_lock);
		/* Counted as mm/cow.c counts a reuse (a split's CoW is counted there). */
		count_vm_event(COW_FAULT);
		count_vm_event(COW_REUSE);
		count_mthp_stat(HPAGE_PMD_ORDER, MTHP_STAT_COW_REUSE);
		return VM_FAULT_OK;
	}
	__split_huge_pmd_locked(vma, haddr, pmdp);
	spin_unlock(&mm->page_table_lock);
	return VM_FAULT_FALLBACK;
}

int do_huge_pmd_fault(struct vm_area_struct *vma, unsigned long addr, unsigned int *flags)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long haddr = addr & PMD_MASK;
	pmd_t *pmdp = pmd_off(mm, addr, true), pmd, entry;

	if (!pmdp)
		return VM_FAULT_OOM;
	pmd = pmdp_get(pmdp);
	if (!pmd_trans_huge(pmd))
		return (*flags & FAULT_FLAG_WRITE) && (pmd_none(pmd) || pmd_empty_pte_table(pmd)) ?
		       do_huge_pmd_anonymous_page(vma, addr, pmdp, flags) : VM_FAULT_FALLBACK;
	spin_lock(&mm->page_table_lock);
	pmd = pmdp_get(pmdp);
	if (!pmd_trans_huge(pmd)) {
		spin_unlock(&mm->page_table_lock);
		return VM_FAULT_OK;	/* changed meanwhile: the access is retried */
	}
	if ((*flags & FAULT_FLAG_WRITE) && !pmd_write(pmd))
		return do_huge_pmd_wp_page(vma, haddr, pmdp, pmd);	/* unlocks */
	/* Young (and dirty for a write) kept by software: arm64 without FEAT_HAFDBS. */
	entry = pmd_mkyoung(pmd);
	if (*flags & FAULT_FLAG_WRITE)
		entry = pmd_mkdirty(entry);
	if (pmd_val(entry) != pmd_val(pmd))
		pmdp_set(mm, haddr, pmdp, entry);
	spin_unlock(&mm->page_table_lock);
	return VM_FAULT_OK;
}

/* ---- the walkers ---- */

pmd_t *pmd_next_huge(struct mm_struct *mm, unsigned long *addr, unsigned long end)
{
	unsigned long a = *addr;

	while ((a = pgtable_next_table(mm->pgd, a, end, PT_LEVELS - 2)) < end) {
		unsigned long table_end = ALIGN_DOWN(a, PMD_TABLE_SPAN) + PMD_TABLE_SPAN;
		pmd_t *pmdp = pmd_off(mm, a, false);

		for (; a < end && a < table_end; a = (a & PMD_MASK) + PMD_SIZE, pmdp++) {
			if (pmd_trans_huge(pmdp_get(pmdp))) {
				*addr = a & PMD_MASK;
				return pmdp;
			}
		}
	}
	return NULL;
}

/*
 * Unmap the PMD block at haddr of vma whole: one rmap update for the 512
 * pages, rss, references and the TLB entry; returns the withdrawn deposit
 * for the caller to free once unlocked.  page_table_lock held.
 */
static struct page *zap_huge_pmd(struct vm_area_struct *vma, unsigned long haddr, pmd_t *pmdp)
{
	struct mm_struct *mm = vma->vm_mm;
	struct folio *folio = pmd_folio(pmdp_huge_get_and_clear(mm, haddr, pmdp));

	folio_drop_entire_mapping(folio);
	folio_remove_rmap_ptes(folio, &folio->page, HPAGE_PMD_NR, vma);
	update_hiwater_rss(mm);
	add_mm_counter(mm, MM_ANONPAGES, -(long)(HPAGE_PMD_NR));
	folio_put_refs(folio, HPAGE_PMD_NR);
	return pgtable_trans_huge_withdraw(mm);
}

/*
 * Free a PTE table that was once reachable through a PMD of a VMA on av's
 * tree (a deposit withdrawn, an empty table a block replaced): an rmap walk
 * of that VMA (the split's freeze, reclaim, DEBUG_VM) may have found it
 * before and still be about to take its lock.  Those walks hold the tree's
 * lock for reading, so taking it for writing waits them out (foliOS has no
 * RCU to defer the free with, as Linux's pte_free_defer does).  No
 * page-table lock held.
 */
static void pte_free_walked(struct anon_vma *av, struct page *table)
{
	if (av) {
		anon_vma_lock_write(av);
		anon_vma_unlock_write(av);
	}
	pte_free(table);
}

/*
 * For each PMD block [start, end) touches (mmap_lock held): fn on a block
 * inside the range (page_table_lock held; may return a table to free after
 * unlocking), else split it when split_partial.
 */
static void walk_huge_pmds(struct vm_area_struct *vma, unsigned long start, unsigned long end,
			   struct page *(*fn)(struct vm_area_struct *, unsigned long, pmd_t *, void *),
			   void *arg, bool split_partial)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long addr = start;
	pmd_t *pmdp;

	for (; (pmdp = pmd_next_huge(mm, &addr, end)); addr += PMD_SIZE) {
		struct page *table = NULL;

		spin_lock(&mm->page_table_lock);
		if (!pmd_trans_huge(pmdp_get(pmdp)))
			;	/* split meanwhile */
		else if (addr >= start && addr + PMD_SIZE <= end)
			table = fn ? fn(vma, addr, pmdp, arg) : NULL;
		else if (split_partial)
			__split_huge_pmd_locked(vma, addr, pmdp);
		spin_unlock(&mm->page_table_lock);
		if (table)
			pte_free_walked(vma->anon_vma, table);
	}
}

/* A block whose folio is being split (mm/split.c) goes to PTEs, which the zap's PTE walk unmaps after it. */
static struct page *zap_huge_pmd_fn(struct vm_area_struct *vma, unsigned long haddr, pmd_t *pmdp,
				    void *arg)
{
	(void)arg;
	if (!page_folio_mapped(&pmd_folio(pmdp_get(pmdp))->page)) {
		__split_huge_pmd_locked(vma, haddr, pmdp);
		return NULL;
	}
	return zap_huge_pmd(vma, haddr, pmdp);
}

void zap_huge_pmds(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	walk_huge_pmds(vma, start, end, zap_huge_pmd_fn, NULL, true);
}

static struct page *split_huge_pmd_fn(struct vm_area_struct *vma, unsigned long haddr, pmd_t *pmdp,
				      void *arg)
{
	(void)arg;
	__split_huge_pmd_locked(vma, haddr, pmdp);
	return NULL;
}

void split_huge_pmd_range(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	walk_huge_pmds(vma, start, end, split_huge_pmd_fn, NULL, true);
}

void split_huge_pmd_address(struct vm_area_struct *vma, unsigned long addr)
{
	if (addr & ~PMD_MASK)
		walk_huge_pmds(vma, addr, addr + PAGE_SIZE, NULL, NULL, true);
}

/*
 * mprotect: the block's new entry, as mprotect_pte: dirty and soft-dirty
 * kept, writable if exclusively ours and soft-dirty allows it.
 */
static struct page *change_huge_pmd_fn(struct vm_area_struct *vma, unsigned long haddr,
				       pmd_t *pmdp, void *arg)
{
	pmd_t old = pmdp_get(pmdp), new = pfn_pmd(pmd_pfn(old), vma->vm_page_prot);

	(void)arg;
	if (pmd_dirty(old))
		new = pmd_mkdirty(new);
	if (pmd_soft_dirty(old))
		new = pmd_mksoft_dirty(new);
	if ((vma->vm_flags & VM_WRITE) && PageAnonExclusive(&pmd_folio(old)->page) &&
	    soft_dirty_may_mkwrite(vma, pmd_pte(old)))
		new = pmd_mkwrite(new);
	pmdp_set(vma->vm_mm, haddr, pmdp, new);
	return NULL;
}

void change_huge_pmds(struct vm_area_struct *vma)
{
	walk_huge_pmds(vma, vma->vm_start, vma->vm_end, change_huge_pmd_fn, NULL, true);
}

/*
 * clear_refs 4 on one block (mm/soft_dirty.c's rules): soft-dirty cleared and
 * write-protected, unless it is neither, or a writable block of a pinned folio.
 */
static struct page *clear_soft_dirty_pmd_fn(struct vm_area_struct *vma, unsigned long haddr,
					    pmd_t *pmdp, void *arg)
{
	pmd_t pmd = pmdp_get(pmdp);

	(void)arg;
	if (pmd_write(pmd) ? folio_maybe_dma_pinned(pmd_folio(pmd)) : !pmd_soft_dirty(pmd))
		return NULL;
	pmdp_set(vma->vm_mm, haddr, pmdp, pmd_clear_soft_dirty(pmd_wrprotect(pmd)));
	return NULL;
}

void clear_soft_dirty_pmds(struct vm_area_struct *vma)
{
	walk_huge_pmds(vma, vma->vm_start, vma->vm_end, clear_soft_dirty_pmd_fn, NULL, false);
}

/* MADV_FREE of a whole block: clean and old (the next write is seen), the folio lazyfree. */
static struct page *madvise_free_huge_pmd_fn(struct vm_area_struct *vma, unsigned long haddr,
					     pmd_t *pmdp, void *arg)
{
	pmd_t pmd = pmdp_get(pmdp);

	assert_spin_locked(&vma->vm_mm->page_table_lock);
	pt_entry_modify(&pmd_val(*pmdp), pte_mkold_clean);	/* atomic against the MMU's dirty */
	folio_mark_lazyfree(pmd_folio(pmd));
	*(bool *)arg = true;
	(void)haddr;
	return NULL;
}

bool madvise_free_huge_pmds(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	bool changed = false;

	walk_huge_pmds(vma, start, end, madvise_free_huge_pmd_fn, &changed, true);
	return changed;
}

/*
 * fork: share the PMD block at haddr of src with dst, both write-protected
 * (Linux's copy_huge_pmd).  The child's deposit and its PMD table are
 * allocated first, so a failure (-ENOMEM) changes nothing.  A folio that may
 * be pinned is not shared: its block is split in src, and the PTE level
 * copies its exclusive pages for the child (mm/memory.c copy_present_page).
 */
static int copy_huge_pmd(struct vm_area_struct *dst, struct vm_area_struct *src, unsigned long haddr,
			 pmd_t *src_pmdp)
{
	struct page *table = pte_alloc_one();
	pmd_t *dst_pmdp = table ? pmd_off(dst->vm_mm, haddr, true) : NULL, pmd;
	struct folio *folio;

	if (!dst_pmdp) {
		if (table)
			pte_free(table);
		return -ENOMEM;
	}
	spin_lock(&src->vm_mm->page_table_lock);
	spin_lock_nested(&dst->vm_mm->page_table_lock, SINGLE_DEPTH_NESTING);
	pmd = pmdp_get(src_pmdp);
	VM_BUG_ON(!pmd_none(pmdp_get(dst_pmdp)));
	folio = pmd_trans_huge(pmd) ? pmd_folio(pmd) : NULL;	/* else a split (mm/split.c) took it */
	if (!folio || folio_maybe_dma_pinned(folio) || !page_folio_mapped(&folio->page)) {
		/*
		 * Linux: split and let the PTE level copy the exclusive pages
		 * of a pinned folio (mm/memory.c); a folio being split is
		 * copied there too, once the split is over.
		 */
		if (folio)
			__split_huge_pmd_locked(src, haddr, src_pmdp);
		spin_unlock(&dst->vm_mm->page_table_lock);
		spin_unlock(&src->vm_mm->page_table_lock);
		pte_free(table);
		return 0;
	}
	folio_ref_add(folio, HPAGE_PMD_NR);
	folio_dup_anon_rmap_pmd(folio);
	add_mm_counter(dst->vm_mm, MM_ANONPAGES, HPAGE_PMD_NR);
	pmd = pmd_wrprotect(pmd);
	pmdp_set(src->vm_mm, haddr, src_pmdp, pmd);
	pgtable_trans_huge_deposit(dst->vm_mm, table);
	set_pmd_at(dst->vm_mm, dst_pmdp, pmd_mkold(pmd));
	spin_unlock(&dst->vm_mm->page_table_lock);
	spin_unlock(&src->vm_mm->page_table_lock);
	return 0;
}

int copy_huge_pmds(struct vm_area_struct *dst, struct vm_area_struct *src)
{
	unsigned long addr = src->vm_start;
	pmd_t *pmdp;

	for (; (pmdp = pmd_next_huge(src->vm_mm, &addr, src->vm_end)); addr += PMD_SIZE) {
		int err = copy_huge_pmd(dst, src, addr, pmdp);

		if (err)
			return err;
	}
	return 0;
}

/* ---- mremap ---- */

bool move_huge_pmd(struct vm_area_struct *vma, unsigned long old_haddr, unsigned long new_haddr)
{
	struct mm_struct *mm = vma->vm_mm;
	pmd_t *old_pmdp = pmd_off(mm, old_haddr, false), *new_pmdp = pmd_off(mm, new_haddr, false);
	struct page *table = NULL;

	VM_BUG_ON(!old_pmdp || !new_pmdp || ((old_haddr | new_haddr) & ~PMD_MASK));
	spin_lock(&mm->page_table_lock);
	VM_BUG_ON(!pmd_trans_huge(pmdp_get(old_pmdp)));
	if (!pmd_none(pmdp_get(new_pmdp)) && !(table = huge_pmd_claim(mm, new_haddr, new_pmdp, NULL))) {
		spin_unlock(&mm->page_table_lock);
		return false;	/* PTEs there: the caller moves PTEs */
	}
	/* Linux's move_soft_dirty_pmd: the block reads written at its new place. */
	set_pmd_at(mm, new_pmdp, pmd_mksoft_dirty(pmdp_huge_get_and_clear(mm, old_haddr, old_pmdp)));
	spin_unlock(&mm->page_table_lock);
	if (table)
		pte_free(table);	/* the tree's lock, held, keeps rmap walks out (pte_free_walked) */
	return true;
}

/* ---- the reverse map ---- */

/* The PMD of vma that would map folio whole, or NULL when the folio cannot sit there. */
static pmd_t *folio_vma_pmd(struct folio *folio, struct vm_area_struct *vma, unsigned long *haddr)
{
	long off = (long)(folio->index - vma->vm_pgoff);

	*haddr = vma->vm_start + ((unsigned long)off << PAGE_SHIFT);
	if (folio_order(folio) != HPAGE_PMD_ORDER || off < 0 || (*haddr & ~PMD_MASK) ||
	    *haddr + PMD_SIZE > vma->vm_end)
		return NULL;
	return pmd_off(vma->vm_mm, *haddr, false);
}

void rmap_walk_pmd(struct folio *folio,
		   void (*fn)(struct vm_area_struct *, unsigned long, pmd_t *, void *), void *arg)
{
	struct anon_vma *av = folio->mapping;
	struct list_head *pos, *next;

	if (folio_order(folio) != HPAGE_PMD_ORDER || !folio_test_anon(folio) || !av ||
	    atomic_read(&folio->_entire_mapcount) < 0)
		return;
	anon_vma_lock_read(av);
	list_for_each_safe(pos, next, &av->chains) {
		struct vm_area_struct *vma = list_entry(pos, struct anon_vma_chain, same_anon_vma)->vma;
		spinlock_t *ptl = &vma->vm_mm->page_table_lock;
		unsigned long haddr;
		pmd_t *pmdp = folio_vma_pmd(folio, vma, &haddr), pmd;

		if (!pmdp)
			continue;
		spin_lock(ptl);
		pmd = pmdp_get(pmdp);
		if (pmd_trans_huge(pmd) && pmd_pfn(pmd) == folio_pfn(folio))
			fn(vma, haddr, pmdp, arg);
		spin_unlock(ptl);
	}
	anon_vma_unlock_read(av);
}

static void split_pmd_one(struct vm_area_struct *vma, unsigned long haddr, pmd_t *pmdp, void *arg)
{
	(void)arg;
	__split_huge_pmd_locked(vma, haddr, pmdp);
}

void split_huge_pmd_folio(struct folio *folio)
{
	rmap_walk_pmd(folio, split_pmd_one, NULL);	/* a block mremap moves meanwhile may stay: split.c checks */
}

struct unmap_pmds {
	struct list_head tables;	/* the deposits withdrawn under the lock, freed after */
	bool written;			/* a block was found written since MADV_FREE: stop */
};

/*
 * Zap one block of the lazyfree folio, unless it was written since MADV_FREE
 * cleaned it: write-protected first (atomically, dirty kept) and flushed from
 * every TLB, so no CPU can dirty it any more, then its dirty bit read, as
 * rmap.c's lazyfree_ptes_redirtied does for PTEs.
 */
static void unmap_pmd_one(struct vm_area_struct *vma, unsigned long haddr, pmd_t *pmdp, void *arg)
{
	struct unmap_pmds *u = arg;

	if (u->written)
		return;
	pmdp_set(vma->vm_mm, haddr, pmdp, pmd_wrprotect(pmdp_get(pmdp)));
	if (pmd_dirty(pmdp_get(pmdp))) {
		u->written = true;
		return;
	}
	list_add(&zap_huge_pmd(vma, haddr, pmdp)->lru, &u->tables);
}

bool try_to_unmap_pmds(struct folio *folio)
{
	struct unmap_pmds u = { .tables = LIST_HEAD_INIT(u.tables), .written = false };

	rmap_walk_pmd(folio, unmap_pmd_one, &u);
	while (!list_empty(&u.tables)) {
		struct page *table = list_first_entry(&u.tables, struct page, lru);

		list_del_init(&table->lru);
		pte_free_walked(folio->mapping, table);
	}
	return !u.written;
}

bool huge_pmd_lookup(struct mm_struct *mm, unsigned long addr, pmd_t *pmd)
{
	pmd_t *pmdp = pmd_off(mm, addr, false);

	if (!pmdp)
		return false;
	spin_lock(&mm->page_table_lock);
	*pmd = pmdp_get(pmdp);
	spin_unlock(&mm->page_table_lock);
	return pmd_trans_huge(*pmd);
}

struct page *follow_huge_pmd_page(struct mm_struct *mm, unsigned long addr)
{
	pmd_t pmd;

	if (!huge_pmd_lookup(mm, addr, &pmd))
		return NULL;
	return pfn_to_page(pmd_pfn(pmd) + ((addr & ~PMD_MASK) >> PAGE_SHIFT));
}
