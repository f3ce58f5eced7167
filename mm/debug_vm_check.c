/*
 * debug_vm_check.c - /sys/kernel/mm/folio/debug_vm_check: DEBUG_VM's
 * invariant checks on demand, for user tests that change memory from
 * several CPUs at once (user/race_stress_test.c) and want to know, between
 * rounds, that nothing broke.
 *
 * Writing "1" (a trailing newline allowed) checks, in this order:
 *   - the memmap and the free lists: memmap_check() whole when only one CPU
 *     is online (the kernel is not preemptible, so nothing else is half-way
 *     through a change), else memmap_check_free(), its part that the buddy
 *     lock alone keeps stable;
 *   - the writer's VMA tree (debug_vm_check_vma_tree) and its reverse map
 *     (debug_vm_check_mm_rmap: every folio it maps is found by rmap_walk as
 *     often as its mapcount says), under the writer's mmap_lock taken for
 *     writing, so that no thread of the writer faults, unmaps or changes a
 *     VMA meanwhile; what other processes and reclaim still change, the
 *     rmap check allows for (mm/rmap.c).
 * A broken invariant panics with the checker's message and dump, as
 * DEBUG_VM does anywhere.  Anything else written is -EINVAL; a kernel built
 * without DEBUG_VM (the perf build) has the file, and every write gives
 * -EOPNOTSUPP.  Reads are empty.  docs/mm/knobs.md.
 */
#include "kernel/sched.h"
#include "kernel/smp.h"
#include "kernel/vfs.h"
#include "mm/debug_vm.h"
#include "mm/mm_types.h"
#include "mm/rmap.h"
#include "mm/thp_sysfs.h"
#include "mm/thp_sysfs_file.h"
#include "mm/vma.h"
#include <uapi/errno.h>

/* Write-only: reads are empty. */
static long debug_vm_check_show(char *buf, size_t len)
{
	(void)buf;
	(void)len;
	return 0;
}

/* "1": run the checks above for the writing process; the length written, or -EINVAL / -EOPNOTSUPP. */
static long debug_vm_check_store(const char *buf, size_t len)
{
#ifdef DEBUG_VM
	struct mm_struct *mm = current->mm;

	if (!sysfs_word_is("1", buf, strip_newline(buf, len)) || !mm)
		return -EINVAL;
	if (num_online_cpus == 1)
		memmap_check();
	else
		memmap_check_free();
	mmap_write_lock(mm);
	debug_vm_check_vma_tree(mm);
	debug_vm_check_mm_rmap(mm);
	mmap_write_unlock(mm);
	return (long)len;
#else
	(void)buf;
	(void)len;
	return -EOPNOTSUPP;
#endif
}

void debug_vm_check_init(void)
{
	pseudo_file_register(FOLIO_SYSFS_DIR "/debug_vm_check", debug_vm_check_show, debug_vm_check_store);
}
