#ifndef _SYS_TIME_H
#define _SYS_TIME_H
#include <sys/types.h>
#include <uapi/time.h>	/* struct timeval, struct timezone, struct itimerval, ITIMER_* */
int gettimeofday(struct timeval *tv, void *tz);
int getitimer(int which, struct itimerval *v);
int setitimer(int which, const struct itimerval *v, struct itimerval *old);
#endif
