#ifndef _SYS_REBOOT_H
#define _SYS_REBOOT_H
#include <uapi/reboot.h>
/* libc's names for the commands */
#define RB_AUTOBOOT	LINUX_REBOOT_CMD_RESTART
#define RB_HALT_SYSTEM	LINUX_REBOOT_CMD_HALT
#define RB_POWER_OFF	LINUX_REBOOT_CMD_POWER_OFF
/* reboot(2) with Linux's magic numbers filled in. */
int reboot(int cmd);
#endif
