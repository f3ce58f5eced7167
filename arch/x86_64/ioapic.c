/*
 * ioapic.c (x86_64) - the I/O APIC: routes an ISA interrupt line to a vector
 * on the boot CPU.  Used by the PS/2 keyboard (i8042.c); the timer is the
 * LAPIC's own and the UART is polled, so nothing else needs it yet.
 *
 * Intel 82093AA datasheet, 3.2: registers are reached through IOREGSEL
 * (base + 0x00) and IOWIN (base + 0x10); redirection entry n is registers
 * 0x10 + 2n (low: vector, delivery, polarity, trigger, mask) and 0x11 + 2n
 * (high: destination APIC id in bits 24-31).  The I/O APIC is taken at the
 * PC's standard address 0xfec00000 and ISA line n at pin n, edge triggered,
 * active high: true of QEMU's q35 and of PCs for IRQ 1.  Not read: the ACPI
 * MADT's I/O APIC entries and their interrupt source overrides (a machine
 * whose firmware moves either gets no keyboard interrupt).  The version
 * register is checked first, so an absent I/O APIC is reported, not written.
 */
#include "kernel/printk.h"
#include "mm/pgtable.h"
#include <asm/io.h>
#include <asm/irq.h>

#define IOAPIC_PHYS	0xfec00000UL
#define IOREGSEL	0x00
#define IOWIN		0x10
#define IOAPICVER	0x01
#define IOREDTBL(n)	(0x10 + 2 * (n))
#define VER_MAX_REDIR(v)	(((v) >> 16) & 0xff)	/* highest pin number */

static volatile u8 *ioapic;

static u32 ioapic_read(u32 reg)
{
	writel(reg, ioapic + IOREGSEL);
	return readl(ioapic + IOWIN);
}

static void ioapic_write(u32 reg, u32 v)
{
	writel(reg, ioapic + IOREGSEL);
	writel(v, ioapic + IOWIN);
}

void x86_map_ioapic(void)
{
	ioapic = ioremap(IOAPIC_PHYS, PAGE_SIZE);
}

/*
 * Deliver ISA interrupt line irq as vector to the boot CPU (fixed delivery,
 * physical destination, edge, active high, unmasked).  Returns false, having
 * said why, when there is no I/O APIC with that pin.
 */
bool ioapic_route_isa(unsigned int irq, u8 vector)
{
	u32 ver = ioapic_read(IOAPICVER);

	if (ver == 0xffffffff || VER_MAX_REDIR(ver) < irq) {
		pr_warn("ioapic: no I/O APIC pin %u at %#lx (version register %#x)\n", irq, IOAPIC_PHYS, ver);
		return false;
	}
	ioapic_write(IOREDTBL(irq) + 1, (lapic_read(LAPIC_ID) >> 24) << 24);
	ioapic_write(IOREDTBL(irq), vector);
	return true;
}
