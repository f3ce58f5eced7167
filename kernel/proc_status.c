/*
 * proc_status.c - /proc/self/status in Linux 6.12's format and order
 * (fs/proc/array.c proc_pid_status: task_state, task_mem, task_sig,
 * task_cap, task_seccomp, task_cpus_allowed), with the lines foliOS can
 * fill truthfully:
 *
 * - identity: Name, Umask (0022: foliOS has no umask call, every process
 *   has Linux's default), State, Tgid, Ngid, Pid, PPid, TracerPid, Uid, Gid
 *   (everything runs as root), FDSize (the descriptor table's 64), Groups
 *   (none), NStgid, NSpid, Kthread.  NSpgid and NSsid are left out: foliOS
 *   has no process groups or sessions to report.
 * - memory (task_mem, values in kB right-aligned in 8 columns): VmPeak (the
 *   peak of VmSize, Linux's hiwater_vm: kept since exec), VmSize, VmLck (the
 *   VM_LOCKED VMAs, mm_locked_vm), VmPin 0 (Linux's pinned_vm counts the
 *   long-term pins of drivers, RDMA and io_uring; the only pins foliOS takes
 *   are vmsplice's FOLL_PIN, which Linux does not count there), VmHWM (the peak
 *   of VmRSS, Linux's hiwater_rss: reset by clear_refs 5 on Linux, here
 *   kept since exec), VmRSS = RssAnon + RssShmem (shmem pages mapped: mm/shmem.c),
 *   RssFile 0 (no page cache), VmData / VmStk / VmExe as Linux classifies VMAs
 *   (is_data_mapping, is_stack_mapping, is_exec_mapping; static programs
 *   have no libraries: VmLib 0), VmPTE (page-table bytes), VmSwap 0,
 *   HugetlbPages 0, CoreDumping 0, THP_enabled 1, untag_mask (no tagging).
 * - signals: Threads 1, SigQ (pending signals / the _NSIG foliOS can hold),
 *   SigPnd (foliOS has one pending set per process: ShdPnd reads 0),
 *   SigBlk, SigIgn, SigCgt as 16 hex digits, bit sig-1 for signal sig.
 * - CapInh..CapAmb (root: every capability of Linux 6.12, CAP_LAST_CAP 40),
 *   NoNewPrivs, Seccomp, Seccomp_filters 0, Cpus_allowed(_list) (its affinity mask).
 */
#include "kernel/fs.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "mm/mlock.h"
#include "mm/mm.h"
#include "mm/pgtable.h"
#include "mm/vma.h"

#define CAP_FULL_SET	((1ULL << 41) - 1)	/* CAP_LAST_CAP 40 */

/* The output being built: snprintf-style, n may run past len (pseudofs then offers more). */
struct status_out {
	char *buf;
	size_t len, n;
};

static void __printf(2, 3) status_printf(struct status_out *out, const char *fmt, ...)
{
	size_t at = min(out->n, out->len);
	va_list ap;

	va_start(ap, fmt);
	out->n += (size_t)vsnprintf(out->buf + at, out->len - at, fmt, ap);
	va_end(ap);
}

const char *task_state_name(const struct task_struct *t)
{
	switch (t->state) {
	case TASK_RUNNING:
		return "R (running)";
	case TASK_SLEEPING:
		return "S (sleeping)";
	case TASK_DEAD:
		return "X (dead)";
	case TASK_UNINTERRUPTIBLE:
		return "D (disk sleep)";
	default:
		return "Z (zombie)";
	}
}

/* Linux's task_state. */
static void status_task_state(struct status_out *out, const struct task_struct *t)
{
	int ppid = task_ppid_nr(t);

	status_printf(out, "Name:\t%s\nUmask:\t0022\nState:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\n"
		      "PPid:\t%d\nTracerPid:\t0\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nFDSize:\t%d\n"
		      "Groups:\t \nNStgid:\t%d\nNSpid:\t%d\nKthread:\t%d\n",
		      t->comm, task_state_name(t), t->tgid, t->pid, ppid, NR_OPEN_DEFAULT, t->tgid,
		      t->pid, (t->flags & PF_KTHREAD) ? 1 : 0);
}

/* Pages of mm's VMAs whose flags masked with mask equal want (Linux's is_*_mapping). */
static unsigned long vm_pages_where(const struct mm_struct *mm, unsigned long mask,
				    unsigned long want)
{
	unsigned long pages = 0;
	struct list_head *pos;

	list_for_each(pos, &mm->mmap) {
		const struct vm_area_struct *vma = list_entry(pos, struct vm_area_struct, vm_list);

		if ((vma->vm_flags & mask) == want)
			pages += (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
	}
	return pages;
}

/* Linux's task_mem (and the mm lines after it).  mmap_lock held. */
static void status_task_mem(struct status_out *out, const struct mm_struct *mm)
{
	const unsigned long kb = PAGE_SIZE >> 10, total = mm_total_vm(mm);
	const struct { const char *name; unsigned long kb; } lines[] = {
		{ "VmPeak", get_mm_hiwater_vm(mm) * kb },
		{ "VmSize", total * kb },
		{ "VmLck", mm_locked_vm(mm) * kb },
		{ "VmPin", 0 },
		{ "VmHWM", get_mm_hiwater_rss(mm) * kb },
		{ "VmRSS", get_mm_rss(mm) * kb },
		{ "RssAnon", get_mm_counter(mm, MM_ANONPAGES) * kb },
		{ "RssFile", 0 },
		{ "RssShmem", get_mm_counter(mm, MM_SHMEMPAGES) * kb },
		{ "VmData", vm_pages_where(mm, VM_WRITE | VM_SHARED | VM_GROWSDOWN, VM_WRITE) * kb },
		{ "VmStk", vm_pages_where(mm, VM_GROWSDOWN, VM_GROWSDOWN) * kb },
		{ "VmExe", vm_pages_where(mm, VM_EXEC | VM_WRITE | VM_GROWSDOWN, VM_EXEC) * kb },
		{ "VmLib", 0 },
		{ "VmPTE", mm_pgtables_bytes(mm) >> 10 },
		{ "VmSwap", 0 },
		{ "HugetlbPages", 0 },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(lines); i++)
		status_printf(out, "%s:\t%8lu kB\n", lines[i].name, lines[i].kb);
	status_printf(out, "CoreDumping:\t0\nTHP_enabled:\t1\nuntag_mask:\t%#lx\n", ~0UL);
}

void task_sigign_sigcatch(const struct task_struct *t, u64 *ign, u64 *catch)
{
	*ign = *catch = 0;
	for (int sig = 1; sig <= _NSIG; sig++) {
		void (*handler)(int) = t->sighand->action[sig - 1].sa_handler;

		if (handler == SIG_IGN)
			*ign |= sigmask(sig);
		else if (handler != SIG_DFL)
			*catch |= sigmask(sig);
	}
}

/* Signals pending in t and its process (one instance each: foliOS queues no signal twice). */
static int task_sigq(const struct task_struct *t)
{
	int n = 0;

	for (kernel_sigset_t set = t->sigpending; set; set &= set - 1)
		n++;
	for (kernel_sigset_t set = t->signal->shared_pending; set; set &= set - 1)
		n++;
	return n;
}

/* Linux's task_sig, task_cap, task_seccomp, task_cpus_allowed. */
static void status_task_sig_rest(struct status_out *out, const struct task_struct *t)
{
	unsigned long cpus = READ_ONCE(t->cpus_allowed);
	char mask[24], list[24];
	u64 ign, catch;

	cpumask_print(mask, sizeof(mask), cpus, false);
	cpumask_print(list, sizeof(list), cpus, true);
	task_sigign_sigcatch(t, &ign, &catch);
	status_printf(out, "Threads:\t%d\nSigQ:\t%d/%d\nSigPnd:\t%016llx\nShdPnd:\t%016llx\n"
		      "SigBlk:\t%016llx\nSigIgn:\t%016llx\nSigCgt:\t%016llx\n",
		      t->signal->nr_threads, task_sigq(t), _NSIG, (u64)t->sigpending,
		      (u64)t->signal->shared_pending, (u64)t->blocked, ign, catch);
	status_printf(out, "CapInh:\t%016llx\nCapPrm:\t%016llx\nCapEff:\t%016llx\nCapBnd:\t%016llx\n"
		      "CapAmb:\t%016llx\nNoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n"
		      "Cpus_allowed:\t%s\nCpus_allowed_list:\t%s\n",
		      0ULL, CAP_FULL_SET, CAP_FULL_SET, CAP_FULL_SET, 0ULL, mask, list);
}

/* The status file of task t into buf (len bytes); its length snprintf-style. */
long proc_pid_status(struct task_struct *t, char *buf, size_t len)
{
	struct status_out out = { .buf = buf, .len = len };
	struct mm_struct *mm = t->mm;

	status_task_state(&out, t);
	if (mm) {
		mmap_write_lock(mm);
		status_task_mem(&out, mm);
		mmap_write_unlock(mm);
	}
	status_task_sig_rest(&out, t);
	return (long)out.n;
}

void proc_status_register(void)
{
	proc_pid_file_register("status", proc_pid_status, NULL);
}
