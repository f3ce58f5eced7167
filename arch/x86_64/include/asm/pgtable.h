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
#include <asm/tlbflush.h>

#define _PAGE_PRESENT	(1ULL << 0)
#define _PAGE_RW	(1ULL << 1)
#define _PAGE_USER	(1ULL << 2)
#define _PAGE_PWT	(1ULL << 3)
#define _PAGE_PCD	(1ULL << 4)
#define _PAGE_ACCESSED	(1ULL << 5)
#define _PAGE_DIRTY	(1ULL << 6)
#define _PAGE_PSE	(1ULL << 7)
#define _PAGE_GLOBAL	(1ULL << 8)
#define _PAGE_SOFT_DIRTY (1ULL << 11)	/* software (ignored by the MMU): Linux's _PAGE_BIT_SOFTW3 */
#define _PAGE_NX	(1ULL << 63)
#define PTE_ADDR_MASK	0x000ffffffffff000ULL

typedef struct { u64 pgprot; } pgprot_t;

#define __pgprot(x)	((pgprot_t){ (x) })
#define _KERN_BASE	(_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_GLOBAL)
#define PAGE_KERNEL	__pgprot(_KERN_BASE | _PAGE_RW | _PAGE_DIRTY | _PAGE_NX)
#define PAGE_KERNEL_RO	__pgprot(_KERN_BASE | _PAGE_NX)
#define PAGE_KERNEL_ROX	__pgprot(_KERN_BASE)
#define PAGE_KERNEL_IO	__pgprot(_KERN_BASE | _PAGE_RW | _PAGE_DIRTY | _PAGE_NX | _PAGE_PCD | _PAGE_PWT)
/* Framebuffers: PAT index 2, UC- in the power-on PAT (foliOS leaves the PAT as it is), so an
 * MTRR the firmware set to write-combining over the framebuffer takes effect. */
#define PAGE_KERNEL_WC	__pgprot(_KERN_BASE | _PAGE_RW | _PAGE_DIRTY | _PAGE_NX | _PAGE_PCD)

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

/* ---- user PTEs (Linux's pte_* names) ---- */

typedef struct { u64 pte; } pte_t;

#define pte_val(p)	((p).pte)
#define __pte(x)	((pte_t){ (x) })

/*
 * PROT_NONE pages keep their frame but must fault: hardware-absent, marked
 * with a software bit (the global bit, never used on user pages), and still
 * pte_present() for the kernel, as Linux's _PAGE_PROTNONE.
 */
#define _PAGE_PROTNONE	_PAGE_GLOBAL
#define _PAGE_USER_BASE	(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)
#define PAGE_NONE	__pgprot(_PAGE_PROTNONE | _PAGE_ACCESSED)
#define PAGE_READONLY	__pgprot(_PAGE_USER_BASE | _PAGE_NX)
#define PAGE_READONLY_EXEC __pgprot(_PAGE_USER_BASE)
#define PAGE_SHARED	__pgprot(_PAGE_USER_BASE | _PAGE_RW | _PAGE_NX)
#define PAGE_SHARED_EXEC __pgprot(_PAGE_USER_BASE | _PAGE_RW)

/*
 * Accessed and dirty are kept by the MMU (SDM vol. 3, 4.8): it sets A on
 * every access and D on the first write through a TLB entry with D clear, so
 * after pte_mkold()/pte_mkclean() the TLB entry must be flushed for the next
 * access or write to be recorded.  Writable means _PAGE_RW.
 */
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
/* Same PTE one page further on (for batches: set_ptes). */
static inline pte_t pte_next_pfn(pte_t pte) { return __pte(pte_val(pte) + PAGE_SIZE); }

/*
 * No contiguous-block hint on x86_64 (arm64's PTE_CONT, arch/arm64/contpte.c):
 * a block of one PTE, and the hooks mm/pgtable_user.c calls are empty.
 */
#define CONT_PTES	1

struct mm_struct;

static inline bool pte_cont(pte_t pte) { (void)pte; return false; }
static inline pte_t pte_mknoncont(pte_t pte) { return pte; }
static inline pte_t arch_ptep_get(const pte_t *ptep, pte_t pte) { (void)ptep; return pte; }
static inline pte_t arch_set_ptes_pte(pte_t pte, unsigned long addr, unsigned int i, unsigned int nr)
{
	(void)addr; (void)i; (void)nr;
	return pte;
}
static inline void arch_ptes_unfold(struct mm_struct *mm, unsigned long addr, pte_t *ptep,
				    unsigned int nr) { (void)mm; (void)addr; (void)ptep; (void)nr; }
static inline void arch_ptes_fold(struct mm_struct *mm, unsigned long addr, pte_t *ptep,
				  unsigned int nr) { (void)mm; (void)addr; (void)ptep; (void)nr; }
static inline bool arch_ptep_set_access_flags(struct mm_struct *mm, unsigned long addr, pte_t *ptep,
					      pte_t pte)
{
	(void)mm; (void)addr; (void)ptep; (void)pte;
	return false;
}

/* The I-cache snoops stores on x86_64: nothing to sync for an exec mapping. */
static inline void arch_sync_icache_dcache(pte_t pte, unsigned int nr) { (void)pte; (void)nr; }

/*
 * User PMDs: a level-2 entry with _PAGE_PSE maps a 2 MiB block (SDM vol. 3,
 * 4.5.4) with the same permission, accessed, dirty and soft-dirty bits as a
 * PTE (bit 11 is ignored there too; bit 12 is the block's PAT bit), so the
 * generic pmd_* helpers (mm/pgtable.h) work through pmd_pte()/pte_pmd().  A
 * PROT_NONE block keeps _PAGE_PSE with _PAGE_PROTNONE (not present for the
 * MMU), as Linux's.
 */
typedef struct { u64 pmd; } pmd_t;

#define pmd_val(p)	((p).pmd)
#define __pmd(x)	((pmd_t){ (x) })

static inline pmd_t pmd_mkhuge(pmd_t pmd) { return __pmd(pmd_val(pmd) | _PAGE_PSE); }
/* A block (present or PROT_NONE), not a pointer to a PTE table. */
static inline bool pmd_trans_huge(pmd_t pmd)
{
	return (pmd_val(pmd) & _PAGE_PSE) && (pmd_val(pmd) & (_PAGE_PRESENT | _PAGE_PROTNONE));
}

/* The kernel half lives in the user root too: top-level entries 256..511. */
#define USER_PGD_ENTRIES	256

#endif
