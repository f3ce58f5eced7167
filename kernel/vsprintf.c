/*
 * vsprintf.c - vsnprintf and snprintf: standard conversions only
 * (d i u x X o c s p %), flags '-' '0' '#', width (or *), precision (or .*) for %s,
 * length modifiers hh h l ll z t.  Output is always NUL terminated when
 * size > 0; the return value is the length the full output would have.
 */
#include "kernel/printk.h"
#include "kernel/string.h"

struct outbuf {
	char *buf;
	size_t size;
	size_t len;
};

static void out_char(struct outbuf *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_pad(struct outbuf *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

struct spec {
	bool left, zero, alt;
	int width, prec;
};

static void out_str(struct outbuf *o, const char *s, const struct spec *sp)
{
	size_t n;

	if (!s)
		s = "(null)";
	n = sp->prec >= 0 ? strnlen(s, (size_t)sp->prec) : strlen(s);
	if (!sp->left)
		out_pad(o, ' ', sp->width - (int)n);
	for (size_t i = 0; i < n; i++)
		out_char(o, s[i]);
	if (sp->left)
		out_pad(o, ' ', sp->width - (int)n);
}

/* Print v in base with the sign/prefix, padding per sp. */
static void out_num(struct outbuf *o, unsigned long long v, bool neg, unsigned int base, bool upper,
		    const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24], prefix[3] = "";
	int n = 0, plen, pad;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (neg)
		prefix[0] = '-';
	else if (sp->alt && base == 16)
		prefix[0] = '0', prefix[1] = upper ? 'X' : 'x';
	else if (sp->alt && base == 8 && tmp[n - 1] != '0')
		prefix[0] = '0';
	plen = (int)strlen(prefix);
	pad = sp->width - n - plen;
	if (!sp->left && !sp->zero)
		out_pad(o, ' ', pad);
	for (int i = 0; i < plen; i++)
		out_char(o, prefix[i]);
	if (!sp->left && sp->zero)
		out_pad(o, '0', pad);
	while (n)
		out_char(o, tmp[--n]);
	if (sp->left)
		out_pad(o, ' ', pad);
}

/* Parse flags, width and precision at *fmt; advances *fmt. */
static void parse_spec(const char **fmt, struct spec *sp, va_list *ap)
{
	const char *f = *fmt;

	*sp = (struct spec){ .prec = -1 };
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else if (*f == '#')
			sp->alt = true;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		f++;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	if (*f == '.' && f[1] == '*') {
		sp->prec = va_arg(*ap, int);	/* negative: no precision */
		f += 2;
	} else if (*f == '.') {
		sp->prec = 0;
		for (f++; *f >= '0' && *f <= '9'; f++)
			sp->prec = sp->prec * 10 + (*f - '0');
	}
	*fmt = f;
}

/* Length modifier: returns 0 int, 1 long, 2 long long, -1 char, -2 short. */
static int parse_length(const char **fmt)
{
	const char *f = *fmt;
	int len = 0;

	if (f[0] == 'h' && f[1] == 'h')
		len = -1, f += 2;
	else if (f[0] == 'h')
		len = -2, f++;
	else if (f[0] == 'l' && f[1] == 'l')
		len = 2, f += 2;
	else if (f[0] == 'l' || f[0] == 'z' || f[0] == 't')
		len = 1, f++;
	*fmt = f;
	return len;
}

static unsigned long long arg_unsigned(va_list *ap, int len)
{
	switch (len) {
	case 2: return va_arg(*ap, unsigned long long);
	case 1: return va_arg(*ap, unsigned long);
	case -1: return (unsigned char)va_arg(*ap, unsigned int);
	case -2: return (unsigned short)va_arg(*ap, unsigned int);
	default: return va_arg(*ap, unsigned int);
	}
}

static long long arg_signed(va_list *ap, int len)
{
	switch (len) {
	case 2: return va_arg(*ap, long long);
	case 1: return va_arg(*ap, long);
	case -1: return (signed char)va_arg(*ap, int);
	case -2: return (short)va_arg(*ap, int);
	default: return va_arg(*ap, int);
	}
}

static void out_conv(struct outbuf *o, char c, int len, struct spec *sp, va_list *ap)
{
	long long s;

	switch (c) {
	case 'd':
	case 'i':
		s = arg_signed(ap, len);
		out_num(o, s < 0 ? -(unsigned long long)s : (unsigned long long)s, s < 0, 10, false, sp);
		break;
	case 'u': out_num(o, arg_unsigned(ap, len), false, 10, false, sp); break;
	case 'x': out_num(o, arg_unsigned(ap, len), false, 16, false, sp); break;
	case 'X': out_num(o, arg_unsigned(ap, len), false, 16, true, sp); break;
	case 'o': out_num(o, arg_unsigned(ap, len), false, 8, false, sp); break;
	case 'p':
		sp->alt = true;
		out_num(o, (unsigned long)va_arg(*ap, void *), false, 16, false, sp);
		break;
	case 'c': {
		char ch[2] = { (char)va_arg(*ap, int), 0 };

		out_str(o, ch, sp);
		break;
	}
	case 's': out_str(o, va_arg(*ap, const char *), sp); break;
	case '%': out_char(o, '%'); break;
	default:
		out_char(o, '%');
		out_char(o, c);
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct outbuf o = { buf, size, 0 };
	va_list aq;

	va_copy(aq, ap);
	while (*fmt) {
		struct spec sp;
		int len;

		if (*fmt != '%') {
			out_char(&o, *fmt++);
			continue;
		}
		fmt++;
		parse_spec(&fmt, &sp, &aq);
		len = parse_length(&fmt);
		if (!*fmt)
			break;
		out_conv(&o, *fmt++, len, &sp, &aq);
	}
	va_end(aq);
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
