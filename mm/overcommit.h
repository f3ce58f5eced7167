/*
 * overcommit.h - how much private writable memory may be promised
 * (mm/overcommit.c): Linux's vm.overcommit_* policy, the Committed_AS
 * count and its limit.  docs/mm/knobs.md has the files.
 *
 * A VMA whose pages count as committed carries VM_ACCOUNT (Linux's rule,
 * mm/mmap.c): private writable mappings without VM_NORESERVE, the heap,
 * the stack and writable ELF segments.  Invariant: vm_committed_as is the
 * sum, over every mm, of the pages of its VM_ACCOUNT VMAs; each place
 * that adds such pages charges them first (vm_enough_memory) and each
 * place that removes them uncharges (vm_unacct_memory).
 *
 * SMP: mm calls of different mms charge at once, so vm_committed_as is an
 * atomic_long_t (Linux's is a percpu_counter); the knobs are words written
 * with WRITE_ONCE by their /proc writers and read with READ_ONCE.
 */
#ifndef MM_OVERCOMMIT_H
#define MM_OVERCOMMIT_H

#include "kernel/atomic.h"
#include "mm/mm_types.h"

/* vm.overcommit_memory: Linux's values. */
#define OVERCOMMIT_GUESS	0	/* heuristic: refuse one request larger than RAM + swap */
#define OVERCOMMIT_ALWAYS	1	/* never refuse */
#define OVERCOMMIT_NEVER	2	/* strict: Committed_AS stays below CommitLimit */

extern int sysctl_overcommit_memory;		/* /proc/sys/vm/overcommit_memory, default 0 */
extern int sysctl_overcommit_ratio;		/* /proc/sys/vm/overcommit_ratio, default 50 */
extern unsigned long sysctl_overcommit_kbytes;	/* /proc/sys/vm/overcommit_kbytes, default 0 */
extern unsigned long sysctl_user_reserve_kbytes; /* boot: min(free / 32, 128 MiB), as Linux */
extern atomic_long_t vm_committed_as;		/* pages promised (Committed_AS) */

/*
 * Linux's __vm_enough_memory for a task with CAP_SYS_ADMIN (every foliOS
 * task is root, so the admin reserve never applies): charge `pages` to
 * Committed_AS, then 0 when the policy allows it, else uncharge and
 * -ENOMEM.  Mode 2 also keeps min(total_vm / 32, user reserve) of mm's
 * own out of reach (mm NULL: none), so one process cannot take it all.
 */
int vm_enough_memory(struct mm_struct *mm, long pages);
/* Give back pages charged before (munmap, exit, a failed call undoing its charge). */
void vm_unacct_memory(long pages);

/* Is a private mapping with vm_flags charged (Linux's accountable_mapping)? */
static inline bool vm_flags_accountable(unsigned long vm_flags)
{
	return (vm_flags & (VM_NORESERVE | VM_SHARED | VM_WRITE)) == VM_WRITE;
}

/* CommitLimit in pages: swap (none) + overcommit_kbytes, or RAM * overcommit_ratio / 100. */
unsigned long vm_commit_limit(void);
/* Committed_AS in pages (never negative). */
unsigned long vm_memory_committed(void);

/*
 * A write of one int in [min, max] to a /proc/sys file (Linux's
 * proc_dointvec_minmax; the other vm sysctls reuse it): the bytes consumed
 * and *out set, or -EINVAL with *out unchanged.
 */
long sysctl_int_store(const char *buf, size_t len, int min, int max, int *out);
/* The same for one unsigned long (Linux's proc_doulongvec_minmax: a negative value is -EINVAL). */
long sysctl_ulong_store(const char *buf, size_t len, unsigned long *out);

/* Set the boot defaults that depend on memory and register /proc/sys/vm/overcommit_*. */
void overcommit_init(void);

#endif
