/*
 * vm_layout.h - the kernel's virtual memory layout, the same on both
 * architectures (each arch's <asm/memory.h> adds where the image sits in
 * the image's nominal physical address, KERNEL_LOAD_PHYS).
 *
 *   0x0000000000000000 .. TASK_SIZE             user (per process)
 *   0xffff800000000000 .. (+ RAM)               direct map of all RAM (PAGE_OFFSET)
 *   0xffffc00000000000 .. 0xffffc0ffffffffff    ioremap window (MMIO)
 *   0xffffffff80000000 .. (+ 1 GiB)             kernel image, linked at KERNEL_VBASE +
 *                                               KERNEL_TEXT_OFFSET, mapped to wherever the
 *                                               loader put it (kimage_voffset)
 */
#ifndef KERNEL_VM_LAYOUT_H
#define KERNEL_VM_LAYOUT_H

#include "kernel/const.h"
#include <uapi/page.h>	/* PAGE_SHIFT, PAGE_SIZE, PAGE_MASK */


#define PAGE_OFFSET	_AC(0xffff800000000000, UL)
#define IOREMAP_BASE	_AC(0xffffc00000000000, UL)
#define IOREMAP_SIZE	_AC(0x0000010000000000, UL)
#define KERNEL_VBASE	_AC(0xffffffff80000000, UL)
#define KERNEL_TEXT_OFFSET _AC(0x2000000, UL)	/* _text - KERNEL_VBASE: 2 MiB aligned */

#ifndef __ASSEMBLER__
#define __va(pa)	((void *)((unsigned long)(pa) + PAGE_OFFSET))
#define __pa(va)	((unsigned long)(va) - PAGE_OFFSET)
/* Virtual minus physical address of the kernel image: set by head.S before any C runs. */
extern unsigned long kimage_voffset;
/* Physical address of a symbol in the kernel image. */
#define __pa_symbol(x)	((unsigned long)(x) - kimage_voffset)
#endif

#endif
