/*
 * host_vm.c - the kernel services the virtual-memory half of mm/ (vma.c,
 * mmap.c, fault.c, memory.c, madvise.c, rmap.c, pgtable_user.c) calls, on
 * the host.
 * Test binary only (host.c is what the bench shares).  Each stand-in is the
 * smallest thing that behaves like the kernel's for mm/'s purposes.
 */
#include <stdlib.h>
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/slab.h"
#include "kernel/vfs.h"
#include "tools/hostmm/hostmm_vm.h"

/* The user space (asm/uaccess.h, asm/pgtable.h); vm_setup starts each test in x86_64's. */
unsigned long hostmm_task_size = 0x00007ffffffff000UL;
int hostmm_user_pgd_entries = 256;
static unsigned long user_mmap_base = VM_MMAP_BASE;

void hostmm_set_user_space(enum hostmm_user_space space)
{
	static const struct {
		unsigned long task_size, mmap_base;
		int pgd_entries;
	} spaces[] = {
		[HOSTMM_USER_X86_64] = { 0x00007ffffffff000UL, VM_MMAP_BASE, 256 },
		[HOSTMM_USER_ARM64] = { 0x0001000000000000UL, 0xff0000000000UL, 512 },
	};

	hostmm_task_size = spaces[space].task_size;
	user_mmap_base = spaces[space].mmap_base;
	hostmm_user_pgd_entries = spaces[space].pgd_entries;
}

unsigned long hostmm_user_mmap_base(void)
{
	return user_mmap_base;
}

/* Allocations left before the injected failure (0: none armed). */
static unsigned long fail_countdown;

void hostmm_fail_alloc(unsigned long n)
{
	fail_countdown = n;
}

bool hostmm_fail_alloc_pending(void)
{
	return fail_countdown != 0;
}

bool hostmm_alloc_should_fail(void)
{
	return fail_countdown && --fail_countdown == 0;
}

/*
 * kernel/slab.c: the heap is libc's, so ASan sees overflows, use-after-free
 * and leaks; each call counts towards an injected failure, and the objects
 * alive are counted (hostmm_kmalloc_live) for exact leak checks.
 */
long hostmm_kmalloc_live;

/* The object, counted live; NULL (and nothing counted) when p is NULL. */
static void *count_live(void *p)
{
	hostmm_kmalloc_live += p != NULL;
	return p;
}

void *kmalloc(size_t size)
{
	return size && !hostmm_alloc_should_fail() ? count_live(malloc(size)) : NULL;
}

void *kzalloc(size_t size)
{
	return size && !hostmm_alloc_should_fail() ? count_live(calloc(1, size)) : NULL;
}

void kfree(const void *p)
{
	hostmm_kmalloc_live -= p != NULL;
	free((void *)p);
}

/*
 * kernel/sched.c: one task.  Its mm is whatever the test sets; its file
 * table is empty (zeroed), so mmap's "is fd open" check sees every fd closed.
 */
static struct files_struct host_files;
static struct task_struct host_task = {
	.pid = 1, .tgid = 1, .comm = "hostmm", .files = &host_files, .lock_depth = -1,
	.rlim = { [0 ... RLIM_NLIMITS - 1] = { RLIM_INFINITY, RLIM_INFINITY } },
};
/* One CPU (asm/percpu.h): its current is what the tests set. */
struct cpu_info host_cpu_info = { .current_task = &host_task };
/* kernel/smp.c's counts: the one CPU (a test may set num_online_cpus to pretend more). */
unsigned int nr_cpu_ids = 1, num_online_cpus = 1;
/* Every task: host_task, and whatever the OOM tests add (hostmm_tasks_reset puts it back). */
LIST_HEAD(task_list);

void hostmm_tasks_reset(void)
{
	current = &host_task;
	INIT_LIST_HEAD(&task_list);
	list_add_tail(&host_task.tasks, &task_list);
	host_task.sigpending = 0;
	host_task.lock_depth = -1;
}

/* kernel/signal.c: pending until the test looks (nothing runs on the host to act on it). */
int send_signal(struct task_struct *t, int sig)
{
	t->sigpending |= sigmask(sig);
	return 0;
}

/*
 * kernel/sched.c, fork.c: no other tasks run on the host, so kswapd is never
 * started (tests call its work, balance_pgdat, themselves), nothing sleeps
 * and a wake-up finds no one.
 */
struct task_struct *kthread_run(void (*fn)(void), const char *comm)
{
	(void)fn;
	(void)comm;
	return NULL;
}

int sleep_on(const void *chan, u64 deadline_ns)
{
	(void)chan;
	(void)deadline_ns;
	panic("sleep_on: nothing sleeps on the host");
}

int sleep_on_locked(const void *chan, u64 deadline_ns, spinlock_t *lock)
{
	(void)lock;
	return sleep_on(chan, deadline_ns);
}

void wake_up(const void *chan)
{
	(void)chan;
}

/*
 * kernel/sched.c's schedule() and wake_up_task() for the rwsem tests' simulated
 * scheduler: a task that blocks runs hostmm_schedule_hook (the other tasks'
 * next steps, which may wake it); with no hook, or still blocked after it,
 * nothing could ever wake it.
 */
void (*hostmm_schedule_hook)(void);
void (*hostmm_yield_hook)(void);

void schedule(void)
{
	if (current->state == TASK_RUNNING && hostmm_yield_hook)
		hostmm_yield_hook();
	if (current->state != TASK_RUNNING && hostmm_schedule_hook)
		hostmm_schedule_hook();
	if (current->state != TASK_RUNNING)
		panic("schedule: pid %d would sleep forever on the host", current->pid);
}

void wake_up_task(struct task_struct *t)
{
	t->state = TASK_RUNNING;
}

/*
 * kernel/signal.c: a fatal signal terminates current; here it panics with
 * the signal and the cause, so a test catches it with ASSERT_PANICS.
 */
void force_fatal_signal(struct pt_regs *regs, int sig, unsigned long addr, const char *cause)
{
	(void)regs;
	panic("force_fatal_signal: signal %d at %#lx: %s", sig, addr, cause);
}

/* SIGBUS past the end of a shmem object: the host has no signals, a panic the tests can expect. */
void force_sig_fault(struct pt_regs *regs, int sig, int code, unsigned long addr, const char *cause)
{
	(void)regs;
	panic("force_sig_fault: signal %d code %d at %#lx: %s", sig, code, addr, cause);
}

struct host_tlb host_tlb;

void flush_tlb_mm_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	(void)mm;
	host_tlb.flushes++;
	host_tlb.start = start;
	host_tlb.end = end;
	host_tlb.free_pages_at_flush = nr_free_pages();
}

/* kernel/sched.c: one CPU, and the host's switch_mm holds no reference: nothing lazy. */
void cleanup_lazy_tlbs(struct mm_struct *mm)
{
	(void)mm;
}

/* kernel/smp.c: one CPU, no cross-CPU calls to answer. */
void smp_call_poll(void)
{
}

/* kernel/smp.c: one CPU, nobody to stop it. */
void smp_stop_poll(void)
{
}

/* The mm whose tables are "loaded" (the host's TLB flushes are no-ops and never look). */
static struct mm_struct *loaded_mm;

struct mm_struct *active_mm(void)
{
	return loaded_mm;
}

void switch_mm(struct mm_struct *mm)
{
	loaded_mm = mm;
}

/* arch setup.c: the root with no user mappings; kernel_pgd serves (its user half is empty). */
phys_addr_t empty_user_pgd(void)
{
	return kernel_pgd;
}

/*
 * kernel/pseudofs.c: record each registration (a later one for the same
 * path replaces it: thp_sysfs_init runs once per test); tests call the
 * callbacks through hostmm_pseudo_file().
 */
#define HOST_PSEUDO_FILES 128
static struct host_pseudo_file host_pseudo[HOST_PSEUDO_FILES];

/* The registry slot for path: its old one, or a free one. */
static struct host_pseudo_file *host_pseudo_slot(const char *path)
{
	unsigned int i;

	for (i = 0; i < HOST_PSEUDO_FILES && host_pseudo[i].path; i++)
		if (!strcmp(host_pseudo[i].path, path))
			break;
	if (i == HOST_PSEUDO_FILES)
		panic("pseudo_file_register: host registry full at %s", path);
	return &host_pseudo[i];
}

/*
 * Paths built in a stack buffer (the table-registered ones, the per-size
 * files) are kept as a copy, made once per slot; the per-size read-only
 * files (stats/) are left out (the registry is small).
 */
void pseudo_file_register_data(const char *path, long (*show)(void *data, char *buf, size_t len),
			       long (*store)(void *data, const char *buf, size_t len), void *data)
{
	struct host_pseudo_file *f;

	if (strstr(path, "/hugepages-") && !store)
		return;
	f = host_pseudo_slot(path);
	*f = (struct host_pseudo_file){ .path = f->path ? f->path : strdup(path), .show_data = show,
					.store_data = store, .data = data };
}

void pseudo_file_register(const char *path, long (*show)(char *buf, size_t len),
			  long (*store)(const char *buf, size_t len))
{
	struct host_pseudo_file *f = host_pseudo_slot(path);

	*f = (struct host_pseudo_file){ .path = path, .show = show, .store = store };
}

const struct host_pseudo_file *hostmm_pseudo_file(const char *path)
{
	for (unsigned int i = 0; i < HOST_PSEUDO_FILES && host_pseudo[i].path; i++)
		if (!strcmp(host_pseudo[i].path, path))
			return &host_pseudo[i];
	return NULL;
}
