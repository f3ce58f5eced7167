/*
 * time.c (arm64) - clock and periodic timer from the generic timer.
 *
 * The clock is CNTVCT_EL0 (it counts from 0 at reset on QEMU) at CNTFRQ_EL0
 * Hz: ns = cycles * mult >> 32.  The tick is the EL1 virtual timer (PPI 27, or the ACPI
 * GTDT's; banked: each CPU has its own), re-armed HZ times a second on every CPU.
 */
#include "kernel/arch.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include <asm/sysreg.h>

#define TIMER_PPI	27
#define CNTV_CTL_ENABLE	1

static u64 cnt_hz, cnt0, cnt_mult;	/* (c) constant after arm64_time_init */
static unsigned int timer_ppi = TIMER_PPI;	/* (c) or the ACPI GTDT's (acpi.c) */

/* Early: the EL1 virtual timer interrupts on PPI intid. */
void arm64_timer_set_ppi(unsigned int intid)
{
	timer_ppi = intid;
}

unsigned int arm64_timer_ppi(void)
{
	return timer_ppi;
}

void gic_enable_irq(unsigned int intid);

u64 arch_read_cycles(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

u64 arch_cycles_to_ns(u64 cycles)
{
	return (u64)(((unsigned __int128)cycles * cnt_mult) >> 32);
}

u64 arch_clock_ns(void)
{
	if (!cnt_mult)
		return 0;
	return arch_cycles_to_ns(arch_read_cycles() - cnt0);
}

void arm64_timer_irq(bool user)
{
	write_sysreg(cnt_hz / HZ, cntv_tval_el0);
	timer_interrupt(user);
}

/* Early: the counter frequency is known, so printk timestamps run from here on. */
void arm64_clock_init(void)
{
	cnt_hz = read_sysreg(cntfrq_el0);
	cnt_mult = (NSEC_PER_SEC << 32) / cnt_hz;
	cnt0 = arch_read_cycles();
}

/* This CPU's tick (the boot CPU's at arm64_timer_init, each secondary's as it starts). */
void arm64_timer_cpu_init(void)
{
	gic_enable_irq(timer_ppi);	/* GICD_ISENABLER0 is banked per CPU */
	write_sysreg(cnt_hz / HZ, cntv_tval_el0);
	write_sysreg(CNTV_CTL_ENABLE, cntv_ctl_el0);
	isb();
}

/* Late (the GIC is mapped): start the tick. */
void arm64_timer_init(void)
{
	arm64_timer_cpu_init();
	pr_info("time: generic timer %llu.%03llu MHz, tick %d Hz\n", cnt_hz / 1000000,
		(cnt_hz / 1000) % 1000, HZ);
}
