/*
 * pgtable.h - the generic 4-level page-table walk over the arch's entry format.
 *
 * Tables are 4 KiB pages reached through the direct map (__va).  Their pages
 * come from pgtable_alloc_page: memblock during boot, the buddy allocator
 * once it exists.  Kernel tables (kernel_pgd) are shared by every address space.
 *
 * Lock legend: kernel mappings are created at boot or under
 * kernel_pgtable_lock (ioremap).
 */
#ifndef MM_PGTABLE_H
#define MM_PGTABLE_H

#include "kernel/spinlock.h"
#include "kernel/types.h"
#include <asm/pgtable.h>
#include <asm/tlbflush.h>

/* The index of va's entry in a table of `level` entries. */
static inline unsigned int pt_index(unsigned long va, int level)
{
	return (va >> pt_level_shift(level)) & (PT_ENTRIES - 1);
}

/* Physical address of the kernel's root table (level 0). */
extern phys_addr_t kernel_pgd;

/* Where new table pages come from: returns a zeroed page's physical address, 0 on failure. */
extern phys_addr_t (*pgtable_alloc_page)(void);

/*
 * Return a pointer to the entry for va at `level` under root, allocating
 * missing intermediate tables when alloc is true.  Returns NULL when a table
 * is missing (alloc false), allocation failed, or a block mapping sits above
 * `level`.  Allocating walks are for kernel tables, built by one CPU at a
 * time (boot, ioremap); user tables grow through mm_pgtable_alloc().
 */
u64 *pgtable_walk(phys_addr_t root, unsigned long va, int level, bool alloc);

/*
 * The first address in [va, end) for which a table of `level` exists under
 * root (every entry on the way is a table), or end.  Each empty entry of a
 * level above costs one look however much it spans, so a walk over a huge
 * sparse range costs what is populated.
 */
unsigned long pgtable_next_table(phys_addr_t root, unsigned long va, unsigned long end, int level);

/*
 * Map [va, va+size) to [pa, pa+size) with prot under root, using blocks
 * (2 MiB) where va, pa and the remaining size allow and allow_block is true.
 * va, pa, size page aligned; the range must not be mapped already (panics).
 * Returns 0, or -ENOMEM when a table page could not be allocated.
 */
int pgtable_map(phys_addr_t root, unsigned long va, phys_addr_t pa, unsigned long size,
		pgprot_t prot, bool allow_block);

/* Map device memory [pa, pa+size) uncached in the ioremap window; returns its address. */
void *ioremap(phys_addr_t pa, size_t size);
/* The same for a framebuffer: write-combining where the arch can (PAGE_KERNEL_WC). */
void *ioremap_wc(phys_addr_t pa, size_t size);


/* ---- user page tables ---- */

/*
 * Soft-dirty (docs/mm/soft-dirty.md, Linux's CONFIG_MEM_SOFT_DIRTY): a
 * software bit (_PAGE_SOFT_DIRTY, asm/pgtable.h) the kernel sets on every
 * PTE/PMD a write makes writable and dirty, and clear_refs 4 clears (with
 * the write permission, so the next write faults and sets it again).
 * pte_mkdirty() is the dirty bit alone (what the MMU may set itself), so
 * the write paths add pte_mksoft_dirty(); Linux's x86 pte_mkdirty() does both.
 */
static inline bool pte_soft_dirty(pte_t pte) { return pte_val(pte) & _PAGE_SOFT_DIRTY; }
static inline pte_t pte_mksoft_dirty(pte_t pte) { return __pte(pte_val(pte) | _PAGE_SOFT_DIRTY); }
static inline pte_t pte_clear_soft_dirty(pte_t pte) { return __pte(pte_val(pte) & ~_PAGE_SOFT_DIRTY); }

/* Bytes of address space one PTE table (the last level) maps: 2 MiB. */
#define PTE_TABLE_SPAN	((unsigned long)PT_ENTRIES << PAGE_SHIFT)

struct mm_struct;

/* The lock of the PTE table holding ptep (every user PTE table has one). */
spinlock_t *pte_lockptr(pte_t *ptep);

/*
 * The entry of `level` for addr in mm's user tables, building the missing
 * tables above it (Linux's pud/pmd_alloc and __pte_alloc): each new table
 * is allocated with no lock held (a PTE table with its lock, as
 * pte_alloc_one) and installed under mm->page_table_lock only if the entry
 * is still none, as Linux's pmd_install; when a concurrent fault installed
 * one first, ours is freed.  NULL when an allocation failed (-ENOMEM;
 * tables built before stay, empty, until teardown) or a block maps addr.
 * Called with mmap_lock held (read is enough) and no spinlock.
 */
u64 *mm_pgtable_alloc(struct mm_struct *mm, unsigned long addr, int level);

/*
 * The PTE for addr in mm, with its table's lock taken (*ptlp); never
 * allocates: NULL when there is no PTE table for addr.  Unlock with
 * spin_unlock(*ptlp).  (Linux passes the PMD; we walk from mm.)
 */
pte_t *pte_offset_map_lock(struct mm_struct *mm, unsigned long addr, spinlock_t **ptlp);
/*
 * The same, first allocating the missing tables on the way to addr's PTE
 * table and its lock; NULL only when one of them could not be allocated
 * (-ENOMEM; tables built before the failure stay, empty, until teardown).
 */
pte_t *pte_alloc_map_lock(struct mm_struct *mm, unsigned long addr, spinlock_t **ptlp);

/*
 * Walk the PTE tables over [*addr, end) one at a time: the PTE for the
 * first address at or after *addr that has a PTE table, locked (*ptlp),
 * with *addr moved there and *nr the PTEs from there to the end of that
 * table or to end; NULL when no table is left.  The caller unlocks and
 * goes on from *addr + (*nr << PAGE_SHIFT).  Empty levels are skipped
 * whole (pgtable_next_table): zap, fork and mprotect of a terabyte
 * reservation cost what was touched.
 */
pte_t *pte_next_table_lock(struct mm_struct *mm, unsigned long *addr, unsigned long end,
			   unsigned int *nr, spinlock_t **ptlp);

/* The PTE as stored (arm64: one entry of a folded block keeps only its own young/dirty). */
static inline pte_t __ptep_get(const pte_t *ptep)
{
	return *(const volatile pte_t *)ptep;
}

/*
 * The PTE as mm sees it: on arm64, a PTE of a folded contiguous block
 * (PTE_CONT, arch/arm64/contpte.c) reads young and dirty when any PTE of the
 * block is, as the MMU may have recorded an access on any of them (Linux's
 * contpte_ptep_get); pte_cont() tells.  Elsewhere the PTE as stored.
 */
static inline pte_t ptep_get(const pte_t *ptep)
{
	return arch_ptep_get(ptep, __ptep_get(ptep));
}

/*
 * Atomic updates of a present entry.  The MMU sets accessed and dirty in a
 * present PTE or PMD block at any moment, from any CPU that has it in its
 * TLB (x86_64 always; arm64 with FEAT_HAFDBS: the access flag, and dirty by
 * clearing PTE_RDONLY of a DBM entry), so a read-modify-write made of a load
 * and a store may undo a write's dirty bit: MADV_FREE's "was it written
 * again?" (reclaim) would then drop data.  Every change of a present entry
 * is therefore one exchange, or a compare-and-exchange loop that recomputes
 * the new value from what it finds (Linux's ptep_get_and_clear,
 * ptep_set_wrprotect, ptep_test_and_clear_young).  The PTE lock still
 * serialises the kernel's own writers; these only close the window against
 * the MMU.  Fully ordered, as the atomics of kernel/atomic.h.
 */
static inline u64 pt_entry_xchg(u64 *entry, u64 val)
{
	return __atomic_exchange_n(entry, val, __ATOMIC_SEQ_CST);
}

/* *entry = val if it still is *old: true; else false and *old what it is now. */
static inline bool pt_entry_try_cmpxchg(u64 *entry, u64 *old, u64 val)
{
	return __atomic_compare_exchange_n(entry, old, val, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
}

static inline pte_t __ptep_xchg(pte_t *ptep, pte_t pte)
{
	return __pte(pt_entry_xchg(&pte_val(*ptep), pte_val(pte)));
}

/* pte with young, dirty and soft-dirty added where `from` has them (gathering over PTEs). */
static inline pte_t pte_gather_young_dirty(pte_t pte, pte_t from)
{
	if (pte_young(from))
		pte = pte_mkyoung(pte);
	if (pte_dirty(from))
		pte = pte_mkdirty(pte);
	if (pte_soft_dirty(from))
		pte = pte_mksoft_dirty(pte);
	return pte;
}

/* Old and clean (MADV_FREE: the next access and write are recorded again). */
static inline pte_t pte_mkold_clean(pte_t pte)
{
	return pte_mkclean(pte_mkold(pte));
}

/*
 * Apply fn to the present entry at *entry (a PTE, or a PMD block, whose
 * bits mean the same: mm/pgtable.h's pmd_* helpers) atomically: recomputed
 * from what is there until no MMU update came between the read and the
 * write.  Returns the entry it replaced.
 */
static inline u64 pt_entry_modify(u64 *entry, pte_t (*fn)(pte_t))
{
	u64 old = READ_ONCE(*entry);

	while (!pt_entry_try_cmpxchg(entry, &old, pte_val(fn(__pte(old)))))
		;
	return old;
}

/*
 * Replace the present entry at *entry by val atomically, keeping a write
 * the MMU recorded in the old entry when both map the same frame (the
 * caller computed val from an earlier read: mprotect, the access-flag
 * fault, aging): a replacement never makes a written page clean.  Returns
 * the entry it replaced.
 */
static inline u64 pt_entry_replace(u64 *entry, u64 val)
{
	u64 old = READ_ONCE(*entry);
	pte_t new;

	do {
		new = __pte(val);
		if (pte_dirty(__pte(old)) && pte_pfn(__pte(old)) == pte_pfn(new))
			new = pte_mkdirty(new);
	} while (!pt_entry_try_cmpxchg(entry, &old, pte_val(new)));
	return old;
}

/*
 * The stores to user PTEs (Linux's include/linux/pgtable.h names).  Each
 * asserts that the lock of ptep's PTE table is held; a batch of nr PTEs
 * starts at ptep (address addr) and stays inside that table.  The pte
 * passed in may come from ptep_get() (its PTE_CONT is ignored): on arm64
 * they keep the contiguous bit through the arch hooks (asm/pgtable.h):
 * a block is folded once complete and uniform, unfolded before a change
 * to part of it.
 */
/* Map nr consecutive pages starting with pte at ptep; every PTE must be none. */
void set_ptes(struct mm_struct *mm, unsigned long addr, pte_t *ptep, pte_t pte, unsigned int nr);
/*
 * Clear nr (>= 1) present PTEs, each by an atomic exchange, and return the
 * first with the young, dirty and soft-dirty bits of all nr gathered in
 * (Linux's get_and_clear_ptes): a write the MMU recorded on any of them,
 * on any CPU, up to the clear, is in the result.  No TLB flush: the caller
 * flushes the batch (flush_tlb_range).
 */
pte_t get_and_clear_ptes(struct mm_struct *mm, unsigned long addr, pte_t *ptep, unsigned int nr);
/* The same when the old entries do not matter (they map a copy, or are re-read under the lock). */
void clear_ptes(struct mm_struct *mm, unsigned long addr, pte_t *ptep, unsigned int nr);
/*
 * Write-protect nr present PTEs, each atomically (a write recorded by the
 * MMU meanwhile is kept as dirty).  No TLB flush: the caller flushes the batch.
 */
void wrprotect_ptes(struct mm_struct *mm, unsigned long addr, pte_t *ptep, unsigned int nr);
/*
 * Write-protect nr present PTEs and clear their soft-dirty bit (clear_refs 4,
 * Linux's clear_soft_dirty): whole folded blocks stay folded.  No TLB flush:
 * the caller flushes the batch.
 */
void clear_soft_dirty_ptes(struct mm_struct *mm, unsigned long addr, pte_t *ptep, unsigned int nr);
/*
 * Make nr present PTEs old and clean (MADV_FREE; Linux's clear_young_dirty_ptes
 * with CYDP_CLEAR_YOUNG | CYDP_CLEAR_DIRTY), so the next access and write are
 * recorded again (asm/pgtable.h).  No TLB flush: the caller flushes the batch.
 */
void clear_young_dirty_ptes(struct mm_struct *mm, unsigned long addr, pte_t *ptep, unsigned int nr);
/* Clear one PTE (atomic exchange) and flush its TLB entry; returns the old value. */
pte_t ptep_get_and_clear(struct mm_struct *mm, unsigned long addr, pte_t *ptep);
/*
 * Replace a present PTE (a permission or young/dirty change) atomically and
 * flush its TLB entry; a write the MMU recorded in the old PTE of the same
 * frame stays recorded (pt_entry_replace): ptep_set never cleans a PTE.
 */
void ptep_set(struct mm_struct *mm, unsigned long addr, pte_t *ptep, pte_t pte);
/*
 * The PTE at ptep stops sharing a contiguous TLB block with its neighbours
 * (arm64: unfold its block if folded; split calls it when the block's
 * pages end up in different folios).  Nothing to do on x86_64.
 */
void ptep_try_unfold(struct mm_struct *mm, unsigned long addr, pte_t *ptep);
/* Was the present PTE young?  If so make it old and flush its TLB entry (reclaim's aging). */
bool ptep_clear_flush_young(struct mm_struct *mm, unsigned long addr, pte_t *ptep);

/* ---- user PMDs (Linux's pmd_* names; mm/huge_memory.c maps them) ---- */

/*
 * A PMD (level PT_LEVELS - 2) is none, a pointer to a PTE table, or a
 * block mapping PMD_SIZE (pmd_trans_huge, asm/pgtable.h).  A block's
 * permission, accessed and dirty bits sit where a PTE's do on both MMUs, so
 * the helpers below are the PTE ones through pmd_pte()/pte_pmd().
 */
#define PMD_SIZE	PTE_TABLE_SPAN
#define PMD_MASK	(~(PMD_SIZE - 1))
#define HPAGE_PMD_ORDER	9
#define HPAGE_PMD_NR	(1U << HPAGE_PMD_ORDER)

static inline pte_t pmd_pte(pmd_t pmd) { return __pte(pmd_val(pmd)); }
static inline pmd_t pte_pmd(pte_t pte) { return __pmd(pte_val(pte)); }
static inline pmd_t pmdp_get(const pmd_t *pmdp) { return *(const volatile pmd_t *)pmdp; }
static inline bool pmd_none(pmd_t pmd) { return pmd_val(pmd) == 0; }
static inline bool pmd_write(pmd_t pmd) { return pte_write(pmd_pte(pmd)); }
static inline bool pmd_dirty(pmd_t pmd) { return pte_dirty(pmd_pte(pmd)); }
static inline bool pmd_young(pmd_t pmd) { return pte_young(pmd_pte(pmd)); }
static inline unsigned long pmd_pfn(pmd_t pmd) { return pte_pfn(pmd_pte(pmd)); }
static inline pmd_t pmd_mkwrite(pmd_t pmd) { return pte_pmd(pte_mkwrite(pmd_pte(pmd))); }
static inline pmd_t pmd_wrprotect(pmd_t pmd) { return pte_pmd(pte_wrprotect(pmd_pte(pmd))); }
static inline pmd_t pmd_mkdirty(pmd_t pmd) { return pte_pmd(pte_mkdirty(pmd_pte(pmd))); }
static inline pmd_t pmd_mkclean(pmd_t pmd) { return pte_pmd(pte_mkclean(pmd_pte(pmd))); }
static inline pmd_t pmd_mkyoung(pmd_t pmd) { return pte_pmd(pte_mkyoung(pmd_pte(pmd))); }
static inline pmd_t pmd_mkold(pmd_t pmd) { return pte_pmd(pte_mkold(pmd_pte(pmd))); }
static inline bool pmd_soft_dirty(pmd_t pmd) { return pte_soft_dirty(pmd_pte(pmd)); }
static inline pmd_t pmd_mksoft_dirty(pmd_t pmd) { return pte_pmd(pte_mksoft_dirty(pmd_pte(pmd))); }
static inline pmd_t pmd_clear_soft_dirty(pmd_t pmd) { return pte_pmd(pte_clear_soft_dirty(pmd_pte(pmd))); }
/* A block entry for the PMD_SIZE-aligned pfn with prot (a PTE's pgprot). */
static inline pmd_t pfn_pmd(unsigned long pfn, pgprot_t prot)
{
	return pmd_mkhuge(pte_pmd(pfn_pte(pfn, prot)));
}

/*
 * A PTE table outside any page table, with its lock (Linux's pte_alloc_one):
 * what a PMD mapping keeps deposited so that its split never allocates.
 * NULL on OOM.  pte_free() frees one (every PTE none).
 */
struct page *pte_alloc_one(void);
void pte_free(struct page *table);
/* Point the none PMD at pmdp to table (Linux's pmd_populate); the PMD lock held. */
void pmd_populate(struct mm_struct *mm, pmd_t *pmdp, struct page *table);

/* The root to load when no address space is active (exit, idle): no user mappings. */
phys_addr_t empty_user_pgd(void);
/* Load mm's user page tables (NULL: empty_user_pgd()); the mm whose tables are loaded. */
void switch_mm(struct mm_struct *mm);
struct mm_struct *active_mm(void);
/* A new user root: empty user half, the kernel half shared (x86_64). 0 on OOM. */
phys_addr_t pgd_alloc(void);
/* Free every user page table under root (no PTE may be present) and the root. */
void free_pgtables(struct mm_struct *mm);
/* The end of the user half of the address space the tables under a root translate. */
#define USER_PGTABLE_END	((unsigned long)USER_PGD_ENTRIES << pt_level_shift(0))
/*
 * After [start, end) of tlb->mm was unmapped, free the page tables no VMA
 * needs any more: every table below the root reaching into [start, end)
 * whose whole span lies in [floor, ceiling), the hole between the VMAs left
 * around the range (Linux's free_pgd_range).  Their PTEs must be zapped
 * already.  The tables are taken out of the tree now and freed by the
 * gather after its flush (walk caches included: mm/mmu_gather.h).
 */
struct mmu_gather;
void free_pgd_range(struct mmu_gather *tlb, unsigned long start, unsigned long end,
		    unsigned long floor, unsigned long ceiling);
/* Bytes of the page tables below mm's root (Linux's mm_pgtables_bytes, counted by a walk). */
unsigned long mm_pgtables_bytes(const struct mm_struct *mm);
/*
 * TLB flushes (Linux's names; asm/tlbflush.h does them): mm's entries for
 * [start, end), on every CPU that may hold them (TLB shootdown: IPIs on
 * x86_64, broadcast TLBI on arm64), whether mm is loaded there or not (its
 * ASID / PCID), done on every CPU when the call returns.  More pages than
 * TLB_SINGLE_PAGE_FLUSH_CEILING (Linux's tlb_single_page_flush_ceiling)
 * flush the whole mm instead; TLB_FLUSH_ALL as end means the whole mm.
 */
#define TLB_FLUSH_ALL			(~0UL)
#define TLB_SINGLE_PAGE_FLUSH_CEILING	32UL
void flush_tlb_range(struct mm_struct *mm, unsigned long start, unsigned long end);
/* Every entry of mm, the walk caches' included (after page tables were freed). */
static inline void flush_tlb_mm(struct mm_struct *mm)
{
	flush_tlb_mm_range(mm, 0, TLB_FLUSH_ALL);
}

#endif
