/* Signals: Linux's numbers are <uapi/signal.h>'s; NSIG is libc's (one past the last). */
#ifndef _SIGNAL_H
#define _SIGNAL_H
#include <sys/types.h>
#include <uapi/signal.h>
#define NSIG		(_NSIG + 1)
int kill(pid_t pid, int sig);
const char *strsignal_short(int sig);	/* "SIGSEGV" */
const char *strsignal(int sig);		/* bash's text: "Segmentation fault" */
#endif
