# mm/mm.mk - the one list of mm/ source files, in the layers its builds need.
#
# Included by the kernel build (Makefile: MM_SRCS, every layer) and by the
# host harness (tools/hostmm/hostmm.mk: the test binary takes MM_PHYS_SRCS and
# MM_VM_SRCS, the benchmark MM_PHYS_SRCS only).  Each file is named once, in
# exactly one layer; MM_SRCS is their union.  A new mm/ file goes into the
# lowest layer whose files it needs, and is then built everywhere that layer is.
# Only := assignments of constants: including this file twice is harmless.

# The physical layer: boot ranges, struct page / folio metadata, the buddy
# allocator, its idle zeroer and its DEBUG_VM checker.  Needs nothing above it.
MM_PHYS_SRCS := mm/memblock.c mm/memmap.c mm/page_alloc.c mm/prezero.c mm/debug_vm.c

# Virtual memory: page tables, VMAs (and their tree), the mmap family and its overcommit
# accounting, the fault path and its order policies (every .c of mm/policy/), reservations, copy-on-write and its policy, madvise, rmap, folio split,
# shared memory objects (shmem)
# and the deferred-split queue, the LRU and reclaim, the OOM killer, soft-dirty tracking, and the
# counters and mTHP knobs they update.
MM_VM_SRCS := mm/pgtable.c mm/pgtable_user.c mm/rbtree.c mm/vma.c mm/mmap.c mm/mremap.c mm/overcommit.c mm/fault.c \
	mm/memory.c mm/cow.c mm/cow_policy.c mm/madvise.c mm/rmap.c mm/split.c mm/vmscan.c mm/oom_kill.c mm/anon_order.c mm/anon_reserve.c \
	mm/vmstat.c mm/thp_sysfs.c mm/thp_sysfs_file.c mm/thp_sysfs_khugepaged.c mm/thp_sysfs_shmem.c \
	mm/asid.c mm/mmu_gather.c mm/huge_memory.c mm/collapse.c mm/gup.c mm/mlock.c mm/msync.c mm/shmem.c mm/foliotrace.c mm/soft_dirty.c \
	$(sort $(wildcard mm/policy/*.c))

# mm's face in the kernel's file system (/proc/self/folios, /proc/self/maps,
# /proc/self/smaps): needs the VFS and the scheduler, so the kernel builds it
# and the host harness does not.
MM_KERNEL_SRCS := mm/proc_clear_refs.c mm/proc_folios.c mm/proc_maps.c mm/proc_pagemap.c mm/proc_smaps.c mm/mincore.c

MM_SRCS := $(MM_PHYS_SRCS) $(MM_VM_SRCS) $(MM_KERNEL_SRCS)
