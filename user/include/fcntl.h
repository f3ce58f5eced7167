/* open() and friends; Linux's flag values are <uapi/fcntl.h>'s. */
#ifndef _FCNTL_H
#define _FCNTL_H
#include <sys/types.h>
#include <uapi/fcntl.h>
int open(const char *path, int flags, ...);
int openat(int dirfd, const char *path, int flags, ...);
#endif
