/* asm/asm.h (x86_64) - assembler helpers. */
#ifndef ASM_ASM_H
#define ASM_ASM_H

#ifdef __ASSEMBLER__
/* Record that a fault at insn resumes at fixup (see kernel/extable.h). */
.macro EXTABLE insn, fixup
	.pushsection __ex_table, "a"
	.balign 8
	.quad \insn, \fixup
	.popsection
.endm
#endif

#endif
