/*
 * time.c (x86_64) - clock and periodic timer.
 *
 * The clock is the TSC, calibrated once against PIT channel 2 (a fixed
 * 1.193182 MHz counter on every PC and in QEMU): ns = (tsc - tsc0) * mult >> 32.
 * The TSC starts at 0 at CPU reset, so it also tells the time since power-on.
 * The periodic tick is the local APIC timer, calibrated against the TSC and
 * run at HZ on vector VEC_TIMER on every CPU (calibrated once, on the boot
 * CPU: QEMU's LAPICs all count at one rate); the legacy 8259 PICs are masked.
 */
#include "kernel/arch.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include <asm/cpu.h>
#include <asm/io.h>
#include <asm/irq.h>

#define PIT_HZ		1193182ULL
#define CAL_MS		20

#define LAPIC_LVT_TIMER	0x320
#define LAPIC_TIMER_ICR	0x380
#define LAPIC_TIMER_CCR	0x390
#define LAPIC_TIMER_DCR	0x3e0
#define LVT_PERIODIC	(1U << 17)
#define LVT_MASKED	(1U << 16)

static u64 tsc_hz, tsc0, tsc_mult;	/* (c) constant after tsc_calibrate */
static u32 lapic_tick_count;		/* (c) LAPIC timer counts per tick, after x86_timer_init */

/* Busy-wait CAL_MS on PIT channel 2 (mode 0, gate via port 0x61) and count TSC cycles. */
static u64 tsc_calibrate(void)
{
	u32 latch = PIT_HZ * CAL_MS / 1000;
	u64 t0, t1;

	outb(0x61, (inb(0x61) & ~0x02) | 0x01);	/* gate on, speaker off */
	outb(0x43, 0xb0);			/* channel 2, lo/hi, mode 0 */
	outb(0x42, latch & 0xff);
	outb(0x42, latch >> 8);
	t0 = rdtsc();
	while (!(inb(0x61) & 0x20))
		;
	t1 = rdtsc();
	return (t1 - t0) * 1000 / CAL_MS;
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
	pr_info("time: TSC %llu.%03llu MHz, LAPIC timer %u Hz, tick %d Hz\n",
		tsc_hz / 1000000, (tsc_hz / 1000) % 1000, lapic_hz, HZ);
}
