/*
 * page.c (x86_64) - whole-page zeroing and copying (asm/page.h).
 *
 * Several ways to zero memory exist and their speed under QEMU's TCG has
 * little to do with hardware, so all are kept and `make bench` measures them
 * side by side in one boot (docs/results/mm-phys.md).  The default is picked
 * at boot from CPUID (x86_clear_pages_init); `folio.clear_pages=NAME` picks
 * another.
 */
#include "kernel/clear_pages.h"
#include "kernel/printk.h"
#include "kernel/types.h"
#include <asm/cpu.h>
#include <asm/memory.h>
#include <asm/page.h>

#define CPUID1_ECX_HYPERVISOR	(1U << 31)
#define CPUID7_EBX_ERMS		(1U << 9)

static void clear_rep_stosq(void *addr, unsigned long bytes)
{
	unsigned long count = bytes / 8;

	__asm__ __volatile__("rep stosq" : "+D"(addr), "+c"(count) : "a"(0UL) : "memory");
}

static void clear_rep_stosb(void *addr, unsigned long bytes)
{
	__asm__ __volatile__("rep stosb" : "+D"(addr), "+c"(bytes) : "a"(0) : "memory");
}

/* 64 bytes per iteration with plain 8-byte stores. */
static void clear_movq(void *addr, unsigned long bytes)
{
	__asm__ __volatile__(
		"1:\tmovq %%rax, 0(%0)\n\tmovq %%rax, 8(%0)\n\tmovq %%rax, 16(%0)\n\t"
		"movq %%rax, 24(%0)\n\tmovq %%rax, 32(%0)\n\tmovq %%rax, 40(%0)\n\t"
		"movq %%rax, 48(%0)\n\tmovq %%rax, 56(%0)\n\taddq $64, %0\n\tsubq $64, %1\n\tjnz 1b"
		: "+r"(addr), "+r"(bytes) : "a"(0UL) : "memory", "cc");
}

/* Non-temporal 8-byte stores (bypass the cache on hardware), then a fence. */
static void clear_movnti(void *addr, unsigned long bytes)
{
	__asm__ __volatile__(
		"1:\tmovnti %%rax, 0(%0)\n\tmovnti %%rax, 8(%0)\n\tmovnti %%rax, 16(%0)\n\t"
		"movnti %%rax, 24(%0)\n\tmovnti %%rax, 32(%0)\n\tmovnti %%rax, 40(%0)\n\t"
		"movnti %%rax, 48(%0)\n\tmovnti %%rax, 56(%0)\n\taddq $64, %0\n\tsubq $64, %1\n\tjnz 1b\n\t"
		"sfence"
		: "+r"(addr), "+r"(bytes) : "a"(0UL) : "memory", "cc");
}

enum { CLEAR_MOVQ, CLEAR_REP_STOSQ, CLEAR_REP_STOSB, CLEAR_MOVNTI, NR_CLEAR_VARIANTS };

const struct clear_variant clear_variants[NR_CLEAR_VARIANTS + 1] = {
	[CLEAR_MOVQ] = { "movq", clear_movq },
	[CLEAR_REP_STOSQ] = { "rep_stosq", clear_rep_stosq },
	[CLEAR_REP_STOSB] = { "rep_stosb", clear_rep_stosb },
	[CLEAR_MOVNTI] = { "movnti", clear_movnti },
	[NR_CLEAR_VARIANTS] = { NULL, NULL },
};

/*
 * The default zeroing primitive, from CPUID (before the command line, whose
 * folio.clear_pages= wins): rep stosb where the CPU has ERMS and is not
 * virtual (Linux's clear_page_erms, the fastest there), else movq.  Every
 * QEMU model sets the hypervisor bit; under TCG a rep stos runs one store per
 * pass through the translated block, and `make bench` measures rep stosb at a
 * seventh of movq under -cpu max, which has ERMS (Linux 6.12 clears its pages
 * with rep stosb there and faults 7-8x slower than under the default model).
 * Under KVM movq runs at the hardware's speed too.
 */
void x86_clear_pages_init(void)
{
	u32 a, b, c, d, b7 = 0, c7, d7;
	bool erms, hv;

	cpuid(0, 0, &a, &b, &c, &d);
	if (a >= 7)
		cpuid(7, 0, &a, &b7, &c7, &d7);
	cpuid(1, 0, &a, &b, &c, &d);
	erms = b7 & CPUID7_EBX_ERMS;
	hv = c & CPUID1_ECX_HYPERVISOR;
	set_clear_variant(&clear_variants[erms && !hv ? CLEAR_REP_STOSB : CLEAR_MOVQ]);
	pr_info("x86: clear_pages %s (CPU: ERMS %s, hypervisor %s)\n", clear_pages_variant()->name,
		erms ? "yes" : "no", hv ? "yes" : "no");
}

void copy_page(void *dst, const void *src)
{
	unsigned long count = PAGE_SIZE / 8;

	__asm__ __volatile__("rep movsq" : "+D"(dst), "+S"(src), "+c"(count) : : "memory");
}
