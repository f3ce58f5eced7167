/*
 * acpi.c - finding ACPI tables: RSDP -> XSDT -> the table with a signature.
 *
 * ACPI 6.x, 5.2.5 (RSDP), 5.2.6 (table header), 5.2.8 (XSDT).  Every
 * table's checksum (all bytes sum to 0 mod 256) and length are checked
 * before its contents are used; any fault gives a reason.  Only the ACPI
 * 2.0+ RSDP with its XSDT is used (the 32-bit RSDT is not).  The walk
 * reaches physical memory only through a map function, so boot tests feed
 * it tables built in a buffer.  Users: x86_64's MADT and FADT parsers,
 * arm64's SPCR, MADT, GTDT and FADT parser (machines without a device tree).
 */
#include "kernel/acpi.h"
#include "kernel/string.h"
#include <asm/memory.h>

struct acpi_rsdp {
	char signature[8];	/* "RSD PTR " */
	u8 checksum;		/* of the first 20 bytes */
	char oem_id[6];
	u8 revision;		/* 2 or more: the XSDT fields below exist */
	u32 rsdt_address;
	u32 length;
	u64 xsdt_address;
	u8 extended_checksum;	/* of all length bytes */
	u8 reserved[3];
} __packed;

const void *acpi_map_early(u64 pa, u64 len)
{
	return pa + len <= (4ULL << 30) ? __va(pa) : NULL;
}

static bool checksum_ok(const void *p, u32 len)
{
	const u8 *b = p;
	u8 sum = 0;

	for (u32 i = 0; i < len; i++)
		sum += b[i];
	return sum == 0;
}

/* Map the table at pa with signature sig, checking length and checksum; NULL (and *why) if bad. */
const struct acpi_table_header *acpi_table_get(u64 pa, const char *sig, u32 min_len,
					       acpi_map_fn map, const char **why)
{
	const struct acpi_table_header *h = pa ? map(pa, sizeof(*h)) : NULL;

	if (!h) {
		*why = "table address unreachable";
		return NULL;
	}
	if (memcmp(h->signature, sig, 4) != 0) {
		*why = "wrong table signature";
		return NULL;
	}
	if (h->length < min_len || !(h = map(pa, h->length))) {
		*why = "table length out of range";
		return NULL;
	}
	if (!checksum_ok(h, h->length)) {
		*why = "bad table checksum";
		return NULL;
	}
	return h;
}

const struct acpi_table_header *acpi_find_table(u64 rsdp_pa, const char *sig, u32 min_len,
						acpi_map_fn map, const char *missing, const char **why)
{
	const struct acpi_rsdp *r = rsdp_pa ? map(rsdp_pa, sizeof(*r)) : NULL;
	const struct acpi_table_header *x;
	u32 n;

	if (!r) {
		*why = "no ACPI 2.0 RSDP";
		return NULL;
	}
	if (memcmp(r->signature, "RSD PTR ", 8) != 0 || !checksum_ok(r, 20)) {
		*why = "bad RSDP signature or checksum";
		return NULL;
	}
	if (r->revision < 2 || r->length < sizeof(*r) || !checksum_ok(r, sizeof(*r))) {
		*why = "RSDP without a valid XSDT pointer";
		return NULL;
	}
	x = acpi_table_get(r->xsdt_address, "XSDT", sizeof(*x), map, why);
	if (!x)
		return NULL;
	n = (x->length - sizeof(*x)) / 8;
	for (u32 i = 0; i < n; i++) {
		u64 pa;
		const struct acpi_table_header *h;

		memcpy(&pa, (const u8 *)(x + 1) + 8 * i, sizeof(pa));
		h = pa ? map(pa, sizeof(*h)) : NULL;
		if (h && memcmp(h->signature, sig, 4) == 0)
			return acpi_table_get(pa, sig, min_len, map, why);
	}
	*why = missing;
	return NULL;
}
