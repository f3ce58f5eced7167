/*
 * uart16550.h (x86_64) - the 16550 UART at an I/O base, polled, 115200 8N1
 * (or the rate an SPCR gives): the console at COM1 or the SPCR's port
 * (uart.c) and the folio.trace port at COM2 (trace_port.c).
 */
#ifndef ASM_UART16550_H
#define ASM_UART16550_H

#include <asm/io.h>

#define UART_THR	0	/* transmit holding (DLAB=0) */
#define UART_RBR	0	/* receive buffer */
#define UART_IER	1
#define UART_DLL	0	/* divisor latch (DLAB=1) */
#define UART_DLM	1
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_SCR	7	/* scratch: reads back what was written when the UART exists */
#define LSR_DR		0x01
#define LSR_THRE	0x20

/* Polled, 8N1 at 115200 / divisor baud; divisor 0 keeps the rate the firmware set. */
static inline void uart16550_init_divisor(u16 base, u16 divisor)
{
	outb(base + UART_IER, 0x00);	/* no interrupts: polled */
	if (divisor) {
		outb(base + UART_LCR, 0x80);	/* DLAB */
		outb(base + UART_DLL, (u8)divisor);
		outb(base + UART_DLM, (u8)(divisor >> 8));
	}
	outb(base + UART_LCR, 0x03);	/* 8N1 */
	outb(base + UART_FCR, 0x07);	/* FIFO on, cleared */
	outb(base + UART_MCR, 0x03);	/* DTR, RTS */
}

static inline void uart16550_init(u16 base)
{
	uart16550_init_divisor(base, 1);	/* 115200 baud */
}

/* Wait for the transmit holding register to empty (LSR bit 5), then send c. */
static inline void uart16550_putc(u16 base, u8 c)
{
	while (!(inb(base + UART_LSR) & LSR_THRE))
		;
	outb(base + UART_THR, c);
}

#endif
