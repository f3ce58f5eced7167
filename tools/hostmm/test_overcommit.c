/*
 * test_overcommit.c - overcommit accounting (mm/overcommit.c) through the
 * system calls: what is charged (VM_ACCOUNT) and given back, the three
 * modes and their limits, to the page, and the /proc/sys/vm files.
 *
 * The host machine has totalram_pages() pages (the fake map's RAM minus
 * its reservations); no swap.  vm_setup() starts every test in mode 0,
 * ratio 50, nothing committed.
 */
#include <stdio.h>
#include <stdlib.h>
#include "mm/memblock.h"
#include "tools/hostmm/hostmm_vm.h"

#define K(x)	((unsigned long)(x) << 10)
#define PG(i)	((unsigned long)(i) << PAGE_SHIFT)
#define ANON_PRIV	(MAP_PRIVATE | MAP_ANONYMOUS)
#define RW		(PROT_READ | PROT_WRITE)

/* The registration of /proc/sys/vm/<name>. */
static const struct host_pseudo_file *sysctl_file(const char *name)
{
	char path[64];
	const struct host_pseudo_file *f;

	snprintf(path, sizeof(path), "/proc/sys/vm/%s", name);
	f = hostmm_pseudo_file(path);
	if (!f || !f->store)
		panic("sysctl_file: %s not registered", path);
	return f;
}

/* Write val to /proc/sys/vm/<name>: what the write returns. */
static long sysctl_write(const char *name, const char *val)
{
	return sysctl_file(name)->store(val, strlen(val));
}

/* What reading /proc/sys/vm/<name> gives. */
static const char *sysctl_read(const char *name)
{
	static char buf[64];

	sysctl_file(name)->show(buf, sizeof(buf));
	return buf;
}

static long committed(void)
{
	return (long)vm_memory_committed();
}

/* Mode 0: one request larger than RAM is refused; MAP_NORESERVE and read-only mappings are not charged. */
static bool test_overcommit_guess(void)
{
	struct mm_struct *mm = vm_setup_current_mm();
	unsigned long ram = totalram_pages();
	long addr;

	ASSERT_EQ(vm_mmap(0, PG(ram + 1), RW, ANON_PRIV), -ENOMEM);
	ASSERT_EQ(committed(), 0);
	ASSERT_EQ(mm->map_count, 0);
	addr = vm_mmap(0, PG(ram), RW, ANON_PRIV);	/* = RAM: allowed */
	ASSERT_TRUE(addr > 0);
	ASSERT_EQ(committed(), (long)ram);
	ASSERT_TRUE(vm_vma(mm, addr)->vm_flags & VM_ACCOUNT);
	/* Each request is judged alone: a second one of RAM's size passes too. */
	ASSERT_TRUE(vm_mmap(0, PG(ram), RW, ANON_PRIV) > 0);
	ASSERT_EQ(committed(), 2 * (long)ram);
	ASSERT_EQ(vm_munmap(addr, PG(ram)), 0);
	ASSERT_EQ(committed(), (long)ram);
	/* 64 TiB: refused; with MAP_NORESERVE, or read-only, mapped and not charged. */
	ASSERT_EQ(vm_mmap(0, 64UL << 40, RW, ANON_PRIV), -ENOMEM);
	addr = vm_mmap(0, 64UL << 40, RW, ANON_PRIV | MAP_NORESERVE);
	ASSERT_TRUE(addr > 0);
	ASSERT_EQ(vm_vma(mm, addr)->vm_flags & (VM_ACCOUNT | VM_NORESERVE), VM_NORESERVE);
	ASSERT_EQ(committed(), (long)ram);
	ASSERT_EQ(vm_munmap(addr, 64UL << 40), 0);
	addr = vm_mmap(0, 64UL << 40, PROT_READ, ANON_PRIV);
	ASSERT_TRUE(addr > 0);
	ASSERT_EQ(committed(), (long)ram);
	vm_mm_put(mm);
	ASSERT_EQ(committed(), 0);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* Mode 1: nothing refused, everything still counted. */
static bool test_overcommit_always(void)
{
	struct mm_struct *mm = vm_setup_current_mm();

	ASSERT_EQ(sysctl_write("overcommit_memory", "1"), 1);
	ASSERT_TRUE(vm_mmap(0, 64UL << 40, RW, ANON_PRIV) > 0);
	ASSERT_EQ(committed(), (long)((64UL << 40) >> PAGE_SHIFT));
	vm_mm_put(mm);
	ASSERT_EQ(committed(), 0);
	return true;
}

/*
 * Mode 2: Committed_AS must stay below CommitLimit = RAM * ratio / 100 (or
 * overcommit_kbytes), less min(total_vm / 32, user reserve) of the mm's;
 * MAP_NORESERVE is ignored.
 */
static bool test_overcommit_never_limit(void)
{
	struct mm_struct *mm = vm_setup_current_mm();
	unsigned long limit = totalram_pages() * 50 / 100;
	long addr, ro;

	ASSERT_EQ(sysctl_write("overcommit_memory", "2\n"), 2);
	ASSERT_EQ(vm_commit_limit(), limit);
	/* An empty mm: up to limit - 1 pages (Committed_AS must stay strictly below). */
	ASSERT_EQ(vm_mmap(0, PG(limit), RW, ANON_PRIV), -ENOMEM);
	ASSERT_EQ(committed(), 0);
	addr = vm_mmap(0, PG(limit - 1), RW, ANON_PRIV | MAP_NORESERVE);
	ASSERT_TRUE(addr > 0);
	ASSERT_EQ(vm_vma(mm, addr)->vm_flags & (VM_ACCOUNT | VM_NORESERVE), VM_ACCOUNT);
	ASSERT_EQ(committed(), (long)limit - 1);
	ASSERT_EQ(vm_mmap(0, PG(1), RW, ANON_PRIV), -ENOMEM);
	/* Read-only memory is not charged, even now. */
	ro = vm_mmap(0, PG(64 * 32), PROT_READ, ANON_PRIV);
	ASSERT_TRUE(ro > 0);
	/* MAP_FIXED over an accounted mapping charges only the difference. */
	ASSERT_EQ(vm_mmap(addr, PG(limit - 1), RW, ANON_PRIV | MAP_FIXED), addr);
	ASSERT_EQ(committed(), (long)limit - 1);
	ASSERT_EQ(vm_munmap(addr, PG(limit - 1)), 0);
	ASSERT_EQ(committed(), 0);
	/* The user reserve: total_vm is now 2048 pages, so 64 pages stay out of reach. */
	ASSERT_EQ(vm_mmap(0, PG(limit - 64), RW, ANON_PRIV), -ENOMEM);
	addr = vm_mmap(0, PG(limit - 65), RW, ANON_PRIV);
	ASSERT_TRUE(addr > 0);
	ASSERT_EQ(committed(), (long)limit - 65);
	ASSERT_EQ(vm_munmap(addr, PG(limit - 65)), 0);
	/* overcommit_kbytes replaces the ratio; writing the ratio brings it back. */
	ASSERT_EQ(sysctl_write("overcommit_kbytes", "4096"), 4);
	ASSERT_STREQ(sysctl_read("overcommit_ratio"), "0\n");
	ASSERT_EQ(vm_commit_limit(), 1024);
	ASSERT_EQ(vm_mmap(0, PG(1024 - 64), RW, ANON_PRIV), -ENOMEM);
	ASSERT_TRUE(vm_mmap(0, PG(1024 - 65), RW, ANON_PRIV) > 0);
	ASSERT_EQ(sysctl_write("overcommit_ratio", "50"), 2);
	ASSERT_STREQ(sysctl_read("overcommit_kbytes"), "0\n");
	ASSERT_EQ(vm_commit_limit(), limit);
	vm_mm_put(mm);
	ASSERT_EQ(committed(), 0);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* mprotect: becoming writable is charged; becoming read-only gives it back only while untouched. */
static bool test_overcommit_mprotect(void)
{
	struct mm_struct *mm = vm_setup_current_mm();
	struct vm_snapshot *snap = malloc(sizeof(*snap));
	long a;

	ASSERT_TRUE(snap != NULL);
	a = vm_mmap(0, PG(16), PROT_READ, ANON_PRIV);
	ASSERT_EQ(committed(), 0);
	ASSERT_EQ(vm_mprotect(a, PG(4), RW), 0);
	ASSERT_EQ(committed(), 4);
	ASSERT_EQ(mm->map_count, 2);
	ASSERT_EQ(vm_mprotect(a, PG(16), RW), 0);	/* the rest: 12 more, the first 4 stay */
	ASSERT_EQ(committed(), 16);
	ASSERT_EQ(mm->map_count, 1);
	ASSERT_EQ(vm_mprotect(a, PG(16), PROT_READ), 0);	/* no anon_vma yet: given back */
	ASSERT_EQ(committed(), 0);
	ASSERT_FALSE(vm_vma(mm, a)->vm_flags & VM_ACCOUNT);
	ASSERT_EQ(vm_mprotect(a, PG(16), RW), 0);
	ASSERT_EQ(vm_fault(mm, a, true), VM_FAULT_OK);
	ASSERT_EQ(vm_mprotect(a, PG(16), PROT_NONE), 0);	/* written: the charge stays */
	ASSERT_EQ(committed(), 16);
	ASSERT_EQ(vm_mprotect(a, PG(16), RW), 0);
	ASSERT_EQ(committed(), 16);
	/* MAP_NORESERVE memory made writable is not charged either. */
	a = vm_mmap(0, PG(8), PROT_READ, ANON_PRIV | MAP_NORESERVE);
	ASSERT_EQ(vm_mprotect(a, PG(8), RW), 0);
	ASSERT_EQ(committed(), 16);
	/* Strict mode, at the limit: -ENOMEM and nothing changed. */
	ASSERT_EQ(sysctl_write("overcommit_kbytes", "100"), 3);	/* 25 pages */
	ASSERT_EQ(sysctl_write("overcommit_memory", "2"), 1);
	a = vm_mmap(0, PG(16), PROT_READ, ANON_PRIV);
	vm_snapshot(mm, snap);
	ASSERT_EQ(vm_mprotect(a, PG(16), RW), -ENOMEM);
	ASSERT_TRUE(vm_snapshot_same(mm, snap, 0));
	ASSERT_EQ(committed(), 16);
	ASSERT_EQ(vm_mprotect(a + PG(4), PG(4), RW), 0);	/* 20 < 25 - 40 / 32 */
	ASSERT_EQ(committed(), 20);
	free(snap);
	vm_mm_put(mm);
	ASSERT_EQ(committed(), 0);
	return true;
}

/* The heap: growing is charged, shrinking gives back; a refused growth returns the old break. */
static bool test_overcommit_brk(void)
{
	struct mm_struct *mm = vm_setup_current_mm();

	mm->start_brk = mm->brk = VM_BASE;
	ASSERT_EQ(vm_brk(VM_BASE + PG(100)), (long)(VM_BASE + PG(100)));
	ASSERT_EQ(committed(), 100);
	ASSERT_EQ(vm_brk(VM_BASE + PG(40)), (long)(VM_BASE + PG(40)));
	ASSERT_EQ(committed(), 40);
	ASSERT_EQ(sysctl_write("overcommit_kbytes", "400"), 3);	/* 100 pages */
	ASSERT_EQ(sysctl_write("overcommit_memory", "2"), 1);
	ASSERT_EQ(vm_brk(VM_BASE + PG(100)), (long)(VM_BASE + PG(40)));
	ASSERT_EQ(committed(), 40);
	ASSERT_EQ(vm_brk(VM_BASE + PG(98)), (long)(VM_BASE + PG(98)));	/* 98 < 100 - 40 / 32 */
	ASSERT_EQ(committed(), 98);
	ASSERT_EQ(vm_brk(VM_BASE), (long)VM_BASE);
	ASSERT_EQ(committed(), 0);
	vm_mm_put(mm);
	return true;
}

/* fork charges the child's accounted VMAs (not read-only or NORESERVE ones); refused in mode 2 past the limit. */
static bool test_overcommit_fork(void)
{
	struct mm_struct *mm = vm_setup_current_mm(), *child;
	unsigned long free_before;
	long live_before;

	ASSERT_TRUE(vm_mmap(0, PG(300), RW, ANON_PRIV) > 0);
	ASSERT_TRUE(vm_mmap(0, PG(50), PROT_READ, ANON_PRIV) > 0);
	ASSERT_TRUE(vm_mmap(0, PG(70), RW, ANON_PRIV | MAP_NORESERVE) > 0);
	ASSERT_EQ(vm_fault(mm, vm_vma(mm, VM_MMAP_BASE - PG(1))->vm_start, true), VM_FAULT_OK);
	ASSERT_EQ(committed(), 300);
	child = vm_mm_dup(mm);
	ASSERT_TRUE(child != NULL);
	ASSERT_EQ(committed(), 600);
	vm_mm_put(child);
	ASSERT_EQ(committed(), 300);
	ASSERT_EQ(sysctl_write("overcommit_kbytes", "2400"), 4);	/* 600 pages */
	ASSERT_EQ(sysctl_write("overcommit_memory", "2"), 1);
	free_before = nr_free_pages();
	live_before = hostmm_kmalloc_live;
	ASSERT_TRUE(vm_mm_dup(mm) == NULL);	/* 300 + 300 is not below 600 - 420 / 32 */
	ASSERT_EQ(committed(), 300);
	ASSERT_EQ(nr_free_pages(), free_before);
	ASSERT_EQ(hostmm_kmalloc_live, live_before);
	ASSERT_EQ(sysctl_write("overcommit_kbytes", "2500"), 4);	/* 625: 600 < 625 - 13 */
	child = vm_mm_dup(mm);
	ASSERT_TRUE(child != NULL);
	ASSERT_EQ(committed(), 600);
	vm_mm_put(child);
	vm_mm_put(mm);
	ASSERT_EQ(committed(), 0);
	ASSERT_EQ(nr_free_pages(), vm_free_start);
	return true;
}

/* An accounted stack is charged as it grows; strict mode at the limit stops the growth (SIGSEGV). */
static bool test_overcommit_stack_growth(void)
{
	struct mm_struct *mm = vm_setup_current_mm();
	unsigned long top = VM_BASE + PG(64);

	ASSERT_EQ(vm_mmap(top - PG(4), PG(4), RW, ANON_PRIV | MAP_FIXED | MAP_GROWSDOWN), (long)(top - PG(4)));
	ASSERT_EQ(committed(), 4);
	ASSERT_EQ(do_page_fault(top - PG(10), FAULT_FLAG_WRITE), VM_FAULT_OK);
	ASSERT_EQ(committed(), 10);
	ASSERT_EQ(sysctl_write("overcommit_kbytes", "48"), 2);	/* 12 pages */
	ASSERT_EQ(sysctl_write("overcommit_memory", "2"), 1);
	ASSERT_EQ(do_page_fault(top - PG(13), FAULT_FLAG_WRITE), VM_FAULT_SIGSEGV);
	ASSERT_EQ(vm_vma(mm, top - PG(1))->vm_start, top - PG(10));
	ASSERT_EQ(do_page_fault(top - PG(11), FAULT_FLAG_WRITE), VM_FAULT_OK);
	ASSERT_EQ(committed(), 11);
	vm_mm_put(mm);
	ASSERT_EQ(committed(), 0);
	return true;
}

/* The files: Linux's formats, one integer per write (proc_dointvec_minmax), bad input -EINVAL. */
static bool test_overcommit_sysctl_files(void)
{
	static const char *const bad[] = { "", " ", "3", "-1", "abc", "1x", "2.", "0x", "08",
					   "99999999999999999999999", "1\0", "+1" };

	vm_setup();
	ASSERT_STREQ(sysctl_read("overcommit_memory"), "0\n");
	ASSERT_STREQ(sysctl_read("overcommit_ratio"), "50\n");
	ASSERT_STREQ(sysctl_read("overcommit_kbytes"), "0\n");
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		long ret = sysctl_file("overcommit_memory")->store(bad[i], strlen(bad[i]) + (i == 10));

		if (ret != -EINVAL) {
			test_fail(__FILE__, __LINE__, "overcommit_memory \"%s\": %ld, want -EINVAL", bad[i], ret);
			return false;
		}
	}
	ASSERT_STREQ(sysctl_read("overcommit_memory"), "0\n");
	ASSERT_EQ(sysctl_write("overcommit_memory", " 2 \n"), 4);
	ASSERT_STREQ(sysctl_read("overcommit_memory"), "2\n");
	ASSERT_EQ(sysctl_write("overcommit_memory", "0x1"), 3);
	ASSERT_EQ(sysctl_overcommit_memory, 1);
	ASSERT_EQ(sysctl_write("overcommit_memory", "02"), 2);
	ASSERT_EQ(sysctl_overcommit_memory, 2);
	ASSERT_EQ(sysctl_write("overcommit_memory", "0 1"), 2);	/* the first integer; the rest unwritten */
	ASSERT_EQ(sysctl_overcommit_memory, 0);
	ASSERT_EQ(sysctl_write("overcommit_ratio", "-5"), -EINVAL);
	ASSERT_EQ(sysctl_write("overcommit_ratio", "2147483648"), -EINVAL);
	ASSERT_EQ(sysctl_write("overcommit_ratio", "2147483647"), 10);
	ASSERT_EQ(sysctl_write("overcommit_ratio", "80\n"), 3);
	ASSERT_STREQ(sysctl_read("overcommit_ratio"), "80\n");
	ASSERT_EQ(vm_commit_limit(), totalram_pages() * 80 / 100);
	ASSERT_EQ(sysctl_write("overcommit_kbytes", "-4"), -EINVAL);
	ASSERT_STREQ(sysctl_read("overcommit_ratio"), "80\n");
	ASSERT_EQ(sysctl_write("overcommit_kbytes", "18446744073709551615"), 20);
	ASSERT_STREQ(sysctl_read("overcommit_kbytes"), "18446744073709551615\n");
	ASSERT_EQ(sysctl_write("overcommit_kbytes", "18446744073709551616"), -EINVAL);
	return true;
}

const struct hostmm_test overcommit_tests[] = {
	HOSTMM_TEST(test_overcommit_guess),
	HOSTMM_TEST(test_overcommit_always),
	HOSTMM_TEST(test_overcommit_never_limit),
	HOSTMM_TEST(test_overcommit_mprotect),
	HOSTMM_TEST(test_overcommit_brk),
	HOSTMM_TEST(test_overcommit_fork),
	HOSTMM_TEST(test_overcommit_stack_growth),
	HOSTMM_TEST(test_overcommit_sysctl_files),
	{ NULL, NULL },
};
