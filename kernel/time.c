/* time.c - the periodic tick. */
#include "kernel/time.h"

volatile u64 jiffies;

void timer_interrupt(void)
{
	jiffies++;
}
