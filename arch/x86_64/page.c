/*
 * page.c (x86_64) - whole-page zeroing and copying (asm/page.h).
 *
 * Several ways to zero memory exist and their speed under QEMU's TCG has
 * little to do with hardware, so all are kept and `make bench` measures them
 * side by side in one boot (docs/results/mm-phys.md).  The default is the
 * measured winner; `folio.clear_pages=NAME` picks another at boot.
 */
#include "kernel/clear_pages.h"
#include "kernel/types.h"
#include <asm/memory.h>
#include <asm/page.h>

static void clear_rep_stosq(void *addr, unsigned long bytes)
{
	unsigned long count = bytes / 8;

	__asm__ __volatile__("rep stosq" : "+D"(addr), "+c"(count) : "a"(0UL) : "memory");
}

static void clear_rep_stosb(void *addr, unsigned long bytes)
{
	__asm__ __volatile__("rep stosb" : "+D"(addr), "+c"(bytes) : "a"(0) : "memory");
}

/* 64 bytes per iteration with plain 8-byte stores. */
static void clear_movq(void *addr, unsigned long bytes)
{
	__asm__ __volatile__(
		"1:\tmovq %%rax, 0(%0)\n\tmovq %%rax, 8(%0)\n\tmovq %%rax, 16(%0)\n\t"
		"movq %%rax, 24(%0)\n\tmovq %%rax, 32(%0)\n\tmovq %%rax, 40(%0)\n\t"
		"movq %%rax, 48(%0)\n\tmovq %%rax, 56(%0)\n\taddq $64, %0\n\tsubq $64, %1\n\tjnz 1b"
		: "+r"(addr), "+r"(bytes) : "a"(0UL) : "memory", "cc");
}

/* Non-temporal 8-byte stores (bypass the cache on hardware), then a fence. */
static void clear_movnti(void *addr, unsigned long bytes)
{
	__asm__ __volatile__(
		"1:\tmovnti %%rax, 0(%0)\n\tmovnti %%rax, 8(%0)\n\tmovnti %%rax, 16(%0)\n\t"
		"movnti %%rax, 24(%0)\n\tmovnti %%rax, 32(%0)\n\tmovnti %%rax, 40(%0)\n\t"
		"movnti %%rax, 48(%0)\n\tmovnti %%rax, 56(%0)\n\taddq $64, %0\n\tsubq $64, %1\n\tjnz 1b\n\t"
		"sfence"
		: "+r"(addr), "+r"(bytes) : "a"(0UL) : "memory", "cc");
}

const struct clear_variant clear_variants[] = {
	{ "movq", clear_movq },
	{ "rep_stosq", clear_rep_stosq },
	{ "rep_stosb", clear_rep_stosb },
	{ "movnti", clear_movnti },
	{ NULL, NULL },
};

void copy_page(void *dst, const void *src)
{
	unsigned long count = PAGE_SIZE / 8;

	__asm__ __volatile__("rep movsq" : "+D"(dst), "+S"(src), "+c"(count) : : "memory");
}
