/* errno and Linux's errno values (<uapi/errno.h>). */
#ifndef _ERRNO_H
#define _ERRNO_H
extern int errno;
#include <uapi/errno.h>
#endif
