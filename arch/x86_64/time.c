/*
 * time.c (x86_64) - clock and periodic timer.
 *
 * The clock is the TSC, calibrated once against PIT channel 2 (a fixed
 * 1.193182 MHz counter on PCs and in QEMU), or, on a machine without a PIT
 * (its channel 2 never counts down: QEMU -M q35,pit=off, recent PCs), against
 * the ACPI PM timer (3.579545 MHz, from the FADT: acpi_power.c); neither: the
 * kernel cannot keep time and panics.  ns = (tsc - tsc0) * mult >> 32.
 * The TSC starts at 0 at CPU reset, so it also tells the time since power-on.
 * The periodic tick is the local APIC timer, calibrated against the TSC and
 * run at HZ on vector VEC_TIMER on every CPU (calibrated once, on the boot
 * CPU: QEMU's LAPICs all count at one rate); the legacy 8259 PICs are masked.
 */
#include "kernel/arch.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include <asm/acpi_power.h>
#include <asm/cpu.h>
#include <asm/io.h>
#include <asm/irq.h>

#define PIT_HZ		1193182ULL
#define PM_TIMER_HZ	3579545ULL
#define CAL_MS		20
#define PIT_TSC_MAX	(1ULL << 34)	/* TSC cycles (seconds) before deciding there is no PIT */

#define LAPIC_LVT_TIMER	0x320
#define LAPIC_TIMER_ICR	0x380
#define LAPIC_TIMER_CCR	0x390
#define LAPIC_TIMER_DCR	0x3e0
#define LVT_PERIODIC	(1U << 17)
#define LVT_MASKED	(1U << 16)

static u64 tsc_hz, tsc0, tsc_mult;	/* (c) constant after tsc_calibrate */
static u32 lapic_tick_count;		/* (c) LAPIC timer counts per tick, after x86_timer_init */

/*
 * Busy-wait CAL_MS on PIT channel 2 (mode 0, gate via port 0x61) and count
 * TSC cycles; 0 when its output never rises (no PIT).
 */
static u64 tsc_calibrate_pit(void)
{
	u32 latch = PIT_HZ * CAL_MS / 1000;
	u64 t0, t1;

	if (inb(0x61) == 0xff)
		return 0;			/* nothing decodes port 0x61 */
	outb(0x61, (inb(0x61) & ~0x02) | 0x01);	/* gate on, speaker off */
	outb(0x43, 0xb0);			/* channel 2, lo/hi, mode 0 */
	outb(0x42, latch & 0xff);
	outb(0x42, latch >> 8);
	t0 = rdtsc();
	while (!(inb(0x61) & 0x20))
		if (rdtsc() - t0 > PIT_TSC_MAX)
			return 0;
	t1 = rdtsc();
	return (t1 - t0) * 1000 / CAL_MS;
}

/* TSC cycles per second over CAL_MS of the ACPI PM timer at port (24 or 32 bits, wrapping). */
static u64 tsc_calibrate_pm_timer(u16 port, bool bits32)
{
	u32 mask = bits32 ? 0xffffffffu : 0xffffffu, ticks = PM_TIMER_HZ * CAL_MS / 1000;
	u32 start = inl(port) & mask;
	u64 t0 = rdtsc();

	while (((inl(port) - start) & mask) < ticks)
		;
	return (rdtsc() - t0) * 1000 / CAL_MS;
}

static const char *tsc_source;	/* (c) what the TSC was calibrated against */

static u64 tsc_calibrate(void)
{
	u64 hz = tsc_calibrate_pit();
	u16 pm_tmr;
	bool bits32;

	tsc_source = "PIT";
	if (hz)
		return hz;
	acpi_pm_timer(&pm_tmr, &bits32);
	if (!pm_tmr)
		panic("time: no PIT and no ACPI PM timer to calibrate the TSC against");
	tsc_source = "ACPI PM timer (no PIT)";
	return tsc_calibrate_pm_timer(pm_tmr, bits32);
}

u64 arch_clock_ns(void)
{
	if (!tsc_mult)
		return 0;
	return (u64)(((unsigned __int128)(rdtsc() - tsc0) * tsc_mult) >> 32);
}

u64 arch_read_cycles(void)
{
	return rdtsc();
}

u64 arch_cycles_to_ns(u64 cycles)
{
	return (u64)(((unsigned __int128)cycles * tsc_mult) >> 32);
}

/* Count LAPIC timer ticks (divide by 16) over CAL_MS of TSC time. */
static u32 lapic_timer_calibrate(void)
{
	u64 end = rdtsc() + tsc_hz * CAL_MS / 1000;
	u32 left;

	lapic_write(LAPIC_TIMER_DCR, 0x3);	/* divide by 16 */
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
	lapic_write(LAPIC_TIMER_ICR, 0xffffffff);
	while (rdtsc() < end)
		cpu_relax();
	left = lapic_read(LAPIC_TIMER_CCR);
	lapic_write(LAPIC_TIMER_ICR, 0);
	return (u32)((0xffffffffULL - left) * 1000 / CAL_MS);
}

/* Early: calibrate the TSC so printk timestamps run from here on. */
void x86_clock_init(void)
{
	tsc_hz = tsc_calibrate();
	tsc_mult = (NSEC_PER_SEC << 32) / tsc_hz;
	tsc0 = rdtsc();
}

/* This CPU's periodic tick (the boot CPU's at x86_timer_init, each AP's as it starts). */
void x86_timer_cpu_init(void)
{
	lapic_write(LAPIC_TIMER_DCR, 0x3);	/* divide by 16, as calibrated */
	lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | VEC_TIMER);
	lapic_write(LAPIC_TIMER_ICR, lapic_tick_count);
}

/* Late (ioremap works): start the LAPIC tick; the 8259 PICs stay masked. */
void x86_timer_init(void)
{
	u32 lapic_hz;

	outb(0x21, 0xff);
	outb(0xa1, 0xff);
	lapic_cpu_init();
	lapic_hz = lapic_timer_calibrate();
	lapic_tick_count = lapic_hz / HZ;
	x86_timer_cpu_init();
	pr_info("time: TSC %llu.%03llu MHz (against the %s), LAPIC timer %u Hz, tick %d Hz\n",
		tsc_hz / 1000000, (tsc_hz / 1000) % 1000, tsc_source, lapic_hz, HZ);
}
