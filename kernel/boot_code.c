/*
 * boot_code.c - zero the RAM that held firmware and loader code before the
 * kernel hands it out.
 *
 * After ExitBootServices the memory of UEFI's boot-services drivers and of
 * the loader (EfiBootServicesCode, EfiLoaderCode) is free RAM, and the loader
 * passes it as BI_MEM_CODE.  On hardware it is RAM like any other.  Under
 * QEMU's TCG it is not: QEMU keeps the code it translated from those frames,
 * and while a frame still has translated code, every guest store to that
 * frame takes the self-modifying-code slow path (x86_64: notdirty_write ->
 * tb_invalidate_phys_page_fast, page_collection_lock in a host profile),
 * hundreds of times the cost of a plain store, even when the store misses
 * the code.  A store only removes the translations it overlaps, so a frame
 * that is never written whole stays slow for good.
 *
 * Frames that the kernel zeroes whole when it allocates them (user folios,
 * page tables) lose their translations on the first use.  The others do not:
 * the first kernel stack allocated, pid 1's, came out of such a frame on
 * x86_64, and every page fault of pid 1 ran 30 times slower than the same
 * program's as a child (faultbench as init, 4K: 25 against 692 MiB/s), which
 * was the "perf image as init" anomaly of make bench.  Zeroing the ranges
 * once at boot (a few MiB, a few milliseconds) drops every stale translation.
 * The memory of the loader's own image is included: the loader never runs
 * again once it has jumped to the kernel.
 */
#include "kernel/boot_code.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "mm/folio.h"
#include <asm/memory.h>
#include <asm/page.h>
#include <uapi/boot_info.h>

unsigned long boot_code_cleared;

void boot_code_clear(const struct boot_info *bi)
{
	unsigned long cleared = 0;
	u64 t0 = ktime_get_ns();

	for (u32 i = 0; i < bi->nr_mem; i++) {
		const struct bi_mem_range *r = &bi->mem[i];
		unsigned long pfn = r->base >> PAGE_SHIFT, end = (r->base + r->size) >> PAGE_SHIFT;

		if (r->type != BI_MEM_CODE)
			continue;
		for (; pfn < end; pfn++) {
			if (PageReserved(pfn_to_page(pfn)))
				continue;	/* a boot allocation (page tables, memmap) */
			clear_pages(__va((phys_addr_t)pfn << PAGE_SHIFT), 1);
			cleared++;
		}
	}
	boot_code_cleared = cleared;
	pr_info("boot: cleared %lu KiB of firmware and loader code in %llu us\n",
		cleared * (PAGE_SIZE / 1024), (unsigned long long)((ktime_get_ns() - t0) / 1000));
}
