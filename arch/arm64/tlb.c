/*
 * tlb.c (arm64) - ASIDs: user TLB entries are tagged with the ASID in
 * TTBR0_EL1 (TCR_EL1.A1 = 0), so switching address spaces keeps them and
 * a flush names the mm it is for.
 *
 * Each mm gets an ASID from the generation allocator of mm/asid.h
 * (Linux's arch/arm64/mm/context.c, one CPU): 16 bits when
 * ID_AA64MMFR0_EL1.ASIDBits says so (TCR_EL1.AS = 1), else 8, capped by
 * `folio.asid_bits=` (0: no ASIDs, every switch flushes the user TLB).
 * A rollover flushes the whole TLB (TLBI VMALLE1) before the new ASID is
 * loaded.  Flushes (TLBI VALE1IS / ASIDE1IS) carry the mm's ASID, so they
 * reach an mm that is not loaded; an mm whose ASID is of an older
 * generation has no entries and is skipped.  Kernel mappings are global
 * (nG clear), untouched by ASIDs.
 *
 * Counted: nr_tlb_local_flush_one (pages), nr_tlb_local_flush_all (whole
 * mm or whole TLB, switches included), asid_rollover.
 */
#include "kernel/printk.h"
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
		asid_space_init(&asids, bits);
	}
	pr_info("arm64: ASIDs %s (%u of %u bits)\n", asids_on ? "on" : "off", asids_on ? bits : 0,
		hw_bits);
}

/* mm's ASID if its entries may be in the TLB, else -1 (nothing to flush). */
static long mm_tlb_asid(struct mm_struct *mm)
{
	if (!asids_on)
		return mm == active_mm() ? 0 : -1;
	return asid_live(&asids, mm->context.id) ? (long)asid_of(&asids, mm->context.id) : -1;
}

void flush_tlb_user_page(struct mm_struct *mm, unsigned long va)
{
	long asid = mm_tlb_asid(mm);

	if (asid < 0)
		return;
	__asm__ __volatile__("dsb ishst; tlbi vale1is, %0; dsb ish; isb"
			     : : "r"(((u64)asid << TTBR_ASID_SHIFT) | ((va >> 12) & ((1ULL << 44) - 1)))
			     : "memory");
	count_vm_event(NR_TLB_LOCAL_FLUSH_ONE);
}

void flush_tlb_user_all(struct mm_struct *mm)
{
	long asid = mm_tlb_asid(mm);

	if (asid < 0)
		return;
	if (asids_on)
		__asm__ __volatile__("dsb ishst; tlbi aside1is, %0; dsb ish; isb"
				     : : "r"((u64)asid << TTBR_ASID_SHIFT) : "memory");
	else
		__asm__ __volatile__("dsb ishst; tlbi vmalle1is; dsb ish; isb" : : : "memory");
	count_vm_event(NR_TLB_LOCAL_FLUSH_ALL);
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
	if (asid_switch(&asids, mm ? &mm->context.id : NULL)) {
		__asm__ __volatile__("dsb ishst; tlbi vmalle1; dsb nsh; isb" : : : "memory");
		count_vm_event(ASID_ROLLOVER);
		count_vm_event(NR_TLB_LOCAL_FLUSH_ALL);
	}
	if (mm)
		asid = asid_of(&asids, mm->context.id);
	__asm__ __volatile__("dsb ishst; msr ttbr0_el1, %0; isb"
			     : : "r"(root | (asid << TTBR_ASID_SHIFT)) : "memory");
}
