/*
 * setup.c (x86_64) - CPU bring-up and the arch hooks of kernel/arch.h.
 */
#include "kernel/arch.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/pgtable.h"
#include <asm/acpi_power.h>
#include <asm/cpu.h>
#include <asm/i8042.h>
#include <asm/io.h>
#include <asm/irq.h>
#include <uapi/boot_info.h>

void uart_init(void);
void x86_uart_spcr(u64 rsdp_pa);
void idt_init(void);
void x86_clock_init(void);
void x86_timer_init(void);
void x86_map_lapic(void);
void x86_clear_pages_init(void);
void x86_smp_detect(const struct boot_info *bi);

static char cpu_model[49];

/* Read the CPUID brand string (leaves 0x80000002..4) into cpu_model. */
static void cpu_identify(void)
{
	u32 a, b, c, d, *p = (u32 *)cpu_model;

	cpuid(0x80000000, 0, &a, &b, &c, &d);
	if (a >= 0x80000004) {
		for (u32 leaf = 0x80000002; leaf <= 0x80000004; leaf++, p += 4)
			cpuid(leaf, 0, &p[0], &p[1], &p[2], &p[3]);
	}
	cpu_model[48] = 0;
	if (!cpu_model[0])
		memcpy(cpu_model, "unknown x86_64", 15);
}

const char *arch_cpu_model(void)
{
	const char *m = cpu_model;

	while (*m == ' ')
		m++;
	return m;
}

void arch_early_init(const struct boot_info *bi)
{
	uart_init();
	idt_init();
	cpu_identify();
	x86_uart_spcr(bi->acpi_rsdp);
	acpi_power_init(bi->acpi_rsdp);	/* before the clock: the PM timer when there is no PIT */
	x86_clock_init();
	x86_clear_pages_init();
	write_cr4(read_cr4() | CR4_PGE);
	x86_smp_detect(bi);
	x86_ioapic_detect(bi->acpi_rsdp);
}

void arch_map_devices(void)
{
	x86_map_lapic();
}

/* The kernel root has an empty user half: it doubles as the "no process" root. */
phys_addr_t empty_user_pgd(void)
{
	return kernel_pgd;
}

void arch_switch_kernel_pgtable(phys_addr_t root)
{
	write_cr3(root);
}

void arch_late_init(void)
{
	x86_timer_init();
	i8042_init();
	__asm__ __volatile__("sti");
}

void arch_idle(void)
{
	__asm__ __volatile__("sti; hlt" : : : "memory");
}

__noreturn void arch_cpu_stop(void)
{
	__asm__ __volatile__("cli");
	for (;;)
		halt();
}

/*
 * QEMU's isa-debug-exit device (port 0xf4) ends QEMU with (status << 1) | 1:
 * the tests' fast path.  On a machine without it the write is ignored and
 * ACPI S5 powers off; failing that, we halt.
 */
__noreturn void arch_power_off(int status)
{
	__asm__ __volatile__("cli");
	outb(0xf4, (u8)status);
	acpi_power_off();
	printk(KERN_EMERG "System halted (no ACPI S5 power-off, status %d).\n", status);
	for (;;)
		halt();
}

/*
 * Reset as Linux's reboot=acpi,kbd,triple: the FADT's reset register, the
 * 8042's reset line (pulse output port bit 0), then a triple fault (an
 * empty IDT and an exception).
 */
__noreturn void arch_restart(void)
{
	static const struct { u16 limit; u64 base; } __packed no_idt = { 0, 0 };

	__asm__ __volatile__("cli");
	acpi_reset();
	for (int i = 0; i < 100000 && (inb(0x64) & 2); i++)	/* 8042 input buffer empty */
		__asm__ __volatile__("pause");
	outb(0x64, 0xfe);
	__asm__ __volatile__("lidt %0; int3" : : "m"(no_idt));
	for (;;)
		halt();
}
