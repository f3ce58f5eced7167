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

#include "kernel/types.h"
#include <asm/pgtable.h>

/* Physical address of the kernel's root table (level 0). */
extern phys_addr_t kernel_pgd;

/* Where new table pages come from: returns a zeroed page's physical address, 0 on failure. */
extern phys_addr_t (*pgtable_alloc_page)(void);

/*
 * Return a pointer to the entry for va at `level` under root, allocating
 * missing intermediate tables when alloc is true.  Returns NULL when a table
 * is missing (alloc false), allocation failed, or a block mapping sits above
 * `level`.
 */
u64 *pgtable_walk(phys_addr_t root, unsigned long va, int level, bool alloc);

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

#endif
