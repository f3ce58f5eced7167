/* asm/io.h (arm64) - MMIO access (device memory, so plain volatile accesses with barriers). */
#ifndef ASM_IO_H
#define ASM_IO_H

#include "kernel/types.h"

static inline u32 readl(const volatile void *addr)
{
	u32 v = *(const volatile u32 *)addr;

	__asm__ __volatile__("dmb oshld" : : : "memory");
	return v;
}

static inline void writel(u32 v, volatile void *addr)
{
	__asm__ __volatile__("dmb oshst" : : : "memory");
	*(volatile u32 *)addr = v;
}

#endif
