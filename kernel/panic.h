/* panic.h - fatal error reporting (panic() itself is declared in printk.h). */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include "kernel/printk.h"
#include <asm/ptrace.h>

/* Exit status the kernel powers off with after a panic or an oops. */
#define PANIC_EXIT_STATUS 3

/* The CPU reporting a panic or oops, -1: none (Linux's panic_cpu; atomic accesses). */
extern int panic_cpu;

/* A fatal trap: print "Oops: <msg>", the registers and a backtrace, power off. */
__noreturn void die(const struct pt_regs *regs, const char *fmt, ...) __printf(2, 3);
/* Print ip, then the frame-pointer chain starting at fp (at most 16 frames), with symbols. */
void dump_backtrace(unsigned long ip, unsigned long fp);

#endif
