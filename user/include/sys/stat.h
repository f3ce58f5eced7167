/* fstat and friends; struct stat and S_IF* are the kernel's (<uapi/stat.h>). */
#ifndef _SYS_STAT_H
#define _SYS_STAT_H
#include <sys/types.h>
#include <uapi/stat.h>
int fstat(int fd, struct stat *st);
int stat(const char *path, struct stat *st);
int fstatat(int dirfd, const char *path, struct stat *st, int flags);
#endif
