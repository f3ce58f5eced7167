/* uapi/uio.h - struct iovec of readv()/writev(). */
#ifndef UAPI_UIO_H
#define UAPI_UIO_H

struct iovec {
	void *iov_base;
	unsigned long iov_len;
};

#endif
