/*
 * acpi.c (x86_64) - the CPUs of the ACPI MADT ("APIC"), found through
 * kernel/acpi.c's table walk.
 *
 * ACPI 6.x 5.2.12 (MADT).  Any fault gives a reason, and the caller boots
 * with the boot CPU alone.  Only Processor Local APIC entries (type 0) that are
 * enabled count: foliOS drives the LAPICs in xAPIC mode (8-bit ids), so the
 * x2APIC entries (type 9, ids above 254) are not used.  The parser reaches
 * physical memory only through map(), so a boot test can feed it tables
 * built in a buffer.
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

#define MADT_TYPE_LAPIC		0
#define MADT_LAPIC_ENABLED	1

/*
 * Give add() the APIC id of every enabled processor in the MADT (in table
 * order; add returns false to stop early).  Returns how many were given, or
 * -ENOENT / -EINVAL with *why naming the missing or malformed table or entry;
 * then nothing was given (entries are checked before any is used).
 */
int acpi_madt_cpus(u64 rsdp_pa, acpi_map_fn map, bool (*add)(u64 apic_id), const char **why)
{
	const struct acpi_madt *m = (const struct acpi_madt *)acpi_find_table(
		rsdp_pa, "APIC", sizeof(struct acpi_madt), map, "no MADT in the XSDT", why);
	const u8 *p, *end;
	int n = 0;

	if (!m)
		return -ENOENT;
	end = (const u8 *)m + m->header.length;
	for (p = (const u8 *)(m + 1); p < end; p += p[1]) {
		if (end - p < 2 || p[1] < 2 || p[1] > end - p ||
		    (p[0] == MADT_TYPE_LAPIC && p[1] < sizeof(struct acpi_madt_lapic))) {
			*why = "malformed MADT entry";
			return -EINVAL;
		}
	}
	for (p = (const u8 *)(m + 1); p < end; p += p[1]) {
		const struct acpi_madt_lapic *l = (const void *)p;

		if (p[0] != MADT_TYPE_LAPIC || !(l->flags & MADT_LAPIC_ENABLED))
			continue;
		n++;
		if (!add(l->apic_id))
			break;
	}
	return n;
}
