/*
 * exec.c - execve: replace the current program with an ELF64 executable
 * from the initrd.
 *
 * Static ET_EXEC and static-PIE ET_DYN binaries of this architecture are
 * accepted (PT_INTERP: -ENOEXEC; there is no dynamic linker).  Order:
 *   1. copy argv/envp into kernel memory (the old address space still exists)
 *   2. check the ELF and build a new mm: each PT_LOAD becomes a VMA whose
 *      pages are allocated and filled from the file now, then given the
 *      segment's protection; the heap (brk) starts after the last segment
 *   3. the stack VMA (grows down to 8 MiB) with Linux's initial layout:
 *      argc, argv[], NULL, envp[], NULL, auxv pairs, then the strings
 *   4. the signal-return page ("[sigpage]", arm64: below the mmap base)
 *   5. switch to the new mm, free the old one, reset the user registers and
 *      the signal handlers (kernel/signal.h)
 * Failure before step 5 leaves the caller's program untouched.
 */
#include "kernel/arch.h"
#include "kernel/futex.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/thread_group.h"
#include "kernel/uaccess.h"
#include "kernel/vfs.h"
#include "mm/huge_mm.h"
#include "mm/foliotrace.h"
#include "mm/mm.h"
#include "mm/pgtable.h"
#include "mm/vma.h"
#include <uapi/auxv.h>
#include <uapi/elf.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include <uapi/time.h>

#if defined(__x86_64__)
#define ELF_MACHINE	EM_X86_64
#define ELF_PLATFORM	"x86_64"
#else
#define ELF_MACHINE	EM_AARCH64
#define ELF_PLATFORM	"aarch64"
#endif

#define STACK_TOP	TASK_SIZE
#define STACK_INITIAL	(128UL << 10)
#define MMAP_GAP	(128UL << 20)		/* room for the stack to grow, as Linux's minimum gap */
#define ELF_ET_DYN_BASE	(ALIGN_DOWN(TASK_SIZE / 3 * 2, PAGE_SIZE))
#define ARG_MAX		(128UL << 10)		/* argv + envp strings, bytes */
#define ARG_PAGES_ORDER	5			/* 128 KiB buffer */


/* argv and envp strings, packed back to back in one kernel buffer. */
struct exec_args {
	char *buf;		/* ARG_MAX bytes */
	size_t used;
	int argc, envc;
};

static int args_add(struct exec_args *a, const char *s, size_t len)
{
	if (a->used + len + 1 > ARG_MAX)
		return -E2BIG;
	memcpy(a->buf + a->used, s, len);
	a->buf[a->used + len] = 0;
	a->used += len + 1;
	return 0;
}

/* Append the NULL-terminated user array of strings uvec; returns its count or -errno. */
static int args_copy_user(struct exec_args *a, const char __user *const __user *uvec)
{
	int n = 0;

	for (; uvec; n++) {
		const char __user *up;
		long len;

		if (get_user(up, uvec + n))
			return -EFAULT;
		if (!up)
			break;
		len = strncpy_from_user(a->buf + a->used, up, (long)(ARG_MAX - a->used));
		if (len == -ENAMETOOLONG)
			return -E2BIG;
		if (len < 0)
			return (int)len;
		a->used += (size_t)len + 1;
	}
	return n;
}

/* Check the header and program headers of an ELF image; 0 or -ENOEXEC. */
static int elf_check(const u8 *data, size_t size)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)data;
	const Elf64_Phdr *ph;

	if (size < sizeof(*eh) || memcmp(eh->e_ident, "\177ELF", 4) != 0 ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_machine != ELF_MACHINE || (eh->e_type != ET_EXEC && eh->e_type != ET_DYN) ||
	    eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0 || eh->e_phnum > 64 ||
	    eh->e_phoff > size || eh->e_phnum * sizeof(Elf64_Phdr) > size - eh->e_phoff)
		return -ENOEXEC;
	ph = (const Elf64_Phdr *)(data + eh->e_phoff);
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_INTERP)
			return -ENOEXEC;	/* dynamically linked */
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (ph[i].p_filesz > ph[i].p_memsz || ph[i].p_offset > size ||
		    ph[i].p_filesz > size - ph[i].p_offset || ph[i].p_memsz > TASK_SIZE ||
		    ph[i].p_vaddr > TASK_SIZE - ph[i].p_memsz - ELF_ET_DYN_BASE ||
		    (ph[i].p_vaddr - ph[i].p_offset) % PAGE_SIZE)
			return -ENOEXEC;
	}
	return 0;
}

static unsigned long elf_prot(u32 p_flags)
{
	return ((p_flags & PF_R) ? PROT_READ : 0) | ((p_flags & PF_W) ? PROT_WRITE : 0) |
	       ((p_flags & PF_X) ? PROT_EXEC : 0);
}

/* Copy len bytes to user address dst of mm through the direct map (pages are present). */
static void copy_into_mm(struct mm_struct *mm, unsigned long dst, const u8 *src, size_t len)
{
	while (len) {
		size_t off = dst & (PAGE_SIZE - 1), n = min(len, PAGE_SIZE - off);
		struct page *page = follow_huge_pmd_page(mm, dst);
		spinlock_t *ptl;
		pte_t *ptep = page ? NULL : pte_offset_map_lock(mm, dst, &ptl);

		BUG_ON(!page && (!ptep || !pte_present(ptep_get(ptep))));
		if (ptep) {
			page = pfn_to_page(pte_pfn(ptep_get(ptep)));
			spin_unlock(ptl);
		}
		memcpy((u8 *)page_address(page) + off, src, n);
		dst += n;
		src += n;
		len -= n;
	}
}

/*
 * Map [start, end) of mm as private anonymous memory with vm_flags, copy
 * len bytes of src to dst in it, then give it prot.  mmap_lock held.  0 or
 * -errno.
 */
static int map_filled(struct mm_struct *mm, unsigned long start, unsigned long end,
		      unsigned long vm_flags, unsigned long dst, const void *src, size_t len,
		      unsigned long prot)
{
	int err;

	if (mmap_region(mm, start, end - start, vm_flags) < 0)
		return -ENOMEM;
	err = populate_range(mm, start, end, true);
	if (err)
		return err;
	copy_into_mm(mm, dst, src, len);
	return do_mprotect(mm, start, end, prot);
}

/*
 * Map one PT_LOAD segment at bias into mm: allocate, fill, protect.  A
 * writable segment is charged (VM_ACCOUNT), as Linux's private writable
 * file mapping and bss are; a read-only one is not, though it is written
 * here once.  Segments sharing a page: -EEXIST, as Linux's elf_map with
 * MAP_FIXED_NOREPLACE.  mmap_lock held.
 */
static int load_segment(struct mm_struct *mm, const u8 *data, const Elf64_Phdr *ph, unsigned long bias)
{
	unsigned long start = ALIGN_DOWN(ph->p_vaddr + bias, PAGE_SIZE);
	unsigned long end = ALIGN(ph->p_vaddr + bias + ph->p_memsz, PAGE_SIZE);
	unsigned long flags = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
	struct vm_area_struct *next = find_vma(mm, start);

	if (next && next->vm_start < end)
		return -EEXIST;
	return map_filled(mm, start, end, flags | ((ph->p_flags & PF_W) ? VM_ACCOUNT : 0),
			  ph->p_vaddr + bias, data + ph->p_offset, ph->p_filesz, elf_prot(ph->p_flags));
}

struct elf_layout {
	unsigned long entry, phdr, phnum, brk;
};

/*
 * Linux's load_elf_binary bookkeeping of a PT_LOAD segment: start_code/end_code
 * span the executable ones, start_data the highest start, end_data the highest
 * end of the file-backed part (/proc/<pid>/stat).
 */
static void elf_segment_bounds(struct mm_struct *mm, const Elf64_Phdr *ph, unsigned long bias)
{
	unsigned long start = ph->p_vaddr + bias, end = start + ph->p_filesz;

	if (ph->p_flags & PF_X) {
		mm->start_code = min(mm->start_code, start);
		mm->end_code = max(mm->end_code, end);
	}
	mm->start_data = max(mm->start_data, start);
	mm->end_data = max(mm->end_data, end);
}

/* Build the program's VMAs in mm; fills lay.  0 or -errno. */
static int load_elf(struct mm_struct *mm, const u8 *data, struct elf_layout *lay)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)data;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(data + eh->e_phoff);
	unsigned long bias = eh->e_type == ET_DYN ? ELF_ET_DYN_BASE : 0;
	int err = 0;

	lay->phdr = 0;
	lay->brk = 0;
	mmap_write_lock(mm);
	mm->start_code = ~0UL;
	for (int i = 0; i < eh->e_phnum && !err; i++) {
		if (ph[i].p_type == PT_PHDR)
			lay->phdr = ph[i].p_vaddr + bias;
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (ph[i].p_offset == 0 && !lay->phdr)
			lay->phdr = ph[i].p_vaddr + bias + eh->e_phoff;
		elf_segment_bounds(mm, &ph[i], bias);
		err = load_segment(mm, data, &ph[i], bias);
		lay->brk = max(lay->brk, ALIGN(ph[i].p_vaddr + bias + ph[i].p_memsz, PAGE_SIZE));
	}
	mmap_write_unlock(mm);
	lay->entry = eh->e_entry + bias;
	lay->phnum = eh->e_phnum;
	return err;
}

/* Push bytes onto the new stack (growing down); returns their user address. */
static unsigned long stack_push(unsigned long *sp, const void *src, size_t len, int *err)
{
	*sp -= len;
	if (copy_to_user((void __user *)*sp, src, len))
		*err = -EFAULT;
	return *sp;
}

/*
 * Lay out the initial stack in the (now current) new mm: strings at the top,
 * then the 16-byte aligned vector block argc/argv/envp/auxv.  Returns sp.
 */
static unsigned long setup_stack(const struct exec_args *a, const struct elf_layout *lay,
				 const char *path, int *err)
{
	unsigned long sp = STACK_TOP, strings, random, execfn, block[2 * 20];
	unsigned long nvec = 1 + a->argc + 1 + a->envc + 1, n = 0;
	u64 rnd[2] = { arch_read_cycles() * 0x9e3779b97f4a7c15ULL, (u64)current->pid << 32 ^ 0x5bd1e995 };
	const char *s = a->buf;
	int i;

	execfn = stack_push(&sp, path, strlen(path) + 1, err);
	strings = stack_push(&sp, a->buf, a->used, err);
	random = stack_push(&sp, rnd, sizeof(rnd), err);
#define AUX(k, v) do { block[n++] = (k); block[n++] = (v); } while (0)
	AUX(AT_PHDR, lay->phdr); AUX(AT_PHENT, sizeof(Elf64_Phdr)); AUX(AT_PHNUM, lay->phnum);
	AUX(AT_PAGESZ, PAGE_SIZE); AUX(AT_BASE, 0); AUX(AT_FLAGS, 0); AUX(AT_ENTRY, lay->entry);
	AUX(AT_UID, 0); AUX(AT_EUID, 0); AUX(AT_GID, 0); AUX(AT_EGID, 0); AUX(AT_HWCAP, 0);
	AUX(AT_CLKTCK, USER_HZ); AUX(AT_SECURE, 0); AUX(AT_RANDOM, random); AUX(AT_EXECFN, execfn);
	AUX(AT_NULL, 0);
#undef AUX
	sp = ALIGN_DOWN(sp - (nvec + n) * sizeof(long), 16);
	if (put_user((unsigned long)a->argc, (unsigned long __user *)sp))
		*err = -EFAULT;
	current->mm->arg_start = strings;
	current->mm->arg_end = current->mm->env_start = current->mm->env_end = strings + a->used;
	for (i = 0; i < a->argc + a->envc; i++) {
		unsigned long ptr = strings + (unsigned long)(s - a->buf);

		if (i == a->argc)	/* the first envp string: argv's end */
			current->mm->arg_end = current->mm->env_start = ptr;
		unsigned long slot = sp + sizeof(long) * (1 + i + (i >= a->argc));

		if (put_user(ptr, (unsigned long __user *)slot))
			*err = -EFAULT;
		s += strlen(s) + 1;
	}
	/* argv[argc] and envp[envc] NULLs, then auxv. */
	if (put_user(0UL, (unsigned long __user *)(sp + sizeof(long) * (1 + a->argc))) ||
	    put_user(0UL, (unsigned long __user *)(sp + sizeof(long) * (2 + a->argc + a->envc))) ||
	    copy_to_user((void __user *)(sp + sizeof(long) * nvec), block, n * sizeof(long)))
		*err = -EFAULT;
	return sp;
}

/* The stack VMA (charged: Linux's VM_STACK_FLAGS has VM_ACCOUNT) and the layout fields of a new mm; mmap_lock not held. */
static int setup_mm_layout(struct mm_struct *mm, const struct elf_layout *lay)
{
	unsigned long flags = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_GROWSDOWN |
			      VM_ACCOUNT;
	int err = 0;

	mmap_write_lock(mm);
	mm->start_brk = mm->brk = lay->brk;
	mm->start_stack = STACK_TOP;
	mm->mmap_base = STACK_TOP - MMAP_GAP;
	mm->stack_limit = rlimit(RLIMIT_STACK);
	mm->flags |= current->mm ? mmf_init_flags(current->mm->flags) : 0;
	if (mmap_region(mm, STACK_TOP - STACK_INITIAL, STACK_INITIAL, flags) < 0)
		err = -ENOMEM;
	mmap_write_unlock(mm);
	return err;
}

/*
 * Map the arch's signal-return trampoline (arch_sigpage_code) read-only and
 * executable in the page below the mmap base, as Linux's vDSO holds arm64's
 * sigreturn: handlers without SA_RESTORER return into it.  *addr gets its
 * address (0: the arch needs none).  0 or -ENOMEM.
 */
static int map_sigpage(struct mm_struct *mm, unsigned long *addr)
{
	unsigned long start = mm->mmap_base - PAGE_SIZE;
	size_t len;
	const void *code = arch_sigpage_code(&len);
	int err;

	*addr = 0;
	if (!code)
		return 0;
	mmap_write_lock(mm);
	err = map_filled(mm, start, start + PAGE_SIZE, VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE |
			 VM_MAYEXEC, start, code, len, PROT_READ | PROT_EXEC);
	mmap_write_unlock(mm);
	*addr = start;
	return err;
}

/*
 * Replace current's program with path, with the strings in a.  On success
 * current runs the new program when it returns to user mode (regs reset).
 */
static int do_execve(const char *path, struct exec_args *a)
{
	struct mm_struct *mm, *old = current->mm;
	struct elf_layout lay;
	unsigned long sigpage;
	const u8 *data;
	size_t size;
	int err;

	err = initrd_find(path, &data, &size);
	if (err)
		return err;
	err = elf_check(data, size);
	if (err)
		return err;
	mm = mm_alloc();
	if (!mm)
		return -ENOMEM;
	err = load_elf(mm, data, &lay);
	if (!err)
		err = setup_mm_layout(mm, &lay);
	if (!err)
		err = map_sigpage(mm, &sigpage);
	if (!err)	/* the other threads go (Linux's de_thread), then what is still shared */
		err = de_thread();
	if (!err)
		err = unshare_sighand();
	if (!err)
		err = unshare_files();
	if (err) {
		mmput(mm);
		return err;
	}
	if (old)
		futex_exit_release(current);	/* robust list, clear_child_tid (Linux's exec_mm_release) */
	vfork_release(current);			/* a vfork parent goes on (exec_mm_release too) */
	/* Point of no return: the old program is gone after this. */
	current->mm = mm;
	switch_mm(mm);
	if (old)
		mmput(old);
	files_close_on_exec(current->files);
	flush_signal_handlers();
	current->sigpage = sigpage;
	err = 0;
	arch_start_thread_regs(current->user_regs, lay.entry, setup_stack(a, &lay, path, &err));
	if (err)
		do_group_exit(SIGSEGV);	/* the new stack could not be written: like Linux */
	set_task_comm(current, path);
	if (foliotrace_on())
		foliotrace_execve(path, mm);
	return 0;
}

static int exec_args_alloc(struct exec_args *a)
{
	struct page *buf = alloc_pages(GFP_KERNEL, ARG_PAGES_ORDER);

	if (!buf)
		return -ENOMEM;
	*a = (struct exec_args){ .buf = page_address(buf) };
	return 0;
}

static void exec_args_free(struct exec_args *a)
{
	free_pages(virt_to_page(a->buf), ARG_PAGES_ORDER);
}

SYSCALL_DEFINE3(execve, const char __user *, filename, const char __user *const __user *, argv,
		const char __user *const __user *, envp)
{
	char path[256];
	struct exec_args a;
	long len = strncpy_from_user(path, filename, sizeof(path));
	int n, err;

	if (len < 0)
		return len;
	err = exec_args_alloc(&a);
	if (err)
		return err;
	n = args_copy_user(&a, argv);
	if (n >= 0) {
		a.argc = n;
		n = args_copy_user(&a, envp);
	}
	if (n >= 0) {
		a.envc = n;
		err = do_execve(path, &a);
	} else {
		err = n;
	}
	exec_args_free(&a);
	return err;
}

/* Start the first program from a kernel thread: argv from the command line, a small environment. */
int kernel_execve(const char *path, const char *const argv[], const char *const envp[])
{
	struct exec_args a = { 0 };
	int err = exec_args_alloc(&a);

	for (int i = 0; !err && argv[i]; i++, a.argc++)
		err = args_add(&a, argv[i], strlen(argv[i]));
	for (int i = 0; !err && envp[i]; i++, a.envc++)
		err = args_add(&a, envp[i], strlen(envp[i]));
	if (!err)
		err = do_execve(path, &a);
	if (a.buf)
		exec_args_free(&a);
	return err;
}
