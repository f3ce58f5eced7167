/*
 * sys.c - the small system calls: identity, time, sleeping, uname, sysinfo,
 * random bytes, reboot, and set_tid_address (a static libc's first call).
 */
#include "kernel/arch.h"
#include "kernel/printk.h"
#include "kernel/reboot.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/time.h"
#include "kernel/uaccess.h"
#include "mm/foliotrace.h"
#include "mm/gfp.h"
#include "mm/memblock.h"
#include <uapi/errno.h>
#include <uapi/random.h>
#include <uapi/reboot.h>
#include <uapi/resource.h>	/* also <uapi/time.h> */
#include <uapi/sysinfo.h>
#include <uapi/utsname.h>

#if defined(__x86_64__)
#define UTS_MACHINE "x86_64"
#else
#define UTS_MACHINE "aarch64"
#endif

SYSCALL_DEFINE0(getpid)
{
	return current->tgid;
}

SYSCALL_DEFINE0(gettid)
{
	return current->pid;
}

SYSCALL_DEFINE0(getppid)
{
	return task_ppid_nr(current);
}

/* getuid, geteuid, getgid, getegid: everyone is root. */
SYSCALL_DEFINE0(getuid)
{
	return 0;
}

/* The word to clear and futex-wake at exit (kernel/futex.c), as CLONE_CHILD_CLEARTID; returns the tid. */
SYSCALL_DEFINE1(set_tid_address, int __user *, tidptr)
{
	current->clear_child_tid = tidptr;
	return current->pid;
}

SYSCALL_DEFINE0(sched_yield)
{
	need_resched = true;
	return 0;
}


/* There is no RTC driver: the realtime clock counts from the epoch at boot. */
static int clock_read(int which, u64 *ns)
{
	switch (which) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		*ns = ktime_get_ns();
		return 0;
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		*ns = current->utime_ns + current->stime_ns;
		return 0;
	default:
		return -EINVAL;
	}
}

SYSCALL_DEFINE2(clock_gettime, int, which, struct timespec __user *, tp)
{
	struct timespec ts;
	u64 ns;
	int err = clock_read(which, &ns);

	if (err)
		return err;
	ts.tv_sec = (long)(ns / NSEC_PER_SEC);
	ts.tv_nsec = (long)(ns % NSEC_PER_SEC);
	return copy_to_user(tp, &ts, sizeof(ts)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(clock_getres, int, which, struct timespec __user *, tp)
{
	struct timespec ts = { 0, 1 };
	u64 ns;
	int err = clock_read(which, &ns);

	if (err)
		return err;
	return tp && copy_to_user(tp, &ts, sizeof(ts)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(gettimeofday, void __user *, tv, void __user *, tz)
{
	u64 ns = ktime_get_ns();
	long val[2] = { (long)(ns / NSEC_PER_SEC), (long)((ns % NSEC_PER_SEC) / 1000) };

	if (tv && copy_to_user(tv, val, sizeof(val)))
		return -EFAULT;
	if (tz && clear_user(tz, 2 * sizeof(int)))
		return -EFAULT;
	return 0;
}

/*
 * Sleep until the monotonic clock reaches deadline; -EINTR when a signal
 * interrupts it (as Linux's whenever a handler runs: there is no
 * restart_syscall, see kernel/errno.h).
 */
static long sleep_until(u64 deadline)
{
	unsigned long flags = arch_local_irq_save();
	long err = 0;

	while (!err && ktime_get_ns() < deadline)
		err = sleep_on((const void *)&jiffies, deadline);
	arch_local_irq_restore(flags);
	return err;
}

/* nanosleep's work; an interrupted relative sleep writes the time left to *rem (if given). */
static long do_nanosleep(const struct timespec __user *req, struct timespec __user *rem, bool absolute)
{
	struct timespec ts;
	u64 deadline, now;
	long err;

	if (copy_from_user(&ts, req, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (long)NSEC_PER_SEC)
		return -EINVAL;
	deadline = (absolute ? 0 : ktime_get_ns()) + (u64)ts.tv_sec * NSEC_PER_SEC + (u64)ts.tv_nsec;
	err = sleep_until(deadline);
	if (err != -EINTR || absolute || !rem)
		return err;
	now = ktime_get_ns();
	ts.tv_sec = now < deadline ? (long)((deadline - now) / NSEC_PER_SEC) : 0;
	ts.tv_nsec = now < deadline ? (long)((deadline - now) % NSEC_PER_SEC) : 0;
	return copy_to_user(rem, &ts, sizeof(ts)) ? -EFAULT : err;
}

SYSCALL_DEFINE2(nanosleep, const struct timespec __user *, req, struct timespec __user *, rem)
{
	return do_nanosleep(req, rem, false);
}

SYSCALL_DEFINE4(clock_nanosleep, int, which, int, flags, const struct timespec __user *, req,
		struct timespec __user *, rem)
{
	u64 ns;

	if (clock_read(which, &ns))
		return -EINVAL;
	return do_nanosleep(req, rem, flags & TIMER_ABSTIME);
}

SYSCALL_DEFINE1(uname, struct new_utsname __user *, name)
{
	struct new_utsname u;

	memset(&u, 0, sizeof(u));
	memcpy(u.sysname, "foliOS", 7);
	memcpy(u.nodename, "folios", 7);
	memcpy(u.release, "0.1.0", 6);
	snprintf(u.version, sizeof(u.version), "foliOS %s", FOLIOS_VERSION);
	memcpy(u.machine, UTS_MACHINE, sizeof(UTS_MACHINE));
	return copy_to_user(name, &u, sizeof(u)) ? -EFAULT : 0;
}

/* Tasks that exist (running, sleeping or zombie), the idle task not counted: Linux's nr_threads. */
static unsigned int nr_tasks(void)
{
	unsigned int n = 0;
	struct list_head *pos;

	list_for_each(pos, &task_list)
		n++;
	return n - 1;
}

/*
 * Linux's do_sysinfo: uptime in seconds rounded up, no load averages (foliOS
 * does not compute them: 0), RAM as /proc/meminfo's MemTotal and MemFree,
 * no shared, buffer, swap or high memory.  The totals fit in 64 bits, so
 * mem_unit is 1 and the sizes are bytes, as Linux on a 64-bit machine.
 */
SYSCALL_DEFINE1(sysinfo, struct sysinfo __user *, info)
{
	struct sysinfo si;
	u64 ns = ktime_get_ns();

	memset(&si, 0, sizeof(si));
	si.uptime = (long)(ns / NSEC_PER_SEC + (ns % NSEC_PER_SEC ? 1 : 0));
	si.totalram = totalram_pages() << PAGE_SHIFT;
	si.freeram = nr_free_pages() << PAGE_SHIFT;
	si.procs = (u16)nr_tasks();
	si.mem_unit = 1;
	return copy_to_user(info, &si, sizeof(si)) ? -EFAULT : 0;
}

/* xorshift64*, seeded from the cycle counter: random enough for AT_RANDOM-style needs. */
static u64 prng_next(void)
{
	static u64 state;

	if (!state)
		state = arch_read_cycles() | 1;
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 0x2545f4914f6cdd1dULL;
}

SYSCALL_DEFINE3(getrandom, void __user *, buf, size_t, count, unsigned int, flags)
{
	size_t done = 0;

	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	count = min(count, (size_t)(32UL << 20));
	while (done < count) {
		u64 r = prng_next();
		size_t n = min(count - done, sizeof(r));

		if (copy_to_user((char __user *)buf + done, &r, n))
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return (long)done;
}

SYSCALL_DEFINE4(reboot, int, magic1, int, magic2, unsigned int, cmd, void __user *, arg)
{
	(void)arg;
	if ((unsigned int)magic1 != LINUX_REBOOT_MAGIC1 || magic2 != LINUX_REBOOT_MAGIC2)
		return -EINVAL;
	if (current->pid != 1)
		return -EPERM;
	switch (cmd) {
	case LINUX_REBOOT_CMD_RESTART:
		foliotrace_finish();
		kernel_restart();
	case LINUX_REBOOT_CMD_HALT:
	case LINUX_REBOOT_CMD_POWER_OFF:
		foliotrace_finish();
		kernel_power_off(0);
	default:
		return -EINVAL;
	}
}

/* rseq: not supported; libcs handle -ENOSYS by not using it. */
SYSCALL_DEFINE0(rseq)
{
	return -ENOSYS;
}
