/*
 * reboot.c - the last words before the machine stops.
 *
 * Every way out of the kernel (init exiting, reboot(2), the end of boot
 * tests, a panic) goes through kernel_power_off() or kernel_restart(), which
 * print one line in Linux's words and hand over to the architecture
 * (arch_power_off, arch_restart: kernel/arch.h).  The power-off line carries
 * init's status, so a machine without QEMU's exit device still reports it on
 * the console.  The other CPUs stop first (smp_send_stop): the line is the
 * last one.
 */
#include "kernel/arch.h"
#include "kernel/printk.h"
#include "kernel/reboot.h"
#include "kernel/smp.h"

__noreturn void kernel_power_off(int status)
{
	smp_send_stop();
	printk(KERN_NOTICE "reboot: Power down (status %d)\n", status);
	arch_power_off(status);
}

__noreturn void kernel_restart(void)
{
	smp_send_stop();
	printk(KERN_NOTICE "reboot: Restarting system\n");
	arch_restart();
}
