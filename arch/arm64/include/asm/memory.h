/*
 * asm/memory.h (arm64) - the nominal physical address of the kernel image; the
 * virtual layout is common (kernel/vm_layout.h; TTBR0 holds user space,
 * TTBR1 the rest).
 */
#ifndef ASM_MEMORY_H
#define ASM_MEMORY_H

#include "kernel/vm_layout.h"

/*
 * The p_paddr the image is linked with.  Only the segments' layout relative
 * to it counts: the loader places the image at any 2 MiB-aligned base below
 * 4 GiB (boot/place.c) and head.S runs from wherever it is.
 */
#define KERNEL_LOAD_PHYS _AC(0x42000000, UL)

#endif
