/* mlock.h - mlock's state of an mm, for mmap, brk and /proc/<pid>/status (mm/mlock.c). */
#ifndef MM_MLOCK_H
#define MM_MLOCK_H

#include "mm/mm_types.h"

/* Pages in mm's VM_LOCKED VMAs (Linux's mm->locked_vm: VmLck in /proc/<pid>/status, kB = << (PAGE_SHIFT - 10)). */
unsigned long mm_locked_vm(const struct mm_struct *mm);
/* Linux's can_do_mlock for a process without CAP_IPC_LOCK: RLIMIT_MEMLOCK is not 0. */
bool can_do_mlock(void);
/* May mm get len more bytes of VM_LOCKED memory (flags) under RLIMIT_MEMLOCK?  (Linux's mlock_future_ok) */
bool mlock_future_ok(const struct mm_struct *mm, unsigned long flags, unsigned long len);
/*
 * Fault in [start, end) of a VMA just made VM_LOCKED (not VM_LOCKONFAULT),
 * as Linux's __mm_populate for mlock: writes for a writable private VMA,
 * reads otherwise.  0, -ENOMEM (a PROT_NONE VMA: Linux's -EFAULT turned
 * into POSIX's answer) or -EAGAIN (memory ran out); with ignore_errors
 * (mlockall, mmap: Linux's mm_populate) such VMAs are skipped and it is 0.
 * mmap_lock held.
 */
int mlock_populate(struct mm_struct *mm, unsigned long start, unsigned long end, bool ignore_errors);

#endif
