/*
 * main.c - start_kernel: from the loader's hand-off to the ready line.
 *
 * Boot order:
 *   1. boot_info		copied out of loader memory and checked
 *   2. arch_early_init	console, trap vectors, CPU features (boot page tables)
 *   3. cmdline_parse	every __setup() handler runs
 *   4. memblock		RAM and reserved ranges from the boot memory map
 *   5. paging_init	the kernel's own page tables; identity map gone
 *   6. memmap_init	struct pages, buddy allocator owns all free RAM
 *   7. arch_late_init	clock, periodic timer, interrupts on
 *   8. ready line; boot tests if folio.ktest= asked; power off
 */
#include "kernel/arch.h"
#include "kernel/cmdline.h"
#include "kernel/ktest.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "boot/boot_info.h"
#include "mm/memblock.h"
#include "mm/mm.h"
#include <asm/memory.h>

#ifndef FOLIOS_VERSION
#define FOLIOS_VERSION "unknown"
#endif

#if defined(__x86_64__)
#define ARCH_NAME ARCH_NAME_X86_64
#else
#define ARCH_NAME ARCH_NAME_ARM64
#endif

struct boot_info boot_info;
static const char *init_path = "/bin/init";
extern const char *ktest_selection, *crash_mode, *bench_selection;
extern int console_loglevel;
void paging_init(void);
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
	[BI_MEM_MMIO] = "MMIO", [BI_MEM_LOADER] = "loader",
};

/* Feed RAM to memblock: usable ranges free, loader ranges (kernel, initrd, boot_info) reserved. */
static void memblock_setup(void)
{
	u64 usable = 0;

	for (u32 i = 0; i < boot_info.nr_mem; i++) {
		const struct bi_mem_range *r = &boot_info.mem[i];

		pr_debug("mem: [%#014llx-%#014llx] %s\n", (unsigned long long)r->base,
			 (unsigned long long)(r->base + r->size - 1), mem_type_names[r->type]);
		if (r->type == BI_MEM_USABLE || r->type == BI_MEM_LOADER)
			memblock_add(r->base, r->size);
		if (r->type == BI_MEM_LOADER)
			memblock_reserve(r->base, r->size);
		if (r->type == BI_MEM_USABLE)
			usable += r->size;
	}
	memblock_reserve(0, PAGE_SIZE);	/* page 0 stays unused: NULL is never a valid frame */
	pr_info("RAM: %llu MiB usable in the boot memory map (%u entries), kernel %#llx-%#llx\n",
		(unsigned long long)(usable >> 20), boot_info.nr_mem,
		(unsigned long long)boot_info.kernel_base, (unsigned long long)boot_info.kernel_end);
}

__noreturn void start_kernel(phys_addr_t boot_info_pa)
{
	u64 now_ns, entry_ns;
	int status = 0;

	boot_info_copy(boot_info_pa);
	arch_early_init(&boot_info);
	printk(KERN_NOTICE "foliOS %s (%s) on %s\n", FOLIOS_VERSION, ARCH_NAME, arch_cpu_model());
	cmdline_parse(boot_info.cmdline);
	pr_info("Command line: %s\n", saved_command_line);
	memblock_setup();
	paging_init();
	memmap_init();
	pgtable_use_buddy();
	arch_late_init();
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
	pr_info("no user space yet (init=%s): powering off\n", init_path);
	arch_power_off(status);
}
