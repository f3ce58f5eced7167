/*
 * asm/pgtable.h (host) - the kernel's 4-level page-table shape with an
 * x86-like entry format, for mm/pgtable.c, mm/pgtable_user.c and the fault
 * path compiled on the host.
 *
 * Same layout as arch/x86_64/include/asm/pgtable.h: level 0 (bits 47:39)
 * to level 3 (bits 20:12), 512 entries per 4 KiB table, 2 MiB blocks at
 * level 2, the same PTE bits.  Tables are pages of the arena ("physical
 * memory") reached through __va.  Nothing walks these tables but mm/
 * itself, so TLB flushes and the root switch are no-ops.
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

/* Intermediate entry pointing at the next-level table. */
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

/* No hardware walker: a compiler barrier keeps the kernel's ordering. */
static inline void pgtable_sync(void)
{
	__asm__ __volatile__("" : : : "memory");
}

/* ---- user PTEs (Linux's pte_* names) ---- */

typedef struct { u64 pte; } pte_t;

#define pte_val(p)	((p).pte)
#define __pte(x)	((pte_t){ (x) })

/* PROT_NONE: not hardware-present, still pte_present() (as the kernel's). */
#define _PAGE_PROTNONE	_PAGE_GLOBAL
#define _PAGE_USER_BASE	(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)
#define PAGE_NONE	__pgprot(_PAGE_PROTNONE | _PAGE_ACCESSED)
#define PAGE_READONLY	__pgprot(_PAGE_USER_BASE | _PAGE_NX)
#define PAGE_READONLY_EXEC __pgprot(_PAGE_USER_BASE)
#define PAGE_SHARED	__pgprot(_PAGE_USER_BASE | _PAGE_RW | _PAGE_NX)
#define PAGE_SHARED_EXEC __pgprot(_PAGE_USER_BASE | _PAGE_RW)

static inline bool pte_none(pte_t pte) { return pte_val(pte) == 0; }
static inline bool pte_present(pte_t pte) { return pte_val(pte) & (_PAGE_PRESENT | _PAGE_PROTNONE); }
static inline bool pte_write(pte_t pte) { return pte_val(pte) & _PAGE_RW; }
static inline bool pte_dirty(pte_t pte) { return pte_val(pte) & _PAGE_DIRTY; }
static inline bool pte_young(pte_t pte) { return pte_val(pte) & _PAGE_ACCESSED; }
static inline bool pte_exec(pte_t pte) { return !(pte_val(pte) & _PAGE_NX); }
static inline unsigned long pte_pfn(pte_t pte) { return (pte_val(pte) & PTE_ADDR_MASK) >> PAGE_SHIFT; }
static inline pte_t pfn_pte(unsigned long pfn, pgprot_t prot)
{
	return __pte(((u64)pfn << PAGE_SHIFT) | prot.pgprot);
}
static inline pte_t pte_mkwrite(pte_t pte) { return __pte(pte_val(pte) | _PAGE_RW); }
static inline pte_t pte_wrprotect(pte_t pte) { return __pte(pte_val(pte) & ~_PAGE_RW); }
static inline pte_t pte_mkdirty(pte_t pte) { return __pte(pte_val(pte) | _PAGE_DIRTY); }
static inline pte_t pte_mkclean(pte_t pte) { return __pte(pte_val(pte) & ~_PAGE_DIRTY); }
static inline pte_t pte_mkyoung(pte_t pte) { return __pte(pte_val(pte) | _PAGE_ACCESSED); }
static inline pte_t pte_mkold(pte_t pte) { return __pte(pte_val(pte) & ~_PAGE_ACCESSED); }
static inline pte_t pte_next_pfn(pte_t pte) { return __pte(pte_val(pte) + PAGE_SIZE); }

/* No TLB on the host. */
static inline void flush_tlb_user_page(unsigned long va) { (void)va; }
static inline void flush_tlb_user_all(void) { }
static inline void flush_tlb_kernel_page(unsigned long va) { (void)va; }
/* Nothing loads a root on the host. */
static inline void arch_switch_user_pgd(phys_addr_t root) { (void)root; }

/* The kernel half lives in the user root too: top-level entries 256..511 (as x86_64). */
#define USER_PGD_ENTRIES	256

#endif
