/*
 * pgtable_user.c - user page tables: the PTE-table locks, set_ptes and
 * friends (every store to a user PTE goes through one of them, and each
 * asserts the table's lock), allocation of roots and teardown.
 *
 * Each PTE table (the last level) has its own spinlock, as Linux's split PTE
 * locks: allocated with the table (pte_alloc_one, Linux's
 * pagetable_pte_ctor) and kept behind page->private of the table's struct
 * page (Linux's ALLOC_SPLIT_PTLOCKS), so a table is never visible without
 * its lock and two CPUs can never give one table two locks; when either
 * allocation fails the fault gets NULL (-ENOMEM), never a panic.  Every
 * change of a PTE happens under it; pte_offset_map_lock() (existing table)
 * and pte_alloc_map_lock() (building missing tables) hand it out with the
 * PTE, as Linux's do.  Missing tables of every level are installed under
 * mm->page_table_lock with a re-check (mm_pgtable_alloc), so concurrent
 * faults in one mm (mmap_lock read) build each table once.
 */
#include "kernel/slab.h"
#include "kernel/string.h"
#include "mm/mm.h"
#include "mm/mm_types.h"
#include "mm/mmu_gather.h"
#include "mm/pgtable.h"
#include "mm/vmstat.h"

/* The struct page of the PTE table holding ptep. */
static struct page *pte_table_page(pte_t *ptep)
{
	return virt_to_page((void *)ALIGN_DOWN((unsigned long)ptep, PAGE_SIZE));
}

spinlock_t *pte_lockptr(pte_t *ptep)
{
	spinlock_t *ptl = (spinlock_t *)pte_table_page(ptep)->private;

	VM_BUG_ON(!ptl);	/* every user PTE table is built with its lock */
	return ptl;
}

/* A new table for entries of `level`: a PTE table with its lock, or a zeroed page; NULL on OOM. */
static struct page *table_alloc(int level)
{
	phys_addr_t pa;

	if (level == PT_LEVELS - 1)
		return pte_alloc_one();
	pa = pgtable_alloc_page();
	return pa ? virt_to_page(__va(pa)) : NULL;
}

u64 *mm_pgtable_alloc(struct mm_struct *mm, unsigned long addr, int level)
{
	u64 *table = __va(mm->pgd);

	for (int l = 0; l < level; l++) {
		u64 *e = &table[pt_index(addr, l)];
		u64 v = READ_ONCE(*e);

		if (!v) {
			struct page *new = table_alloc(l + 1);

			if (!new)
				return NULL;
			spin_lock(&mm->page_table_lock);
			v = *e;
			if (!v) {
				smp_wmb();	/* the table's zeroes (and lock) before the entry to it */
				v = pt_mk_table((phys_addr_t)page_to_pfn(new) << PAGE_SHIFT);
				WRITE_ONCE(*e, v);
				new = NULL;
			}
			spin_unlock(&mm->page_table_lock);
			if (new)
				pte_free(new);	/* another fault installed one first */
			else
				pgtable_sync();
		}
		if (!pt_is_table(v, l))
			return NULL;	/* a block (a user PMD: PROT_NONE too) maps this range */
		table = __va(pt_entry_pa(v));
	}
	return &table[pt_index(addr, level)];
}

/* The two below: the PTE for addr, its table found (existing) or built (alloc), locked. */
static pte_t *pte_map_lock(struct mm_struct *mm, unsigned long addr, bool alloc, spinlock_t **ptlp)
{
	pte_t *ptep = (pte_t *)(alloc ? mm_pgtable_alloc(mm, addr, PT_LEVELS - 1) :
				pgtable_walk(mm->pgd, addr, PT_LEVELS - 1, false));

	if (!ptep)
		return NULL;
	*ptlp = pte_lockptr(ptep);
	spin_lock(*ptlp);
	return ptep;
}

pte_t *pte_offset_map_lock(struct mm_struct *mm, unsigned long addr, spinlock_t **ptlp)
{
	return pte_map_lock(mm, addr, false, ptlp);
}

pte_t *pte_alloc_map_lock(struct mm_struct *mm, unsigned long addr, spinlock_t **ptlp)
{
	return pte_map_lock(mm, addr, true, ptlp);
}

pte_t *pte_next_table_lock(struct mm_struct *mm, unsigned long *addr, unsigned long end,
			   unsigned int *nr, spinlock_t **ptlp)
{
	while ((*addr = pgtable_next_table(mm->pgd, *addr, end, PT_LEVELS - 1)) < end) {
		unsigned long table_end = ALIGN_DOWN(*addr, PTE_TABLE_SPAN) + PTE_TABLE_SPAN;
		pte_t *ptep = pte_offset_map_lock(mm, *addr, ptlp);

		*nr = (unsigned int)((min(end - 1, table_end - 1) - *addr) >> PAGE_SHIFT) + 1;
		if (ptep) {
			count_vm_event(PGTABLE_WALK_TABLES);
			return ptep;
		}
		*addr += (unsigned long)*nr << PAGE_SHIFT;
	}
	return NULL;
}

void set_ptes(struct mm_struct *mm, unsigned long addr, pte_t *ptep, pte_t pte, unsigned int nr)
{
	assert_spin_locked(pte_lockptr(ptep));
	pte = pte_mknoncont(pte);
	arch_sync_icache_dcache(pte, nr);
	for (unsigned int i = 0; i < nr; i++) {
		VM_BUG_ON(!pte_none(__ptep_get(&ptep[i])));
		*(volatile pte_t *)&ptep[i] = arch_set_ptes_pte(pte, addr, i, nr);
		pte = pte_next_pfn(pte);
	}
	pgtable_sync();
	arch_ptes_fold(mm, addr, ptep, nr);	/* the blocks the batch completed in part */
}

void clear_ptes(struct mm_struct *mm, unsigned long addr, pte_t *ptep, unsigned int nr)
{
	assert_spin_locked(pte_lockptr(ptep));
	arch_ptes_unfold(mm, addr, ptep, nr);
	for (unsigned int i = 0; i < nr; i++)
		*(volatile pte_t *)&ptep[i] = __pte(0);
}

/* Whole folded blocks stay folded: every PTE of theirs changes the same way. */
void wrprotect_ptes(struct mm_struct *mm, unsigned long addr, pte_t *ptep, unsigned int nr)
{
	assert_spin_locked(pte_lockptr(ptep));
	arch_ptes_unfold(mm, addr, ptep, nr);
	for (unsigned int i = 0; i < nr; i++)
		*(volatile pte_t *)&ptep[i] = pte_wrprotect(__ptep_get(&ptep[i]));
}

void clear_soft_dirty_ptes(struct mm_struct *mm, unsigned long addr, pte_t *ptep, unsigned int nr)
{
	wrprotect_ptes(mm, addr, ptep, nr);
	for (unsigned int i = 0; i < nr; i++)
		*(volatile pte_t *)&ptep[i] = pte_clear_soft_dirty(__ptep_get(&ptep[i]));
}

void clear_young_dirty_ptes(struct mm_struct *mm, unsigned long addr, pte_t *ptep, unsigned int nr)
{
	assert_spin_locked(pte_lockptr(ptep));
	arch_ptes_unfold(mm, addr, ptep, nr);
	for (unsigned int i = 0; i < nr; i++)
		*(volatile pte_t *)&ptep[i] = pte_mkclean(pte_mkold(__ptep_get(&ptep[i])));
}

pte_t ptep_get_and_clear(struct mm_struct *mm, unsigned long addr, pte_t *ptep)
{
	pte_t old = ptep_get(ptep);

	clear_ptes(mm, addr, ptep, 1);
	flush_tlb_range(mm, addr, addr + PAGE_SIZE);
	return pte_mknoncont(old);
}

/*
 * A change of young/dirty alone inside a folded block is made block-wide
 * without unfolding (arch_ptep_set_access_flags); anything else unfolds
 * the block, and the block is folded again if the new PTE completes it.
 */
void ptep_set(struct mm_struct *mm, unsigned long addr, pte_t *ptep, pte_t pte)
{
	assert_spin_locked(pte_lockptr(ptep));
	pte = pte_mknoncont(pte);
	if (arch_ptep_set_access_flags(mm, addr, ptep, pte))
		return;
	arch_sync_icache_dcache(pte, 1);
	arch_ptes_unfold(mm, addr, ptep, 1);
	*(volatile pte_t *)ptep = pte;
	flush_tlb_range(mm, addr, addr + PAGE_SIZE);
	arch_ptes_fold(mm, addr, ptep, 1);
}

void ptep_try_unfold(struct mm_struct *mm, unsigned long addr, pte_t *ptep)
{
	assert_spin_locked(pte_lockptr(ptep));
	arch_ptes_unfold(mm, addr, ptep, 1);
}

bool ptep_clear_flush_young(struct mm_struct *mm, unsigned long addr, pte_t *ptep)
{
	pte_t pte = ptep_get(ptep);

	if (!pte_young(pte))
		return false;
	ptep_set(mm, addr, ptep, pte_mkold(pte));
	return true;
}

/* The table writes reach the walker first; the arch flushes by mm on every CPU (asm/tlbflush.h). */
void flush_tlb_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	pgtable_sync();
	flush_tlb_mm_range(mm, start, end);
}

phys_addr_t pgd_alloc(void)
{
	phys_addr_t pgd = pgtable_alloc_page();

	if (pgd && USER_PGD_ENTRIES < PT_ENTRIES)
		memcpy((u64 *)__va(pgd) + USER_PGD_ENTRIES, (u64 *)__va(kernel_pgd) + USER_PGD_ENTRIES,
		       (PT_ENTRIES - USER_PGD_ENTRIES) * sizeof(u64));
	return pgd;
}

/* fn(pa, level, arg) for the table at pa (entries of `level`) and every table below it, the lower ones first. */
static void walk_table(phys_addr_t pa, int level, void (*fn)(phys_addr_t, int, void *), void *arg)
{
	u64 *table = __va(pa);

	for (int i = 0; level < PT_LEVELS - 1 && i < PT_ENTRIES; i++) {
		if (pt_is_table(table[i], level))
			walk_table(pt_entry_pa(table[i]), level + 1, fn, arg);
	}
	fn(pa, level, arg);
}

/* walk_table() over every table below mm's root (its user half). */
static void walk_user_tables(const struct mm_struct *mm, void (*fn)(phys_addr_t, int, void *), void *arg)
{
	u64 *root = __va(mm->pgd);

	for (int i = 0; i < USER_PGD_ENTRIES; i++) {
		if (pt_is_table(root[i], 0))
			walk_table(pt_entry_pa(root[i]), 1, fn, arg);
	}
}

struct page *pte_alloc_one(void)
{
	phys_addr_t pa = pgtable_alloc_page();
	struct page *table;
	spinlock_t *ptl;

	if (!pa)
		return NULL;
	table = virt_to_page(__va(pa));
	ptl = kzalloc(sizeof(*ptl));
	if (!ptl) {
		free_pages(table, 0);
		return NULL;
	}
	spin_lock_init(ptl, "ptl");
	table->private = (unsigned long)ptl;
	return table;
}

void pte_free(struct page *table)
{
	if (table->private) {
		kfree((void *)table->private);
		table->private = 0;
	}
	free_pages(table, 0);
}

void pmd_populate(struct mm_struct *mm, pmd_t *pmdp, struct page *table)
{
	assert_spin_locked(&mm->page_table_lock);
	VM_BUG_ON(!pmd_none(pmdp_get(pmdp)));
	*(volatile u64 *)pmdp = pt_mk_table((phys_addr_t)page_to_pfn(table) << PAGE_SHIFT);
	pgtable_sync();
}

/*
 * Free one table (its lower tables are gone already) now, or with arg a
 * struct mmu_gather after its flush; a PTE table must be empty, a PMD
 * table hold no block (zap took them all).
 */
static void free_table(phys_addr_t pa, int level, void *arg)
{
	u64 *table = __va(pa);

	for (int i = 0; level >= PT_LEVELS - 2 && i < PT_ENTRIES; i++) {
		if (level == PT_LEVELS - 1 ? pt_present(table[i]) : pmd_trans_huge(__pmd(table[i])))
			panic("free_pgtables: %s %#llx still present", level == PT_LEVELS - 1 ? "PTE" : "PMD",
			      (unsigned long long)table[i]);
	}
	if (arg)
		tlb_remove_table(arg, virt_to_page(table));
	else
		pte_free(virt_to_page(table));
}

/*
 * free_pgd_range() below the table of `level` entries: a table entry whose
 * span lies in [floor, ceiling) is cleared and its tables queued on tlb;
 * one that only reaches into it is visited, unless what it points to is a
 * PTE table (still used by a neighbour).
 */
static void free_range_level(struct mmu_gather *tlb, u64 *table, int level, unsigned long start,
			     unsigned long end, unsigned long floor, unsigned long ceiling)
{
	unsigned long span = 1UL << pt_level_shift(level);

	for (unsigned long a = ALIGN_DOWN(start, span); a < end; a += span) {
		u64 *e = &table[(a >> pt_level_shift(level)) & (PT_ENTRIES - 1)];

		if (!pt_is_table(*e, level))
			continue;
		if (a >= floor && a + span <= ceiling) {
			phys_addr_t pa = pt_entry_pa(*e);

			*(volatile u64 *)e = 0;
			walk_table(pa, level + 1, free_table, tlb);
		} else if (level + 1 < PT_LEVELS - 1) {
			free_range_level(tlb, __va(pt_entry_pa(*e)), level + 1, max(start, a),
					 min(end, a + span), floor, ceiling);
		}
	}
}

/*
 * The MMU may cache the upper-level entries cleared and walk the tables
 * below them until the flush: the gather flushes all of mm's entries, walk
 * caches included (TLBI ASIDE1IS / a PCID flush), on every CPU, and only
 * then frees the tables.
 */
void free_pgd_range(struct mmu_gather *tlb, unsigned long start, unsigned long end,
		    unsigned long floor, unsigned long ceiling)
{
	BUG_ON(floor > start || end > ceiling || ceiling > USER_PGTABLE_END);
	free_range_level(tlb, __va(tlb->mm->pgd), 0, start, end, floor, ceiling);
}

void free_pgtables(struct mm_struct *mm)
{
	BUG_ON(mm->nr_pgtables_deposited);	/* every PMD mapping was zapped with its deposit */
	/* Its root must not be loaded anywhere: the last mmdrop frees it (mm/vma.c). */
	BUG_ON(mm == active_mm());
	walk_user_tables(mm, free_table, NULL);
	free_pages(virt_to_page(__va(mm->pgd)), 0);
	mm->pgd = 0;
}

static void count_table(phys_addr_t pa, int level, void *arg)
{
	(void)pa;
	(void)level;
	(*(unsigned long *)arg)++;
}

unsigned long mm_pgtables_bytes(const struct mm_struct *mm)
{
	unsigned long nr = 0;

	walk_user_tables(mm, count_table, &nr);
	return (nr + mm->nr_pgtables_deposited) * PAGE_SIZE;	/* Linux counts the deposited ones too */
}
