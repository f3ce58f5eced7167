/*
 * asm/memory.h (arm64) - the kernel's virtual memory layout (4 KiB granule,
 * 48-bit VA: TTBR0 covers the low half, TTBR1 the high half).
 *
 *   0x0000000000000000 .. 0x0000ffffffffffff  user (TTBR0, per process, later)
 *   0xffff800000000000 .. (+ RAM top)         direct map of all RAM (PAGE_OFFSET)
 *   0xffffc00000000000 .. 0xffffc0ffffffffff  ioremap window (MMIO)
 *   0xffffffff80000000 .. (+ 1 GiB)           kernel image (KERNEL_VBASE), phys 0x40000000 ..
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
/* Physical address that KERNEL_VBASE maps (1 GiB aligned): RAM base on QEMU virt. */
#define KERNEL_PBASE	_AC(0x40000000, UL)
/* Physical address the kernel image is linked to load at. */
#define KERNEL_LOAD_PHYS _AC(0x42000000, UL)

#ifndef __ASSEMBLER__
#define __va(pa)	((void *)((unsigned long)(pa) + PAGE_OFFSET))
#define __pa(va)	((unsigned long)(va) - PAGE_OFFSET)
#define __pa_symbol(x)	((unsigned long)(x) - KERNEL_VBASE + KERNEL_PBASE)
#endif

#endif
