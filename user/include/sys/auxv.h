#ifndef _SYS_AUXV_H
#define _SYS_AUXV_H
#include <uapi/auxv.h>
unsigned long getauxval(unsigned long type);
extern unsigned long *__auxv;	/* the auxv pairs the kernel passed */
#endif
