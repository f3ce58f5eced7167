/* Linux open flags.  O_DIRECTORY/O_NOFOLLOW/O_DIRECT/O_LARGEFILE differ per arch. */
#ifndef _FCNTL_H
#define _FCNTL_H
#include <sys/types.h>
#define O_RDONLY	00
#define O_WRONLY	01
#define O_RDWR		02
#define O_ACCMODE	03
#define O_CREAT		0100
#define O_EXCL		0200
#define O_NOCTTY	0400
#define O_TRUNC		01000
#define O_APPEND	02000
#define O_NONBLOCK	04000
#define O_SYNC		04010000
#define O_CLOEXEC	02000000
#if defined(__aarch64__)
#define O_DIRECTORY	040000
#define O_NOFOLLOW	0100000
#define O_DIRECT	0200000
#define O_LARGEFILE	0400000
#else
#define O_DIRECTORY	0200000
#define O_NOFOLLOW	0400000
#define O_DIRECT	040000
#define O_LARGEFILE	0100000
#endif
#define AT_FDCWD		(-100)
#define AT_SYMLINK_NOFOLLOW	0x100
#define AT_EMPTY_PATH		0x1000
int open(const char *path, int flags, ...);
int openat(int dirfd, const char *path, int flags, ...);
#endif
