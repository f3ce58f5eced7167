#ifndef _SYS_TIME_H
#define _SYS_TIME_H
#include <sys/types.h>
#include <uapi/time.h>	/* struct timeval, struct timezone */
int gettimeofday(struct timeval *tv, void *tz);
#endif
