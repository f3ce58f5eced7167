/*
 * uapi/fcntl.h - open() flags, the *at() dirfd and flags, access() modes and
 * lseek() whences: Linux's values.  O_DIRECTORY, O_NOFOLLOW, O_DIRECT and
 * O_LARGEFILE differ between x86_64 (asm-generic) and aarch64.
 */
#ifndef UAPI_FCNTL_H
#define UAPI_FCNTL_H

#define O_ACCMODE	00000003
#define O_RDONLY	00000000
#define O_WRONLY	00000001
#define O_RDWR		00000002
#define O_CREAT		00000100
#define O_EXCL		00000200
#define O_NOCTTY	00000400
#define O_TRUNC		00001000
#define O_APPEND	00002000
#define O_NONBLOCK	00004000
#define O_SYNC		04010000
#define O_CLOEXEC	02000000
#if defined(__aarch64__)
#define O_DIRECTORY	00040000
#define O_NOFOLLOW	00100000
#define O_DIRECT	00200000
#define O_LARGEFILE	00400000
#elif defined(__x86_64__)
#define O_DIRECTORY	00200000
#define O_NOFOLLOW	00400000
#define O_DIRECT	00040000
#define O_LARGEFILE	00100000
#else
#error "uapi/fcntl.h: x86_64 or aarch64 only"
#endif

#define AT_FDCWD		(-100)
#define AT_SYMLINK_NOFOLLOW	0x100
#define AT_NO_AUTOMOUNT		0x800
#define AT_EMPTY_PATH		0x1000

/* access() modes (the kernel's MAY_* masks have the same values). */
#define F_OK		0
#define X_OK		1
#define W_OK		2
#define R_OK		4

#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2

/* fcntl() commands and the descriptor flag. */
#define F_DUPFD		0
#define F_GETFD		1
#define F_SETFD		2
#define F_GETFL		3
#define F_SETFL		4
#define F_SETPIPE_SZ	1031
#define F_GETPIPE_SZ	1032
#define F_DUPFD_CLOEXEC	1030
#define F_ADD_SEALS	1033
#define F_GET_SEALS	1034
#define FD_CLOEXEC	1

/* memfd seals (F_ADD_SEALS, F_GET_SEALS). */
#define F_SEAL_SEAL		0x0001	/* no more seals */
#define F_SEAL_SHRINK		0x0002	/* size may not shrink */
#define F_SEAL_GROW		0x0004	/* size may not grow */
#define F_SEAL_WRITE		0x0008	/* contents may not change */
#define F_SEAL_FUTURE_WRITE	0x0010	/* no new writers (write(), new shared writable mappings) */
#define F_SEAL_EXEC		0x0020	/* mode bits may not change (foliOS has no chmod: a flag) */

/* fallocate() modes (Linux's <linux/falloc.h>): one mode, KEEP_SIZE beside it. */
#define FALLOC_FL_ALLOCATE_RANGE	0x00	/* allocate (the default) */
#define FALLOC_FL_KEEP_SIZE		0x01	/* ... but leave the size */
#define FALLOC_FL_PUNCH_HOLE		0x02	/* free the range (with KEEP_SIZE only) */
#define FALLOC_FL_NO_HIDE_STALE		0x04	/* reserved: refused */
#define FALLOC_FL_COLLAPSE_RANGE	0x08
#define FALLOC_FL_ZERO_RANGE		0x10
#define FALLOC_FL_INSERT_RANGE		0x20
#define FALLOC_FL_UNSHARE_RANGE		0x40
#define FALLOC_FL_MODE_MASK		(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_ZERO_RANGE | \
					 FALLOC_FL_INSERT_RANGE | FALLOC_FL_UNSHARE_RANGE)

/* vmsplice() flags (Linux's SPLICE_F_*). */
#define SPLICE_F_MOVE		0x01
#define SPLICE_F_NONBLOCK	0x02
#define SPLICE_F_MORE		0x04
#define SPLICE_F_GIFT		0x08

#endif
