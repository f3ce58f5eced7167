/*
 * test_vm_util.c - helpers of the VM tests (see hostmm_vm.h).
 */
#include <stdio.h>
#include "mm/foliotrace.h"
#include "tools/hostmm/hostmm_vm.h"

unsigned long vm_free_start;

#define VM_MAX_MMS 80
static struct mm_struct *vm_mms[VM_MAX_MMS];

static struct anon_order_config default_config;
static bool have_default_config;

static phys_addr_t host_pgtable_alloc(void)
{
	struct page *page = hostmm_alloc_should_fail() ? NULL : alloc_pages(GFP_KERNEL | __GFP_ZERO, 0);

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
	shrink_underused = true;	/* the underused knobs' defaults (mm/split.c) */
	khugepaged_max_ptes_none = (1U << MTHP_MAX_ORDER) - 1;
	thp_pmd_mapping = false;	/* the PTE-level tests; test_huge_pmd.c and the random test turn it on */
	atomic_long_set(&nr_anon_thps, 0);
	memset(vm_event_states, 0, sizeof(vm_event_states));
	memset(mthp_stats, 0, sizeof(mthp_stats));
	atomic_long_set(&nr_anon_pages, 0);
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
	hostmm_fail_alloc(0);
	hostmm_set_user_space(HOSTMM_USER_X86_64);
	pgtable_alloc_page = host_pgtable_alloc;
	kernel_pgd = host_pgtable_alloc();
	mm_fault_init();
	vmscan_init();
	thp_sysfs_init();
	sysctl_overcommit_memory = OVERCOMMIT_GUESS;
	sysctl_overcommit_ratio = 50;
	sysctl_overcommit_kbytes = 0;
	atomic_long_set(&vm_committed_as, 0);
	overcommit_init();
	sysctl_max_map_count = DEFAULT_MAX_MAP_COUNT;
	mmap_init();
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
	mm->mmap_base = hostmm_user_mmap_base();
	vm_track(mm);
	return mm;
}

struct mm_struct *vm_setup_current_mm(void)
{
	struct mm_struct *mm;

	vm_setup();
	mm = vm_mm_new();
	vm_use(mm);
	return mm;
}

struct mm_struct *vm_setup_mm(unsigned long off, unsigned long len)
{
	struct mm_struct *mm = vm_setup_current_mm();

	if (vm_map_rw(VM_BASE + off, len) != (long)(VM_BASE + off))
		panic("vm_setup_mm: mmap failed");
	return mm;
}

struct mm_struct *vm_setup_64k_folio(struct folio **foliop)
{
	struct mm_struct *mm = vm_setup_current_mm();

	vm_policy_only(4);
	if (vm_map_rw(VM_BASE, K(64)) != (long)VM_BASE || vm_fault(mm, VM_BASE, true) != VM_FAULT_OK)
		panic("vm_setup_64k_folio: setup failed");
	*foliop = vm_folio_at(mm, VM_BASE);
	for (unsigned int i = 0; i < 16; i++)
		memset((char *)folio_address(*foliop) + PG(i), 'a' + i, PAGE_SIZE);
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
		init_rwsem(&mm->mmap_lock, "mmap_lock");	/* a caught panic may have left it held */
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
	hostmm_yield_hook = NULL;	/* a test that failed before taking its hook back */
	switch_mm(NULL);	/* no mm is freed while loaded (free_pgtables asserts it) */
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

long vm_mremap(unsigned long addr, unsigned long old_len, unsigned long new_len, unsigned long flags,
	       unsigned long new_addr)
{
	return call6(sys_mremap, addr, old_len, new_len, flags, new_addr, 0);
}

long vm_mprotect(unsigned long addr, unsigned long len, unsigned long prot)
{
	return call6(sys_mprotect, addr, len, prot, 0, 0, 0);
}

long vm_madvise(unsigned long addr, unsigned long len, int advice)
{
	return call6(sys_madvise, addr, len, (unsigned long)advice, 0, 0, 0);
}

long vm_mlock2(unsigned long addr, unsigned long len, int flags)
{
	return call6(sys_mlock2, addr, len, (unsigned long)flags, 0, 0, 0);
}

long vm_brk(unsigned long brk)
{
	return call6(sys_brk, brk, 0, 0, 0, 0, 0);
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

pmd_t *vm_huge_pmd(struct mm_struct *mm, unsigned long addr)
{
	unsigned long a = addr;
	pmd_t *pmdp = pmd_next_huge(mm, &a, addr + PAGE_SIZE);

	return pmdp && a <= addr ? pmdp : NULL;
}

/* The MMU's access through the PMD block at pmdp (vm_mmu_access). */
static unsigned char *vm_mmu_access_pmd(struct mm_struct *mm, pmd_t *pmdp, unsigned long addr, bool write)
{
	unsigned char *byte = NULL;
	pmd_t pmd;

	spin_lock(&mm->page_table_lock);
	pmd = pmdp_get(pmdp);
	if (pmd_trans_huge(pmd) && (!write || pmd_write(pmd))) {
		*(volatile pmd_t *)pmdp = pmd_mkyoung(write ? pmd_mkdirty(pmd) : pmd);
		byte = (unsigned char *)page_address(pfn_to_page(pmd_pfn(pmd))) + (addr & ~PMD_MASK);
	}
	spin_unlock(&mm->page_table_lock);
	return byte;
}

/*
 * The MMU's part of an access: the byte at addr through a PTE (or PMD
 * block) that allows it, A (and D for a write) set as hardware does; NULL
 * when the access must fault first.
 */
static unsigned char *vm_mmu_access(struct mm_struct *mm, unsigned long addr, bool write)
{
	spinlock_t *ptl;
	pmd_t *pmdp = vm_huge_pmd(mm, addr);
	pte_t *ptep = pmdp ? NULL : pte_offset_map_lock(mm, addr, &ptl), pte;
	unsigned char *byte = NULL;

	if (pmdp)
		return vm_mmu_access_pmd(mm, pmdp, addr, write);
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
	pmd_t *pmdp = vm_huge_pmd(mm, addr);
	pte_t *ptep = pmdp ? NULL : pte_offset_map_lock(mm, addr, &ptl), pte;

	if (pmdp) {
		pmd_t pmd = pmdp_get(pmdp);

		return pfn_pte(pmd_pfn(pmd) + ((addr & ~PMD_MASK) >> PAGE_SHIFT),
			       __pgprot(pmd_val(pmd) & ~PTE_ADDR_MASK & ~_PAGE_PSE));
	}
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

/* Call fn(vma, index, arg) for each of mm's VMAs in order; false as soon as fn says so. */
static bool each_vma(struct mm_struct *mm, bool (*fn)(struct vm_area_struct *, unsigned int, void *),
		     void *arg)
{
	struct list_head *pos;
	unsigned int i = 0;

	list_for_each(pos, &mm->mmap) {
		if (!fn(list_entry(pos, struct vm_area_struct, vm_list), i++, arg))
			return false;
	}
	return true;
}

#define SNAP_CMP	(1U << 31)

/* PTEs equal, but for the write bit when allow has VM_SNAP_WRPROTECTED. */
static bool pte_same_as(pte_t a, pte_t b, unsigned int allow)
{
	if ((allow & VM_SNAP_WRPROTECTED) && pte_present(a) && pte_present(b)) {
		a = pte_wrprotect(a);
		b = pte_wrprotect(b);
	}
	return pte_val(a) == pte_val(b);
}

/*
 * The PTEs of a VMA, appended to snap->pte[] (cmp 0: vm_snapshot) or
 * compared with it (cmp: VM_SNAP_* bits, and 1 << 31 to say compare).
 */
static bool snap_ptes(struct vm_area_struct *vma, struct vm_snapshot *snap, unsigned long *n, unsigned int cmp)
{
	for (unsigned long a = vma->vm_start; a < vma->vm_end; a += PAGE_SIZE, (*n)++) {
		pte_t pte = vm_pte(vma->vm_mm, a);

		if (*n >= VM_SNAP_PTES)
			panic("vm_snapshot: more than %d pages", VM_SNAP_PTES);
		if (!cmp) {
			snap->pte[*n] = pte;
		} else if (!pte_same_as(pte, snap->pte[*n], cmp)) {
			test_fail(__FILE__, __LINE__, "PTE at %#lx changed: %#llx, was %#llx", a,
				  (unsigned long long)pte_val(pte), (unsigned long long)pte_val(snap->pte[*n]));
			return false;
		}
	}
	return true;
}

static bool snap_vma(struct vm_area_struct *vma, unsigned int i, void *arg)
{
	struct vm_snapshot *snap = arg;

	if (i >= VM_SNAP_VMAS)
		panic("vm_snapshot: more than %d VMAs", VM_SNAP_VMAS);
	snap->vma[i].start = vma->vm_start;
	snap->vma[i].end = vma->vm_end;
	snap->vma[i].flags = vma->vm_flags;
	snap->vma[i].pgoff = vma->vm_pgoff;
	snap->vma[i].anon_vma = vma->anon_vma;
	return snap_ptes(vma, snap, &snap->nr_ptes, 0);
}

void vm_snapshot(struct mm_struct *mm, struct vm_snapshot *snap)
{
	snap->map_count = mm->map_count;
	snap->rss_anon = get_mm_counter(mm, MM_ANONPAGES);
	snap->nr_ptes = 0;
	each_vma(mm, snap_vma, snap);
}

struct snap_cmp {
	const struct vm_snapshot *snap;
	unsigned long n;
	unsigned int allow;
};

static bool cmp_vma(struct vm_area_struct *vma, unsigned int i, void *arg)
{
	struct snap_cmp *c = arg;

	if (vma->vm_start != c->snap->vma[i].start || vma->vm_end != c->snap->vma[i].end ||
	    vma->vm_flags != c->snap->vma[i].flags || vma->vm_pgoff != c->snap->vma[i].pgoff ||
	    (vma->anon_vma != c->snap->vma[i].anon_vma &&
	     (c->snap->vma[i].anon_vma || !(c->allow & VM_SNAP_NEW_ANON_VMA)))) {
		test_fail(__FILE__, __LINE__, "VMA %u changed: [%#lx, %#lx) flags %#lx, was [%#lx, %#lx) flags %#lx",
			  i, vma->vm_start, vma->vm_end, vma->vm_flags, c->snap->vma[i].start,
			  c->snap->vma[i].end, c->snap->vma[i].flags);
		return false;
	}
	return snap_ptes(vma, (struct vm_snapshot *)c->snap, &c->n, c->allow | SNAP_CMP);
}

bool vm_snapshot_same(struct mm_struct *mm, const struct vm_snapshot *snap, unsigned int allow)
{
	struct snap_cmp c = { snap, 0, allow };

	if (mm->map_count != snap->map_count || get_mm_counter(mm, MM_ANONPAGES) != snap->rss_anon) {
		test_fail(__FILE__, __LINE__, "map_count %d rss_anon %lu, were %d and %lu", mm->map_count,
			  get_mm_counter(mm, MM_ANONPAGES), snap->map_count, snap->rss_anon);
		return false;
	}
	return each_vma(mm, cmp_vma, &c);
}

u64 vm_rng = 1;

unsigned long vm_rnd_below(unsigned long n)
{
	vm_rng ^= vm_rng << 13;
	vm_rng ^= vm_rng >> 7;
	vm_rng ^= vm_rng << 17;
	return (unsigned long)(vm_rng % n);
}

unsigned long vm_rnd_addr_in_vma(struct mm_struct *mm)
{
	unsigned long pick;
	struct list_head *pos;

	if (!mm->map_count)
		return 0;
	pick = vm_rnd_below((unsigned long)mm->map_count);
	list_for_each(pos, &mm->mmap) {
		struct vm_area_struct *vma = list_entry(pos, struct vm_area_struct, vm_list);

		if (!pick--)
			return vma->vm_start + (vm_rnd_below((vma->vm_end - vma->vm_start) >> PAGE_SHIFT) << PAGE_SHIFT);
	}
	return 0;
}

void vm_policy(enum thp_mode top, enum thp_mode size)
{
	anon_order_config.top = top;
	for (unsigned int k = 0; k <= MTHP_MAX_ORDER; k++)
		anon_order_config.size[k] = size;
	anon_order_config.allow_order1 = true;
	anon_order_config.policy = ANON_POLICY_LINUX;
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
	const struct host_pseudo_file *f = vm_knob(path);
	size_t dlen = strlen(FT_KNOB_DIR);
	long ret = f->store ? f->store(val, strlen(val)) : f->store_data(f->data, val, strlen(val));

	/* folio.trace=on records it as kernel/pseudofs.c's write does. */
	if (foliotrace_on() && !strncmp(path, FT_KNOB_DIR, dlen))
		foliotrace_knob(path + dlen, val, strlen(val), ret);
	return ret;
}

long vm_knob_read(const char *path, char *buf, size_t len)
{
	const struct host_pseudo_file *f = vm_knob(path);

	return f->show ? f->show(buf, len) : f->show_data(f->data, buf, len);
}

long vm_fault_race_inject(const char *val)
{
	return vm_knob_write(FOLIO_SYSFS_DIR "/fault_race_inject", val);
}

static struct vm_area_struct *find_vma_linear(struct mm_struct *mm, unsigned long addr)
{
	struct list_head *pos;

	list_for_each(pos, &mm->mmap) {
		struct vm_area_struct *vma = list_entry(pos, struct vm_area_struct, vm_list);

		if (vma->vm_end > addr)
			return vma;
	}
	return NULL;
}

static bool probe_find_vma(struct mm_struct *mm, unsigned long addr, unsigned long step)
{
	struct vm_area_struct *want = find_vma_linear(mm, addr);

	if (find_vma(mm, addr) != want ||
	    vma_lookup(mm, addr) != (want && want->vm_start <= addr ? want : NULL)) {
		test_fail(__FILE__, __LINE__, "step %lu: find_vma(%#lx) disagrees with the list", step, addr);
		return false;
	}
	return true;
}

bool vm_check_vma_tree(struct mm_struct *mm, unsigned long step, unsigned int probes)
{
	struct list_head *pos;

	debug_vm_check_vma_tree(mm);
	list_for_each(pos, &mm->mmap) {
		struct vm_area_struct *vma = list_entry(pos, struct vm_area_struct, vm_list);

		if (!probe_find_vma(mm, vma->vm_start, step) || !probe_find_vma(mm, vma->vm_end, step) ||
		    !probe_find_vma(mm, vma->vm_start - PAGE_SIZE, step) ||
		    !probe_find_vma(mm, vma->vm_end - PAGE_SIZE, step))
			return false;
	}
	for (unsigned int i = 0; i < probes; i++) {
		unsigned long addr = VM_BASE + (vm_rnd_below(1UL << 16) << PAGE_SHIFT);

		if (!probe_find_vma(mm, addr, step))
			return false;
	}
	return true;
}
