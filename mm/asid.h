/*
 * asid.h - address-space identifiers with generations (Linux's
 * arch/arm64/mm/context.c idea, one CPU): the allocator behind x86_64's
 * PCIDs and arm64's ASIDs (arch/<arch>/tlb.c), which let an address-space
 * switch keep the TLB entries of the other address spaces.
 *
 * An mm's context id is generation | asid.  ASIDs 1 .. 2^bits - 1 are
 * handed out once each per generation (ASID 0 is the "no mm" root's); when
 * they run out the generation advances (rollover): every ASID is free
 * again, and the caller must flush the TLB entries of every ASID before it
 * loads the new one.  So an ASID is never shared by two mms in one
 * generation, and an mm whose id is of an older generation has no entries
 * left in the TLB (what flush_tlb_range relies on to skip it).  The ASID
 * loaded when the rollover happens is kept by its mm (Linux's
 * reserved_asids, for the one CPU): the CPU may still fill TLB entries
 * under it until the switch completes.
 *
 * Lock legend: interrupts off (switch_mm runs in the scheduler).
 */
#ifndef MM_ASID_H
#define MM_ASID_H

#include "kernel/types.h"

#define ASID_MAX_BITS	16
#define ASID_MIN_BITS	2	/* the loaded ASID survives a rollover: at least one more is needed */

/*
 * The most ASID bits the arch may use: `folio.asid_bits=N` on the command
 * line (N = 2 .. 16 caps it, to force rollovers; 0 turns ASIDs and PCIDs
 * off, so every switch flushes the TLB, as x86_64's `nopcid` does).
 */
extern unsigned int asid_bits_limit;

struct asid_space {
	unsigned int bits;		/* (c) ASIDs are 1 .. 2^bits - 1 */
	u64 generation;			/* multiples of 2^bits; the first is 2^bits */
	u64 *active;			/* the loaded mm's id (NULL: ASID 0 loaded) */
	unsigned long next;		/* where the search for a free ASID starts */
	unsigned long rollovers;	/* generations started after the first */
	u64 map[(1UL << ASID_MAX_BITS) / 64];	/* ASIDs taken in this generation */
};

/* Start space with ASIDs of `bits` bits (ASID_MIN_BITS .. ASID_MAX_BITS), all free, generation one. */
void asid_space_init(struct asid_space *space, unsigned int bits);

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
 * Make *id (an mm's context id) live and note it as the one being loaded
 * (id NULL: ASID 0, the empty root).  Returns true when a new generation
 * began: the caller must flush every ASID's TLB entries before loading
 * it.  A live id is kept as it is.  Interrupts off.
 */
bool asid_switch(struct asid_space *space, u64 *id);

#endif
