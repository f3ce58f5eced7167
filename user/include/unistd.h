#ifndef _UNISTD_H
#define _UNISTD_H
#include <sys/types.h>
#define STDIN_FILENO 0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2
#include <uapi/fcntl.h>	/* SEEK_*, F_OK .. R_OK */
ssize_t read(int fd, void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n);
int close(int fd);
int dup(int fd);
int dup3(int fd, int newfd, int flags);
off_t lseek(int fd, off_t off, int whence);
void _exit(int status) __attribute__((noreturn));
void _exit_thread(int status) __attribute__((noreturn)); /* exit(2): this thread only */
pid_t getpid(void);
pid_t getppid(void);
pid_t gettid(void);
uid_t getuid(void);
pid_t fork(void);
pid_t vfork(void);
int execve(const char *path, char *const argv[], char *const envp[]);
int execv(const char *path, char *const argv[]);
int brk(void *addr);
void *sbrk(long incr);
int sched_yield(void);
unsigned int sleep(unsigned int sec);
unsigned int alarm(unsigned int sec);
int pause(void);
int usleep(unsigned long usec);
int isatty(int fd);
long getpagesize(void);
#endif
