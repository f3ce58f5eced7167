/*
 * asm/acpi.h (x86_64) - the ACPI table walk shared by the MADT (acpi.c) and
 * the FADT (acpi_power.c) parsers.  ACPI 6.x, 5.2.6 (table header).
 */
#ifndef ASM_ACPI_H
#define ASM_ACPI_H

#include "kernel/compiler.h"
#include "kernel/types.h"

struct acpi_table_header {
	char signature[4];
	u32 length;		/* of the whole table, header included */
	u8 revision;
	u8 checksum;
	char oem_id[6];
	char oem_table_id[8];
	u32 oem_revision;
	u32 creator_id;
	u32 creator_revision;
} __packed;

/* Make [pa, pa + len) readable, or NULL: the parsers touch memory only through it (tests feed buffers). */
typedef const void *(*acpi_map_fn)(u64 pa, u64 len);

/* acpi_map_fn for boot: the boot direct map reaches 0 .. 4 GiB (where ACPI tables lie on q35). */
const void *acpi_map_early(u64 pa, u64 len);

/* The table at pa with signature sig, length >= min_len and a good checksum; else NULL and *why. */
const struct acpi_table_header *acpi_table_get(u64 pa, const char *sig, u32 min_len,
					       acpi_map_fn map, const char **why);

/*
 * The first table with signature sig in the XSDT of the ACPI 2.0+ RSDP at
 * rsdp_pa, checked as acpi_table_get does; else NULL and *why (missing when
 * the XSDT has no such table).
 */
const struct acpi_table_header *acpi_find_table(u64 rsdp_pa, const char *sig, u32 min_len,
						acpi_map_fn map, const char *missing, const char **why);

/* The processors of the MADT (acpi.c). */
int acpi_madt_cpus(u64 rsdp_pa, acpi_map_fn map, bool (*add)(u64 apic_id), const char **why);

#endif
