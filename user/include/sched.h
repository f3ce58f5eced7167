#ifndef _SCHED_H
#define _SCHED_H
#include <uapi/sched.h>	/* CLONE_* */
int sched_yield(void);
#endif
