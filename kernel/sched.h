/*
 * sched.h - tasks, processes and the scheduler.
 *
 * A task is a thread (Linux's task_struct): its pid is the thread id.  The
 * threads made by clone(CLONE_THREAD) form a thread group, a process, whose
 * id (tgid) is its first thread's pid, the group leader's; they share a
 * signal_struct (the group's pending set, exit state and interval timer)
 * and, with CLONE_SIGHAND, a sighand_struct (the handlers); CLONE_VM,
 * CLONE_FILES and CLONE_FS share the mm, the file table and the working
 * directory (kernel/fork.c, kernel/thread_group.c).
 * Task 0 is the boot context; it becomes the boot CPU's idle loop (each
 * other CPU has its own idle task, pid 0 too).  Tasks run on every online
 * CPU their affinity mask allows (cpus_allowed, sched_setaffinity); the
 * scheduler is round-robin over one global run queue with preemption at
 * each CPU's timer tick (need_resched is checked on the way back to user
 * mode); kernel/sched.c says how switching and waking are made SMP-safe.
 *
 * Sleeping (xv6 style): sleep_on(chan) puts current to sleep until
 * wake_up(chan); callers re-check their condition in a loop.  The
 * condition must be written, by whoever wakes, under a lock the sleeper
 * holds from its check until it sleeps: the big kernel lock for sleep_on
 * (kernel/smp_lock.h: every system call that sleeps holds it), or a
 * spinlock handed to sleep_on_locked (the console's input ring, kswapd).
 * A signal sent to a sleeping task that does not block it wakes the task
 * and sleep_on returns -EINTR; callers return -ERESTARTSYS
 * (kernel/errno.h) or -EINTR as Linux's same call does, and the signal is
 * acted on before the return to user mode (kernel/signal.h).
 *
 * Lock legend: (r) rq_lock (kernel/sched.c's run-queue lock; on_cpu is
 * written by the CPU running the task and cleared by cpu_switch_to); (t)
 * changed under both the big kernel lock and tasklist_lock (Linux's
 * tasklist_lock: kernel code holding the BKL reads without it, interrupt
 * context, the tick's interval-timer scan, takes it); (g) the thread
 * group's, changed under the BKL and, where an interrupt or a fault also
 * reads or changes it (pending sets, siginfo, the thread list, the interval
 * timer), under sighand->siglock too; (k) the big kernel lock alone; (c)
 * constant after creation; (o) only the task itself.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include "kernel/list.h"
#include "kernel/smp.h"
#include "kernel/spinlock.h"
#include "kernel/syscall.h"	/* __user */
#include "kernel/types.h"
#include <asm/memory.h>
#include <asm/ptrace.h>
#include <asm/switch_to.h>
#include <uapi/rlimit.h>
#include <uapi/signal.h>

#define TASK_COMM_LEN	16
#define KSTACK_ORDER	2			/* 16 KiB kernel stacks */
#define KSTACK_SIZE	(PAGE_SIZE << KSTACK_ORDER)

enum task_state {
	TASK_RUNNING,		/* on the run queue or running on a CPU (on_rq) */
	TASK_SLEEPING,		/* in sleep_on(), waiting for wake_up(chan) */
	TASK_ZOMBIE,		/* exited; waiting for the parent's wait4 */
	TASK_DEAD,		/* an exited thread that is not a leader: freed once off the CPU */
	TASK_UNINTERRUPTIBLE,	/* waiting for a sleeping lock (kernel/rwsem.c): only wake_up_task ends it */
};

struct mm_struct;
struct files_struct;
struct inode;

/*
 * What a pending signal carries to its handler's siginfo_t: one instance per
 * signal number (kernel/signal.c; real-time signals are not queued twice).
 */
struct ksiginfo {
	int code;		/* si_code: SI_USER, SI_TKILL, SEGV_MAPERR ... */
	int pid;		/* si_pid: the sender, 0 for the kernel */
	int status;		/* si_status (SIGCHLD) */
	unsigned long addr;	/* si_addr (faults) */
};

#define PF_EXITING	0x00000004	/* in do_exit: no signal is delivered to it any more */
#define PF_KTHREAD	0x00200000	/* a kernel thread: no mm, never in user mode, ignores signals */

/* The handlers, shared by the tasks of one CLONE_SIGHAND family (Linux's sighand_struct). */
struct sighand_struct {
	spinlock_t siglock;			/* the signal state's lock (legend (g)) */
	int count;				/* (g) tasks using it */
	struct sigaction action[_NSIG];		/* (g) [sig - 1] */
};

#define SIGNAL_GROUP_EXIT	0x00000004	/* exit_group or a fatal signal: every thread dies */

/* The thread group's shared state (Linux's signal_struct): one per process. */
struct signal_struct {
	int count;				/* (g) task_structs pointing at it (zombies too) */
	int live;				/* (g) threads not yet in do_exit's end */
	int nr_threads;				/* (g) threads on thread_head */
	struct list_head thread_head;		/* (g) every thread, by task->thread_node */
	kernel_sigset_t shared_pending;		/* (g) process-directed signals pending */
	struct ksiginfo shared_info[_NSIG];	/* (g) their siginfo, [sig - 1] */
	unsigned int flags;			/* (g) SIGNAL_GROUP_EXIT */
	int group_exit_code;			/* (g) the wait status when SIGNAL_GROUP_EXIT */
	struct task_struct *group_exec_task;	/* (g) the thread in execve's de_thread, or NULL */
	u64 it_real_expires_ns;			/* (g) ITIMER_REAL deadline, 0 = disarmed */
	u64 it_real_incr_ns;			/* (g) ITIMER_REAL period, 0 = one shot */
};

/* The working directory, shared by a CLONE_FS family (Linux's fs_struct). */
struct fs_struct {
	int users;				/* (k) tasks using it */
	struct inode *cwd;			/* (o) NULL: / (kernel/cwd.c) */
};

struct task_struct {
	int pid;				/* (c) the thread id (gettid) */
	int tgid;				/* (c) the thread group's id (getpid): its leader's pid */
	struct task_struct *group_leader;	/* (g) the first thread (execve's de_thread changes it) */
	struct list_head thread_node;		/* (g) link in signal->thread_head */
	struct signal_struct *signal;		/* (c) the thread group's */
	int __user *clear_child_tid;		/* (o) CLONE_CHILD_CLEARTID/set_tid_address: 0 and wake at exit */
	bool *vfork_done;			/* (k) CLONE_VFORK: the waiting parent's flag, set at exec or exit */
	void __user *robust_list;		/* (o) set_robust_list's head (kernel/futex_robust.c) */
	unsigned int flags;			/* (c) PF_* */
	char comm[TASK_COMM_LEN];		/* (o) program name, for messages */
	enum task_state state;			/* (r) */
	bool on_rq;				/* (r) runnable: queued or running (Linux's p->on_rq) */
	int on_cpu;				/* a CPU has its registers live (Linux's p->on_cpu) */
	unsigned int cpu;			/* (r) the CPU it runs on, or ran on last */
	unsigned long cpus_allowed;		/* (r) CPUs it may run on, a bit each (sched_setaffinity) */
	int lock_depth;				/* (o) big kernel lock nesting, -1: not held (smp_lock.h) */
	struct list_head run_list;		/* (r) link in the run queue, sleepers or dead_tasks */
	const void *wchan;			/* (r) what a sleeping task waits for */
	u64 wake_at_ns;				/* (r) timed sleep deadline, 0 = none */

	struct task_struct *parent;		/* (k) reparented to init on exit */
	struct list_head children;		/* (k) */
	struct list_head sibling;		/* (k) link in parent->children */
	int exit_status;			/* (k) wait4 status word (Linux encoding) */

	/* Signals (kernel/signal.h): sets have bit (sig - 1) for signal sig. */
	kernel_sigset_t sigpending;		/* (g) pending signals sent to this thread */
	kernel_sigset_t blocked;		/* (o) the signal mask; never SIGKILL, SIGSTOP */
	kernel_sigset_t saved_sigmask;		/* (o) rt_sigsuspend's mask to put back */
	bool restore_sigmask;			/* (o) saved_sigmask is valid */
	struct ksiginfo siginfo[_NSIG];		/* (g) of each of sigpending, [sig - 1] */
	struct sighand_struct *sighand;		/* (c) the handlers */
	unsigned long sas_ss_sp, sas_ss_size;	/* (o) sigaltstack: base, size (0: none) */
	unsigned int sas_ss_flags;		/* (o) its ss_flags as set (SS_AUTODISARM ...) */
	unsigned long sigpage;			/* (o) the mm's signal-return page (exec.c), 0: none */

	struct mm_struct *mm;			/* (o) NULL for the idle task */
	struct files_struct *files;		/* (o) */
	struct fs_struct *fs;			/* (c) working directory; NULL: / (kernel threads) */

	void *kstack;				/* (c) KSTACK_SIZE bytes */
	struct pt_regs *user_regs;		/* (c) user frame at the top of kstack */
	struct cpu_context ctx;			/* (o) callee-saved registers while switched out */
	struct thread_struct thread;		/* (o) arch per-task state (TLS base ...) */

	u64 start_time_ns;			/* (c) created at (ktime_get_ns): /proc/<pid>/stat starttime */
	u64 utime_ns, stime_ns;			/* (o) for getrusage */
	u64 minflt;				/* (o) page faults handled (ru_minflt) */
	u8 ft_outcome, ft_order;		/* (o) folio.trace: what its fault under way mapped (mm/foliotrace.h) */
	u64 cutime_ns, cstime_ns, cminflt;	/* (o) of reaped children (RUSAGE_CHILDREN) */
	struct rlimit rlim[RLIM_NLIMITS];	/* (o) resource limits (kernel/resource.c), kept by fork */
	struct list_head tasks;			/* (t) all tasks */
};

/* The task running on this CPU (kernel/smp.h: per-CPU; callers read and set it by name). */
#define current (this_cpu()->current_task)

/* current's soft limit of resource r (RLIMIT_*), as Linux's rlimit(); RLIM_INFINITY: none. */
static inline unsigned long rlimit(unsigned int r)
{
	return current->rlim[r].rlim_cur;
}
/* resource.c: give t the limits a new process starts with (Linux's INIT_RLIMITS). */
void rlimits_init(struct task_struct *t);

/* The set holding only signal sig. */
static inline kernel_sigset_t sigmask(int sig)
{
	return 1UL << (sig - 1);
}

/* Is a signal pending that t does not block (it ends a sleep, and acts before user mode)? */
static inline bool signal_pending(const struct task_struct *t)
{
	return ((t->sigpending | t->signal->shared_pending) & ~t->blocked) != 0;
}

/* Is t being killed (SIGKILL pending: it can be neither blocked nor handled; always in
 * the thread's own set, kernel/signal.c)? */
static inline bool fatal_signal_pending(const struct task_struct *t)
{
	return (t->sigpending & sigmask(SIGKILL)) != 0;
}
/* This CPU should switch tasks on its way out of the kernel (set by ticks and wakeups). */
#define need_resched (this_cpu()->need_resched_flag)
extern struct list_head task_list;		/* (t) all tasks, by creation */
extern spinlock_t tasklist_lock;		/* Linux's: see the legend (t) */

/* Pick the next runnable task and switch to it (current may be runnable or not). */
void schedule(void);
/* Called from the timer tick (user: it interrupted user mode): account time, wake
 * expired sleepers, request a reschedule. */
void scheduler_tick(bool user);
/* Make t runnable (queue it) if it sleeps; t->state must be neither ZOMBIE nor DEAD. */
void wake_up_task(struct task_struct *t);
/* t execs or exits: a CLONE_VFORK parent waiting for it goes on (Linux's complete_vfork_done).  BKL held. */
void vfork_release(struct task_struct *t);
/* Make t runnable if it is TASK_SLEEPING (sleep_on: a signal's wake-up); true if it was. */
bool wake_up_sleeper(struct task_struct *t);
/*
 * Sleep until wake_up(chan) (or deadline_ns when non-zero); returns 0, or -EINTR when a
 * signal is pending that current does not block (then it does not sleep at all).
 * Interrupts off, the big kernel lock held (what makes the caller's check and the sleep
 * one step for every waker that holds it too).
 */
int sleep_on(const void *chan, u64 deadline_ns);
/*
 * sleep_on for a condition protected by the spinlock lock instead of the BKL: called
 * with interrupts off and lock held (taken with interrupts already off), which is
 * released once current is asleep and held again on return.
 */
int sleep_on_locked(const void *chan, u64 deadline_ns, spinlock_t *lock);
/* Wake every task sleeping on chan. */
void wake_up(const void *chan);

/* The running or sleeping task pid, or NULL (a zombie too: see find_task_by_vpid). */
struct task_struct *find_task(int pid);
/* fork.c: the pid given last (pids are never reused: also how many tasks were ever made). */
int last_pid(void);
/* The task pid until its parent reaps it (zombies included, as Linux's; an exited
 * thread that is not a leader is gone at once), or NULL. */
struct task_struct *find_task_by_vpid(int pid);
/* Name t after the last component of path (at most TASK_COMM_LEN - 1 bytes). */
void set_task_comm(struct task_struct *t, const char *path);
/* fork.c: allocate / free / link a task (kernel stack, pid; not yet runnable). */
struct task_struct *task_alloc(const char *comm);
/*
 * Start a kernel thread (PF_KTHREAD) named comm running fn(), which never
 * returns, as a child of current (call from the boot context, so that init
 * never waits for it).  Returns it, or NULL when memory ran out.
 */
struct task_struct *kthread_run(void (*fn)(void), const char *comm);
void task_free(struct task_struct *t);
/*
 * do_exit's last state change, interrupts off, t == current: TASK_ZOMBIE (a group
 * leader, until its parent's wait4) or TASK_DEAD (another thread: freed once off
 * every CPU).
 */
void task_exit_state(struct task_struct *t, enum task_state state);
/*
 * Let t run only on the CPUs of mask (sched_setaffinity): -EINVAL when none of them is
 * online, else 0.  current moves to an allowed CPU before this returns; another task
 * running elsewhere moves at its next return to user mode.
 */
int set_cpus_allowed(struct task_struct *t, unsigned long mask);
/* An affinity mask as /proc prints it: Linux's %*pb (hex) or, list, %*pbl ("0-2,5"); snprintf's
 * return. */
int cpumask_print(char *buf, size_t len, unsigned long mask, bool list);
/* Wait until t (not current) is off every CPU: its registers saved (Linux's name). */
void wait_task_inactive(struct task_struct *t);
/* The CPU t runs on, or ran on last (getcpu, /proc/<pid>/stat "processor"). */
int task_cpu(const struct task_struct *t);
void task_link(struct task_struct *t, struct task_struct *parent);
/* Send signal sig (1.._NSIG) to t from the kernel (si_code SI_KERNEL; kernel/signal.h). */
int send_signal(struct task_struct *t, int sig);
/* Terminate current with a wait status word (exit code << 8, or the signal). */
__noreturn void do_exit(int status);
/* Terminate every thread of current's process with wait status status (exit_group, fatal signals). */
__noreturn void do_group_exit(int status);
/* The process id of t's parent process (getppid, /proc): 0 for init and the idle task. */
static inline int task_ppid_nr(const struct task_struct *t)
{
	const struct task_struct *p = t->group_leader->parent;

	return p && p != t ? p->tgid : 0;
}
/* Is t the first thread of its process (its pid is the tgid)? */
static inline bool thread_group_leader(const struct task_struct *t)
{
	return t->group_leader == t;
}
/* On the way back to user mode to the frame regs: reschedule, deliver signals. */
void exit_to_user_mode(struct pt_regs *regs);

void sched_init(void);
/* Give idle, the idle task of CPU cpu, its scheduler state (running there, never queued). */
void sched_init_idle(struct task_struct *idle, unsigned int cpu);
/* Every CPU's last act (the boot context, a secondary once online): run whatever is
 * runnable here, halting in between. */
__noreturn void cpu_idle(void);
/* The boot CPU's idle task, pid 0 (Linux's name). */
extern struct task_struct init_task;

#endif
