/* getrusage, prlimit; struct rusage and struct rlimit are <uapi/resource.h>'s. */
#ifndef _SYS_RESOURCE_H
#define _SYS_RESOURCE_H
#include <sys/time.h>
#include <uapi/resource.h>
int getrusage(int who, struct rusage *ru);
int prlimit(pid_t pid, int resource, const struct rlimit *new_limit, struct rlimit *old);
int getrlimit(int resource, struct rlimit *rl);
int setrlimit(int resource, const struct rlimit *rl);
#endif
