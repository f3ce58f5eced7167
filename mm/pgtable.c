/*
 * pgtable.c - the generic page-table walk (see pgtable.h).
 *
 * Levels count from the root: 0 (PGD/PML4/L0) to PT_LEVELS-1 (the PTE
 * table).  Entries are raw u64 in the arch format; the arch header supplies
 * constructors and predicates, this file supplies the walk.
 */
#include "mm/pgtable.h"
#include "kernel/compiler.h"
#include "kernel/printk.h"
#include <uapi/errno.h>

phys_addr_t kernel_pgd;
phys_addr_t (*pgtable_alloc_page)(void);

u64 *pgtable_walk(phys_addr_t root, unsigned long va, int level, bool alloc)
{
	u64 *table = __va(root);

	for (int l = 0; l < level; l++) {
		u64 *e = &table[pt_index(va, l)];

		if (!*e) {
			phys_addr_t pa;

			if (!alloc || !(pa = pgtable_alloc_page()))
				return NULL;
			*e = pt_mk_table(pa);
		} else if (!pt_is_table(*e, l)) {
			return NULL;	/* a block (a user PMD: PROT_NONE too) maps this range */
		}
		table = __va(pt_entry_pa(*e));
	}
	return &table[pt_index(va, level)];
}

unsigned long pgtable_next_table(phys_addr_t root, unsigned long va, unsigned long end, int level)
{
	while (va < end) {
		u64 *table = __va(root);
		unsigned long span;
		int l;

		for (l = 0; l < level; l++) {
			u64 e = table[pt_index(va, l)];

			if (!pt_is_table(e, l))
				break;
			table = __va(pt_entry_pa(e));
		}
		if (l == level)
			return va;
		/* Nothing below entry l: on to the next entry of that level. */
		span = 1UL << pt_level_shift(l);
		if (ALIGN_DOWN(va, span) + span <= va)
			break;	/* the last entry of the address space */
		va = ALIGN_DOWN(va, span) + span;
	}
	return end;
}

/* Largest level whose block fits at va/pa within size (PT_LEVELS-1 = 4 KiB page). */
static int pgtable_map_level(unsigned long va, phys_addr_t pa, unsigned long size, bool allow_block)
{
	for (int l = allow_block ? PT_BLOCK_LEVEL : PT_LEVELS - 1; l < PT_LEVELS - 1; l++) {
		unsigned long bsz = 1UL << pt_level_shift(l);

		if (IS_ALIGNED(va, bsz) && IS_ALIGNED(pa, bsz) && size >= bsz)
			return l;
	}
	return PT_LEVELS - 1;
}

int pgtable_map(phys_addr_t root, unsigned long va, phys_addr_t pa, unsigned long size,
		pgprot_t prot, bool allow_block)
{
	BUG_ON(!IS_ALIGNED(va, PAGE_SIZE) || !IS_ALIGNED(pa, PAGE_SIZE) || !IS_ALIGNED(size, PAGE_SIZE));
	while (size) {
		int level = pgtable_map_level(va, pa, size, allow_block);
		unsigned long step = 1UL << pt_level_shift(level);
		u64 *e = pgtable_walk(root, va, level, true);

		if (!e)
			return -ENOMEM;
		if (pt_present(*e))
			panic("pgtable_map: %#lx already mapped (entry %#llx)", va, (unsigned long long)*e);
		*e = pt_mk_leaf(pa, level, prot);
		va += step;
		pa += step;
		size -= step;
	}
	pgtable_sync();
	return 0;
}

static unsigned long ioremap_next = IOREMAP_BASE;

static void *ioremap_prot(phys_addr_t pa, size_t size, pgprot_t prot)
{
	phys_addr_t base = ALIGN_DOWN(pa, PAGE_SIZE);
	unsigned long len = ALIGN(pa + size, PAGE_SIZE) - base;
	unsigned long va = ioremap_next;

	if (va + len > IOREMAP_BASE + IOREMAP_SIZE)
		panic("ioremap: window full mapping %#llx", (unsigned long long)pa);
	if (pgtable_map(kernel_pgd, va, base, len, prot, false))
		panic("ioremap: out of memory for page tables");
	ioremap_next += len + PAGE_SIZE;	/* a guard page between mappings */
	return (void *)(va + (pa - base));
}

void *ioremap(phys_addr_t pa, size_t size)
{
	return ioremap_prot(pa, size, PAGE_KERNEL_IO);
}

void *ioremap_wc(phys_addr_t pa, size_t size)
{
	return ioremap_prot(pa, size, PAGE_KERNEL_WC);
}
