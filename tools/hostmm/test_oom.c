/*
 * test_oom.c - the OOM killer (mm/oom_kill.c) through the allocator's slow
 * path: the largest process other than init is killed and its memory
 * reaped at once, so the faulting allocation succeeds; init is spared
 * until it is the last candidate; the faulting task itself is killed when
 * it is the largest; a task already dying is not made to kill anyone.
 * Tasks are fake task_structs on the host's task_list, each with an mm.
 */
#include "tools/hostmm/hostmm_vm.h"
#include <uapi/signal.h>

#define SIGKILL_PENDING(t)	((t)->sigpending & (1U << (SIGKILL - 1)))

/* A task on task_list with a fresh mm whose RW VMA at VM_BASE has `len` bytes written. */
static struct mm_struct *task_with_memory(struct task_struct *t, int pid, const char *comm,
					  unsigned long len)
{
	struct mm_struct *mm = vm_mm_new();

	*t = (struct task_struct){ .pid = pid, .tgid = pid, .state = TASK_RUNNING, .mm = mm };
	memcpy(t->rlim, current->rlim, sizeof(t->rlim));
	strcpy(t->comm, comm);
	list_add_tail(&t->tasks, &task_list);
	current = t;
	if (vm_map_rw(VM_BASE, K(2048)) != (long)VM_BASE)
		return NULL;
	for (unsigned long off = 0; off < len; off += PAGE_SIZE)
		if (vm_user_write(mm, VM_BASE + off, 1) != VM_FAULT_OK)
			return NULL;
	return mm;
}

/* Leave exactly the min watermark free: the next user page needs reclaim or the OOM killer. */
static void fill_to_min(void)
{
	drain_leaving(min_wmark_pages(&zone_normal));
}

static bool test_oom_kills_largest_and_reaps(void)
{
	static struct task_struct hog, faulter;
	struct mm_struct *hog_mm, *mm;

	vm_setup();
	vm_policy_only(4);
	hog_mm = task_with_memory(&hog, 10, "hog", K(2048));
	mm = task_with_memory(&faulter, 20, "faulter", K(64));
	ASSERT_TRUE(hog_mm && mm);
	fill_to_min();
	ASSERT_EQ(vm_user_write(mm, VM_BASE + K(64), 2), VM_FAULT_OK);
	ASSERT_TRUE(SIGKILL_PENDING(&hog));
	ASSERT_FALSE(SIGKILL_PENDING(&faulter));
	ASSERT_EQ(sum_vm_event(OOM_KILL), 1);
	ASSERT_EQ(sum_vm_event(ALLOCSTALL_NORMAL), 1);
	ASSERT_EQ(get_mm_counter(hog_mm, MM_ANONPAGES), 0);
	ASSERT_TRUE(hog_mm->flags & MMF_OOM_SKIP);
	ASSERT_TRUE(pte_none(vm_pte(hog_mm, VM_BASE)));
	ASSERT_TRUE(hostmm_log_contains("faulter invoked oom-killer: gfp_mask=0x1e00, order=0, oom_score_adj=0"));
	ASSERT_TRUE(hostmm_log_contains("[     10]     0    10      512      512      512        0         0    12288        0             0 hog"));
	ASSERT_TRUE(hostmm_log_contains("oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=hog,pid=10,uid=0"));
	ASSERT_TRUE(hostmm_log_contains("Out of memory: Killed process 10 (hog) total-vm:2048kB, anon-rss:2048kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:12kB oom_score_adj:0"));
	ASSERT_TRUE(hostmm_log_contains("oom_reaper: reaped process 10 (hog), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB"));
	/* The reaped hog is no victim again: the next OOM takes the faulter, itself. */
	undrain_all();
	drain_all();
	ASSERT_EQ(vm_user_write(mm, VM_BASE + K(128), 3), VM_FAULT_OOM);
	ASSERT_TRUE(SIGKILL_PENDING(&faulter));
	ASSERT_EQ(sum_vm_event(OOM_KILL), 2);
	undrain_all();
	vm_mm_put(hog_mm);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* init is spared while another candidate is left, even a smaller one; then the faulting init goes. */
static bool test_oom_spares_init(void)
{
	static struct task_struct small;
	struct task_struct *init;
	struct mm_struct *init_mm, *small_mm;

	vm_setup();
	init = current;
	vm_policy_only(4);
	init_mm = vm_mm_new();
	init->mm = init_mm;
	ASSERT_EQ(vm_map_rw(VM_BASE, K(2048)), VM_BASE);
	for (unsigned long off = 0; off < K(1024); off += PAGE_SIZE)
		ASSERT_EQ(vm_user_write(init_mm, VM_BASE + off, 1), VM_FAULT_OK);
	small_mm = task_with_memory(&small, 7, "small", K(64));
	ASSERT_TRUE(small_mm != NULL);
	current = init;
	fill_to_min();
	ASSERT_EQ(vm_user_write(init_mm, VM_BASE + K(1024), 2), VM_FAULT_OK);
	ASSERT_TRUE(SIGKILL_PENDING(&small));
	ASSERT_FALSE(SIGKILL_PENDING(init));
	undrain_all();
	drain_all();
	ASSERT_EQ(vm_user_write(init_mm, VM_BASE + K(1088), 3), VM_FAULT_OOM);
	ASSERT_TRUE(SIGKILL_PENDING(init));
	ASSERT_TRUE(hostmm_log_contains("Out of memory: Killed process 1 (hostmm)"));
	ASSERT_EQ(sum_vm_event(OOM_KILL), 2);
	undrain_all();
	init->mm = NULL;
	vm_mm_put(small_mm);
	vm_mm_put(init_mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* A task with SIGKILL pending kills no one: its allocation fails and it exits. */
static bool test_oom_dying_task_fails_fast(void)
{
	static struct task_struct hog, dying;
	struct mm_struct *hog_mm, *mm;

	vm_setup();
	vm_policy_only(0);
	hog_mm = task_with_memory(&hog, 10, "hog", K(256));
	mm = task_with_memory(&dying, 11, "dying", K(4));
	ASSERT_TRUE(hog_mm && mm);
	send_signal(&dying, SIGKILL);
	fill_to_min();
	ASSERT_EQ(vm_user_write(mm, VM_BASE + K(4), 2), VM_FAULT_OOM);
	ASSERT_FALSE(SIGKILL_PENDING(&hog));
	ASSERT_EQ(sum_vm_event(OOM_KILL), 0);
	ASSERT_FALSE(hostmm_log_contains("invoked oom-killer"));
	undrain_all();
	vm_mm_put(hog_mm);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

const struct hostmm_test oom_tests[] = {
	HOSTMM_TEST(test_oom_kills_largest_and_reaps),
	HOSTMM_TEST(test_oom_spares_init),
	HOSTMM_TEST(test_oom_dying_task_fails_fast),
	{ NULL, NULL },
};
