/*
 * vma.h - address spaces: VMA list operations (vma.c), mmap/munmap/mprotect/
 * brk (mmap.c), the page-fault entry (fault.c), the fault path (memory.c)
 * and fork/exit of an mm.
 * Locking: every function taking an mm expects mm->mmap_lock held unless
 * its comment says it takes it.
 */
#ifndef MM_VMA_H
#define MM_VMA_H

#include "mm/mm_types.h"
#include <asm/uaccess.h>

/* Round a length up to whole pages (0 when it wraps). */
#define PAGE_ALIGN(x)	ALIGN((unsigned long)(x), PAGE_SIZE)

/* ---- vma.c ---- */

/*
 * vm.max_map_count (/proc/sys/vm/max_map_count, mm/mmap.c): Linux's
 * default, 65536 minus MAPCOUNT_ELF_CORE_MARGIN.  mmap and brk fail with
 * -ENOMEM when map_count > max_map_count before they start; a split fails
 * when map_count >= max_map_count (vma_split_range says which splits).
 */
#define DEFAULT_MAX_MAP_COUNT	65530
extern int sysctl_max_map_count;

/* The first VMA with vm_end > addr, or NULL.  O(log map_count): the tree. */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
/* The VMA after vma in address order, or NULL. */
struct vm_area_struct *vma_next(struct vm_area_struct *vma);
/* The VMA containing addr, or NULL. */
struct vm_area_struct *vma_lookup(struct mm_struct *mm, unsigned long addr);
/* Pages of address space mm maps (Linux's mm->total_vm: VmSize). */
unsigned long mm_total_vm(const struct mm_struct *mm);
/*
 * mm's VMAs grew (npages > 0) or shrank by npages: mm->total_vm follows;
 * before it falls, its peak is kept in hiwater_vm (Linux's update_hiwater_vm
 * in munmap), so VmPeak costs nothing on the way up.  mmap_lock held; every
 * change of a linked VMA's bounds goes through it (mm/vma.c, expand_stack).
 */
void vm_stat_account(struct mm_struct *mm, long npages);
/*
 * Map [start, end) with flags as a new VMA (the range must be free), merged
 * with equal neighbours.  Returns the VMA now covering start, or NULL (OOM).
 * vma_create is vma_alloc then vma_insert; callers that must not fail after
 * changing something else allocate first (mmap over an old mapping).
 */
struct vm_area_struct *vma_create(struct mm_struct *mm, unsigned long start, unsigned long end,
				  unsigned long flags);
/* A new VMA for [start, end) of mm with flags, not yet in the list; NULL (OOM).  Free: kfree. */
struct vm_area_struct *vma_alloc(struct mm_struct *mm, unsigned long start, unsigned long end,
				 unsigned long flags);
/* Link a vma_alloc'ed VMA (its range free) and merge it; returns the VMA covering its start. */
struct vm_area_struct *vma_insert(struct vm_area_struct *vma);
/* Why a range is split: which vm.max_map_count rule applies (Linux 6.12's). */
enum vma_split_for {
	VMA_SPLIT_UNMAP,	/* munmap, mmap over: only a VMA cut on both sides is checked */
	VMA_SPLIT_CHANGE,	/* mprotect, madvise (split_vma): every split is checked */
};
/*
 * Split the VMAs straddling start or end (page aligned, start < end) there,
 * so that every VMA is inside [start, end) or outside it.  All or nothing:
 * 0, or -ENOMEM with the VMAs exactly as they were (no memory, or a split
 * that vm.max_map_count forbids for `why`).  Only splits allocate; what
 * follows a successful vma_split_range (unmap, new flags) cannot fail.
 */
int vma_split_range(struct mm_struct *mm, unsigned long start, unsigned long end,
		    enum vma_split_for why);
/*
 * Split vma so that one VMA covers exactly [start, end) (inside vma, page
 * aligned) and return it; NULL when a split could not allocate (vma unchanged).
 */
struct vm_area_struct *vma_isolate(struct vm_area_struct *vma, unsigned long start, unsigned long end);
/*
 * Merge vma (new or just changed) with the neighbours it touches where
 * Linux would (flags, page offsets, is_mergeable_anon_vma: see vma.c); the
 * survivor takes over an anon_vma it lacks.  Never fails; returns the VMA
 * now covering vma's range.
 */
struct vm_area_struct *vma_merge_neighbours(struct vm_area_struct *vma);
/*
 * Pages of [start, end) in VMAs whose flags & mask == value (0, 0: all):
 * Linux's total_vm, data_vm, locked_vm counted when a limit asks, O(VMAs).
 */
unsigned long vma_pages_matching(const struct mm_struct *mm, unsigned long start, unsigned long end,
				 unsigned long mask, unsigned long value);
/*
 * Linux's vma_modify_flags: give [start, end) of vma (inside it) newflags,
 * splitting at the edges when the flags change, then merge with the
 * neighbours.  Returns the VMA now covering the range, or NULL when a split
 * could not allocate (the VMAs as they were).  Page tables are not touched:
 * for flags the PTEs do not encode (madvise's, mlock's).
 */
struct vm_area_struct *vma_modify_flags(struct vm_area_struct *vma, unsigned long start,
					unsigned long end, unsigned long newflags);
/* Link a vma_alloc'ed VMA (its range free) without merging (mremap merges it later). */
void vma_add(struct vm_area_struct *vma);
/*
 * Grow vma in place to end (the range [vm_end, end) free) and merge it
 * with the VMA after it where Linux's vma_merge_extend would.  Never
 * fails; returns the VMA covering vma's start.
 */
struct vm_area_struct *vma_extend(struct vm_area_struct *vma, unsigned long end);
/* Unlink and free a VMA whose pages are already unmapped. */
void vma_remove(struct vm_area_struct *vma);
/*
 * Zap and free every VMA inside [start, end); none may straddle an edge
 * (vma_split_range first).  The pages go while the VMAs around the range
 * are already apart from it, so the adaptive policy hears of a large folio
 * cut in two from the VMA that keeps the rest (zap_page_range); then the
 * page tables no VMA needs any more (free_pgd_range).  Returns
 * the pages of the VM_ACCOUNT VMAs removed: the caller uncharges them (or
 * hands their charge to what replaces them).
 */
unsigned long vma_unmap_range(struct mm_struct *mm, unsigned long start, unsigned long end);
/*
 * [start, end) holds no VMA: free the page tables there that no VMA needs
 * (free_pgd_range over the gap around it), e.g. the ones a failed mremap built.
 */
void vma_free_pgtables_gap(struct mm_struct *mm, unsigned long start, unsigned long end);
/* Pages of [start, end) inside VM_ACCOUNT VMAs. */
unsigned long vma_accounted_pages(struct mm_struct *mm, unsigned long start, unsigned long end);
/*
 * DEBUG_VM (at every fork, on the child, and every exit): mm's tree and
 * list agree and are sound -- red-black rules (black root, no red child of
 * a red node, one black height), parent links, the in-order walk equal to
 * the list, map_count nodes, page-aligned disjoint VMAs of this mm -- or
 * panic naming what broke.
 */
#ifdef DEBUG_VM
void debug_vm_check_vma_tree(struct mm_struct *mm);
#else
static inline void debug_vm_check_vma_tree(struct mm_struct *mm) { (void)mm; }
#endif
/* PTE protection for vm_flags (private mappings: never writable until a write fault). */
pgprot_t vm_get_page_prot(unsigned long vm_flags);

/* A new empty mm (user root allocated), mm_users 1, mm_count 1; NULL on OOM. */
struct mm_struct *mm_alloc(void);
/*
 * Drop a user reference; the last one unmaps everything and frees the page
 * tables below the root (exit_mmap), makes the CPUs that still have mm
 * loaded lazily let go of it (cleanup_lazy_tlbs), then drops the users'
 * mm_count reference.
 */
void mmput(struct mm_struct *mm);
/*
 * mm_count (Linux's mmgrab/mmdrop): references that keep the struct and its
 * root alive, not its mappings: each CPU whose loaded_mm it is holds one
 * (switch_mm), all the users together one.  The last mmdrop frees the root
 * and the struct; it never runs while any CPU has mm loaded.
 */
static inline void mmgrab(struct mm_struct *mm)
{
	atomic_inc(&mm->mm_count);
}
void __mmdrop(struct mm_struct *mm);
static inline void mmdrop(struct mm_struct *mm)
{
	if (atomic_dec_and_test(&mm->mm_count))
		__mmdrop(mm);
}
/*
 * Make every CPU that still has mm loaded though no task there uses it
 * (lazy TLB: idle keeps the last mm loaded) load no mm instead and drop
 * its reference (Linux's cleanup_lazy_tlbs); mm has no users left.
 * kernel/sched.c.
 */
void cleanup_lazy_tlbs(struct mm_struct *mm);
/* One more reference on mm (Linux's mmget): it stays until the matching mmput. */
static inline void mmget(struct mm_struct *mm)
{
	mm->mm_users++;
}
/* fork: a copy of oldmm sharing every anon folio copy-on-write; NULL on OOM. */
struct mm_struct *dup_mm(struct mm_struct *oldmm);

/* ---- mmap.c ---- */

/* Register /proc/sys/vm/max_map_count (after vfs_init). */
void mmap_init(void);

/*
 * Unmap [start, start+len) (page aligned), splitting VMAs at the edges, and
 * uncharge what was accounted.  0, or -ENOMEM with nothing changed.
 */
int do_munmap(struct mm_struct *mm, unsigned long start, unsigned long len);
/*
 * Map [addr, addr+len) anonymous with vm_flags, replacing what is mapped
 * there (the MAP_FIXED rule); VM_ACCOUNT in vm_flags: charged (the pages of
 * accounted mappings it replaces carry over).  Returns addr, or -ENOMEM
 * with nothing changed (overcommit refused, or no memory for the VMA or the
 * splits).  mmap, brk and exec map through here.
 */
long mmap_region(struct mm_struct *mm, unsigned long addr, unsigned long len, unsigned long vm_flags);
/*
 * The same for a file mapping (file's f_op->mmap attaches its object, the
 * first page at page offset pgoff) or, with file NULL and VM_SHARED in
 * vm_flags, a new shared anonymous object (shmem_zero_setup).  The
 * object's refusal (its -errno) also changes nothing.
 */
struct file;
long mmap_region_file(struct mm_struct *mm, unsigned long addr, unsigned long len, unsigned long vm_flags,
		      struct file *file, unsigned long pgoff);
/*
 * Where a mapping of len bytes goes (Linux's get_unmapped_area for
 * anonymous memory): MAP_FIXED (| MAP_FIXED_NOREPLACE) flags take addr as
 * it is (-EINVAL unaligned, -ENOMEM past TASK_SIZE, -EPERM below
 * mmap_min_addr, -EEXIST for NOREPLACE over a mapping); otherwise a free
 * hint, else the highest gap, aligned when len is at least the largest
 * enabled folio size so that the address is congruent to pgoff << PAGE_SHIFT
 * modulo that size (Linux's __thp_get_unmapped_area: mremap keeps a moved
 * region's folios naturally aligned).  Returns the address or -errno.
 */
long get_unmapped_area(struct mm_struct *mm, unsigned long addr, unsigned long len,
		       unsigned long pgoff, unsigned long flags);
/* Change the protection of [start, end), which must be mapped without holes. 0 or -ENOMEM. */
int do_mprotect(struct mm_struct *mm, unsigned long start, unsigned long end, unsigned long prot);
/*
 * Linux's may_expand_vm: may mm map npages more with flags at addr?
 * RLIMIT_AS counts every VMA, RLIMIT_DATA the private writable non-stack
 * ones (is_data_mapping); the pages of [addr, addr + npages) already mapped
 * (a MAP_FIXED replacement, a growing mremap's own range) are not counted
 * twice.  Walks the VMAs only when a limit is set.  mmap, brk (mm/mmap.c).
 */
bool may_expand_vm(const struct mm_struct *mm, unsigned long flags, unsigned long addr,
		   unsigned long npages);
/* Fault in every page of [start, end) as a read or write access (MAP_POPULATE). */
int populate_range(struct mm_struct *mm, unsigned long start, unsigned long end, bool write);
/* Is the page at addr present (PTE or PMD block), and writable when write says so?  (mm/mmap.c) */
bool page_populated(struct mm_struct *mm, unsigned long addr, bool write);

/* ---- fault.c: the page-fault entry ---- */

#define FAULT_FLAG_WRITE	0x01
#define FAULT_FLAG_USER		0x02
#define FAULT_FLAG_INSTRUCTION	0x04
#define FAULT_FLAG_UNSHARE	0x08	/* make the page exclusive, keep it read-only (a pin, mm/gup.c) */

#define VM_FAULT_OK		0
#define VM_FAULT_SIGSEGV	1	/* no VMA, or an access the VMA forbids */
#define VM_FAULT_OOM		2
#define VM_FAULT_SIGBUS		3	/* past the end of a shmem object: SIGBUS (BUS_ADRERR) */
#define VM_FAULT_RETRY		4	/* nothing done: the folio was being split (mm/split.c); fault again */

struct pt_regs;
struct folio;

/*
 * What arch/ calls for a fault on a user address (from user mode, or from a
 * uaccess instruction in the kernel; flags FAULT_FLAG_*): do_page_fault, and
 * true when the access can be retried.  false: the caller raises SIGSEGV
 * (user mode) or takes the uaccess fixup.  A user-mode fault that runs out
 * of memory (the OOM killer chose this task, or a page table could not be
 * allocated) does not return: the task is killed with SIGKILL ("out of
 * memory").
 */
bool fault_user_address(struct pt_regs *regs, unsigned long addr, unsigned int flags);
/*
 * Resolve a fault at addr in the current mm: find the VMA (growing the stack
 * if addr is just below a VM_GROWSDOWN one), check the access, then map or
 * copy.  Takes mmap_lock.  Returns VM_FAULT_*.
 */
int do_page_fault(unsigned long addr, unsigned int flags);
/*
 * The si_code of the SIGSEGV for a user fault at addr that do_page_fault
 * refused: SEGV_ACCERR when a VMA covers addr (it forbids the access),
 * SEGV_MAPERR when none does (a stack that could not grow to it included).
 */
int fault_si_code(unsigned long addr);

/* ---- memory.c ---- */

/* The fault itself, on a VMA that allows the access; mmap_lock held. */
int handle_mm_fault(struct vm_area_struct *vma, unsigned long addr, unsigned int flags);
/*
 * How many PTEs from ptep on (at most max, same PTE table) map consecutive
 * pages of folio, ending at its last page at the latest, as the present PTE
 * *ptep does: the batch fork, unmap and MADV_FREE work on (Linux's
 * folio_pte_batch).  PTE-table lock held.
 */
unsigned int folio_pte_batch(struct folio *folio, pte_t *ptep, unsigned int max);
/*
 * Unmap the present PTE(s) at ptep (address addr of vma): the batch of one
 * folio (folio_pte_batch, at most max), dropping their rmap and rss now,
 * their TLB entries and references through tlb (mm/mmu_gather.h: the
 * references go after the flush); the zero page one PTE at a time.
 * Returns how many PTEs; 0 with nothing done when the folio is being
 * split (page_folio_mapped): the caller drops the lock, folio_split_wait(),
 * and comes back to this PTE.  PTE-table lock held.
 */
struct mmu_gather;
unsigned int zap_present_ptes(struct mmu_gather *tlb, struct vm_area_struct *vma, unsigned long addr,
			      pte_t *ptep, unsigned int max);
/*
 * The bookkeeping of a fresh anon folio about to be mapped whole at start
 * of vma, by PTEs or one PMD: rmap (every page mapped once, the caller's
 * reference plus one per page), the LRU, the underused queue and rss
 * (add_new_anon_folio: what a collapse needs too), then the fault counters
 * (account_new_anon_folio).  The caller sets the entries; page-table lock held.
 */
void add_new_anon_folio(struct vm_area_struct *vma, struct folio *folio, unsigned long start);
void account_new_anon_folio(struct vm_area_struct *vma, struct folio *folio, unsigned long start);
/* The fault counters alone (and the trace's FT_OUT_ALLOC): a reservation's (mm/anon_reserve.c). */
void count_anon_fault_alloc(unsigned int order);
/*
 * Unmap every page in [start, end) of vma into tlb (Linux's
 * unmap_page_range): PMD blocks first (each flushed and freed at once),
 * then the PTEs, whose TLB flush and references are the gather's.
 */
void unmap_page_range(struct mmu_gather *tlb, struct vm_area_struct *vma, unsigned long start,
		      unsigned long end);
/* Unmap and release every page in [start, end) of vma: unmap_page_range with its own gather. */
void zap_page_range(struct vm_area_struct *vma, unsigned long start, unsigned long end);
/* fork: map src's pages into dst copy-on-write (both write-protected). 0 or -ENOMEM. */
int copy_page_range(struct vm_area_struct *dst, struct vm_area_struct *src);
/* The shared zero page (read faults on never-written anon memory). */
extern struct page *zero_page;
/* Is pfn the zero page's? */
bool is_zero_pfn(unsigned long pfn);
/* The PTE of a write fault mapping folio's first page in vma: writable, dirty and soft-dirty. */
pte_t mk_anon_pte(struct folio *folio, struct vm_area_struct *vma);
/* ... mapping page (of an anon folio) instead. */
pte_t mk_anon_page_pte(struct page *page, struct vm_area_struct *vma);
/*
 * How many PTEs of the aligned order-`order` block around addr map anon
 * pages (present, not the zero page); 0 when the block leaves vma or has
 * no PTE table.  Takes the PTE-table lock.  What the utilisation policy
 * measures (mm/policy/utilisation.c).
 */
unsigned int anon_block_mapped(struct vm_area_struct *vma, unsigned long addr, unsigned int order);
/* Is the naturally aligned 2^order block around addr inside vma? (Inside one PTE table: order <= 9.) */
bool order_fits_vma(const struct vm_area_struct *vma, unsigned long addr, unsigned int order);
/*
 * Make a fresh folio allocated with __GFP_PREZERO zero for the user (its
 * block starts at start, the fault was at addr): nothing to do when the
 * allocator handed it out pre-zeroed, else zero it, the page at addr last.
 * Counted per page in pgzero_prezeroed or pgzero_fault.  No spinlock held.
 */
void anon_folio_zero(struct folio *folio, unsigned long start, unsigned long addr);
void mm_fault_init(void);

#endif
