/*
 * gdt.c (x86_64) - the GDT (flat 64-bit segments) and the TSS.
 *
 * Long mode ignores segment bases and limits; the GDT exists for the
 * privilege levels of CS/SS and to point at the TSS, whose IST1 stack catches
 * double faults even when the kernel stack is gone.  The selector order is
 * fixed by SYSCALL/SYSRET (asm/segment.h).
 */
#include "kernel/types.h"
#include "kernel/compiler.h"
#include <asm/segment.h>

struct tss {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __packed;

struct gdt_ptr {
	u16 limit;
	u64 base;
} __packed;

static u64 gdt[GDT_ENTRIES] __aligned(16) = {
	[GDT_NULL] = 0,
	[GDT_KCODE] = 0x00af9a000000ffffULL,	/* P, DPL0, code, L */
	[GDT_KDATA] = 0x00cf92000000ffffULL,	/* P, DPL0, data, W */
	[GDT_UDATA] = 0x00cff2000000ffffULL,	/* P, DPL3, data, W */
	[GDT_UCODE] = 0x00affa000000ffffULL,	/* P, DPL3, code, L */
};

/* Loaded by head.S before the jump to the high kernel. */
const struct gdt_ptr gdt_desc = { sizeof(gdt) - 1, (u64)gdt };

static struct tss tss __aligned(16);
static u8 double_fault_stack[4096] __aligned(16);

/* Fill the TSS descriptor (two GDT slots) and load the task register. */
void gdt_init_tss(void)
{
	u64 base = (u64)&tss, limit = sizeof(tss) - 1;

	tss.ist[0] = (u64)double_fault_stack + sizeof(double_fault_stack);
	tss.iomap_base = sizeof(tss);
	gdt[GDT_TSS] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
		       (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[GDT_TSS + 1] = base >> 32;
	__asm__ __volatile__("ltr %w0" : : "r"(TSS_SEL));
}

/* The kernel stack used when an interrupt arrives from user mode (later). */
void gdt_set_kernel_stack(u64 top)
{
	tss.rsp[0] = top;
}
