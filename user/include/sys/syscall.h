/* Linux system-call numbers of the architecture being compiled for (SYS_name). */
#ifndef _SYS_SYSCALL_H
#define _SYS_SYSCALL_H
#if defined(__x86_64__)
#include "../../lib/arch/x86_64/sysnum.h"
#elif defined(__aarch64__)
#include "../../lib/arch/arm64/sysnum.h"
#else
#error "libfolio: x86_64 or aarch64 only"
#endif
/* Raw call: returns the kernel's value, -errno on failure (errno untouched). */
long __syscall(long nr, long a1, long a2, long a3, long a4, long a5, long a6);
/* libc-style: -1 and errno on failure. */
long syscall(long nr, ...);
#endif
