/* asm/uaccess.h (x86_64) - the user address range and the SMAP window. */
#ifndef ASM_UACCESS_H
#define ASM_UACCESS_H

/* Linux's 47-bit user space, less one guard page (no user page at the canonical edge). */
#define TASK_SIZE	0x00007ffffffff000UL

#ifndef __ASSEMBLER__
#include "kernel/types.h"

extern bool x86_smap_enabled;

/* Open the kernel's access to user pages (SMAP: set EFLAGS.AC). */
static inline void uaccess_begin(void)
{
	if (x86_smap_enabled)
		__asm__ __volatile__("stac" : : : "memory");
}

static inline void uaccess_end(void)
{
	if (x86_smap_enabled)
		__asm__ __volatile__("clac" : : : "memory");
}

/* Primitives with exception fixups (uaccess.S); they return the bytes not done. */
unsigned long __arch_copy_user(void *to, const void *from, unsigned long n);
unsigned long __arch_clear_user(void *to, unsigned long n);
#endif

#endif
