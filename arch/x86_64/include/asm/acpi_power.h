/* asm/acpi_power.h (x86_64) - ACPI S5 power-off and reset (acpi_power.c). */
#ifndef ASM_ACPI_POWER_H
#define ASM_ACPI_POWER_H

#include "kernel/acpi.h"
#include "kernel/types.h"

/* What power-off and reset need, as I/O ports and values (0: absent). */
struct acpi_power {
	u16 pm1a_cnt, pm1b_cnt;		/* PM1 control blocks */
	u16 slp_typa, slp_typb;		/* \_S5_'s SLP_TYP values */
	u16 smi_cmd;			/* where ACPI_ENABLE goes */
	u8 acpi_enable;
	u8 reset_value;
	u16 reset_port;			/* FADT RESET_REG in System I/O space */
	u16 pm_tmr;			/* the ACPI PM timer's port (3.579545 MHz) */
	bool pm_tmr_32;			/* its counter has 32 bits (else 24) */
	bool s5;			/* PM1a and \_S5_ found: S5 works */
};

/*
 * Read the FADT and the DSDT's \_S5_ through the RSDP at rsdp_pa into *out.
 * Returns 0 (out->s5 set), or -ENOENT with *why naming what is missing or
 * malformed; the reset register is filled in whenever the FADT has one.
 */
int acpi_power_parse(u64 rsdp_pa, acpi_map_fn map, struct acpi_power *out, const char **why);

/* At boot: parse the firmware's tables for acpi_power_off/acpi_reset, log the result. */
void acpi_power_init(u64 rsdp_pa);

/* The PM timer found by acpi_power_init (port 0: none), for calibrating the TSC. */
void acpi_pm_timer(u16 *port, bool *bits32);

/* Enter S5; returns only if there is no S5 or the machine did not go off. */
void acpi_power_off(void);

/* Write the FADT's reset value to its reset register; returns if there is none or it failed. */
void acpi_reset(void);

#endif
