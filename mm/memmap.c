/*
 * memmap.c - the struct page array and the hand-over from memblock to buddy.
 *
 * Purpose.  Give every 4 KiB frame between the first and the last RAM frame
 * a struct page (FLATMEM: one array, pfn_to_page() is an index), then give
 * every frame that memblock says is free RAM to the buddy allocator.
 *
 * Terms.  A *RAM frame* lies wholly inside a memblock.memory region (frames
 * only partly covered count as holes).  A *reserved frame* is a RAM frame
 * touched by any memblock.reserved region: kernel image, initrd, boot_info,
 * page tables, and this array itself.  A *hole frame* is inside the span but
 * not RAM.
 *
 * Invariants after memmap_init():
 *   - hole and reserved frames are PageReserved with refcount 1 and are never
 *     on a free list, which is what keeps buddy blocks from straddling a RAM
 *     range boundary;
 *   - every other RAM frame was freed exactly once, in the largest aligned
 *     blocks its range allows, so free == total - reserved.
 *
 * Boot only, single-threaded.
 */
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/memblock.h"
#include "mm/mm.h"

struct page *mem_map;
unsigned long memmap_start_pfn;
unsigned long memmap_end_pfn;

/* Phase 1: reserve and map the array covering [start_pfn, end_pfn). */
static void memmap_alloc(unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long nr = end_pfn - start_pfn;
	phys_addr_t size = ALIGN((phys_addr_t)nr * sizeof(struct page), (phys_addr_t)PAGE_SIZE);
	phys_addr_t pa = memblock_alloc(size, PAGE_SIZE);

	if (!pa)
		panic("memmap_alloc: no room for %lu struct pages (%lu KiB)",
		      nr, (unsigned long)(size / 1024));
	mem_map = __va(pa);
	memmap_start_pfn = start_pfn;
	memmap_end_pfn = end_pfn;
	pr_info("mm: memmap: pfn 0x%lx-0x%lx, %lu struct pages of %zu bytes, %lu KiB at 0x%lx\n",
		start_pfn, end_pfn, nr, sizeof(struct page), (unsigned long)(size / 1024),
		(unsigned long)pa);
}

/* Phase 2: every frame starts reserved; freeing is the exception. */
static void memmap_init_pages(void)
{
	unsigned long nr = memmap_end_pfn - memmap_start_pfn;

	memset(mem_map, 0, nr * sizeof(struct page));
	for (unsigned long i = 0; i < nr; i++) {
		mem_map[i].flags = BIT(PG_reserved);
		atomic_set(&mem_map[i]._mapcount, -1);
		atomic_set(&mem_map[i]._refcount, 1);
	}
}

/*
 * Free [start_pfn, end_pfn) in the largest naturally aligned blocks.
 * Returns the number of frames freed.
 */
static unsigned long memmap_free_range(unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long pfn = start_pfn;

	while (pfn < end_pfn) {
		unsigned int order = MAX_PAGE_ORDER;

		if (pfn)
			order = min(order, (unsigned int)__builtin_ctzl(pfn));
		while (pfn + (1UL << order) > end_pfn)
			order--;
		__free_pages_core(pfn_to_page(pfn), order);
		pfn += 1UL << order;
	}
	return end_pfn - start_pfn;
}

/*
 * Phase 3: free the RAM frames of [base, end) that no reserved region
 * touches.  memblock.reserved is sorted and disjoint.  Returns frames freed.
 */
static unsigned long memmap_free_region(phys_addr_t base, phys_addr_t end)
{
	unsigned long pfn = ALIGN(base, (phys_addr_t)PAGE_SIZE) >> PAGE_SHIFT;
	unsigned long end_pfn = ALIGN_DOWN(end, (phys_addr_t)PAGE_SIZE) >> PAGE_SHIFT;
	unsigned long freed = 0;

	for (unsigned int i = 0; i < memblock.reserved.cnt && pfn < end_pfn; i++) {
		const struct memblock_region *r = &memblock.reserved.regions[i];
		unsigned long r_start = ALIGN_DOWN(r->base, (phys_addr_t)PAGE_SIZE) >> PAGE_SHIFT;
		unsigned long r_end = ALIGN(r->base + r->size, (phys_addr_t)PAGE_SIZE) >> PAGE_SHIFT;

		if (r_end <= pfn)
			continue;
		if (r_start > pfn)
			freed += memmap_free_range(pfn, min(r_start, end_pfn));
		pfn = max(pfn, r_end);
	}
	if (pfn < end_pfn)
		freed += memmap_free_range(pfn, end_pfn);
	return freed;
}

/* Whole frames inside memblock.memory. */
static unsigned long memmap_ram_pages(void)
{
	unsigned long nr = 0;

	for (unsigned int i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];
		phys_addr_t start = ALIGN(r->base, (phys_addr_t)PAGE_SIZE);
		phys_addr_t end = ALIGN_DOWN(r->base + r->size, (phys_addr_t)PAGE_SIZE);

		if (end > start)
			nr += (end - start) >> PAGE_SHIFT;
	}
	return nr;
}

/*
 * Build the memmap and fill the buddy allocator.
 * Preconditions: memblock.memory holds all usable RAM and memblock.reserved
 * every range in use (kernel, initrd, boot_info, page tables); the direct
 * map (__va) covers all of RAM; interrupts may be on or off.  Allocates the
 * array itself with memblock_alloc().  Panics when that fails.
 * After it returns alloc_pages() works and memblock must not allocate.
 */
void memmap_init(void)
{
	unsigned long start_pfn = memblock_start_of_DRAM() >> PAGE_SHIFT;
	unsigned long end_pfn = ALIGN(memblock_end_of_DRAM(), (phys_addr_t)PAGE_SIZE) >> PAGE_SHIFT;
	unsigned long total, freed = 0;

	if (start_pfn >= end_pfn)
		panic("memmap_init: memblock.memory is empty");
	memmap_alloc(start_pfn, end_pfn);
	memmap_init_pages();
	page_alloc_init();
	for (unsigned int i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];

		freed += memmap_free_region(r->base, r->base + r->size);
	}
	total = memmap_ram_pages();
	if (freed != nr_free_pages())
		panic("memmap_init: freed %lu frames but %lu are free", freed, nr_free_pages());
	pr_info("mm: total pages: %lu (%lu KiB)\n", total, total * (PAGE_SIZE / 1024));
	pr_info("mm: reserved pages: %lu (%lu KiB)\n", total - freed,
		(total - freed) * (PAGE_SIZE / 1024));
	pr_info("mm: free pages: %lu (%lu KiB)\n", freed, freed * (PAGE_SIZE / 1024));
	init_per_zone_wmark_min();
}
