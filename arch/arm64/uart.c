/*
 * uart.c (arm64) - the PL011 UART of QEMU virt at 0x09000000 (or where the
 * ACPI SPCR says), polled.
 * The firmware configured it; we only move bytes.  Before paging_init it is
 * reached through the boot identity map (Device memory), afterwards through
 * its ioremap() address, switched in by arm64_uart_remap().
 */
#include "kernel/arch.h"
#include "mm/pgtable.h"
#include <asm/io.h>

#define PL011_PHYS	0x09000000UL
#define UART_DR		0x00
#define UART_FR		0x18
#define FR_RXFE		(1U << 4)
#define FR_TXFF		(1U << 5)

static u64 uart_phys = PL011_PHYS;	/* (c) QEMU virt's, or the ACPI SPCR's (acpi.c) */
static volatile u8 *uart = (volatile u8 *)PL011_PHYS;
static volatile u8 *uart_mapped;

/* Early (identity map, Device below 1 GiB): the console moves to the PL011 at pa. */
void arm64_uart_set_base(u64 pa)
{
	uart_phys = pa;
	uart = (volatile u8 *)pa;
}

void arm64_uart_map(void)
{
	uart_mapped = ioremap(uart_phys, PAGE_SIZE);
}

/* Called right after the switch to the kernel page tables. */
void arm64_uart_remap(void)
{
	uart = uart_mapped;
}

void arch_console_putc(char c)
{
	while (readl(uart + UART_FR) & FR_TXFF)
		;
	writel((u8)c, uart + UART_DR);
}

int arch_console_getc(void)
{
	if (readl(uart + UART_FR) & FR_RXFE)
		return -1;
	return readl(uart + UART_DR) & 0xff;
}
