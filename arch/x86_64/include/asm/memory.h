/*
 * asm/memory.h (x86_64) - where the kernel image sits physically; the
 * virtual layout is common (kernel/vm_layout.h).
 */
#ifndef ASM_MEMORY_H
#define ASM_MEMORY_H

#include "kernel/vm_layout.h"

/* Physical address that KERNEL_VBASE maps (1 GiB aligned). */
#define KERNEL_PBASE	_AC(0x0, UL)
/* Physical address the kernel image is linked to load at (free on OVMF/q35). */
#define KERNEL_LOAD_PHYS _AC(0x2000000, UL)

#endif
