/*
 * setup.c (arm64) - CPU bring-up and the arch hooks of kernel/arch.h.
 */
#include "kernel/arch.h"
#include "kernel/fdt.h"
#include "kernel/printk.h"
#include "mm/pgtable.h"
#include <asm/irqflags.h>
#include <asm/psci.h>
#include <asm/semihosting.h>
#include <asm/sysreg.h>
#include <uapi/boot_info.h>

void arm64_uart_map(void);
void arm64_uart_remap(void);
void gic_map(void);
void gic_init(void);
void arm64_clock_init(void);
void arm64_timer_init(void);
void arm64_smp_detect(const void *dtb);
void arm64_acpi_init(u64 rsdp);
int semihosting_probe(void);
extern u64 boot_entry_el;	/* head.S: CurrentEL at entry */

static char cpu_model[64];
bool arm64_semihosting;	/* (c) asm/semihosting.h */
static u64 empty_ttbr0[512] __aligned(4096);	/* TTBR0 when no process is active */

static const char *midr_part_name(u32 implementer, u32 part)
{
	if (implementer == 0x00 && part == 0x051)
		return "QEMU max";
	if (implementer == 0x41) {
		switch (part) {
		case 0xd03: return "Cortex-A53";
		case 0xd07: return "Cortex-A57";
		case 0xd08: return "Cortex-A72";
		case 0xd0b: return "Cortex-A76";
		case 0xd0c: return "Neoverse-N1";
		case 0xd40: return "Neoverse-V1";
		case 0xd49: return "Neoverse-N2";
		}
	}
	return "CPU";
}

static void cpu_identify(void)
{
	u64 midr = read_sysreg(midr_el1);
	u32 impl = (midr >> 24) & 0xff, part = (midr >> 4) & 0xfff;

	snprintf(cpu_model, sizeof(cpu_model), "%s (MIDR %#llx, PARange %llu)",
		 midr_part_name(impl, part), midr, read_sysreg(id_aa64mmfr0_el1) & 0xf);
}

const char *arch_cpu_model(void)
{
	return cpu_model;
}

void arch_early_init(const struct boot_info *bi)
{
	cpu_identify();
	pr_info("arm64: entered at EL%llu%s\n", (boot_entry_el >> 2) & 3,
		((boot_entry_el >> 2) & 3) == 2 ? ", EL2 set up for EL1 (no VHE, no hypervisor), running at EL1" : "");
	arm64_clock_init();
	/* The boot direct map reaches the first 4 GiB: enough for the DTB on virt. */
	if (bi->dtb && bi->dtb < (4ULL << 30)) {
		/* QEMU virt: semihosting if QEMU answers it (NOEXIT=1 runs have none). */
		arm64_semihosting = fdt_root_compatible(__va(bi->dtb), "linux,dummy-virt") &&
				    semihosting_probe() == 0;
		arm64_smp_detect(__va(bi->dtb));
	} else if (bi->acpi_rsdp) {
		arm64_acpi_init(bi->acpi_rsdp);	/* no device tree: an ACPI machine */
	}
}

void arch_map_devices(void)
{
	arm64_uart_map();
	gic_map();
}

phys_addr_t empty_user_pgd(void)
{
	return __pa_symbol(empty_ttbr0);
}

void arch_switch_kernel_pgtable(phys_addr_t root)
{
	dsb(ishst);
	write_sysreg(root, ttbr1_el1);
	write_sysreg(empty_user_pgd(), ttbr0_el1);
	isb();
	__asm__ __volatile__("tlbi vmalle1; dsb nsh; isb" : : : "memory");
	arm64_uart_remap();
}

void arch_late_init(void)
{
	gic_init();
	arm64_timer_init();
	arch_local_irq_enable();
}

void arch_idle(void)
{
	__asm__ __volatile__("wfi; msr daifclr, #2" : : : "memory");
}

__noreturn void arch_cpu_stop(void)
{
	/* Masked, the virtual timer's interrupt would still end every wfi: the timer goes off. */
	__asm__ __volatile__("msr daifset, #0xf; msr cntv_ctl_el0, xzr; isb" : : : "memory");
	for (;;)
		__asm__ __volatile__("wfi" : : : "memory");
}

/* Semihosting SYS_EXIT with ADP_Stopped_ApplicationExit: QEMU exits with status. */
static void semihosting_exit(int status)
{
	u64 args[2] = { 0x20026, (u64)status };

	semihosting_call(SYS_EXIT, args);
}

static __noreturn void halt(const char *what, int status)
{
	printk(KERN_EMERG "System halted (%s, status %d).\n", what, status);
	for (;;)
		__asm__ __volatile__("wfi");
}

/* Semihosting's exit when QEMU answers it (tests: the status), else PSCI SYSTEM_OFF. */
__noreturn void arch_power_off(int status)
{
	arch_local_irq_disable();
	if (arm64_semihosting)
		semihosting_exit(status);
	if (psci_ok)
		psci_call(PSCI_0_2_FN_SYSTEM_OFF, 0, 0, 0);
	halt(psci_ok ? "PSCI SYSTEM_OFF returned" : "no PSCI to power off with", status);
}

/* PSCI SYSTEM_RESET (QEMU with -no-reboot then exits). */
__noreturn void arch_restart(void)
{
	arch_local_irq_disable();
	if (psci_ok)
		psci_call(PSCI_0_2_FN_SYSTEM_RESET, 0, 0, 0);
	halt(psci_ok ? "PSCI SYSTEM_RESET returned" : "no PSCI to reset with", 0);
}
