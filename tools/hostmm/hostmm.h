/*
 * hostmm.h - the host mm harness: fake machine, captured log, panic
 * catching and the assertion macros of the unit tests.
 *
 * The fake machine (host.c) has 64 MiB of "physical" address space in an
 * arena, three RAM ranges with holes between them and a few reserved
 * ranges, fed into memblock exactly as the kernel feeds boot_info:
 *
 *   RAM  [0x0000000, 0x009f000)  pfn     0..158   (PC low memory)
 *   hole [0x009f000, 0x0100000)  pfn   159..255
 *   RAM  [0x0100000, 0x2000000)  pfn   256..8191
 *   hole [0x2000000, 0x2105000)  pfn  8192..8452  (ends unaligned)
 *   RAM  [0x2105000, 0x4000000)  pfn  8453..16383
 *   reserved: boot_info pfn 7, "kernel" pfn 4096..5119,
 *             "initrd" [0x3003000, 0x3014800) = pfn 12291..12308 (rounded out),
 *             memmap (memblock_alloc, top down) pfn 16128..16383.
 *
 * Tests are `static bool test_x(void)` returning true on success; the
 * ASSERT_* macros record why and return false (ASSERT_EQ prints each value in
 * its type's signedness: kernel/assert_value.h).
 */
#ifndef HOSTMM_H
#define HOSTMM_H

#include <setjmp.h>
#include <string.h>
#include "kernel/assert_value.h"
#include "kernel/types.h"
#include "mm/mm.h"

/* Free PFN ranges of the fake machine after boot, written down by hand. */
struct pfn_range {
	unsigned long start, end;
};
extern const struct pfn_range hostmm_free_ranges[];
extern const unsigned int hostmm_nr_free_ranges;
#define HOSTMM_RAM_PAGES	16026UL	/* 159 + 7936 + 7931 */
#define HOSTMM_RESERVED_PAGES	1299UL	/* 1 + 1024 + 18 + 256 */
#define HOSTMM_FREE_PAGES	(HOSTMM_RAM_PAGES - HOSTMM_RESERVED_PAGES)
#define HOSTMM_END_PFN		16384UL

/* Fill memblock with the fake map and run memmap_init(); clears the log. */
void hostmm_boot(void);

/* Everything printk() printed since the last boot / reset. */
const char *hostmm_log(void);
void hostmm_log_reset(void);
bool hostmm_log_contains(const char *needle);

/* When non-NULL, panic() records its message and longjmps here. */
extern jmp_buf *hostmm_panic_jmp;
extern char hostmm_panic_msg[256];

/* Why the current test failed (printed after "not ok N - name # "). */
extern char hostmm_why[320];
void test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define ASSERT_TRUE(c) do { \
	if (!(c)) { \
		test_fail(__FILE__, __LINE__, "%s", #c); \
		return false; \
	} \
} while (0)
#define ASSERT_FALSE(c) ASSERT_TRUE(!(c))
#define ASSERT_EQ(a, b) do { \
	unsigned long long __a = (unsigned long long)(a), __b = (unsigned long long)(b); \
	if (__a != __b) { \
		test_fail(__FILE__, __LINE__, "%s == %s: " ASSERT_VALUE_FMT " != " ASSERT_VALUE_FMT, \
			#a, #b, ASSERT_VALUE_ARGS(__a, a), ASSERT_VALUE_ARGS(__b, b)); \
		return false; \
	} \
} while (0)
#define ASSERT_NE(a, b) do { \
	if ((a) == (b)) { \
		test_fail(__FILE__, __LINE__, "%s != %s", #a, #b); \
		return false; \
	} \
} while (0)
#define ASSERT_STREQ(a, b) do { \
	if (strcmp((a), (b)) != 0) { \
		test_fail(__FILE__, __LINE__, "\"%s\" != \"%s\"", (a), (b)); \
		return false; \
	} \
} while (0)

/*
 * Run stmt expecting a panic whose message contains `needle`.  The machine
 * is left in whatever state the panic interrupted (locks may be held):
 * tests end after the last ASSERT_PANICS, and the runner reboots it.
 */
#define ASSERT_PANICS(needle, stmt) do { \
	jmp_buf __jb, *__prev = hostmm_panic_jmp; \
	hostmm_panic_jmp = &__jb; \
	if (setjmp(__jb) == 0) { \
		stmt; \
		hostmm_panic_jmp = __prev; \
		test_fail(__FILE__, __LINE__, "no panic from %s", #stmt); \
		return false; \
	} \
	hostmm_panic_jmp = __prev; \
	if (!strstr(hostmm_panic_msg, (needle))) { \
		test_fail(__FILE__, __LINE__, "panic \"%s\" lacks \"%s\"", hostmm_panic_msg, (needle)); \
		return false; \
	} \
} while (0)

struct hostmm_test {
	const char *name;
	bool (*fn)(void);
};
#define HOSTMM_TEST(fn) { #fn, fn }

/* Each test file exports its table, ended by { NULL, NULL }. */
extern const struct hostmm_test buddy_tests[];
extern const struct hostmm_test folio_tests[];
extern const struct hostmm_test debug_vm_tests[];
extern const struct hostmm_test debug_vm_check_tests[];	/* test_debug_vm_check.c */
extern const struct hostmm_test model_tests[];
extern const struct hostmm_test prezero_tests[];	/* test_prezero.c */
extern const struct hostmm_test vm_tests[];		/* test_vm.c */
extern const struct hostmm_test fault_tests[];		/* test_fault.c */
extern const struct hostmm_test anon_order_tests[];	/* test_anon_order.c */
extern const struct hostmm_test fork_tests[];		/* test_fork.c */
extern const struct hostmm_test gup_tests[];		/* test_gup.c */
extern const struct hostmm_test cow_tests[];		/* test_cow.c */
extern const struct hostmm_test reclaim_tests[];	/* test_reclaim.c */
extern const struct hostmm_test oom_tests[];		/* test_oom.c */
extern const struct hostmm_test split_tests[];		/* test_split.c */
extern const struct hostmm_test split_freeze_tests[];	/* test_split_freeze.c */
extern const struct hostmm_test vm_random_tests[];	/* test_vm_random.c */
extern const struct hostmm_test huge_pmd_tests[];	/* test_huge_pmd.c */
extern const struct hostmm_test collapse_tests[];	/* test_collapse.c */
extern const struct hostmm_test vma_tests[];		/* test_vma.c */
extern const struct hostmm_test alloc_fail_tests[];	/* test_alloc_fail.c */
extern const struct hostmm_test overcommit_tests[];	/* test_overcommit.c */
extern const struct hostmm_test harness_tests[];	/* test_harness.c */
extern const struct hostmm_test asid_tests[];		/* test_asid.c */
extern const struct hostmm_test mmu_gather_tests[];	/* test_mmu_gather.c */
extern const struct hostmm_test lock_tests[];		/* test_locks.c */
extern const struct hostmm_test shmem_tests[];		/* test_shmem.c */
extern const struct hostmm_test foliotrace_tests[];	/* test_foliotrace.c */
extern const struct hostmm_test policy_tests[];		/* test_policy.c */
extern const struct hostmm_test policy_hooks_tests[];	/* test_policy_hooks.c */
extern const struct hostmm_test policy_contract_tests[];	/* test_policy_contract.c */
extern const struct hostmm_test soft_dirty_tests[];	/* test_soft_dirty.c */
extern const struct hostmm_test vmstat_tests[];		/* test_vmstat.c */

/* ---- helpers shared by the tests (test_util.c) ---- */

/* Per-order block counts of the canonical decomposition of the free ranges. */
void expected_free_blocks(unsigned long nr[11]);
/* Allocate every free frame at order 0; drained[pfn] holds them. */
void drain_all(void);
/* Free drained frames [start, end) (they merge as the buddy rules allow). */
void undrain_range(unsigned long start, unsigned long end);
/* Give back n of the drained frames (lowest PFNs first). */
void undrain_n(unsigned long n);
/* drain_all(), then exactly n frames free again (undrain_all() first when drained already). */
void drain_leaving(unsigned long n);
/* Free every frame still drained. */
void undrain_all(void);
extern struct page *drained[HOSTMM_END_PFN];

#endif
