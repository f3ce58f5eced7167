#ifndef _LIMITS_H
#define _LIMITS_H
#define CHAR_BIT 8
#define INT_MAX 0x7fffffff
#define INT_MIN (-INT_MAX - 1)
#define UINT_MAX 0xffffffffu
#define LONG_MAX 0x7fffffffffffffffL
#define LONG_MIN (-LONG_MAX - 1)
#define ULONG_MAX 0xffffffffffffffffUL
#include <uapi/limits.h>	/* PATH_MAX, NAME_MAX */
#include <uapi/page.h>	/* PAGE_SIZE */
#endif
