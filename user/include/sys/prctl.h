/* prctl: the options are <uapi/prctl.h>'s. */
#ifndef _SYS_PRCTL_H
#define _SYS_PRCTL_H
#include <uapi/prctl.h>
int prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5);
#endif
