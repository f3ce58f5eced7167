/*
 * time.c - the periodic tick: jiffies, console input polling (the UARTs
 * run without receive interrupts; QEMU holds input back while the FIFO is
 * full, and the tick leaves the FIFO alone while the console's ring is full,
 * so nothing is lost; only while the serial port is an input of /dev/console,
 * kernel/consoles.c), the screen console's drawing, and the scheduler's clock.
 * Every online CPU has its own tick (arch/<arch>/time.c); jiffies, the
 * console and the screen belong to the boot CPU's.
 */
#include "kernel/arch.h"
#include "kernel/consoles.h"
#include "kernel/sched.h"
#include "kernel/time.h"
#include "kernel/vfs.h"

volatile u64 jiffies;

void timer_interrupt(bool user)
{
	int c;

	if (smp_processor_id() == 0) {
		jiffies++;
		while (console_reads(CON_SERIAL) && console_input_room() && (c = arch_console_getc()) >= 0)
			console_input((char)c);
		console_tick();
	}
	scheduler_tick(user);
}
