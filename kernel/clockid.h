/* clockid.h - clock ids of clock_gettime and friends (Linux's values). Shared with user/include/time.h. */
#ifndef KERNEL_CLOCKID_H
#define KERNEL_CLOCKID_H

#define CLOCK_REALTIME	0
#define CLOCK_MONOTONIC	1
#define CLOCK_PROCESS_CPUTIME_ID	2
#define CLOCK_THREAD_CPUTIME_ID	3
#define CLOCK_MONOTONIC_RAW	4
#define CLOCK_REALTIME_COARSE	5
#define CLOCK_MONOTONIC_COARSE	6
#define CLOCK_BOOTTIME	7
#define TIMER_ABSTIME	1

#endif
