/* malloc: power-of-two size classes (32 B .. 64 KiB, 16-byte header included) carved
 * from the brk heap and kept on per-class free lists; bigger blocks get their own
 * anonymous mmap and are munmap'ed on free.  Single-threaded, 16-byte aligned. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#define HDR		16
#define MIN_SHIFT	5		/* 32 B */
#define MAX_SHIFT	16		/* 64 KiB */
#define NCLASS		(MAX_SHIFT - MIN_SHIFT + 1)
#define CHUNK		(64 * 1024)	/* brk growth step */
#define MAGIC_BRK	0xb4c0u
#define MAGIC_MMAP	0x3a9du

struct hdr {
	size_t size;		/* class size (brk) or mapping length (mmap) */
	unsigned int magic;
	unsigned int cls;
};
_Static_assert(sizeof(struct hdr) == HDR, "malloc header");

static void *free_list[NCLASS];
static char *arena_cur, *arena_end;

static int class_of(size_t total)
{
	int c = 0;

	while (((size_t)1 << (c + MIN_SHIFT)) < total)
		c++;
	return c;
}

static void *arena_alloc(size_t n)
{
	if (arena_cur && (size_t)(arena_end - arena_cur) >= n) {
		void *p = arena_cur;
		arena_cur += n;
		return p;
	}
	size_t grow = n > CHUNK ? n : CHUNK;
	char *p = sbrk(0);
	uintptr_t aligned = ((uintptr_t)p + 15) & ~(uintptr_t)15;

	if (sbrk(aligned - (uintptr_t)p + grow) == (void *)-1)
		return NULL;
	if ((char *)aligned != arena_end) /* not contiguous with the old arena */
		arena_cur = (char *)aligned;
	arena_end = (char *)aligned + grow;
	if ((size_t)(arena_end - arena_cur) < n) /* contiguous, old tail too small */
		arena_cur = (char *)aligned;
	void *r = arena_cur;
	arena_cur += n;
	return r;
}

void *malloc(size_t n)
{
	struct hdr *h;

	if (n > ((size_t)1 << 40)) {
		errno = ENOMEM;
		return NULL;
	}
	size_t total = n + HDR;
	if (total <= ((size_t)1 << MAX_SHIFT)) {
		int c = class_of(total);
		if (free_list[c]) {
			h = free_list[c];
			free_list[c] = *(void **)(h + 1);
		} else {
			h = arena_alloc((size_t)1 << (c + MIN_SHIFT));
			if (!h) {
				errno = ENOMEM;
				return NULL;
			}
		}
		h->size = (size_t)1 << (c + MIN_SHIFT);
		h->magic = MAGIC_BRK;
		h->cls = c;
		return h + 1;
	}
	size_t len = (total + 4095) & ~(size_t)4095;
	h = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (h == MAP_FAILED)
		return NULL;
	h->size = len;
	h->magic = MAGIC_MMAP;
	h->cls = 0;
	return h + 1;
}

void free(void *p)
{
	if (!p)
		return;
	struct hdr *h = (struct hdr *)p - 1;

	if (h->magic == MAGIC_MMAP) {
		munmap(h, h->size);
	} else if (h->magic == MAGIC_BRK && h->cls < NCLASS) {
		*(void **)p = free_list[h->cls];
		free_list[h->cls] = h;
	} else {
		abort();	/* not ours, or a double free of an mmap block */
	}
}

void *calloc(size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	size_t n = nmemb * size;
	void *p = malloc(n);

	if (p && ((struct hdr *)p - 1)->magic == MAGIC_BRK)
		memset(p, 0, n);	/* fresh mmap memory is already zero */
	return p;
}

void *realloc(void *p, size_t n)
{
	if (!p)
		return malloc(n);
	if (!n) {
		free(p);
		return NULL;
	}
	struct hdr *h = (struct hdr *)p - 1;
	size_t have = h->size - HDR;

	if (n <= have && (h->magic == MAGIC_MMAP || n + HDR > h->size / 2))
		return p;
	void *q = malloc(n);
	if (!q)
		return NULL;
	memcpy(q, p, n < have ? n : have);
	free(p);
	return q;
}
