/*
 * page.c (arm64) - whole-page zeroing and copying (asm/page.h).
 *
 * DC ZVA zeroes one cache-line-sized block per instruction (DCZID_EL0 gives
 * the size); the alternative is 16-byte STP pairs of the zero register.
 * `make bench` measures both (docs/results/mm-phys.md); clear_variants[0]
 * is the default: under QEMU TCG the STP loop wins (DC ZVA is emulated by a
 * helper call per block), unlike on hardware.
 */
#include "kernel/clear_pages.h"
#include "kernel/types.h"
#include <asm/memory.h>
#include <asm/page.h>
#include <asm/sysreg.h>

#define DCZID_DZP	(1UL << 4)

/* 64 bytes per iteration with STP of the zero register. */
static void clear_stp(void *addr, unsigned long bytes)
{
	__asm__ __volatile__(
		"1:\tstp xzr, xzr, [%0]\n\tstp xzr, xzr, [%0, #16]\n\t"
		"stp xzr, xzr, [%0, #32]\n\tstp xzr, xzr, [%0, #48]\n\t"
		"add %0, %0, #64\n\tsubs %1, %1, #64\n\tb.ne 1b"
		: "+r"(addr), "+r"(bytes) : : "memory", "cc");
}

static void clear_dc_zva(void *addr, unsigned long bytes)
{
	u64 dczid = read_sysreg(dczid_el0);
	unsigned long block = 4UL << (dczid & 0xf);
	char *p = addr, *end = p + bytes;

	if (dczid & DCZID_DZP) {	/* prohibited by this CPU: stay correct */
		clear_stp(addr, bytes);
		return;
	}
	for (; p < end; p += block)
		__asm__ __volatile__("dc zva, %0" : : "r"(p) : "memory");
}

const struct clear_variant clear_variants[] = {
	{ "stp", clear_stp },
	{ "dc_zva", clear_dc_zva },
	{ NULL, NULL },
};

void copy_page(void *dst, const void *src)
{
	u64 *d = dst;
	const u64 *s = src;

	for (unsigned long i = 0; i < PAGE_SIZE / 8; i += 2) {
		d[i] = s[i];
		d[i + 1] = s[i + 1];
	}
}
