/* file_test: the read-only file calls the shell relies on: openat/read/lseek/fstat/
 * newfstatat/getdents64/close on the program's own binary and directory, and the
 * console ioctls. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <test.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

int main(int argc, char **argv)
{
	char dir[256], buf[4096];
	const char *self = argv[0], *base;
	struct stat st, st2;
	(void)argc;

	strlcpy(dir, self, sizeof(dir));
	char *slash = strrchr(dir, '/');
	if (slash) {
		*slash = 0;
		base = slash + 1 - dir + self;
		if (!dir[0])
			strcpy(dir, "/");
	} else {
		strcpy(dir, ".");
		base = self;
	}

	int fd = open(self, O_RDONLY);
	ok(fd >= 0, "open %s", self);
	is(read(fd, buf, 4), 4, "read 4 bytes");
	ok(!memcmp(buf, "\177ELF", 4), "the ELF magic");
	is(fstat(fd, &st), 0, "fstat");
	ok(S_ISREG(st.st_mode), "S_ISREG (mode %o)", st.st_mode);
	ok(st.st_size > 4096, "st_size is plausible (%ld)", st.st_size);
	is(lseek(fd, 0, SEEK_END), st.st_size, "lseek SEEK_END == st_size");
	is(read(fd, buf, sizeof(buf)), 0, "read at EOF returns 0");
	is(lseek(fd, 1, SEEK_SET), 1, "lseek SEEK_SET 1");
	is(read(fd, buf, 3), 3, "read 3 bytes at offset 1");
	ok(!memcmp(buf, "ELF", 3), "... are \"ELF\"");
	is(lseek(fd, 2, SEEK_CUR), 6, "lseek SEEK_CUR +2");
	is_errno(lseek(fd, -100, SEEK_SET), EINVAL, "lseek to a negative offset: EINVAL");
	long total = 0, r;
	lseek(fd, 0, SEEK_SET);
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		total += r;
	is(total, st.st_size, "reading the whole file yields st_size bytes");
	is_errno(write(fd, "x", 1), EBADF, "write to a read-only fd: EBADF");
	is(close(fd), 0, "close");
	is_errno(read(fd, buf, 1), EBADF, "read after close: EBADF");

	is(stat(self, &st2), 0, "stat (newfstatat)");
	is(st2.st_size, st.st_size, "stat and fstat agree on st_size");
	is(st2.st_ino, st.st_ino, "... and on st_ino");
	is_errno(open("/nonexistent-file", O_RDONLY), ENOENT, "open of a missing file: ENOENT");
	is_errno(stat("/nonexistent-file", &st2), ENOENT, "stat of a missing file: ENOENT");
	is_errno(open(self, O_RDONLY | O_DIRECTORY), ENOTDIR, "O_DIRECTORY on a file: ENOTDIR");

	/* The directory holding the binary. */
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	ok(dfd >= 0, "open %s O_DIRECTORY", dir);
	is(fstat(dfd, &st2), 0, "fstat of the directory");
	ok(S_ISDIR(st2.st_mode), "S_ISDIR");
	int found = 0, entries = 0, sane = 1;
	long n;
	while ((n = getdents64(dfd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < n;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
			if (d->d_reclen < 20 || d->d_reclen % 8 || off + d->d_reclen > n)
				sane = 0;
			if (!strcmp(d->d_name, base))
				found = 1 + (d->d_type == DT_REG);
			entries++;
			off += d->d_reclen ? d->d_reclen : n;
		}
	}
	is(n, 0, "getdents64 ends with 0");
	ok(sane, "dirent records are 8-byte aligned and in bounds");
	ok(found, "%s is listed in %s (%d entries)", base, dir, entries);
	ok(found == 2, "... with d_type DT_REG");
	struct stat st3;
	is(fstatat(dfd, base, &st3, 0), 0, "fstatat(dirfd, name)");
	is(st3.st_size, st.st_size, "... same size");
	/* EISDIR from Linux's generic_read_dir; some Linux file systems (fuse) say EINVAL. */
	r = read(dfd, buf, 10);
	ok(r == -1 && (errno == EISDIR || (!on_foliOS() && errno == EINVAL)),
	   "read of a directory: EISDIR (got %ld, errno %d)", r, errno);
	close(dfd);
	is_errno(getdents64(1000, buf, sizeof(buf)), EBADF, "getdents64 of a bad fd: EBADF");

	/* Console ioctls: on foliOS fd 1 is the console, elsewhere maybe a pipe. */
	struct winsize ws;
	struct termios t;
	if (on_foliOS()) {
		is(ioctl(1, TCGETS, &t), 0, "foliOS: TCGETS on the console");
		ok(!(t.c_lflag & (ECHO | ICANON)), "foliOS: the console is raw (no ECHO, no ICANON)");
		is(ioctl(1, TIOCGWINSZ, &ws), 0, "foliOS: TIOCGWINSZ on the console");
	}
	fd = open(self, O_RDONLY);
	is_errno(ioctl(fd, TCGETS, &t), ENOTTY, "TCGETS on a regular file: ENOTTY");
	close(fd);
	return done_testing();
}
