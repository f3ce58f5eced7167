/*
 * page.c (x86_64) - whole-page zeroing and copying (asm/page.h).
 * rep stosq / rep movsq: the string instructions QEMU's TCG runs as one
 * helper call per instruction, not per iteration (see docs/results/ for the
 * measurement that chose them).
 */
#include "kernel/types.h"
#include <asm/memory.h>
#include <asm/page.h>

void clear_pages(void *addr, unsigned int nr_pages)
{
	unsigned long count = nr_pages * (PAGE_SIZE / 8);

	__asm__ __volatile__("rep stosq" : "+D"(addr), "+c"(count) : "a"(0UL) : "memory");
}

void copy_page(void *dst, const void *src)
{
	unsigned long count = PAGE_SIZE / 8;

	__asm__ __volatile__("rep movsq" : "+D"(dst), "+S"(src), "+c"(count) : : "memory");
}
