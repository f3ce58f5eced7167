/* memfd.h - memfd_create(2) flags and name limit (Linux's include/uapi/linux/memfd.h). */
#ifndef UAPI_MEMFD_H
#define UAPI_MEMFD_H

#define MFD_CLOEXEC		0x0001U
#define MFD_ALLOW_SEALING	0x0002U
#define MFD_HUGETLB		0x0004U	/* foliOS has no hugetlbfs: -EINVAL */
#define MFD_NOEXEC_SEAL		0x0008U
#define MFD_EXEC		0x0010U

/* The longest name: NAME_MAX (255) minus "memfd:" (Linux's MFD_NAME_MAX_LEN). */
#define MFD_NAME_PREFIX		"memfd:"
#define MFD_NAME_MAX_LEN	249

#endif
