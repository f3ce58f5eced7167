/*
 * poll.c - poll(2) (x86_64) and ppoll(2): wait until one of a set of
 * descriptors is ready, Linux's semantics.
 *
 * Each pass asks every file its ready events (file_operations.poll: pipes,
 * the console; a file without one is always readable and writable, as
 * Linux's DEFAULT_POLLMASK) and keeps those asked for plus POLLERR and
 * POLLHUP, which are always reported; a descriptor that is not open gives
 * POLLNVAL, a negative fd is skipped (revents 0).  With nothing ready the
 * caller sleeps on one channel that every poll-state change wakes
 * (poll_wake()) until the timeout; a signal ends the wait with
 * -ERESTARTNOHAND (-EINTR after a handler; without one the call restarts
 * with its whole timeout: there is no restart_syscall).  revents are copied
 * back on every return but an error.  ppoll's sigmask is in force while it
 * waits and until the handler of the signal that ended the wait returns
 * (rt_sigsuspend's saved-mask mechanism).
 */
#include "kernel/arch.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/slab.h"
#include "kernel/time.h"
#include "kernel/uaccess.h"
#include <uapi/errno.h>
#include <uapi/poll.h>
#include <uapi/time.h>

#define DEFAULT_POLLMASK	(POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

static const char poll_wait_chan;
/*
 * poll_wake()s so far, under poll_lock: a pass that saw nothing ready sleeps
 * only if none came since it began (the console's comes from the boot CPU's
 * tick, which the BKL does not exclude).
 */
static unsigned long poll_seq;
static spinlock_t poll_lock = SPINLOCK_INIT("poll_lock");

void poll_wake(void)
{
	spin_lock(&poll_lock);
	poll_seq++;
	spin_unlock(&poll_lock);
	wake_up(&poll_wait_chan);
}

/* One pass over pfd[0..nfds): set each revents; how many are non-zero. */
static int do_pollfds(struct pollfd *pfd, unsigned int nfds)
{
	int count = 0;

	for (unsigned int i = 0; i < nfds; i++) {
		struct file *f = pfd[i].fd >= 0 ? fdget(pfd[i].fd) : NULL;
		unsigned int mask = 0;

		if (pfd[i].fd >= 0 && !f)
			mask = POLLNVAL;
		else if (f)
			mask = (f->f_op->poll ? f->f_op->poll(f) : DEFAULT_POLLMASK) &
			       ((unsigned short)pfd[i].events | POLLERR | POLLHUP);
		pfd[i].revents = (short)mask;
		count += mask != 0;
	}
	return count;
}

/*
 * Poll until something is ready, the monotonic deadline_ns passes (0: no
 * deadline; nowait: a single pass) or a signal comes: the count, 0, or
 * -ERESTARTNOHAND.  A poll_wake() between a pass and its sleep is seen in
 * poll_seq, checked under poll_lock held into the sleep (sleep_on_locked).
 */
static long poll_wait_ready(struct pollfd *pfd, unsigned int nfds, u64 deadline_ns, bool nowait)
{
	unsigned long flags = arch_local_irq_save();
	long ret;

	for (;;) {
		unsigned long seq = READ_ONCE(poll_seq);
		int err = 0;

		ret = do_pollfds(pfd, nfds);
		if (ret || nowait || (deadline_ns && ktime_get_ns() >= deadline_ns))
			break;
		spin_lock(&poll_lock);
		if (poll_seq == seq)
			err = sleep_on_locked(&poll_wait_chan, deadline_ns, &poll_lock);
		spin_unlock(&poll_lock);
		if (err) {
			ret = -ERESTARTNOHAND;
			break;
		}
	}
	arch_local_irq_restore(flags);
	return ret;
}

/* Linux's do_sys_poll: nfds against RLIMIT_NOFILE, copy in, wait, copy revents out. */
static long poll_user(struct pollfd __user *ufds, unsigned int nfds, u64 deadline_ns, bool nowait)
{
	struct pollfd *pfd;
	long ret;

	if (nfds > NR_OPEN_DEFAULT)
		return -EINVAL;
	pfd = kmalloc((nfds ? nfds : 1) * sizeof(*pfd));
	if (!pfd)
		return -ENOMEM;
	if (copy_from_user(pfd, ufds, nfds * sizeof(*pfd))) {
		kfree(pfd);
		return -EFAULT;
	}
	ret = poll_wait_ready(pfd, nfds, deadline_ns, nowait);
	for (unsigned int i = 0; ret >= 0 && i < nfds; i++)
		if (put_user(pfd[i].revents, &ufds[i].revents))
			ret = -EFAULT;
	kfree(pfd);
	return ret;
}

#ifdef __x86_64__
SYSCALL_DEFINE3(poll, struct pollfd __user *, ufds, unsigned int, nfds, int, timeout_ms)
{
	u64 deadline = timeout_ms > 0 ? ktime_get_ns() + (u64)timeout_ms * NSEC_PER_MSEC : 0;

	return poll_user(ufds, nfds, deadline, timeout_ms == 0);
}
#endif

SYSCALL_DEFINE5(ppoll, struct pollfd __user *, ufds, unsigned int, nfds,
		const struct timespec __user *, tsp, const kernel_sigset_t __user *, sigmask,
		size_t, sigsetsize)
{
	struct timespec ts = { 0, 0 };
	u64 deadline = 0;
	long ret;

	if (tsp) {
		if (copy_from_user(&ts, tsp, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (long)NSEC_PER_SEC)
			return -EINVAL;
		deadline = ktime_get_ns() + (u64)ts.tv_sec * NSEC_PER_SEC + (u64)ts.tv_nsec;
	}
	if (sigmask) {
		ret = set_user_sigmask(sigmask, sigsetsize);
		if (ret)
			return ret;
	}
	ret = poll_user(ufds, nfds, deadline, tsp && !ts.tv_sec && !ts.tv_nsec);
	if (sigmask && ret != -ERESTARTNOHAND) {
		current->restore_sigmask = false;
		set_current_blocked(current->saved_sigmask);
	}
	return ret;
}
