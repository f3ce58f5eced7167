/* asm/io.h (x86_64) - port and MMIO access. */
#ifndef ASM_IO_H
#define ASM_IO_H

#include "kernel/types.h"

/* out##sfx / in##sfx: port I/O of one size (b: 8, w: 16, l: 32 bits), as Linux's BUILDIO. */
#define BUILD_PORT_IO(sfx, type)						\
static inline void out##sfx(u16 port, type v)					\
{										\
	__asm__ __volatile__("out" #sfx " %0, %1" : : "a"(v), "Nd"(port));	\
}										\
static inline type in##sfx(u16 port)						\
{										\
	type v;									\
										\
	__asm__ __volatile__("in" #sfx " %1, %0" : "=a"(v) : "Nd"(port));	\
	return v;								\
}

BUILD_PORT_IO(b, u8)
BUILD_PORT_IO(w, u16)
BUILD_PORT_IO(l, u32)

static inline u32 readl(const volatile void *addr)
{
	return *(const volatile u32 *)addr;
}

static inline void writel(u32 v, volatile void *addr)
{
	*(volatile u32 *)addr = v;
}

#endif
