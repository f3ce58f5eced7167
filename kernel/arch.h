/*
 * arch.h - what kernel/ and mm/ ask of arch/<arch>/.  Both architectures
 * implement every function here with the same meaning.
 */
#ifndef KERNEL_ARCH_H
#define KERNEL_ARCH_H

#include "kernel/types.h"
#include "kernel/compiler.h"
#include <asm/ptrace.h>

struct boot_info;

/* Boot phase 1, on the boot page tables: console, trap vectors, CPU features,
 * firmware tables named in boot_info (reachable through __va below 4 GiB). */
void arch_early_init(const struct boot_info *bi);
/* Called by paging_init() with the new kernel page tables current for
 * ioremap() but not yet loaded: map the devices arch code uses. */
void arch_map_devices(void);
/* Load root as the kernel page table; drops the boot identity map. */
void arch_switch_kernel_pgtable(phys_addr_t root);
/* Boot phase 2, after the memmap exists: clock calibration, periodic timer, interrupts on. */
void arch_late_init(void);

void arch_console_putc(char c);
/* Returns the next received byte, or -1 when none is waiting. */
int arch_console_getc(void);

/*
 * The trace port of folio.trace=on (mm/foliotrace.c): a byte channel to a
 * host file apart from the console.  arch_trace_init() says whether this
 * machine has one (false: no recording); arch_trace_write() returns once the
 * port took all len bytes.
 */
bool arch_trace_init(void);
void arch_trace_write(const void *buf, size_t len);

/* Monotonic nanoseconds since arch_early_init calibrated the clock. */
u64 arch_clock_ns(void);
/* The free-running cycle counter (TSC / CNTVCT), 0 at CPU reset, and its
 * conversion to nanoseconds (valid after arch_early_init). */
u64 arch_read_cycles(void);
u64 arch_cycles_to_ns(u64 cycles);

const char *arch_cpu_model(void);
/* Print the registers of a trap frame. */
void arch_dump_regs(const struct pt_regs *regs);
/*
 * Power off with status (QEMU exit code when QEMU has an exit device); never
 * returns.  Called by kernel_power_off (kernel/reboot.h), which prints the line.
 */
__noreturn void arch_power_off(int status);
/* Reset the machine; never returns.  Called by kernel_restart (kernel/reboot.h). */
__noreturn void arch_restart(void);
/* Wait for an interrupt. */
void arch_idle(void);
/* Stop this CPU for good: interrupts off, halted (Linux's stop_this_cpu). */
__noreturn void arch_cpu_stop(void);

/* ---- tasks (arch/<arch>/process.c, entry.S) ---- */

struct task_struct;
/* Called by the scheduler just before cpu_switch_to: kernel stack for traps, TLS. */
void arch_task_switch(struct task_struct *prev, struct task_struct *next);
/* Prepare t (fresh kernel stack) to start running fn() in kernel mode when scheduled. */
void arch_setup_kthread(struct task_struct *t, void (*fn)(void));
/* Prepare a forked child: it resumes in user mode from its copied frame, returning 0. */
void arch_setup_fork_child(struct task_struct *child);
/* clone(CLONE_SETTLS): the child's user TLS register (x86_64 FS base, arm64 TPIDR_EL0).  0, or
 * -EPERM for an x86_64 base outside user space (Linux's ARCH_SET_FS check). */
int arch_set_tls(struct task_struct *child, unsigned long tls);
/* Reset a user frame for a new program: entry pc, stack sp, everything else zero. */
void arch_start_thread_regs(struct pt_regs *regs, unsigned long pc, unsigned long sp);
void regs_set_return_value(struct pt_regs *regs, long value);
void regs_set_user_sp(struct pt_regs *regs, unsigned long sp);
/* Leave kernel mode for the user frame regs (exec from a kernel thread). */
__noreturn void arch_return_to_user(struct pt_regs *regs);
/*
 * The code execve maps for signal handlers to return through (kernel/exec.c,
 * "[sigpage]"), len bytes; NULL when the arch needs none (x86_64 handlers
 * must have SA_RESTORER, as on Linux).
 */
const void *arch_sigpage_code(size_t *len);
/* Enable the per-CPU system-call entry and user-memory protections (SMEP/SMAP, PAN). */
void arch_user_init(void);

/* The architecture's name in banners, /proc/version and BENCH lines. */
#if defined(__x86_64__)
#define ARCH_NAME "x86_64"
#else
#define ARCH_NAME "arm64"
#endif

/* The serial console's name in console= (Linux's: the 16550's ttyS0, the PL011's ttyAMA0). */
#if defined(__x86_64__)
#define ARCH_SERIAL_CONSOLE "ttyS0"
#else
#define ARCH_SERIAL_CONSOLE "ttyAMA0"
#endif

/* The build's version (git describe), passed by the Makefile. */
#ifndef FOLIOS_VERSION
#define FOLIOS_VERSION "unknown"
#endif

#endif
