/*
 * main.c - start_kernel: from the loader's hand-off to the ready line.
 *
 * Boot order (smp_prepare_boot_cpu first: `current` works from the first line):
 *   1. boot_info		copied out of loader memory and checked
 *   2. arch_early_init	console, trap vectors, CPU features (boot page tables)
 *   3. cmdline_parse	every __setup() handler runs
 *   4. memblock		RAM and reserved ranges from the boot memory map
 *   5. paging_init	the kernel's own page tables; identity map gone
 *      then the screen console (console_screen_init: fbcon, console=)
 *   6. memmap_init	struct pages, buddy allocator owns all free RAM
 *   7. the zero page, the scheduler, the initrd, SYSCALL/SMEP/SMAP or PAN
 *   8. arch_late_init	periodic timer, interrupts on; smp_init starts the other CPUs
 *   9. ready line; boot tests (folio.ktest=), benchmarks (folio.bench=) or
 *      a deliberate crash (folio.crash=) then power off; otherwise pid 1 runs
 *      init (init=, default /bin/init), pid 2 is kswapd0, and the boot
 *      context becomes idle
 */
#include "kernel/arch.h"
#include "kernel/boot_code.h"
#include "kernel/cmdline.h"
#include "kernel/consoles.h"
#include "kernel/futex.h"
#include "kernel/ktest.h"
#include "kernel/printk.h"
#include "kernel/reboot.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "mm/memblock.h"
#include "kernel/sched.h"
#include "kernel/smp_lock.h"
#include "kernel/smp.h"
#include "kernel/vfs.h"
#include "mm/foliotrace.h"
#include "mm/mm.h"
#include "mm/overcommit.h"
#include "mm/proc_folios.h"
#include "mm/proc_clear_refs.h"
#include "mm/proc_maps.h"
#include "mm/proc_pagemap.h"
#include "mm/proc_smaps.h"
#include "mm/thp_sysfs.h"
#include "mm/vma.h"
#include "mm/vmscan.h"
#include "mm/vmstat.h"
#include <asm/memory.h>
#include <uapi/boot_info.h>


struct boot_info boot_info;
static const char *init_path = "/bin/init";
static const char *init_argv[CMDLINE_MAX_WORDS + 2];
extern const char *ktest_selection, *crash_mode, *bench_selection;
extern int console_loglevel;
void paging_init(void);
int kernel_execve(const char *path, const char *const argv[], const char *const envp[]);
void pgtable_use_buddy(void);
void ktest_crash(void);
void bench_run(void);

static int init_setup(const char *v)
{
	if (!v || v[0] != '/')
		return -22;
	init_path = v;
	return 0;
}
__setup("init", init_setup);

static int loglevel_setup(const char *v)
{
	if (!v || v[0] < '0' || v[0] > '7' || v[1])
		return -22;
	console_loglevel = v[0] - '0';
	return 0;
}
__setup("loglevel", loglevel_setup);

/* The loader's word (boot/place.c): the kernel only checks it, the image is placed already. */
static int load_addr_setup(const char *v)
{
	if (!v || (strcmp(v, "random") != 0 && strcmp(v, "firmware") != 0))
		return -22;
	return 0;
}
__setup("folio.load_addr", load_addr_setup);

/* Copy boot_info out of loader memory (reachable through the boot direct map). */
static void boot_info_copy(phys_addr_t pa)
{
	const struct boot_info *bi = __va(pa);

	if (pa >= (4ULL << 30))
		panic("start_kernel: boot_info at %#llx is above 4 GiB", (unsigned long long)pa);
	if (bi->magic != BOOT_INFO_MAGIC || bi->version < BOOT_INFO_VERSION)
		panic("start_kernel: bad boot_info (magic %#llx version %u): loader and kernel do not match",
		      (unsigned long long)bi->magic, bi->version);
	memcpy(&boot_info, bi, sizeof(boot_info));
}

static const char *const mem_type_names[] = {
	[BI_MEM_USABLE] = "usable", [BI_MEM_RESERVED] = "reserved", [BI_MEM_ACPI] = "ACPI",
	[BI_MEM_MMIO] = "MMIO", [BI_MEM_LOADER] = "loader", [BI_MEM_CODE] = "code",
};

/* Feed RAM to memblock: usable ranges free, loader ranges (kernel, initrd, boot_info) reserved. */
static void memblock_setup(void)
{
	u64 usable = 0;

	for (u32 i = 0; i < boot_info.nr_mem; i++) {
		const struct bi_mem_range *r = &boot_info.mem[i];

		pr_debug("mem: [%#014llx-%#014llx] %s\n", (unsigned long long)r->base,
			 (unsigned long long)(r->base + r->size - 1), mem_type_names[r->type]);
		if (r->type == BI_MEM_USABLE || r->type == BI_MEM_CODE || r->type == BI_MEM_LOADER)
			memblock_add(r->base, r->size);
		if (r->type == BI_MEM_LOADER)
			memblock_reserve(r->base, r->size);
		if (r->type == BI_MEM_USABLE || r->type == BI_MEM_CODE)
			usable += r->size;
	}
	memblock_reserve(0, PAGE_SIZE);	/* page 0 stays unused: NULL is never a valid frame */
	pr_info("RAM: %llu MiB usable in the boot memory map (%u entries), kernel %#llx-%#llx\n",
		(unsigned long long)(usable >> 20), boot_info.nr_mem,
		(unsigned long long)boot_info.kernel_base, (unsigned long long)boot_info.kernel_end);
}

/* pid 1's first code, in kernel mode: become the init program, then enter user mode. */
static void init_thread(void)
{
	static const char *const envp[] = { "PATH=/bin", "HOME=/", "TERM=vt100", NULL };
	int err;

	arch_local_irq_enable();
	lock_kernel();	/* execve runs under it, as from the system call */
	err = kernel_execve(init_path, init_argv, envp);
	if (err)
		panic("No working init found: %s (error %d). Try init=/bin/sh", init_path, err);
	unlock_kernel();
	arch_return_to_user(current->user_regs);
}

/* Create pid 1 with the console as fds 0-2; the boot context becomes the idle loop. */
static __noreturn void run_init(void)
{
	struct task_struct *t = task_alloc("init");

	init_argv[0] = init_path;
	for (int i = 0; i < cmdline_init_argc; i++)
		init_argv[i + 1] = cmdline_init_argv[i];
	if (!t || !(t->files = files_alloc_console()))
		panic("run_init: out of memory");
	arch_setup_kthread(t, init_thread);
	lock_kernel();	/* the task list is the BKL's once init runs (on any CPU) */
	task_link(t, current);
	wake_up_task(t);
	kswapd_run();
	unlock_kernel();
	pr_info("Run %s as init process\n", init_path);
	cpu_idle();
}

__noreturn void start_kernel(phys_addr_t boot_info_pa)
{
	u64 now_ns, entry_ns;
	int status = 0;

	smp_prepare_boot_cpu();
	boot_info_copy(boot_info_pa);
	arch_early_init(&boot_info);
	printk(KERN_NOTICE "foliOS %s (%s) on %s\n", FOLIOS_VERSION, ARCH_NAME, arch_cpu_model());
	cmdline_parse(boot_info.cmdline);
	pr_info("Command line: %s\n", saved_command_line);
	memblock_setup();
	paging_init();
	console_screen_init(&boot_info.fb);
	memmap_init();
	boot_code_clear(&boot_info);
	pgtable_use_buddy();
	sched_init();
	futex_init();
	vfs_init();
	vmstat_init();
	thp_sysfs_init();
	overcommit_init();
	mmap_init();
	proc_clear_refs_init();
	proc_folios_init();
	proc_maps_init();
	proc_pagemap_init();
	proc_smaps_init();
	mm_fault_init();
	vmscan_init();
	initrd_init(__va(boot_info.initrd_base), boot_info.initrd_size);
	arch_user_init();
	arch_late_init();
	smp_init();
	now_ns = arch_cycles_to_ns(arch_read_cycles());
	entry_ns = arch_cycles_to_ns(boot_info.loader_tsc);
	printk(KERN_NOTICE "foliOS ready: %llu ms since reset (firmware+loader %llu ms, kernel %llu ms)\n",
	       now_ns / NSEC_PER_MSEC, entry_ns / NSEC_PER_MSEC, (now_ns - entry_ns) / NSEC_PER_MSEC);
	if (bench_selection)
		bench_run();
	if (ktest_selection)
		status = ktest_run(ktest_selection) ? 1 : 0;
	if (crash_mode) {
		ktest_crash();
		status = 1;
	}
	if (ktest_selection || crash_mode || bench_selection)
		kernel_power_off(status);
	foliotrace_start(saved_command_line);
	run_init();
}
