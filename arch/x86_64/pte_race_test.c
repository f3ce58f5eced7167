/*
 * pte_race_test.c (x86_64) - boot test: the MMU's Dirty bit survives the
 * kernel's atomic PTE updates (mm/pgtable.h's pt_entry_modify, the
 * compare-and-exchange loop behind wrprotect_ptes, clear_young_dirty_ptes
 * and ptep_set).
 *
 * A scratch page is mapped by a kernel PTE of its own (the ioremap
 * window).  Each round the test makes the PTE clean, lets a kernel thread
 * write one byte through it (the MMU sets Dirty, with a locked update of
 * the PTE) and, until the thread says the write is done, keeps rewriting
 * the same PTE by pt_entry_modify (clearing Accessed, as aging does: a
 * write-protect would make the thread's kernel-mode write fault).  A plain
 * load-and-store would undo a Dirty bit set between its two halves; the
 * round counts as lost when the PTE reads clean after the write.  On one
 * CPU the two only alternate (the test yields between updates, the thread
 * sleeps between rounds); once tasks
 * run on every CPU (issue 15's scheduler) they race for real, the thread
 * flushing its own TLB entry before each write so the MMU sets Dirty again.
 */
#include "kernel/ktest.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/smp_lock.h"
#include "mm/gfp.h"
#include "mm/mm.h"
#include "mm/pgtable.h"

#define RACE_ROUNDS	2000
#define WAIT_YIELDS	1000000

static u64 *race_pte;
static volatile u8 *race_va;
static unsigned long race_start, race_done;

static void invlpg(volatile void *va)
{
	__asm__ __volatile__("invlpg (%0)" : : "r"(va) : "memory");
}

/*
 * The writer sleeps until the test starts round r (a kernel thread's yield
 * would only run itself again: the boot context runs when nothing else can).
 * race_start is written under the big kernel lock, which the writer holds from
 * its check until it sleeps (sleep_on's rule, kernel/sched.c).
 */
static void wait_round(unsigned long r)
{
	unsigned long flags;

	lock_kernel();
	flags = arch_local_irq_save();
	while (__atomic_load_n(&race_start, __ATOMIC_ACQUIRE) != r)
		sleep_on(&race_start, 0);
	arch_local_irq_restore(flags);
	unlock_kernel();
}

static __noreturn void pte_race_writer(void)
{
	for (unsigned long r = 1; r <= RACE_ROUNDS; r++) {
		wait_round(r);
		invlpg(race_va);		/* no stale entry that already says Dirty */
		race_va[r % 64] = (u8)r;	/* the MMU sets Dirty in *race_pte */
		__atomic_store_n(&race_done, r, __ATOMIC_RELEASE);
	}
	for (;;) {
		current->state = TASK_UNINTERRUPTIBLE;
		schedule();
	}
}

KTEST(pte_dirty_survives_atomic_updates)
{
	struct page *page = alloc_pages(GFP_KERNEL, 0);
	unsigned long lost = 0, updates = 0;

	KT_ASSERT(page != NULL);
	race_va = ioremap((phys_addr_t)page_to_pfn(page) << PAGE_SHIFT, PAGE_SIZE);
	race_pte = pgtable_walk(kernel_pgd, (unsigned long)race_va, PT_LEVELS - 1, false);
	KT_ASSERT(race_pte && (*race_pte & _PAGE_PRESENT) && (*race_pte & _PAGE_RW));
	KT_ASSERT(kthread_run(pte_race_writer, "ktest_pte_race") != NULL);
	for (unsigned long r = 1; r <= RACE_ROUNDS; r++) {
		pt_entry_modify(race_pte, pte_mkclean);
		invlpg(race_va);
		lock_kernel();
		__atomic_store_n(&race_start, r, __ATOMIC_RELEASE);
		wake_up(&race_start);
		unlock_kernel();
		for (long i = 0; __atomic_load_n(&race_done, __ATOMIC_ACQUIRE) != r; i++) {
			KT_ASSERT_MSG(i < WAIT_YIELDS, "round %lu: writer at %lu", r, race_done);
			pt_entry_modify(race_pte, pte_mkold);
			updates++;
			if (updates % 16 == 0)
				schedule();	/* one CPU: let the writer run */
		}
		pt_entry_modify(race_pte, pte_mkold);
		if (!(READ_ONCE(*race_pte) & _PAGE_DIRTY))
			lost++;
		KT_ASSERT_EQ(race_va[r % 64], (u8)r);
	}
	pr_info("ktest: pte race: %d rounds, %lu racing updates, %lu lost dirty bits\n",
		RACE_ROUNDS, updates, lost);
	KT_ASSERT_EQ(lost, 0);
	pt_entry_xchg(race_pte, 0);	/* the window's slot stays used, mapping nothing */
	invlpg(race_va);
	free_pages(page, 0);
}
