/* mmap/mprotect/madvise: Linux's values (<uapi/mman.h>). */
#ifndef _SYS_MMAN_H
#define _SYS_MMAN_H
#include <sys/types.h>
#include <uapi/mman.h>
#include <uapi/memfd.h>
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int munmap(void *addr, size_t len);
/* Linux's mremap (glibc's is variadic; here new_addr is always passed). */
void *mremap(void *addr, size_t old_len, size_t new_len, int flags, void *new_addr);
int mprotect(void *addr, size_t len, int prot);
int madvise(void *addr, size_t len, int advice);
int mlock(const void *addr, size_t len);
int mlock2(const void *addr, size_t len, unsigned int flags);
int munlock(const void *addr, size_t len);
int mlockall(int flags);
int munlockall(void);
int mincore(void *addr, size_t len, unsigned char *vec);
int msync(void *addr, size_t len, int flags);
/* A shmem object as an fd (MFD_* flags: <uapi/memfd.h>). */
int memfd_create(const char *name, unsigned int flags);
#endif
