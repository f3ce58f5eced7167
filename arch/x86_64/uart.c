/*
 * uart.c (x86_64) - the console's 16550 UART, 115200 8N1: COM1 (I/O port
 * 0x3f8) from the first line, or the port the ACPI SPCR names (read once
 * the ACPI tables are reachable: x86_uart_spcr), at the SPCR's baud rate.
 * PCs seldom have an SPCR; servers that redirect their console to another
 * port do.  Lines printed before the switch went to COM1 only (they are in
 * the log buffer: dmesg).  Polled:
 * transmit waits for THR empty (LSR bit 5), receive checks LSR bit 0.
 */
#include "kernel/arch.h"
#include "kernel/printk.h"
#include <asm/acpi.h>
#include <asm/uart16550.h>
#include <uapi/errno.h>

#define COM1		0x3f8

static u16 console_port = COM1;	/* (c) set before any other CPU runs */

void uart_init(void)
{
	uart16550_init(console_port);
}

/* arch_early_init: move the console to the SPCR's 16550, if the table names one (else COM1, said when it is bad). */
void x86_uart_spcr(u64 rsdp_pa)
{
	const char *why = NULL;
	u16 port, divisor;
	int err = acpi_spcr_port(rsdp_pa, acpi_map_early, &port, &divisor, &why);

	if (err == -ENOENT)
		return;		/* no SPCR (QEMU's q35, most PCs): COM1 */
	if (err) {
		pr_warn("ACPI: %s: console stays on COM1 (0x3f8)\n", why);
		return;
	}
	console_port = port;
	uart16550_init_divisor(port, divisor);
	if (divisor)
		pr_info("ACPI: SPCR: console 16550 at I/O port %#x, %u baud\n", port, 115200u / divisor);
	else
		pr_info("ACPI: SPCR: console 16550 at I/O port %#x, baud rate as the firmware set it\n", port);
}

u16 x86_console_port(void)
{
	return console_port;
}

void arch_console_putc(char c)
{
	uart16550_putc(console_port, (u8)c);
}

int arch_console_getc(void)
{
	if (!(inb(console_port + UART_LSR) & LSR_DR))
		return -1;
	return inb(console_port + UART_RBR);
}
