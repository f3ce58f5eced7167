/*
 * prezero.c - the idle zeroer: zero free memory while the CPU has nothing
 * else to do, so that anonymous faults map folios that are already zero.
 *
 * Why.  A first touch of anonymous memory costs an allocation, the zeroing
 * of the whole folio and the mapping.  With large folios the per-fault work
 * is amortised over many pages and the zeroing is what is left: a 64 KiB
 * fault spends more than half of its time clearing 16 pages
 * (docs/results/anon-folios.md).
 * HawkEye (Panwar et al., ASPLOS'19) showed the fix for huge pages:
 * zero free memory asynchronously, off the critical path, and hand
 * pre-zeroed pages to faults.  FreeBSD (PG_ZERO, zeroing in the idle loop,
 * the v_ozfod counter) and NetBSD (uvm's idle zeroing) did the same for
 * small pages; both later dropped it or turned it off by default: on their
 * hardware the zeroed pages were cold in the cache by the time they were
 * used, and the gain did not hold up.  Large folios change
 * the balance: a 2 MiB clear does not fit a cache anyway, and the idle
 * time is otherwise lost.  The knob (prezero_enabled) keeps the old
 * behaviour one write away, for comparison: prezero_set(false) also forgets
 * which free blocks are zeroed, so the allocator is exactly the old one.
 *
 * How.  The allocator owns the bookkeeping (mm/page_alloc.c's essay: a
 * PG_zeroed flag on free heads, zeroed blocks at the tail of each free
 * list, halves of a zeroed block are zeroed, a merge is zeroed only when
 * both buddies are, freed memory never is).  This file only produces
 * zeroed blocks: prezero_idle(), called by the idle loop (cpu_idle() in
 * kernel/sched.c), takes the highest-order free block that is not zeroed
 * off the free lists (isolate_unzeroed_block()), so large folios, which
 * gain most, are served first, and a block of order >= 4 gives 64K faults
 * zeroed blocks by splitting; zeroes it PREZERO_CHUNK_PAGES frames at a
 * time with interrupts enabled, asking stop() (need_resched) before every
 * chunk; and gives it back marked zeroed (putback_isolated_block()).
 *
 * Latency.  Interrupts are never held off: the clearing runs with them
 * enabled and the zone lock is held only to isolate and to put back.  A
 * wakeup waits for at most one chunk (64 KiB: 13-20 us on average under
 * TCG; `make bench` measures the gaps between two stop() calls, BENCH
 * name=prezero_idle, docs/results/mm-phys.md).  When stop() says
 * someone wants the CPU the block goes back unmarked and the chunks already
 * cleared are lost (at most one block, 4 MiB, per wakeup): keeping a
 * half-zeroed block isolated across a context switch would hide free memory
 * from the allocator.
 *
 * DEBUG_VM.  The block's poison is checked chunk by chunk just before it
 * is overwritten (a write after free into a free block is still caught),
 * which also clears PG_poisoned; an allocation of a zeroed block checks
 * that it is still all zero (page_alloc.c).
 *
 * The idle task of the boot CPU is the only caller, and only while every
 * other CPU idles too (kernel/sched.c cpu_idle; stop() also says yes once
 * another CPU runs a task): the isolation keeps the block away from other
 * CPUs' allocations while it is cleared.  The block still counts as free
 * (zone nr_isolated, in nr_free_pages()): a task that starts on another CPU
 * while the last chunk is cleared must not see MemFree short of it (a leak
 * check, cow_test's "MemFree unchanged" at CPUS=2 did).
 */
#include "mm/prezero.h"
#include "mm/page_alloc.h"
#include <asm/page.h>

bool prezero_enabled = true;

void prezero_set(bool on)
{
	WRITE_ONCE(prezero_enabled, on);
	if (!on)
		forget_zeroed_blocks();	/* the zeroer is not running: it never outlives a call */
}

bool prezero_idle(bool (*stop)(void))
{
	unsigned long nr, done;
	unsigned int order;
	struct page *page;

	if (!READ_ONCE(prezero_enabled))
		return false;
	page = isolate_unzeroed_block(&order);
	if (!page)
		return false;
	nr = 1UL << order;
	for (done = 0; done < nr && !stop(); done += PREZERO_CHUNK_PAGES) {
		unsigned long chunk = min(nr - done, (unsigned long)PREZERO_CHUNK_PAGES);

		page_poison_check(page + done, chunk);
		clear_pages(page_address(page + done), (unsigned int)chunk);
	}
	putback_isolated_block(page, order, done >= nr);
	return true;
}
