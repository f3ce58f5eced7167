#ifndef _SYS_UIO_H
#define _SYS_UIO_H
#include <sys/types.h>
#include <uapi/uio.h>
ssize_t writev(int fd, const struct iovec *iov, int iovcnt);
ssize_t readv(int fd, const struct iovec *iov, int iovcnt);
#endif
