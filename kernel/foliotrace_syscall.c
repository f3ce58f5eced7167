/*
 * foliotrace_syscall.c - folio.trace's view of the system calls: after
 * each call that shapes an address space (mmap, munmap, mprotect, madvise,
 * mremap, brk), do_syscall hands its number, arguments and result here and
 * the matching record goes to the trace (mm/foliotrace.h).  fork, exit and
 * execve are recorded where they happen (kernel/fork.c, exit.c, exec.c), so
 * that the kernel's own exec of init and every way to die are in the trace too.
 * A write to a pseudo-file below /sys/kernel/mm/ (a knob) comes here from
 * kernel/pseudofs.c, its path rebuilt from the inode.
 */
#include "kernel/fs.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/syscalls.h"
#include "mm/foliotrace.h"
#include <uapi/unistd.h>

void foliotrace_syscall(unsigned long nr, const struct syscall_args *args, long ret)
{
	const unsigned long *a = args->a;

	switch (nr) {
	case __NR_mmap:
		foliotrace_mmap(a[0], a[1], a[2], a[3], (long)(int)a[4], a[5], ret);
		break;
	case __NR_munmap:
		foliotrace_range(FT_MUNMAP, a[0], a[1], 0, ret);
		break;
	case __NR_mprotect:
		foliotrace_range(FT_MPROTECT, a[0], a[1], a[2], ret);
		break;
	case __NR_madvise:
		foliotrace_range(FT_MADVISE, a[0], a[1], a[2], ret);
		break;
	case __NR_mremap:
		foliotrace_mremap(a[0], a[1], a[2], a[3], a[4], ret);
		break;
	case __NR_brk:
		foliotrace_brk(a[0], (unsigned long)ret);
		break;
	}
}

void foliotrace_pseudo_write(const struct inode *inode, const char *buf, size_t len, long ret)
{
	char page[FT_REC_MAX];	/* a path longer than a record is no knob's (the longest is ~70 bytes) */
	const char *path = inode_path(inode, page, sizeof(page));
	size_t dlen = strlen(FT_KNOB_DIR);

	if (path && !strncmp(path, FT_KNOB_DIR, dlen))
		foliotrace_knob(path + dlen, buf, len, ret);
}
