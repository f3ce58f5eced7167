/*
 * asid.h - address-space identifiers with generations (Linux's
 * arch/arm64/mm/context.c scheme, under one lock): the allocator behind
 * x86_64's PCIDs and arm64's ASIDs (arch/<arch>/tlb.c), which let an
 * address-space switch keep the TLB entries of the other address spaces.
 *
 * An mm's context id is generation | asid.  ASIDs 1 .. 2^bits - 1 are
 * handed out once each per generation (ASID 0 is the "no mm" root's) and
 * never given back within it, so an ASID is never shared by two mms in one
 * generation and an exited mm's entries can never be hit by another.  When
 * they run out the generation advances (rollover): every ASID is free
 * again except the ones some CPU is running under right now (active[]:
 * Linux's reserved_asids), which stay with their mms, and every CPU must
 * flush its whole TLB before it next loads an ASID (flush_pending: the
 * CPU's own asid_switch says so).  An mm whose id is of the old generation
 * but reserved keeps its ASID at its next switch.  So a flush by ASID
 * (flush_tlb_range) may use the id's ASID bits whatever its generation:
 * at worst it also hits entries another mm will never use.
 *
 * The space has room for one ASID per CPU at a rollover and one more:
 * asid_space_init raises `bits` to fit nr_cpus.
 *
 * Lock legend: (l) space->lock, taken with interrupts off (switch_mm runs
 * in the scheduler); a leaf lock.
 */
#ifndef MM_ASID_H
#define MM_ASID_H

#include "kernel/cpumask.h"
#include "kernel/smp.h"
#include "kernel/spinlock.h"
#include "kernel/types.h"

#define ASID_MAX_BITS	16
#define ASID_MIN_BITS	2	/* the loaded ASIDs survive a rollover: at least one more is needed */

/*
 * The most ASID bits the arch may use: `folio.asid_bits=N` on the command
 * line (N = 2 .. 16 caps it, to force rollovers; 0 turns ASIDs and PCIDs
 * off, so every switch flushes the TLB, as x86_64's `nopcid` does).
 */
extern unsigned int asid_bits_limit;

struct asid_space {
	spinlock_t lock;
	unsigned int bits;		/* (c) ASIDs are 1 .. 2^bits - 1 */
	u64 generation;			/* (l) multiples of 2^bits; the first is 2^bits */
	u64 active[NR_CPUS];		/* (l) the id each CPU last loaded (0: none yet), maybe of the old generation */
	cpumask_t flush_pending;	/* CPUs to flush their whole TLB before their next load */
	unsigned long next;		/* (l) where the search for a free ASID starts */
	unsigned long rollovers;	/* (l) generations started after the first */
	u64 map[(1UL << ASID_MAX_BITS) / 64];	/* (l) ASIDs taken in this generation */
};

/*
 * Start space with ASIDs of `bits` bits (ASID_MIN_BITS .. ASID_MAX_BITS,
 * raised so that 2^bits - 1 > nr_cpus: every CPU's reserved ASID and one
 * more), all free, generation one.  Returns the bits used.
 */
unsigned int asid_space_init(struct asid_space *space, unsigned int bits, unsigned int nr_cpus);

/* The ASID of a context id. */
static inline unsigned long asid_of(const struct asid_space *space, u64 id)
{
	return (unsigned long)(id & ((1ULL << space->bits) - 1));
}

/* Is id (0: never given one) an ASID of the current generation (it may have TLB entries)? */
static inline bool asid_live(const struct asid_space *space, u64 id)
{
	return id && (id & ~((1ULL << space->bits) - 1)) == space->generation;
}

/*
 * On CPU cpu, make *id (an mm's context id) live and note it as the one
 * that CPU is loading.  (Loading ASID 0, the empty root, asks nothing: the
 * CPU's last id stays reserved, harmlessly, until its next switch.)  A live id is kept
 * as it is, an old one reserved at a rollover gets its ASID back in the new
 * generation, any other a free ASID (rolling over when none is left).
 * Returns true when this CPU must flush every ASID's TLB entries before it
 * loads the ASID: a rollover happened since its last switch (here or on
 * another CPU).  Interrupts off; takes space->lock.
 */
bool asid_switch(struct asid_space *space, unsigned int cpu, u64 *id);

#endif
