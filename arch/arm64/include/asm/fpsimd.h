/* asm/fpsimd.h (arm64) - moving the user FP/SIMD registers (process.c) for switches and signal frames. */
#ifndef ASM_FPSIMD_H
#define ASM_FPSIMD_H

#include <asm/switch_to.h>

/* Store q0..q31, FPSR and FPCR of the CPU into t / load them from t (the kernel never uses them). */
void fpsimd_save(struct thread_struct *t);
void fpsimd_load(const struct thread_struct *t);

#endif
