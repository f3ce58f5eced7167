/*
 * tlb.c (x86_64) - PCIDs: with CR4.PCIDE, TLB entries are tagged with the
 * PCID in CR3's low 12 bits, and a CR3 load with bit 63 (no-flush) set
 * keeps the entries of every PCID (SDM vol. 3, 4.10.1), so switching
 * address spaces no longer flushes the TLB.
 *
 * Each mm gets a PCID from the generation allocator of mm/asid.h (12
 * bits, capped by `folio.asid_bits=`); PCID 0 is the kernel root's, used
 * when no mm is loaded, and kernel mappings are global anyway.  A rollover
 * flushes every PCID (INVPCID all-non-global, else a CR4.PGE toggle) before
 * the new PCID is loaded.  A flush for the loaded mm is INVLPG or a CR3
 * reload of its PCID without no-flush; for an mm that is not loaded it is
 * INVPCID when the CPU has it (CPUID.7.EBX[10]), else the mm is marked
 * stale and its next load clears no-flush, flushing its PCID then (Linux's
 * way of deferring to the next switch).  An mm whose PCID is of an older
 * generation has no entries and is skipped.
 *
 * `nopcid` (Linux's word, or folio.asid_bits=0): no PCIDs, each switch
 * flushes the non-global TLB as before; `noinvpcid` (Linux's word): take
 * the stale-mark path even where INVPCID exists.
 *
 * Counted: nr_tlb_local_flush_one (pages), nr_tlb_local_flush_all (whole
 * PCID or TLB, switches included), asid_rollover.
 */
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "mm/asid.h"
#include "mm/mm_types.h"
#include "mm/pgtable.h"
#include "mm/vmstat.h"
#include <asm/cpu.h>
#include <asm/tlbflush.h>

#define CR4_PCIDE		(1UL << 17)
#define CR3_NOFLUSH		(1ULL << 63)
#define PCID_BITS		12
#define CPUID1_ECX_PCID		(1U << 17)
#define CPUID7_EBX_INVPCID	(1U << 10)

enum invpcid_type {
	INVPCID_ADDR = 0,		/* one address of one PCID */
	INVPCID_SINGLE = 1,		/* every non-global entry of one PCID */
	INVPCID_ALL_NONGLOBAL = 3,	/* every non-global entry of every PCID */
};

static struct asid_space pcids;
static bool pcid_on, invpcid_on;	/* (c) after x86_pcid_init */
static bool nopcid, noinvpcid;		/* (c) the command-line words */

static int nopcid_setup(const char *value)
{
	nopcid = true;
	return value ? -22 : 0;
}
__setup("nopcid", nopcid_setup);

static int noinvpcid_setup(const char *value)
{
	noinvpcid = true;
	return value ? -22 : 0;
}
__setup("noinvpcid", noinvpcid_setup);

static void invpcid(enum invpcid_type type, u64 pcid, unsigned long addr)
{
	struct { u64 pcid, addr; } desc = { pcid, addr };

	__asm__ __volatile__("invpcid %0, %1" : : "m"(desc), "r"((u64)type) : "memory");
}

void x86_pcid_init(void)
{
	u32 a, b, c, d, a7, b7, c7, d7;
	unsigned int bits = min((unsigned int)PCID_BITS, asid_bits_limit);

	cpuid(1, 0, &a, &b, &c, &d);
	cpuid(7, 0, &a7, &b7, &c7, &d7);
	pcid_on = (c & CPUID1_ECX_PCID) && !nopcid && bits >= ASID_MIN_BITS;
	invpcid_on = pcid_on && (b7 & CPUID7_EBX_INVPCID) && !noinvpcid;
	if (pcid_on) {
		asid_space_init(&pcids, bits);
		write_cr4(read_cr4() | CR4_PCIDE);	/* CR3's PCID is 0 here, as required */
	}
	pr_info("x86: PCID %s (%u bits; CPU: PCID %s, INVPCID %s)%s\n", pcid_on ? "on" : "off",
		pcid_on ? bits : 0, (c & CPUID1_ECX_PCID) ? "yes" : "no",
		(b7 & CPUID7_EBX_INVPCID) ? "yes" : "no",
		pcid_on ? (invpcid_on ? ", flushes by INVPCID" : ", flushes deferred to the switch") : "");
}

/* An AP: PCIDs as the boot CPU runs them (its CR3 holds PCID 0 here, as required). */
void x86_pcid_cpu_init(void)
{
	if (pcid_on)
		write_cr4(read_cr4() | CR4_PCIDE);
}

/* mm's PCID if its entries may be in the TLB and it is not loaded, else -1. */
static long mm_inactive_pcid(struct mm_struct *mm)
{
	if (!pcid_on || !asid_live(&pcids, mm->context.id))
		return -1;
	return (long)asid_of(&pcids, mm->context.id);
}

void flush_tlb_user_page(struct mm_struct *mm, unsigned long va)
{
	long pcid;

	if (mm == active_mm()) {
		__asm__ __volatile__("invlpg (%0)" : : "r"(va) : "memory");
		count_vm_event(NR_TLB_LOCAL_FLUSH_ONE);
	} else if ((pcid = mm_inactive_pcid(mm)) >= 0) {
		if (!invpcid_on) {
			mm->context.stale = true;
			return;
		}
		invpcid(INVPCID_ADDR, (u64)pcid, va);
		count_vm_event(NR_TLB_LOCAL_FLUSH_ONE);
	}
}

void flush_tlb_user_all(struct mm_struct *mm)
{
	long pcid;

	if (mm == active_mm()) {
		/* Without no-flush, a CR3 load flushes the loaded PCID (or, PCIDs off, the TLB). */
		write_cr3(read_cr3() & ~CR3_NOFLUSH);
		count_vm_event(NR_TLB_LOCAL_FLUSH_ALL);
	} else if ((pcid = mm_inactive_pcid(mm)) >= 0) {
		if (!invpcid_on) {
			mm->context.stale = true;
			return;
		}
		invpcid(INVPCID_SINGLE, (u64)pcid, 0);
		count_vm_event(NR_TLB_LOCAL_FLUSH_ALL);
	}
}

/* A new generation: no PCID may keep an entry. */
static void flush_all_pcids(void)
{
	if (invpcid_on) {
		invpcid(INVPCID_ALL_NONGLOBAL, 0, 0);
	} else {
		u64 cr4 = read_cr4();

		write_cr4(cr4 & ~CR4_PGE);	/* toggling PGE flushes every entry of every PCID */
		write_cr4(cr4);
	}
	count_vm_event(ASID_ROLLOVER);
	count_vm_event(NR_TLB_LOCAL_FLUSH_ALL);
}

void arch_switch_user_pgd(struct mm_struct *mm)
{
	u64 root = mm ? mm->pgd : empty_user_pgd();

	if (!pcid_on) {
		write_cr3(root);
		count_vm_event(NR_TLB_LOCAL_FLUSH_ALL);
		return;
	}
	if (asid_switch(&pcids, mm ? &mm->context.id : NULL))
		flush_all_pcids();
	if (!mm) {
		write_cr3(root | CR3_NOFLUSH);	/* PCID 0: no user entries ever */
		return;
	}
	root |= asid_of(&pcids, mm->context.id);
	if (mm->context.stale) {
		mm->context.stale = false;
		write_cr3(root);		/* flushes this PCID's entries: the deferred flush */
		count_vm_event(NR_TLB_LOCAL_FLUSH_ALL);
		return;
	}
	write_cr3(root | CR3_NOFLUSH);
}
