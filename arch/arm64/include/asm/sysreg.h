/* asm/sysreg.h (arm64) - system register access. */
#ifndef ASM_SYSREG_H
#define ASM_SYSREG_H

#include "kernel/types.h"

#define read_sysreg(r) ({ u64 __v; __asm__ __volatile__("mrs %0, " #r : "=r"(__v)); __v; })
#define write_sysreg(v, r) __asm__ __volatile__("msr " #r ", %0" : : "r"((u64)(v)) : "memory")
#define isb() __asm__ __volatile__("isb" : : : "memory")
#define dsb(opt) __asm__ __volatile__("dsb " #opt : : : "memory")

/* ESR_EL1 exception classes (Arm ARM D17.2.37). */
#define ESR_EC_SHIFT	26
#define ESR_EC_UNKNOWN	0x00
#define ESR_EC_SVC64	0x15
#define ESR_EC_IABT_LOW	0x20
#define ESR_EC_IABT_CUR	0x21
#define ESR_EC_PC_ALIGN	0x22
#define ESR_EC_DABT_LOW	0x24
#define ESR_EC_DABT_CUR	0x25
#define ESR_EC_SP_ALIGN	0x26
#define ESR_EC_BRK64	0x3c
#define ESR_ELx_WNR	(1UL << 6)	/* data abort: write */
#define ESR_ELx_CM	(1UL << 8)	/* data abort: cache maintenance */
#define ESR_ELx_FSC	0x3fUL		/* fault status code */
#define ESR_FSC_ALIGN	0x21UL		/* ... an alignment fault */

static inline void cpu_relax(void)
{
	__asm__ __volatile__("yield" : : : "memory");
}

#endif
