/*
 * foliotrace.h - the anonymous-memory trace recorder (mm/foliotrace.c):
 * folio.trace=on records every mm system call, fork, exit, execve, fault,
 * reservation fill, split and /sys/kernel/mm write as <uapi/foliotrace.h>
 * records and streams them to the host through the arch's trace port
 * (arch_trace_write, kernel/arch.h).
 *
 * Off (the default) it costs each hook one test of a flag that never changes
 * after boot: foliotrace_on().  Hooks call the foliotrace_* functions below
 * only when it is true.
 */
#ifndef MM_FOLIOTRACE_H
#define MM_FOLIOTRACE_H

#include "kernel/compiler.h"
#include "kernel/types.h"
#include <uapi/foliotrace.h>

struct mm_struct;
struct vm_area_struct;

extern bool foliotrace_enabled;		/* folio.trace=on; set while the command line is parsed */

static inline bool foliotrace_on(void)
{
	return unlikely(foliotrace_enabled);
}

/*
 * Write the header (the recording configuration as it is now) and start
 * recording; cmdline goes into the header.  Once, after the command line and
 * the trace port are set up, before init runs.  No-op when off.
 */
void foliotrace_start(const char *cmdline);
/* Write FT_END and push everything buffered out; nothing is recorded after it. */
void foliotrace_finish(void);

/*
 * The fault hooks (mm/memory.c): fault_begin clears the faulting task's
 * outcome, the fault path's note() says what it mapped (FT_OUT_*, order),
 * fault() records the FT_FAULT of mm with that outcome.  The outcome is the
 * task's (current->ft_outcome, ft_order), not the mm's: threads of one mm
 * fault at once under the read mmap_lock, each recording its own.
 */
void foliotrace_fault_begin(void);
void foliotrace_note(unsigned int outcome, unsigned int order);
void foliotrace_fault(struct mm_struct *mm, unsigned long addr, unsigned int fault_flags, int ret);

/* Records of the system calls and process events; pid is the caller's. */
void foliotrace_mmap(unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags,
		     long fd, unsigned long off, long ret);
/* FT_MUNMAP / FT_MPROTECT / FT_MADVISE. */
void foliotrace_range(enum ft_type type, unsigned long addr, unsigned long len, unsigned long arg,
		      long ret);
void foliotrace_mremap(unsigned long old_addr, unsigned long old_len, unsigned long new_len,
		       unsigned long flags, unsigned long new_addr, long ret);
void foliotrace_brk(unsigned long brk, unsigned long ret);
/* A fork that made child_mm (recorded before anything writes to it: CLONE_CHILD_SETTID). */
void foliotrace_fork(int parent, int child, unsigned long clone_flags, struct mm_struct *child_mm);
void foliotrace_exit(int pid, int status);
/* A successful execve of path into mm: FT_EXECVE, then one FT_VMA per VMA of mm. */
void foliotrace_execve(const char *path, struct mm_struct *mm);
void foliotrace_split(unsigned int old_order, unsigned int new_order);
/* A fault of mm mapped addr's page from a reservation of order; mapped: its pages mapped now. */
void foliotrace_fill(struct mm_struct *mm, unsigned long addr, unsigned int order, unsigned int mapped);
/*
 * A write of val[0..len) to /sys/kernel/mm/<path> returned ret: FT_KNOB (the
 * value cut, FT_KNOB_TRUNCATED, when path and value exceed FT_KNOB_TEXT_MAX).
 */
void foliotrace_knob(const char *path, const char *val, size_t len, long ret);

#endif
