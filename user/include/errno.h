/* Linux errno values (asm-generic/errno-base.h + errno.h; same on x86_64 and aarch64). */
#ifndef _ERRNO_H
#define _ERRNO_H
extern int errno;
#include "../../kernel/errno.h"
#endif
