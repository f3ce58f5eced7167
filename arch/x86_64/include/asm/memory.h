/*
 * asm/memory.h (x86_64) - the kernel's virtual memory layout.
 *
 *   0x0000000000000000 .. 0x00007fffffffffff  user (per process, later)
 *   0xffff800000000000 .. (+ RAM size)         direct map of all RAM (PAGE_OFFSET)
 *   0xffffc00000000000 .. 0xffffc0ffffffffff   ioremap window (MMIO)
 *   0xffffffff80000000 .. (+ 1 GiB)            kernel image (KERNEL_VBASE), phys 0..1 GiB
 */
#ifndef ASM_MEMORY_H
#define ASM_MEMORY_H

#include "kernel/const.h"

#define PAGE_SHIFT	12
#define PAGE_SIZE	(_AC(1, UL) << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))

#define PAGE_OFFSET	_AC(0xffff800000000000, UL)
#define IOREMAP_BASE	_AC(0xffffc00000000000, UL)
#define IOREMAP_SIZE	_AC(0x0000010000000000, UL)
#define KERNEL_VBASE	_AC(0xffffffff80000000, UL)
/* Physical address that KERNEL_VBASE maps (1 GiB aligned). */
#define KERNEL_PBASE	_AC(0x0, UL)
/* Physical address the kernel image is linked to load at. */
#define KERNEL_LOAD_PHYS _AC(0x2000000, UL)

#ifndef __ASSEMBLER__
#define __va(pa)	((void *)((unsigned long)(pa) + PAGE_OFFSET))
#define __pa(va)	((unsigned long)(va) - PAGE_OFFSET)
/* Physical address of a symbol in the kernel image. */
#define __pa_symbol(x)	((unsigned long)(x) - KERNEL_VBASE + KERNEL_PBASE)
#endif

#endif
