/* uapi/sched.h - clone() and clone3() flags and clone3's argument (Linux's linux/sched.h values). */
#ifndef UAPI_SCHED_H
#define UAPI_SCHED_H

#define CSIGNAL			0x000000ff
#define CLONE_VM		0x00000100
#define CLONE_FS		0x00000200
#define CLONE_FILES		0x00000400
#define CLONE_SIGHAND		0x00000800
#define CLONE_VFORK		0x00004000
#define CLONE_PARENT		0x00008000
#define CLONE_THREAD		0x00010000
#define CLONE_SYSVSEM		0x00040000
#define CLONE_SETTLS		0x00080000
#define CLONE_PARENT_SETTID	0x00100000
#define CLONE_CHILD_CLEARTID	0x00200000
#define CLONE_DETACHED		0x00400000	/* ignored by clone (musl still passes it), refused by clone3 */
#define CLONE_CHILD_SETTID	0x01000000

#define CLONE_ARGS_SIZE_VER0	64	/* sizeof first published struct clone_args */

/* clone3's argument: every field 64 bits wide, whatever the pointer size. */
struct clone_args {
	unsigned long long flags;
	unsigned long long pidfd;
	unsigned long long child_tid;
	unsigned long long parent_tid;
	unsigned long long exit_signal;
	unsigned long long stack;
	unsigned long long stack_size;
	unsigned long long tls;
	unsigned long long set_tid;
	unsigned long long set_tid_size;
	unsigned long long cgroup;
};

#endif
