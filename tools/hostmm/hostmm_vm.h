/*
 * hostmm_vm.h - the host harness for the virtual-memory half of mm/:
 * the pseudo-file registry stand-in (host_vm.c) and the helpers the VM
 * tests share (test_vm_util.c).
 *
 * A VM test starts with vm_setup() (kernel root, page-table allocator, zero
 * page, the /sys/kernel/mm knobs, counters, overcommit and policy reset), creates address spaces with
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
#include "mm/huge_mm.h"
#include "mm/overcommit.h"
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
	/* or, registered with pseudo_file_register_data: */
	long (*show_data)(void *data, char *buf, size_t len);
	long (*store_data)(void *data, const char *buf, size_t len);
	void *data;
};
/* The registration for path, or NULL. */
const struct host_pseudo_file *hostmm_pseudo_file(const char *path);

/* schedule()'s stand-in runs this when current blocks (the rwsem tests' other tasks); NULL: none. */
extern void (*hostmm_schedule_hook)(void);
/* ... and this when current yields, still runnable (mm/split.c's folio_split_wait); NULL: none. */
extern void (*hostmm_yield_hook)(void);

/* vmscan.c's "kswapd was woken" (not in a header). */
extern bool kswapd_wanted;

/* Sizes and offsets in the VM tests: x KiB, page i. */
#define K(x)	((unsigned long)(x) << 10)
#define PG(i)	((unsigned long)(i) << PAGE_SHIFT)

/*
 * Allocation failure injection: hostmm_fail_alloc(n) makes the n-th kernel
 * allocation from now on fail, once (kmalloc/kzalloc: VMAs, anon_vmas,
 * chains, PTE-table locks; and the user page-table pages); 0 disarms it.
 * Folios come from the buddy allocator: drain_all() starves those.
 * hostmm_fail_alloc_pending(): armed and not fired yet, i.e. the code under
 * test made fewer than n allocations.  vm_setup() disarms.
 */
void hostmm_fail_alloc(unsigned long n);
bool hostmm_fail_alloc_pending(void);
/* Called by each allocator stand-in: true when this allocation is the one to fail. */
bool hostmm_alloc_should_fail(void);
/* kmalloc'ed objects not yet kfree'd: a call that fails must leave it as it was. */
extern long hostmm_kmalloc_live;

/* Top of the mmap area of the test mms (Linux-like) in x86_64's user space. */
#define VM_MMAP_BASE	0x7f0000000000UL

/*
 * Which arch's user space the harness holds (TASK_SIZE, the root's user
 * entries, vm_mm_new's mmap_base): x86_64's 47 bits below 0x7ffffffff000
 * (the default, vm_setup's) or arm64's 48 bits below 2^48, the values of
 * arch/<arch>/include/asm/uaccess.h.  Set it with no mm alive (an mm's page
 * tables are laid out for the space it was made in).
 */
enum hostmm_user_space { HOSTMM_USER_X86_64, HOSTMM_USER_ARM64 };
void hostmm_set_user_space(enum hostmm_user_space space);
/* Where the set space's mmap area ends (vm_mm_new's mm->mmap_base). */
unsigned long hostmm_user_mmap_base(void);
/* A 2 MiB-aligned spot the tests map at with MAP_FIXED. */
#define VM_BASE		0x40000000UL

extern unsigned long vm_free_start;	/* nr_free_pages() right after vm_setup() */

void vm_setup(void);
/* task_list back to the one host task (pid 1, current), no signal pending (vm_setup does it). */
void hostmm_tasks_reset(void);
void hostmm_vm_cleanup(void);

struct mm_struct *vm_mm_new(void);
/* vm_setup(), then a new mm made current: how most VM tests start. */
struct mm_struct *vm_setup_current_mm(void);
/* vm_setup(), then a fresh mm, current, with one RW anon VMA at [VM_BASE + off, + len). */
struct mm_struct *vm_setup_mm(unsigned long off, unsigned long len);
/* vm_setup_mm(0, 64K) with only order 4 allowed, faulted as one 64K folio (*foliop), page i
 * filled with 'a' + i (the fork and pin tests' start). */
struct mm_struct *vm_setup_64k_folio(struct folio **foliop);
struct mm_struct *vm_mm_dup(struct mm_struct *mm);
void vm_mm_put(struct mm_struct *mm);
/* Make mm current (current->mm and the loaded tables). */
void vm_use(struct mm_struct *mm);

/* The system calls, through their SYSCALL_DEFINE entry points, on current->mm. */
long vm_mmap(unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags);
long vm_munmap(unsigned long addr, unsigned long len);
long vm_mprotect(unsigned long addr, unsigned long len, unsigned long prot);
long vm_mremap(unsigned long addr, unsigned long old_len, unsigned long new_len, unsigned long flags,
	       unsigned long new_addr);
long vm_madvise(unsigned long addr, unsigned long len, int advice);
long vm_mlock2(unsigned long addr, unsigned long len, int flags);
long vm_brk(unsigned long brk);
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
/* The PMD block mapping addr in mm, or NULL. */
pmd_t *vm_huge_pmd(struct mm_struct *mm, unsigned long addr);
/*
 * The PTE for addr in mm (0 when no table); under a PMD block, the PTE that
 * would map addr's page with the block's bits (a PMD maps like 512 PTEs).
 */
pte_t vm_pte(struct mm_struct *mm, unsigned long addr);
/* Allocate mm's page tables over addr now, so free-page counts see folios only. */
void vm_prealloc_tables(struct mm_struct *mm, unsigned long addr);
/* The folio mapped at addr (NULL: none or the zero page). */
struct folio *vm_folio_at(struct mm_struct *mm, unsigned long addr);
/* Its order, or -1 when nothing (or the zero page) is mapped there. */
int vm_order_at(struct mm_struct *mm, unsigned long addr);
struct vm_area_struct *vm_vma(struct mm_struct *mm, unsigned long addr);

/*
 * What a failed call must leave alone: mm's VMAs (bounds, flags, offset,
 * anon_vma), every PTE inside them, map_count and rss_anon.
 * vm_snapshot_same() fails the test (test_fail) at the first difference.
 */
#define VM_SNAP_VMAS	32
#define VM_SNAP_PTES	4096
struct vm_snapshot {
	int map_count;
	unsigned long rss_anon, nr_ptes;
	struct {
		unsigned long start, end, flags, pgoff;
		const struct anon_vma *anon_vma;
	} vma[VM_SNAP_VMAS];
	pte_t pte[VM_SNAP_PTES];
};
void vm_snapshot(struct mm_struct *mm, struct vm_snapshot *snap);
/* What vm_snapshot_same lets differ: */
#define VM_SNAP_NEW_ANON_VMA	0x1	/* a VMA got an anon_vma (a failed fault keeps it, as Linux's) */
#define VM_SNAP_WRPROTECTED	0x2	/* PTEs lost their write bit (a failed fork, as Linux's) */
bool vm_snapshot_same(struct mm_struct *mm, const struct vm_snapshot *snap, unsigned int allow);

/*
 * mm's VMA tree and list agree and are sound (debug_vm_check_vma_tree, which
 * panics), and find_vma/vma_lookup give what a linear scan of the list
 * gives at every VMA edge (and one page either side) and at `probes` random
 * addresses (test_fail at the first difference, naming step).
 */
bool vm_check_vma_tree(struct mm_struct *mm, unsigned long step, unsigned int probes);

/* The random tests' generator (xorshift64; seed it non-zero), a number below n, and an address in a VMA of mm (0: none). */
extern u64 vm_rng;
unsigned long vm_rnd_below(unsigned long n);
unsigned long vm_rnd_addr_in_vma(struct mm_struct *mm);

/* Policy: top mode, every size `size`, order1 allowed, static policy. */
void vm_policy(enum thp_mode top, enum thp_mode size);
/* Only order `order` (plus 0) allowed, "always". */
void vm_policy_only(unsigned int order);

/* A registered pseudo-file's store (val: the bytes written) and show; panics when path is unknown. */
long vm_knob_write(const char *path, const char *val);
long vm_knob_read(const char *path, char *buf, size_t len);
/* Drive /sys/kernel/mm/folio/fault_race_inject. */
long vm_fault_race_inject(const char *val);

/* The TLB flushes the kernel asked for (flush_tlb_mm_range, host_vm.c): counted, the last one's range. */
struct host_tlb {
	unsigned long flushes;
	unsigned long start, end;
	unsigned long free_pages_at_flush;	/* nr_free_pages() when the last flush came */
};
extern struct host_tlb host_tlb;

#endif
