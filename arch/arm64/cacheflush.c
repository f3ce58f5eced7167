/*
 * cacheflush.c (arm64) - instruction-cache coherence for user pages mapped
 * executable (Linux's __sync_icache_dcache).
 *
 * The I-cache is not coherent with data writes: code the kernel wrote into
 * a frame (exec's copy of the program text, a CoW copy of a text page, the
 * zeroing of a recycled frame) may sit in the D-cache while stale
 * instructions of the frame's previous life sit in the I-cache.  So before
 * a PTE maps a folio executable for the first time, its D-cache lines are
 * cleaned to the point of unification (DC CVAU, through the direct map)
 * and the I-cache is invalidated (IC IALLUIS); the folio is then marked
 * PG_dcache_clean (PG_arch_1) and later exec mappings cost nothing.  A
 * freed frame loses the flag (free_pages_prepare clears every flag), so a
 * recycled frame is synced again; split pieces keep it (mm/split.c).
 * CTR_EL0.IDC / DIC say the CPU needs no D-cache clean / no I-cache
 * invalidation for coherence, and let each step be skipped.
 *
 * dcache_clean_poc() is for code that runs with the MMU off: a secondary
 * CPU's first instructions (arch/arm64/smp.c), fetched from memory past
 * every cache.
 *
 * User space that writes code itself (a JIT) keeps the Linux contract:
 * __builtin___clear_cache over what it wrote (DC CVAU / IC IVAU at EL0,
 * allowed by SCTLR_EL1.UCI and CTR_EL0 readable by SCTLR_EL1.UCT, set in
 * arch_user_init).
 */
#include "mm/folio.h"
#include "mm/mm.h"
#include <asm/pgtable.h>
#include <asm/sysreg.h>

#define CTR_IDC		(1UL << 28)	/* D-cache clean to PoU not needed for I/D coherence */
#define CTR_DIC		(1UL << 29)	/* I-cache invalidation to PoU not needed */
#define CTR_DMINLINE(c)	(4UL << (((c) >> 16) & 0xf))	/* smallest D-cache line, bytes */

/* Make the instructions in [addr, addr + size) (direct map) visible to instruction fetch. */
static void sync_icache_aliases(const void *addr, size_t size)
{
	u64 ctr = read_sysreg(ctr_el0);

	if (!(ctr & CTR_IDC)) {
		unsigned long line = CTR_DMINLINE(ctr);

		for (unsigned long p = ALIGN_DOWN((unsigned long)addr, line);
		     p < (unsigned long)addr + size; p += line)
			__asm__ __volatile__("dc cvau, %0" : : "r"(p) : "memory");
	}
	dsb(ish);
	if (!(ctr & CTR_DIC))
		__asm__ __volatile__("ic ialluis" : : : "memory");
	dsb(ish);
	isb();
}

void dcache_clean_poc(const void *addr, size_t size)
{
	unsigned long line = CTR_DMINLINE(read_sysreg(ctr_el0));

	for (unsigned long p = ALIGN_DOWN((unsigned long)addr, line); p < (unsigned long)addr + size;
	     p += line)
		__asm__ __volatile__("dc cvac, %0" : : "r"(p) : "memory");
	dsb(ish);
}

void arch_sync_icache_dcache(pte_t pte, unsigned int nr)
{
	unsigned long pfn = pte_pfn(pte), end = pfn + nr;

	if (!pte_valid(pte) || !pte_exec(pte))
		return;
	while (pfn < end) {
		struct folio *folio = page_folio(pfn_to_page(pfn));

		if (!folio_test_arch_1(folio)) {
			sync_icache_aliases(folio_address(folio), folio_size(folio));
			folio_set_arch_1(folio);
		}
		pfn = folio_pfn(folio) + folio_nr_pages(folio);
	}
}
