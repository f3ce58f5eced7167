/* A small printf: %d %i %u %x %X %o %p %s %c %%, length h hh l ll z t j, flags '-' '0'
 * ' ' '+' '#', width and precision (also '*').  Output to an fd is collected in a
 * buffer and written with as few write() calls as possible (one per call if < 1 KiB). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct sink {
	char *buf;	/* snprintf target, or the fd buffer */
	size_t cap;	/* bytes available in buf (snprintf: n - 1) */
	size_t len;	/* bytes stored in buf */
	size_t total;	/* bytes that would have been written */
	int fd;		/* -1 for snprintf */
};

static void flush(struct sink *s)
{
	size_t off = 0;

	while (off < s->len) {
		ssize_t r = write(s->fd, s->buf + off, s->len - off);
		if (r <= 0)
			break;
		off += r;
	}
	s->len = 0;
}

static void put(struct sink *s, char c)
{
	s->total++;
	if (s->len == s->cap) {
		if (s->fd < 0)
			return;
		flush(s);
	}
	s->buf[s->len++] = c;
}

static void pad(struct sink *s, char c, int n)
{
	while (n-- > 0)
		put(s, c);
}

static int format(struct sink *s, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(s, *fmt);
			continue;
		}
		int left = 0, zero = 0, plus = 0, space = 0, alt = 0, width = 0, prec = -1, lng = 0;

		for (;; ) {
			char f = *++fmt;
			if (f == '-') left = 1;
			else if (f == '0') zero = 1;
			else if (f == '+') plus = 1;
			else if (f == ' ') space = 1;
			else if (f == '#') alt = 1;
			else break;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			if (width < 0)
				left = 1, width = -width;
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				width = width * 10 + (*fmt++ - '0');
		}
		if (*fmt == '.') {
			fmt++;
			prec = 0;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					prec = prec * 10 + (*fmt++ - '0');
			}
		}
		for (;; fmt++) {
			if (*fmt == 'l') lng++;
			else if (*fmt == 'z' || *fmt == 't' || *fmt == 'j') lng = 2;
			else if (*fmt == 'h') ;
			else break;
		}

		char c = *fmt, tmp[24];
		const char *str = tmp;
		int len = 0, neg = 0, base = 10, upper = 0;
		unsigned long long v = 0;
		const char *prefix = "";

		switch (c) {
		case 'd': case 'i': {
			long long x = lng ? va_arg(ap, long long) : va_arg(ap, int);
			neg = x < 0;
			v = neg ? -(unsigned long long)x : (unsigned long long)x;
			goto number;
		}
		case 'p':
			v = (uintptr_t)va_arg(ap, void *);
			base = 16;
			prefix = "0x";
			goto number;
		case 'x': case 'X': case 'o': case 'u':
			v = lng ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned int);
			base = c == 'u' ? 10 : c == 'o' ? 8 : 16;
			upper = c == 'X';
			if (alt && v && base == 16)
				prefix = upper ? "0X" : "0x";
			if (alt && base == 8)
				prefix = "0";
		number: {
			const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
			char *p = tmp + sizeof(tmp);
			do {
				*--p = digits[v % base];
				v /= base;
			} while (v);
			if (prec == 0 && p[0] == '0' && p + 1 == tmp + sizeof(tmp))
				p++;	/* "%.0d" of 0 prints nothing */
			str = p;
			len = tmp + sizeof(tmp) - p;
			if (neg) prefix = "-";
			else if (plus && (c == 'd' || c == 'i')) prefix = "+";
			else if (space && (c == 'd' || c == 'i')) prefix = " ";
			int plen = strlen(prefix);
			int zeros = prec > len ? prec - len : 0;
			if (zero && !left && prec < 0 && width > plen + len)
				zeros = width - plen - len;
			int fill = width - plen - zeros - len;
			if (!left) pad(s, ' ', fill);
			while (*prefix) put(s, *prefix++);
			pad(s, '0', zeros);
			for (int i = 0; i < len; i++) put(s, str[i]);
			if (left) pad(s, ' ', fill);
			continue;
		}
		case 's':
			str = va_arg(ap, const char *);
			if (!str) str = "(null)";
			len = prec >= 0 ? (int)strnlen(str, prec) : (int)strlen(str);
			break;
		case 'c':
			tmp[0] = (char)va_arg(ap, int);
			len = 1;
			break;
		case '%':
			tmp[0] = '%';
			len = 1;
			break;
		case 0:
			fmt--;
			continue;
		default:
			tmp[0] = '%';
			tmp[1] = c;
			len = 2;
			break;
		}
		if (!left) pad(s, ' ', width - len);
		for (int i = 0; i < len; i++) put(s, str[i]);
		if (left) pad(s, ' ', width - len);
	}
	return (int)s->total;
}

int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
	struct sink s = { buf, n ? n - 1 : 0, 0, 0, -1 };
	int r = format(&s, fmt, ap);

	if (n)
		buf[s.len] = 0;
	return r;
}

int snprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return r;
}

int sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vsnprintf(buf, (size_t)1 << 30, fmt, ap);
	va_end(ap);
	return r;
}

int vdprintf(int fd, const char *fmt, va_list ap)
{
	char buf[1024];
	struct sink s = { buf, sizeof(buf), 0, 0, fd };
	int r = format(&s, fmt, ap);

	flush(&s);
	return r;
}

int dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vdprintf(fd, fmt, ap);
	va_end(ap);
	return r;
}

static FILE files[3] = { { 0 }, { 1 }, { 2 } };
FILE *stdin = &files[0], *stdout = &files[1], *stderr = &files[2];

int vprintf(const char *fmt, va_list ap) { return vdprintf(1, fmt, ap); }
int vfprintf(FILE *f, const char *fmt, va_list ap) { return vdprintf(f->fd, fmt, ap); }

int printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vdprintf(1, fmt, ap);
	va_end(ap);
	return r;
}

int fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vdprintf(f->fd, fmt, ap);
	va_end(ap);
	return r;
}

int fputs(const char *str, FILE *f)
{
	return write(f->fd, str, strlen(str)) < 0 ? EOF : 0;
}

int puts(const char *str)
{
	return dprintf(1, "%s\n", str) < 0 ? EOF : 0;
}

int putchar(int c)
{
	char ch = (char)c;
	return write(1, &ch, 1) == 1 ? (unsigned char)c : EOF;
}
