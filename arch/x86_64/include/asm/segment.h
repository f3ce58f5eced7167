/* asm/segment.h (x86_64) - GDT layout.  Selectors are fixed: SYSCALL/SYSRET need this order. */
#ifndef ASM_SEGMENT_H
#define ASM_SEGMENT_H

#define GDT_NULL	0
#define GDT_KCODE	1
#define GDT_KDATA	2
#define GDT_UDATA	3	/* SYSRET: user SS = STAR[63:48] + 8, CS = + 16 */
#define GDT_UCODE	4
#define GDT_TSS		5	/* 16-byte descriptor: slots 5 and 6 */
#define GDT_ENTRIES	7

#define KERNEL_CS	(GDT_KCODE * 8)
#define KERNEL_DS	(GDT_KDATA * 8)
#define USER_DS		(GDT_UDATA * 8 + 3)
#define USER_CS		(GDT_UCODE * 8 + 3)
#define TSS_SEL		(GDT_TSS * 8)

#endif
