/*
 * foliotrace.c - the recorder of anonymous-memory traces (folio.trace=on).
 *
 * What a policy lab needs to replay a run under another order policy: every
 * call that shapes an address space (mmap, munmap, mprotect, madvise,
 * mremap, brk, fork, exit, execve and the VMAs execve builds), every fault
 * with its access and what the kernel mapped for it (the faithfulness check
 * compares a replay's orders with these), every page the reserve policy
 * mapped from a reservation, every folio split, and every write to a
 * /sys/kernel/mm/ file (a replay redoes it at the same point).  The
 * records are <uapi/foliotrace.h>'s; docs/policylab.md explains them.
 *
 * Records are built on the stack and copied into one buffer under
 * ft_lock, each stamped (ts_ns) as it goes in, so a trace from several CPUs
 * is one sequence in time order.  When the next record does not fit, the
 * recording task drains the buffer to the trace port (arch_trace_write:
 * COM2 on x86_64, semihosting on arm64) and waits until the port took it,
 * so nothing is ever dropped (ft_end.dropped stays 0).  foliotrace_finish(), on the way to power-off, writes FT_END and
 * drains the rest.  ft_lock is a leaf: taken under any mm lock, nothing
 * taken inside it (the port is polled).
 *
 * Off, nothing here runs: every hook tests foliotrace_on() first.
 */
#include "kernel/arch.h"
#include "kernel/cmdline.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "mm/anon_order.h"
#include "mm/debug_vm.h"
#include "mm/foliotrace.h"
#include "mm/thp_sysfs.h"
#include "mm/vma.h"
#include <asm/page.h>
#include <uapi/errno.h>
#include <uapi/mman.h>

bool foliotrace_enabled;

#define FT_BUF_SIZE	16384
#ifdef __aarch64__
#define FT_ARCH_THIS	FT_ARCH_ARM64
#else
#define FT_ARCH_THIS	FT_ARCH_X86_64
#endif

static spinlock_t ft_lock = SPINLOCK_INIT("foliotrace_lock");
static u8 ft_buf[FT_BUF_SIZE] __aligned(8);
static size_t ft_used;
static u64 ft_events;
static u64 ft_last_ns;		/* (ft_lock) the latest ts_ns recorded */
static bool ft_recording;	/* (ft_lock) between start and finish */

BUILD_BUG_ON(sizeof(struct foliotrace_header) != FT_HEADER_FIXED);
BUILD_BUG_ON(sizeof(struct ft_hdr) != 16 || sizeof(struct ft_fault) != 32);
BUILD_BUG_ON(sizeof(struct ft_mmap) % 8 || sizeof(struct ft_range) % 8 ||
	     sizeof(struct ft_mremap) % 8 || sizeof(struct ft_vma) % 8);
BUILD_BUG_ON(sizeof(struct ft_fill) != 32 || sizeof(struct ft_knob) != FT_REC_MAX - FT_KNOB_TEXT_MAX);
/* The header's knob modes are enum thp_mode's values. */
BUILD_BUG_ON(THP_NEVER != FT_THP_NEVER || THP_ALWAYS != FT_THP_ALWAYS || THP_MADVISE != FT_THP_MADVISE ||
	     THP_INHERIT != FT_THP_INHERIT);

static int trace_setup(const char *value)
{
	if (!value)
		return -EINVAL;
	if (!strcmp(value, "on"))
		foliotrace_enabled = true;
	else if (!strcmp(value, "off"))
		foliotrace_enabled = false;
	else
		return -EINVAL;
	return 0;
}
__setup("folio.trace", trace_setup);

static void ft_drain(void)
{
	assert_spin_locked(&ft_lock);
	if (ft_used)
		arch_trace_write(ft_buf, ft_used);
	ft_used = 0;
}

/* Append len bytes (a multiple of 8); drain first when they do not fit. */
static void ft_put(const void *rec, size_t len)
{
	VM_BUG_ON(len % 8 || len > FT_BUF_SIZE);
	if (ft_used + len > FT_BUF_SIZE)
		ft_drain();
	memcpy(ft_buf + ft_used, rec, len);
	ft_used += len;
}

/* Fill h for a record of type and size len from the current task (ts_ns: ft_stamp). */
static void ft_hdr_init(struct ft_hdr *h, enum ft_type type, size_t len, int pid)
{
	VM_BUG_ON(len > FT_REC_MAX || len % 8);
	*h = (struct ft_hdr){ .type = (u8)type, .len = (u8)len, .pid = (u32)pid };
}

/*
 * Stamp h with the time it goes into the buffer, under ft_lock: records
 * from several CPUs enter in lock order, so their ts_ns never decrease
 * along the trace (a CPU whose clock reads behind the last stamp gets the
 * last stamp).
 */
static void ft_stamp(struct ft_hdr *h)
{
	u64 now = arch_clock_ns();

	assert_spin_locked(&ft_lock);
	ft_last_ns = max(now, ft_last_ns);
	h->ts_ns = ft_last_ns;
}

/* Record rec (starting with its ft_hdr, len already set): one event. */
static void ft_emit(void *rec)
{
	struct ft_hdr *h = rec;

	spin_lock(&ft_lock);
	if (ft_recording) {
		ft_stamp(h);
		ft_put(rec, h->len);
		ft_events++;
	}
	spin_unlock(&ft_lock);
}

/* The calling process: its thread group's id (a thread's records are its process's, as fork's and exit's). */
static int cur_pid(void)
{
	return current ? current->tgid : 0;
}

/*
 * The process whose address space mm is: what fork or execve recorded for it
 * (fork writes CLONE_CHILD_SETTID into the child's mm as the parent), else
 * the current task (the loader's faults before execve records the new mm).
 */
static int mm_pid(const struct mm_struct *mm)
{
	return mm->ft_pid ? mm->ft_pid : cur_pid();
}

void foliotrace_start(const char *cmdline)
{
	struct foliotrace_header hdr = {
		.version = FT_VERSION,
		.arch = FT_ARCH_THIS,
		.page_shift = PAGE_SHIFT,
		.mode = anon_order_max_enabled() ? FT_MODE_LARGE : FT_MODE_ORDER0,
		.allow_order1 = anon_order_config.allow_order1,
		.thp_top = (u8)anon_order_config.top,
		.start_ns = arch_clock_ns(),
	};
	size_t clen = strnlen(cmdline, FT_CMDLINE_MAX - 1);
	u8 tail[FT_CMDLINE_MAX + 8] __aligned(8) = { 0 };

	if (!foliotrace_on())
		return;
	if (!arch_trace_init()) {
		pr_warn("folio.trace: no trace port on this machine: not recording\n");
		foliotrace_enabled = false;
		return;
	}
	memcpy(hdr.magic, FT_MAGIC, sizeof(hdr.magic));
	for (unsigned int k = MTHP_MIN_ORDER; k <= MTHP_MAX_ORDER; k++)
		hdr.thp_mode[k] = (u8)anon_order_config.size[k];
	memcpy(hdr.policy, anon_policy_current()->name,
	       strnlen(anon_policy_current()->name, sizeof(hdr.policy) - 1));
	memcpy(tail, cmdline, clen);
	hdr.header_len = (u16)(sizeof(hdr) + ALIGN(clen + 1, 8));
	spin_lock(&ft_lock);
	VM_BUG_ON(ft_recording);	/* once per recording */
	ft_events = 0;
	ft_put(&hdr, sizeof(hdr));
	ft_put(tail, hdr.header_len - sizeof(hdr));
	ft_recording = true;
	spin_unlock(&ft_lock);
	pr_info("folio.trace: recording (%s)\n", hdr.mode == FT_MODE_ORDER0 ? "order-0 mode" : "large mode");
}

void foliotrace_finish(void)
{
	struct ft_end end;

	if (!foliotrace_on())
		return;
	ft_hdr_init(&end.h, FT_END, sizeof(end), 0);
	spin_lock(&ft_lock);
	if (ft_recording) {
		ft_stamp(&end.h);
		end.events = ft_events;
		end.dropped = 0;
		ft_put(&end, sizeof(end));
		ft_drain();
		ft_recording = false;
	}
	spin_unlock(&ft_lock);
}

/* ---- faults ---- */

void foliotrace_fault_begin(void)
{
	current->ft_outcome = FT_OUT_NONE;
	current->ft_order = FT_ORDER_NONE;
}

void foliotrace_note(unsigned int outcome, unsigned int order)
{
	current->ft_outcome = (u8)outcome;
	current->ft_order = (u8)order;
}

void foliotrace_fault(struct mm_struct *mm, unsigned long addr, unsigned int fault_flags, int ret)
{
	struct ft_fault f = { .addr = addr, .order = current->ft_order };
	unsigned int acc = (fault_flags & FAULT_FLAG_WRITE) ? FT_ACC_WRITE :
			   (fault_flags & FAULT_FLAG_INSTRUCTION) ? FT_ACC_EXEC : FT_ACC_READ;
	unsigned int out = ret == VM_FAULT_OK ? current->ft_outcome : FT_OUT_FAILED;

	ft_hdr_init(&f.h, FT_FAULT, sizeof(f), mm_pid(mm));
	f.h.flags = (u16)(acc | (out << FT_OUT_SHIFT) |
			  ((fault_flags & FAULT_FLAG_USER) ? FT_FAULT_USER : 0) |
			  ((fault_flags & FAULT_FLAG_UNSHARE) ? FT_FAULT_UNSHARE : 0));
	ft_emit(&f);
}

/* ---- system calls and processes ---- */

void foliotrace_mmap(unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags,
		     long fd, unsigned long off, long ret)
{
	struct ft_mmap r = { .addr = addr, .len = len, .prot = (u32)prot, .flags = (u32)flags,
			     .fd = (s32)fd, .off = off, .ret = ret };

	ft_hdr_init(&r.h, FT_MMAP, sizeof(r), cur_pid());
	ft_emit(&r);
}

void foliotrace_range(enum ft_type type, unsigned long addr, unsigned long len, unsigned long arg,
		      long ret)
{
	struct ft_range r = { .addr = addr, .len = len, .arg = arg, .ret = ret };

	VM_BUG_ON(type != FT_MUNMAP && type != FT_MPROTECT && type != FT_MADVISE);
	ft_hdr_init(&r.h, type, sizeof(r), cur_pid());
	ft_emit(&r);
}

void foliotrace_mremap(unsigned long old_addr, unsigned long old_len, unsigned long new_len,
		       unsigned long flags, unsigned long new_addr, long ret)
{
	struct ft_mremap r = { .old_addr = old_addr, .old_len = old_len, .new_len = new_len,
			       .flags = flags, .new_addr = new_addr, .ret = ret };

	ft_hdr_init(&r.h, FT_MREMAP, sizeof(r), cur_pid());
	ft_emit(&r);
}

void foliotrace_brk(unsigned long brk, unsigned long ret)
{
	struct ft_brk r = { .brk = brk, .ret = (s64)ret };

	ft_hdr_init(&r.h, FT_BRK, sizeof(r), cur_pid());
	ft_emit(&r);
}

void foliotrace_fork(int parent, int child, unsigned long clone_flags, struct mm_struct *child_mm)
{
	struct ft_fork r = { .child = (u32)child, .clone_flags = (u32)clone_flags };

	child_mm->ft_pid = child;
	ft_hdr_init(&r.h, FT_FORK, sizeof(r), parent);
	ft_emit(&r);
}

void foliotrace_exit(int pid, int status)
{
	struct ft_exit r = { .status = status };

	ft_hdr_init(&r.h, FT_EXIT, sizeof(r), pid);
	ft_emit(&r);
}

static u32 vma_ft_prot(const struct vm_area_struct *vma)
{
	return ((vma->vm_flags & VM_READ) ? PROT_READ : 0) | ((vma->vm_flags & VM_WRITE) ? PROT_WRITE : 0) |
	       ((vma->vm_flags & VM_EXEC) ? PROT_EXEC : 0);
}

void foliotrace_execve(const char *path, struct mm_struct *mm)
{
	struct {
		struct ft_execve e;
		char path[FT_PATH_MAX];
	} r = { 0 };
	size_t plen = strnlen(path, FT_PATH_MAX - 1);
	struct list_head *pos;

	memcpy(r.path, path, plen);
	mm->ft_pid = cur_pid();
	ft_hdr_init(&r.e.h, FT_EXECVE, sizeof(r.e) + ALIGN(plen + 1, 8), cur_pid());
	ft_emit(&r);
	list_for_each(pos, &mm->mmap) {
		const struct vm_area_struct *vma = list_entry(pos, struct vm_area_struct, vm_list);
		struct ft_vma v = {
			.start = vma->vm_start, .end = vma->vm_end, .prot = vma_ft_prot(vma),
			.flags = ((vma->vm_flags & VM_GROWSDOWN) ? FT_VMA_GROWSDOWN : 0) |
				 ((vma->vm_flags & VM_SHARED) ? FT_VMA_SHARED : 0),
		};

		ft_hdr_init(&v.h, FT_VMA, sizeof(v), cur_pid());
		ft_emit(&v);
	}
}

void foliotrace_split(unsigned int old_order, unsigned int new_order)
{
	struct ft_split r = { .old_order = (u8)old_order, .new_order = (u8)new_order };

	ft_hdr_init(&r.h, FT_SPLIT, sizeof(r), cur_pid());
	ft_emit(&r);
}

void foliotrace_fill(struct mm_struct *mm, unsigned long addr, unsigned int order, unsigned int mapped)
{
	struct ft_fill r = { .addr = addr, .order = (u8)order, .mapped = mapped };

	VM_BUG_ON(!order || order > MTHP_MAX_ORDER || !mapped || mapped > (1U << order));
	ft_hdr_init(&r.h, FT_FILL, sizeof(r), mm_pid(mm));
	ft_emit(&r);
}

void foliotrace_knob(const char *path, const char *val, size_t len, long ret)
{
	struct {
		struct ft_knob k;
		char text[FT_KNOB_TEXT_MAX];
	} r = { 0 };
	size_t plen = strnlen(path, FT_KNOB_TEXT_MAX - 2), room;

	if (len && val[len - 1] == '\n')
		len--;		/* the echo's newline: the stores take the value either way */
	room = FT_KNOB_TEXT_MAX - plen - 2;
	memcpy(r.text, path, plen);
	memcpy(r.text + plen + 1, val, min(len, room));
	r.k.ret = ret;
	ft_hdr_init(&r.k.h, FT_KNOB, sizeof(r.k) + ALIGN(plen + min(len, room) + 2, 8), cur_pid());
	if (len > room || path[plen])
		r.k.h.flags = FT_KNOB_TRUNCATED;
	ft_emit(&r);
}
