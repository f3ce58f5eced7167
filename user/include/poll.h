/* poll(), ppoll(); struct pollfd and the POLL* bits are <uapi/poll.h>'s. */
#ifndef _POLL_H
#define _POLL_H
#include <signal.h>
#include <time.h>
#include <uapi/poll.h>
typedef unsigned long nfds_t;
int poll(struct pollfd *fds, nfds_t n, int timeout_ms);
int ppoll(struct pollfd *fds, nfds_t n, const struct timespec *ts, const sigset_t *mask);
#endif
