#ifndef _SYS_KLOG_H
#define _SYS_KLOG_H
#include <uapi/syslog.h>
/* glibc's name for syslog(2): the kernel log (kernel/syslog.c). */
int klogctl(int type, char *bufp, int len);
#endif
