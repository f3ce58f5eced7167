/* reboot.h - stopping the machine (reboot.c). */
#ifndef KERNEL_REBOOT_H
#define KERNEL_REBOOT_H

#include "kernel/compiler.h"

/*
 * Print "reboot: Power down (status N)" and power off (arch_power_off):
 * QEMU's exit device with status when there is one, else the firmware's way
 * (ACPI S5, PSCI SYSTEM_OFF).  The line is how a run without an exit device
 * learns the status (tools/qemu.sh NOEXIT=1).  Never returns.
 */
__noreturn void kernel_power_off(int status);

/* Print "reboot: Restarting system" and reset the machine (arch_restart). Never returns. */
__noreturn void kernel_restart(void);

#endif
