/*
 * uapi/time.h - clock ids of clock_gettime() and friends, TIMER_ABSTIME, and
 * the time structures of the 64-bit ABI (timespec, timeval, timezone), and
 * the interval timers of setitimer/getitimer (ITIMER_*, struct itimerval).
 */
#ifndef UAPI_TIME_H
#define UAPI_TIME_H

#define CLOCK_REALTIME	0
#define CLOCK_MONOTONIC	1
#define CLOCK_PROCESS_CPUTIME_ID	2
#define CLOCK_THREAD_CPUTIME_ID	3
#define CLOCK_MONOTONIC_RAW	4
#define CLOCK_REALTIME_COARSE	5
#define CLOCK_MONOTONIC_COARSE	6
#define CLOCK_BOOTTIME	7
#define TIMER_ABSTIME	1

/* Clock ticks per second of the ABI: AT_CLKTCK, the times of /proc/stat and /proc/<pid>/stat. */
#define USER_HZ		100

struct timespec {
	long tv_sec;
	long tv_nsec;
};

struct timeval {
	long tv_sec;
	long tv_usec;
};

struct timezone {
	int tz_minuteswest;
	int tz_dsttime;
};

#define ITIMER_REAL	0	/* SIGALRM after real time */
#define ITIMER_VIRTUAL	1	/* SIGVTALRM after user CPU time */
#define ITIMER_PROF	2	/* SIGPROF after user + system CPU time */

struct itimerval {
	struct timeval it_interval;	/* the period after the first expiry; 0: one shot */
	struct timeval it_value;	/* time to the next expiry; 0: disarmed */
};

#endif
