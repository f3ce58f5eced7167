/* acpi.h - the ACPI table walk (acpi.c), for both architectures' table parsers. */
#ifndef KERNEL_ACPI_H
#define KERNEL_ACPI_H

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

/* Little-endian fields at any alignment inside a table. */
static inline u32 acpi_get32(const void *p)
{
	u32 v;

	__builtin_memcpy(&v, p, 4);
	return v;
}

static inline u64 acpi_get64(const void *p)
{
	u64 v;

	__builtin_memcpy(&v, p, 8);
	return v;
}

/* A Generic Address Structure's address space id (its first byte; the address is at + 4). */
#define GAS_SYSTEM_MEMORY	0
#define GAS_SYSTEM_IO		1

/* The SPCR (Serial Port Console Redirection table, rev. 2): byte offsets and interface types. */
#define SPCR_INTERFACE_TYPE	36
#define SPCR_BASE_ADDRESS	40	/* a Generic Address Structure */
#define SPCR_MIN_LEN		52
#define SPCR_BAUD_RATE		58	/* 0: as the firmware set it, 3: 9600, 4: 19200, 6: 57600, 7: 115200 */
#define SPCR_BAUD_LEN		59	/* the table is long enough to have it */
#define SPCR_16550		0x00	/* full 16550 */
#define SPCR_16450		0x01
#define SPCR_PL011		0x03
#define SPCR_SBSA		0x0e
#define SPCR_16550_GAS		0x12	/* 16550-compatible, parameters from the base address */

/* Make [pa, pa + len) readable, or NULL: the parsers touch memory only through it (tests feed buffers). */
typedef const void *(*acpi_map_fn)(u64 pa, u64 len);

/* acpi_map_fn for boot: the boot direct map reaches 0 .. 4 GiB (where QEMU's firmware puts them). */
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

#endif
