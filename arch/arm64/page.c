/*
 * page.c (arm64) - whole-page zeroing and copying (asm/page.h).
 * Zeroing uses DC ZVA (zero a whole cache-line-sized block per instruction,
 * DCZID_EL0 gives the size) unless the CPU prohibits it; copying uses
 * 16-byte load/store pairs.
 */
#include "kernel/types.h"
#include <asm/memory.h>
#include <asm/page.h>
#include <asm/sysreg.h>

#define DCZID_DZP	(1UL << 4)

void clear_pages(void *addr, unsigned int nr_pages)
{
	u64 dczid = read_sysreg(dczid_el0);
	char *p = addr, *end = p + nr_pages * PAGE_SIZE;

	if (!(dczid & DCZID_DZP)) {
		unsigned long block = 4UL << (dczid & 0xf);

		for (; p < end; p += block)
			__asm__ __volatile__("dc zva, %0" : : "r"(p) : "memory");
		return;
	}
	for (; p < end; p += 16)
		__asm__ __volatile__("stp xzr, xzr, [%0]" : : "r"(p) : "memory");
}

void copy_page(void *dst, const void *src)
{
	u64 *d = dst;
	const u64 *s = src;

	for (unsigned long i = 0; i < PAGE_SIZE / 8; i += 2) {
		d[i] = s[i];
		d[i + 1] = s[i + 1];
	}
}
