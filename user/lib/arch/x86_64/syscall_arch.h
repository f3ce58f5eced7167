/* x86_64 Linux system-call convention: nr in rax, args in rdi rsi rdx r10 r8 r9;
 * `syscall` clobbers rcx and r11; the result (or -errno) comes back in rax. */
#ifndef _FOLIO_SYSCALL_ARCH_H
#define _FOLIO_SYSCALL_ARCH_H
static inline long __syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long ret;
	__asm__ __volatile__("syscall"
			     : "=a"(ret)
			     : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
			     : "rcx", "r11", "memory");
	return ret;
}
#endif
