/*
 * asm/memory.h (arm64) - where the kernel image sits physically; the
 * virtual layout is common (kernel/vm_layout.h; TTBR0 holds user space,
 * TTBR1 the rest).
 */
#ifndef ASM_MEMORY_H
#define ASM_MEMORY_H

#include "kernel/vm_layout.h"

/* Physical address that KERNEL_VBASE maps (1 GiB aligned): RAM base on QEMU virt. */
#define KERNEL_PBASE	_AC(0x40000000, UL)
/* Physical address the kernel image is linked to load at (free under AAVMF). */
#define KERNEL_LOAD_PHYS _AC(0x42000000, UL)

#endif
