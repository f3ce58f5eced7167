/*
 * uapi/unistd.h - the system-call numbers (__NR_name) of the architecture
 * being compiled for: x86_64 and aarch64 number their calls differently
 * (aarch64 has no fork, open or stat; only clone, openat, newfstatat).
 */
#ifndef UAPI_UNISTD_H
#define UAPI_UNISTD_H

#if defined(__x86_64__)
#include <uapi/unistd_x86_64.h>
#elif defined(__aarch64__)
#include <uapi/unistd_arm64.h>
#else
#error "uapi/unistd.h: x86_64 or aarch64 only"
#endif

#endif
