/* asm/acpi.h (x86_64) - the MADT's CPUs (acpi.c). */
#ifndef ASM_ACPI_H
#define ASM_ACPI_H

#include "kernel/acpi.h"

/*
 * Give add() the APIC id of every enabled processor in the MADT (in table
 * order; add returns false to stop early).  Returns how many were given, or
 * -ENOENT / -EINVAL with *why naming the missing or malformed table or entry;
 * then nothing was given (entries are checked before any is used).
 */
int acpi_madt_cpus(u64 rsdp_pa, acpi_map_fn map, bool (*add)(u64 apic_id), const char **why);

#endif
