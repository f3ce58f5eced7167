/*
 * acpi.c (x86_64) - what the ACPI MADT ("APIC") says, found through
 * kernel/acpi.c's table walk: the CPUs, and where ISA interrupt lines
 * arrive (the I/O APICs and the interrupt source overrides); and the
 * console UART of the SPCR, where there is one.
 *
 * ACPI 6.x 5.2.12 (MADT).  Any fault gives a reason: the caller boots with
 * the boot CPU alone, or the I/O APIC at the PC's standard place.  Only
 * Processor Local APIC entries (type 0) that are enabled count: foliOS
 * drives the LAPICs in xAPIC mode (8-bit ids), so the x2APIC entries (type
 * 9, ids above 254) are not used.  The parsers reach physical memory only
 * through map(), so a boot test can feed them tables built in a buffer.
 */
#include "kernel/acpi.h"
#include "kernel/compiler.h"
#include "kernel/types.h"
#include <asm/acpi.h>
#include <uapi/errno.h>

struct acpi_madt {
	struct acpi_table_header header;	/* "APIC" */
	u32 lapic_address;
	u32 flags;
} __packed;

struct acpi_madt_lapic {
	u8 type, length;	/* 0, 8 */
	u8 processor_id;
	u8 apic_id;
	u32 flags;		/* bit 0: enabled */
} __packed;

struct acpi_madt_ioapic {
	u8 type, length;	/* 1, 12 */
	u8 ioapic_id;
	u8 reserved;
	u32 address;
	u32 gsi_base;		/* the GSI of its pin 0 */
} __packed;

struct acpi_madt_iso {
	u8 type, length;	/* 2, 10 */
	u8 bus;			/* 0: ISA */
	u8 source;		/* the ISA line */
	u32 gsi;
	u16 flags;		/* MPS INTI flags: polarity bits 0-1, trigger bits 2-3 */
} __packed;

#define MADT_TYPE_LAPIC		0
#define MADT_TYPE_IOAPIC	1
#define MADT_TYPE_ISO		2
#define MADT_LAPIC_ENABLED	1
#define MPS_POLARITY_LOW	3	/* (flags & 3): 0 conforms (ISA: high), 1 high, 3 low */
#define MPS_TRIGGER_LEVEL	3	/* (flags >> 2 & 3): 0 conforms (ISA: edge), 1 edge, 3 level */

/*
 * The MADT into *out with every entry checked (its length inside the table,
 * at least its type's size): 0; else -ENOENT (no good table) or -EINVAL (a
 * malformed entry) and *why.
 */
static int madt_get(u64 rsdp_pa, acpi_map_fn map, const struct acpi_madt **out, const char **why)
{
	static const u8 min_len[] = {
		[MADT_TYPE_LAPIC] = sizeof(struct acpi_madt_lapic),
		[MADT_TYPE_IOAPIC] = sizeof(struct acpi_madt_ioapic),
		[MADT_TYPE_ISO] = sizeof(struct acpi_madt_iso),
	};
	const struct acpi_madt *m = (const struct acpi_madt *)acpi_find_table(
		rsdp_pa, "APIC", sizeof(struct acpi_madt), map, "no MADT in the XSDT", why);
	const u8 *p, *end;

	if (!m)
		return -ENOENT;
	end = (const u8 *)m + m->header.length;
	for (p = (const u8 *)(m + 1); p < end; p += p[1]) {
		if (end - p < 2 || p[1] < 2 || p[1] > end - p ||
		    (p[0] < ARRAY_SIZE(min_len) && p[1] < min_len[p[0]])) {
			*why = "malformed MADT entry";
			return -EINVAL;
		}
	}
	*out = m;
	return 0;
}

/* The MADT's entries of type, one by one: *p NULL to start; false after the last. */
static bool madt_next(const struct acpi_madt *m, u8 type, const u8 **p)
{
	const u8 *end = (const u8 *)m + m->header.length;

	for (*p = *p ? *p + (*p)[1] : (const u8 *)(m + 1); *p < end; *p += (*p)[1])
		if ((*p)[0] == type)
			return true;
	return false;
}

int acpi_madt_cpus(u64 rsdp_pa, acpi_map_fn map, bool (*add)(u64 apic_id), const char **why)
{
	const struct acpi_madt *m;
	const u8 *p = NULL;
	int n = 0, err = madt_get(rsdp_pa, map, &m, why);

	if (err)
		return err;
	while (madt_next(m, MADT_TYPE_LAPIC, &p)) {
		const struct acpi_madt_lapic *l = (const void *)p;

		if (!(l->flags & MADT_LAPIC_ENABLED))
			continue;
		n++;
		if (!add(l->apic_id))
			break;
	}
	return n;
}

int acpi_spcr_port(u64 rsdp_pa, acpi_map_fn map, u16 *port, u16 *divisor, const char **why)
{
	static const u16 divisors[8] = { [3] = 12, [4] = 6, [6] = 2, [7] = 1 };	/* of 115200 */
	const u8 *t = (const u8 *)acpi_find_table(rsdp_pa, "SPCR", SPCR_MIN_LEN, map, "no SPCR in the XSDT", why);
	u8 type, baud;
	u64 base;

	if (!t)
		return -ENOENT;
	type = t[SPCR_INTERFACE_TYPE];
	base = acpi_get64(t + SPCR_BASE_ADDRESS + 4);
	baud = acpi_get32(t + 4) >= SPCR_BAUD_LEN ? t[SPCR_BAUD_RATE] : 0;
	if (type != SPCR_16550 && type != SPCR_16450 && type != SPCR_16550_GAS) {
		*why = "SPCR names a UART that is not a 16550";
		return -EINVAL;
	}
	if (t[SPCR_BASE_ADDRESS] != GAS_SYSTEM_IO || !base || base > 0xfff8) {
		*why = "SPCR names a 16550 not at an I/O port";
		return -EINVAL;
	}
	if (baud >= ARRAY_SIZE(divisors) || (baud && !divisors[baud])) {
		*why = "SPCR gives an unknown baud rate";
		return -EINVAL;
	}
	*port = (u16)base;
	*divisor = divisors[baud];
	return 0;
}

int acpi_madt_isa_irq(u64 rsdp_pa, acpi_map_fn map, unsigned int irq, struct acpi_isa_irq *out,
		      const char **why)
{
	const struct acpi_madt_ioapic *best = NULL;
	const struct acpi_madt *m;
	const u8 *p = NULL;
	u16 flags = 0;
	int err = madt_get(rsdp_pa, map, &m, why);

	if (err)
		return err;
	out->gsi = irq;
	while (madt_next(m, MADT_TYPE_ISO, &p)) {
		const struct acpi_madt_iso *o = (const void *)p;

		if (o->bus == 0 && o->source == irq) {
			out->gsi = o->gsi;
			flags = o->flags;
		}
	}
	for (p = NULL; madt_next(m, MADT_TYPE_IOAPIC, &p); ) {
		const struct acpi_madt_ioapic *io = (const void *)p;

		if (io->gsi_base <= out->gsi && (!best || io->gsi_base > best->gsi_base))
			best = io;
	}
	if (!best) {
		*why = "no I/O APIC in the MADT for the line";
		return -ENXIO;
	}
	out->ioapic_phys = best->address;
	out->pin = out->gsi - best->gsi_base;
	out->active_low = (flags & 3) == MPS_POLARITY_LOW;
	out->level = (flags >> 2 & 3) == MPS_TRIGGER_LEVEL;
	return 0;
}
