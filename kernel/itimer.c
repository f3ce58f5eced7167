/*
 * itimer.c - the real-time interval timer of each process (one per thread
 * group, in its signal_struct, as Linux's): alarm(2) and
 * setitimer/getitimer(ITIMER_REAL), which send SIGALRM (si_code SI_KERNEL,
 * as Linux's it_real_fn) when the monotonic clock passes the deadline.
 * SIGALRM is process-directed: any thread not blocking it takes it.
 * The scheduler's tick looks at every group leader's deadline (itimer_tick), so a
 * timer fires on the first tick at or after it (HZ = 100: within 10 ms),
 * then re-arms itself by its interval.  ITIMER_VIRTUAL and ITIMER_PROF are
 * not supported (-EINVAL).  fork clears the timer in the child; execve
 * keeps it.
 */
#include "kernel/arch.h"
#include "kernel/signal.h"
#include "kernel/syscall.h"
#include "kernel/time.h"
#include "kernel/uaccess.h"
#include <uapi/errno.h>
#include <uapi/time.h>

#define NSEC_PER_USEC	1000ULL

void itimer_tick(struct task_struct *t, u64 now)
{
	struct ksiginfo info = { .code = SI_KERNEL };
	struct signal_struct *sig = t->signal;

	bool due;

	if (t != t->group_leader)
		return;		/* one look per process: at its leader (a zombie one too) */
	spin_lock(&t->sighand->siglock);
	due = sig->it_real_expires_ns && sig->it_real_expires_ns <= now;
	if (due)
		sig->it_real_expires_ns = sig->it_real_incr_ns ? now + sig->it_real_incr_ns : 0;
	spin_unlock(&t->sighand->siglock);
	if (due)
		group_send_sig_info(t, SIGALRM, &info, false);
}

static u64 timeval_to_ns(const struct timeval *tv)
{
	return (u64)tv->tv_sec * NSEC_PER_SEC + (u64)tv->tv_usec * NSEC_PER_USEC;
}

static struct timeval ns_to_timeval(u64 ns)
{
	return (struct timeval){ (long)(ns / NSEC_PER_SEC), (long)(ns % NSEC_PER_SEC / NSEC_PER_USEC) };
}

static bool timeval_valid(const struct timeval *tv)
{
	return tv->tv_sec >= 0 && tv->tv_usec >= 0 && tv->tv_usec < 1000000;
}

/* Current's ITIMER_REAL now (time left, period); the tick's fields under siglock. */
static struct itimerval itimer_get(void)
{
	u64 expires, now, incr;
	struct itimerval v;

	spin_lock(&current->sighand->siglock);
	expires = current->signal->it_real_expires_ns;
	incr = current->signal->it_real_incr_ns;
	now = ktime_get_ns();
	spin_unlock(&current->sighand->siglock);
	v = (struct itimerval){ .it_interval = ns_to_timeval(incr) };
	if (expires)	/* due but not yet fired: Linux reports 1 us left */
		v.it_value = expires > now ? ns_to_timeval(expires - now) : (struct timeval){ 0, 1 };
	return v;
}

/* Arm (or, value 0, disarm) current's ITIMER_REAL; the old setting goes to *old. */
static void itimer_set(const struct itimerval *v, struct itimerval *old)
{
	u64 value = timeval_to_ns(&v->it_value);

	if (old)
		*old = itimer_get();
	spin_lock(&current->sighand->siglock);
	current->signal->it_real_expires_ns = value ? ktime_get_ns() + value : 0;
	current->signal->it_real_incr_ns = value ? timeval_to_ns(&v->it_interval) : 0;
	spin_unlock(&current->sighand->siglock);
}

SYSCALL_DEFINE2(getitimer, int, which, struct itimerval __user *, value)
{
	struct itimerval v;

	if (which != ITIMER_REAL)
		return -EINVAL;
	v = itimer_get();
	return copy_to_user(value, &v, sizeof(v)) ? -EFAULT : 0;
}

SYSCALL_DEFINE3(setitimer, int, which, const struct itimerval __user *, value,
		struct itimerval __user *, ovalue)
{
	struct itimerval v = { 0 }, old;

	if (value) {	/* NULL: disarm (a Linux misfeature kept for old programs) */
		if (copy_from_user(&v, value, sizeof(v)))
			return -EFAULT;
		if (!timeval_valid(&v.it_value) || !timeval_valid(&v.it_interval))
			return -EINVAL;
	}
	if (which != ITIMER_REAL)
		return -EINVAL;
	itimer_set(&v, ovalue ? &old : NULL);
	return ovalue && copy_to_user(ovalue, &old, sizeof(old)) ? -EFAULT : 0;
}

/* alarm(seconds): a one-shot ITIMER_REAL; returns the old one's seconds left, rounded to nearest. */
SYSCALL_DEFINE1(alarm, unsigned int, seconds)
{
	struct itimerval v = { .it_value = { (long)seconds, 0 } }, old;
	long secs;

	itimer_set(&v, &old);
	secs = old.it_value.tv_sec;
	if ((!secs && old.it_value.tv_usec) || old.it_value.tv_usec >= 500000)
		secs++;
	return secs;
}
