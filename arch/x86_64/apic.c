/*
 * apic.c (x86_64) - the local APIC: register access, per-CPU enable, IPIs.
 *
 * xAPIC mode only: every CPU reaches its own LAPIC at the same physical
 * address (0xfee00000, mapped once, uncached), 8-bit APIC ids, so up to 255
 * CPUs (NR_CPUS is far below).  The firmware leaves QEMU's LAPICs in xAPIC
 * mode; x2APIC (MSR access, 32-bit ids) is not used.  The timer registers
 * are time.c's.
 */
#include "kernel/types.h"
#include "mm/pgtable.h"
#include <asm/cpu.h>
#include <asm/io.h>
#include <asm/irq.h>

#define LAPIC_PHYS	0xfee00000UL
#define LAPIC_TPR	0x080
#define SVR_ENABLE	(1U << 8)
#define ICR_BUSY	(1U << 12)	/* delivery status: send pending */

static volatile u8 *lapic;

u32 lapic_read(u32 reg)
{
	return readl(lapic + reg);
}

void lapic_write(u32 reg, u32 v)
{
	writel(v, lapic + reg);
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

void lapic_cpu_init(void)
{
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_SVR, SVR_ENABLE | VEC_SPURIOUS);
}

/*
 * Send icr_lo to apicid.  Interrupts off across the two ICR writes (Linux's
 * __default_send_IPI_dest_field callers): an interrupt handler sending its own IPI
 * between them would retarget this one.
 */
void lapic_send_ipi(u32 apicid, u32 icr_lo)
{
	unsigned long flags = arch_local_irq_save();

	lapic_write(LAPIC_ICR_HI, apicid << 24);
	lapic_write(LAPIC_ICR_LO, icr_lo);
	while (lapic_read(LAPIC_ICR_LO) & ICR_BUSY)
		cpu_relax();
	arch_local_irq_restore(flags);
}

void x86_map_lapic(void)
{
	lapic = ioremap(LAPIC_PHYS, PAGE_SIZE);
}
