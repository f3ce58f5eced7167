/* asm/uaccess.h (arm64) - the user address range (TTBR0, 48-bit VA) and the PAN window. */
#ifndef ASM_UACCESS_H
#define ASM_UACCESS_H

#define TASK_SIZE	0x0001000000000000UL

#ifndef __ASSEMBLER__
#include "kernel/types.h"

extern bool arm64_pan_enabled;

/* Open the kernel's access to user pages (PSTATE.PAN = 0; encoded: assemblers before v8.1 lack it). */
static inline void uaccess_begin(void)
{
	if (arm64_pan_enabled)
		__asm__ __volatile__(".inst 0xd500409f" : : : "memory");	/* msr pan, #0 */
}

static inline void uaccess_end(void)
{
	if (arm64_pan_enabled)
		__asm__ __volatile__(".inst 0xd500419f" : : : "memory");	/* msr pan, #1 */
}

/* Primitives with exception fixups (uaccess.S); they return the bytes not done. */
unsigned long __arch_copy_user(void *to, const void *from, unsigned long n);
unsigned long __arch_clear_user(void *to, unsigned long n);
#endif

#endif
