/* The kernel's struct termios (what TCGETS fills: 36 bytes). */
#ifndef _TERMIOS_H
#define _TERMIOS_H
#include <sys/ioctl.h>
typedef unsigned int tcflag_t;
typedef unsigned char cc_t;
struct termios {
	tcflag_t c_iflag;
	tcflag_t c_oflag;
	tcflag_t c_cflag;
	tcflag_t c_lflag;
	cc_t c_line;
	cc_t c_cc[19];
};
#define ISIG	0000001
#define ICANON	0000002
#define ECHO	0000010
#define OPOST	0000001
#define ONLCR	0000004
int tcgetattr(int fd, struct termios *t);
#endif
