/*
 * hostmm_vm.h - the host harness for the virtual-memory half of mm/:
 * the pseudo-file registry stand-in (host_vm.c) and the helpers the VM
 * tests share (test_vm_util.c).
 *
 * A VM test starts with vm_setup() (kernel root, page-table allocator, zero
 * page, the /sys/kernel/mm knobs, counters and policy reset), creates address spaces with
 * vm_mm_new()/vm_mm_dup() and releases them with vm_mm_put(); whatever a
 * test leaves (it failed half-way) is released by hostmm_vm_cleanup(),
 * which the runner calls after every test.
 */
#ifndef HOSTMM_VM_H
#define HOSTMM_VM_H

#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/syscalls.h"
#include "mm/anon_order.h"
#include "mm/pgtable.h"
#include "mm/rmap.h"
#include "mm/split.h"
#include "mm/thp_sysfs.h"
#include "mm/vma.h"
#include "mm/vmscan.h"
#include "mm/vmstat.h"
#include "tools/hostmm/hostmm.h"
#include <uapi/errno.h>
#include <uapi/mman.h>

struct host_pseudo_file {
	const char *path;
	long (*show)(char *buf, size_t len);
	long (*store)(const char *buf, size_t len);
};
/* The registration for path, or NULL. */
const struct host_pseudo_file *hostmm_pseudo_file(const char *path);

/* vmscan.c's "kswapd was woken" (not in a header). */
extern bool kswapd_wanted;

/* Sizes and offsets in the VM tests: x KiB, page i. */
#define K(x)	((unsigned long)(x) << 10)
#define PG(i)	((unsigned long)(i) << PAGE_SHIFT)

/* Top of the mmap area of the test mms (Linux-like). */
#define VM_MMAP_BASE	0x7f0000000000UL
/* A 2 MiB-aligned spot the tests map at with MAP_FIXED. */
#define VM_BASE		0x40000000UL

extern unsigned long vm_free_start;	/* nr_free_pages() right after vm_setup() */

void vm_setup(void);
/* task_list back to the one host task (pid 1, current), no signal pending (vm_setup does it). */
void hostmm_tasks_reset(void);
void hostmm_vm_cleanup(void);

struct mm_struct *vm_mm_new(void);
/* vm_setup(), then a fresh mm, current, with one RW anon VMA at [VM_BASE + off, + len). */
struct mm_struct *vm_setup_mm(unsigned long off, unsigned long len);
struct mm_struct *vm_mm_dup(struct mm_struct *mm);
void vm_mm_put(struct mm_struct *mm);
/* Make mm current (current->mm and the loaded tables). */
void vm_use(struct mm_struct *mm);

/* The system calls, through their SYSCALL_DEFINE entry points, on current->mm. */
long vm_mmap(unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags);
long vm_munmap(unsigned long addr, unsigned long len);
long vm_mprotect(unsigned long addr, unsigned long len, unsigned long prot);
long vm_madvise(unsigned long addr, unsigned long len, int advice);
/* An anonymous private RW mapping at addr (MAP_FIXED); returns addr or -errno. */
long vm_map_rw(unsigned long addr, unsigned long len);

/* handle_mm_fault on mm's VMA at addr (mmap_lock taken); VM_FAULT_SIGSEGV when no VMA. */
int vm_fault(struct mm_struct *mm, unsigned long addr, bool write);
/*
 * A user access to the byte at addr of mm, as the CPU makes it: through the
 * PTE when it allows the access, the MMU setting accessed (and dirty) as
 * x86_64's does; otherwise a user fault first (do_page_fault; VM_FAULT_OK or
 * the fault's error is returned).  vm_user_write stores val; vm_user_read returns the byte (or
 * -1 when the fault failed).
 */
int vm_user_write(struct mm_struct *mm, unsigned long addr, unsigned char val);
int vm_user_read(struct mm_struct *mm, unsigned long addr);
/* The PTE for addr in mm (0 when no table). */
pte_t vm_pte(struct mm_struct *mm, unsigned long addr);
/* Allocate mm's page tables over addr now, so free-page counts see folios only. */
void vm_prealloc_tables(struct mm_struct *mm, unsigned long addr);
/* The folio mapped at addr (NULL: none or the zero page). */
struct folio *vm_folio_at(struct mm_struct *mm, unsigned long addr);
/* Its order, or -1 when nothing (or the zero page) is mapped there. */
int vm_order_at(struct mm_struct *mm, unsigned long addr);
struct vm_area_struct *vm_vma(struct mm_struct *mm, unsigned long addr);

/* Policy: top mode, every size `size`, order1 allowed, static policy. */
void vm_policy(enum thp_mode top, enum thp_mode size);
/* Only order `order` (plus 0) allowed, "always". */
void vm_policy_only(unsigned int order);

/* A registered pseudo-file's store (val: the bytes written) and show; panics when path is unknown. */
long vm_knob_write(const char *path, const char *val);
long vm_knob_read(const char *path, char *buf, size_t len);
/* Drive /sys/kernel/mm/folio/fault_race_inject. */
long vm_fault_race_inject(const char *val);

#endif
