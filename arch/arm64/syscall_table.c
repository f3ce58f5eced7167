/* syscall_table.c (arm64) - Linux aarch64 (asm-generic) system-call numbers -> handlers. */
#include "kernel/syscalls.h"

const syscall_fn_t syscall_table[] = {
	[23] = sys_dup, [24] = sys_dup3, [29] = sys_ioctl, [48] = sys_faccessat,
	[56] = sys_openat, [57] = sys_close, [61] = sys_getdents64, [62] = sys_lseek,
	[63] = sys_read, [64] = sys_write, [66] = sys_writev, [79] = sys_newfstatat,
	[80] = sys_fstat, [93] = sys_exit, [94] = sys_exit_group, [96] = sys_set_tid_address,
	[99] = sys_set_robust_list, [101] = sys_nanosleep, [113] = sys_clock_gettime,
	[114] = sys_clock_getres, [115] = sys_clock_nanosleep, [124] = sys_sched_yield,
	[129] = sys_kill, [132] = sys_sigaltstack, [134] = sys_rt_sigaction,
	[135] = sys_rt_sigprocmask, [142] = sys_reboot, [160] = sys_uname, [165] = sys_getrusage,
	[169] = sys_gettimeofday, [172] = sys_getpid, [173] = sys_getppid, [174] = sys_getuid,
	[175] = sys_getuid, [176] = sys_getuid, [177] = sys_getuid, [178] = sys_gettid,
	[214] = sys_brk, [215] = sys_munmap, [220] = sys_clone, [221] = sys_execve,
	[222] = sys_mmap, [226] = sys_mprotect, [233] = sys_madvise, [260] = sys_wait4,
	[261] = sys_prlimit64, [278] = sys_getrandom, [293] = sys_rseq, [439] = sys_faccessat,
};

const unsigned int nr_syscalls = sizeof(syscall_table) / sizeof(syscall_table[0]);
