/*
 * gic.c (arm64) - the GICv2 interrupt controller of QEMU virt
 * (distributor at 0x08000000, CPU interface at 0x08010000; QEMU is run with
 * gic-version=2).  Enabled: the boot CPU's private timer interrupt and, on
 * every CPU, SGI 0 and 1 as the reschedule and call-function IPIs
 * (kernel/smp.h).  The distributor's and each CPU interface's registers for
 * interrupts 0-31 are banked per CPU, so each CPU sets up its own
 * (gic_cpu_init); an SGI names its targets by CPU interface bit, which a
 * CPU learns from its banked GICD_ITARGETSR0.  GICv3 is not needed: QEMU
 * is run with gic-version=2.
 */
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "mm/pgtable.h"
#include <asm/io.h>

#define GICD_PHYS	0x08000000UL
#define GICC_PHYS	0x08010000UL
#define GICD_CTLR	0x000
#define GICD_ISENABLER	0x100
#define GICD_IPRIORITYR	0x400
#define GICD_ITARGETSR	0x800
#define GICD_SGIR	0xf00
#define GICC_CTLR	0x000
#define GICC_PMR	0x004
#define GICC_IAR	0x00c
#define GICC_EOIR	0x010
#define INTID_SPURIOUS	1023
#define SGI_RESCHEDULE	0
#define SGI_CALL_FUNC	1

static volatile u8 *gicd, *gicc;
static u64 gicd_phys = GICD_PHYS, gicc_phys = GICC_PHYS;	/* (c) or the ACPI MADT's (acpi.c) */

void arm64_timer_irq(bool user);
unsigned int arm64_timer_ppi(void);

/* Early, before gic_map: the distributor and CPU interface are at these physical addresses. */
void gic_set_bases(u64 d, u64 c)
{
	gicd_phys = d;
	gicc_phys = c;
}

void gic_map(void)
{
	gicd = ioremap(gicd_phys, 0x10000);
	gicc = ioremap(gicc_phys, 0x10000);
}

/* Enable interrupt intid (a PPI or SPI) at the highest priority. */
void gic_enable_irq(unsigned int intid)
{
	volatile u8 *prio = gicd + GICD_IPRIORITYR + intid;

	*prio = 0;
	writel(1U << (intid % 32), gicd + GICD_ISENABLER + 4 * (intid / 32));
}

/* This CPU's interface: every priority accepted, the IPIs enabled, its target bit noted. */
void gic_cpu_init(void)
{
	this_cpu()->arch.gic_cpu_mask = readl(gicd + GICD_ITARGETSR) & 0xff;
	gic_enable_irq(SGI_RESCHEDULE);
	gic_enable_irq(SGI_CALL_FUNC);
	writel(0xff, gicc + GICC_PMR);
	writel(1, gicc + GICC_CTLR);
}

void gic_init(void)
{
	writel(1, gicd + GICD_CTLR);
	gic_cpu_init();
}

void arch_send_ipi(struct cpu_info *c, enum ipi_type type)
{
	u32 sgi = type == IPI_CALL_FUNC ? SGI_CALL_FUNC : SGI_RESCHEDULE;

	writel((u32)c->arch.gic_cpu_mask << 16 | sgi, gicd + GICD_SGIR);
}

void gic_handle_irq(bool user)
{
	u32 iar = readl(gicc + GICC_IAR);
	u32 intid = iar & 0x3ff;

	if (intid == INTID_SPURIOUS)
		return;
	irq_enter();
	if (intid == arm64_timer_ppi())
		arm64_timer_irq(user);
	else if (intid == SGI_CALL_FUNC)
		smp_ipi_call_function();
	else if (intid == SGI_RESCHEDULE)
		smp_ipi_reschedule();
	else
		pr_warn("gic: unexpected interrupt %u\n", intid);
	writel(iar, gicc + GICC_EOIR);
	irq_exit();
}
