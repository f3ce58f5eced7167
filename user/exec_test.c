/* exec_test: execve passes argv and envp intact, builds a Linux initial stack with a
 * sane auxv, replaces the old address space, and reports errors. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <test.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define MARK_ADDR 0x0000100000000000UL	/* a MAP_FIXED page the exec must drop */
#define NBIG 200

struct elf64_ehdr {
	unsigned char e_ident[16];
	uint16_t e_type, e_machine;
	uint32_t e_version;
	uint64_t e_entry, e_phoff, e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

extern char _start[];

/* Modes of the re-executed image; each exits 0 when all is as expected. */
static int child_args(int argc, char **argv, char **envp)
{
	int bad = 0;
	bad |= (argc != 5) << 0;
	bad |= (argc > 2 && strcmp(argv[2], "arg with spaces")) << 1;
	bad |= (argc > 3 && strcmp(argv[3], "")) << 2;
	bad |= (argc > 4 && strcmp(argv[4], "last")) << 3;
	bad |= (argv[argc] != NULL) << 4;
	bad |= (!envp[0] || strcmp(envp[0], "FOO=bar") || !envp[1] || strcmp(envp[1], "EMPTY=") ||
		envp[2]) << 5;
	bad |= (!getenv("FOO") || strcmp(getenv("FOO"), "bar")) << 6;
	return bad;
}

static int child_fresh(void)
{
	/* The page mapped before exec must be gone. */
	void *p = mmap((void *)MARK_ADDR, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	return p == (void *)MARK_ADDR ? 0 : 1;
}

static int child_big(int argc, char **argv)
{
	if (argc != NBIG + 2)
		return 1;
	for (int i = 0; i < NBIG; i++) {
		char want[128];
		snprintf(want, sizeof(want), "argument-%03d-%s", i,
			 "padding-padding-padding-padding-padding-padding-padding-padding");
		if (strcmp(argv[i + 2], want))
			return 2;
	}
	return 0;
}

static int spawn(char *const argv[], char *const envp[])
{
	int status = -1, pid = fork();

	if (pid == 0) {
		execve(argv[0], argv, envp);
		_exit(100 + errno);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

int main(int argc, char **argv, char **envp)
{
	if (argc >= 2 && !strcmp(argv[1], "args"))
		return child_args(argc, argv, envp);
	if (argc >= 2 && !strcmp(argv[1], "fresh"))
		return child_fresh();
	if (argc >= 2 && !strcmp(argv[1], "big"))
		return child_big(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "exit77"))
		return 77;

	/* The initial stack of this very process. */
	ok(argc >= 1 && argv[argc] == NULL, "argv[argc] == NULL");
	ok(((uintptr_t)argv & 7) == 0, "argv is 8-byte aligned");
	ok((char **)envp == argv + argc + 1, "envp follows argv's NULL");
	is(getauxval(AT_PAGESZ), 4096, "AT_PAGESZ == 4096");
	const struct elf64_ehdr *eh = (const void *)0x400000;
	ok(!memcmp(eh->e_ident, "\177ELF", 4), "the ELF header is mapped at 0x400000");
	is(getauxval(AT_PHDR), 0x400000 + eh->e_phoff, "AT_PHDR points at the program headers");
	is(getauxval(AT_PHNUM), eh->e_phnum, "AT_PHNUM == e_phnum");
	is(getauxval(AT_PHENT), 56, "AT_PHENT == 56");
	is(getauxval(AT_ENTRY), (uintptr_t)_start, "AT_ENTRY == _start");
	const unsigned char *rnd = (const void *)getauxval(AT_RANDOM);
	ok(rnd != NULL, "AT_RANDOM present");
	if (rnd) {
		int nz = 0;
		for (int i = 0; i < 16; i++)
			nz |= rnd[i];
		ok(nz, "AT_RANDOM's 16 bytes are not all zero");
	}

	/* execve with arguments and environment. */
	char *a_argv[] = { argv[0], "args", "arg with spaces", "", "last", NULL };
	char *a_envp[] = { "FOO=bar", "EMPTY=", NULL };
	is(spawn(a_argv, a_envp), 0, "execve passes argv (with an empty string) and envp intact");

	/* Memory from before the exec is gone after it. */
	int status = -1, pid = fork();
	if (pid == 0) {
		void *p = mmap((void *)MARK_ADDR, 4096, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		if (p != (void *)MARK_ADDR)
			_exit(50);
		*(volatile int *)p = 1;
		char *f_argv[] = { argv[0], "fresh", NULL };
		execve(argv[0], f_argv, envp);
		_exit(51);
	}
	waitpid(pid, &status, 0);
	is(status, 0, "execve replaces the whole address space");

	/* Return value of main is the exit status. */
	char *e_argv[] = { argv[0], "exit77", NULL };
	status = spawn(e_argv, envp);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 77, "main's return value is the exit status");

	/* ~27 KiB of arguments. */
	static char bigbuf[NBIG][128];
	static char *b_argv[NBIG + 3];
	b_argv[0] = argv[0];
	b_argv[1] = "big";
	for (int i = 0; i < NBIG; i++) {
		snprintf(bigbuf[i], sizeof(bigbuf[i]), "argument-%03d-%s", i,
			 "padding-padding-padding-padding-padding-padding-padding-padding");
		b_argv[i + 2] = bigbuf[i];
	}
	is(spawn(b_argv, envp), 0, "execve with 200 arguments (~27 KiB)");

	/* Errors: the process continues. */
	char *n_argv[] = { "/nonexistent/program", NULL };
	is_errno(execve(n_argv[0], n_argv, envp), ENOENT, "execve of a missing file: ENOENT");
	is_errno(execve((const char *)1, n_argv, envp), EFAULT, "execve of a bad path pointer: EFAULT");
	static volatile uintptr_t one = 1;	/* hidden from gcc's bounds checks */
	is_errno(execve(argv[0], (char *const *)one, envp), EFAULT, "execve with a bad argv pointer: EFAULT");
	return done_testing();
}
