/*
 * acpi.c (arm64) - the machine from ACPI when there is no device tree (arm64
 * servers; QEMU virt with acpi=on, where AAVMF publishes ACPI tables and no
 * device tree: tools/qemu.sh ACPI=1).
 *
 * Through kernel/acpi.c's table walk (ACPI 6.x):
 *	SPCR (Serial Port Console Redirection)	the console UART: a PL011 (interface
 *		type 3) or SBSA generic UART (0x0e, PL011's registers), MMIO below 1 GiB
 *		(the boot identity map's Device range, used before paging_init)
 *	MADT ("APIC", 5.2.12.14-15)	GICC entries: each enabled CPU's MPIDR; the GIC
 *		CPU interface's base (the boot CPU's entry); the GICD entry: the
 *		distributor's base and GIC version (2, or 0 = unknown; GICv3+ is not driven)
 *	GTDT (5.2.25)	the EL1 virtual timer's interrupt (a PPI, 16..31)
 *	FADT (5.2.9)	ARM_BOOT_ARCH: PSCI compliant, and whether its conduit is hvc
 * A missing or malformed table keeps the QEMU-virt default it would have
 * replaced (PL011 0x09000000, GICD 0x08000000, GICC 0x08010000, PPI 27, one CPU,
 * no PSCI) and says so.  Semihosting is never used without a device tree.
 */
#include "kernel/acpi.h"
#include "kernel/compiler.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include <asm/psci.h>

#define MADT_ENTRIES		44	/* after the header, local interrupt controller address, flags */
#define MADT_GICC		0x0b
#define MADT_GICD		0x0c
#define GICC_FLAGS		12
#define GICC_BASE		32
#define GICC_MPIDR		68
#define GICC_MIN_LEN		76
#define GICC_ENABLED		1
#define GICD_BASE		8
#define GICD_VERSION		20
#define GICD_MIN_LEN		21

#define GTDT_VIRT_GSIV		64
#define GTDT_MIN_LEN		68

#define FADT_ARM_BOOT_ARCH	129
#define FADT_ARM_MIN_LEN	131
#define ARM_PSCI_COMPLIANT	1
#define ARM_PSCI_USE_HVC	2

#define MPIDR_HWID_MASK		0xff00ffffffULL

#define EARLY_DEVICE_LIMIT	(1ULL << 30)	/* head.S maps 0 .. 1 GiB as Device memory */

void arm64_uart_set_base(u64 pa);
void gic_set_bases(u64 gicd, u64 gicc);
void arm64_timer_set_ppi(unsigned int intid);

/*
 * The table sig (at least min_len bytes) or NULL, having said what stays as
 * it was ("ACPI: <why>: <fallback>").
 */
static const u8 *table(u64 rsdp, const char *sig, u32 min_len, const char *missing,
		       const char *fallback)
{
	const char *why = NULL;
	const u8 *t = (const u8 *)acpi_find_table(rsdp, sig, min_len, acpi_map_early, missing, &why);

	if (!t)
		pr_warn("ACPI: %s: %s\n", why, fallback);
	return t;
}

static void spcr_init(u64 rsdp)
{
	const u8 *t = table(rsdp, "SPCR", SPCR_MIN_LEN, "no SPCR in the XSDT",
			    "console stays on the PL011 at 0x9000000");
	u64 base;

	if (!t)
		return;
	base = acpi_get64(t + SPCR_BASE_ADDRESS + 4);
	if ((t[SPCR_INTERFACE_TYPE] != SPCR_PL011 && t[SPCR_INTERFACE_TYPE] != SPCR_SBSA) ||
	    t[SPCR_BASE_ADDRESS] != GAS_SYSTEM_MEMORY || !base || base >= EARLY_DEVICE_LIMIT) {
		pr_warn("ACPI: SPCR names interface type %#x at %#llx: not a PL011 below 1 GiB, console stays at 0x9000000\n",
			t[SPCR_INTERFACE_TYPE], (unsigned long long)base);
		return;
	}
	arm64_uart_set_base(base);
	pr_info("ACPI: SPCR: console PL011 at %#llx\n", (unsigned long long)base);
}

/* The MADT's CPUs and GIC; its entries are all checked before any is used. */
static void madt_init(u64 rsdp)
{
	const u8 *t = table(rsdp, "APIC", MADT_ENTRIES, "no MADT in the XSDT",
			    "one CPU, the GIC at QEMU virt's addresses");
	const u8 *p, *end;
	u64 gicd = 0, gicc = 0;
	unsigned int cpus = 0, version = 0;

	if (!t)
		return;
	end = t + acpi_get32(t + 4);
	for (p = t + MADT_ENTRIES; p < end; p += p[1]) {
		if (end - p < 2 || p[1] < 2 || p[1] > end - p ||
		    (p[0] == MADT_GICC && p[1] < GICC_MIN_LEN) || (p[0] == MADT_GICD && p[1] < GICD_MIN_LEN)) {
			pr_warn("ACPI: malformed MADT entry: one CPU, the GIC at QEMU virt's addresses\n");
			return;
		}
	}
	for (p = t + MADT_ENTRIES; p < end; p += p[1]) {
		if (p[0] == MADT_GICD) {
			gicd = acpi_get64(p + GICD_BASE);
			version = p[GICD_VERSION];
		} else if (p[0] == MADT_GICC && (acpi_get32(p + GICC_FLAGS) & GICC_ENABLED)) {
			if (!gicc)
				gicc = acpi_get64(p + GICC_BASE);
			smp_add_cpu(acpi_get64(p + GICC_MPIDR) & MPIDR_HWID_MASK);
			cpus++;
		}
	}
	if (!gicd || !gicc || version > 2) {
		pr_warn("ACPI: MADT GIC version %u, GICD %#llx, GICC %#llx: only a GICv2 is driven, keeping QEMU virt's\n",
			version, (unsigned long long)gicd, (unsigned long long)gicc);
	} else {
		gic_set_bases(gicd, gicc);
	}
	pr_info("ACPI: MADT: %u enabled CPU%s, GICD %#llx GICC %#llx (GIC version %u)\n", cpus,
		cpus == 1 ? "" : "s", (unsigned long long)gicd, (unsigned long long)gicc, version);
}

static void gtdt_init(u64 rsdp)
{
	const u8 *t = table(rsdp, "GTDT", GTDT_MIN_LEN, "no GTDT in the XSDT",
			    "the virtual timer stays on PPI 27");
	u32 gsiv;

	if (!t)
		return;
	gsiv = acpi_get32(t + GTDT_VIRT_GSIV);
	if (gsiv < 16 || gsiv > 31) {
		pr_warn("ACPI: GTDT virtual timer interrupt %u is not a PPI: staying on 27\n", gsiv);
		return;
	}
	arm64_timer_set_ppi(gsiv);
	pr_info("ACPI: GTDT: virtual timer PPI %u\n", gsiv);
}

static void fadt_init(u64 rsdp)
{
	const u8 *t = table(rsdp, "FACP", FADT_ARM_MIN_LEN, "no FADT in the XSDT",
			    "no PSCI (one CPU, no power-off)");
	u16 flags;

	if (!t)
		return;
	flags = (u16)(t[FADT_ARM_BOOT_ARCH] | t[FADT_ARM_BOOT_ARCH + 1] << 8);
	psci_ok = flags & ARM_PSCI_COMPLIANT;
	psci_use_smc = !(flags & ARM_PSCI_USE_HVC);
	pr_info("ACPI: FADT: %s\n", !psci_ok ? "not PSCI compliant" : psci_use_smc ? "PSCI via smc" : "PSCI via hvc");
}

void arm64_acpi_init(u64 rsdp)
{
	spcr_init(rsdp);
	fadt_init(rsdp);
	madt_init(rsdp);
	gtdt_init(rsdp);
	if (nr_cpu_ids > 1 && !psci_ok) {
		pr_warn("smp: no PSCI: only the boot CPU will run\n");
		nr_cpu_ids = 1;
	}
}
