/* hello: smoke test for execve with arguments, environment and auxv. */
#include <stdio.h>
#include <sys/auxv.h>
#include <sys/utsname.h>

int main(int argc, char **argv, char **envp)
{
	struct utsname u;

	if (uname(&u) < 0)
		return 1;
	printf("hello from %s (%s)\n", u.sysname, u.machine);
	for (int i = 0; i < argc; i++)
		printf("argv[%d] = \"%s\"\n", i, argv[i]);
	for (int i = 0; envp[i]; i++)
		printf("envp[%d] = \"%s\"\n", i, envp[i]);
	printf("auxv: AT_PAGESZ=%lu AT_PHDR=%#lx AT_PHNUM=%lu AT_ENTRY=%#lx AT_RANDOM=%#lx\n",
	       getauxval(AT_PAGESZ), getauxval(AT_PHDR), getauxval(AT_PHNUM),
	       getauxval(AT_ENTRY), getauxval(AT_RANDOM));
	return 0;
}
