/* uapi/prctl.h - the prctl(2) options foliOS implements: Linux's values (linux/prctl.h). */
#ifndef UAPI_PRCTL_H
#define UAPI_PRCTL_H

#define PR_SET_NAME		15
#define PR_GET_NAME		16
#define PR_SET_THP_DISABLE	41
#define PR_GET_THP_DISABLE	42
#define PR_SET_MDWE		65	/* memory-deny-write-execute (Linux 6.3) */
#define PR_GET_MDWE		66
#define PR_MDWE_REFUSE_EXEC_GAIN	(1UL << 0)	/* no W+X mapping, no mapping gains X */
#define PR_MDWE_NO_INHERIT		(1UL << 1)	/* children and execve start without MDWE */

#endif
