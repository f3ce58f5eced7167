/* uapi/prctl.h - the prctl(2) options foliOS implements: Linux's values (linux/prctl.h). */
#ifndef UAPI_PRCTL_H
#define UAPI_PRCTL_H

#define PR_SET_NAME		15
#define PR_GET_NAME		16
#define PR_SET_THP_DISABLE	41
#define PR_GET_THP_DISABLE	42

#endif
