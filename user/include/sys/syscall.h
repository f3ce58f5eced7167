/* Linux system-call numbers of the architecture being compiled for (__NR_name). */
#ifndef _SYS_SYSCALL_H
#define _SYS_SYSCALL_H
#include <uapi/unistd.h>
/* Raw call: returns the kernel's value, -errno on failure (errno untouched). */
long __syscall(long nr, long a1, long a2, long a3, long a4, long a5, long a6);
/* libc-style: -1 and errno on failure. */
long syscall(long nr, ...);
#endif
