/*
 * mmap.c - mmap, munmap, mprotect and brk for anonymous memory, private
 * and shared, and for memfd files (shared memory: mm/shmem.c), with
 * Linux's argument checks and errno values.
 *
 * Placement: MAP_FIXED takes the range (unmapping what was there);
 * MAP_FIXED_NOREPLACE fails with -EEXIST if anything is there (with or
 * without MAP_FIXED: Linux turns NOREPLACE into FIXED plus the check); otherwise a
 * free hint is honoured, else the highest free gap below mm->mmap_base
 * (top-down, as Linux's default layout).  A mapping placed by that search
 * that is at least as long as the largest enabled folio size is aligned
 * to that size (anon_mmap_align), as Linux 6.7+ aligns anonymous mappings
 * for THP, so every aligned block of it can be one folio.
 *
 * vm.max_map_count (/proc/sys/vm/max_map_count, registered here): mmap and
 * brk refuse with -ENOMEM when map_count > max_map_count on entry (Linux's
 * do_mmap / do_brk_flags); splits check map_count >= max_map_count
 * (vma_split_range).
 *
 * Limits (kernel/resource.c): RLIMIT_AS bounds all mapped memory and
 * RLIMIT_DATA the private writable, non-stack part (Linux 4.7+), for mmap
 * and brk alike (may_expand_vm: -ENOMEM; brk keeps the old break); VMAs
 * locked by MAP_LOCKED or mlockall(MCL_FUTURE) (mm->def_flags) count
 * against RLIMIT_MEMLOCK and are populated (mm/mlock.c).
 *
 * SMP: these calls run without the big kernel lock (kernel/syscall.c),
 * under mmap_lock taken for writing.  They take the big kernel lock for
 * what it still guards: a file mapping holds it from the fd lookup until
 * its VMA holds the object (sys_mmap), and a call that changes or removes
 * a VMA mapping a shmem object holds it meanwhile (shmem_lock_range,
 * mm/shmem.h).  The knobs are single words, written once by their /proc
 * writer (WRITE_ONCE) and read once by each call (READ_ONCE): a call
 * racing a write sees the old or the new value.
 */
#include "kernel/sched.h"
#include "kernel/slab.h"
#include "kernel/smp_lock.h"
#include "kernel/syscall.h"
#include "kernel/vfs.h"
#include "mm/mm.h"
#include "mm/anon_order.h"
#include "mm/huge_mm.h"
#include "mm/mlock.h"
#include "mm/overcommit.h"
#include "mm/pgtable.h"
#include "mm/shmem.h"
#include "mm/soft_dirty.h"
#include "mm/vma.h"
#include <uapi/errno.h>
#include <uapi/mman.h>

/*
 * Lowest address mmap hands out or accepts with MAP_FIXED (Linux's
 * mmap_min_addr, /proc/sys/vm/mmap_min_addr; 65536 as distributions set it).
 * Below it MAP_FIXED is -EPERM, as Linux for a process without CAP_SYS_RAWIO
 * (foliOS grants no exemption), and a hint is raised to it.
 */
unsigned long mmap_min_addr = 65536;
#define MMAP_MIN_ADDR	PAGE_ALIGN(READ_ONCE(mmap_min_addr))

static bool range_is_free(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma = find_vma(mm, start);

	return !vma || vma->vm_start >= end;
}

/* Highest gap of len bytes below mmap_base (and above MMAP_MIN_ADDR); 0 if none. */
static unsigned long get_unmapped_area_topdown(struct mm_struct *mm, unsigned long len)
{
	unsigned long top = mm->mmap_base;
	struct list_head *pos = &mm->mmap;

	/* Walk VMAs from the highest down; [floor, top) is the gap below top. */
	for (;;) {
		struct vm_area_struct *vma;
		unsigned long floor;

		pos = pos->prev;
		vma = pos == &mm->mmap ? NULL : list_entry(pos, struct vm_area_struct, vm_list);
		floor = vma ? vma->vm_end : MMAP_MIN_ADDR;
		if (floor < top && top - floor >= len)
			return top - len;
		if (!vma)
			return 0;
		top = min(top, vma->vm_start);
	}
}

/*
 * The alignment for an anonymous mapping of len bytes placed by the gap
 * search: the largest enabled folio size when len is at least that (so
 * 2M when 2M is enabled), else none (0).  Linux 6.12 aligns to PMD_SIZE
 * only, and only lengths that are multiples of it; foliOS aligns to
 * whichever size is largest and asks only len >= it (docs/mm/vma.md).
 */
static unsigned long anon_mmap_align(unsigned long len)
{
	unsigned long align = PAGE_SIZE << anon_order_max_enabled();

	return align > PAGE_SIZE && len >= align ? align : 0;
}

/*
 * Linux's __thp_get_unmapped_area, top-down: find a gap for len + align,
 * then take the highest start in it congruent to off modulo align; 0 when
 * no gap is that large (the caller places the mapping unaligned).
 */
static unsigned long get_unmapped_area_aligned(struct mm_struct *mm, unsigned long len,
					       unsigned long align, unsigned long off)
{
	unsigned long addr, top;

	if (len + align < len)
		return 0;
	addr = get_unmapped_area_topdown(mm, len + align);
	if (!addr)
		return 0;
	top = addr + align;
	return top - ((top - off) & (align - 1));
}

static unsigned long prot_to_vm_flags(unsigned long prot)
{
	return ((prot & PROT_READ) ? VM_READ : 0) | ((prot & PROT_WRITE) ? VM_WRITE : 0) |
	       ((prot & PROT_EXEC) ? VM_EXEC : 0);
}

/*
 * Is the page at addr present, and writable when write says so (Linux's
 * follow_page_pte under FOLL_WRITE)?  The zero page counts for reads only.
 */
bool page_populated(struct mm_struct *mm, unsigned long addr, bool write)
{
	spinlock_t *ptl;
	pte_t *ptep;
	pmd_t pmd;
	bool ret;

	if (huge_pmd_lookup(mm, addr, &pmd))
		return !write || pmd_write(pmd);	/* a PMD block maps it */
	ptep = pte_offset_map_lock(mm, addr, &ptl);
	if (!ptep)
		return false;
	ret = pte_present(ptep_get(ptep)) && (!write || pte_write(ptep_get(ptep)));
	spin_unlock(ptl);
	return ret;
}

/*
 * Fault until every page of [start, end) is present (and writable for a
 * write), as Linux's populate through GUP: a fault that returns without
 * mapping the page (it lost a race, its copy was dropped, it mapped the
 * zero page for a racing read) is simply taken again.  A fatal signal ends
 * it with -EINTR, a hole or memory running out with -ENOMEM, a VMA that
 * does not allow the access with -EFAULT.
 */
int populate_range(struct mm_struct *mm, unsigned long start, unsigned long end, bool write)
{
	for (unsigned long addr = start; addr < end; addr += PAGE_SIZE) {
		while (!page_populated(mm, addr, write)) {
			struct vm_area_struct *vma = vma_lookup(mm, addr);
			int ret;

			if (!vma)
				return -ENOMEM;
			if (!(vma->vm_flags & (write ? VM_WRITE : VM_ACCESS_FLAGS)))
				return -EFAULT;	/* no fault could ever make it so */
			if (fatal_signal_pending(current))
				return -EINTR;
			ret = handle_mm_fault(vma, addr, write ? FAULT_FLAG_WRITE : 0);
			if (ret == VM_FAULT_OOM)
				return -ENOMEM;
			if (ret != VM_FAULT_OK && ret != VM_FAULT_RETRY)
				return -EFAULT;
		}
	}
	return 0;
}

/*
 * Unmap [start, start+len): split the VMAs at the range's edges first, then
 * zap and free what lies inside ("split before you zap"), so a split that
 * cannot allocate fails the call with every page still mapped.  A range
 * over several VMAs is all or nothing, as Linux's (it splits the first and
 * the last VMA before it unmaps anything).
 */
int do_munmap(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	unsigned long end = start + len;

	mmap_assert_locked(mm);
	if (vma_split_range(mm, start, end, VMA_SPLIT_UNMAP))
		return -ENOMEM;
	vm_unacct_memory((long)vma_unmap_range(mm, start, end));
	return 0;
}

/*
 * Checks of mmap's flags that Linux makes before looking at the address
 * space (unknown prot bits are ignored), and the file of a file mapping
 * (*file; NULL for anonymous memory): an fd that is not open is -EBADF, a
 * file without f_op->mmap (every kind but memfd) -ENODEV.  Anonymous
 * memory takes MAP_PRIVATE or MAP_SHARED (MAP_SHARED_VALIDATE is -EINVAL
 * there, as Linux's do_mmap), a shared one not MAP_GROWSDOWN.
 */
static long mmap_check_flags(unsigned long flags, int fd, struct file **file)
{
	unsigned long type = flags & MAP_TYPE;

	*file = NULL;
	if (type != MAP_PRIVATE && type != MAP_SHARED && type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS)) {
		if (fd < 0 || fd >= NR_OPEN_DEFAULT || !current->files->fd[fd])
			return -EBADF;
		*file = current->files->fd[fd];
		return (*file)->f_op->mmap ? 0 : -ENODEV;
	}
	if (type == MAP_SHARED_VALIDATE || (type == MAP_SHARED && (flags & MAP_GROWSDOWN)))
		return -EINVAL;
	return 0;
}

long get_unmapped_area(struct mm_struct *mm, unsigned long addr, unsigned long len,
		       unsigned long pgoff, unsigned long flags)
{
	unsigned long align;

	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (addr & ~PAGE_MASK)
			return -EINVAL;
		if (addr > TASK_SIZE - len)
			return -ENOMEM;
		if (addr < MMAP_MIN_ADDR)
			return -EPERM;
		/* Even with MAP_FIXED: NOREPLACE wins (Linux makes it FIXED plus this check). */
		if ((flags & MAP_FIXED_NOREPLACE) && !range_is_free(mm, addr, addr + len))
			return -EEXIST;
		return addr;
	}
	addr = ALIGN_DOWN(addr, PAGE_SIZE);
	if (addr && addr < MMAP_MIN_ADDR)	/* Linux's round_hint_to_min */
		addr = MMAP_MIN_ADDR;
	if (addr >= MMAP_MIN_ADDR && addr <= TASK_SIZE - len && range_is_free(mm, addr, addr + len))
		return addr;
	align = anon_mmap_align(len);
	addr = align ? get_unmapped_area_aligned(mm, len, align, pgoff << PAGE_SHIFT) : 0;
	if (!addr)
		addr = get_unmapped_area_topdown(mm, len);
	return addr ? (long)addr : -ENOMEM;
}

/* (vma.h) */
bool may_expand_vm(const struct mm_struct *mm, unsigned long flags, unsigned long addr,
		   unsigned long npages)
{
	unsigned long as = rlimit(RLIMIT_AS), data = rlimit(RLIMIT_DATA);
	unsigned long end = addr + (npages << PAGE_SHIFT);
	unsigned long data_mask = VM_WRITE | VM_SHARED | VM_GROWSDOWN;

	if (as != RLIM_INFINITY &&
	    vma_pages_matching(mm, 0, TASK_SIZE, 0, 0) - vma_pages_matching(mm, addr, end, 0, 0) + npages >
	    as >> PAGE_SHIFT)
		return false;
	if (data != RLIM_INFINITY && (flags & data_mask) == VM_WRITE &&
	    vma_pages_matching(mm, 0, TASK_SIZE, data_mask, VM_WRITE) -
	    vma_pages_matching(mm, addr, end, data_mask, VM_WRITE) + npages > data >> PAGE_SHIFT)
		return false;
	return true;
}

/*
 * Everything that can fail comes first: the overcommit charge (only for
 * what the accounted mappings being replaced do not already hold, as
 * Linux's __mmap_region), the new VMA, the splits of the old mappings at
 * the edges; so -ENOMEM leaves the old mappings and their data as they
 * were.  Then the old pages go and the new VMA takes their place.
 */
long mmap_region(struct mm_struct *mm, unsigned long addr, unsigned long len, unsigned long vm_flags)
{
	return mmap_region_file(mm, addr, len, vm_flags, NULL, 0);
}

/*
 * The object a new VMA maps, before the VMA joins the address space: the
 * file's (f_op->mmap: it may refuse, -EPERM for a write-sealed memfd), a new
 * "/dev/zero" object for shared anonymous memory (shmem_zero_setup), or
 * none.  0 or -errno with vma mapping nothing.
 */
static int mmap_attach(struct vm_area_struct *vma, struct file *file, unsigned long pgoff)
{
	if (file) {
		vma->vm_pgoff = pgoff;
		return file->f_op->mmap(file, vma);
	}
	if (vma->vm_flags & VM_SHARED) {
		vma->vm_pgoff = 0;
		return shmem_zero_setup(vma);
	}
	return 0;
}

long mmap_region_file(struct mm_struct *mm, unsigned long addr, unsigned long len, unsigned long vm_flags,
		      struct file *file, unsigned long pgoff)
{
	unsigned long end = addr + len, removed;
	long charged = 0, err;
	struct vm_area_struct *vma;

	mmap_assert_locked(mm);
	if (vm_flags & VM_ACCOUNT) {
		charged = (long)((len >> PAGE_SHIFT) - vma_accounted_pages(mm, addr, end));
		if (charged && vm_enough_memory(mm, charged))
			return -ENOMEM;
	}
	/* Linux: "New (or expanded) vma always get soft dirty status" (docs/mm/soft-dirty.md). */
	vma = vma_alloc(mm, addr, end, vm_flags | VM_SOFTDIRTY);
	err = vma ? mmap_attach(vma, file, pgoff) : -ENOMEM;
	if (!err && vma_split_range(mm, addr, end, VMA_SPLIT_UNMAP))
		err = -ENOMEM;
	if (err) {
		if (vma && vma->vm_shmem)
			shmem_vma_unlink(vma);
		kfree(vma);
		vm_unacct_memory(charged);
		return err;
	}
	removed = vma_unmap_range(mm, addr, end);
	if (!(vm_flags & VM_ACCOUNT))
		vm_unacct_memory((long)removed);	/* else the new VMA holds their charge */
	vma_insert(vma);
	return addr;
}

/*
 * Memory-deny-write-execute (prctl PR_SET_MDWE, Linux's map_deny_write_exec):
 * with MMF_HAS_MDWE no mapping may be writable and executable at once, and
 * none may gain PROT_EXEC (old: the VMA's flags before; a new mapping passes
 * its own flags, so a new PROT_EXEC mapping is allowed).
 */
static bool map_deny_write_exec(const struct mm_struct *mm, unsigned long old, unsigned long new)
{
	if (!(mm->flags & MMF_HAS_MDWE))
		return false;
	return ((new & VM_EXEC) && (new & VM_WRITE)) || (!(old & VM_EXEC) && (new & VM_EXEC));
}

/* mmap's work, with the big kernel lock held for a file mapping (sys_mmap). */
static long mmap_pgoff(unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags,
		       int fd, unsigned long off)
{
	struct mm_struct *mm = current->mm;
	unsigned long vm_flags, pgoff = off >> PAGE_SHIFT;
	struct file *file;
	bool shmem_locked;
	long ret;

	if (off & ~PAGE_MASK)
		return -EINVAL;
	if (!len)
		return -EINVAL;
	/* Anonymous hugetlbfs memory: no huge pages are ever reserved (Linux's hugetlb_file_setup). */
	if ((flags & (MAP_ANONYMOUS | MAP_HUGETLB)) == (MAP_ANONYMOUS | MAP_HUGETLB))
		return -ENOMEM;
	ret = mmap_check_flags(flags, fd, &file);
	if (ret)
		return ret;
	len = PAGE_ALIGN(len);
	if (!len || len > TASK_SIZE)
		return -ENOMEM;
	if (file && pgoff + (len >> PAGE_SHIFT) < pgoff)
		return -EOVERFLOW;
	vm_flags = prot_to_vm_flags(prot) | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC |
		   ((flags & MAP_GROWSDOWN) ? VM_GROWSDOWN : 0) | ((flags & MAP_LOCKED) ? VM_LOCKED : 0);
	if ((flags & MAP_TYPE) != MAP_PRIVATE)
		vm_flags |= VM_SHARED | VM_MAYSHARE;
	/* MAP_NORESERVE is honoured only where overcommit is allowed (Linux's do_mmap). */
	if ((flags & MAP_NORESERVE) && READ_ONCE(sysctl_overcommit_memory) != OVERCOMMIT_NEVER)
		vm_flags |= VM_NORESERVE;
	if (vm_flags_accountable(vm_flags))
		vm_flags |= VM_ACCOUNT;
	mmap_write_lock(mm);
	vm_flags |= mm->def_flags;	/* (m): mlockall(MCL_FUTURE) in another thread */
	/* Too many mappings?  (Linux's do_mmap: before the placement, one over is allowed.) */
	ret = mm->map_count > READ_ONCE(sysctl_max_map_count) ? -ENOMEM :
	      get_unmapped_area(mm, addr, len, pgoff, flags);
	/* MAP_FIXED may replace shmem mappings there. */
	shmem_locked = ret >= 0 && shmem_lock_range(mm, (unsigned long)ret, (unsigned long)ret + len);
	if (ret >= 0 && (flags & MAP_LOCKED) && !can_do_mlock())
		ret = -EPERM;
	else if (ret >= 0 && !mlock_future_ok(mm, vm_flags, len))
		ret = -EAGAIN;
	else if (ret >= 0 && !may_expand_vm(mm, vm_flags, (unsigned long)ret, len >> PAGE_SHIFT))
		ret = -ENOMEM;
	else if (ret >= 0 && map_deny_write_exec(mm, vm_flags, vm_flags))
		ret = -EACCES;
	if (ret >= 0)
		ret = mmap_region_file(mm, ret, len, vm_flags, file, pgoff);
	if (ret >= 0 && (vm_flags & VM_LOCKED))
		mlock_populate(mm, ret, ret + len, true);
	else if (ret >= 0 && (flags & MAP_POPULATE) && (prot & (PROT_READ | PROT_WRITE)))
		populate_range(mm, ret, ret + len, prot & PROT_WRITE);
	shmem_unlock_range(shmem_locked);
	mmap_write_unlock(mm);
	return ret;
}

/*
 * A file mapping runs whole under the big kernel lock: the fd table and the
 * file, whose f_op->mmap gives the VMA its object (mmap_check_flags,
 * mmap_attach); anonymous memory takes it only for a shmem object
 * (shmem_zero_setup, shmem_lock_range).
 */
SYSCALL_DEFINE6(mmap, unsigned long, addr, unsigned long, len, unsigned long, prot,
		unsigned long, flags, int, fd, unsigned long, off)
{
	long ret;

	if (flags & MAP_ANONYMOUS)
		return mmap_pgoff(addr, len, prot, flags, fd, off);
	lock_kernel();
	ret = mmap_pgoff(addr, len, prot, flags, fd, off);
	unlock_kernel();
	return ret;
}

SYSCALL_DEFINE2(munmap, unsigned long, addr, unsigned long, len)
{
	struct mm_struct *mm = current->mm;
	bool locked;
	long ret;

	if ((addr & ~PAGE_MASK) || !len)
		return -EINVAL;
	len = PAGE_ALIGN(len);
	if (!len || len > TASK_SIZE || addr > TASK_SIZE - len)
		return -EINVAL;
	mmap_write_lock(mm);
	locked = shmem_lock_range(mm, addr, addr + len);
	ret = do_munmap(mm, addr, len);
	shmem_unlock_range(locked);
	mmap_write_unlock(mm);
	return ret;
}

/*
 * The PTE for a present page after mprotect: the VMA's new protection, the
 * dirty and soft-dirty bits kept, and still writable when the VMA allows
 * writing, the page is exclusively ours (anon, PageAnonExclusive) and
 * soft-dirty tracking does not need the write fault (as Linux's
 * can_change_pte_writable), so no needless copy-on-write follows.
 */
static pte_t mprotect_pte(const struct vm_area_struct *vma, pte_t pte)
{
	pte_t new = pfn_pte(pte_pfn(pte), vma->vm_page_prot);
	struct page *page = pfn_to_page(pte_pfn(pte));

	if (pte_dirty(pte))
		new = pte_mkdirty(new);
	if (pte_soft_dirty(pte))
		new = pte_mksoft_dirty(new);
	if ((vma->vm_flags & VM_WRITE) && page != zero_page &&
	    ((vma->vm_flags & VM_SHARED) || PageAnonExclusive(page)) && soft_dirty_may_mkwrite(vma, pte))
		new = pte_mkwrite(new);	/* a shared mapping's page is the object's: always writable */
	return new;
}

/* Give vma newflags and rewrite its PTEs; returns the VMA it is part of after merging. */
static struct vm_area_struct *mprotect_fixup(struct vm_area_struct *vma, unsigned long newflags)
{
	unsigned long addr;
	unsigned int nr;
	spinlock_t *ptl;
	pte_t *ptep;

	if (newflags == vma->vm_flags)
		return vma;
	vma->vm_flags = newflags;
	vma->vm_page_prot = vm_get_page_prot(newflags);
	change_huge_pmds(vma);
	for (addr = vma->vm_start; (ptep = pte_next_table_lock(vma->vm_mm, &addr, vma->vm_end, &nr, &ptl));
	     addr += (unsigned long)nr << PAGE_SHIFT) {
		for (unsigned int i = 0; i < nr; i++) {
			pte_t pte = ptep_get(&ptep[i]);

			if (pte_present(pte))
				ptep_set(vma->vm_mm, addr + ((unsigned long)i << PAGE_SHIFT), &ptep[i],
					 mprotect_pte(vma, pte));
		}
		spin_unlock(ptl);
	}
	return vma_merge_neighbours(vma);
}

/*
 * vma's flags once mprotect gives it prot, VM_ACCOUNT included (Linux's
 * mprotect_fixup): a private mapping that becomes writable is charged,
 * unless it was writable or charged before or is MAP_NORESERVE; one that
 * stops being writable keeps its charge (its pages may be dirty), except
 * when it never got an anon_vma, so never had a page of its own.
 */
static unsigned long mprotect_newflags(const struct vm_area_struct *vma, unsigned long prot)
{
	unsigned long old = vma->vm_flags, new = (old & ~VM_ACCESS_FLAGS) | prot_to_vm_flags(prot);

	if (new & VM_WRITE) {
		if (!(old & (VM_ACCOUNT | VM_WRITE | VM_SHARED | VM_NORESERVE)))
			new |= VM_ACCOUNT;
	} else if ((old & VM_ACCOUNT) && !vma->anon_vma) {
		new &= ~VM_ACCOUNT;
	}
	return new;
}

/*
 * Charge each part of [start, end) (mapped without holes) that mprotect
 * makes VM_ACCOUNT, VMA by VMA as Linux checks them; all or nothing: on a
 * refusal what was charged is given back.  Returns the pages charged, or
 * -ENOMEM.
 */
static long mprotect_charge(struct mm_struct *mm, unsigned long start, unsigned long end,
			    unsigned long prot)
{
	long charged = 0;

	for (unsigned long addr = start; addr < end; ) {
		struct vm_area_struct *vma = vma_lookup(mm, addr);
		unsigned long next = min(end, vma->vm_end);
		long pages = (long)((next - addr) >> PAGE_SHIFT);

		if ((mprotect_newflags(vma, prot) & ~vma->vm_flags & VM_ACCOUNT)) {
			if (vm_enough_memory(mm, pages)) {
				vm_unacct_memory(charged);
				return -ENOMEM;
			}
			charged += pages;
		}
		addr = next;
	}
	return charged;
}

/*
 * Change the protection of [start, end), which must be mapped without
 * holes.  All or nothing: the overcommit charge and the splits of the
 * VMAs at the edges (only where the protection changes, so a VMA that
 * keeps its flags stays whole, as Linux leaves it) come first, and
 * nothing after them can fail.
 */
int do_mprotect(struct mm_struct *mm, unsigned long start, unsigned long end, unsigned long prot)
{
	struct vm_area_struct *vma, *first, *last;
	unsigned long addr = start;
	long charged;

	mmap_assert_locked(mm);
	for (vma = find_vma(mm, start); addr < end; vma = find_vma(mm, addr)) {
		if (!vma || vma->vm_start > addr)
			return -ENOMEM;
		addr = vma->vm_end;
	}
	charged = mprotect_charge(mm, start, end, prot);
	if (charged < 0)
		return -ENOMEM;
	first = vma_lookup(mm, start);
	last = vma_lookup(mm, end - 1);
	if (vma_split_range(mm, mprotect_newflags(first, prot) != first->vm_flags ? start : first->vm_start,
			    mprotect_newflags(last, prot) != last->vm_flags ? end : last->vm_end,
			    VMA_SPLIT_CHANGE)) {
		vm_unacct_memory(charged);
		return -ENOMEM;
	}
	for (addr = start; addr < end; addr = vma->vm_end) {
		unsigned long newflags;

		vma = vma_lookup(mm, addr);
		newflags = mprotect_newflags(vma, prot);
		if (vma->vm_flags & ~newflags & VM_ACCOUNT)
			vm_unacct_memory((long)((vma->vm_end - vma->vm_start) >> PAGE_SHIFT));
		vma = mprotect_fixup(vma, newflags);
	}
	return 0;
}

/*
 * Linux's do_mprotect_pkey: its checks in its order (length 0 is 0 before
 * prot is looked at; PROT_SEM is accepted; PROT_GROWSDOWN extends the
 * range down to the start of a VM_GROWSDOWN VMA, -EINVAL on any other,
 * -ENOMEM when nothing is mapped; PROT_GROWSUP is -EINVAL, no VMA grows
 * up).  start must be mapped; the VMAs up to the first hole change, then
 * the hole is -ENOMEM; likewise up to the first VMA memory-deny-write-execute
 * refuses, then -EACCES.
 */
SYSCALL_DEFINE3(mprotect, unsigned long, start, unsigned long, len, unsigned long, prot)
{
	unsigned long grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP), end, mapped_end;
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	bool denied = false, locked = false;
	long ret = -ENOMEM;

	prot &= ~(PROT_GROWSDOWN | PROT_GROWSUP);
	if (grows == (PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	if (!len)
		return 0;
	len = PAGE_ALIGN(len);
	end = start + len;
	if (end <= start)
		return -ENOMEM;
	if (prot & ~(unsigned long)(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM))
		return -EINVAL;
	if (end > TASK_SIZE)
		return -ENOMEM;
	mmap_write_lock(mm);
	vma = find_vma(mm, start);
	if (!vma || vma->vm_start >= end)
		goto out;
	if (grows & PROT_GROWSDOWN) {
		start = vma->vm_start;
		ret = -EINVAL;
		if (!(vma->vm_flags & VM_GROWSDOWN))
			goto out;
	} else if (vma->vm_start > start) {
		goto out;
	} else if (grows & PROT_GROWSUP) {
		ret = -EINVAL;
		goto out;
	}
	locked = shmem_lock_range(mm, start, end);
	/* The VMAs up to the first hole, or to the first one MDWE refuses (-EACCES), change. */
	for (mapped_end = start; mapped_end < end && (vma = vma_lookup(mm, mapped_end)); mapped_end = vma->vm_end) {
		if (map_deny_write_exec(mm, vma->vm_flags, mprotect_newflags(vma, prot))) {
			denied = true;
			break;
		}
	}
	ret = mapped_end > start ? do_mprotect(mm, start, min(end, mapped_end), prot) : 0;
	if (!ret && mapped_end < end)
		ret = denied ? -EACCES : -ENOMEM;
out:
	shmem_unlock_range(locked);
	mmap_write_unlock(mm);
	return ret;
}

/* Returns the new break, or the old one when the request cannot be met (Linux). */
SYSCALL_DEFINE1(brk, unsigned long, brk)
{
	struct mm_struct *mm = current->mm;
	unsigned long old, new = PAGE_ALIGN(brk), vm_flags, ret;
	bool locked = false;

	mmap_write_lock(mm);	/* mm->brk too: another thread's brk moves it */
	old = PAGE_ALIGN(mm->brk);
	vm_flags = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_ACCOUNT | mm->def_flags;
	ret = mm->brk;
	if (brk < mm->start_brk || brk > mm->mmap_base)
		goto out;
	/* Linux's check_data_rlimit (foliOS does not track the ELF data segment: the heap only). */
	if (rlimit(RLIMIT_DATA) != RLIM_INFINITY && brk - mm->start_brk > rlimit(RLIMIT_DATA))
		goto out;
	if (new < old) {
		locked = shmem_lock_range(mm, new, old);	/* a MAP_FIXED shmem mapping in the heap */
		if (do_munmap(mm, new, old - new))
			goto out;	/* the break stays where it was (Linux) */
	} else if (new > old) {
		/* The heap is always charged (Linux's do_brk_flags). */
		if (!range_is_free(mm, old, new) || mm->map_count > READ_ONCE(sysctl_max_map_count) ||
		    !may_expand_vm(mm, vm_flags, old, (new - old) >> PAGE_SHIFT) ||
		    !mlock_future_ok(mm, vm_flags, new - old) ||
		    mmap_region(mm, old, new - old, vm_flags) < 0)
			goto out;
		if (vm_flags & VM_LOCKED)
			mlock_populate(mm, old, new, true);
	}
	ret = mm->brk = brk;
out:
	shmem_unlock_range(locked);
	mmap_write_unlock(mm);
	return (long)ret;
}

static long max_map_count_show(char *buf, size_t len)
{
	return snprintf(buf, len, "%d\n", READ_ONCE(sysctl_max_map_count));
}

/* proc_dointvec_minmax with extra1 = SYSCTL_ZERO, as Linux's vm table. */
static long max_map_count_store(const char *buf, size_t len)
{
	return sysctl_int_store(buf, len, 0, __INT_MAX__, &sysctl_max_map_count);
}

static long mmap_min_addr_show(char *buf, size_t len)
{
	return snprintf(buf, len, "%lu\n", READ_ONCE(mmap_min_addr));
}

static long mmap_min_addr_store(const char *buf, size_t len)
{
	return sysctl_ulong_store(buf, len, &mmap_min_addr);
}

void mmap_init(void)
{
	pseudo_file_register("/proc/sys/vm/max_map_count", max_map_count_show, max_map_count_store);
	pseudo_file_register("/proc/sys/vm/mmap_min_addr", mmap_min_addr_show, mmap_min_addr_store);
}
