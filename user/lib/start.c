/* Process start-up: crt0 hands over the initial stack pointer. */
#include <stdlib.h>
#include <unistd.h>
#include <sys/auxv.h>

int main(int argc, char **argv, char **envp);

int errno;
char **environ;
unsigned long *__auxv;
static char *empty_env[1];
static unsigned long empty_auxv[2];

void __libc_start(long *sp) __attribute__((noreturn, used));
void __libc_start(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;
	char **p = envp;

	while (*p)
		p++;
	__auxv = (unsigned long *)(p + 1);
	environ = envp;
	if (!environ)
		environ = empty_env;
	if (!__auxv)
		__auxv = empty_auxv;
	exit(main(argc, argv, envp));
}

unsigned long getauxval(unsigned long type)
{
	for (unsigned long *a = __auxv; a && a[0] != AT_NULL; a += 2)
		if (a[0] == type)
			return a[1];
	errno = 2; /* ENOENT, like glibc */
	return 0;
}

void exit(int status)
{
	/* Nothing buffered to flush: stdio writes through. */
	_exit(status);
}
