/* uapi/wait.h - wait4() options (Linux's linux/wait.h values). */
#ifndef UAPI_WAIT_H
#define UAPI_WAIT_H

#define WNOHANG		0x00000001
#define WUNTRACED	0x00000002
#define __WALL		0x40000000
#define __WCLONE	0x80000000

#endif
