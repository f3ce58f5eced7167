/* syscall_table.c (x86_64) - Linux x86_64 system-call numbers -> handlers. */
#include "kernel/syscalls.h"

const syscall_fn_t syscall_table[] = {
	[0] = sys_read, [1] = sys_write, [2] = sys_open, [3] = sys_close, [4] = sys_stat,
	[5] = sys_fstat, [6] = sys_lstat, [8] = sys_lseek, [9] = sys_mmap, [10] = sys_mprotect,
	[11] = sys_munmap, [12] = sys_brk, [13] = sys_rt_sigaction, [14] = sys_rt_sigprocmask,
	[16] = sys_ioctl, [20] = sys_writev, [21] = sys_access, [24] = sys_sched_yield,
	[28] = sys_madvise, [32] = sys_dup, [33] = sys_dup2, [35] = sys_nanosleep,
	[39] = sys_getpid, [56] = sys_clone, [57] = sys_fork, [58] = sys_vfork, [59] = sys_execve,
	[60] = sys_exit, [61] = sys_wait4, [62] = sys_kill, [63] = sys_uname,
	[96] = sys_gettimeofday, [98] = sys_getrusage, [102] = sys_getuid, [104] = sys_getuid,
	[107] = sys_getuid, [108] = sys_getuid, [110] = sys_getppid, [131] = sys_sigaltstack,
	[158] = sys_arch_prctl, [169] = sys_reboot, [186] = sys_gettid, [217] = sys_getdents64,
	[218] = sys_set_tid_address, [228] = sys_clock_gettime, [229] = sys_clock_getres,
	[230] = sys_clock_nanosleep, [231] = sys_exit_group, [257] = sys_openat,
	[262] = sys_newfstatat, [269] = sys_faccessat, [273] = sys_set_robust_list,
	[292] = sys_dup3, [302] = sys_prlimit64, [318] = sys_getrandom, [334] = sys_rseq,
	[439] = sys_faccessat,
};

const unsigned int nr_syscalls = sizeof(syscall_table) / sizeof(syscall_table[0]);
