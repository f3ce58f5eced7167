/*
 * test_vma.c - the VMA layer on the host: the VMA tree under random
 * mmap/munmap/mprotect/madvise/fault sequences (vm.max_map_count changing
 * underneath), with the tree, the list and a page model checked after every
 * step; merging with Linux's anon_vma rules (take-over from a touched
 * neighbour, a forked neighbour refused, prev and next both touched); brk
 * growing the heap VMA so a folio can span an old break; vm.max_map_count's
 * limits and its sysctl file; the alignment of large anonymous mappings.
 *
 * HOSTMM_SEED=n picks the random test's seed (default 1).
 */
#include <stdio.h>
#include <stdlib.h>
#include "tools/hostmm/hostmm_vm.h"

#define ANON_PRIV	(MAP_PRIVATE | MAP_ANONYMOUS)
#define RW		(PROT_READ | PROT_WRITE)

/* ---- the random sequence ---- */

#define WIN		512UL			/* pages in the window at VM_BASE */
#define RAND_STEPS	3000

/* What the window should look like: per page, its protection (0: unmapped), MADV_HUGEPAGE, touched. */
static unsigned char model_prot[WIN];
static bool model_huge[WIN], model_touched[WIN];

static bool model_mapped(unsigned long first, unsigned long n)
{
	for (unsigned long i = first; i < first + n; i++)
		if (!model_prot[i])
			return false;
	return true;
}

/* The window against the model: VMA per page, its access bits and VM_HUGEPAGE, PTE iff touched. */
static bool check_model(struct mm_struct *mm, unsigned long step)
{
	for (unsigned long i = 0; i < WIN; i++) {
		unsigned long addr = VM_BASE + PG(i);
		struct vm_area_struct *vma = vma_lookup(mm, addr);
		unsigned long want = (model_prot[i] & PROT_READ ? VM_READ : 0) |
				     (model_prot[i] & PROT_WRITE ? VM_WRITE : 0);

		if (!vma != !model_prot[i] || (vma && (vma->vm_flags & VM_ACCESS_FLAGS) != want) ||
		    (vma && !(vma->vm_flags & VM_HUGEPAGE) != !model_huge[i]) ||
		    pte_none(vm_pte(mm, addr)) == model_touched[i]) {
			test_fail(__FILE__, __LINE__, "step %lu: page %lu differs from the model (prot %u huge %d touched %d; vma %#lx pte %d)",
				  step, i, model_prot[i], model_huge[i], model_touched[i], vma ? vma->vm_flags : 0UL,
				  !pte_none(vm_pte(mm, addr)));
			return false;
		}
	}
	return true;
}

/* Touching VMAs that Linux would merge are merged (same flags and anon_vma, offsets in line). */
static bool check_merged(struct mm_struct *mm, unsigned long step)
{
	struct list_head *pos;

	list_for_each(pos, &mm->mmap) {
		struct vm_area_struct *a = list_entry(pos, struct vm_area_struct, vm_list), *b;

		if (pos->next == &mm->mmap)
			break;
		b = list_entry(pos->next, struct vm_area_struct, vm_list);
		if (a->vm_end == b->vm_start && a->vm_flags == b->vm_flags && a->anon_vma == b->anon_vma &&
		    a->vm_pgoff + ((a->vm_end - a->vm_start) >> PAGE_SHIFT) == b->vm_pgoff) {
			test_fail(__FILE__, __LINE__, "step %lu: [%#lx, %#lx) and [%#lx, %#lx) not merged", step,
				  a->vm_start, a->vm_end, b->vm_start, b->vm_end);
			return false;
		}
	}
	return true;
}

/* Does [first, first + n) cut one VMA on both sides (the split munmap counts against the limit)? */
static bool cuts_one_vma_twice(struct mm_struct *mm, unsigned long first, unsigned long n)
{
	struct vm_area_struct *vma = vma_lookup(mm, VM_BASE + PG(first));

	return vma && vma->vm_start < VM_BASE + PG(first) && vma->vm_end > VM_BASE + PG(first + n);
}

static void model_set(unsigned long first, unsigned long n, unsigned char prot)
{
	for (unsigned long i = first; i < first + n; i++) {
		model_prot[i] = prot;
		model_huge[i] = model_touched[i] = false;
	}
}

static unsigned long refused, max_vmas;

static bool random_step(struct mm_struct *mm, unsigned long step)
{
	unsigned long n = 1 + vm_rnd_below(vm_rnd_below(4) ? 16 : 96);
	unsigned long first = vm_rnd_below(WIN - n + 1), addr = VM_BASE + PG(first), len = PG(n);
	unsigned char prot = vm_rnd_below(2) ? RW : PROT_READ;
	int before = mm->map_count;
	long ret = 0, want;

	switch (vm_rnd_below(6)) {
	case 0:		/* mmap over: refused when map_count > max, or when it cuts one VMA twice at the limit */
		want = before > sysctl_max_map_count ||
		       (cuts_one_vma_twice(mm, first, n) && before >= sysctl_max_map_count) ? -ENOMEM : (long)addr;
		ret = vm_mmap(addr, len, prot, ANON_PRIV | MAP_FIXED);
		ASSERT_EQ(ret, want);
		if (ret >= 0)
			model_set(first, n, prot);
		break;
	case 1:
		want = cuts_one_vma_twice(mm, first, n) && before >= sysctl_max_map_count ? -ENOMEM : 0;
		ret = vm_munmap(addr, len);
		ASSERT_EQ(ret, want);
		if (!ret)
			model_set(first, n, 0);
		break;
	case 2:		/* all or nothing up to a hole, and never past the limit by splitting */
		ret = vm_mprotect(addr, len, prot);
		if (!model_mapped(first, n)) {
			struct vm_area_struct *vma = vma_lookup(mm, addr);
			unsigned long want = (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0);

			ASSERT_EQ(ret, -ENOMEM);
			/* Linux: the mapped part before the hole changed, unless its splits were refused. */
			if (vma && (vma->vm_flags & VM_ACCESS_FLAGS) == want)
				for (unsigned long i = first; i < first + n && model_prot[i]; i++)
					model_prot[i] = prot;
			break;
		}
		ASSERT_TRUE(ret == 0 || ret == -ENOMEM);
		if (ret)
			break;
		ASSERT_TRUE(mm->map_count <= (before > sysctl_max_map_count ? before : sysctl_max_map_count));
		for (unsigned long i = first; i < first + n; i++)
			model_prot[i] = prot;
		break;
	case 3: {
		bool huge = vm_rnd_below(2);

		if (!model_mapped(first, n))
			break;
		ret = vm_madvise(addr, len, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
		ASSERT_TRUE(ret == 0 || ret == -EAGAIN);	/* a split refused: Linux's -EAGAIN */
		/* VMA by VMA, as Linux: after -EAGAIN the VMAs before the refused split have changed. */
		for (unsigned long i = first; i < first + n; i++)
			model_huge[i] = ret ? vm_vma(mm, VM_BASE + PG(i))->vm_flags & VM_HUGEPAGE : huge;
		break;
	}
	case 4:		/* touch a page: an anon_vma for its VMA (write on RW, zero page on read-only) */
		if (!model_prot[first] || model_touched[first])
			break;
		ASSERT_EQ(vm_fault(mm, addr, model_prot[first] & PROT_WRITE), VM_FAULT_OK);
		for (unsigned long i = first & ~15UL; i < (first | 15UL) + 1 && i < WIN; i++)
			model_touched[i] = !pte_none(vm_pte(mm, VM_BASE + PG(i)));
		break;
	default:	/* the limit moves: around map_count, or back to the default */
		sysctl_max_map_count = vm_rnd_below(3) ? before + (int)vm_rnd_below(3) - 1 : DEFAULT_MAX_MAP_COUNT;
		break;
	}
	refused += mm->map_count == before && ret < 0;
	max_vmas = max(max_vmas, (unsigned long)mm->map_count);
	return vm_check_vma_tree(mm, step, 16) && check_model(mm, step) && check_merged(mm, step);
}

static bool test_vma_tree_random(void)
{
	const char *seed = getenv("HOSTMM_SEED");
	struct mm_struct *mm;

	vm_rng = seed ? strtoull(seed, NULL, 0) : 1;
	if (!vm_rng)
		vm_rng = 1;
	mm = vm_setup_current_mm();
	vm_policy_only(4);
	memset(model_prot, 0, sizeof(model_prot));
	memset(model_huge, 0, sizeof(model_huge));
	memset(model_touched, 0, sizeof(model_touched));
	refused = max_vmas = 0;
	for (unsigned long step = 0; step < RAND_STEPS; step++)
		if (!random_step(mm, step))
			return false;
	printf("# test_vma_tree_random: %d steps, up to %lu VMAs, %lu calls refused\n", RAND_STEPS, max_vmas, refused);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* The DEBUG_VM checker notices a broken tree (and says what broke). */
static bool test_vma_tree_check_catches(void)
{
	struct mm_struct *mm = vm_setup_current_mm();
	struct rb_node *root, *child;

	for (unsigned long i = 0; i < 3; i++)	/* three VMAs, kept apart by their protections */
		ASSERT_EQ(vm_mmap(VM_BASE + PG(2 * i), PG(1), i & 1 ? PROT_READ : RW, ANON_PRIV | MAP_FIXED),
			  (long)(VM_BASE + PG(2 * i)));
	debug_vm_check_vma_tree(mm);
	root = mm->mm_rb.rb_node;
	child = root->rb_child[0];
	ASSERT_TRUE(child && !root->rb_red && child->rb_red);
	root->rb_red = true;
	ASSERT_PANICS("vma tree: red root", debug_vm_check_vma_tree(mm));
	root->rb_red = false;
	child->rb_red = false;
	ASSERT_PANICS("black heights 2 and 1 differ", debug_vm_check_vma_tree(mm));
	child->rb_red = true;
	mm->map_count++;
	ASSERT_PANICS("3 nodes, map_count 4", debug_vm_check_vma_tree(mm));
	mm->map_count--;
	debug_vm_check_vma_tree(mm);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* ---- merging ---- */

/* A new VMA merges into a touched neighbour on either side; the survivor keeps one anon_vma and the rmap. */
static bool test_merge_takes_over_anon_vma(void)
{
	struct mm_struct *mm = vm_setup_current_mm();
	struct folio *folio;
	struct anon_vma *av;

	vm_policy_only(4);
	ASSERT_EQ(vm_map_rw(VM_BASE + K(64), K(64)), (long)(VM_BASE + K(64)));
	ASSERT_EQ(vm_fault(mm, VM_BASE + K(64), true), VM_FAULT_OK);
	av = vm_vma(mm, VM_BASE + K(64))->anon_vma;
	ASSERT_TRUE(av != NULL);
	anon_policy_set_state(vm_vma(mm, VM_BASE + K(64)), 6);	/* as if its faults had raised it */
	folio = vm_folio_at(mm, VM_BASE + K(64));
	ASSERT_EQ(folio_order(folio), 4);
	/* Before it: the new VMA is the survivor (its vm_start) and takes the anon_vma over. */
	ASSERT_EQ(vm_map_rw(VM_BASE, K(64)), (long)VM_BASE);
	ASSERT_EQ(mm->map_count, 1);
	ASSERT_EQ(vm_vma(mm, VM_BASE)->vm_end, VM_BASE + K(128));
	ASSERT_TRUE(vm_vma(mm, VM_BASE)->anon_vma == av);
	ASSERT_EQ(anon_policy_state(vm_vma(mm, VM_BASE)), 6);	/* the policy's history comes along */
	ASSERT_EQ(vm_vma(mm, VM_BASE)->vm_pgoff, VM_BASE >> PAGE_SHIFT);
	ASSERT_EQ(folio_rmap_count(folio), 16);		/* index - vm_pgoff still finds it */
	/* After it: absorbed into the touched VMA. */
	ASSERT_EQ(vm_map_rw(VM_BASE + K(128), K(64)), (long)(VM_BASE + K(128)));
	ASSERT_EQ(mm->map_count, 1);
	ASSERT_EQ(vm_fault(mm, VM_BASE + K(128), true), VM_FAULT_OK);
	ASSERT_TRUE(vm_folio_at(mm, VM_BASE + K(128))->mapping == av);
	/* A hole filled between two pieces of one touched VMA: one VMA again. */
	ASSERT_EQ(vm_munmap(VM_BASE + K(64), K(64)), 0);
	ASSERT_EQ(mm->map_count, 2);
	ASSERT_EQ(vm_map_rw(VM_BASE + K(64), K(64)), (long)(VM_BASE + K(64)));
	ASSERT_EQ(mm->map_count, 1);
	ASSERT_EQ(vm_fault(mm, VM_BASE + K(64), true), VM_FAULT_OK);
	ASSERT_EQ(folio_rmap_count(vm_folio_at(mm, VM_BASE + K(64))), 16);
	debug_vm_check_mm_rmap(mm);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/*
 * The no-merge cases: other flags; two different anon_vmas; a changed range
 * with an anon_vma next to an untouched neighbour (Linux's rule); a
 * neighbour forked from a parent (its chain is not a single entry).
 */
static bool test_merge_refused(void)
{
	struct mm_struct *mm = vm_setup_current_mm(), *child;

	ASSERT_EQ(vm_map_rw(VM_BASE, K(16)), (long)VM_BASE);
	ASSERT_EQ(vm_mmap(VM_BASE + K(16), K(16), PROT_READ, ANON_PRIV | MAP_FIXED), (long)(VM_BASE + K(16)));
	ASSERT_EQ(mm->map_count, 2);
	/* A read fault gives no anon_vma: made RW, the second is absorbed into the touched first. */
	ASSERT_EQ(vm_fault(mm, VM_BASE, true), VM_FAULT_OK);
	ASSERT_EQ(vm_fault(mm, VM_BASE + K(16), false), VM_FAULT_OK);
	ASSERT_TRUE(vm_vma(mm, VM_BASE + K(16))->anon_vma == NULL);
	ASSERT_EQ(vm_mprotect(VM_BASE + K(16), K(16), RW), 0);
	ASSERT_EQ(mm->map_count, 1);
	/* Two touched VMAs with different anon_vmas, made equal in flags: still two. */
	ASSERT_EQ(vm_madvise(VM_BASE + K(16), K(16), MADV_HUGEPAGE), 0);
	ASSERT_EQ(vm_fault(mm, VM_BASE + K(16), true), VM_FAULT_OK);
	ASSERT_EQ(mm->map_count, 2);
	ASSERT_EQ(vm_munmap(VM_BASE, K(16)), 0);
	ASSERT_EQ(vm_map_rw(VM_BASE, K(16)), (long)VM_BASE);
	ASSERT_EQ(vm_fault(mm, VM_BASE, true), VM_FAULT_OK);
	ASSERT_EQ(vm_madvise(VM_BASE + K(16), K(16), MADV_NOHUGEPAGE), 0);
	ASSERT_EQ(vm_madvise(VM_BASE, K(16), MADV_NOHUGEPAGE), 0);
	ASSERT_EQ(mm->map_count, 2);
	ASSERT_EQ(vm_vma(mm, VM_BASE)->vm_flags, vm_vma(mm, VM_BASE + K(16))->vm_flags);
	ASSERT_TRUE(vm_vma(mm, VM_BASE)->anon_vma != vm_vma(mm, VM_BASE + K(16))->anon_vma);
	/* A touched VMA changed to match an untouched neighbour: no merge (Linux's rule). */
	ASSERT_EQ(vm_munmap(VM_BASE, K(32)), 0);
	ASSERT_EQ(vm_map_rw(VM_BASE, K(16)), (long)VM_BASE);
	ASSERT_EQ(vm_fault(mm, VM_BASE, true), VM_FAULT_OK);
	ASSERT_EQ(vm_mprotect(VM_BASE, K(16), PROT_READ), 0);
	ASSERT_EQ(vm_map_rw(VM_BASE + K(16), K(16)), (long)(VM_BASE + K(16)));
	ASSERT_EQ(mm->map_count, 2);
	ASSERT_EQ(vm_mprotect(VM_BASE, K(16), RW), 0);
	ASSERT_EQ(vm_vma(mm, VM_BASE)->vm_flags, vm_vma(mm, VM_BASE + K(16))->vm_flags);
	ASSERT_EQ(mm->map_count, 2);
	/* Forked: the child's VMA is on its parent's anon_vma too; a new neighbour stays apart. */
	ASSERT_EQ(vm_munmap(VM_BASE + K(16), K(16)), 0);
	child = vm_mm_dup(mm);
	ASSERT_TRUE(child != NULL);
	vm_use(child);
	ASSERT_EQ(vm_map_rw(VM_BASE + K(16), K(16)), (long)(VM_BASE + K(16)));
	ASSERT_EQ(child->map_count, 2);
	vm_use(mm);
	ASSERT_EQ(vm_map_rw(VM_BASE + K(16), K(16)), (long)(VM_BASE + K(16)));
	ASSERT_EQ(mm->map_count, 1);		/* the parent's is not forked-from: merged */
	vm_mm_put(child);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* mprotect splitting a touched VMA in three, then restoring: one VMA, the folio whole. */
static bool test_mprotect_split_remerge(void)
{
	struct mm_struct *mm = vm_setup_mm(0, K(64));

	vm_policy_only(4);
	ASSERT_EQ(vm_fault(mm, VM_BASE, true), VM_FAULT_OK);
	ASSERT_EQ(vm_mprotect(VM_BASE + K(16), K(16), PROT_READ), 0);
	ASSERT_EQ(mm->map_count, 3);
	ASSERT_EQ(vm_mprotect(VM_BASE + K(16), K(16), RW), 0);
	ASSERT_EQ(mm->map_count, 1);
	ASSERT_EQ(vm_vma(mm, VM_BASE)->vm_end, VM_BASE + K(64));
	ASSERT_EQ(vm_order_at(mm, VM_BASE + K(16)), 4);
	ASSERT_EQ(folio_rmap_count(vm_folio_at(mm, VM_BASE)), 16);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* brk in steps, touching as it goes: one heap VMA, and a 64K folio over an old break. */
static bool test_brk_grows_heap_vma(void)
{
	struct mm_struct *mm = vm_setup_current_mm();

	vm_policy_only(4);
	mm->start_brk = mm->brk = VM_BASE;
	ASSERT_EQ(vm_brk(VM_BASE + K(64)), (long)(VM_BASE + K(64)));
	ASSERT_EQ(vm_fault(mm, VM_BASE, true), VM_FAULT_OK);
	static const unsigned long breaks_k[] = { 84, 104, 124, 150, 190, 230, 270, 300, 320 };

	for (unsigned int i = 0; i < ARRAY_SIZE(breaks_k); i++) {
		ASSERT_EQ(vm_brk(VM_BASE + K(breaks_k[i])), (long)(VM_BASE + K(breaks_k[i])));
		ASSERT_EQ(mm->map_count, 1);
	}
	for (unsigned long off = K(64); off < K(320); off += K(64))
		ASSERT_EQ(vm_fault(mm, VM_BASE + off, true), VM_FAULT_OK);
	for (unsigned long off = 0; off < K(320); off += K(64))
		ASSERT_EQ(vm_order_at(mm, VM_BASE + off), 4);	/* [64K, 128K) spans breaks at 84K .. 124K */
	ASSERT_EQ(vm_vma(mm, VM_BASE)->vm_end, VM_BASE + K(320));
	debug_vm_check_mm_rmap(mm);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* ---- vm.max_map_count ---- */

static bool test_max_map_count_limits(void)
{
	struct mm_struct *mm = vm_setup_current_mm();
	char buf[32];

	ASSERT_EQ(vm_knob_read("/proc/sys/vm/max_map_count", buf, sizeof(buf)), 6);
	ASSERT_STREQ(buf, "65530\n");
	ASSERT_EQ(vm_knob_write("/proc/sys/vm/max_map_count", "-1"), -EINVAL);
	ASSERT_EQ(vm_knob_write("/proc/sys/vm/max_map_count", "x"), -EINVAL);
	ASSERT_EQ(vm_knob_write("/proc/sys/vm/max_map_count", "2"), 1);
	ASSERT_EQ(sysctl_max_map_count, 2);
	mm->start_brk = mm->brk = VM_BASE + K(1024);
	/* mmap: allowed while map_count <= max (so one over), then -ENOMEM. */
	ASSERT_EQ(vm_map_rw(VM_BASE, K(64)), (long)VM_BASE);
	ASSERT_EQ(vm_mmap(VM_BASE + K(64), K(64), PROT_READ, ANON_PRIV | MAP_FIXED), (long)(VM_BASE + K(64)));
	ASSERT_EQ(vm_map_rw(VM_BASE + K(128), K(64)), (long)(VM_BASE + K(128)));
	ASSERT_EQ(mm->map_count, 3);
	ASSERT_EQ(vm_mmap(VM_BASE + K(512), K(4), RW, ANON_PRIV | MAP_FIXED), -ENOMEM);
	ASSERT_EQ(vm_mmap(0, K(4), RW, ANON_PRIV), -ENOMEM);
	ASSERT_EQ(vm_brk(VM_BASE + K(1028)), (long)(VM_BASE + K(1024)));	/* brk: the same check */
	/* Even one that would merge: Linux checks before it looks. */
	ASSERT_EQ(vm_map_rw(VM_BASE + K(192), K(4)), -ENOMEM);
	ASSERT_EQ(vm_fault(mm, VM_BASE, true), VM_FAULT_OK);
	/* munmap cutting one VMA on both sides at map_count >= max: -ENOMEM, nothing changed. */
	ASSERT_EQ(vm_munmap(VM_BASE + K(4), K(4)), -ENOMEM);
	ASSERT_FALSE(pte_none(vm_pte(mm, VM_BASE + K(4))));
	ASSERT_EQ(mm->map_count, 3);
	ASSERT_EQ(vm_vma(mm, VM_BASE)->vm_end, VM_BASE + K(64));
	/* ... the same over it with MAP_FIXED (the count check passes at max, the split's does not). */
	ASSERT_EQ(vm_knob_write("/proc/sys/vm/max_map_count", "3"), 1);
	ASSERT_EQ(vm_mmap(VM_BASE + K(4), K(4), PROT_READ, ANON_PRIV | MAP_FIXED), -ENOMEM);
	ASSERT_EQ(mm->map_count, 3);
	/* mprotect splits: every one is checked. */
	ASSERT_EQ(vm_mprotect(VM_BASE + K(60), K(4), PROT_READ), -ENOMEM);
	ASSERT_EQ(vm_mprotect(VM_BASE + K(4), K(4), PROT_READ), -ENOMEM);
	ASSERT_EQ(mm->map_count, 3);
	ASSERT_EQ(vm_vma(mm, VM_BASE)->vm_flags & VM_ACCESS_FLAGS, VM_READ | VM_WRITE);
	/* ... one whole VMA needs no split, and merging lowers the count. */
	ASSERT_EQ(vm_mprotect(VM_BASE + K(64), K(64), RW), 0);
	ASSERT_EQ(mm->map_count, 1);
	/* munmap of a VMA's tail: no count check, as Linux. */
	ASSERT_EQ(vm_knob_write("/proc/sys/vm/max_map_count", "0"), 1);
	ASSERT_EQ(vm_munmap(VM_BASE + K(128), K(64)), 0);
	ASSERT_EQ(vm_vma(mm, VM_BASE)->vm_end, VM_BASE + K(128));
	/* One below the limit: the middle munmap goes to exactly the limit. */
	ASSERT_EQ(vm_knob_write("/proc/sys/vm/max_map_count", "2"), 1);
	ASSERT_EQ(vm_munmap(VM_BASE + K(4), K(4)), 0);
	ASSERT_EQ(mm->map_count, 2);
	ASSERT_EQ(vm_munmap(VM_BASE + K(12), K(4)), -ENOMEM);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* ---- alignment ---- */

static bool test_mmap_aligns_to_largest_folio(void)
{
	struct mm_struct *mm = vm_setup_current_mm();
	long a, b;

	vm_policy_only(4);
	/* Smaller than 64K: placed top-down as before, unaligned. */
	ASSERT_EQ(vm_mmap(0, K(4), PROT_READ, ANON_PRIV), (long)(VM_MMAP_BASE - K(4)));
	ASSERT_EQ(vm_mmap(0, K(60), RW, ANON_PRIV), (long)(VM_MMAP_BASE - K(64)));
	ASSERT_EQ(vm_mmap(0, K(4), PROT_READ, ANON_PRIV), (long)(VM_MMAP_BASE - K(68)));
	/* 64K and more: 64K aligned, the highest such place. */
	a = vm_mmap(0, K(72), RW, ANON_PRIV);
	ASSERT_EQ(a, (long)(VM_MMAP_BASE - K(192)));
	/* 16 MiB touched page by page: exactly one 64K fault per 64K. */
	b = vm_mmap(0, 16UL << 20, RW, ANON_PRIV);
	ASSERT_TRUE(b > 0 && IS_ALIGNED((unsigned long)b, K(64)));
	for (unsigned long off = 0; off < (16UL << 20); off += PAGE_SIZE)
		if (pte_none(vm_pte(mm, (unsigned long)b + off)))
			ASSERT_EQ(vm_fault(mm, (unsigned long)b + off, true), VM_FAULT_OK);
	ASSERT_EQ(sum_mthp_stat(4, MTHP_STAT_ANON_FAULT_ALLOC), 256);
	ASSERT_EQ(vm_munmap((unsigned long)b, 16UL << 20), 0);
	/* 2M enabled (here through inherit and the top level's madvise): 2M for what is at least 2M. */
	vm_policy(THP_MADVISE, THP_NEVER);
	anon_order_config.size[4] = THP_ALWAYS;
	anon_order_config.size[9] = THP_INHERIT;
	a = vm_mmap(0, K(2048) + K(4), RW, ANON_PRIV);
	ASSERT_TRUE(a > 0 && IS_ALIGNED((unsigned long)a, K(2048)));
	ASSERT_EQ(a, (long)(VM_MMAP_BASE - K(4096)));	/* a gap for 4M + 4K, aligned inside it */
	/* Below 2M: not aligned, the highest gap (above a, left by a's alignment). */
	b = vm_mmap(0, K(1024), RW, ANON_PRIV);
	ASSERT_EQ(b, (long)(VM_MMAP_BASE - K(192) - K(1024)));
	/* A free hint is honoured as it is; no large size enabled: no alignment. */
	ASSERT_EQ(vm_mmap(VM_BASE + K(4), K(2048), RW, ANON_PRIV), (long)(VM_BASE + K(4)));
	vm_policy(THP_NEVER, THP_NEVER);
	ASSERT_EQ(vm_mmap(0, K(4096), RW, ANON_PRIV), a - (long)K(4096));
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* ---- total_vm, VmPeak and RLIMIT_AS ---- */

/*
 * total_vm follows every change (map, split, partial unmap, merge, in-place growth,
 * move); hiwater_vm keeps its peak, not raised by a move's moment with both ranges
 * mapped; RLIMIT_AS refuses an mremap growth past it and changes nothing.
 */
static bool test_total_vm_and_peak(void)
{
	struct mm_struct *mm = vm_setup_current_mm();
	struct rlimit *as = &current->rlim[RLIMIT_AS];
	unsigned long base = mm->total_vm;
	long a, b;

	a = vm_mmap(0, K(64), RW, ANON_PRIV);
	ASSERT_TRUE(a > 0);
	ASSERT_EQ(mm->total_vm, base + 16);
	ASSERT_EQ(vm_munmap((unsigned long)a + K(16), K(16)), 0);	/* a split and a hole */
	ASSERT_EQ(mm->total_vm, base + 12);
	ASSERT_EQ(mm_total_vm(mm), base + 12);
	ASSERT_EQ(get_mm_hiwater_vm(mm), base + 16);
	ASSERT_EQ(vm_mmap((unsigned long)a + K(16), K(16), RW, ANON_PRIV | MAP_FIXED), a + (long)K(16));
	ASSERT_EQ(mm->map_count, 1);	/* merged back */
	ASSERT_EQ(mm->total_vm, base + 16);
	b = vm_mremap((unsigned long)a, K(64), K(64), MREMAP_MAYMOVE | MREMAP_FIXED, (unsigned long)a - K(256));
	ASSERT_EQ(b, a - (long)K(256));
	ASSERT_EQ(mm->total_vm, base + 16);
	ASSERT_EQ(get_mm_hiwater_vm(mm), base + 16);	/* the move's 32 pages for a moment: no peak */
	as->rlim_cur = (base + 20) << PAGE_SHIFT;
	ASSERT_EQ(vm_mremap((unsigned long)b, K(64), K(96), 0, 0), -ENOMEM);
	ASSERT_EQ(vm_mremap((unsigned long)b, K(64), K(96), MREMAP_MAYMOVE, 0), -ENOMEM);
	ASSERT_EQ(mm->total_vm, base + 16);
	ASSERT_EQ(vm_mremap((unsigned long)b, K(64), K(80), 0, 0), b);	/* exactly at the limit */
	ASSERT_EQ(mm->total_vm, base + 20);
	as->rlim_cur = RLIM_INFINITY;
	ASSERT_EQ(vm_munmap((unsigned long)b, K(80)), 0);
	ASSERT_EQ(mm->total_vm, base);
	ASSERT_EQ(get_mm_hiwater_vm(mm), base + 20);
	vm_mm_put(mm);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

const struct hostmm_test vma_tests[] = {
	HOSTMM_TEST(test_vma_tree_random),
	HOSTMM_TEST(test_vma_tree_check_catches),
	HOSTMM_TEST(test_merge_takes_over_anon_vma),
	HOSTMM_TEST(test_merge_refused),
	HOSTMM_TEST(test_mprotect_split_remerge),
	HOSTMM_TEST(test_brk_grows_heap_vma),
	HOSTMM_TEST(test_max_map_count_limits),
	HOSTMM_TEST(test_mmap_aligns_to_largest_folio),
	HOSTMM_TEST(test_total_vm_and_peak),
	{ NULL, NULL },
};
