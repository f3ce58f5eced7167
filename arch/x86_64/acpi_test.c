/*
 * acpi_test.c (x86_64) - boot tests of the MADT parser (acpi.c) on tables
 * built in a buffer: a good RSDP -> XSDT -> MADT gives exactly the enabled
 * LAPICs' ids in order; each kind of damage (RSDP signature or checksum,
 * old RSDP revision, XSDT checksum, no MADT, MADT checksum, an entry
 * running past the table, a zero-length entry, a short LAPIC entry) gives
 * its error and hands out no CPU at all.
 */
#include "kernel/ktest.h"
#include "kernel/string.h"
#include <uapi/errno.h>

int acpi_madt_cpus(u64 rsdp_pa, const void *(*map)(u64 pa, u64 len), bool (*add)(u64 apic_id),
		   const char **why);

/* "Physical" addresses are offsets into tables[] (0 is never used: it means absent). */
#define RSDP_AT		16
#define XSDT_AT		64
#define MADT_AT		128
#define FACP_AT		256

static u8 tables[512];
static u64 got[8];
static unsigned int nr_got;

static const void *map_tables(u64 pa, u64 len)
{
	return pa && pa + len <= sizeof(tables) ? tables + pa : NULL;
}

static bool add_id(u64 id)
{
	if (nr_got < 8)
		got[nr_got++] = id;
	return true;
}

static void put32(u64 at, u32 v)
{
	memcpy(tables + at, &v, 4);
}

static void put64(u64 at, u64 v)
{
	memcpy(tables + at, &v, 8);
}

/* Make bytes [at, at + len) sum to 0 by setting the one at sum_at. */
static void fix_checksum(u64 at, u32 len, u64 sum_at)
{
	u8 sum = 0;

	tables[sum_at] = 0;
	for (u32 i = 0; i < len; i++)
		sum += tables[at + i];
	tables[sum_at] = (u8)-sum;
}

/* A table header at at: signature, length; checksum fixed by the caller. */
static void header(u64 at, const char *sig, u32 len)
{
	memcpy(tables + at, sig, 4);
	put32(at + 4, len);
	tables[at + 8] = 1;
}

static void lapic_entry(u64 at, u8 apic_id, u32 flags)
{
	tables[at] = 0;
	tables[at + 1] = 8;
	tables[at + 2] = apic_id;
	tables[at + 3] = apic_id;
	put32(at + 4, flags);
}

#define MADT_LEN	(44 + 4 * 8)

static void fix_all(void)
{
	fix_checksum(MADT_AT, MADT_LEN, MADT_AT + 9);
	fix_checksum(XSDT_AT, 36 + 16, XSDT_AT + 9);
	fix_checksum(RSDP_AT, 20, RSDP_AT + 8);
	fix_checksum(RSDP_AT, 36, RSDP_AT + 32);
}

/* RSDP rev 2 -> XSDT [FACP, APIC] -> MADT: LAPICs 0 (on), 2 (off), 5 (on), 7 (on). */
static void build_good(void)
{
	memset(tables, 0, sizeof(tables));
	memcpy(tables + RSDP_AT, "RSD PTR ", 8);
	tables[RSDP_AT + 15] = 2;
	put32(RSDP_AT + 20, 36);
	put64(RSDP_AT + 24, XSDT_AT);
	header(XSDT_AT, "XSDT", 36 + 16);
	put64(XSDT_AT + 36, FACP_AT);
	put64(XSDT_AT + 44, MADT_AT);
	header(FACP_AT, "FACP", 36);
	fix_checksum(FACP_AT, 36, FACP_AT + 9);
	header(MADT_AT, "APIC", MADT_LEN);
	put32(MADT_AT + 36, 0xfee00000);
	lapic_entry(MADT_AT + 44, 0, 1);
	lapic_entry(MADT_AT + 52, 2, 0);
	lapic_entry(MADT_AT + 60, 5, 1);
	lapic_entry(MADT_AT + 68, 7, 1);
	fix_all();
}

static int parse(const char **why)
{
	nr_got = 0;
	*why = NULL;
	return acpi_madt_cpus(RSDP_AT, map_tables, add_id, why);
}

KTEST(acpi_madt_good_tables_list_enabled_cpus)
{
	const char *why;

	build_good();
	KT_ASSERT_EQ(parse(&why), 3);
	KT_ASSERT_EQ(nr_got, 3);
	KT_ASSERT_EQ(got[0], 0);
	KT_ASSERT_EQ(got[1], 5);
	KT_ASSERT_EQ(got[2], 7);
}

/* Damage the good tables with fn (checksums refixed when refix), expect err and why, no CPU. */
static bool bad_case(void (*fn)(void), bool refix, int err, const char *why_want)
{
	const char *why;
	int ret;

	build_good();
	fn();
	if (refix)
		fix_all();
	ret = parse(&why);
	if (ret != err || nr_got || !why || strcmp(why, why_want)) {
		ktest_fail(__FILE__, __LINE__, "got %d (%u CPUs, '%s'), want %d '%s'", ret, nr_got,
			   why ? why : "", err, why_want);
		return false;
	}
	return true;
}

static void rsdp_sig(void) { tables[RSDP_AT] = 'X'; }
static void rsdp_sum(void) { tables[RSDP_AT + 8]++; }
static void rsdp_rev1(void) { tables[RSDP_AT + 15] = 0; }
static void xsdt_sum(void) { tables[XSDT_AT + 40]++; }
static void no_madt(void) { put64(XSDT_AT + 44, FACP_AT); }
static void madt_sum(void) { tables[MADT_AT + 60 + 2]++; }
static void entry_past_end(void) { tables[MADT_AT + 68 + 1] = 16; }
static void entry_zero_len(void) { tables[MADT_AT + 52 + 1] = 0; }
static void entry_short(void) { tables[MADT_AT + 52 + 1] = 4; }

KTEST(acpi_madt_bad_tables_give_one_cpu)
{
	if (!bad_case(rsdp_sig, true, -ENOENT, "bad RSDP signature or checksum") ||
	    !bad_case(rsdp_sum, false, -ENOENT, "bad RSDP signature or checksum") ||
	    !bad_case(rsdp_rev1, true, -ENOENT, "RSDP without a valid XSDT pointer") ||
	    !bad_case(xsdt_sum, false, -ENOENT, "bad table checksum") ||
	    !bad_case(no_madt, true, -ENOENT, "no MADT in the XSDT") ||
	    !bad_case(madt_sum, false, -ENOENT, "bad table checksum") ||
	    !bad_case(entry_past_end, true, -EINVAL, "malformed MADT entry") ||
	    !bad_case(entry_zero_len, true, -EINVAL, "malformed MADT entry") ||
	    !bad_case(entry_short, true, -EINVAL, "malformed MADT entry"))
		return;
}
