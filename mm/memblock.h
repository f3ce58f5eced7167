/*
 * memblock.h - the boot-time physical memory allocator.
 *
 * Before the memmap and the buddy allocator exist, the kernel needs pages for
 * its page tables and for the memmap itself.  memblock keeps two sorted lists
 * of physical ranges: "memory" (all usable RAM from boot_info) and
 * "reserved" (what is in use: kernel image, initrd, boot_info, and every
 * memblock_alloc()).  memmap_init() later hands memory minus reserved to the
 * buddy allocator and marks the reserved frames PageReserved.
 *
 * Single-threaded, boot only: no lock.
 */
#ifndef MM_MEMBLOCK_H
#define MM_MEMBLOCK_H

#include "kernel/types.h"

#define MEMBLOCK_MAX 128

struct memblock_region {
	phys_addr_t base;
	phys_addr_t size;
};

struct memblock_type {
	unsigned int cnt;
	struct memblock_region regions[MEMBLOCK_MAX];
};

struct memblock {
	phys_addr_t current_limit;	/* memblock_alloc stays below this; 0 = no limit */
	struct memblock_type memory;
	struct memblock_type reserved;
};

extern struct memblock memblock;

/* Add usable RAM [base, base+size); overlapping or touching ranges merge. */
void memblock_add(phys_addr_t base, phys_addr_t size);
/* Mark [base, base+size) in use; it will never be handed out or freed. */
void memblock_reserve(phys_addr_t base, phys_addr_t size);
/*
 * Allocate size bytes aligned to align (a power of two) from memory not
 * reserved, highest address first, and reserve it.  Returns the physical
 * address, or 0 when nothing fits (the caller decides whether that is fatal).
 * The memory is not zeroed.
 */
phys_addr_t memblock_alloc(phys_addr_t size, phys_addr_t align);
/*
 * Limit memblock_alloc to memory below `limit` (0 removes the limit): early
 * boot can only reach what the boot page tables map.
 */
void memblock_set_current_limit(phys_addr_t limit);
phys_addr_t memblock_start_of_DRAM(void);
phys_addr_t memblock_end_of_DRAM(void);
/* Bytes in memory / reserved, for the boot summary. */
phys_addr_t memblock_phys_mem_size(void);
phys_addr_t memblock_reserved_size(void);
/* RAM the buddy allocator manages, in pages: memory minus what boot reserved (Linux's totalram_pages()). */
unsigned long totalram_pages(void);
/* Reset to empty (host tests). */
void memblock_reset(void);

#endif
