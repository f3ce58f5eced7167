/*
 * head.S (arm64) - kernel entry from the UEFI loader.
 *
 * Entered at EL1 or EL2 at the physical address of _start, MMU and caches on
 * (the firmware's identity map, in the translation regime of that EL), x0 =
 * physical address of struct boot_info.  The loader put the image at any
 * 2 MiB-aligned physical base P (boot/place.c); the image runs at its link
 * address, and kimage_voffset = _text's link address - P is what
 * __pa_symbol subtracts.  We build boot tables:
 *	TTBR0: 0 .. 4 GiB identity, 1 GiB blocks (0 .. 1 GiB Device: UART, GIC;
 *	       rest Normal)
 *	TTBR1: PAGE_OFFSET + 0 .. 4 GiB (same table: early direct map),
 *	       _text .. KERNEL_VBASE + 1 GiB -> P .. (2 MiB blocks, the kernel image)
 * Entered at EL2 (real machines; QEMU virt,virtualization=on), we then clean
 * the image to the point of coherency (the EL1 code below runs with the MMU
 * off, reading memory, not the caches the loader and these tables were
 * written through), configure EL2 for a kernel at EL1 (init_el2) and drop
 * to EL1: foliOS does not use EL2 (no VHE), as Linux without KVM, nVHE.
 * At EL1 we program MAIR/TCR (MAIR keeps EDK2's attribute indices, so the
 * firmware's live entries keep their meaning until TTBR0 switches), switch
 * both TTBRs, jump to the high image, install the vectors and call
 * start_kernel(x0).  adrp/add are PC-relative, so every address taken before
 * the jump is physical.  The secondary CPUs enter at secondary_entry (at EL2
 * too when the boot CPU did: PSCI CPU_ON enters at the caller's highest EL)
 * and go the same way on the same boot tables.
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
#define BLK_TABLE	3			/* table descriptor (L0, L1) */
#define HCR_RW		(1 << 31)		/* EL1 is AArch64 */
#define HCR_API_APK	(3 << 40)		/* no traps of pointer-auth instructions and keys */
#define CPTR_EL2_NOTRAP	0x32ff			/* RES1 bits only: TFP = TZ = TTA = TCPAC = 0 */
#define CNTHCTL_EL1PCTEN_EL1PCEN 3		/* EL1 reads the physical counter and timer */
#define ICC_SRE_EL2_SRE	1			/* GICv3: system-register interface ... */
#define ICC_SRE_EL2_ENABLE 8			/* ... and EL1 may use ICC_SRE_EL1 */
/* SCTLR_EL1 at the drop: its RES1 bits, MMU and caches off, EL0 may use DC ZVA and WFE (as Linux). */
#define SCTLR_EL1_EL2_DROP 0x30d44800
#define SPSR_EL1H_MASKED 0x3c5			/* EL1h, D, A, I, F masked */

	/*
	 * At EL2: let EL1 run without traps (HCR_EL2 RW and no pointer-auth
	 * traps, no stage 2, no FP/SIMD/SVE or system-register traps, the
	 * physical counter and timer, the real MIDR/MPIDR, the PMU counters,
	 * GICv3's system registers), SCTLR_EL1 its reset state, then eret to
	 * \el1 at EL1 with every interrupt masked.  Clobbers x0-x1.
	 */
	.macro	init_el2, el1
	ldr	x0, =(HCR_RW | HCR_API_APK)
	msr	hcr_el2, x0
	msr	vttbr_el2, xzr
	msr	hstr_el2, xzr
	mov	x0, #CPTR_EL2_NOTRAP
	msr	cptr_el2, x0
	mrs	x0, cnthctl_el2
	orr	x0, x0, #CNTHCTL_EL1PCTEN_EL1PCEN
	msr	cnthctl_el2, x0
	msr	cntvoff_el2, xzr
	msr	cnthp_ctl_el2, xzr		/* EL2's own timer off */
	mrs	x0, midr_el1
	msr	vpidr_el2, x0
	mrs	x0, mpidr_el1
	msr	vmpidr_el2, x0
	mrs	x1, id_aa64dfr0_el1		/* MDCR_EL2.HPMN = PMCR_EL0.N: EL1 sees every counter */
	ubfx	x1, x1, #8, #4
	mov	x0, xzr
	cbz	x1, 8f
	cmp	x1, #0xf			/* IMPLEMENTATION DEFINED PMU: leave it */
	b.eq	8f
	mrs	x0, pmcr_el0
	ubfx	x0, x0, #11, #5
8:	msr	mdcr_el2, x0
	mrs	x1, id_aa64pfr0_el1		/* GICv3 system-register interface present? */
	ubfx	x1, x1, #24, #4
	cbz	x1, 9f
	mrs	x0, S3_4_C12_C9_5		/* ICC_SRE_EL2 */
	orr	x0, x0, #ICC_SRE_EL2_SRE
	orr	x0, x0, #ICC_SRE_EL2_ENABLE
	msr	S3_4_C12_C9_5, x0
	isb
9:	ldr	x0, =SCTLR_EL1_EL2_DROP
	msr	sctlr_el1, x0
	mov	x0, #SPSR_EL1H_MASKED
	msr	spsr_el2, x0
	adr	x0, \el1
	msr	elr_el2, x0
	isb
	eret
	.endm

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
	bl	build_boot_tables
	mrs	x0, CurrentEL
	adrp	x1, boot_entry_el
	str	x0, [x1, :lo12:boot_entry_el]
	cmp	x0, #(2 << 2)
	b.ne	el1_start
	bl	clean_image_poc
	init_el2 el1_start
el1_start:
	boot_mmu_on

	ldr	x0, =high_entry
	br	x0
	.ltorg

	/*
	 * The boot tables (see the top of the file) and kimage_voffset.  Runs
	 * at the physical address with the firmware's MMU on.  Clobbers x0-x6.
	 */
build_boot_tables:
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
	orr	x1, x0, #BLK_TABLE
	adrp	x2, boot_l0_lo
	str	x1, [x2]
	adrp	x3, boot_l0_hi
	str	x1, [x3, #256 * 8]

	/* L0_hi[511] -> L1_hi; L1_hi[510] -> L2_image: the 1 GiB at KERNEL_VBASE. */
	adrp	x4, boot_l1_hi
	orr	x1, x4, #BLK_TABLE
	str	x1, [x3, #511 * 8]
	adrp	x5, boot_l2_image
	orr	x1, x5, #BLK_TABLE
	str	x1, [x4, #510 * 8]

	/* L2_image[16..511]: KERNEL_VBASE + KERNEL_TEXT_OFFSET + i * 2 MiB -> P + i * 2 MiB. */
	adrp	x6, _text			/* P */
	tst	x6, #((1 << 21) - 1)
	b.ne	3f				/* not 2 MiB aligned: the loader broke its promise */
	mov	x3, #BLK_NORMAL
	orr	x1, x6, x3
	mov	x2, #(KERNEL_TEXT_OFFSET >> 21)
2:	str	x1, [x5, x2, lsl #3]
	add	x1, x1, #(1 << 21)
	add	x2, x2, #1
	cmp	x2, #512
	b.lo	2b

	/* kimage_voffset = link address - physical address of _text. */
	ldr	x1, =_text
	sub	x1, x1, x6
	adrp	x2, kimage_voffset
	str	x1, [x2, :lo12:kimage_voffset]
	dsb	ishst
	ret
3:	wfi
	b	3b

	/*
	 * Clean and invalidate the whole image [_text, _end) to the point of
	 * coherency by physical (identity) address, then the I-cache.
	 * Clobbers x0-x4.
	 */
clean_image_poc:
	adrp	x0, _text
	adrp	x1, _end			/* page aligned (kernel.lds.S) */
	mrs	x2, ctr_el0			/* DminLine: log2 of the line in words */
	ubfx	x2, x2, #16, #4
	mov	x3, #4
	lsl	x3, x3, x2
4:	dc	civac, x0
	add	x0, x0, x3
	cmp	x0, x1
	b.lo	4b
	dsb	sy
	ic	iallu
	dsb	nsh
	isb
	ret

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
	 * A secondary CPU from PSCI CPU_ON (arch/arm64/smp.c): EL1 or EL2 (then
	 * configured and dropped to EL1 as the boot CPU was), MMU off,
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
	mrs	x0, CurrentEL
	cmp	x0, #(2 << 2)
	b.ne	secondary_el1
	init_el2 secondary_el1
secondary_el1:
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

	.data
	.balign 8
	.global kimage_voffset, boot_entry_el
kimage_voffset:	.quad 0
boot_entry_el:	.quad 0			/* CurrentEL at _start: EL in bits 3:2 */

	.section .bss
	.balign 4096
boot_l0_lo:	.skip 4096
boot_l1_lo:	.skip 4096
boot_l0_hi:	.skip 4096
boot_l1_hi:	.skip 4096
boot_l2_image:	.skip 4096
	.global boot_stack, boot_stack_top
boot_stack:	.skip 16384
boot_stack_top:
