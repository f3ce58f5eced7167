/*
 * Signal wrappers over rt_sigaction, rt_sigprocmask, rt_sigpending,
 * rt_sigsuspend, sigaltstack, kill, tkill, tgkill; the sigset_t helpers;
 * raise() (tgkill of the calling thread, as glibc) and abort().
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>

long __syscall_ret(long r);

#define SYSCALL_RET(n, a, b, c, d) \
	__syscall_ret(__syscall(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0))

#if defined(__x86_64__)
void __restore_rt(void);	/* crt0.S: rt_sigreturn */
#endif

int sigaction(int sig, const struct sigaction *act, struct sigaction *oact)
{
	struct sigaction k;

	if (act) {
		k = *act;
#if defined(__x86_64__)
		if (!(k.sa_flags & SA_RESTORER)) {
			k.sa_flags |= SA_RESTORER;
			k.sa_restorer = __restore_rt;
		}
#endif
		act = &k;
	}
	return SYSCALL_RET(__NR_rt_sigaction, sig, act, oact, sizeof(sigset_t));
}

sighandler_t signal(int sig, sighandler_t handler)
{
	struct sigaction sa = { .sa_handler = handler, .sa_flags = SA_RESTART }, old;

	if (sigaction(sig, &sa, &old) < 0)
		return SIG_ERR;
	return old.sa_handler;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *oset)
{
	return SYSCALL_RET(__NR_rt_sigprocmask, how, set, oset, sizeof(sigset_t));
}

int sigpending(sigset_t *set)
{
	return SYSCALL_RET(__NR_rt_sigpending, set, sizeof(sigset_t), 0, 0);
}

int sigsuspend(const sigset_t *mask)
{
	return SYSCALL_RET(__NR_rt_sigsuspend, mask, sizeof(sigset_t), 0, 0);
}

int sigaltstack(const stack_t *ss, stack_t *oss)
{
	return SYSCALL_RET(__NR_sigaltstack, ss, oss, 0, 0);
}

int kill(pid_t pid, int sig) { return SYSCALL_RET(__NR_kill, pid, sig, 0, 0); }
int tkill(pid_t tid, int sig) { return SYSCALL_RET(__NR_tkill, tid, sig, 0, 0); }
int tgkill(pid_t tgid, pid_t tid, int sig) { return SYSCALL_RET(__NR_tgkill, tgid, tid, sig, 0); }

/* aarch64 has no pause(2): sigsuspend with the current mask (as glibc). */
int pause(void)
{
#ifdef __NR_pause
	return SYSCALL_RET(__NR_pause, 0, 0, 0, 0);
#else
	sigset_t set;

	sigprocmask(SIG_BLOCK, NULL, &set);
	return sigsuspend(&set);
#endif
}

int raise(int sig)
{
	return tgkill(getpid(), gettid(), sig);
}

/* Is sig a signal number a set can hold?  (EINVAL otherwise, as glibc.) */
static int set_bit(int sig, sigset_t *bit)
{
	if (sig < 1 || sig > _NSIG) {
		errno = EINVAL;
		return -1;
	}
	*bit = 1UL << (sig - 1);
	return 0;
}

int sigemptyset(sigset_t *set) { *set = 0; return 0; }
int sigfillset(sigset_t *set) { *set = ~0UL; return 0; }

int sigaddset(sigset_t *set, int sig)
{
	sigset_t bit;

	if (set_bit(sig, &bit))
		return -1;
	*set |= bit;
	return 0;
}

int sigdelset(sigset_t *set, int sig)
{
	sigset_t bit;

	if (set_bit(sig, &bit))
		return -1;
	*set &= ~bit;
	return 0;
}

int sigismember(const sigset_t *set, int sig)
{
	sigset_t bit;

	if (set_bit(sig, &bit))
		return -1;
	return (*set & bit) != 0;
}

/*
 * SIGABRT, whatever the program did with it: raised once for its handler,
 * then, if that returned (or the signal is ignored or blocked), again with
 * the default action and unblocked.
 */
void abort(void)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t set = 1UL << (SIGABRT - 1);

	raise(SIGABRT);
	sigaction(SIGABRT, &dfl, NULL);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(SIGABRT);
	_exit(127);
}
