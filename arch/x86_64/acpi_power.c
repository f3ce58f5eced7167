/*
 * acpi_power.c (x86_64) - power off (ACPI S5) and reset (the FADT's reset
 * register) without QEMU's exit device.
 *
 * At boot (arch_early_init, on the boot direct map) acpi_power_parse() reads
 * what the two need from the FADT ("FACP", ACPI 6.x 5.2.9) and the DSDT, and
 * keeps only I/O port numbers and values, so that power-off touches no memory
 * the kernel might have reused:
 *
 *	PM1a/PM1b control blocks	FADT PM1a_CNT_BLK, PM1b_CNT_BLK (I/O ports)
 *	SLP_TYPa/SLP_TYPb for S5	the \_S5_ package of the DSDT
 *	reset register and value	FADT RESET_REG (System I/O only), RESET_VALUE
 *	SMI_CMD, ACPI_ENABLE		to switch the chipset to ACPI mode first
 *	PM_TMR_BLK, TMR_VAL_EXT		the PM timer, for time.c's TSC calibration
 *
 * \_S5_ comes from a scan of the DSDT's AML bytes, as small kernels do
 * instead of an AML interpreter: the name "_S5_" after a NameOp (0x08,
 * optionally with a root prefix '\'), then PackageOp (0x12), PkgLength (1-4
 * bytes), NumElements, and the first two elements as BytePrefix (0x0a) +
 * byte, ZeroOp (0x00), OneOp (0x01) or a bare byte.  A DSDT whose \_S5_ is
 * computed by a method is not understood (no S5, said so at boot).
 *
 * Power off (ACPI 6.x 7.4.2, 16.1.7; as Linux's acpi_hw_legacy_sleep):
 * enable ACPI mode if SCI_EN is clear (write ACPI_ENABLE to SMI_CMD, wait for
 * SCI_EN), write SLP_TYPx into each PM1x_CNT, then SLP_TYPx | SLP_EN.
 * Hardware-reduced ACPI (no PM1 blocks: the FADT's sleep control register)
 * is not supported.
 */
#include "kernel/acpi.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include <asm/acpi_power.h>
#include <asm/io.h>
#include <uapi/errno.h>

/* FADT byte offsets (ACPI 6.x Table 5.9). */
#define S5_WAIT_NS		NSEC_PER_SEC	/* how long SLP_EN may take before "System halted" */
#define FADT_DSDT		40
#define FADT_SMI_CMD		48
#define FADT_ACPI_ENABLE	52
#define FADT_PM1A_CNT		64
#define FADT_PM1B_CNT		68
#define FADT_PM_TMR		76
#define FADT_FLAGS		112
#define FADT_RESET_REG		116	/* Generic Address Structure, 12 bytes */
#define FADT_RESET_VALUE	128
#define FADT_X_DSDT		140
#define FADT_MIN_LEN		116	/* through Flags: ACPI 1.0's FADT */
#define FADT_RESET_LEN		129	/* through RESET_VALUE (ACPI 2.0+) */
#define FADT_X_DSDT_LEN		148

#define FADT_TMR_VAL_EXT	(1u << 8)
#define FADT_RESET_REG_SUP	(1u << 10)

#define AML_NAME_OP		0x08
#define AML_PACKAGE_OP		0x12
#define AML_BYTE_PREFIX		0x0a
#define AML_ZERO_OP		0x00
#define AML_ONE_OP		0x01
#define AML_ROOT_CHAR		'\\'

#define PM1_SCI_EN		(1u << 0)
#define PM1_SLP_TYP_SHIFT	10
#define PM1_SLP_TYP_MASK	(7u << PM1_SLP_TYP_SHIFT)
#define PM1_SLP_EN		(1u << 13)

static struct acpi_power acpi_power;	/* (c) what acpi_power_parse found at boot */

/* One package element of SLP_TYP at *pp (advanced past it); -1 if not a constant. */
static int aml_small_const(const u8 **pp, const u8 *end)
{
	const u8 *p = *pp;

	if (p >= end)
		return -1;
	if (*p == AML_BYTE_PREFIX) {
		if (end - p < 2)
			return -1;
		*pp = p + 2;
		return p[1];
	}
	*pp = p + 1;
	if (*p == AML_ZERO_OP || *p == AML_ONE_OP)
		return *p;
	return *p < 8 ? *p : -1;	/* a bare byte: older DSDTs */
}

/*
 * Find Name(\_S5_, Package() { a, b, ... }) in the AML [aml, end) and set
 * SLP_TYPa = a, SLP_TYPb = b.  Returns 0, or -ENOENT with *why.
 */
static int aml_find_s5(const u8 *aml, const u8 *end, struct acpi_power *out, const char **why)
{
	for (const u8 *p = aml; end - p >= 4 + 1 + 1 + 1; p++) {
		const u8 *q;
		int a, b;

		if (memcmp(p, "_S5_", 4) != 0 || p == aml)
			continue;
		if (p[-1] != AML_NAME_OP && !(p[-1] == AML_ROOT_CHAR && p - aml >= 2 && p[-2] == AML_NAME_OP))
			continue;
		q = p + 4;
		if (*q++ != AML_PACKAGE_OP)
			continue;
		q += 1 + (*q >> 6);	/* PkgLength: the lead byte's bits 7:6 count the bytes that follow */
		q++;			/* NumElements */
		a = aml_small_const(&q, end);
		b = aml_small_const(&q, end);
		if (a < 0 || b < 0) {
			*why = "\\_S5_ package elements are not constants";
			return -ENOENT;
		}
		out->slp_typa = (u16)a;
		out->slp_typb = (u16)b;
		return 0;
	}
	*why = "no \\_S5_ object in the DSDT";
	return -ENOENT;
}

int acpi_power_parse(u64 rsdp_pa, acpi_map_fn map, struct acpi_power *out, const char **why)
{
	const struct acpi_table_header *f, *d;
	const u8 *fb;
	u64 dsdt;

	memset(out, 0, sizeof(*out));
	f = acpi_find_table(rsdp_pa, "FACP", FADT_MIN_LEN, map, "no FADT in the XSDT", why);
	if (!f)
		return -ENOENT;
	fb = (const u8 *)f;
	out->smi_cmd = (u16)acpi_get32(fb + FADT_SMI_CMD);
	out->acpi_enable = fb[FADT_ACPI_ENABLE];
	out->pm1a_cnt = (u16)acpi_get32(fb + FADT_PM1A_CNT);
	out->pm1b_cnt = (u16)acpi_get32(fb + FADT_PM1B_CNT);
	out->pm_tmr = (u16)acpi_get32(fb + FADT_PM_TMR);
	out->pm_tmr_32 = acpi_get32(fb + FADT_FLAGS) & FADT_TMR_VAL_EXT;
	if (f->length >= FADT_RESET_LEN && (acpi_get32(fb + FADT_FLAGS) & FADT_RESET_REG_SUP) &&
	    fb[FADT_RESET_REG] == GAS_SYSTEM_IO && acpi_get64(fb + FADT_RESET_REG + 4) <= 0xffff) {
		out->reset_port = (u16)acpi_get64(fb + FADT_RESET_REG + 4);
		out->reset_value = fb[FADT_RESET_VALUE];
	}
	if (!out->pm1a_cnt) {
		*why = "no PM1a control block in the FADT (hardware-reduced ACPI)";
		return -ENOENT;
	}
	dsdt = f->length >= FADT_X_DSDT_LEN && acpi_get64(fb + FADT_X_DSDT) ? acpi_get64(fb + FADT_X_DSDT)
								   : acpi_get32(fb + FADT_DSDT);
	d = acpi_table_get(dsdt, "DSDT", sizeof(*d), map, why);
	if (!d)
		return -ENOENT;
	if (aml_find_s5((const u8 *)(d + 1), (const u8 *)d + d->length, out, why))
		return -ENOENT;
	out->s5 = true;
	return 0;
}

void acpi_power_init(u64 rsdp_pa)
{
	const char *why = NULL;

	if (acpi_power_parse(rsdp_pa, acpi_map_early, &acpi_power, &why))
		pr_warn("ACPI: %s: no S5 power-off\n", why);
	else
		pr_info("ACPI: S5 by PM1a_CNT %#x PM1b_CNT %#x SLP_TYP %u/%u, reset %s%#x=%#x\n",
			acpi_power.pm1a_cnt, acpi_power.pm1b_cnt, acpi_power.slp_typa, acpi_power.slp_typb,
			acpi_power.reset_port ? "port " : "none ", acpi_power.reset_port,
			acpi_power.reset_value);
}

/* Switch to ACPI mode if the firmware left the chipset in legacy mode (bounded wait). */
static void acpi_enable_mode(void)
{
	if ((inw(acpi_power.pm1a_cnt) & PM1_SCI_EN) || !acpi_power.smi_cmd || !acpi_power.acpi_enable)
		return;
	outb(acpi_power.smi_cmd, acpi_power.acpi_enable);
	for (int i = 0; i < 1000000 && !(inw(acpi_power.pm1a_cnt) & PM1_SCI_EN); i++)
		__asm__ __volatile__("pause");
}

void acpi_pm_timer(u16 *port, bool *bits32)
{
	*port = acpi_power.pm_tmr;
	*bits32 = acpi_power.pm_tmr_32;
}

static void pm1_write(u16 port, u16 typ, u16 extra)
{
	u16 v;

	if (!port)
		return;
	v = inw(port) & ~(PM1_SLP_TYP_MASK | PM1_SLP_EN);
	outw(port, v | (u16)(typ << PM1_SLP_TYP_SHIFT) | extra);
}

void acpi_power_off(void)
{
	if (!acpi_power.s5)
		return;
	acpi_enable_mode();
	pm1_write(acpi_power.pm1a_cnt, acpi_power.slp_typa, 0);
	pm1_write(acpi_power.pm1b_cnt, acpi_power.slp_typb, 0);
	pm1_write(acpi_power.pm1a_cnt, acpi_power.slp_typa, PM1_SLP_EN);
	pm1_write(acpi_power.pm1b_cnt, acpi_power.slp_typb, PM1_SLP_EN);
	/* The chipset acts on SLP_EN a moment after the write (QEMU's after its main loop sees it). */
	for (u64 end = ktime_get_ns() + S5_WAIT_NS; ktime_get_ns() < end; )
		__asm__ __volatile__("pause");
}

void acpi_reset(void)
{
	if (acpi_power.reset_port)
		outb(acpi_power.reset_port, acpi_power.reset_value);
}
