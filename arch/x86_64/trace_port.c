/*
 * trace_port.c (x86_64) - the folio.trace port: the 16550 UART at COM2
 * (I/O port 0x2f8), polled like the console (uart.c).  tools/qemu.sh
 * --trace gives QEMU a second -serial, a host file; without it nothing
 * answers at 0x2f8 and the scratch register does not read back.  Never the
 * console's port (an SPCR may name COM2).
 */
#include "kernel/arch.h"
#include <asm/uart16550.h>

#define COM2		0x2f8

u16 x86_console_port(void);

bool arch_trace_init(void)
{
	if (x86_console_port() == COM2)
		return false;	/* the SPCR put the console there: no trace in it */
	outb(COM2 + UART_SCR, 0x5a);
	if (inb(COM2 + UART_SCR) != 0x5a)
		return false;
	uart16550_init(COM2);
	return true;
}

void arch_trace_write(const void *buf, size_t len)
{
	const u8 *p = buf;

	for (size_t i = 0; i < len; i++)
		uart16550_putc(COM2, p[i]);
}
