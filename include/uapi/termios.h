/*
 * uapi/termios.h - the terminal ioctls foliOS's console answers, the struct
 * termios TCGETS fills (asm-generic's 36-byte layout on both archs) and the
 * flag bits it reports, and struct winsize.
 */
#ifndef UAPI_TERMIOS_H
#define UAPI_TERMIOS_H

#define TCGETS		0x5401
#define TCSETS		0x5402
#define TIOCGWINSZ	0x5413
#define FIONREAD	0x541B

#define NCCS		19
struct termios {
	unsigned int c_iflag;
	unsigned int c_oflag;
	unsigned int c_cflag;
	unsigned int c_lflag;
	unsigned char c_line;
	unsigned char c_cc[NCCS];
};
_Static_assert(sizeof(struct termios) == 36, "struct termios");

/* c_cc[] indices */
#define VINTR	0
#define VQUIT	1
#define VERASE	2
#define VKILL	3
#define VEOF	4
#define VTIME	5
#define VMIN	6

/* c_oflag */
#define OPOST	0000001
#define ONLCR	0000004
/* c_cflag */
#define B115200	0010002
#define CS8	0000060
#define CREAD	0000200
#define CLOCAL	0004000
/* c_lflag */
#define ISIG	0000001
#define ICANON	0000002
#define ECHO	0000010

struct winsize {
	unsigned short ws_row;
	unsigned short ws_col;
	unsigned short ws_xpixel;
	unsigned short ws_ypixel;
};

#endif
