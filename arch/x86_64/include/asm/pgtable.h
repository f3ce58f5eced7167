/*
 * asm/pgtable.h (x86_64) - page-table entry format (Intel SDM vol. 3, 4.5).
 *
 * Four levels, 4 KiB granule, 48-bit VA: level 0 = PML4 (bits 47:39),
 * 1 = PDPT (38:30), 2 = PD (29:21), 3 = PT (20:12).  A level-2 entry with PS
 * set maps 2 MiB.  The raw pt_* helpers here are what mm/pgtable.c walks with.
 */
#ifndef ASM_PGTABLE_H
#define ASM_PGTABLE_H

#include "kernel/types.h"
#include <asm/memory.h>

#define _PAGE_PRESENT	(1ULL << 0)
#define _PAGE_RW	(1ULL << 1)
#define _PAGE_USER	(1ULL << 2)
#define _PAGE_PWT	(1ULL << 3)
#define _PAGE_PCD	(1ULL << 4)
#define _PAGE_ACCESSED	(1ULL << 5)
#define _PAGE_DIRTY	(1ULL << 6)
#define _PAGE_PSE	(1ULL << 7)
#define _PAGE_GLOBAL	(1ULL << 8)
#define _PAGE_NX	(1ULL << 63)
#define PTE_ADDR_MASK	0x000ffffffffff000ULL

typedef struct { u64 pgprot; } pgprot_t;

#define __pgprot(x)	((pgprot_t){ (x) })
#define _KERN_BASE	(_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_GLOBAL)
#define PAGE_KERNEL	__pgprot(_KERN_BASE | _PAGE_RW | _PAGE_DIRTY | _PAGE_NX)
#define PAGE_KERNEL_RO	__pgprot(_KERN_BASE | _PAGE_NX)
#define PAGE_KERNEL_ROX	__pgprot(_KERN_BASE)
#define PAGE_KERNEL_IO	__pgprot(_KERN_BASE | _PAGE_RW | _PAGE_DIRTY | _PAGE_NX | _PAGE_PCD | _PAGE_PWT)

#define PT_LEVELS	4
#define PT_ENTRIES	512
#define PT_BLOCK_LEVEL	2	/* lowest level that can map a block (2 MiB) */

static inline unsigned int pt_level_shift(int level)
{
	return 39 - 9 * level;
}

/* Intermediate entry pointing at the next-level table.  USER and RW are set
 * here so the leaf alone decides access (as Linux's _PAGE_TABLE). */
static inline u64 pt_mk_table(phys_addr_t pa)
{
	return pa | _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED;
}

static inline bool pt_present(u64 e)
{
	return e & _PAGE_PRESENT;
}

static inline bool pt_is_table(u64 e, int level)
{
	return level < PT_LEVELS - 1 && (e & _PAGE_PRESENT) && !(e & _PAGE_PSE);
}

static inline phys_addr_t pt_entry_pa(u64 e)
{
	return e & PTE_ADDR_MASK;
}

/* Leaf entry: a 4 KiB page at level 3, a 2 MiB block at level 2. */
static inline u64 pt_mk_leaf(phys_addr_t pa, int level, pgprot_t prot)
{
	return pa | prot.pgprot | (level < PT_LEVELS - 1 ? _PAGE_PSE : 0);
}

/* Table writes are coherent with the walker on x86: nothing to do. */
static inline void pgtable_sync(void)
{
	__asm__ __volatile__("" : : : "memory");
}

static inline void flush_tlb_kernel_page(unsigned long va)
{
	__asm__ __volatile__("invlpg (%0)" : : "r"(va) : "memory");
}

#endif
