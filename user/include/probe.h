/*
 * probe.h - a load or store that may fault (user/lib/probe.c), the
 * user-space cousin of the kernel's exception tables: probe_read() and
 * probe_write() each do one 8-byte access at one known instruction; a
 * SIGSEGV raised there returns from them with 1 instead of killing the
 * thread.  For tests that must observe "this access faults now" many
 * times in a row, from any thread (the handler only moves the faulting
 * thread's PC to the probe's fixup; there is no shared state).
 * probe_install() must be called once (per process: handlers are shared by
 * threads) before the first probe; a SIGSEGV anywhere else still kills.
 */
#ifndef _PROBE_H
#define _PROBE_H

/* Install the SIGSEGV handler: 0, or -1 (sigaction failed). */
int probe_install(void);
/* *val = *p: 0, or 1 when the load faulted (*val untouched). */
int probe_read(const volatile unsigned long *p, unsigned long *val);
/* *p = val: 0, or 1 when the store faulted (nothing written). */
int probe_write(volatile unsigned long *p, unsigned long val);
#endif
