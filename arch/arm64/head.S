/*
 * head.S (arm64) - kernel entry from the UEFI loader.
 *
 * Entered at EL1 at the physical address of _start, MMU and caches on (the
 * firmware's identity map), x0 = physical address of struct boot_info.
 * We build boot tables of 1 GiB blocks:
 *	TTBR0: 0 .. 4 GiB identity (0 .. 1 GiB Device: UART, GIC; rest Normal)
 *	TTBR1: PAGE_OFFSET + 0 .. 4 GiB (same table: early direct map),
 *	       KERNEL_VBASE -> KERNEL_PBASE (1 GiB, the kernel image)
 * program MAIR/TCR (MAIR keeps EDK2's attribute indices, so the firmware's
 * live entries keep their meaning until TTBR0 switches), switch both TTBRs,
 * jump to the high image, install the vectors and call start_kernel(x0).
 * adrp/add are PC-relative, so every address taken before the jump is physical.
 * The secondary CPUs enter at secondary_entry and go the same way on the
 * same boot tables.
 */
#include <asm/memory.h>

#define BLK_NORMAL	0x70d			/* block, AttrIndx 3, inner shareable, AF */
#define BLK_DEVICE_LO	0x401			/* block, AttrIndx 0, AF */
#define BLK_XN		(3 << (53 - 48))	/* PXN | UXN, in bits 63:48 */
#define MAIR_VALUE	0xffbb4400		/* 0: Device-nGnRnE, 1: NC, 2: WT, 3: WB */
#define TCR_VALUE	0xb5103510		/* T0SZ=T1SZ=16, 4K granules, WBWA inner shareable walks */
#define SCTLR_M		(1 << 0)
#define SCTLR_A		(1 << 1)
#define SCTLR_C		(1 << 2)
#define SCTLR_I		(1 << 12)
#define SCTLR_WXN	(1 << 19)

	/*
	 * MAIR, TCR, TTBR0 = the identity boot table, TTBR1 = the boot table of
	 * the direct map and kernel image, then MMU and caches on (no alignment
	 * checks, no WXN).  Runs at the physical address, MMU off or on the
	 * firmware's identity map.  Clobbers x0-x2.
	 */
	.macro	boot_mmu_on
	ldr	x0, =MAIR_VALUE
	msr	mair_el1, x0
	mrs	x1, id_aa64mmfr0_el1		/* IPS = min(PARange, 48 bits) */
	and	x1, x1, #0xf
	mov	x2, #5
	cmp	x1, x2
	csel	x1, x1, x2, ls
	ldr	x0, =TCR_VALUE
	orr	x0, x0, x1, lsl #32
	msr	tcr_el1, x0
	isb
	adrp	x0, boot_l0_lo
	msr	ttbr0_el1, x0
	adrp	x0, boot_l0_hi
	msr	ttbr1_el1, x0
	isb
	tlbi	vmalle1
	dsb	nsh
	isb

	mrs	x0, sctlr_el1
	ldr	x1, =(SCTLR_M | SCTLR_C | SCTLR_I)
	orr	x0, x0, x1
	ldr	x1, =(SCTLR_A | SCTLR_WXN)
	bic	x0, x0, x1
	msr	sctlr_el1, x0
	isb

	.endm

	.section .text.boot, "ax"
	.global _start
_start:
	msr	daifset, #0xf
	mov	x19, x0				/* boot_info (physical) */

	/* L1_lo: four 1 GiB blocks; the first (devices) is Device memory, never executable. */
	adrp	x0, boot_l1_lo
	mov	x1, #BLK_DEVICE_LO
	movk	x1, #BLK_XN, lsl #48
	str	x1, [x0]
	mov	x2, #1
1:	lsl	x1, x2, #30
	mov	x3, #BLK_NORMAL
	orr	x1, x1, x3
	str	x1, [x0, x2, lsl #3]
	add	x2, x2, #1
	cmp	x2, #4
	b.lo	1b

	/* L0_lo[0] and L0_hi[256] -> L1_lo (identity and early direct map). */
	orr	x1, x0, #3
	adrp	x2, boot_l0_lo
	str	x1, [x2]
	adrp	x3, boot_l0_hi
	str	x1, [x3, #256 * 8]

	/* L0_hi[511] -> L1_hi; L1_hi[510] = KERNEL_VBASE block -> KERNEL_PBASE. */
	adrp	x4, boot_l1_hi
	orr	x1, x4, #3
	str	x1, [x3, #511 * 8]
	ldr	x1, =(KERNEL_PBASE | BLK_NORMAL)
	str	x1, [x4, #510 * 8]
	dsb	ishst

	boot_mmu_on

	ldr	x0, =high_entry
	br	x0
	.ltorg

	.text
high_entry:
	ldr	x0, =vectors
	msr	vbar_el1, x0
	isb
	ldr	x0, =boot_stack_top
	mov	sp, x0
	mov	x29, xzr
	mov	x30, xzr
	mov	x0, x19
	bl	start_kernel
2:	wfi
	b	2b

	/*
	 * A secondary CPU from PSCI CPU_ON (arch/arm64/smp.c): EL1, MMU off,
	 * x0 = its struct cpu_info (the context id).  On the boot tables (still
	 * in .bss) it reaches the high image, then takes the kernel's TTBR1 and
	 * its idle stack from secondary_data (written by the boot CPU before
	 * CPU_ON; read with caches on, so coherent) and calls
	 * arm64_secondary_start(cpu_info).
	 */
	.section .text.boot, "ax"
	.global	secondary_entry
secondary_entry:
	msr	daifset, #0xf
	mov	x19, x0
	boot_mmu_on
	ldr	x0, =secondary_high
	br	x0
	.ltorg
	.global	secondary_entry_end
secondary_entry_end:

	.text
secondary_high:
	ldr	x0, =vectors
	msr	vbar_el1, x0
	ldr	x1, =secondary_data
	ldp	x2, x3, [x1]			/* stack top, kernel TTBR1 */
	msr	ttbr1_el1, x3
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	mov	sp, x2
	mov	x29, xzr
	mov	x30, xzr
	mov	x0, x19
	bl	arm64_secondary_start
3:	wfi
	b	3b

	.section .bss
	.balign 4096
boot_l0_lo:	.skip 4096
boot_l1_lo:	.skip 4096
boot_l0_hi:	.skip 4096
boot_l1_hi:	.skip 4096
	.global boot_stack, boot_stack_top
boot_stack:	.skip 16384
boot_stack_top:
