/*
 * head.S (x86_64) - kernel entry from the UEFI loader.
 *
 * Entered at the physical address of _start, in long mode, on the firmware's
 * identity map and stack, with rdi = physical address of struct boot_info.
 * The loader put the image at any 2 MiB-aligned physical base P below 4 GiB
 * (boot/place.c); the image runs at its link address, so we record
 * kimage_voffset = _text's link address - P (what __pa_symbol subtracts) and
 * build boot page tables that map
 *	0 .. 4 GiB	identity		(so this code keeps running)
 *	PAGE_OFFSET + 0 .. 4 GiB		(early direct map: __va works)
 *	_text .. KERNEL_VBASE + 1 GiB -> P ..	(the kernel image)
 * with 2 MiB pages, load them, switch to our own GDT, jump to the high
 * kernel image, and call start_kernel(boot_info_pa) on the boot stack.
 * The APs reach secondary_startup_64 from trampoline.S on these same boot
 * tables (which stay in .bss for them).
 * The page tables live in .bss (zeroed by the loader).  All addresses taken
 * here are RIP-relative, so they are physical until the jump.
 */
#include <asm/memory.h>
#include <asm/segment.h>

#define PTE_P	0x001
#define PTE_W	0x002
#define PTE_PS	0x080

	.section .text.boot, "ax"
	.code64
	.global _start
_start:
	cli
	cld
	movq	%rdi, %r15		/* boot_info (physical) */

	/* boot_pd[0..2047]: 2 MiB pages covering 0 .. 4 GiB. */
	leaq	boot_pd(%rip), %rdi
	xorq	%rcx, %rcx
1:	movq	%rcx, %rax
	shlq	$21, %rax
	orq	$(PTE_P | PTE_W | PTE_PS), %rax
	movq	%rax, (%rdi, %rcx, 8)
	incq	%rcx
	cmpq	$2048, %rcx
	jb	1b

	/* boot_pdpt_lo[0..3] -> the four page directories. */
	leaq	boot_pdpt_lo(%rip), %rdi
	leaq	boot_pd(%rip), %rax
	orq	$(PTE_P | PTE_W), %rax
	xorq	%rcx, %rcx
2:	movq	%rax, (%rdi, %rcx, 8)
	addq	$4096, %rax
	incq	%rcx
	cmpq	$4, %rcx
	jb	2b

	/* kimage_voffset = link address - physical address of _text (P, in rdx). */
	leaq	_text(%rip), %rdx
	testq	$((1 << 21) - 1), %rdx
	jnz	6f			/* not 2 MiB aligned: the loader broke its promise */
	movabsq	$_text, %rax
	subq	%rdx, %rax
	movq	%rax, kimage_voffset(%rip)

	/* boot_pd_image[16..511]: KERNEL_VBASE + KERNEL_TEXT_OFFSET + i * 2 MiB -> P + i * 2 MiB. */
	leaq	boot_pd_image(%rip), %rdi
	movq	%rdx, %rax
	orq	$(PTE_P | PTE_W | PTE_PS), %rax
	movq	$(KERNEL_TEXT_OFFSET >> 21), %rcx
5:	movq	%rax, (%rdi, %rcx, 8)
	addq	$(1 << 21), %rax
	incq	%rcx
	cmpq	$512, %rcx
	jb	5b

	/* boot_pdpt_hi[510] -> boot_pd_image: the 1 GiB at KERNEL_VBASE. */
	leaq	boot_pdpt_hi(%rip), %rdi
	leaq	boot_pd_image(%rip), %rax
	orq	$(PTE_P | PTE_W), %rax
	movq	%rax, 510*8(%rdi)

	/* PML4: [0] identity, [256] direct map, [511] kernel image. */
	leaq	boot_pml4(%rip), %rdi
	leaq	boot_pdpt_lo(%rip), %rax
	orq	$(PTE_P | PTE_W), %rax
	movq	%rax, (%rdi)
	movq	%rax, 256*8(%rdi)
	leaq	boot_pdpt_hi(%rip), %rax
	orq	$(PTE_P | PTE_W), %rax
	movq	%rax, 511*8(%rdi)

	/* EFER.NXE (NX bit usable), CR0.WP (kernel honours read-only). */
	movl	$0xc0000080, %ecx
	rdmsr
	orl	$(1 << 11), %eax
	wrmsr
	movq	%cr0, %rax
	orq	$(1 << 16), %rax
	movq	%rax, %cr0

	leaq	boot_pml4(%rip), %rax
	movq	%rax, %cr3

	/* Our GDT (its descriptor holds the high address, valid now). */
	lgdt	gdt_desc(%rip)
	movabsq	$high_entry, %rax
	pushq	$KERNEL_CS
	pushq	%rax
	lretq
6:	hlt
	jmp	6b

	.text
high_entry:
	movl	$KERNEL_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
	leaq	boot_stack_top(%rip), %rsp
	xorq	%rbp, %rbp
	movq	%r15, %rdi
	call	start_kernel
3:	hlt
	jmp	3b

	/*
	 * An AP from the trampoline (trampoline.S), on the boot page tables:
	 * rdx = kernel_pgd, rsi = top of its idle stack, rdi = its cpu_info.
	 */
	.global	secondary_startup_64
secondary_startup_64:
	movq	%rdx, %cr3
	movq	%rsi, %rsp
	xorq	%rbp, %rbp
	call	x86_secondary_start
4:	hlt
	jmp	4b

	.data
	.balign 8
	.global kimage_voffset
kimage_voffset:	.quad 0

	.section .bss
	.balign 4096
	.global boot_pml4
boot_pml4:	.skip 4096
boot_pdpt_lo:	.skip 4096
boot_pdpt_hi:	.skip 4096
boot_pd:	.skip 4 * 4096
boot_pd_image:	.skip 4096
	.global boot_stack, boot_stack_top
boot_stack:	.skip 16384
boot_stack_top:
