/* asm/irq.h (x86_64) - interrupt vectors and the local APIC. */
#ifndef ASM_IRQ_H
#define ASM_IRQ_H

#include "kernel/types.h"

#define VEC_TIMER		32
#define VEC_KEYBOARD		33	/* ISA IRQ 1 through the I/O APIC (i8042.c) */
#define VEC_CALL_FUNCTION	0xfb	/* Linux's CALL_FUNCTION_SINGLE_VECTOR */
#define VEC_RESCHEDULE		0xfd	/* Linux's RESCHEDULE_VECTOR */
#define VEC_SPURIOUS		0xff

/* Page-fault error code bits (Intel SDM vol. 3, 4.7). */
#define PF_PROT		(1UL << 0)
#define PF_WRITE	(1UL << 1)
#define PF_USER		(1UL << 2)
#define PF_RSVD		(1UL << 3)
#define PF_INSTR	(1UL << 4)

/* The local APIC (apic.c; xAPIC registers through MMIO, each CPU sees its own). */
#define LAPIC_ID	0x020
#define LAPIC_EOI	0x0b0
#define LAPIC_SVR	0x0f0
#define LAPIC_ICR_LO	0x300
#define LAPIC_ICR_HI	0x310

u32 lapic_read(u32 reg);
void lapic_write(u32 reg, u32 v);
void lapic_eoi(void);
/* Software-enable this CPU's LAPIC (spurious vector VEC_SPURIOUS), every interrupt accepted. */
void lapic_cpu_init(void);
/* Send an interprocessor interrupt: ICR high = apicid << 24, then low = icr_lo; waits until sent. */
void lapic_send_ipi(u32 apicid, u32 icr_lo);

/* The I/O APICs (ioapic.c): where ISA lines 0-15 arrive, from the ACPI MADT at rsdp_pa (early boot). */
void x86_ioapic_detect(u64 rsdp_pa);
/* ISA line irq (0-15) to vector on the boot CPU; false if there is no such pin. */
bool ioapic_route_isa(unsigned int irq, u8 vector);
#endif
