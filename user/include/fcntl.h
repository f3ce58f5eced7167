/* open() and friends; Linux's flag values are <uapi/fcntl.h>'s. */
#ifndef _FCNTL_H
#define _FCNTL_H
#include <sys/types.h>
#include <uapi/fcntl.h>
int open(const char *path, int flags, ...);
int openat(int dirfd, const char *path, int flags, ...);
int fcntl(int fd, int cmd, ...);
/* Allocate or punch a range of a file (FALLOC_FL_*: <uapi/fcntl.h>). */
int fallocate(int fd, int mode, off_t offset, off_t len);
struct iovec;
ssize_t vmsplice(int fd, const struct iovec *iov, size_t n, unsigned int flags);
#endif
