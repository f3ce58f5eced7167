/*
 * foliotrace.h - the binary anonymous-memory trace format (version 2).
 *
 * One definition, shared by the kernel's recorder (mm/foliotrace.c), the
 * host parser and tools (tools/policylab/) and the lab that replays traces.
 * docs/policylab.md ("Traces") explains every field and what each recording
 * mode can replay.
 *
 * A trace is a header, then records, all little-endian and naturally
 * aligned (every record is a multiple of 8 bytes):
 *
 *   struct foliotrace_header   FT_MAGIC, FT_VERSION, arch, page size, the
 *                              recording configuration; header_len bytes
 *                              (the kernel command line follows the fixed part)
 *   records ...                each starts with struct ft_hdr {type, len, ...};
 *                              len (the whole record) is never 0; a version
 *                              has no other types than enum ft_type's of it (a
 *                              new type is a new version: version 2 added
 *                              FT_FILL and FT_KNOB, a reader of 2 reads 1)
 *   struct ft_end              the last record: counts for a completeness check
 *
 * A trace without FT_END is truncated (the guest stopped before its power-off).
 */
#ifndef _UAPI_FOLIOTRACE_H
#define _UAPI_FOLIOTRACE_H

#include <stdint.h>
#include <uapi/folios.h>

#define FT_MAGIC	"FOLIOTRC"	/* 8 bytes, no NUL */
#define FT_VERSION	2
#define FT_VERSION_MIN	1	/* the oldest a reader takes: version 1 is 2 without FT_FILL, FT_KNOB */

/* foliotrace_header.arch */
#define FT_ARCH_X86_64	1
#define FT_ARCH_ARM64	2

/*
 * foliotrace_header.mode: what the recording saw.  FT_MODE_ORDER0: every
 * anonymous size was "never" when recording started, so every first touch of
 * every page faulted: the trace holds the full first-touch set and replays
 * under any policy.  FT_MODE_LARGE: large folios were allowed; a touch inside
 * a folio already mapped made no fault and is not in the trace, so a replay
 * under a smaller-order policy misses those touches.
 */
#define FT_MODE_ORDER0	0
#define FT_MODE_LARGE	1

/* foliotrace_header.thp_mode[] values: Linux's enabled words. */
#define FT_THP_NEVER	0
#define FT_THP_ALWAYS	1
#define FT_THP_MADVISE	2
#define FT_THP_INHERIT	3

#define FT_POLICY_LEN	16
#define FT_CMDLINE_MAX	256

#define FT_HEADER_FIXED	56	/* sizeof(struct foliotrace_header) */
struct foliotrace_header {
	char magic[8];			/* FT_MAGIC */
	uint16_t version;			/* FT_VERSION */
	uint16_t header_len;			/* this struct plus the cmdline, rounded up to 8 */
	uint8_t arch;			/* FT_ARCH_* */
	uint8_t page_shift;			/* 12 */
	uint8_t mode;			/* FT_MODE_* */
	uint8_t allow_order1;		/* /sys/kernel/mm/folio/allow_order1 */
	uint8_t thp_top;			/* transparent_hugepage/enabled: FT_THP_* */
	uint8_t thp_mode[MTHP_MAX_ORDER + 1];	/* hugepages-<N>kB/enabled per order ([0] unused) */
	uint8_t reserved[5];
	uint64_t start_ns;			/* the guest clock when recording started */
	char policy[FT_POLICY_LEN];	/* folio.policy, NUL-padded */
	/* then: the kernel command line, NUL-terminated, padded with NULs to header_len */
};

/* ft_hdr.type */
enum ft_type {
	FT_FAULT = 1,		/* struct ft_fault */
	FT_MMAP = 2,		/* struct ft_mmap */
	FT_MUNMAP = 3,		/* struct ft_range (arg 0) */
	FT_MPROTECT = 4,	/* struct ft_range (arg: prot) */
	FT_MADVISE = 5,		/* struct ft_range (arg: advice) */
	FT_MREMAP = 6,		/* struct ft_mremap */
	FT_BRK = 7,		/* struct ft_brk */
	FT_FORK = 8,		/* struct ft_fork */
	FT_EXIT = 9,		/* struct ft_exit */
	FT_EXECVE = 10,		/* struct ft_execve */
	FT_VMA = 11,		/* struct ft_vma: the address space execve built */
	FT_SPLIT = 12,		/* struct ft_split */
	FT_END = 13,		/* struct ft_end */
	FT_FILL = 14,		/* struct ft_fill (version 2) */
	FT_KNOB = 15,		/* struct ft_knob (version 2) */
	FT_NR_TYPES
};

/* Every record begins so.  len: the whole record in bytes, a multiple of 8. */
struct ft_hdr {
	uint8_t type;		/* enum ft_type */
	uint8_t len;
	uint16_t flags;		/* per type (FT_FAULT: FT_FAULT_*) */
	uint32_t pid;		/* the process (0: the kernel, e.g. a split by reclaim) */
	uint64_t ts_ns;		/* guest clock, ns since boot */
};

/* FT_FAULT flags: the access (bits 0-1), where it came from, the outcome (bits 4-7). */
#define FT_ACC_READ		0
#define FT_ACC_WRITE		1
#define FT_ACC_EXEC		2
#define FT_ACC_MASK		0x3
#define FT_FAULT_USER		0x4	/* from user mode (else: the kernel for it, gup/populate) */
#define FT_FAULT_UNSHARE	0x8	/* a pin's unshare fault (FAULT_FLAG_UNSHARE) */
#define FT_OUT_SHIFT		4
#define FT_OUT_MASK		(0xf << FT_OUT_SHIFT)
#define FT_OUT_NONE		0	/* nothing new mapped: access flags, spurious, race lost */
#define FT_OUT_ALLOC		1	/* a fresh zeroed folio of ft_fault.order (anon_fault_alloc) */
#define FT_OUT_ZERO		2	/* the shared zero page (read of a none PTE) */
#define FT_OUT_COW_COPY		3	/* copy-on-write: a copy of ft_fault.order */
#define FT_OUT_COW_REUSE	4	/* copy-on-write: the folio reused in place */
#define FT_OUT_FAILED		5	/* the fault failed (SIGSEGV, OOM) */
#define FT_ORDER_NONE		0xff

struct ft_fault {
	struct ft_hdr h;
	uint64_t addr;		/* the faulting address, as the CPU gave it */
	uint8_t order;		/* FT_OUT_ALLOC / FT_OUT_COW_COPY: the folio's order; else FT_ORDER_NONE */
	uint8_t reserved[7];
};

/* FT_MMAP: the call's arguments and its result (an address or -errno). */
struct ft_mmap {
	struct ft_hdr h;
	uint64_t addr;
	uint64_t len;
	uint32_t prot;
	uint32_t flags;
	int32_t fd;
	uint32_t reserved;
	uint64_t off;
	int64_t ret;
};

/* FT_MUNMAP, FT_MPROTECT, FT_MADVISE. */
struct ft_range {
	struct ft_hdr h;
	uint64_t addr;
	uint64_t len;
	uint64_t arg;		/* mprotect: prot; madvise: advice; munmap: 0 */
	int64_t ret;
};

struct ft_mremap {
	struct ft_hdr h;
	uint64_t old_addr;
	uint64_t old_len;
	uint64_t new_len;
	uint64_t flags;
	uint64_t new_addr;
	int64_t ret;
};

struct ft_brk {
	struct ft_hdr h;
	uint64_t brk;		/* the argument */
	int64_t ret;		/* the break after the call */
};

/* FT_FORK: h.pid is the parent. */
struct ft_fork {
	struct ft_hdr h;
	uint32_t child;
	uint32_t clone_flags;
};

/* FT_EXIT: the process's address space is gone. */
struct ft_exit {
	struct ft_hdr h;
	int32_t status;		/* wait status */
	uint32_t reserved;
};

/* FT_EXECVE: a successful execve; the new address space follows as FT_VMA records. */
#define FT_REC_MAX	248	/* the largest len: a uint8_t multiple of 8 */
#define FT_PATH_MAX	(FT_REC_MAX - 16)	/* ft_execve.path, its NUL included */
struct ft_execve {
	struct ft_hdr h;
	char path[];		/* NUL-terminated, NUL-padded to len */
};

/* FT_VMA flags */
#define FT_VMA_GROWSDOWN	0x1	/* a stack: grows down on a fault below it */
#define FT_VMA_SHARED		0x2	/* MAP_SHARED */
struct ft_vma {
	struct ft_hdr h;
	uint64_t start;
	uint64_t end;
	uint32_t prot;		/* PROT_* */
	uint32_t flags;		/* FT_VMA_* */
};

/* FT_SPLIT: a folio split; h.pid the task that split it. */
struct ft_split {
	struct ft_hdr h;
	uint8_t old_order;
	uint8_t new_order;		/* the order of its smallest piece */
	uint8_t reserved[6];
};

/*
 * FT_FILL: a fault mapped a page of a reservation (the reserve policy,
 * mm/anon_reserve.c): no allocation.  Written inside the fault, so it comes
 * just before that fault's FT_FAULT of the same pid (outcome none).
 */
struct ft_fill {
	struct ft_hdr h;
	uint64_t addr;		/* the page mapped */
	uint8_t order;		/* the reservation's folio */
	uint8_t reserved[3];
	uint32_t mapped;	/* pages of the folio mapped after it (1 << order: promoted whole) */
};

/*
 * FT_KNOB: a write to a file below /sys/kernel/mm/ (a folio knob, a size's
 * enabled, the policy, a policy tunable, an action such as
 * folio/deferred_split_scan) while recording, after it returned.  text holds
 * the path below /sys/kernel/mm/, a NUL, the bytes written (a trailing
 * newline dropped), a NUL; NUL-padded to len.  FT_KNOB_TRUNCATED in h.flags:
 * the value did not fit in FT_REC_MAX and was cut (a replay cannot redo it).
 */
#define FT_KNOB_DIR		"/sys/kernel/mm/"
#define FT_KNOB_TRUNCATED	0x1
struct ft_knob {
	struct ft_hdr h;
	int64_t ret;		/* the write's result: bytes taken or -errno */
	char text[];
};
#define FT_KNOB_TEXT_MAX	(FT_REC_MAX - 24)	/* ft_knob.text, both NULs included */

/* FT_END: events (every record before this one) and drops (always 0: the recorder waits). */
struct ft_end {
	struct ft_hdr h;
	uint64_t events;
	uint64_t dropped;
};

#endif
