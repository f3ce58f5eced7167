/*
 * test_policy_contract.c - what every order policy of mm/policy/ must do,
 * whatever it decides (policy.h's contract; the policy lab's correctness
 * gate, labs/policy): each test runs once per policy in ANON_POLICY_LIST, so a
 * new policy is tested the moment its line is there.
 *
 *   test_policy_contract_orders: orders(vma, addr) always has bit 0, no bit
 *     above MTHP_MAX_ORDER, and only orders Linux's rules allow that VMA
 *     (linux_orders_allowed: the knobs, MADV_[NO]HUGEPAGE, PR_SET_THP_DISABLE,
 *     shmem are the user's word; a policy narrows them, never widens), over
 *     every knob combination tried and addresses all over the VMA;
 *   test_policy_contract_faults: random write faults on a VMA of random
 *     bounds, the knobs changing: every folio a fault leaves mapped lies
 *     inside its VMA at a naturally aligned address, of an order Linux's
 *     rules allow (until the knobs change); the page's data survives;
 *     nothing leaks.
 * (test_vm_random_each_policy, test_vm_random.c, runs the full random VM
 * sequence under each policy.)
 */
#include <stdio.h>
#include "tools/hostmm/hostmm_vm.h"

static const enum thp_mode contract_modes[] = { THP_NEVER, THP_ALWAYS, THP_MADVISE, THP_INHERIT };

/* Random knobs: top, each size's mode, allow_order1. */
static void contract_random_knobs(void)
{
	anon_order_config.top = contract_modes[vm_rnd_below(3)];
	for (unsigned int k = 1; k <= MTHP_MAX_ORDER; k++)
		anon_order_config.size[k] = contract_modes[vm_rnd_below(4)];
	anon_order_config.allow_order1 = vm_rnd_below(2);
}

/* Does policy id's orders() keep the contract at addr of vma? */
static bool contract_orders_ok(int id, const struct vm_area_struct *vma, unsigned long addr)
{
	unsigned long orders = anon_policies[id]->orders(vma, addr);

	if (!(orders & 1) || (orders >> (MTHP_MAX_ORDER + 1)) || (orders & ~linux_orders_allowed(vma)))
		printf("# policy %s: orders %#lx at %#lx (VMA flags %#lx, Linux's rules %#lx)\n",
		       anon_policies[id]->name, orders, addr, vma->vm_flags, linux_orders_allowed(vma));
	ASSERT_TRUE(orders & 1);
	ASSERT_EQ(orders >> (MTHP_MAX_ORDER + 1), 0);
	ASSERT_EQ(orders & ~linux_orders_allowed(vma), 0);
	return true;
}

static bool test_policy_contract_orders(void)
{
	for (int id = 0; id < NR_ANON_POLICIES; id++) {
		struct mm_struct *mm = vm_setup_mm(PG(3), K(4096) - PG(5));
		struct vm_area_struct *vma = vm_vma(mm, VM_BASE + PG(3));
		unsigned long base_flags = vma->vm_flags;

		vm_rng = 0x5eed + (u64)id;
		anon_order_config.policy = (enum anon_policy_id)id;
		for (unsigned int round = 0; round < 400; round++) {
			contract_random_knobs();
			vma->vm_flags = base_flags | (round % 3 == 1 ? VM_HUGEPAGE : round % 3 == 2 ? VM_NOHUGEPAGE : 0);
			if (round % 7 == 6)
				mm->flags |= MMF_DISABLE_THP;
			else
				mm->flags &= ~MMF_DISABLE_THP;
			for (unsigned int i = 0; i < 8; i++) {
				unsigned long addr = vma->vm_start + PG(vm_rnd_below((vma->vm_end - vma->vm_start) >> PAGE_SHIFT));

				if (!contract_orders_ok(id, vma, addr))
					return false;
			}
			if (!contract_orders_ok(id, vma, vma->vm_start) || !contract_orders_ok(id, vma, vma->vm_end - PAGE_SIZE))
				return false;
		}
		vma->vm_flags = base_flags;
		mm->flags &= ~MMF_DISABLE_THP;
		vm_mm_put(mm);
		ASSERT_EQ(nr_free_pages(), vm_free_start);
	}
	vm_policy(THP_ALWAYS, THP_INHERIT);
	return true;
}

/*
 * The folio mapping addr lies inside vma, naturally aligned, and (while the knobs
 * have not changed since the mm was made: a folio outlives the knobs it was made
 * under) of an order Linux's rules allow.
 */
static bool contract_folio_ok(struct mm_struct *mm, unsigned long addr, unsigned char val, bool same_knobs)
{
	struct vm_area_struct *vma = vm_vma(mm, addr);
	pte_t pte = vm_pte(mm, addr);
	struct folio *folio;
	unsigned long start, size;

	ASSERT_TRUE(pte_present(pte));
	folio = page_folio(pfn_to_page(pte_pfn(pte)));
	size = folio_size(folio);
	start = ALIGN_DOWN(addr, PAGE_SIZE) - ((pte_pfn(pte) - folio_pfn(folio)) << PAGE_SHIFT);
	if (start < vma->vm_start || start + size > vma->vm_end || start % size)
		printf("# policy %s: order-%u folio at %#lx, VMA [%#lx, %#lx)\n", anon_policy_current()->name,
		       folio_order(folio), start, vma->vm_start, vma->vm_end);
	ASSERT_TRUE(start >= vma->vm_start && start + size <= vma->vm_end);
	ASSERT_EQ(start % size, 0);
	ASSERT_EQ(folio_pfn(folio) % folio_nr_pages(folio), 0);
	ASSERT_TRUE(!same_knobs || !folio_order(folio) || (linux_orders_allowed(vma) & (1UL << folio_order(folio))));
	ASSERT_EQ(vm_user_read(mm, addr), val);
	return true;
}

static bool test_policy_contract_faults(void)
{
	for (int id = 0; id < NR_ANON_POLICIES; id++) {
		unsigned int first, pages;
		struct mm_struct *mm;

		vm_rng = 0xfa17 + (u64)id;
		first = (unsigned int)vm_rnd_below(256);
		pages = 1 + (unsigned int)vm_rnd_below(1024 - first);
		mm = vm_setup_mm(PG(first), PG(pages));
		vm_policy(THP_ALWAYS, THP_INHERIT);
		anon_order_config.policy = (enum anon_policy_id)id;
		for (unsigned int step = 0; step < 300; step++) {
			unsigned long addr = VM_BASE + PG(first + vm_rnd_below(pages));
			unsigned char val = (unsigned char)(1 + vm_rnd_below(255));

			if (step % 50 == 49)
				contract_random_knobs();
			ASSERT_EQ(vm_user_write(mm, addr, val), VM_FAULT_OK);
			if (!contract_folio_ok(mm, addr, val, step < 49))
				return false;
		}
		debug_vm_check_mm_rmap(mm);
		memmap_check();
		vm_mm_put(mm);
		ASSERT_EQ(nr_free_pages(), vm_free_start);
	}
	vm_policy(THP_ALWAYS, THP_INHERIT);
	return true;
}

const struct hostmm_test policy_contract_tests[] = {
	HOSTMM_TEST(test_policy_contract_orders),
	HOSTMM_TEST(test_policy_contract_faults),
	{ NULL, NULL },
};
