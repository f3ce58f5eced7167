/* syscalls.h - every system-call handler, for the per-arch tables (arch/<arch>/syscall_table.c). */
#ifndef KERNEL_SYSCALLS_H
#define KERNEL_SYSCALLS_H

#include "kernel/syscall.h"

#define SYSCALL_DECL(name) long sys_##name(const struct syscall_args *r)

/* files (kernel/vfs*.c) */
SYSCALL_DECL(read); SYSCALL_DECL(write); SYSCALL_DECL(writev); SYSCALL_DECL(openat);
SYSCALL_DECL(close); SYSCALL_DECL(lseek); SYSCALL_DECL(fstat); SYSCALL_DECL(newfstatat);
SYSCALL_DECL(getdents64); SYSCALL_DECL(ioctl); SYSCALL_DECL(dup); SYSCALL_DECL(dup3);
SYSCALL_DECL(faccessat); SYSCALL_DECL(pread64); SYSCALL_DECL(pwrite64); SYSCALL_DECL(readv);
SYSCALL_DECL(fcntl); SYSCALL_DECL(getcwd); SYSCALL_DECL(chdir); SYSCALL_DECL(ftruncate);
SYSCALL_DECL(fallocate);
SYSCALL_DECL(memfd_create); SYSCALL_DECL(readlinkat);
/* pipes and poll (kernel/pipe.c, splice.c, poll.c) */
SYSCALL_DECL(pipe2); SYSCALL_DECL(vmsplice); SYSCALL_DECL(ppoll);
/* memory (mm/) */
SYSCALL_DECL(mmap); SYSCALL_DECL(munmap); SYSCALL_DECL(mprotect); SYSCALL_DECL(brk);
SYSCALL_DECL(madvise); SYSCALL_DECL(mremap);
SYSCALL_DECL(mincore); SYSCALL_DECL(msync); SYSCALL_DECL(mlock); SYSCALL_DECL(mlock2);
SYSCALL_DECL(munlock); SYSCALL_DECL(mlockall); SYSCALL_DECL(munlockall);
/* processes (kernel/fork.c, exit.c, exec.c, signal.c) */
SYSCALL_DECL(fork); SYSCALL_DECL(vfork); SYSCALL_DECL(clone); SYSCALL_DECL(clone3); SYSCALL_DECL(execve);
SYSCALL_DECL(exit); SYSCALL_DECL(exit_group); SYSCALL_DECL(wait4); SYSCALL_DECL(getrusage);
SYSCALL_DECL(kill); SYSCALL_DECL(rt_sigaction); SYSCALL_DECL(rt_sigprocmask);
SYSCALL_DECL(sigaltstack);
/* signals (kernel/signal.c, sigaction.c, itimer.c, arch/<arch>/signal.c) */
SYSCALL_DECL(tkill); SYSCALL_DECL(tgkill); SYSCALL_DECL(rt_sigpending); SYSCALL_DECL(rt_sigsuspend);
SYSCALL_DECL(rt_sigreturn); SYSCALL_DECL(getitimer); SYSCALL_DECL(setitimer);
/* kernel/sys.c */
SYSCALL_DECL(getpid); SYSCALL_DECL(gettid); SYSCALL_DECL(getppid); SYSCALL_DECL(getuid);
SYSCALL_DECL(set_tid_address); SYSCALL_DECL(set_robust_list); SYSCALL_DECL(sched_yield);
SYSCALL_DECL(sched_setaffinity); SYSCALL_DECL(sched_getaffinity); SYSCALL_DECL(getcpu);
/* threads (kernel/futex.c, futex_robust.c) */
SYSCALL_DECL(futex); SYSCALL_DECL(get_robust_list);
SYSCALL_DECL(clock_gettime); SYSCALL_DECL(clock_getres); SYSCALL_DECL(gettimeofday);
SYSCALL_DECL(nanosleep); SYSCALL_DECL(clock_nanosleep); SYSCALL_DECL(uname); SYSCALL_DECL(sysinfo);
SYSCALL_DECL(prlimit64); SYSCALL_DECL(getrandom); SYSCALL_DECL(reboot); SYSCALL_DECL(rseq);
/* kernel/syslog.c */
SYSCALL_DECL(syslog);
/* kernel/resource.c, kernel/prctl.c */
SYSCALL_DECL(getrlimit); SYSCALL_DECL(setrlimit); SYSCALL_DECL(prctl);
/* x86_64 only */
SYSCALL_DECL(open); SYSCALL_DECL(stat); SYSCALL_DECL(lstat); SYSCALL_DECL(access);
SYSCALL_DECL(dup2); SYSCALL_DECL(arch_prctl); SYSCALL_DECL(pause); SYSCALL_DECL(alarm);
SYSCALL_DECL(pipe); SYSCALL_DECL(poll); SYSCALL_DECL(readlink);

/* The arch's table: number -> handler (NULL: -ENOSYS). */
extern const syscall_fn_t syscall_table[];
extern const unsigned int nr_syscalls;

#endif
