#ifndef _DIRENT_H
#define _DIRENT_H
#include <sys/types.h>
#include <uapi/dirent.h>	/* struct linux_dirent64, DT_* */
long getdents64(int fd, void *buf, size_t n);
#endif
