/*
 * trampoline.S (x86_64) - where a started AP begins: real mode to long mode.
 *
 * arch/x86_64/smp.c copies trampoline_start..trampoline_end into the page
 * the loader reserved below 1 MiB (boot_info.ap_trampoline) and patches
 * the tr_* fields before each start; the SIPI's vector is that page's
 * number, so the AP starts at CS:IP = page>>4 : 0 in real mode.  Offsets
 * are taken from trampoline_start, so the code runs at any such page.
 *
 * Real mode goes straight to long mode (no 32-bit stage): CR4.PAE, CR3 =
 * the boot page tables (head.S's boot_pml4: below 4 GiB, identity map of
 * 0..4 GiB plus the kernel image), EFER.LME|NXE, CR0.PE|PG|WP at once, then
 * a far jump through tr_far into 64-bit code still in this page.  That
 * code loads the values it needs into registers and jumps to the high
 * kernel (secondary_startup_64, head.S), which switches to the kernel's own
 * page tables.  The GDT here holds only what the jump needs, at the kernel's
 * selectors (asm/segment.h); the AP loads its own GDT in C.
 */
#include <asm/segment.h>

#define CR0_PE		(1 << 0)
#define CR0_WP		(1 << 16)
#define CR0_PG		(1 << 31)
#define CR4_PAE		(1 << 5)
#define MSR_EFER	0xc0000080
#define EFER_LME	(1 << 8)
#define EFER_NXE	(1 << 11)

#define OFF(sym)	((sym) - trampoline_start)

	.section .rodata
	.balign	16
	.global	trampoline_start, trampoline_end
	.global	tr_gdt, tr_gdt_base, tr_long, tr_far, tr_cr3, tr_pgd, tr_stack, tr_cpu
	.code16
trampoline_start:
	cli
	cld
	movw	%cs, %ax
	movw	%ax, %ds
	lgdtl	OFF(tr_gdt_ptr)
	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	OFF(tr_cr3), %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$(EFER_LME | EFER_NXE), %eax
	wrmsr
	movl	%cr0, %eax
	orl	$(CR0_PE | CR0_PG | CR0_WP), %eax
	movl	%eax, %cr0
	ljmpl	*OFF(tr_far)

	.code64
tr_long:
	movl	$KERNEL_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movq	tr_pgd(%rip), %rdx
	movq	tr_stack(%rip), %rsi
	movq	tr_cpu(%rip), %rdi
	movabsq	$secondary_startup_64, %rax
	jmp	*%rax

	.balign	8
tr_gdt:
	.quad	0
	.quad	0x00af9a000000ffff	/* KERNEL_CS: 64-bit code */
	.quad	0x00cf92000000ffff	/* KERNEL_DS */
tr_gdt_end:
tr_gdt_ptr:
	.word	tr_gdt_end - tr_gdt - 1
tr_gdt_base:
	.long	0			/* patched: physical address of tr_gdt */
	.balign	8
tr_far:
	.long	0			/* patched: physical address of tr_long */
	.word	KERNEL_CS
	.balign	8
tr_cr3:		.quad	0		/* patched: boot_pml4 (physical, below 4 GiB) */
tr_pgd:		.quad	0		/* patched: kernel_pgd */
tr_stack:	.quad	0		/* patched: top of the AP's idle stack */
tr_cpu:		.quad	0		/* patched: the AP's struct cpu_info */
trampoline_end:
