#ifndef _TIME_H
#define _TIME_H
#include <sys/types.h>
#include <uapi/time.h>	/* clock ids, struct timespec */
int clock_gettime(clockid_t clk, struct timespec *ts);
int clock_getres(clockid_t clk, struct timespec *ts);
int nanosleep(const struct timespec *req, struct timespec *rem);
/* Helpers: nanoseconds of CLOCK_MONOTONIC, and a - b in ns. */
long now_ns(void);
#endif
