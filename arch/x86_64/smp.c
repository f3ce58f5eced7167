/*
 * smp.c (x86_64) - the arch side of kernel/smp.h: GS-based per-CPU data,
 * the MADT's CPUs, INIT-SIPI-SIPI through the trampoline, fixed-vector IPIs.
 *
 * Starting an AP (Intel SDM vol. 3, 9.4.4, the "universal startup
 * algorithm"): the trampoline (trampoline.S) is copied into the page below
 * 1 MiB the loader reserved and patched with this AP's stack and cpu_info;
 * then INIT, 10 ms, SIPI, 200 us, SIPI.  A second SIPI to an AP that already
 * left wait-for-SIPI is ignored by the hardware.  The AP lands in
 * x86_secondary_start() on the kernel's page tables and sets itself up:
 * GS base, its own GDT and TSS, the shared IDT, control registers, the
 * SYSCALL MSRs, PCIDs, its LAPIC and its LAPIC timer tick.
 */
#include "kernel/arch.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/smp.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "mm/pgtable.h"
#include <asm/acpi.h>
#include <asm/cpu.h>
#include <asm/irq.h>
#include <asm/tlbflush.h>
#include <uapi/boot_info.h>
#include <uapi/errno.h>

#define MSR_GS_BASE	0xc0000101
#define ICR_INIT	0x00000500
#define ICR_STARTUP	0x00000600
#define ICR_ASSERT	0x00004000

extern const u8 trampoline_start[], trampoline_end[];
extern const u8 tr_gdt[], tr_gdt_base[], tr_long[], tr_far[], tr_cr3[], tr_pgd[], tr_stack[], tr_cpu[];
extern u8 boot_pml4[];

static u64 trampoline_pa;	/* (c) boot_info.ap_trampoline: one page below 1 MiB, or 0 */

void gdt_init_cpu(unsigned int cpu);
void idt_load(void);
void x86_timer_cpu_init(void);
void x86_cpu_user_init(void);

void arch_set_this_cpu(struct cpu_info *c)
{
	c->arch.self = c;
	wrmsr(MSR_GS_BASE, (u64)c);
}

/* The initial APIC id (CPUID.1:EBX[31:24]): what the xAPIC ID register and the MADT say. */
u64 arch_read_hwid(void)
{
	u32 a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	return b >> 24;
}

/* arch_early_init: list the MADT's CPUs (a bad or missing table: one CPU, said so). */
void x86_smp_detect(const struct boot_info *bi)
{
	const char *why = NULL;
	int n;

	trampoline_pa = bi->ap_trampoline;
	n = acpi_madt_cpus(bi->acpi_rsdp, acpi_map_early, smp_add_cpu, &why);
	if (n < 0)
		pr_warn("ACPI: %s: only the boot CPU will run\n", why);
	else
		pr_info("ACPI: MADT lists %d enabled CPU%s\n", n, n == 1 ? "" : "s");
	if (nr_cpu_ids > 1 && (!trampoline_pa || trampoline_pa >= 0x100000 ||
			       (trampoline_pa & (PAGE_SIZE - 1)))) {
		pr_warn("smp: no AP trampoline page below 1 MiB from the loader: only the boot CPU will run\n");
		nr_cpu_ids = 1;
	}
}

static void udelay(u64 us)
{
	u64 end = ktime_get_ns() + us * 1000;

	while (ktime_get_ns() < end)
		cpu_relax();
}

/* Store v at the copy of the trampoline field f. */
static void tr_patch(u8 *copy, const u8 *f, u64 v, size_t size)
{
	memcpy(copy + (f - trampoline_start), &v, size);
}

int arch_boot_secondary(struct cpu_info *c)
{
	u8 *copy = __va(trampoline_pa);
	u32 apicid = (u32)c->hwid;

	memcpy(copy, trampoline_start, trampoline_end - trampoline_start);
	tr_patch(copy, tr_gdt_base, trampoline_pa + (tr_gdt - trampoline_start), 4);
	tr_patch(copy, tr_far, trampoline_pa + (tr_long - trampoline_start), 4);
	tr_patch(copy, tr_cr3, __pa_symbol(boot_pml4), 8);
	tr_patch(copy, tr_pgd, kernel_pgd, 8);
	tr_patch(copy, tr_stack, (u64)c->idle_stack + KSTACK_SIZE, 8);
	tr_patch(copy, tr_cpu, (u64)c, 8);
	lapic_send_ipi(apicid, ICR_INIT | ICR_ASSERT);
	udelay(10000);
	for (int i = 0; i < 2; i++) {
		lapic_send_ipi(apicid, ICR_STARTUP | (u32)(trampoline_pa >> PAGE_SHIFT));
		udelay(200);
	}
	return 0;
}

void arch_send_ipi(struct cpu_info *c, enum ipi_type type)
{
	lapic_send_ipi((u32)c->hwid, type == IPI_CALL_FUNC ? VEC_CALL_FUNCTION : VEC_RESCHEDULE);
}

/* An AP's first C code (head.S secondary_startup_64), interrupts off, on its idle stack. */
__noreturn void x86_secondary_start(struct cpu_info *c)
{
	arch_set_this_cpu(c);
	gdt_init_cpu(c->cpu);
	idt_load();
	write_cr4(read_cr4() | CR4_PGE);
	x86_cpu_user_init();
	x86_pcid_init_secondary();
	lapic_cpu_init();
	x86_timer_cpu_init();
	smp_secondary_online();
}
