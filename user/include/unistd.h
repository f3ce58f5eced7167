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
ssize_t pread(int fd, void *buf, size_t n, off_t off);
ssize_t pwrite(int fd, const void *buf, size_t n, off_t off);
int pipe(int fds[2]);
int pipe2(int fds[2], int flags);
int dup(int fd);
int dup2(int oldfd, int newfd);
int dup3(int oldfd, int newfd, int flags);
char *getcwd(char *buf, size_t size);
int chdir(const char *path);
off_t lseek(int fd, off_t off, int whence);
int ftruncate(int fd, off_t len);
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
