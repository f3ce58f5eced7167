/*
 * asm/memory.h (host) - "physical memory" is a malloc'd arena.
 *
 * Physical address pa lives at hostmm_arena + pa, so __va/__pa are an
 * offset like the kernel's direct map, and the fake memory map (with holes)
 * in tools/hostmm/host.c describes addresses inside the arena.
 */
#ifndef ASM_MEMORY_H
#define ASM_MEMORY_H

#include <uapi/page.h>	/* PAGE_SHIFT, PAGE_SIZE, PAGE_MASK */

/* Bytes of fake physical address space backed by the arena. */
#define HOSTMM_PHYS_SIZE (64UL << 20)

extern char *hostmm_arena;

/* ioremap window (mm/pgtable.c): kernel-half addresses as x86_64; unused by the tests. */
#define IOREMAP_BASE	0xffffc00000000000UL
#define IOREMAP_SIZE	0x0000010000000000UL

#define __va(pa)	((void *)(hostmm_arena + (unsigned long)(pa)))
#define __pa(va)	((unsigned long)((const char *)(va) - hostmm_arena))

#endif
