/* tcgetattr; struct termios is the kernel's (<uapi/termios.h>, what TCGETS fills). */
#ifndef _TERMIOS_H
#define _TERMIOS_H
#include <sys/ioctl.h>
typedef unsigned int tcflag_t;
typedef unsigned char cc_t;
int tcgetattr(int fd, struct termios *t);
#endif
