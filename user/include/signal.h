/* Linux signal numbers (x86_64 and aarch64 agree). */
#ifndef _SIGNAL_H
#define _SIGNAL_H
#include <sys/types.h>
#define SIGHUP		1
#define SIGINT		2
#define SIGQUIT		3
#define SIGILL		4
#define SIGTRAP		5
#define SIGABRT		6
#define SIGBUS		7
#define SIGFPE		8
#define SIGKILL		9
#define SIGUSR1		10
#define SIGSEGV		11
#define SIGUSR2		12
#define SIGPIPE		13
#define SIGALRM		14
#define SIGTERM		15
#define SIGSTKFLT	16
#define SIGCHLD		17
#define SIGCONT		18
#define SIGSTOP		19
#define SIGTSTP		20
#define SIGSYS		31
#define NSIG		65
int kill(pid_t pid, int sig);
const char *strsignal_short(int sig);	/* "SIGSEGV" */
const char *strsignal(int sig);		/* bash's text: "Segmentation fault" */
#endif
