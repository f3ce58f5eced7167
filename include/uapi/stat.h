/*
 * uapi/stat.h - struct stat as the kernel writes it (fstat, newfstatat) and
 * the file-type bits of st_mode.  x86_64 has its own layout (144 bytes);
 * aarch64 uses asm-generic's (128 bytes; st_mode before a 32-bit st_nlink).
 */
#ifndef UAPI_STAT_H
#define UAPI_STAT_H

#if defined(__x86_64__)
struct stat {
	unsigned long st_dev;
	unsigned long st_ino;
	unsigned long st_nlink;
	unsigned int st_mode;
	unsigned int st_uid;
	unsigned int st_gid;
	unsigned int __pad0;
	unsigned long st_rdev;
	long st_size;
	long st_blksize;
	long st_blocks;
	unsigned long st_atime;
	unsigned long st_atime_nsec;
	unsigned long st_mtime;
	unsigned long st_mtime_nsec;
	unsigned long st_ctime;
	unsigned long st_ctime_nsec;
	long __reserved[3];
};
_Static_assert(sizeof(struct stat) == 144, "x86_64 struct stat");
_Static_assert(__builtin_offsetof(struct stat, st_mode) == 24, "x86_64 st_mode");
_Static_assert(__builtin_offsetof(struct stat, st_size) == 48, "x86_64 st_size");
#elif defined(__aarch64__)
struct stat {
	unsigned long st_dev;
	unsigned long st_ino;
	unsigned int st_mode;
	unsigned int st_nlink;
	unsigned int st_uid;
	unsigned int st_gid;
	unsigned long st_rdev;
	unsigned long __pad1;
	long st_size;
	int st_blksize;
	int __pad2;
	long st_blocks;
	long st_atime;
	unsigned long st_atime_nsec;
	long st_mtime;
	unsigned long st_mtime_nsec;
	long st_ctime;
	unsigned long st_ctime_nsec;
	unsigned int __unused4;
	unsigned int __unused5;
};
_Static_assert(sizeof(struct stat) == 128, "aarch64 struct stat");
_Static_assert(__builtin_offsetof(struct stat, st_mode) == 16, "aarch64 st_mode");
_Static_assert(__builtin_offsetof(struct stat, st_size) == 48, "aarch64 st_size");
#else
#error "uapi/stat.h: x86_64 or aarch64 only"
#endif

#define S_IFMT		0170000
#define S_IFSOCK	0140000
#define S_IFLNK		0120000
#define S_IFREG		0100000
#define S_IFBLK		0060000
#define S_IFDIR		0040000
#define S_IFCHR		0020000
#define S_IFIFO		0010000
#define S_ISREG(m)	(((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m)	(((m) & S_IFMT) == S_IFDIR)
#define S_ISCHR(m)	(((m) & S_IFMT) == S_IFCHR)
#define S_ISFIFO(m)	(((m) & S_IFMT) == S_IFIFO)
#define S_ISLNK(m)	(((m) & S_IFMT) == S_IFLNK)

#endif
