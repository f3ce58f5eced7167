/*
 * smp.c (arm64) - the arch side of kernel/smp.h: TPIDR_EL1-based per-CPU
 * data, the device tree's CPUs, PSCI CPU_ON, GICv2 SGIs as IPIs.
 *
 * The CPUs are the /cpus/cpu@N nodes; each one's reg is its MPIDR affinity
 * (one or two cells, /cpus #address-cells).  They are started through PSCI
 * CPU_ON (0.2+ function ids; the /psci node's method says hvc or smc; QEMU
 * virt at EL1 uses hvc), entering head.S's secondary_entry with the MMU off
 * and their cpu_info as the context id.  A blob without a usable /psci
 * node leaves the boot CPU alone, said so.  The secondary copies the boot
 * CPU's TCR, SCTLR and CPACR (ASID size, PAN, FP access), sets up its GIC
 * CPU interface and its virtual-timer tick, and goes online.  secondary_entry runs with the MMU and caches off, so its code
 * is cleaned to the point of coherency before each CPU_ON.
 */
#include "kernel/arch.h"
#include "kernel/fdt.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/smp.h"
#include "kernel/string.h"
#include "mm/pgtable.h"
#include <asm/psci.h>
#include <asm/sysreg.h>
#include <uapi/boot_info.h>
#include <uapi/errno.h>

#define MPIDR_HWID_MASK		0xff00ffffffULL	/* Aff3 and Aff2..Aff0 */

/* Read by secondary_entry (head.S, one ldp: keep the order) once its MMU is on; one starting CPU at a time. */
struct {
	u64 stack_top;
	u64 ttbr1;
} secondary_data;

/* The boot CPU's control registers, for each secondary to copy. */
static u64 boot_tcr, boot_sctlr, boot_cpacr;
bool psci_use_smc;		/* (c) asm/psci.h */
bool psci_ok;			/* (c) asm/psci.h */

extern const u8 secondary_entry[], secondary_entry_end[];
void gic_cpu_init(void);
void arm64_timer_cpu_init(void);
/* Clean [addr, addr + size) to the point of coherency (cacheflush.c). */
void dcache_clean_poc(const void *addr, size_t size);

void arch_set_this_cpu(struct cpu_info *c)
{
	write_sysreg(c, tpidr_el1);
}

u64 arch_read_hwid(void)
{
	return read_sysreg(mpidr_el1) & MPIDR_HWID_MASK;
}

struct dt_cpus {
	u32 address_cells;
	unsigned int found;
	bool psci_02, psci_hvc, psci_smc;
};

static void dt_cpu_prop(void *ctx, const char *parent, const char *node, const char *prop,
			const void *val, u32 len)
{
	struct dt_cpus *d = ctx;
	const u32 *cells = val;

	if (!parent[0] && strcmp(node, "cpus") == 0 && strcmp(prop, "#address-cells") == 0 && len == 4) {
		d->address_cells = fdt32_to_cpu(cells[0]);
	} else if (strcmp(parent, "cpus") == 0 && strncmp(node, "cpu@", 4) == 0 &&
		   strcmp(prop, "reg") == 0 && len == 4 * d->address_cells) {
		u64 hwid = fdt32_to_cpu(cells[0]);

		if (d->address_cells == 2)
			hwid = hwid << 32 | fdt32_to_cpu(cells[1]);
		d->found++;
		smp_add_cpu(hwid & MPIDR_HWID_MASK);
	} else if (!parent[0] && strcmp(node, "psci") == 0) {
		if (strcmp(prop, "compatible") == 0)
			d->psci_02 = fdt_string_list_contains(val, len, "arm,psci-0.2") ||
				     fdt_string_list_contains(val, len, "arm,psci-1.0");
		else if (strcmp(prop, "method") == 0) {
			d->psci_hvc = fdt_string_list_contains(val, len, "hvc");
			d->psci_smc = fdt_string_list_contains(val, len, "smc");
		}
	}
}

/* arch_early_init: list the device tree's CPUs and find PSCI (neither: one CPU, said so). */
void arm64_smp_detect(const void *dtb)
{
	struct dt_cpus d = { .address_cells = 1 };

	if (!fdt_for_each_property(dtb, dt_cpu_prop, &d))
		pr_warn("smp: no valid device tree: only the boot CPU will run\n");
	psci_ok = d.psci_02 && (d.psci_hvc || d.psci_smc);
	psci_use_smc = d.psci_smc;
	if (nr_cpu_ids > 1 && !psci_ok) {
		pr_warn("smp: no PSCI 0.2+ node with a method in the device tree: only the boot CPU will run\n");
		nr_cpu_ids = 1;
	}
	pr_info("smp: device tree lists %u CPU%s%s\n", d.found, d.found == 1 ? "" : "s",
		psci_ok ? (psci_use_smc ? ", PSCI via smc" : ", PSCI via hvc") : "");
}

long psci_call(u64 fn, u64 a1, u64 a2, u64 a3)
{
	register u64 x0 __asm__("x0") = fn;
	register u64 x1 __asm__("x1") = a1;
	register u64 x2 __asm__("x2") = a2;
	register u64 x3 __asm__("x3") = a3;

	if (psci_use_smc)
		__asm__ __volatile__("smc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x3) : "memory");
	else
		__asm__ __volatile__("hvc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x3) : "memory");
	return (long)x0;
}

int arch_boot_secondary(struct cpu_info *c)
{
	long ret;

	boot_tcr = read_sysreg(tcr_el1);
	boot_sctlr = read_sysreg(sctlr_el1);
	boot_cpacr = read_sysreg(cpacr_el1);
	secondary_data.stack_top = (u64)c->idle_stack + KSTACK_SIZE;
	secondary_data.ttbr1 = kernel_pgd;
	dsb(ish);
	dcache_clean_poc(secondary_entry, secondary_entry_end - secondary_entry);	/* fetched with the MMU off */
	ret = psci_call(PSCI_0_2_FN64_CPU_ON, c->hwid, __pa_symbol(secondary_entry), (u64)c);
	if (ret) {
		pr_err("smp: PSCI CPU_ON(%#llx) returned %ld\n", (unsigned long long)c->hwid, ret);
		return -EIO;
	}
	return 0;
}

/* A secondary's first C code (head.S secondary_high): interrupts masked, on its idle stack. */
__noreturn void arm64_secondary_start(struct cpu_info *c)
{
	arch_set_this_cpu(c);
	write_sysreg(boot_tcr, tcr_el1);
	write_sysreg(boot_sctlr, sctlr_el1);
	write_sysreg(boot_cpacr, cpacr_el1);
	write_sysreg(empty_user_pgd(), ttbr0_el1);
	isb();
	__asm__ __volatile__("tlbi vmalle1; dsb nsh; isb" : : : "memory");
	gic_cpu_init();
	arm64_timer_cpu_init();
	smp_secondary_online();
}
