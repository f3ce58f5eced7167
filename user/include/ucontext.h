/* ucontext_t, mcontext (struct sigcontext) and the FP records of a signal frame: <uapi/ucontext.h>. */
#ifndef _UCONTEXT_H
#define _UCONTEXT_H
#include <signal.h>
#include <uapi/ucontext.h>
#endif
