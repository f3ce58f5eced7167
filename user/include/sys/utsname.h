#ifndef _SYS_UTSNAME_H
#define _SYS_UTSNAME_H
#include <uapi/utsname.h>
/* libc's name for the structure uname() fills, the kernel's struct new_utsname. */
#define utsname new_utsname
int uname(struct utsname *u);
#endif
