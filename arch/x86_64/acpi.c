/*
 * acpi.c (x86_64) - ACPI tables through RSDP -> XSDT (acpi_find_table, for
 * acpi_power.c's FADT too), and the CPUs of the MADT ("APIC").
 *
 * ACPI 6.x, 5.2.5 (RSDP), 5.2.8 (XSDT), 5.2.12 (MADT).  Every table's
 * checksum (all bytes sum to 0 mod 256) and length are checked before its
 * contents are used; any fault gives a reason, and the caller boots with
 * the boot CPU alone.  Only Processor Local APIC entries (type 0) that are
 * enabled count: foliOS drives the LAPICs in xAPIC mode (8-bit ids), so the
 * x2APIC entries (type 9, ids above 254) are not used.  The parser reaches
 * physical memory only through map(), so a boot test can feed it tables
 * built in a buffer.
 */
#include "kernel/compiler.h"
#include "kernel/string.h"
#include "kernel/types.h"
#include <asm/memory.h>
#include <uapi/errno.h>

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

#include <asm/acpi.h>

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
