/*
 * tlb.c (arm64) - ASIDs: user TLB entries are tagged with the ASID in
 * TTBR0_EL1 (TCR_EL1.A1 = 0), so switching address spaces keeps them and
 * a flush names the mm it is for.
 *
 * Each mm gets an ASID from the generation allocator of mm/asid.h
 * (Linux's arch/arm64/mm/context.c scheme), one space for every CPU: 16
 * bits when ID_AA64MMFR0_EL1.ASIDBits says so (TCR_EL1.AS = 1, copied by
 * the secondaries with the rest of TCR), else 8, capped by
 * `folio.asid_bits=` (0: no ASIDs, every switch flushes the user TLB).
 * After a rollover each CPU flushes its whole TLB (TLBI VMALLE1) before
 * its next load.
 *
 * TLB shootdown (docs/smp.md "TLB shootdown"): the flushes are TLBI
 * VALE1IS / ASIDE1IS (Inner Shareable: broadcast by the hardware to every
 * CPU) with the mm's ASID, then DSB ISH, which completes only once every
 * CPU has dropped the entries, as Linux's arm64 does: no IPI, and they
 * reach an mm wherever it is loaded or was.  Kernel mappings are global
 * (nG clear), untouched by ASIDs.
 *
 * Counted: nr_tlb_local_flush_one (pages), nr_tlb_local_flush_all (whole
 * mm or whole TLB, switches included), asid_rollover.
 */
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "mm/asid.h"
#include "mm/mm_types.h"
#include "mm/pgtable.h"
#include "mm/vmstat.h"
#include <asm/sysreg.h>
#include <asm/tlbflush.h>

#define TCR_AS		(1UL << 36)	/* 16-bit ASIDs */
#define TTBR_ASID_SHIFT	48
#define MMFR0_ASIDBITS(r) (((r) >> 4) & 0xf)	/* 2: 16 bits, 0: 8 bits */

static struct asid_space asids;
static bool asids_on;		/* (c) after arm64_asid_init */

void arm64_asid_init(void)
{
	unsigned int hw_bits = MMFR0_ASIDBITS(read_sysreg(id_aa64mmfr0_el1)) == 2 ? 16 : 8;
	unsigned int bits = min(hw_bits, asid_bits_limit);

	asids_on = bits >= ASID_MIN_BITS;
	if (asids_on) {
		if (hw_bits == 16)
			write_sysreg(read_sysreg(tcr_el1) | TCR_AS, tcr_el1);
		isb();
		__asm__ __volatile__("tlbi vmalle1; dsb nsh; isb" : : : "memory");
		bits = asid_space_init(&asids, bits, nr_cpu_ids);
	}
	pr_info("arm64: ASIDs %s (%u of %u bits)\n", asids_on ? "on" : "off", asids_on ? bits : 0,
		hw_bits);
}

/*
 * The ASID mm's entries are tagged with, whatever its generation (mm/asid.h:
 * a reserved old id keeps its ASID), or -1 when it never had one (no
 * entries anywhere).  Without ASIDs everything runs under ASID 0.
 */
static long mm_tlb_asid(struct mm_struct *mm)
{
	u64 id = __atomic_load_n(&mm->context.id, __ATOMIC_RELAXED);

	if (!asids_on)
		return 0;
	return id ? (long)asid_of(&asids, id) : -1;
}

void flush_tlb_mm_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	long asid = mm_tlb_asid(mm);

	if (asid < 0)
		return;
	if ((end - start) >> PAGE_SHIFT > TLB_SINGLE_PAGE_FLUSH_CEILING) {
		__asm__ __volatile__("dsb ishst; tlbi aside1is, %0; dsb ish; isb"
				     : : "r"((u64)asid << TTBR_ASID_SHIFT) : "memory");
		count_vm_event(NR_TLB_LOCAL_FLUSH_ALL);
		return;
	}
	__asm__ __volatile__("dsb ishst" : : : "memory");
	for (unsigned long a = start; a < end; a += PAGE_SIZE) {
		__asm__ __volatile__("tlbi vale1is, %0"
				     : : "r"(((u64)asid << TTBR_ASID_SHIFT) | ((a >> 12) & ((1ULL << 44) - 1)))
				     : "memory");
		count_vm_event(NR_TLB_LOCAL_FLUSH_ONE);
	}
	__asm__ __volatile__("dsb ish; isb" : : : "memory");
}

void arch_switch_user_pgd(struct mm_struct *mm)
{
	u64 root = mm ? mm->pgd : empty_user_pgd(), asid = 0;

	if (!asids_on) {
		__asm__ __volatile__("dsb ishst; msr ttbr0_el1, %0; isb; tlbi vmalle1; dsb nsh; isb"
				     : : "r"(root) : "memory");
		count_vm_event(NR_TLB_LOCAL_FLUSH_ALL);
		return;
	}
	/* No mm: ASID 0 and the empty root, the allocator not asked (no lock: lazy TLB's shootdown). */
	if (mm && asid_switch(&asids, smp_processor_id(), &mm->context.id)) {
		__asm__ __volatile__("dsb ishst; tlbi vmalle1; dsb nsh; isb" : : : "memory");
		count_vm_event(ASID_ROLLOVER);
		count_vm_event(NR_TLB_LOCAL_FLUSH_ALL);
	}
	if (mm)
		asid = asid_of(&asids, mm->context.id);
	__asm__ __volatile__("dsb ishst; msr ttbr0_el1, %0; isb"
			     : : "r"(root | (asid << TTBR_ASID_SHIFT)) : "memory");
}
