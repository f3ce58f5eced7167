/* smp.h - the CPU number (one CPU until kernel/smp.c's bring-up: i15-smpboot replaces this file). */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

static inline unsigned int smp_processor_id(void) { return 0; }

#endif
