/*
 * asm/pgtable.h (arm64) - VMSAv8-64 descriptors, 4 KiB granule, 48-bit VA
 * (Arm ARM D8.3).  Level 0 (bits 47:39) .. level 3 (20:12).  Levels 0-2 hold
 * table descriptors (bits[1:0] = 11); level 1/2 may hold blocks (01); level 3
 * holds pages (11).  MAIR_EL1 (set in head.S, same indices as EDK2's) gives
 * AttrIndx 0 = Device-nGnRnE and 3 = Normal write-back.
 */
#ifndef ASM_PGTABLE_H
#define ASM_PGTABLE_H

#include "kernel/types.h"
#include <asm/memory.h>
#include <asm/tlbflush.h>

#define PTE_VALID	(1ULL << 0)
#define PTE_TYPE_MASK	(3ULL << 0)
#define PTE_TYPE_BLOCK	(1ULL << 0)
#define PTE_TYPE_PAGE	(3ULL << 0)	/* also "table" at levels 0-2 */
#define PTE_ATTRINDX(n)	((unsigned long long)(n) << 2)
#define PTE_USER	(1ULL << 6)	/* AP[1] */
#define PTE_RDONLY	(1ULL << 7)	/* AP[2] */
#define PTE_SHARED	(3ULL << 8)	/* inner shareable */
#define PTE_AF		(1ULL << 10)
#define PTE_NG		(1ULL << 11)
#define PTE_CONT	(1ULL << 52)
#define PTE_PXN		(1ULL << 53)
#define PTE_UXN		(1ULL << 54)
#define PTE_ADDR_MASK	0x0000fffffffff000ULL

#define MT_DEVICE_nGnRnE 0
#define MT_NORMAL_NC	1	/* Normal, non-cacheable: framebuffers */
#define MT_NORMAL	3

typedef struct { u64 pgprot; } pgprot_t;

#define __pgprot(x)	((pgprot_t){ (x) })
#define _KERN_BASE	(PTE_AF | PTE_SHARED | PTE_ATTRINDX(MT_NORMAL) | PTE_UXN)
#define PAGE_KERNEL	__pgprot(_KERN_BASE | PTE_PXN)
#define PAGE_KERNEL_RO	__pgprot(_KERN_BASE | PTE_PXN | PTE_RDONLY)
#define PAGE_KERNEL_ROX	__pgprot(_KERN_BASE | PTE_RDONLY)
#define PAGE_KERNEL_IO	__pgprot(PTE_AF | PTE_ATTRINDX(MT_DEVICE_nGnRnE) | PTE_PXN | PTE_UXN)
#define PAGE_KERNEL_WC	__pgprot(PTE_AF | PTE_SHARED | PTE_ATTRINDX(MT_NORMAL_NC) | PTE_PXN | PTE_UXN)

#define PT_LEVELS	4
#define PT_ENTRIES	512
#define PT_BLOCK_LEVEL	2	/* lowest level used for blocks (2 MiB) */

static inline unsigned int pt_level_shift(int level)
{
	return 39 - 9 * level;
}

/* Table descriptor pointing at the next-level table: type 0b11 (PTE_TYPE_PAGE's encoding),
 * no attributes, so that the leaf alone decides access. */
static inline u64 pt_mk_table(phys_addr_t pa)
{
	return pa | PTE_TYPE_PAGE;
}

static inline bool pt_present(u64 e)
{
	return e & PTE_VALID;
}

static inline bool pt_is_table(u64 e, int level)
{
	return level < PT_LEVELS - 1 && (e & PTE_TYPE_MASK) == PTE_TYPE_PAGE;
}

static inline phys_addr_t pt_entry_pa(u64 e)
{
	return e & PTE_ADDR_MASK;
}

/* Leaf descriptor: a 4 KiB page at level 3 (type 0b11, PTE_TYPE_PAGE), a block above it
 * (0b01, PTE_TYPE_BLOCK: 2 MiB at level 2). */
static inline u64 pt_mk_leaf(phys_addr_t pa, int level, pgprot_t prot)
{
	return pa | prot.pgprot | (level == PT_LEVELS - 1 ? PTE_TYPE_PAGE : PTE_TYPE_BLOCK);
}

/* ---- user PTEs (Linux's pte_* names) ---- */

typedef struct { u64 pte; } pte_t;

#define pte_val(p)	((p).pte)
#define __pte(x)	((pte_t){ (x) })

/*
 * Write permission, dirty and young: Linux's arm64 scheme, so one PTE format
 * serves CPUs with and without hardware management (FEAT_HAFDBS):
 *
 *   PTE_WRITE (= PTE_DBM, bit 51)  the page may be written: pte_write()
 *   PTE_RDONLY (AP[2])             what the MMU enforces right now
 *   PTE_DIRTY (bit 55, software)   written, as recorded by the kernel
 *
 * A PTE is dirty when PTE_DIRTY is set or it is writable with PTE_RDONLY
 * clear (pte_hw_dirty).  A writable but clean PTE keeps PTE_RDONLY set, so the
 * first write is noticed: with TCR_EL1.HD the MMU clears PTE_RDONLY itself
 * (DBM), without it the write faults and handle_mm_fault() marks the PTE
 * dirty.  Young is the access flag: set by the MMU with TCR_EL1.HA, else by
 * the access-flag fault, the same way.  arch_user_init() (process.c) turns on
 * what ID_AA64MMFR1_EL1.HAFDBS offers, capped by `id_aa64mmfr1.hafdbs=`.
 */
#define PTE_WRITE	(1ULL << 51)	/* PTE_DBM */
#define PTE_DIRTY	(1ULL << 55)
/*
 * Soft-dirty (docs/mm/soft-dirty.md): software bit 57, ignored by the MMU
 * (Arm ARM D8.3: bits 58:55 are for software); Linux's arm64 has no
 * soft-dirty, so the bit is foliOS's choice: 55 is PTE_DIRTY, 58
 * PTE_PROT_NONE, 56 stays free for Linux's PTE_SPECIAL.  The generic name,
 * as x86_64's, is what mm/pgtable.h's pte_soft_dirty() tests.
 */
#define _PAGE_SOFT_DIRTY (1ULL << 57)
/* PROT_NONE: invalid for the hardware, present for the kernel (Linux's PTE_PROT_NONE). */
#define PTE_PROT_NONE	(1ULL << 58)
#define _PAGE_USER_BASE	(PTE_TYPE_PAGE | PTE_AF | PTE_SHARED | PTE_ATTRINDX(MT_NORMAL) | PTE_NG | \
			 PTE_USER | PTE_PXN)
#define PAGE_NONE	__pgprot(PTE_PROT_NONE | PTE_AF | PTE_RDONLY | PTE_UXN | PTE_PXN)
#define PAGE_READONLY	__pgprot(_PAGE_USER_BASE | PTE_RDONLY | PTE_UXN)
#define PAGE_READONLY_EXEC __pgprot(_PAGE_USER_BASE | PTE_RDONLY)
#define PAGE_SHARED	__pgprot(_PAGE_USER_BASE | PTE_WRITE | PTE_RDONLY | PTE_UXN)
#define PAGE_SHARED_EXEC __pgprot(_PAGE_USER_BASE | PTE_WRITE | PTE_RDONLY)

static inline bool pte_none(pte_t pte) { return pte_val(pte) == 0; }
static inline bool pte_present(pte_t pte) { return pte_val(pte) & (PTE_VALID | PTE_PROT_NONE); }
static inline bool pte_write(pte_t pte) { return pte_val(pte) & PTE_WRITE; }
static inline bool pte_sw_dirty(pte_t pte) { return pte_val(pte) & PTE_DIRTY; }
/* Written since the last pte_mkclean(), as the MMU records it (DBM). */
static inline bool pte_hw_dirty(pte_t pte) { return pte_write(pte) && !(pte_val(pte) & PTE_RDONLY); }
static inline bool pte_dirty(pte_t pte) { return pte_sw_dirty(pte) || pte_hw_dirty(pte); }
static inline bool pte_young(pte_t pte) { return pte_val(pte) & PTE_AF; }
static inline bool pte_exec(pte_t pte) { return !(pte_val(pte) & PTE_UXN); }
static inline unsigned long pte_pfn(pte_t pte) { return (pte_val(pte) & PTE_ADDR_MASK) >> PAGE_SHIFT; }
static inline pte_t pfn_pte(unsigned long pfn, pgprot_t prot)
{
	return __pte(((u64)pfn << PAGE_SHIFT) | prot.pgprot);
}
/* Writable; the MMU lets writes through only once the PTE is dirty (else the first one is noticed). */
static inline pte_t pte_mkwrite(pte_t pte)
{
	pte = __pte(pte_val(pte) | PTE_WRITE);
	return pte_sw_dirty(pte) ? __pte(pte_val(pte) & ~PTE_RDONLY) : pte;
}
/* Read-only; a hardware-dirty PTE keeps its dirtiness in PTE_DIRTY. */
static inline pte_t pte_wrprotect(pte_t pte)
{
	if (pte_hw_dirty(pte))
		pte = __pte(pte_val(pte) | PTE_DIRTY);
	return __pte((pte_val(pte) & ~PTE_WRITE) | PTE_RDONLY);
}
static inline pte_t pte_mkdirty(pte_t pte)
{
	pte = __pte(pte_val(pte) | PTE_DIRTY);
	return pte_write(pte) ? __pte(pte_val(pte) & ~PTE_RDONLY) : pte;
}
/* Clean: the next write is noticed again (PTE_RDONLY back on). */
static inline pte_t pte_mkclean(pte_t pte) { return __pte((pte_val(pte) & ~PTE_DIRTY) | PTE_RDONLY); }
static inline pte_t pte_mkyoung(pte_t pte) { return __pte(pte_val(pte) | PTE_AF); }
static inline pte_t pte_mkold(pte_t pte) { return __pte(pte_val(pte) & ~PTE_AF); }
static inline pte_t pte_next_pfn(pte_t pte) { return __pte(pte_val(pte) + PAGE_SIZE); }

/*
 * The contiguous bit (Arm ARM D8.6.1): PTE_CONT on each of 16 consecutive
 * PTEs, 64 KiB aligned in VA and PA, with identical attributes, lets the TLB
 * hold the block as one entry.  arch/arm64/contpte.c keeps it (the hooks
 * below, called from mm/pgtable_user.c); its essay has the rules.
 */
#define CONT_PTES	16
#define CONT_PTE_SIZE	((unsigned long)CONT_PTES << PAGE_SHIFT)

static inline bool pte_valid(pte_t pte) { return pte_val(pte) & PTE_VALID; }
static inline bool pte_cont(pte_t pte) { return pte_val(pte) & PTE_CONT; }
static inline pte_t pte_mkcont(pte_t pte) { return __pte(pte_val(pte) | PTE_CONT); }
static inline pte_t pte_mknoncont(pte_t pte) { return __pte(pte_val(pte) & ~PTE_CONT); }

struct mm_struct;

/* The PTE as mm sees it: in a folded block, young and dirty gathered over the 16 PTEs. */
pte_t contpte_ptep_get(const pte_t *ptep, pte_t pte);
static inline pte_t arch_ptep_get(const pte_t *ptep, pte_t pte)
{
	return pte_cont(pte) ? contpte_ptep_get(ptep, pte) : pte;
}
/*
 * What set_ptes stores for the i-th of the nr none PTEs from addr (pte that
 * PTE's value): with PTE_CONT when its block lies wholly in the batch and is
 * foldable (contpte_set_ptes_pte); an invalid entry has no TLB entry to break.
 */
pte_t contpte_set_ptes_pte(pte_t pte, unsigned int off);
static inline pte_t arch_set_ptes_pte(pte_t pte, unsigned long addr, unsigned int i, unsigned int nr)
{
	unsigned int off = (unsigned int)(((addr >> PAGE_SHIFT) + i) & (CONT_PTES - 1));

	if (off > i || i - off + CONT_PTES > nr)
		return pte;	/* the block reaches outside the batch */
	return contpte_set_ptes_pte(pte, off);
}
/* Before PTEs [addr, +nr) change in place: unfold the folded blocks they cover only in part. */
void arch_ptes_unfold(struct mm_struct *mm, unsigned long addr, pte_t *ptep, unsigned int nr);
/* After PTEs [addr, +nr) were set: fold each block they touch that is now complete and uniform. */
void arch_ptes_fold(struct mm_struct *mm, unsigned long addr, pte_t *ptep, unsigned int nr);
/* Replace a PTE differing only in young/dirty/soft-dirty in a folded block, block-wide; false: not that. */
bool arch_ptep_set_access_flags(struct mm_struct *mm, unsigned long addr, pte_t *ptep, pte_t pte);

/*
 * Before pte (and the nr PTEs after it) map user pages executable: sync the
 * I-cache with what the kernel wrote into each folio not yet synced
 * (PG_arch_1, arch/arm64/cacheflush.c; Linux's __sync_icache_dcache).
 */
void arch_sync_icache_dcache(pte_t pte, unsigned int nr);

/*
 * User PMDs: a level-2 block descriptor (bits[1:0] = 01, Arm ARM D8.3.1) has
 * the page descriptor's attribute bits in the same places, so PTE_WRITE,
 * PTE_DIRTY, PTE_RDONLY and PTE_AF mean the same on a PMD and the generic
 * pmd_* helpers (mm/pgtable.h) work through pmd_pte()/pte_pmd(), with and
 * without FEAT_HAFDBS; the software bits (PTE_PROT_NONE, soft-dirty) too.
 * pmd_mkhuge() clears bit 1 (PTE_TABLE_BIT) of a page-format entry; a
 * PROT_NONE block has neither bit, only PTE_PROT_NONE.
 */
#define PTE_TABLE_BIT	(1ULL << 1)

typedef struct { u64 pmd; } pmd_t;

#define pmd_val(p)	((p).pmd)
#define __pmd(x)	((pmd_t){ (x) })

static inline pmd_t pmd_mkhuge(pmd_t pmd) { return __pmd(pmd_val(pmd) & ~PTE_TABLE_BIT); }
/* A block (valid or PROT_NONE), not a pointer to a PTE table. */
static inline bool pmd_trans_huge(pmd_t pmd)
{
	return (pmd_val(pmd) & (PTE_VALID | PTE_PROT_NONE)) && !(pmd_val(pmd) & PTE_TABLE_BIT);
}

/* TTBR0 covers only the user half: every top-level entry is the user's. */
#define USER_PGD_ENTRIES	512

#endif
