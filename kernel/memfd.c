/*
 * memfd.c - memfd_create(2) and the file side of a shmem object (mm/shmem.h):
 * read/write/pread/pwrite at any offset (holes read as zeros; a write past
 * the end grows the object), lseek and fstat through f->size (kept equal
 * to the object's size), ftruncate, mmap (MAP_SHARED writes reach the
 * object, MAP_PRIVATE copies on write: mm/shmem.c) and the seals of
 * F_ADD_SEALS / F_GET_SEALS, all with Linux 6.12's checks and errno.
 *
 * A memfd's struct file is the only file on its object (no /proc/self/fd
 * reopen); dup and fork share it, and its release drops the file's
 * reference on the object, which goes with its last mapping.
 */
#include "kernel/fs.h"
#include "kernel/sched.h"
#include "kernel/slab.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "mm/mm.h"
#include "mm/shmem.h"
#include "mm/vma.h"
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/memfd.h>

#define MFD_ALL_FLAGS	(MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_NOEXEC_SEAL | MFD_EXEC)
#define F_ALL_SEALS	(F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE | \
			 F_SEAL_EXEC)

static const struct file_operations memfd_fops;

/* f's object when f is a memfd, else NULL. */
static struct shmem_inode *memfd_shmem(const struct file *f)
{
	return f->f_op == &memfd_fops ? f->private : NULL;
}

/* Copy n bytes of page index at offset off to user memory (zeros for a hole); bytes not copied. */
static unsigned long memfd_copy_out(struct shmem_inode *si, unsigned long index, size_t off,
				    char __user *buf, size_t n)
{
	struct folio *folio = shmem_find_folio(si, index);

	if (!folio)
		return clear_user(buf, n);
	return copy_to_user(buf, (char *)folio_address(folio) + off, n);
}

static ssize_t memfd_read(struct file *f, char __user *buf, size_t count, u64 *pos)
{
	struct shmem_inode *si = f->private;
	size_t done = 0;

	while (done < count && *pos < si->size) {
		size_t off = *pos & ~PAGE_MASK;
		size_t n = min(min(count - done, PAGE_SIZE - off), (size_t)(si->size - *pos));
		size_t left = memfd_copy_out(si, (unsigned long)(*pos >> PAGE_SHIFT), off, buf + done, n);

		done += n - left;
		*pos += n - left;
		if (left)
			return done ? (ssize_t)done : -EFAULT;
	}
	return (ssize_t)done;
}

/*
 * Linux's generic_perform_write on shmem, page by page: the object grows
 * to cover each chunk before its page is found, and back to what was
 * copied when the copy faults or the page cannot be had (a failed write
 * leaves the object as it was).  A new page the chunk covers whole is not
 * zeroed first (SGP_WRITE); when the copy stops short, its unwritten part
 * is, so no stale byte is ever seen.  Seals: WRITE and FUTURE_WRITE refuse
 * any write (-EPERM), GROW one that would grow the object.
 */
static ssize_t memfd_write(struct file *f, const char __user *buf, size_t count, u64 *pos)
{
	struct shmem_inode *si = f->private;
	size_t done = 0;
	ssize_t err = 0;

	if (si->seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE))
		return -EPERM;
	if (f->flags & O_APPEND)
		*pos = si->size;
	if ((si->seals & F_SEAL_GROW) && *pos + count > si->size)
		return -EPERM;
	while (done < count) {
		size_t off = *pos & ~PAGE_MASK, n = min(count - done, PAGE_SIZE - off), left;
		u64 old = si->size;
		struct folio *folio;

		if (*pos + n > old)
			si->size = *pos + n;
		err = shmem_get_folio(si, (unsigned long)(*pos >> PAGE_SHIFT), n == PAGE_SIZE, &folio);
		left = err < 0 ? n : copy_from_user((char *)folio_address(folio) + off, buf + done, n);
		if (err == SHMEM_FOLIO_UNZEROED && left)
			memset((char *)folio_address(folio) + n - left, 0, left);
		err = min(err, 0);
		if (!err && n - left)
			folio_set_dirty(folio);
		if (left && si->size > old)
			shmem_setsize(si, max(old, *pos + n - left));
		done += n - left;
		*pos += n - left;
		if (left) {
			err = err ? err : -EFAULT;
			break;
		}
	}
	f->size = si->size;
	return done ? (ssize_t)done : err;
}

/* Linux's shmem_setattr for a size: the seals first, then the object. */
static long memfd_ftruncate(struct file *f, u64 length)
{
	struct shmem_inode *si = f->private;

	if ((length < si->size && (si->seals & F_SEAL_SHRINK)) ||
	    (length > si->size && (si->seals & F_SEAL_GROW)))
		return -EPERM;
	shmem_setsize(si, length);
	f->size = length;
	return 0;
}

/* Zero bytes [from, to) of one page of si in place (a hole stays a hole). */
static void memfd_zero_partial(struct shmem_inode *si, u64 from, u64 to)
{
	struct folio *folio = shmem_find_folio(si, (unsigned long)(from >> PAGE_SHIFT));

	if (folio && to > from)
		memset((char *)folio_address(folio) + (from & ~PAGE_MASK), 0, (size_t)(to - from));
}

/*
 * PUNCH_HOLE of [offset, end) (Linux's shmem_fallocate + shmem_truncate_range):
 * the whole pages leave the object and every shared mapping (private CoW
 * copies stay), the partial pages at either end are zeroed in place.
 */
static void memfd_punch(struct shmem_inode *si, u64 offset, u64 end)
{
	u64 first = (offset + PAGE_SIZE - 1) & PAGE_MASK, last = end & PAGE_MASK;

	if (first > last) {			/* inside one page */
		memfd_zero_partial(si, offset, end);
		return;
	}
	memfd_zero_partial(si, offset, first);
	memfd_zero_partial(si, last, end);
	if (first < last)
		shmem_punch_hole(si, (unsigned long)(first >> PAGE_SHIFT), (unsigned long)(last >> PAGE_SHIFT));
}

/*
 * Linux's shmem_fallocate: KEEP_SIZE and PUNCH_HOLE only (-EOPNOTSUPP).
 * A punch under a write seal is -EPERM.  An allocation past the size of a
 * GROW-sealed object is -EPERM (KEEP_SIZE or not); then every hole of the
 * range gets a zeroed page and, without KEEP_SIZE, the object grows to
 * offset + len.  With KEEP_SIZE nothing past the end is allocated (Linux
 * keeps such pages for a later grow; here they would read as zeros alike).
 * -ENOMEM, or -EINTR when a signal is pending, frees the pages this call
 * allocated and leaves the size: the object is as it was.
 */
static long memfd_fallocate(struct file *f, int mode, u64 offset, u64 len)
{
	struct shmem_inode *si = f->private;
	u64 end = offset + len, old = si->size, alloc_end;
	unsigned long index, first = (unsigned long)(offset >> PAGE_SHIFT);
	struct list_head *pos, *next;
	struct folio *folio;
	LIST_HEAD(fresh);			/* this call's new folios, through folio->lru (the owner's list) */
	int err = 0;

	if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE))
		return -EOPNOTSUPP;
	if (mode & FALLOC_FL_PUNCH_HOLE) {
		if (si->seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE))
			return -EPERM;
		if (offset < old)
			memfd_punch(si, offset, min(end, old));
		return 0;
	}
	if ((si->seals & F_SEAL_GROW) && end > old)
		return -EPERM;
	alloc_end = (mode & FALLOC_FL_KEEP_SIZE) ? min(end, old) : end;
	if (alloc_end > old)
		si->size = alloc_end;		/* shmem_get_folio allocates below the size */
	for (index = first; (u64)index << PAGE_SHIFT < alloc_end; index++) {
		bool hole = !shmem_find_folio(si, index);

		if (signal_pending(current)) {	/* Linux: a long allocation stops for any signal */
			err = -EINTR;
			break;
		}
		err = shmem_get_folio(si, index, false, &folio);
		if (err < 0)
			break;
		if (hole)
			list_add_tail(&folio->lru, &fresh);
	}
	/* New pages are zeroed and mapped nowhere yet: a failure gives them back. */
	list_for_each_safe(pos, next, &fresh) {
		folio = list_entry(pos, struct folio, lru);
		list_del_init(&folio->lru);
		if (err < 0)
			shmem_punch_hole(si, folio->index, folio->index + 1);
	}
	if (err < 0) {
		si->size = old;
		return err;
	}
	f->size = si->size;
	return 0;
}

/* Linux's shmem_mmap after memfd_check_seals_mmap: a write-sealed object takes no shared writable mapping. */
static int memfd_mmap(struct file *f, struct vm_area_struct *vma)
{
	struct shmem_inode *si = f->private;

	if ((vma->vm_flags & VM_SHARED) && (vma->vm_flags & VM_WRITE) &&
	    (si->seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)))
		return -EPERM;
	vma->vm_shmem = si;
	shmem_vma_link(vma);
	return 0;
}

static void memfd_release(struct file *f)
{
	shmem_put(f->private);
}

static const struct file_operations memfd_fops = {
	.read = memfd_read,
	.write = memfd_write,
	.ftruncate = memfd_ftruncate,
	.fallocate = memfd_fallocate,
	.mmap = memfd_mmap,
	.release = memfd_release,
};

/* Is some VMA mapping si shared (so writable: foliOS drops no VM_MAYWRITE)?  mapping_deny_writable's test. */
static bool shmem_mapped_shared(const struct shmem_inode *si)
{
	const struct list_head *pos;

	list_for_each(pos, &si->i_mmap)
		if (list_entry(pos, struct vm_area_struct, vm_shmem_link)->vm_flags & VM_SHARED)
			return true;
	return false;
}

long memfd_fcntl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct shmem_inode *si = memfd_shmem(f);
	unsigned int seals = (unsigned int)arg;

	if (cmd == F_GET_SEALS)
		return si ? (long)si->seals : -EINVAL;
	/* Linux's memfd_add_seals, in its order. */
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EPERM;
	if (seals & ~(unsigned int)F_ALL_SEALS)
		return -EINVAL;
	if (!si)
		return -EINVAL;
	if (si->seals & F_SEAL_SEAL)
		return -EPERM;
	if ((seals & F_SEAL_WRITE) && !(si->seals & F_SEAL_WRITE) && shmem_mapped_shared(si))
		return -EBUSY;
	si->seals |= seals;
	return 0;
}

/*
 * Linux's memfd_create: the flags (-EINVAL; MFD_HUGETLB too: no
 * hugetlbfs), the name (-EFAULT, -EINVAL past MFD_NAME_MAX_LEN), then the
 * object and the descriptor (-ENOMEM, -EMFILE).  The file is O_RDWR,
 * S_IFREG | 0777 (0666 with MFD_NOEXEC_SEAL, which also allows sealing and
 * seals F_SEAL_EXEC); without MFD_ALLOW_SEALING it is sealed F_SEAL_SEAL.
 */
SYSCALL_DEFINE2(memfd_create, const char __user *, uname, unsigned int, flags)
{
	char name[SHMEM_NAME_MAX] = MFD_NAME_PREFIX;
	size_t prefix = sizeof(MFD_NAME_PREFIX) - 1;
	struct shmem_inode *si;
	struct file *f;
	long len;
	int fd;

	if (flags & ~MFD_ALL_FLAGS)
		return -EINVAL;
	if ((flags & MFD_EXEC) && (flags & MFD_NOEXEC_SEAL))
		return -EINVAL;
	/* The name and its NUL: at most MFD_NAME_MAX_LEN + 1 bytes. */
	len = strncpy_from_user(name + prefix, uname, MFD_NAME_MAX_LEN + 1);
	if (len == -ENAMETOOLONG)
		return -EINVAL;
	if (len < 0)
		return -EFAULT;
	f = file_alloc();
	si = f ? shmem_inode_alloc(0, name, 0) : NULL;
	if (!si) {
		kfree(f);
		return -ENOMEM;
	}
	si->seals = (flags & MFD_NOEXEC_SEAL) ? F_SEAL_EXEC : (flags & MFD_ALLOW_SEALING) ? 0 : F_SEAL_SEAL;
	f->f_op = &memfd_fops;
	f->flags = O_RDWR | O_LARGEFILE;
	f->mode = S_IFREG | ((flags & MFD_NOEXEC_SEAL) ? 0666 : 0777);
	f->ino = si->ino;
	f->private = si;
	fd = fd_install(f, flags & MFD_CLOEXEC);
	if (fd < 0)
		fput(f);	/* releases the object */
	return fd;
}
