/* asm/acpi.h (x86_64) - the MADT's CPUs and ISA interrupt routes (acpi.c). */
#ifndef ASM_ACPI_H
#define ASM_ACPI_H

#include "kernel/acpi.h"

/*
 * Give add() the APIC id of every enabled processor in the MADT (in table
 * order; add returns false to stop early).  Returns how many were given, or
 * -ENOENT / -EINVAL with *why naming the missing or malformed table or entry;
 * then nothing was given (entries are checked before any is used).
 */
int acpi_madt_cpus(u64 rsdp_pa, acpi_map_fn map, bool (*add)(u64 apic_id), const char **why);

/*
 * The console UART the SPCR names (ACPI's Serial Port Console Redirection
 * table): a 16550 (interface type 0x00, 0x01 or 0x12) at an I/O port, into
 * *port, and the divisor of 115200 for its baud rate into *divisor (0: the
 * rate the firmware set, kept): 0; -ENOENT without an SPCR (a PC's usual
 * case), -EINVAL for a UART foliOS cannot drive there (another kind,
 * memory-mapped, an unknown rate), with *why.
 */
int acpi_spcr_port(u64 rsdp_pa, acpi_map_fn map, u16 *port, u16 *divisor, const char **why);

/* Where an ISA interrupt line arrives. */
struct acpi_isa_irq {
	u64 ioapic_phys;	/* the I/O APIC serving its GSI */
	unsigned int gsi;	/* the line itself unless an override moves it */
	unsigned int pin;	/* gsi - that I/O APIC's GSI base */
	bool active_low, level;	/* ISA's defaults (high, edge) unless an override says otherwise */
};

/*
 * Where ISA line irq arrives, by the MADT (ACPI 6.x 5.2.12.5-6): its GSI
 * (an Interrupt Source Override of bus 0 for the line moves it and gives
 * its polarity and trigger; "conforms" is ISA's active high, edge), the
 * I/O APIC whose GSI base is the largest at or below it, and the pin
 * there.  0, or with *why: -ENOENT (no or bad MADT), -EINVAL (a malformed
 * entry), -ENXIO (the MADT is good but no I/O APIC serves the line's GSI).
 */
int acpi_madt_isa_irq(u64 rsdp_pa, acpi_map_fn map, unsigned int irq, struct acpi_isa_irq *out,
		      const char **why);

#endif
