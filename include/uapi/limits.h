/* uapi/limits.h - the file-name limits of the system-call ABI (Linux's linux/limits.h). */
#ifndef UAPI_LIMITS_H
#define UAPI_LIMITS_H

#define NAME_MAX	255	/* bytes in a file name, without the NUL */
#define PATH_MAX	4096	/* bytes in a path, with the NUL */

#endif
