/*
 * Signals: Linux's numbers, flags, struct sigaction, siginfo_t and stack_t are
 * <uapi/signal.h>'s (libc's struct sigaction is the kernel's layout); NSIG is
 * libc's (one past the last).  sigaction() supplies SA_RESTORER on x86_64,
 * where Linux requires it; on aarch64 handlers return through the kernel's
 * trampoline, as with glibc and musl.
 */
#ifndef _SIGNAL_H
#define _SIGNAL_H
#include <sys/types.h>
#include <uapi/signal.h>
#define NSIG		(_NSIG + 1)
typedef kernel_sigset_t sigset_t;
typedef void (*sighandler_t)(int);
int kill(pid_t pid, int sig);
int tkill(pid_t tid, int sig);
int tgkill(pid_t tgid, pid_t tid, int sig);
int raise(int sig);
int sigaction(int sig, const struct sigaction *act, struct sigaction *oact);
sighandler_t signal(int sig, sighandler_t handler);
int sigprocmask(int how, const sigset_t *set, sigset_t *oset);
int sigpending(sigset_t *set);
int sigsuspend(const sigset_t *mask);
int sigaltstack(const stack_t *ss, stack_t *oss);
int sigemptyset(sigset_t *set);
int sigfillset(sigset_t *set);
int sigaddset(sigset_t *set, int sig);
int sigdelset(sigset_t *set, int sig);
int sigismember(const sigset_t *set, int sig);
const char *strsignal_short(int sig);	/* "SIGSEGV" */
const char *strsignal(int sig);		/* bash's text: "Segmentation fault" */
#endif
