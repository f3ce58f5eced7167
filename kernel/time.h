/* time.h - the kernel's clock and tick. */
#ifndef KERNEL_TIME_H
#define KERNEL_TIME_H

#include "kernel/types.h"

#define HZ 100
#define NSEC_PER_SEC 1000000000ULL
#define NSEC_PER_MSEC 1000000ULL

/* Ticks since the periodic timer started (incremented by timer_interrupt). */
extern volatile u64 jiffies;

/* Called from the arch timer interrupt, HZ times a second; user: it interrupted user mode. */
void timer_interrupt(bool user);

static inline u64 ktime_get_ns(void)
{
	u64 arch_clock_ns(void);

	return arch_clock_ns();
}

#endif
