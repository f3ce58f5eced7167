/*
 * uart.c (x86_64) - the 16550 UART at COM1 (I/O port 0x3f8), 115200 8N1.
 * Polled: transmit waits for THR empty (LSR bit 5), receive checks LSR bit 0.
 */
#include "kernel/arch.h"
#include <asm/uart16550.h>

#define COM1		0x3f8

void uart_init(void)
{
	uart16550_init(COM1);
}

void arch_console_putc(char c)
{
	uart16550_putc(COM1, (u8)c);
}

int arch_console_getc(void)
{
	if (!(inb(COM1 + UART_LSR) & LSR_DR))
		return -1;
	return inb(COM1 + UART_RBR);
}
