/*
 * psci.h (arm64) - the Power State Coordination Interface (Arm DEN 0022,
 * 0.2+ function ids): starting CPUs (smp.c), powering off and resetting
 * (setup.c).  The conduit (hvc or smc) is the device tree's /psci method.
 */
#ifndef ASM_PSCI_H
#define ASM_PSCI_H

#include "kernel/types.h"

#define PSCI_0_2_FN64_CPU_ON		0xc4000003U
#define PSCI_0_2_FN_SYSTEM_OFF		0x84000008U
#define PSCI_0_2_FN_SYSTEM_RESET	0x84000009U

/* (c) PSCI 0.2+ with a known conduit: the device tree's /psci node (smp.c) or the FADT (acpi.c). */
extern bool psci_ok;
/* (c) the conduit is smc (else hvc). */
extern bool psci_use_smc;

/* Call PSCI function fn with three arguments through the conduit; its x0. */
long psci_call(u64 fn, u64 a1, u64 a2, u64 a3);

#endif
