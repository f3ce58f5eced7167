/*
 * proc_mem.c - /proc/<pid>/mem: the process's memory as a file, at its
 * user virtual addresses (Linux's fs/proc/base.c mem_rw, mem_lseek).
 *
 * - read and write go through the target's page tables (access_remote_vm,
 *   mm/gup.c) with FOLL_FORCE, as a debugger's: a write to a read-only
 *   private mapping breaks CoW for the target only (its page is made
 *   exclusive first; a page still shared with a fork relative, or the zero
 *   page, is copied), a write to a shared mapping it may not write fails.
 *   Pages are faulted in as needed.  An address no VMA covers, or that the
 *   rules refuse, ends the transfer: -EIO when nothing was copied (Linux's),
 *   else the bytes so far.  A page at a time through a kernel buffer.
 * - offsets are addresses (Linux's FMODE_UNSIGNED_OFFSET): lseek is Linux's
 *   mem_lseek (SEEK_SET and SEEK_CUR only, any 64-bit value, no -EINVAL
 *   for "negative" ones: the position is returned as it is, so an address
 *   at or above 2^63 reads back as a negative off_t).  pread64 still
 *   refuses negative offsets (-EINVAL), as Linux's ksys_pread64 does.
 * - the process is found again by pid at each call: once it is reaped, or
 *   a zombie without memory, read and write give 0 (Linux's mem_rw without
 *   an mm).  After an execve the new memory is read (Linux keeps the mm of
 *   the open: one difference).
 */
#include "kernel/fs.h"
#include "kernel/sched.h"
#include "kernel/slab.h"
#include "kernel/uaccess.h"
#include "mm/gup.h"
#include "mm/vma.h"
#include <asm/memory.h>
#include <uapi/errno.h>

/* Copy count bytes between user buf and the process's memory at *pos (Linux's mem_rw). */
static ssize_t mem_rw(struct file *f, char __user *buf, size_t count, u64 *pos, bool write)
{
	struct task_struct *t = proc_inode_task(f->inode);
	struct mm_struct *mm = t ? t->mm : NULL;
	ssize_t done = 0;
	char *page;

	if (!mm)
		return 0;
	page = kmalloc(PAGE_SIZE);
	if (!page)
		return -ENOMEM;
	mmget(mm);	/* as Linux's mmget_not_zero: the mm outlives a target exiting meanwhile */
	while ((size_t)done < count) {
		size_t n = min(count - done, (size_t)PAGE_SIZE), got;

		if (write && copy_from_user(page, buf + done, n)) {
			done = done ? done : -EFAULT;
			break;
		}
		got = access_remote_vm(mm, (unsigned long)*pos, page, n,
				       FOLL_FORCE | (write ? FOLL_WRITE : 0));
		if (!got) {
			done = done ? done : -EIO;
			break;
		}
		if (!write && copy_to_user(buf + done, page, got)) {
			done = done ? done : -EFAULT;
			break;
		}
		done += got;
		*pos += got;
		if (got < n)
			break;
	}
	mmput(mm);
	kfree(page);
	return done;
}

static ssize_t mem_read(struct file *f, char __user *buf, size_t count, u64 *pos)
{
	return mem_rw(f, buf, count, pos, false);
}

static ssize_t mem_write(struct file *f, const char __user *buf, size_t count, u64 *pos)
{
	return mem_rw(f, (char __user *)buf, count, pos, true);
}

/* Linux's mem_lseek: any position, SEEK_SET or SEEK_CUR; returned as it is. */
static long mem_lseek(struct file *f, long offset, unsigned int whence)
{
	switch (whence) {
	case SEEK_SET:
		f->pos = (u64)offset;
		break;
	case SEEK_CUR:
		f->pos += (u64)offset;
		break;
	default:
		return -EINVAL;
	}
	return (long)f->pos;
}

static const struct file_operations mem_fops = {
	.read = mem_read,
	.write = mem_write,
	.llseek = mem_lseek,
};

static int mem_open(struct task_struct *t, struct file *f)
{
	(void)t;
	f->f_op = &mem_fops;
	return 0;
}

void proc_mem_register(void)
{
	proc_pid_file_register_fops("mem", mem_open);
}
