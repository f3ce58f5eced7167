/* asm/irq.h (x86_64) - interrupt vectors and the local APIC. */
#ifndef ASM_IRQ_H
#define ASM_IRQ_H

#define VEC_TIMER	32
#define VEC_SPURIOUS	0xff

/* Page-fault error code bits (Intel SDM vol. 3, 4.7). */
#define PF_PROT		(1UL << 0)
#define PF_WRITE	(1UL << 1)
#define PF_USER		(1UL << 2)
#define PF_RSVD		(1UL << 3)
#define PF_INSTR	(1UL << 4)

void lapic_eoi(void);

#endif
