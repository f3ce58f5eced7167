#ifndef _SYS_MOUNT_H
#define _SYS_MOUNT_H
/* mount(2), Linux's: foliOS does not implement it (ENOSYS); linuxinit uses it on Linux. */
int mount(const char *source, const char *target, const char *fstype,
	  unsigned long flags, const void *data);
#endif
