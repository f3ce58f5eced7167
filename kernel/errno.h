/*
 * errno.h - the kernel-only error codes of system-call restarting (Linux's
 * include/linux/errno.h values).  A call that a signal interrupts returns
 * one of them; user space never sees them: on the way back to user mode
 * (kernel/signal.c) the call is restarted (the arch rewinds the PC and
 * puts back the argument register the result overwrote) or fails with
 * -EINTR:
 *
 *   code            handler, SA_RESTART   handler, no SA_RESTART   no handler
 *   ERESTARTSYS     restart               -EINTR                   restart
 *   ERESTARTNOINTR  restart               restart                  restart
 *   ERESTARTNOHAND  -EINTR                -EINTR                   restart
 *
 * (Linux's ERESTART_RESTARTBLOCK, 516, needs restart_syscall: foliOS's
 * nanosleep returns -EINTR instead, which is what Linux's gives whenever a
 * handler runs; without a handler the signal kills or was never queued.)
 */
#ifndef KERNEL_ERRNO_H
#define KERNEL_ERRNO_H

#include <uapi/errno.h>

#define ERESTARTSYS	512
#define ERESTARTNOINTR	513
#define ERESTARTNOHAND	514

#endif
