/*
 * replay.h - replaying a foliotrace through the real mm/ on the host (the
 * policy lab's engine, docs/policylab.md "The lab").
 *
 * The host harness (tools/hostmm) boots its fake machine; lab_replay() then
 * gives each traced process an address space and replays its events in the
 * trace's order through the system-call entry points (sys_mmap, sys_munmap,
 * sys_mprotect, sys_madvise, sys_mremap, sys_brk), dup_mm for fork, mmput for
 * exit, a fresh mm built from the FT_VMA records for execve, and
 * do_page_fault / handle_mm_fault for every fault record, under whatever
 * configuration the caller applied (labconfig.h).  It reads the results from
 * mm/'s own counters (vmstat.h) and page tables.
 */
#ifndef POLICYLAB_REPLAY_H
#define POLICYLAB_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uapi/folios.h>

/* What one replay measured (docs/policylab.md "Reading the table"). */
struct lab_result {
	uint64_t events;		/* records replayed */
	uint64_t faults;		/* fault records that faulted under the replay, reservation fills excluded */
	uint64_t absorbed;		/* fault records that did not: already mapped, or a reservation fill */
	uint64_t failed;		/* calls or faults that failed under the replay but not when recorded */
	uint64_t touched;		/* distinct pages the trace's faults touched (per address space) */
	uint64_t allocated;		/* pages of anon folios allocated (faults, CoW copies, collapses) */
	uint64_t peak_rss;		/* the most anon pages mapped at once, over all processes */
	uint64_t folios[MTHP_MAX_ORDER + 1];	/* anon folios allocated per order (pgalloc_order) */
	uint64_t fault_alloc[MTHP_MAX_ORDER + 1];	/* ... of them by faults (anon_fault_alloc) */
	uint64_t splits;		/* large folios split, every order (hugepages-<N>kB/stats/split summed) */
	uint64_t deferred;		/* large folios queued for deferred split */
	uint64_t lazyfreed;		/* lazyfree pages dropped (pglazyfreed) */
	uint64_t cow_copy;		/* CoW faults that copied (cow_fault - cow_reuse) */
	uint64_t cow_reuse;		/* CoW faults that reused the folio */
	uint64_t tlb_x86;		/* translations covering the mapped memory at exit: 4K PTE or 2M PMD */
	uint64_t tlb_arm64;		/* ... with a 16-PTE contpte block counting as one */
	uint64_t fills;			/* faults the replay served from a reservation (anon_reserve_fill) */
	uint64_t fill_mismatch;		/* faults where the replay's fill and the trace's FT_FILL differ */
	uint64_t knobs;			/* FT_KNOB records applied (spec "recorded") */
	uint64_t trace_faults;		/* the trace's own: fault records that mapped something */
	uint64_t trace_splits;		/* ... its FT_SPLIT records */
	uint64_t trace_fills;		/* ... its FT_FILL records */
	uint64_t trace_alloc[MTHP_MAX_ORDER + 1];	/* ... its alloc faults per order */
	uint64_t trace_copy[MTHP_MAX_ORDER + 1];	/* ... its cow-copy faults per order */
	uint64_t replay_ns;		/* lab_run_job: the replay's wall time (boot and parse excluded) */
};

/*
 * Replay the trace in buf[0..len) on the booted host mm with the current
 * configuration, in the user space of the trace's arch; fills *r.  With
 * knobs, each FT_KNOB record is written to its /sys/kernel/mm file where it
 * stands (the run's own configuration changes), else it is skipped.  Never
 * panics on a call that fails under this configuration: it is counted in
 * r->failed.  Returns 0, or -1 with msg filled when the trace does not parse.
 */
int lab_replay(const void *buf, size_t len, bool knobs, struct lab_result *r, char *msg, size_t msglen);

/*
 * One job, for a fresh process: read trace, boot the host machine, apply
 * spec (labconfig.h), replay.  Returns 0 with *r, or -1 with msg filled
 * (the file unreadable or not a trace, a bad spec, a corrupt trace, a panic).
 */
int lab_run_job(const char *trace, const char *spec, struct lab_result *r, char *msg, size_t msglen);

#endif
