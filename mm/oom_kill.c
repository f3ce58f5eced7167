/*
 * oom_kill.c - the out-of-memory killer.
 *
 * When.  An allocation that may reclaim (__GFP_DIRECT_RECLAIM: a user
 * page of a fault) found free frames at the min watermark and reclaim
 * freed nothing (page_alloc.c's slow path): some process must go, or the
 * fault cannot be served.  Kernel allocations never get here: they do not
 * reclaim, and fail with -ENOMEM instead.
 *
 * Whom.  Linux's oom_badness without oom_score_adj: the user process with
 * the most resident pages plus page-table pages (ties: the younger one).
 * Kernel threads are never candidates, nor a process whose memory was
 * already reaped (MMF_OOM_SKIP).  init (pid 1) is spared while any other
 * candidate is left; when none is, the faulting task itself is killed,
 * which is init then (it powers the machine off, where Linux panics).
 *
 * How.  SIGKILL, Linux's report ("<comm> invoked oom-killer", the free
 * areas, the task table, "Out of memory: Killed process ..."), oom_kill in
 * /proc/vmstat.  The victim's memory must be free before the allocation
 * retries, and on one CPU the victim cannot run (and exit) first: so its
 * anonymous memory is taken at once, as Linux's oom_reaper does
 * asynchronously: every VMA zapped under its mmap_lock, the mm marked
 * MMF_OOM_SKIP.  A task that is not running holds no mmap_lock (the kernel
 * never sleeps with one), so the trylock succeeds; the victim exits on its
 * way back to user mode (its page tables and VMAs go then).  When current
 * is the victim there is nothing to reap first: the allocation fails and
 * current exits with SIGKILL.
 *
 * The walk over the task list and the victims' mms run under the big
 * kernel lock (kernel/smp_lock.h): the fault path that gets here holds
 * nothing else of the kernel's, and exit and fork change the list under it.
 */
#include "mm/oom.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/smp_lock.h"
#include "mm/page_alloc.h"
#include "mm/pgtable.h"
#include "mm/vma.h"
#include "mm/vmstat.h"

#define K(pages)	((pages) << (PAGE_SHIFT - 10))

/* Could killing p free memory?  A live user process whose memory was not reaped already. */
static bool oom_candidate(const struct task_struct *p)
{
	return p->mm && !(p->flags & PF_KTHREAD) && p->state != TASK_ZOMBIE &&
	       !(p->mm->flags & MMF_OOM_SKIP);
}

/* Resident pages (anon and shmem) plus page-table pages (Linux's oom_badness, no swap, no oom_score_adj). */
static unsigned long oom_badness(const struct task_struct *p)
{
	return get_mm_rss(p->mm) + mm_pgtables_bytes(p->mm) / PAGE_SIZE;
}

/* The candidate with the highest badness other than init, or NULL. */
static struct task_struct *select_bad_process(void)
{
	struct task_struct *chosen = NULL;
	unsigned long chosen_points = 0;
	struct list_head *pos;

	list_for_each(pos, &task_list) {
		struct task_struct *p = list_entry(pos, struct task_struct, tasks);
		unsigned long points;

		if (!oom_candidate(p) || p->tgid == 1)
			continue;	/* any thread of a process stands for it: its SIGKILL kills them all */
		points = oom_badness(p);
		if (!chosen || points >= chosen_points) {
			chosen = p;
			chosen_points = points;
		}
	}
	return chosen;
}

/* Linux's dump_header: who asked, the free areas, every candidate's memory. */
static void dump_header(gfp_t gfp, unsigned int order)
{
	struct list_head *pos;

	pr_warn("%s invoked oom-killer: gfp_mask=%#x, order=%u, oom_score_adj=0\n", current->comm,
		gfp, order);
	show_free_areas();
	pr_info("Tasks state (memory values in pages):\n");
	pr_info("[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name\n");
	list_for_each(pos, &task_list) {
		const struct task_struct *p = list_entry(pos, struct task_struct, tasks);

		if (!oom_candidate(p))
			continue;
		pr_info("[%7d] %5d %5d %8lu %8lu %8lu %8lu %9lu %8lu %8lu         %5d %s\n", p->pid, 0,
			p->tgid, mm_total_vm(p->mm), get_mm_rss(p->mm), get_mm_counter(p->mm, MM_ANONPAGES), 0UL,
			get_mm_counter(p->mm, MM_SHMEMPAGES),
			mm_pgtables_bytes(p->mm), 0UL, 0, p->comm);
	}
}

/*
 * Linux's oom_reaper, here and now: unmap every private page of the
 * victim's mm (shared VMAs are left: their pages stay in their shmem
 * objects, unmapping frees nothing).  false when its lock is held.
 */
static bool oom_reap_task_mm(struct task_struct *tsk, struct mm_struct *mm)
{
	struct list_head *pos;

	if (!mmap_write_trylock(mm))
		return false;
	list_for_each(pos, &mm->mmap) {
		struct vm_area_struct *vma = list_entry(pos, struct vm_area_struct, vm_list);

		if (!(vma->vm_flags & VM_SHARED))
			zap_page_range(vma, vma->vm_start, vma->vm_end);
	}
	mm->flags |= MMF_OOM_SKIP;
	mmap_write_unlock(mm);
	pr_info("oom_reaper: reaped process %d (%s), now anon-rss:%lukB, file-rss:0kB, shmem-rss:%lukB\n",
		tsk->pid, tsk->comm, K(get_mm_counter(mm, MM_ANONPAGES)), K(get_mm_counter(mm, MM_SHMEMPAGES)));
	return true;
}

/* SIGKILL and Linux's report line. */
static void oom_kill_process(struct task_struct *victim)
{
	struct mm_struct *mm = victim->mm;

	count_vm_event(OOM_KILL);
	send_signal(victim, SIGKILL);
	pr_err("Out of memory: Killed process %d (%s) total-vm:%lukB, anon-rss:%lukB, file-rss:0kB, "
	       "shmem-rss:%lukB, UID:0 pgtables:%lukB oom_score_adj:0\n", victim->pid, victim->comm,
	       K(mm_total_vm(mm)), K(get_mm_counter(mm, MM_ANONPAGES)), K(get_mm_counter(mm, MM_SHMEMPAGES)), mm_pgtables_bytes(mm) >> 10);
}

bool out_of_memory(gfp_t gfp, unsigned int order)
{
	struct task_struct *victim;
	bool reaped;

	if (fatal_signal_pending(current))
		return false;	/* dying already: failing lets it exit and free its memory */
	lock_kernel();
	victim = select_bad_process();
	if (!victim)
		victim = current;	/* init was the last candidate */
	dump_header(gfp, order);
	pr_err("oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,"
	       "global_oom,task_memcg=/,task=%s,pid=%d,uid=0\n", victim->comm, victim->pid);
	oom_kill_process(victim);
	reaped = victim != current && oom_reap_task_mm(victim, victim->mm);
	unlock_kernel();
	return reaped;
}
