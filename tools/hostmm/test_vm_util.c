/*
 * test_vm_util.c - helpers of the VM tests (see hostmm_vm.h).
 */
#include <stdio.h>
#include "tools/hostmm/hostmm_vm.h"

unsigned long vm_free_start;

#define VM_MAX_MMS 16
static struct mm_struct *vm_mms[VM_MAX_MMS];

static struct anon_order_config default_config;
static bool have_default_config;

static phys_addr_t host_pgtable_alloc(void)
{
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 0);

	return page ? (phys_addr_t)page_to_pfn(page) << PAGE_SHIFT : 0;
}

void vm_setup(void)
{
	if (!have_default_config) {
		default_config = anon_order_config;
		have_default_config = true;
	}
	/* rmap.c's queue is static: a folio left on it by an earlier test would dangle now. */
	if (deferred_split_count())
		panic("vm_setup: %lu folios left on the deferred split queue", deferred_split_count());
	anon_order_config = default_config;
	memset(vm_events, 0, sizeof(vm_events));
	memset(mthp_stats, 0, sizeof(mthp_stats));
	memset(pgalloc_order, 0, sizeof(pgalloc_order));
	nr_anon_pages = 0;
	/*
	 * The kernel reserves page 0 (kernel/main.c): physical address 0 means
	 * "no page" to pgtable_alloc_page.  The fake map has RAM there, so take
	 * that frame out of the allocator for the VM tests.
	 */
	if (page_ref_count(pfn_to_page(0)) == 0) {
		drain_all();
		drained[0] = NULL;
		undrain_all();
	}
	pgtable_alloc_page = host_pgtable_alloc;
	kernel_pgd = host_pgtable_alloc();
	mm_fault_init();
	vmscan_init();
	thp_sysfs_init();
	vm_fault_race_inject("0");
	hostmm_tasks_reset();
	current->mm = NULL;
	current->minflt = 0;
	switch_mm(NULL);
	vm_free_start = nr_free_pages();
}

static void vm_track(struct mm_struct *mm)
{
	for (unsigned int i = 0; i < VM_MAX_MMS; i++) {
		if (!vm_mms[i]) {
			vm_mms[i] = mm;
			return;
		}
	}
	panic("vm_track: too many mms");
}

struct mm_struct *vm_mm_new(void)
{
	struct mm_struct *mm = mm_alloc();

	if (!mm)
		panic("vm_mm_new: mm_alloc failed");
	mm->mmap_base = VM_MMAP_BASE;
	vm_track(mm);
	return mm;
}

struct mm_struct *vm_setup_mm(unsigned long off, unsigned long len)
{
	struct mm_struct *mm;

	vm_setup();
	mm = vm_mm_new();
	vm_use(mm);
	if (vm_map_rw(VM_BASE + off, len) != (long)(VM_BASE + off))
		panic("vm_setup_mm: mmap failed");
	return mm;
}

struct mm_struct *vm_mm_dup(struct mm_struct *mm)
{
	struct mm_struct *child = dup_mm(mm);

	if (child)
		vm_track(child);
	return child;
}

void vm_mm_put(struct mm_struct *mm)
{
	for (unsigned int i = 0; i < VM_MAX_MMS; i++)
		if (vm_mms[i] == mm)
			vm_mms[i] = NULL;
	if (current->mm == mm)
		current->mm = NULL;
	if (active_mm() == mm)
		switch_mm(NULL);
	mmput(mm);
}

static void cleanup_one(struct mm_struct *mm)
{
	jmp_buf jb, *prev = hostmm_panic_jmp;

	hostmm_panic_jmp = &jb;
	if (setjmp(jb) == 0) {
		mm->mmap_lock.held = 0;
		mm->mm_users = 1;
		mmput(mm);
	} else {
		fprintf(stderr, "hostmm_vm_cleanup: panic releasing an mm: %s\n", hostmm_panic_msg);
	}
	hostmm_panic_jmp = prev;
}

/* After every test: release what it left (a failed test); a panic here is reported, not fatal. */
void hostmm_vm_cleanup(void)
{
	for (unsigned int i = 0; i < VM_MAX_MMS; i++) {
		if (vm_mms[i]) {
			struct mm_struct *mm = vm_mms[i];

			vm_mms[i] = NULL;
			cleanup_one(mm);
		}
	}
	hostmm_tasks_reset();
	current->mm = NULL;
	switch_mm(NULL);
}

void vm_use(struct mm_struct *mm)
{
	current->mm = mm;
	switch_mm(mm);
}

static long call6(long (*fn)(const struct syscall_args *), unsigned long a0, unsigned long a1,
		  unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)
{
	struct syscall_args args = { { a0, a1, a2, a3, a4, a5 } };

	return fn(&args);
}

long vm_mmap(unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags)
{
	return call6(sys_mmap, addr, len, prot, flags, (unsigned long)-1, 0);
}

long vm_munmap(unsigned long addr, unsigned long len)
{
	return call6(sys_munmap, addr, len, 0, 0, 0, 0);
}

long vm_mprotect(unsigned long addr, unsigned long len, unsigned long prot)
{
	return call6(sys_mprotect, addr, len, prot, 0, 0, 0);
}

long vm_madvise(unsigned long addr, unsigned long len, int advice)
{
	return call6(sys_madvise, addr, len, (unsigned long)advice, 0, 0, 0);
}

long vm_map_rw(unsigned long addr, unsigned long len)
{
	return vm_mmap(addr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
}

int vm_fault(struct mm_struct *mm, unsigned long addr, bool write)
{
	struct vm_area_struct *vma;
	int ret = VM_FAULT_SIGSEGV;

	mmap_write_lock(mm);
	vma = vma_lookup(mm, addr);
	if (vma)
		ret = handle_mm_fault(vma, addr, write ? FAULT_FLAG_WRITE : 0);
	mmap_write_unlock(mm);
	return ret;
}

/*
 * The MMU's part of an access: the byte at addr through a PTE that allows
 * it, A (and D for a write) set as hardware does; NULL when the access must
 * fault first.
 */
static unsigned char *vm_mmu_access(struct mm_struct *mm, unsigned long addr, bool write)
{
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(mm, addr, &ptl), pte;
	unsigned char *byte = NULL;

	if (!ptep)
		return NULL;
	pte = ptep_get(ptep);
	if (pte_present(pte) && (!write || pte_write(pte))) {
		pte = pte_mkyoung(write ? pte_mkdirty(pte) : pte);
		*(volatile pte_t *)ptep = pte;
		byte = (unsigned char *)page_address(pfn_to_page(pte_pfn(pte))) + (addr & (PAGE_SIZE - 1));
	}
	spin_unlock(ptl);
	return byte;
}

/* The user-mode fault of an access to addr in mm (do_page_fault, the VMA's protection checked). */
static int vm_user_fault(struct mm_struct *mm, unsigned long addr, unsigned int flags)
{
	struct mm_struct *prev = current->mm;
	int ret;

	current->mm = mm;
	ret = do_page_fault(addr, flags | FAULT_FLAG_USER);
	current->mm = prev;
	return ret;
}

/*
 * The byte the access reaches, faulting as the CPU would until the PTE
 * allows it (a fault that lost a race returns OK without mapping: the access
 * faults again); NULL with *ret the fault's error.
 */
static unsigned char *vm_user_access(struct mm_struct *mm, unsigned long addr, bool write, int *ret)
{
	unsigned char *byte;

	*ret = VM_FAULT_OK;
	while (!(byte = vm_mmu_access(mm, addr, write))) {
		*ret = vm_user_fault(mm, addr, write ? FAULT_FLAG_WRITE : 0);
		if (*ret != VM_FAULT_OK)
			return NULL;
	}
	return byte;
}

int vm_user_write(struct mm_struct *mm, unsigned long addr, unsigned char val)
{
	int ret;
	unsigned char *byte = vm_user_access(mm, addr, true, &ret);

	if (byte)
		*byte = val;
	return ret;
}

int vm_user_read(struct mm_struct *mm, unsigned long addr)
{
	int ret;
	unsigned char *byte = vm_user_access(mm, addr, false, &ret);

	return byte ? *byte : -1;
}

pte_t vm_pte(struct mm_struct *mm, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(mm, addr, &ptl), pte;

	if (!ptep)
		return __pte(0);
	pte = ptep_get(ptep);
	spin_unlock(ptl);
	return pte;
}

void vm_prealloc_tables(struct mm_struct *mm, unsigned long addr)
{
	spinlock_t *ptl;

	if (!pte_alloc_map_lock(mm, addr, &ptl))
		panic("vm_prealloc_tables: no memory");
	spin_unlock(ptl);
}

struct folio *vm_folio_at(struct mm_struct *mm, unsigned long addr)
{
	pte_t pte = vm_pte(mm, addr);

	if (!pte_present(pte) || pte_pfn(pte) == page_to_pfn(zero_page))
		return NULL;
	return page_folio(pfn_to_page(pte_pfn(pte)));
}

int vm_order_at(struct mm_struct *mm, unsigned long addr)
{
	struct folio *folio = vm_folio_at(mm, addr);

	return folio ? (int)folio_order(folio) : -1;
}

struct vm_area_struct *vm_vma(struct mm_struct *mm, unsigned long addr)
{
	return vma_lookup(mm, addr);
}

void vm_policy(enum thp_mode top, enum thp_mode size)
{
	anon_order_config.top = top;
	for (unsigned int k = 0; k <= MTHP_MAX_ORDER; k++)
		anon_order_config.size[k] = size;
	anon_order_config.allow_order1 = true;
	anon_order_config.policy = ANON_POLICY_STATIC;
}

void vm_policy_only(unsigned int order)
{
	vm_policy(THP_NEVER, THP_NEVER);
	anon_order_config.size[order] = THP_ALWAYS;
}

static const struct host_pseudo_file *vm_knob(const char *path)
{
	const struct host_pseudo_file *f = hostmm_pseudo_file(path);

	if (!f)
		panic("vm_knob: %s not registered", path);
	return f;
}

long vm_knob_write(const char *path, const char *val)
{
	return vm_knob(path)->store(val, strlen(val));
}

long vm_knob_read(const char *path, char *buf, size_t len)
{
	return vm_knob(path)->show(buf, len);
}

long vm_fault_race_inject(const char *val)
{
	return vm_knob_write(FOLIO_SYSFS_DIR "/fault_race_inject", val);
}
