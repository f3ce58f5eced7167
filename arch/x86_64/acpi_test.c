/*
 * acpi_test.c (x86_64) - boot tests of the MADT parser (acpi.c) and the
 * FADT/\_S5_ parser (acpi_power.c) on tables built in a buffer: a good
 * RSDP -> XSDT -> MADT gives exactly the enabled LAPICs' ids in order; each
 * kind of damage (RSDP signature or checksum, old RSDP revision, XSDT
 * checksum, no MADT, MADT checksum, an entry running past the table, a
 * zero-length entry, a short LAPIC entry) gives its error and hands out no
 * CPU at all.  The same MADT routes ISA lines exactly: line 1 as it is,
 * line 0 moved to GSI 2, line 4 to pin 6 of the second I/O APIC, active
 * low and level; short I/O APIC or override entries, no I/O APIC and no
 * MADT give their errors.  An SPCR gives its 16550's I/O port (types 0x00,
 * 0x01, 0x12) and baud rate (or the firmware's); a PL011, a memory-mapped
 * 16550, ports 0 and 0xfff9, an unknown rate and no SPCR give their errors.  A good FADT + DSDT gives exactly its PM1 and PM timer ports, the \_S5_
 * package's SLP_TYP values (BytePrefix and root-prefixed names, the 32-bit
 * DSDT pointer of a short FADT) and the reset register; a missing FADT, no
 * PM1a block, a bad DSDT checksum and an \_S5_ that is no Name give errors.
 */
#include "kernel/ktest.h"
#include "kernel/string.h"
#include <asm/acpi.h>
#include <asm/acpi_power.h>
#include <uapi/errno.h>


/* "Physical" addresses are offsets into tables[] (0 is never used: it means absent). */
#define RSDP_AT		16
#define XSDT_AT		64
#define MADT_AT		1024
#define FACP_AT		256
#define DSDT_AT		512

static u8 tables[2048];
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

#define MADT_LEN	(44 + 4 * 8 + 2 * 12 + 4 * 10)
#define MADT_IOAPIC0	(MADT_AT + 76)	/* the I/O APIC entries, then the overrides */
#define MADT_ISO0	(MADT_AT + 100)

static void fix_all(void)
{
	fix_checksum(MADT_AT, MADT_LEN, MADT_AT + 9);
	fix_checksum(XSDT_AT, 36 + 16, XSDT_AT + 9);
	fix_checksum(RSDP_AT, 20, RSDP_AT + 8);
	fix_checksum(RSDP_AT, 36, RSDP_AT + 32);
}

static void ioapic_entry(u64 at, u8 id, u32 address, u32 gsi_base)
{
	tables[at] = 1;
	tables[at + 1] = 12;
	tables[at + 2] = id;
	put32(at + 4, address);
	put32(at + 8, gsi_base);
}

static void iso_entry(u64 at, u8 source, u32 gsi, u16 flags)
{
	tables[at] = 2;
	tables[at + 1] = 10;
	tables[at + 2] = 0;	/* ISA */
	tables[at + 3] = source;
	put32(at + 4, gsi);
	memcpy(tables + at + 8, &flags, 2);
}

/*
 * RSDP rev 2 -> XSDT [FACP, APIC] -> MADT: LAPICs 0 (on), 2 (off), 5 (on), 7
 * (on); I/O APICs at 0xfec00000 (GSIs from 0) and 0xfec01000 (from 24);
 * overrides: ISA line 0 to GSI 2 (conforming), line 4 to GSI 30, active
 * low, level triggered, line 9 level and active high (q35's), and one of
 * bus 1 for line 5 (not ISA: ignored).
 */
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
	ioapic_entry(MADT_IOAPIC0, 0, 0xfec00000, 0);
	ioapic_entry(MADT_IOAPIC0 + 12, 1, 0xfec01000, 24);
	iso_entry(MADT_ISO0, 0, 2, 0);
	iso_entry(MADT_ISO0 + 10, 4, 30, 0xf);
	iso_entry(MADT_ISO0 + 20, 9, 9, 0xd);
	iso_entry(MADT_ISO0 + 30, 5, 40, 0xf);
	tables[MADT_ISO0 + 30 + 2] = 1;	/* bus 1: not ISA, ignored */
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
static void entry_past_end(void) { tables[MADT_ISO0 + 30 + 1] = 16; }
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

/* ISA line irq by the good tables, or with fn's damage (checksums refixed): want the route or err and why. */
static bool isa_case(void (*fn)(void), unsigned int irq, int err, const char *why_want, u64 phys,
		     unsigned int gsi, unsigned int pin, bool low, bool level)
{
	struct acpi_isa_irq r = { 0 };
	const char *why = NULL;
	int ret;

	build_good();
	if (fn) {
		fn();
		fix_all();
	}
	ret = acpi_madt_isa_irq(RSDP_AT, map_tables, irq, &r, &why);
	if (ret != err || (err && (!why || strcmp(why, why_want))) ||
	    (!err && (r.ioapic_phys != phys || r.gsi != gsi || r.pin != pin || r.active_low != low || r.level != level))) {
		ktest_fail(__FILE__, __LINE__, "ISA IRQ %u: got %d '%s' %#llx GSI %u pin %u low %d level %d", irq, ret,
			   why ? why : "", (unsigned long long)r.ioapic_phys, r.gsi, r.pin, r.active_low, r.level);
		return false;
	}
	return true;
}

KTEST(acpi_madt_isa_irq_routes)
{
	if (!isa_case(NULL, 1, 0, NULL, 0xfec00000, 1, 1, false, false) ||	/* no override */
	    !isa_case(NULL, 0, 0, NULL, 0xfec00000, 2, 2, false, false) ||	/* moved, conforming */
	    !isa_case(NULL, 4, 0, NULL, 0xfec01000, 30, 6, true, true) ||	/* second I/O APIC, low, level */
	    !isa_case(NULL, 9, 0, NULL, 0xfec00000, 9, 9, false, true) ||	/* level, high */
	    !isa_case(NULL, 5, 0, NULL, 0xfec00000, 5, 5, false, false))	/* bus 1's override ignored */
		return;
}

static void ioapic_short(void) { tables[MADT_IOAPIC0 + 1] = 8; tables[MADT_IOAPIC0 + 8] = 0x7f; tables[MADT_IOAPIC0 + 9] = 4; }
static void iso_short(void) { tables[MADT_ISO0 + 10 + 1] = 6; tables[MADT_ISO0 + 16] = 0x7f; tables[MADT_ISO0 + 17] = 4; }
static void no_ioapic(void) { tables[MADT_IOAPIC0] = 0x7f; tables[MADT_IOAPIC0 + 12] = 0x7f; }

KTEST(acpi_madt_isa_irq_bad_tables)
{
	if (!isa_case(ioapic_short, 1, -EINVAL, "malformed MADT entry", 0, 0, 0, false, false) ||
	    !isa_case(iso_short, 1, -EINVAL, "malformed MADT entry", 0, 0, 0, false, false) ||
	    !isa_case(no_ioapic, 1, -ENXIO, "no I/O APIC in the MADT for the line", 0, 0, 0, false, false) ||
	    !isa_case(no_madt, 1, -ENOENT, "no MADT in the XSDT", 0, 0, 0, false, false))
		return;
}

#define SPCR_AT		896

/* build_good's tables with an SPCR in the XSDT's first slot: interface type, GAS space id, address, baud byte. */
static void build_spcr(u8 type, u8 space, u64 address, u8 baud)
{
	build_good();
	put64(XSDT_AT + 36, SPCR_AT);
	header(SPCR_AT, "SPCR", 80);
	tables[SPCR_AT + 36] = type;
	tables[SPCR_AT + 40] = space;
	tables[SPCR_AT + 41] = 8;
	put64(SPCR_AT + 44, address);
	tables[SPCR_AT + 58] = baud;
	fix_checksum(SPCR_AT, 80, SPCR_AT + 9);
	fix_all();
}

/* The SPCR's console by the tables build_spcr makes: want port and divisor, or err and why. */
static bool spcr_case(u8 type, u8 space, u64 address, u8 baud, int err, const char *why_want, u16 want,
		      u16 want_divisor)
{
	const char *why = NULL;
	u16 port = 0, divisor = 0xffff;
	int ret;

	build_spcr(type, space, address, baud);
	ret = acpi_spcr_port(RSDP_AT, map_tables, &port, &divisor, &why);
	if (ret != err || (err ? !why || strcmp(why, why_want) : port != want || divisor != want_divisor)) {
		ktest_fail(__FILE__, __LINE__, "SPCR type %#x space %u at %#llx baud %u: got %d '%s' port %#x divisor %u",
			   type, space, (unsigned long long)address, baud, ret, why ? why : "", port, divisor);
		return false;
	}
	return true;
}

KTEST(acpi_spcr_console_port)
{
	const char *why = NULL;
	u16 port = 0, divisor = 0;

	if (!spcr_case(0x00, 1, 0x2f8, 7, 0, NULL, 0x2f8, 1) ||	/* full 16550, COM2, 115200 */
	    !spcr_case(0x01, 1, 0x3f8, 3, 0, NULL, 0x3f8, 12) ||	/* 16450, 9600 */
	    !spcr_case(0x12, 1, 0x3e8, 0, 0, NULL, 0x3e8, 0) ||	/* 16550-compatible, the firmware's rate */
	    !spcr_case(0x00, 1, 0x2e8, 6, 0, NULL, 0x2e8, 2) ||	/* 57600 */
	    !spcr_case(0x03, 0, 0x9000000, 7, -EINVAL, "SPCR names a UART that is not a 16550", 0, 0) ||
	    !spcr_case(0x00, 0, 0xfe030000, 7, -EINVAL, "SPCR names a 16550 not at an I/O port", 0, 0) ||
	    !spcr_case(0x00, 1, 0, 7, -EINVAL, "SPCR names a 16550 not at an I/O port", 0, 0) ||
	    !spcr_case(0x00, 1, 0xfff9, 7, -EINVAL, "SPCR names a 16550 not at an I/O port", 0, 0) ||
	    !spcr_case(0x00, 1, 0x2f8, 5, -EINVAL, "SPCR gives an unknown baud rate", 0, 0) ||
	    !spcr_case(0x00, 1, 0x2f8, 9, -EINVAL, "SPCR gives an unknown baud rate", 0, 0))
		return;
	build_good();
	KT_ASSERT_EQ(acpi_spcr_port(RSDP_AT, map_tables, &port, &divisor, &why), -ENOENT);
	KT_ASSERT(why && !strcmp(why, "no SPCR in the XSDT"));
}

/* An ACPI 2.0+ FADT's length through X_DSDT. */
#define FACP_LEN	148

/*
 * build_good's tables with a full FADT (PM1a 0x604, PM1b 0x608, PM timer
 * 0x618 with 32 bits, SMI_CMD 0xb2 ACPI_ENABLE 2, reset register I/O 0xcf9
 * value 6, X_DSDT) and a DSDT whose AML is aml[0..n).
 */
static void build_fadt(const u8 *aml, u32 n, u32 facp_len)
{
	build_good();
	header(FACP_AT, "FACP", facp_len);
	put32(FACP_AT + 40, DSDT_AT);
	put32(FACP_AT + 48, 0xb2);
	tables[FACP_AT + 52] = 2;
	put32(FACP_AT + 64, 0x604);
	put32(FACP_AT + 68, 0x608);
	put32(FACP_AT + 76, 0x618);
	put32(FACP_AT + 112, 1u << 10 | 1u << 8);	/* RESET_REG_SUP, TMR_VAL_EXT */
	tables[FACP_AT + 116] = 1;
	tables[FACP_AT + 117] = 8;
	put64(FACP_AT + 120, 0xcf9);
	tables[FACP_AT + 128] = 6;
	if (facp_len >= FACP_LEN)
		put64(FACP_AT + 140, DSDT_AT);
	fix_checksum(FACP_AT, facp_len, FACP_AT + 9);
	header(DSDT_AT, "DSDT", 36 + n);
	memcpy(tables + DSDT_AT + 36, aml, n);
	fix_checksum(DSDT_AT, 36 + n, DSDT_AT + 9);
}

/* Name (_S5, Package (4) { 5, 7, 0, 0 }) after a Name of another object. */
static const u8 aml_s5[] = { 0x08, '_', 'S', '4', '_', 0x12, 0x06, 0x04, 0x0a, 0x01, 0x0a, 0x01, 0x00, 0x00,
			     0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x0a, 0x05, 0x0a, 0x07, 0x00, 0x00 };
/* Name (\_S5, Package (2) { Zero, One }), QEMU's style with a root prefix. */
static const u8 aml_root_s5[] = { 0x10, 0x08, 0x5c, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x00, 0x01 };
/* Method (_S5_) ...: no Name of \_S5_. */
static const u8 aml_method_s5[] = { 0x14, 0x08, '_', 'S', '5', '_', 0x00, 0xa4, 0x00, 0x00, 0x00, 0x00 };

static int power_parse(struct acpi_power *p, const char **why)
{
	*why = NULL;
	return acpi_power_parse(RSDP_AT, map_tables, p, why);
}

KTEST(acpi_fadt_s5_good_tables)
{
	struct acpi_power p;
	const char *why;

	build_fadt(aml_s5, sizeof(aml_s5), FACP_LEN);
	KT_ASSERT_EQ(power_parse(&p, &why), 0);
	KT_ASSERT(p.s5);
	KT_ASSERT_EQ(p.pm1a_cnt, 0x604);
	KT_ASSERT_EQ(p.pm1b_cnt, 0x608);
	KT_ASSERT_EQ(p.slp_typa, 5);
	KT_ASSERT_EQ(p.slp_typb, 7);
	KT_ASSERT_EQ(p.smi_cmd, 0xb2);
	KT_ASSERT_EQ(p.acpi_enable, 2);
	KT_ASSERT_EQ(p.reset_port, 0xcf9);
	KT_ASSERT_EQ(p.reset_value, 6);
	KT_ASSERT_EQ(p.pm_tmr, 0x618);
	KT_ASSERT(p.pm_tmr_32);

	build_fadt(aml_root_s5, sizeof(aml_root_s5), 129);	/* ACPI 2.0 length: the 32-bit DSDT */
	KT_ASSERT_EQ(power_parse(&p, &why), 0);
	KT_ASSERT_EQ(p.slp_typa, 0);
	KT_ASSERT_EQ(p.slp_typb, 1);
	KT_ASSERT_EQ(p.reset_port, 0xcf9);
}

KTEST(acpi_fadt_s5_bad_tables)
{
	struct acpi_power p;
	const char *why;

	build_good();	/* its FACP is a bare header: too short */
	put64(XSDT_AT + 36, MADT_AT);
	fix_all();
	KT_ASSERT_EQ(power_parse(&p, &why), -ENOENT);
	KT_ASSERT(why && strcmp(why, "no FADT in the XSDT") == 0);
	KT_ASSERT(!p.s5);

	build_fadt(aml_s5, sizeof(aml_s5), FACP_LEN);
	put32(FACP_AT + 64, 0);
	fix_checksum(FACP_AT, FACP_LEN, FACP_AT + 9);
	KT_ASSERT_EQ(power_parse(&p, &why), -ENOENT);
	KT_ASSERT(why && strcmp(why, "no PM1a control block in the FADT (hardware-reduced ACPI)") == 0);
	KT_ASSERT(!p.s5);
	KT_ASSERT_EQ(p.reset_port, 0xcf9);	/* reset still works */

	build_fadt(aml_s5, sizeof(aml_s5), FACP_LEN);
	tables[DSDT_AT + 40]++;
	KT_ASSERT_EQ(power_parse(&p, &why), -ENOENT);
	KT_ASSERT(why && strcmp(why, "bad table checksum") == 0);

	build_fadt(aml_method_s5, sizeof(aml_method_s5), FACP_LEN);
	KT_ASSERT_EQ(power_parse(&p, &why), -ENOENT);
	KT_ASSERT(why && strcmp(why, "no \\_S5_ object in the DSDT") == 0);
	KT_ASSERT(!p.s5);
}
