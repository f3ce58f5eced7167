/* open() and friends; Linux's flag values are <uapi/fcntl.h>'s. */
#ifndef _FCNTL_H
#define _FCNTL_H
#include <sys/types.h>
#include <uapi/fcntl.h>
int open(const char *path, int flags, ...);
int openat(int dirfd, const char *path, int flags, ...);
int fcntl(int fd, int cmd, ...);
struct iovec;
ssize_t vmsplice(int fd, const struct iovec *iov, size_t n, unsigned int flags);
#endif
