/*
 * ioapic.c (x86_64) - the I/O APICs: route an ISA interrupt line to a
 * vector on the boot CPU.  Used by the PS/2 keyboard (i8042.c); the timer is
 * the LAPIC's own and the UART is polled, so nothing else needs it yet.
 *
 * Where each ISA line arrives comes from the ACPI MADT (asm/acpi.h,
 * acpi_madt_isa_irq: the I/O APIC entries and the interrupt source
 * overrides), read at early boot for lines 0-15; a line whose GSI no I/O
 * APIC serves is not routed.  Without a usable MADT the PC's defaults hold: one I/O APIC at 0xfec00000, line n at pin n, edge
 * triggered, active high (true of QEMU's q35 for line 1; its MADT moves line
 * 0 to GSI 2 and makes 5, 9, 10 and 11 level triggered).
 *
 * Intel 82093AA datasheet, 3.2: registers are reached through IOREGSEL
 * (base + 0x00) and IOWIN (base + 0x10); redirection entry n is registers
 * 0x10 + 2n (low: vector, delivery, polarity bit 13, trigger bit 15, mask)
 * and 0x11 + 2n (high: destination APIC id in bits 24-31).  The version
 * register is checked first, so an absent I/O APIC or pin is reported, not
 * written.
 */
#include "kernel/printk.h"
#include "mm/pgtable.h"
#include <asm/acpi.h>
#include <asm/io.h>
#include <asm/irq.h>
#include <uapi/errno.h>

#define IOAPIC_DEFAULT_PHYS	0xfec00000UL
#define NR_ISA_IRQS		16
#define MAX_IOAPICS		4
#define IOREGSEL	0x00
#define IOWIN		0x10
#define IOAPICVER	0x01
#define IOREDTBL(n)	(0x10 + 2 * (n))
#define REDIR_ACTIVE_LOW	(1u << 13)
#define REDIR_LEVEL		(1u << 15)
#define VER_MAX_REDIR(v)	(((v) >> 16) & 0xff)	/* highest pin number */

static struct acpi_isa_irq isa_irqs[NR_ISA_IRQS];	/* (c) from the MADT or the defaults */

/* The I/O APICs mapped so far (ioapic_map). */
static struct {
	u64 phys;
	volatile u8 *base;
} ioapics[MAX_IOAPICS];

/*
 * arch_early_init: where ISA lines 0-15 arrive, from the MADT.  Without a
 * usable MADT, the PC's defaults, said once; a line the MADT gives no I/O
 * APIC for has none (ioapic_route_isa refuses it).
 */
void x86_ioapic_detect(u64 rsdp_pa)
{
	const char *why = NULL;

	for (unsigned int irq = 0; irq < NR_ISA_IRQS; irq++) {
		int err = acpi_madt_isa_irq(rsdp_pa, acpi_map_early, irq, &isa_irqs[irq], &why);

		if (err == -ENXIO) {
			isa_irqs[irq].ioapic_phys = 0;	/* its GSI kept for the message */
		} else if (err) {
			pr_warn("ACPI: %s: ISA lines at the I/O APIC at %#lx, line n at pin n\n", why,
				IOAPIC_DEFAULT_PHYS);
			for (irq = 0; irq < NR_ISA_IRQS; irq++)
				isa_irqs[irq] = (struct acpi_isa_irq){ .ioapic_phys = IOAPIC_DEFAULT_PHYS,
								       .gsi = irq, .pin = irq };
			return;
		}
	}
}

/* The mapping of the I/O APIC at phys (made on first use), or NULL when all slots are taken. */
static volatile u8 *ioapic_map(u64 phys)
{
	for (int i = 0; i < MAX_IOAPICS; i++) {
		if (ioapics[i].phys == phys)
			return ioapics[i].base;
		if (!ioapics[i].base) {
			ioapics[i].phys = phys;
			ioapics[i].base = ioremap(phys, PAGE_SIZE);
			return ioapics[i].base;
		}
	}
	return NULL;
}

static u32 ioapic_read(volatile u8 *ioapic, u32 reg)
{
	writel(reg, ioapic + IOREGSEL);
	return readl(ioapic + IOWIN);
}

static void ioapic_write(volatile u8 *ioapic, u32 reg, u32 v)
{
	writel(reg, ioapic + IOREGSEL);
	writel(v, ioapic + IOWIN);
}

/*
 * Deliver ISA interrupt line irq as vector to the boot CPU (fixed delivery,
 * physical destination, the line's polarity and trigger, unmasked) through
 * the I/O APIC pin the MADT names.  Returns false, having said why, when
 * there is no such I/O APIC pin.
 */
bool ioapic_route_isa(unsigned int irq, u8 vector)
{
	const struct acpi_isa_irq *r;
	volatile u8 *ioapic;
	u32 ver;

	BUG_ON(irq >= NR_ISA_IRQS);
	r = &isa_irqs[irq];
	if (!r->ioapic_phys) {
		pr_warn("ioapic: the MADT gives ISA IRQ %u (GSI %u) no I/O APIC\n", irq, r->gsi);
		return false;
	}
	ioapic = ioapic_map(r->ioapic_phys);
	ver = ioapic ? ioapic_read(ioapic, IOAPICVER) : 0xffffffff;
	if (ver == 0xffffffff || VER_MAX_REDIR(ver) < r->pin) {
		pr_warn("ioapic: no I/O APIC pin for ISA IRQ %u (version register %#x)\n", irq, ver);
		return false;
	}
	ioapic_write(ioapic, IOREDTBL(r->pin) + 1, (lapic_read(LAPIC_ID) >> 24) << 24);
	ioapic_write(ioapic, IOREDTBL(r->pin), vector | (r->active_low ? REDIR_ACTIVE_LOW : 0) |
						(r->level ? REDIR_LEVEL : 0));
	pr_info("ioapic: ISA IRQ %u -> I/O APIC %#llx pin %u (GSI %u, %s, active %s)\n", irq,
		(unsigned long long)r->ioapic_phys, r->pin, r->gsi, r->level ? "level" : "edge",
		r->active_low ? "low" : "high");
	return true;
}
