/*
 * tlb_test.c - boot tests of cross-CPU calls under contention and of the TLB
 * shootdown (docs/smp.md "TLB shootdown").  make test runs them at CPUS=2
 * and 4 on both arches (tools/test.sh guest_smp); with one CPU they have
 * nothing to test and pass.
 *
 *  - smp_call_all_to_all: every CPU calls every other at once, all of them
 *    with interrupts off (the others from inside the call that started
 *    them): each pair's function runs exactly once.  With a global call
 *    lock or waits that did not answer calls this hangs (into make test's
 *    timeout).
 *  - tlb_shootdown_munmap: CPU 1 loads a user mm and reads a page (its TLB
 *    now holds the translation); CPU 0 munmaps the page through do_munmap;
 *    CPU 1's next read must fault (a uaccess probe: -EFAULT), its neighbour
 *    still reads.  mm_cpumask is exactly {1}; on x86_64 the shootdown IPIs
 *    went to CPU 1 only (received == sent), arm64 sends none (broadcast TLBI).
 *  - tlb_shootdown_mprotect: the same with a page CPU 1 wrote (a writable,
 *    dirty entry): after mprotect(PROT_READ) on CPU 0, CPU 1's write faults
 *    and its read still returns the data.
 *  - tlb_shootdown_switched_away: CPU 1 reads the page, switches to no mm
 *    (its ASID / PCID keeps the entries), CPU 0 munmaps, CPU 1 switches
 *    back: the read faults (the flush reached an mm not loaded there).
 *  - tlb_lazy_mm_dropped_at_exit: CPU 1 keeps the mm loaded (lazy TLB, as
 *    its idle task would) while CPU 0 drops the last user: CPU 1 is made
 *    to load no mm (cleanup_lazy_tlbs), its mm_count reference goes, and
 *    every page (folios, tables, root) is free again.
 */
#include "kernel/ktest.h"
#include "kernel/sched.h"
#include "kernel/smp.h"
#include "kernel/string.h"
#include "kernel/uaccess.h"
#include "mm/gup.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/pgtable.h"
#include "mm/vma.h"
#include "mm/vmstat.h"
#include <uapi/errno.h>
#include <uapi/mman.h>

/* ---- every CPU calls every other ---- */

static int all_hits[NR_CPUS][NR_CPUS];	/* [caller][target]: runs of the function */
static int all_arrived;

static void all_hit(void *arg)
{
	unsigned int caller = (unsigned int)(unsigned long)arg;

	__atomic_fetch_add(&all_hits[caller][smp_processor_id()], 1, __ATOMIC_RELAXED);
}

/* On every other CPU, in its call IPI: wait for all of them, then call everyone at once. */
static void all_call_all(void *arg)
{
	unsigned int want = (unsigned int)(unsigned long)arg;

	__atomic_fetch_add(&all_arrived, 1, __ATOMIC_RELAXED);
	while (__atomic_load_n(&all_arrived, __ATOMIC_RELAXED) < (int)want)
		smp_call_poll();	/* CPU 0 is not here yet: its own call waits in our slots */
	smp_call_function(all_hit, (void *)(unsigned long)smp_processor_id());
}

KTEST(smp_call_all_to_all)
{
	unsigned int others = num_online_cpus - 1;

	memset(all_hits, 0, sizeof(all_hits));
	all_arrived = 0;
	/* CPU 0 waits for the others while they call it and each other: the waits must answer. */
	smp_call_function(all_call_all, (void *)(unsigned long)others);
	smp_call_function(all_hit, (void *)0UL);
	for (unsigned int from = 0; from < NR_CPUS; from++)
		for (unsigned int to = 0; to < NR_CPUS; to++)
			KT_ASSERT_MSG(all_hits[from][to] == (from != to && cpu_online(from) && cpu_online(to)),
				      "CPU%u -> CPU%u ran %d times", from, to, all_hits[from][to]);
}

/* ---- TLB shootdown ---- */

#define TLB_TEST_BASE	0x20000000UL	/* 3 pages: the middle one is unmapped / write-protected */
#define TLB_TEST_CPU	1

struct probe {
	struct mm_struct *mm;		/* loaded by the first probe; NULL: switch to no mm */
	unsigned long addr;
	int write;			/* write `val` instead of reading */
	u8 val;
	unsigned long left;		/* copy_*_user's result: bytes not copied */
};

/* On CPU 1 (call IPI): load p->mm (or no mm) and access p->addr through uaccess. */
static void probe_on_cpu(void *arg)
{
	struct probe *p = arg;

	switch_mm(p->mm);
	if (!p->mm)
		return;
	if (p->write)
		p->left = copy_to_user((void __user *)p->addr, &p->val, 1);
	else
		p->left = copy_from_user(&p->val, (const void __user *)p->addr, 1);
}

/* CPU 1 reads (write 0) or writes the byte at addr of mm; returns bytes not copied, *val what it read. */
static unsigned long remote_access(struct mm_struct *mm, unsigned long addr, int write, u8 *val)
{
	struct probe p = { mm, addr, write, *val, ~0UL };

	BUG_ON(smp_call_function_single(TLB_TEST_CPU, probe_on_cpu, &p));
	*val = p.val;
	return p.left;
}

static void remote_switch_away(void)
{
	struct probe p = { 0 };

	BUG_ON(smp_call_function_single(TLB_TEST_CPU, probe_on_cpu, &p));
}

/* A new mm with 3 written pages at TLB_TEST_BASE, byte i of page i being 0xa0 + i. */
static struct mm_struct *tlb_test_mm(void)
{
	struct mm_struct *mm = mm_alloc();
	int err = -ENOMEM;

	if (!mm)
		return NULL;
	mmap_write_lock(mm);
	if (vma_create(mm, TLB_TEST_BASE, TLB_TEST_BASE + 3 * PAGE_SIZE,
		       VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE))
		err = populate_range(mm, TLB_TEST_BASE, TLB_TEST_BASE + 3 * PAGE_SIZE, true);
	mmap_write_unlock(mm);
	if (err) {
		mmput(mm);
		return NULL;
	}
	for (unsigned long i = 0; i < 3; i++) {
		u8 v = (u8)(0xa0 + i);

		BUG_ON(access_remote_vm(mm, TLB_TEST_BASE + i * PAGE_SIZE, &v, 1, FOLL_WRITE) != 1);
	}
	return mm;
}

static unsigned long remote_sent, remote_received;

static void count_shootdowns_start(void)
{
	remote_sent = sum_vm_event(NR_TLB_REMOTE_FLUSH);
	remote_received = sum_vm_event(NR_TLB_REMOTE_FLUSH_RECEIVED);
}

/* x86_64: every shootdown sent went to CPU 1 alone; arm64: none sent (broadcast TLBI). */
static bool shootdowns_to_cpu1_only(void)
{
	unsigned long sent = sum_vm_event(NR_TLB_REMOTE_FLUSH) - remote_sent;
	unsigned long received = sum_vm_event(NR_TLB_REMOTE_FLUSH_RECEIVED) - remote_received;

#ifdef __x86_64__
	return sent > 0 && received == sent;
#else
	return sent == 0 && received == 0;
#endif
}

static int munmap_locked(struct mm_struct *mm, unsigned long addr)
{
	int err;

	mmap_write_lock(mm);
	err = do_munmap(mm, addr, PAGE_SIZE);
	mmap_write_unlock(mm);
	return err;
}

/* One shootdown case: the pages free before it, the middle page's address, the mm CPU 1 loaded. */
struct tlb_case {
	unsigned long free_before, mid;
	struct mm_struct *mm;
	u8 v;
};

/*
 * Start a case: a test mm of which CPU 1 has read the byte at addr (and
 * found it) or, write set, written c->v there: its TLB holds the
 * translation.  False when CPU 1 is not online (nothing to test); c->mm
 * NULL when the set-up failed.
 */
static bool tlb_case_start(struct tlb_case *c, unsigned long addr, int write, u8 v)
{
	u8 want = write ? v : (u8)(0xa0 + ((addr - TLB_TEST_BASE) >> PAGE_SHIFT));

	c->free_before = nr_free_pages();
	c->mid = TLB_TEST_BASE + PAGE_SIZE;
	c->v = v;
	if (!cpu_online(TLB_TEST_CPU))
		return false;
	c->mm = tlb_test_mm();
	if (c->mm && (remote_access(c->mm, addr, write, &c->v) || c->v != want)) {
		remote_switch_away();
		mmput(c->mm);
		c->mm = NULL;
	}
	return true;
}

/* CPU 1 drops the mm, the mm goes, and no page is left behind. */
static bool tlb_test_done(struct mm_struct *mm, unsigned long free_before)
{
	remote_switch_away();
	mmput(mm);
	return nr_free_pages() == free_before;
}

KTEST(tlb_shootdown_munmap)
{
	struct tlb_case c;

	if (!tlb_case_start(&c, TLB_TEST_BASE + PAGE_SIZE, 0, 0))
		return;
	KT_ASSERT(c.mm);
	KT_ASSERT_EQ(mm_cpumask(c.mm)->bits, 1UL << TLB_TEST_CPU);
	count_shootdowns_start();
	KT_ASSERT_EQ(munmap_locked(c.mm, c.mid), 0);
	KT_ASSERT_EQ(remote_access(c.mm, c.mid, 0, &c.v), 1);	/* faults: the stale entry is gone */
	KT_ASSERT(shootdowns_to_cpu1_only());
	KT_ASSERT_EQ(remote_access(c.mm, c.mid + PAGE_SIZE, 0, &c.v), 0);
	KT_ASSERT_EQ(c.v, 0xa2);
	KT_ASSERT(tlb_test_done(c.mm, c.free_before));
}

KTEST(tlb_shootdown_mprotect)
{
	struct tlb_case c;
	int err;

	if (!tlb_case_start(&c, TLB_TEST_BASE + PAGE_SIZE, 1, 0x5a))	/* a writable, dirty entry */
		return;
	KT_ASSERT(c.mm);
	count_shootdowns_start();
	mmap_write_lock(c.mm);
	err = do_mprotect(c.mm, c.mid, c.mid + PAGE_SIZE, PROT_READ);
	mmap_write_unlock(c.mm);
	KT_ASSERT_EQ(err, 0);
	c.v = 0x77;
	KT_ASSERT_EQ(remote_access(c.mm, c.mid, 1, &c.v), 1);	/* the write faults */
	KT_ASSERT(shootdowns_to_cpu1_only());
	KT_ASSERT_EQ(remote_access(c.mm, c.mid, 0, &c.v), 0);	/* the read still works */
	KT_ASSERT_EQ(c.v, 0x5a);
	KT_ASSERT(tlb_test_done(c.mm, c.free_before));
}

KTEST(tlb_shootdown_switched_away)
{
	struct tlb_case c;

	if (!tlb_case_start(&c, TLB_TEST_BASE + PAGE_SIZE, 0, 0))
		return;
	KT_ASSERT(c.mm);
	remote_switch_away();		/* the entries stay, tagged with mm's ASID / PCID */
	KT_ASSERT_EQ(munmap_locked(c.mm, c.mid), 0);
	KT_ASSERT_EQ(remote_access(c.mm, c.mid, 0, &c.v), 1);	/* back on mm: faults */
	KT_ASSERT_EQ(remote_access(c.mm, TLB_TEST_BASE, 0, &c.v), 0);
	KT_ASSERT_EQ(c.v, 0xa0);
	KT_ASSERT(tlb_test_done(c.mm, c.free_before));
}

KTEST(tlb_lazy_mm_dropped_at_exit)
{
	struct tlb_case c;

	if (!tlb_case_start(&c, TLB_TEST_BASE, 0, 0))
		return;
	KT_ASSERT(c.mm);
	KT_ASSERT_EQ(atomic_read(&c.mm->mm_count), 2);	/* the users' and CPU 1's loaded_mm */
	mmput(c.mm);			/* CPU 1 still has it loaded */
	KT_ASSERT(cpu_data(TLB_TEST_CPU)->loaded_mm == NULL);
	KT_ASSERT_EQ(nr_free_pages(), c.free_before);
}
