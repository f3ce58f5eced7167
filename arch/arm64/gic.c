/*
 * gic.c (arm64) - the GICv2 interrupt controller of QEMU virt
 * (distributor at 0x08000000, CPU interface at 0x08010000; QEMU is run with
 * gic-version=2).  One CPU: only the private timer interrupt is enabled.
 */
#include "kernel/printk.h"
#include "mm/pgtable.h"
#include <asm/io.h>

#define GICD_PHYS	0x08000000UL
#define GICC_PHYS	0x08010000UL
#define GICD_CTLR	0x000
#define GICD_ISENABLER	0x100
#define GICD_IPRIORITYR	0x400
#define GICC_CTLR	0x000
#define GICC_PMR	0x004
#define GICC_IAR	0x00c
#define GICC_EOIR	0x010
#define INTID_SPURIOUS	1023

static volatile u8 *gicd, *gicc;

void arm64_timer_irq(bool user);

void gic_map(void)
{
	gicd = ioremap(GICD_PHYS, 0x10000);
	gicc = ioremap(GICC_PHYS, 0x10000);
}

/* Enable interrupt intid (a PPI or SPI) at the highest priority. */
void gic_enable_irq(unsigned int intid)
{
	volatile u8 *prio = gicd + GICD_IPRIORITYR + intid;

	*prio = 0;
	writel(1U << (intid % 32), gicd + GICD_ISENABLER + 4 * (intid / 32));
}

void gic_init(void)
{
	writel(1, gicd + GICD_CTLR);
	writel(0xff, gicc + GICC_PMR);	/* accept every priority */
	writel(1, gicc + GICC_CTLR);
}

void gic_handle_irq(bool user)
{
	u32 iar = readl(gicc + GICC_IAR);
	u32 intid = iar & 0x3ff;

	if (intid == INTID_SPURIOUS)
		return;
	if (intid == 27)
		arm64_timer_irq(user);
	else
		pr_warn("gic: unexpected interrupt %u\n", intid);
	writel(iar, gicc + GICC_EOIR);
}
