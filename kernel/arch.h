/*
 * arch.h - what kernel/ and mm/ ask of arch/<arch>/.  Both architectures
 * implement every function here with the same meaning.
 */
#ifndef KERNEL_ARCH_H
#define KERNEL_ARCH_H

#include "kernel/types.h"
#include "kernel/compiler.h"
#include <asm/ptrace.h>

struct boot_info;

/* Boot phase 1, on the boot page tables: console, trap vectors, CPU features,
 * firmware tables named in boot_info (reachable through __va below 4 GiB). */
void arch_early_init(const struct boot_info *bi);
/* Called by paging_init() with the new kernel page tables current for
 * ioremap() but not yet loaded: map the devices arch code uses. */
void arch_map_devices(void);
/* Load root as the kernel page table; drops the boot identity map. */
void arch_switch_kernel_pgtable(phys_addr_t root);
/* Boot phase 2, after the memmap exists: clock calibration, periodic timer, interrupts on. */
void arch_late_init(void);

void arch_console_putc(char c);
/* Returns the next received byte, or -1 when none is waiting. */
int arch_console_getc(void);

/* Monotonic nanoseconds since arch_early_init calibrated the clock. */
u64 arch_clock_ns(void);
/* The free-running cycle counter (TSC / CNTVCT), 0 at CPU reset, and its
 * conversion to nanoseconds (valid after arch_early_init). */
u64 arch_read_cycles(void);
u64 arch_cycles_to_ns(u64 cycles);

const char *arch_cpu_model(void);
/* Print the registers of a trap frame. */
void arch_dump_regs(const struct pt_regs *regs);
/* Power off with status (QEMU exit code); never returns. */
__noreturn void arch_power_off(int status);
/* Wait for an interrupt. */
void arch_idle(void);

#define ARCH_NAME_X86_64 "x86_64"
#define ARCH_NAME_ARM64 "arm64"

#endif
