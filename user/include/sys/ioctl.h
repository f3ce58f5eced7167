#ifndef _SYS_IOCTL_H
#define _SYS_IOCTL_H
#include <uapi/termios.h>	/* TCGETS .. FIONREAD, struct winsize */
int ioctl(int fd, unsigned long req, ...);
#endif
