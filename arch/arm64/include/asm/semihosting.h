/*
 * semihosting.h (arm64) - Arm semihosting calls (HLT #0xF000), which QEMU
 * answers when started with -semihosting-config enable=on: the power-off
 * exit status (arch/arm64/setup.c) and the folio.trace port
 * (arch/arm64/trace_port.c).  Only on QEMU virt (arm64_semihosting): a real
 * machine would take the HLT as an undefined instruction.
 */
#ifndef ASM_SEMIHOSTING_H
#define ASM_SEMIHOSTING_H

#include "kernel/types.h"

#define SYS_OPEN	0x01
#define SYS_WRITE	0x05
#define SYS_EXIT	0x18

extern bool arm64_semihosting;	/* (c) the machine is QEMU virt: semihosting answers */

/* Semihosting operation op with its parameter block args; returns x0. */
static inline u64 semihosting_call(u64 op, const void *args)
{
	register u64 x0 __asm__("x0") = op;
	register u64 x1 __asm__("x1") = (u64)args;

	__asm__ __volatile__("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	return x0;
}

#endif
