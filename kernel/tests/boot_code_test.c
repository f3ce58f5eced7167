/*
 * boot_code_test.c - boot tests of kernel/boot_code.c: the firmware's and the
 * loader's code ranges reach the kernel as BI_MEM_CODE, are RAM the buddy
 * allocator manages, and every frame of them that boot did not keep was zeroed
 * once (the count boot_code_clear() reported, recounted here).
 */
#include "kernel/boot_code.h"
#include "kernel/ktest.h"
#include "mm/folio.h"
#include "mm/memblock.h"
#include <asm/page.h>
#include <uapi/boot_info.h>

/* Is [base, base+size) inside one memblock.memory region? */
static bool in_memblock_memory(u64 base, u64 size)
{
	for (unsigned int i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];

		if (base >= r->base && base + size <= r->base + r->size)
			return true;
	}
	return false;
}

KTEST(boot_code_ranges_usable_and_cleared)
{
	unsigned long ranges = 0, frames = 0, kept = 0;

	for (u32 i = 0; i < boot_info.nr_mem; i++) {
		const struct bi_mem_range *r = &boot_info.mem[i];

		if (r->type != BI_MEM_CODE)
			continue;
		ranges++;
		KT_ASSERT_MSG(in_memblock_memory(r->base, r->size), "code range %#llx+%#llx is not RAM",
			      (unsigned long long)r->base, (unsigned long long)r->size);
		for (u64 pa = r->base; pa < r->base + r->size; pa += PAGE_SIZE, frames++)
			kept += PageReserved(pfn_to_page(pa >> PAGE_SHIFT));
	}
	/* UEFI always loads the loader itself as EfiLoaderCode. */
	KT_ASSERT_MSG(ranges > 0, "no BI_MEM_CODE range in the boot memory map");
	KT_ASSERT_EQ(boot_code_cleared, frames - kept);
	KT_ASSERT(boot_code_cleared > 0);
}
