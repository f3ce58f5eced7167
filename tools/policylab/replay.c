/*
 * replay.c - the policy lab's replay engine (see replay.h).
 *
 * A trace's records are visited once by the parser into an array, then
 * replayed in order.  Per pid the engine keeps the address space it replays
 * into; pid 1's first one, and every execve's, is built from the FT_VMA
 * records that follow FT_EXECVE (anonymous private mappings of the recorded
 * bounds, protection and growsdown flag).  The kernel records an execve
 * after the loader's own faults into the new image, so an execve is applied
 * at the first of those (the run of kernel-mode faults of that pid just
 * before it).
 *
 * A fault record is a touch: when the replay's page tables already allow
 * the access it is "absorbed" (the policy mapped that page earlier), else
 * do_page_fault (user) or handle_mm_fault (kernel) runs; a fault that the
 * reserve policy served from a reservation (anon_reserve_fill) is absorbed
 * too, and compared with the trace's FT_FILL for it (the record just before
 * the fault's, same pid): both fill or neither, of the same order, leaving
 * as many pages of the folio mapped.  An FT_KNOB record is written to its
 * /sys/kernel/mm file at its place when the spec follows the recording
 * ("recorded"), so a run that changed its sizes or policy replays as it ran.  A call whose result differs from the recorded one (an mmap that
 * failed, a fault that SIGSEGVs) is counted as failed and the replay goes on.
 *
 * TLB reach is measured on each address space as it goes (exit, execve, the
 * end of the trace): every present PTE of every VMA is one translation
 * (x86_64), a PMD block one; on arm64 an aligned 16-PTE block of one
 * physically contiguous folio counts once (the contpte fold).
 */
#include <stdlib.h>
#include <stdio.h>
#include "tools/hostmm/hostmm_vm.h"
#include "tools/policylab/ftparse.h"
#include "tools/policylab/replay.h"

#define LAB_MAX_PROCS	64
#define ARM64_CONT_PTES	16	/* arm64: 16 PTEs of 4K make a 64K contpte block */

struct lab_proc {
	uint32_t pid;
	unsigned int asid;		/* which address space: the touched set's key */
	struct mm_struct *mm;
	const struct ft_fill *fill;	/* the trace's FT_FILL for the pid's next fault, or NULL */
};

/* A set of 64-bit keys (open addressing; 0 is never a key). */
struct keyset {
	uint64_t *slot;
	size_t cap, n;
};

struct lab {
	const uint8_t *buf;
	uint64_t *off;			/* each record's offset */
	uint8_t *exec_at;		/* 1: apply the next execve of this record's pid here */
	size_t nrec, cap;
	struct lab_proc proc[LAB_MAX_PROCS];
	unsigned int next_asid;
	struct keyset touched;
	struct lab_result *r;
	bool knobs;			/* apply FT_KNOB records */
};

static bool keyset_add(struct keyset *s, uint64_t key)
{
	size_t i;

	if (2 * (s->n + 1) > s->cap) {
		struct keyset big = { calloc(s->cap ? 2 * s->cap : 4096, sizeof(uint64_t)), s->cap ? 2 * s->cap : 4096, 0 };

		if (!big.slot)
			panic("policylab: out of memory");
		for (i = 0; i < s->cap; i++)
			if (s->slot[i])
				keyset_add(&big, s->slot[i]);
		free(s->slot);
		*s = big;
	}
	/* Fibonacci hashing: the product's top bits (its low ones ignore the key's high, asid, bits). */
	for (i = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> (64 - __builtin_ctzll(s->cap))); s->slot[i];
	     i = (i + 1) & (s->cap - 1))
		if (s->slot[i] == key)
			return false;
	s->slot[i] = key;
	s->n++;
	return true;
}

static int collect(void *ctx, const struct ft_hdr *rec, uint64_t offset)
{
	struct lab *lab = ctx;

	(void)rec;
	if (lab->nrec == lab->cap) {
		lab->cap = lab->cap ? 2 * lab->cap : 1024;
		lab->off = realloc(lab->off, lab->cap * sizeof(*lab->off));
		if (!lab->off)
			panic("policylab: out of memory");
	}
	lab->off[lab->nrec++] = offset;
	return 0;
}

static const struct ft_hdr *rec_at(const struct lab *lab, size_t i)
{
	return (const struct ft_hdr *)(lab->buf + lab->off[i]);
}

static bool kernel_fault(const struct ft_hdr *h)
{
	return h->type == FT_FAULT && !(h->flags & FT_FAULT_USER);
}

/* Mark where each execve takes effect: the first of the kernel faults of its pid right before it
 * (looking back no further than the fork that made the pid). */
static void mark_execs(struct lab *lab)
{
	lab->exec_at = calloc(lab->nrec + 1, 1);
	if (!lab->exec_at)
		panic("policylab: out of memory");
	for (size_t i = 0; i < lab->nrec; i++) {
		const struct ft_hdr *h = rec_at(lab, i);
		size_t at = i;

		if (h->type != FT_EXECVE)
			continue;
		for (size_t j = i; j-- > 0;) {
			const struct ft_hdr *p = rec_at(lab, j);

			if (p->type == FT_FORK && ((const struct ft_fork *)p)->child == h->pid)
				break;	/* the process began here */
			if (p->pid != h->pid)
				continue;
			if (!kernel_fault(p))
				break;
			at = j;
		}
		lab->exec_at[at] = 1;
	}
}

static struct lab_proc *proc_of(struct lab *lab, uint32_t pid)
{
	for (unsigned int i = 0; i < LAB_MAX_PROCS; i++)
		if (lab->proc[i].mm && lab->proc[i].pid == pid)
			return &lab->proc[i];
	return NULL;
}

static struct lab_proc *proc_new(struct lab *lab, uint32_t pid, struct mm_struct *mm)
{
	for (unsigned int i = 0; i < LAB_MAX_PROCS; i++) {
		if (!lab->proc[i].mm) {
			lab->proc[i] = (struct lab_proc){ pid, ++lab->next_asid, mm, NULL };
			return &lab->proc[i];
		}
	}
	lab->r->failed++;	/* more live processes than the lab keeps */
	vm_mm_put(mm);
	return NULL;
}

/* No PTE table (and no PMD block) over addr: nothing mapped in its 2 MiB. */
static bool no_table(struct mm_struct *mm, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(mm, addr, &ptl);

	if (ptep)
		spin_unlock(ptl);
	return !ptep;
}

/* The translations covering vma's mapped pages: *x86 (PTE or PMD each), *arm (16-PTE contpte blocks once). */
static void tlb_vma(struct mm_struct *mm, struct vm_area_struct *vma, uint64_t *x86, uint64_t *arm)
{
	unsigned long a = vma->vm_start;

	while (a < vma->vm_end) {
		unsigned long blk = a & ~((unsigned long)ARM64_CONT_PTES * PAGE_SIZE - 1);
		unsigned int n = 0;
		bool whole = blk >= vma->vm_start && blk + ARM64_CONT_PTES * PAGE_SIZE <= vma->vm_end;
		unsigned long pfn0 = 0;

		if (vm_huge_pmd(mm, a)) {
			unsigned long next = (a | (PMD_SIZE - 1)) + 1;

			*x86 += 1;
			*arm += 1;
			a = next < vma->vm_end ? next : vma->vm_end;
			continue;
		}
		if (no_table(mm, a)) {
			a = (a | (PMD_SIZE - 1)) + 1;
			continue;
		}
		for (unsigned long p = a; p < blk + ARM64_CONT_PTES * PAGE_SIZE && p < vma->vm_end; p += PAGE_SIZE) {
			pte_t pte = vm_pte(mm, p);

			if (!pte_present(pte)) {
				whole = false;
				continue;
			}
			if (!n)
				pfn0 = pte_pfn(pte) - ((p - blk) >> PAGE_SHIFT);
			else if (pte_pfn(pte) != pfn0 + ((p - blk) >> PAGE_SHIFT))
				whole = false;
			n++;
		}
		/* One folio covers the block: its pfns run on, and it is at least 64K (order >= 4). */
		if (whole && n == ARM64_CONT_PTES) {
			struct folio *f = vm_folio_at(mm, blk);

			whole = f && folio_order(f) >= 4 && vm_folio_at(mm, blk + (ARM64_CONT_PTES - 1) * PAGE_SIZE) == f;
		}
		*x86 += n;
		*arm += whole && n == ARM64_CONT_PTES ? 1 : n;
		a = blk + ARM64_CONT_PTES * PAGE_SIZE;
	}
}

static void proc_end(struct lab *lab, struct lab_proc *p)
{
	struct list_head *pos;

	list_for_each(pos, &p->mm->mmap)
		tlb_vma(p->mm, list_entry(pos, struct vm_area_struct, vm_list), &lab->r->tlb_x86, &lab->r->tlb_arm64);
	vm_mm_put(p->mm);
	p->mm = NULL;
}

/* Build pid's new address space from the FT_VMA records after the FT_EXECVE at or after i. */
static void do_exec(struct lab *lab, size_t i, uint32_t pid)
{
	struct lab_proc *p = proc_of(lab, pid);
	struct mm_struct *mm = vm_mm_new();
	unsigned long brk = 0;

	while (i < lab->nrec && !(rec_at(lab, i)->type == FT_EXECVE && rec_at(lab, i)->pid == pid))
		i++;
	if (p)
		proc_end(lab, p);
	vm_use(mm);
	for (i++; i < lab->nrec && rec_at(lab, i)->type == FT_VMA && rec_at(lab, i)->pid == pid; i++) {
		const struct ft_vma *v = (const void *)rec_at(lab, i);
		unsigned long flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;

		if (v->flags & FT_VMA_GROWSDOWN)
			flags |= MAP_GROWSDOWN;
		else if (v->end > brk)
			brk = v->end;
		if (vm_mmap(v->start, v->end - v->start, v->prot, flags) != (long)v->start)
			lab->r->failed++;
	}
	mm->start_brk = mm->brk = brk;
	proc_new(lab, pid, mm);
}

/* Make pid's address space current; NULL (counted) when the trace has none for it. */
static struct mm_struct *use_pid(struct lab *lab, uint32_t pid)
{
	struct lab_proc *p = proc_of(lab, pid);

	if (!p) {
		lab->r->failed++;
		return NULL;
	}
	vm_use(p->mm);
	return p->mm;
}

/* The access already allowed by mm's page tables (the CPU would not fault)? */
static bool mapped_for(struct mm_struct *mm, unsigned long addr, bool write)
{
	pte_t pte = vm_pte(mm, addr);

	return pte_present(pte) && (!write || pte_write(pte)) && vm_folio_at(mm, addr);
}

/* Does the replay's fill of addr (filled: it made one) match the trace's (want, or NULL)? */
static bool fill_matches(struct mm_struct *mm, unsigned long addr, bool filled, const struct ft_fill *want)
{
	struct folio *folio = filled ? vm_folio_at(mm, addr) : NULL;

	if (!filled || !want)
		return !filled && !want;
	return folio && folio_order(folio) == want->order && atomic_read(&folio->_nr_pages_mapped) == (int)want->mapped;
}

/* The fault record f: absorbed, or faulted (a fill counted apart); returns whether the replay filled. */
static bool fault_one(struct lab *lab, struct lab_proc *p, const struct ft_fault *f)
{
	bool write = (f->h.flags & FT_ACC_MASK) == FT_ACC_WRITE;
	unsigned long fa = f->addr, addr = fa & ~(PAGE_SIZE - 1);
	unsigned int out = (f->h.flags & FT_OUT_MASK) >> FT_OUT_SHIFT;
	unsigned long fills = sum_vm_event(ANON_RESERVE_FILL);
	int ret;

	keyset_add(&lab->touched, ((uint64_t)p->asid << 40 | addr >> PAGE_SHIFT) + 1);
	if (mapped_for(p->mm, addr, write) || (!write && pte_present(vm_pte(p->mm, addr)))) {
		lab->r->absorbed++;
		return false;
	}
	if (f->h.flags & FT_FAULT_USER)
		ret = do_page_fault(fa, (write ? FAULT_FLAG_WRITE : 0) | FAULT_FLAG_USER);
	else
		ret = vm_fault(p->mm, fa, write);
	if (ret != VM_FAULT_OK && out != FT_OUT_FAILED)
		lab->r->failed++;
	if (sum_vm_event(ANON_RESERVE_FILL) == fills) {
		lab->r->faults++;
		return false;
	}
	lab->r->absorbed++;
	lab->r->fills++;
	return true;
}

static void replay_fault(struct lab *lab, const struct ft_fault *f)
{
	struct lab_proc *p = proc_of(lab, f->h.pid);
	unsigned int out = (f->h.flags & FT_OUT_MASK) >> FT_OUT_SHIFT;
	const struct ft_fill *want;

	if (out != FT_OUT_NONE && out != FT_OUT_FAILED)
		lab->r->trace_faults++;
	if (out == FT_OUT_ALLOC)
		lab->r->trace_alloc[f->order]++;
	else if (out == FT_OUT_COW_COPY)
		lab->r->trace_copy[f->order]++;
	if (!p || !use_pid(lab, f->h.pid)) {
		lab->r->failed += !p;
		return;
	}
	want = p->fill;
	p->fill = NULL;
	if (!fill_matches(p->mm, f->addr & ~(PAGE_SIZE - 1), fault_one(lab, p, f), want))
		lab->r->fill_mismatch++;
}

/* FT_KNOB: write the value to its file when following the recording; a write that cannot be redone fails. */
static void replay_knob(struct lab *lab, const struct ft_knob *k)
{
	char path[FT_REC_MAX + sizeof(FT_KNOB_DIR)];
	const struct host_pseudo_file *f;
	long got;

	if (!lab->knobs)
		return;
	snprintf(path, sizeof(path), "%s%s", FT_KNOB_DIR, k->text);
	f = hostmm_pseudo_file(path);
	if ((k->h.flags & FT_KNOB_TRUNCATED) || !f || !(f->store || f->store_data)) {
		lab->r->failed++;
		return;
	}
	got = vm_knob_write(path, k->text + strlen(k->text) + 1);
	lab->r->knobs++;
	/* The recorded count may include a newline the record dropped: success or the same error. */
	if (k->ret < 0 ? got != k->ret : got < 0)
		lab->r->failed++;
}

/* A system call replayed: a result other than the recorded one is a failure. */
static void check_ret(struct lab *lab, long got, int64_t want)
{
	if (got != want)
		lab->r->failed++;
}

static void replay_one(struct lab *lab, size_t i)
{
	const struct ft_hdr *h = rec_at(lab, i);
	const struct ft_range *rg = (const void *)h;

	if (lab->exec_at[i])
		do_exec(lab, i, h->pid);
	switch (h->type) {
	case FT_FAULT:
		replay_fault(lab, (const void *)h);
		break;
	case FT_MMAP: {
		const struct ft_mmap *m = (const void *)h;

		if (use_pid(lab, h->pid))
			check_ret(lab, vm_mmap(m->ret >= 0 ? (uint64_t)m->ret : m->addr, m->len, m->prot,
					       (m->ret >= 0 ? MAP_FIXED : 0) | (m->flags | MAP_ANONYMOUS)),
				  m->ret);
		break;
	}
	case FT_MUNMAP:
		if (use_pid(lab, h->pid))
			check_ret(lab, vm_munmap(rg->addr, rg->len), rg->ret);
		break;
	case FT_MPROTECT:
		if (use_pid(lab, h->pid))
			check_ret(lab, vm_mprotect(rg->addr, rg->len, rg->arg), rg->ret);
		break;
	case FT_MADVISE:
		if (use_pid(lab, h->pid))
			check_ret(lab, vm_madvise(rg->addr, rg->len, (int)rg->arg), rg->ret);
		break;
	case FT_MREMAP: {
		const struct ft_mremap *m = (const void *)h;

		if (use_pid(lab, h->pid))
			check_ret(lab, vm_mremap(m->old_addr, m->old_len, m->new_len, m->flags, m->new_addr), m->ret);
		break;
	}
	case FT_BRK: {
		const struct ft_brk *b = (const void *)h;
		struct mm_struct *mm = use_pid(lab, h->pid);

		/* The kernel placed the heap (after the image's data); a query tells where, while it is empty. */
		if (mm && !b->brk && b->ret > 0 && mm->brk == mm->start_brk)
			mm->start_brk = mm->brk = (unsigned long)b->ret;
		if (mm)
			check_ret(lab, vm_brk(b->brk), b->ret);
		break;
	}
	case FT_FORK: {
		const struct ft_fork *fk = (const void *)h;
		struct lab_proc *p = proc_of(lab, h->pid);
		struct mm_struct *child = p ? vm_mm_dup(p->mm) : NULL;

		if (child)
			proc_new(lab, fk->child, child);
		else
			lab->r->failed++;
		break;
	}
	case FT_EXIT: {
		struct lab_proc *p = proc_of(lab, h->pid);

		if (p)
			proc_end(lab, p);
		break;
	}
	case FT_SPLIT:
		lab->r->trace_splits++;
		break;
	case FT_FILL: {
		struct lab_proc *p = proc_of(lab, h->pid);

		lab->r->trace_fills++;
		if (p)
			p->fill = (const void *)h;
		break;
	}
	case FT_KNOB:
		replay_knob(lab, (const void *)h);
		break;
	default:	/* FT_EXECVE, FT_VMA (do_exec applied them), FT_END */
		break;
	}
	if ((uint64_t)atomic_long_read(&nr_anon_pages) > lab->r->peak_rss)
		lab->r->peak_rss = (uint64_t)atomic_long_read(&nr_anon_pages);
}

static void read_counters(struct lab_result *r)
{
	for (unsigned int k = 0; k <= MTHP_MAX_ORDER; k++) {
		r->folios[k] = sum_pgalloc_order(k);
		r->fault_alloc[k] = k ? sum_mthp_stat(k, MTHP_STAT_ANON_FAULT_ALLOC) : 0;
		r->allocated += (uint64_t)sum_pgalloc_order(k) << k;
	}
	for (unsigned int k = 1; k <= MTHP_MAX_ORDER; k++)
		r->splits += sum_mthp_stat(k, MTHP_STAT_SPLIT);	/* every order, as FT_SPLIT (thp_split_page: 2M only) */
	r->deferred = sum_vm_event(THP_DEFERRED_SPLIT_PAGE);
	r->lazyfreed = sum_vm_event(PGLAZYFREED);
	r->cow_reuse = sum_vm_event(COW_REUSE);
	r->cow_copy = sum_vm_event(COW_FAULT) - sum_vm_event(COW_REUSE);
}

int lab_replay(const void *buf, size_t len, bool knobs, struct lab_result *r, char *msg, size_t msglen)
{
	struct lab lab = { .buf = buf, .r = r, .knobs = knobs };
	struct ft_visitor v = { &lab, NULL, collect };
	struct ft_error err;
	bool arm64;

	memset(r, 0, sizeof(*r));
	if (ft_parse(buf, len, &v, &err)) {
		snprintf(msg, msglen, "byte %llu: %s", (unsigned long long)err.offset, err.msg);
		free(lab.off);
		return -1;
	}
	/* The user space of the arch that recorded it, set before any mm is made. */
	arm64 = ((const struct foliotrace_header *)buf)->arch == FT_ARCH_ARM64;
	hostmm_set_user_space(arm64 ? HOSTMM_USER_ARM64 : HOSTMM_USER_X86_64);
	mark_execs(&lab);
	for (size_t i = 0; i < lab.nrec; i++)
		replay_one(&lab, i);
	for (unsigned int i = 0; i < LAB_MAX_PROCS; i++)
		if (lab.proc[i].mm)
			proc_end(&lab, &lab.proc[i]);
	r->events = lab.nrec;
	r->touched = lab.touched.n;
	read_counters(r);
	free(lab.touched.slot);
	free(lab.off);
	free(lab.exec_at);
	return 0;
}
