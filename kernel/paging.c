/*
 * paging.c - the kernel's own page tables.
 *
 * head.S left us on boot tables made of 2 MiB blocks: an identity map of
 * 0..4 GiB, the same 4 GiB at PAGE_OFFSET, and the image at KERNEL_VBASE,
 * all writable and executable.  paging_init() builds the final tables:
 *
 *	kernel image	text RX, rodata R, data+bss RW+NX (4 KiB pages)
 *	direct map	every RAM range of the boot memory map, RW+NX
 *			(2 MiB blocks where aligned)
 *	devices		through ioremap(), uncached, RW+NX
 *
 * and switches to them, which drops the identity map.  Table pages come from
 * memblock below 4 GiB (what the boot direct map reaches).
 */
#include "kernel/arch.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/memblock.h"
#include "mm/mm.h"
#include "mm/pgtable.h"

extern char _text[], _etext[], _rodata[], _erodata[], _data[], _end[];

#define BOOT_DIRECT_MAP_LIMIT	(4ULL << 30)

static phys_addr_t pgtable_alloc_memblock(void)
{
	phys_addr_t pa = memblock_alloc(PAGE_SIZE, PAGE_SIZE);

	if (pa)
		memset(__va(pa), 0, PAGE_SIZE);
	return pa;
}

static phys_addr_t pgtable_alloc_buddy(void)
{
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 0);

	return page ? (phys_addr_t)page_to_pfn(page) << PAGE_SHIFT : 0;
}

/* After memmap_init: memblock's free memory belongs to the buddy allocator now. */
void pgtable_use_buddy(void)
{
	pgtable_alloc_page = pgtable_alloc_buddy;
}

static void map_kernel_segment(char *start, char *end, pgprot_t prot)
{
	unsigned long va = (unsigned long)start;

	if (pgtable_map(kernel_pgd, va, __pa_symbol(start), (unsigned long)(end - start), prot, false))
		panic("paging_init: out of memory mapping the kernel image");
}

void paging_init(void)
{
	memblock_set_current_limit(BOOT_DIRECT_MAP_LIMIT);
	pgtable_alloc_page = pgtable_alloc_memblock;
	kernel_pgd = pgtable_alloc_page();
	if (!kernel_pgd)
		panic("paging_init: no memory for the kernel page table");

	map_kernel_segment(_text, _etext, PAGE_KERNEL_ROX);
	map_kernel_segment(_rodata, _erodata, PAGE_KERNEL_RO);
	map_kernel_segment(_data, _end, PAGE_KERNEL);

	for (unsigned int i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];

		if (pgtable_map(kernel_pgd, (unsigned long)__va(r->base), r->base, r->size,
				PAGE_KERNEL, true))
			panic("paging_init: out of memory mapping RAM");
	}
	arch_map_devices();
	arch_switch_kernel_pgtable(kernel_pgd);
	memblock_set_current_limit(0);
	pr_info("paging: kernel tables at %#llx, text RX %lu KiB, rodata R %lu KiB, data RW %lu KiB\n",
		(unsigned long long)kernel_pgd, (unsigned long)(_etext - _text) >> 10,
		(unsigned long)(_erodata - _rodata) >> 10, (unsigned long)(_end - _data) >> 10);
}
