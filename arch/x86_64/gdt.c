/*
 * gdt.c (x86_64) - each CPU's GDT (flat 64-bit segments) and TSS.
 *
 * Long mode ignores segment bases and limits; the GDT exists for the
 * privilege levels of CS/SS and to point at the TSS, whose rsp0 is the
 * kernel stack an interrupt from user mode lands on and whose IST1 stack
 * catches double faults even when the kernel stack is gone.  Both are per
 * CPU (a TSS is busy while loaded, and each CPU has its own rsp0); the
 * selector order is fixed by SYSCALL/SYSRET (asm/segment.h) and the same on
 * every CPU.
 */
#include "kernel/types.h"
#include "kernel/compiler.h"
#include "kernel/smp.h"
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

struct cpu_gdt {
	u64 gdt[GDT_ENTRIES] __aligned(16);
	struct tss tss __aligned(16);
	u8 double_fault_stack[4096] __aligned(16);
};

/* The boot CPU's descriptors are there from the start (head.S loads them); the others copy them. */
static struct cpu_gdt cpu_gdts[NR_CPUS] = {
	[0].gdt = {
		[GDT_NULL] = 0,
		[GDT_KCODE] = 0x00af9a000000ffffULL,	/* P, DPL0, code, L */
		[GDT_KDATA] = 0x00cf92000000ffffULL,	/* P, DPL0, data, W */
		[GDT_UDATA] = 0x00cff2000000ffffULL,	/* P, DPL3, data, W */
		[GDT_UCODE] = 0x00affa000000ffffULL,	/* P, DPL3, code, L */
	},
};

/* Loaded by head.S before the jump to the high kernel. */
const struct gdt_ptr gdt_desc = { sizeof(cpu_gdts[0].gdt) - 1, (u64)cpu_gdts[0].gdt };

/*
 * Load cpu's GDT on this CPU (reloading CS through a far return and the data
 * segments), fill its TSS descriptor and load the task register.  Called
 * once per CPU: by the boot CPU from idt_init, by the others at bring-up.
 */
void gdt_init_cpu(unsigned int cpu)
{
	struct cpu_gdt *g = &cpu_gdts[cpu];
	u64 base = (u64)&g->tss, limit = sizeof(g->tss) - 1;
	struct gdt_ptr p = { sizeof(g->gdt) - 1, (u64)g->gdt };

	for (int i = 0; i < GDT_TSS; i++)
		g->gdt[i] = cpu_gdts[0].gdt[i];
	g->tss.ist[0] = (u64)g->double_fault_stack + sizeof(g->double_fault_stack);
	g->tss.iomap_base = sizeof(g->tss);
	g->gdt[GDT_TSS] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
			  (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	g->gdt[GDT_TSS + 1] = base >> 32;
	__asm__ __volatile__("lgdt %0\n\t"
			     "pushq %1\n\t"
			     "leaq 1f(%%rip), %%rax\n\t"
			     "pushq %%rax\n\t"
			     "lretq\n"
			     "1:\tmovl %2, %%eax\n\t"
			     "movl %%eax, %%ds\n\t"
			     "movl %%eax, %%es\n\t"
			     "movl %%eax, %%ss\n\t"
			     "ltr %w3"
			     : : "m"(p), "i"(KERNEL_CS), "i"(KERNEL_DS), "r"(TSS_SEL) : "rax", "memory");
}

/* The kernel stack this CPU uses when an interrupt arrives from user mode. */
void gdt_set_kernel_stack(u64 top)
{
	cpu_gdts[smp_processor_id()].tss.rsp[0] = top;
}
