/*
 * test_foliotrace.c - host tests of the trace tools (make foliotrace-test,
 * under ASan+UBSan): the parser's exact error and offset for each kind of
 * truncated, corrupt or wrong-version trace, every prefix and random byte
 * flips of a valid trace parsed without a crash, and each generator's exact
 * event counts.  TAP lines, then "N passed, N failed".
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uapi/mman.h>
#include "tools/policylab/ftgen.h"
#include "tools/policylab/ftparse.h"

static unsigned int n_run, n_failed;

static void ok(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	n_run++;
	n_failed += !cond;
	printf("%s %u - ", cond ? "ok" : "not ok", n_run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/*
 * The base trace and its layout: header 64 (cmdline "t"), execve @64 (32),
 * vma @96 (40), mmap @136 (64), 4 faults @200..296 (32 each), munmap @328
 * (48), exit @376 (24), end @400 (32): 432 bytes, 9 events.
 */
#define OFF_EXECVE	64
#define OFF_VMA		96
#define OFF_FAULT	200
#define OFF_END		400
#define BASE_LEN	432

static void base_trace(struct ft_writer *w)
{
	ftw_init(w, FT_ARCH_X86_64, FT_MODE_ORDER0, "t");
	ftw_execve(w, 1, "/gen/seq");
	ftw_vma(w, 1, 0x7fffffff0000ULL, 0x7ffffffff000ULL, PROT_READ | PROT_WRITE, FT_VMA_GROWSDOWN);
	ftw_mmap(w, 1, 0, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, 0x7f0000000000LL);
	for (int i = 0; i < 4; i++)
		ftw_fault(w, 1, 0x7f0000000000ULL + i * 4096, FT_ACC_WRITE, FT_OUT_ALLOC, 0);
	ftw_range(w, FT_MUNMAP, 1, 0x7f0000000000ULL, 4 * 4096, 0, 0);
	ftw_exit(w, 1, 0);
	ftw_end(w);
}

struct corrupt_case {
	bool v2;		/* a mutation of the version-2 records' trace (else the base trace) */
	const char *name;
	void (*mutate)(uint8_t *buf, size_t *len);
	uint64_t offset;
	const char *msg;
};

/*
 * Version 2's records: header 64 (cmdline "t"), knob @64 (48: "folio/policy"
 * = "reserve"), fill @112 (32: order 4, mapped 2), fault @144 (32), end @176
 * (32): 208 bytes, 3 events.
 */
#define V2_KNOB		64
#define V2_KNOB_TEXT	(V2_KNOB + 24)
#define V2_FILL		112
#define V2_LEN		208

static void v2_trace(struct ft_writer *w)
{
	ftw_init(w, FT_ARCH_ARM64, FT_MODE_LARGE, "t");
	ftw_knob(w, 1, "folio/policy", "reserve", 8);
	ftw_fill(w, 1, 0x7f0000001000ULL, 4, 2);
	ftw_fault(w, 1, 0x7f0000001000ULL, FT_ACC_WRITE, FT_OUT_NONE, FT_ORDER_NONE);
	ftw_end(w);
}

static void m_v1(uint8_t *b, size_t *len) { (void)len; b[8] = 1; }
static void m_fill_order0(uint8_t *b, size_t *len) { (void)len; b[V2_FILL + 24] = 0; }
static void m_fill_order(uint8_t *b, size_t *len) { (void)len; b[V2_FILL + 24] = 10; }
static void m_fill_mapped0(uint8_t *b, size_t *len) { (void)len; memset(b + V2_FILL + 28, 0, 4); }
static void m_fill_mapped(uint8_t *b, size_t *len) { (void)len; b[V2_FILL + 28] = 17; }
static void m_fill_len(uint8_t *b, size_t *len) { (void)len; b[V2_FILL + 1] = 40; }
static void m_fill_flags(uint8_t *b, size_t *len) { (void)len; b[V2_FILL + 2] = 1; }
static void m_knob_flags(uint8_t *b, size_t *len) { (void)len; b[V2_KNOB + 2] = 2; }
static void m_knob_len(uint8_t *b, size_t *len) { (void)len; b[V2_KNOB + 1] = 24; }
static void m_knob_cut(uint8_t *b, size_t *len) { (void)b; *len = V2_KNOB + 40; }
static void m_knob_empty(uint8_t *b, size_t *len) { (void)len; b[V2_KNOB_TEXT] = 0; }
static void m_knob_path(uint8_t *b, size_t *len) { (void)len; memset(b + V2_KNOB_TEXT, 'a', 24); }
static void m_knob_value(uint8_t *b, size_t *len) { (void)len; memset(b + V2_KNOB_TEXT + 13, 'x', 11); }

static void m_empty(uint8_t *b, size_t *len) { (void)b; *len = 0; }
static void m_short(uint8_t *b, size_t *len) { (void)b; *len = 30; }
static void m_magic(uint8_t *b, size_t *len) { (void)len; b[3] ^= 0x20; }
static void m_version(uint8_t *b, size_t *len) { (void)len; b[8] = 3; }
static void m_version0(uint8_t *b, size_t *len) { (void)len; b[8] = 0; }
static void m_hlen_odd(uint8_t *b, size_t *len) { (void)len; b[10] = 60; }
static void m_hlen_big(uint8_t *b, size_t *len) { (void)len; b[10] = 4000 & 0xff; b[11] = 4000 >> 8; }
static void m_arch(uint8_t *b, size_t *len) { (void)len; b[12] = 7; }
static void m_pshift(uint8_t *b, size_t *len) { (void)len; b[13] = 16; }
static void m_mode(uint8_t *b, size_t *len) { (void)len; b[14] = 3; }
static void m_thp(uint8_t *b, size_t *len) { (void)len; b[17 + 4] = 9; }
static void m_cmdline(uint8_t *b, size_t *len) { (void)len; memset(b + 56, 'x', 8); }
static void m_cut_rec(uint8_t *b, size_t *len) { (void)b; *len = OFF_FAULT + 20; }
static void m_cut_hdr(uint8_t *b, size_t *len) { (void)b; *len = OFF_FAULT + 5; }
static void m_no_end(uint8_t *b, size_t *len) { (void)b; *len = OFF_END; }
static void m_type(uint8_t *b, size_t *len) { (void)len; b[OFF_FAULT] = 99; }
static void m_type0(uint8_t *b, size_t *len) { (void)len; b[OFF_FAULT] = 0; }
static void m_len0(uint8_t *b, size_t *len) { (void)len; b[OFF_FAULT + 1] = 0; }
static void m_len_odd(uint8_t *b, size_t *len) { (void)len; b[OFF_FAULT + 1] = 33; }
static void m_len_size(uint8_t *b, size_t *len) { (void)len; b[OFF_FAULT + 1] = 40; }
static void m_acc(uint8_t *b, size_t *len) { (void)len; b[OFF_FAULT + 2] |= 3; }
static void m_out(uint8_t *b, size_t *len) { (void)len; b[OFF_FAULT + 2] = 0x91; }
static void m_order(uint8_t *b, size_t *len) { (void)len; b[OFF_FAULT + 24] = 12; }
static void m_path(uint8_t *b, size_t *len) { (void)len; memset(b + OFF_EXECVE + 16, 'a', 16); }
static void m_vma(uint8_t *b, size_t *len) { (void)len; memset(b + OFF_VMA + 16, 0xff, 8); }
static void m_flags(uint8_t *b, size_t *len) { (void)len; b[OFF_VMA + 2] = 1; }
static void m_count(uint8_t *b, size_t *len) { (void)len; b[OFF_END + 16] = 8; }
static void m_trailing(uint8_t *b, size_t *len) { memset(b + BASE_LEN, 0, 8); *len = BASE_LEN + 8; }

static const struct corrupt_case cases[] = {
	{ false, "empty file", m_empty, 0, "truncated header: 0 bytes, the header needs 56" },
	{ false, "short header", m_short, 30, "truncated header: 30 bytes, the header needs 56" },
	{ false, "bad magic", m_magic, 0, "not a foliotrace: bad magic" },
	{ false, "wrong version", m_version, 8, "unsupported version 3 (this parser reads versions 1 to 2)" },
	{ false, "version 0", m_version0, 8, "unsupported version 0 (this parser reads versions 1 to 2)" },
	{ false, "header_len not a multiple of 8", m_hlen_odd, 10, "corrupt header: header_len 60" },
	{ false, "header_len past the end", m_hlen_big, 432, "truncated header: 432 bytes, header_len says 4000" },
	{ false, "unknown arch", m_arch, 12, "corrupt header: arch 7" },
	{ false, "page size", m_pshift, 13, "corrupt header: page_shift 16" },
	{ false, "mode", m_mode, 14, "corrupt header: mode 3" },
	{ false, "per-size mode", m_thp, 21, "corrupt header: thp_mode[4] 9" },
	{ false, "cmdline without NUL", m_cmdline, 56, "corrupt header: command line not NUL-terminated" },
	{ false, "truncated record body", m_cut_rec, 220, "truncated record at offset 200: fault needs 32 bytes, 20 left" },
	{ false, "truncated record header", m_cut_hdr, 200,
	  "truncated record at offset 200: 5 bytes left, a record header needs 16" },
	{ false, "no FT_END", m_no_end, 400, "truncated trace: no FT_END record after 9 events" },
	{ false, "unknown type", m_type, 200, "corrupt record at offset 200: unknown type 99 (version 2)" },
	{ false, "type 0", m_type0, 200, "corrupt record at offset 200: unknown type 0 (version 2)" },
	{ false, "length 0", m_len0, 201, "corrupt record at offset 200: length 0 is not a multiple of 8 of at least 16" },
	{ false, "odd length", m_len_odd, 201, "corrupt record at offset 200: length 33 is not a multiple of 8 of at least 16" },
	{ false, "wrong size for its type", m_len_size, 201, "corrupt record at offset 200: fault of length 40 (expected 32)" },
	{ false, "fault access", m_acc, 202, "corrupt record at offset 200: fault flags 0x17" },
	{ false, "fault outcome", m_out, 202, "corrupt record at offset 200: fault flags 0x91" },
	{ false, "fault order", m_order, 224, "corrupt record at offset 200: fault order 12" },
	{ false, "execve path without NUL", m_path, 80, "corrupt record at offset 64: execve path not NUL-terminated" },
	{ false, "vma end below start", m_vma, 112,
	  "corrupt record at offset 96: vma 0xffffffffffffffff-0x7ffffffff000" },
	{ false, "flags on a vma", m_flags, 98, "corrupt record at offset 96: vma flags 0x1" },
	{ false, "FT_END count", m_count, 416, "corrupt trace: FT_END at offset 400 counts 8 events, the trace holds 9" },
	{ false, "bytes after FT_END", m_trailing, 432, "corrupt trace: 8 bytes after FT_END" },
	{ true, "version 1 with a knob record", m_v1, 64, "corrupt record at offset 64: unknown type 15 (version 1)" },
	{ true, "fill of order 0", m_fill_order0, 136, "corrupt record at offset 112: fill of order 0" },
	{ true, "fill of order 10", m_fill_order, 136, "corrupt record at offset 112: fill of order 10" },
	{ true, "fill mapping none", m_fill_mapped0, 140, "corrupt record at offset 112: fill with 0 of 16 pages mapped" },
	{ true, "fill mapping more than its folio", m_fill_mapped, 140,
	  "corrupt record at offset 112: fill with 17 of 16 pages mapped" },
	{ true, "fill of the wrong size", m_fill_len, 113, "corrupt record at offset 112: fill of length 40 (expected 32)" },
	{ true, "flags on a fill", m_fill_flags, 114, "corrupt record at offset 112: fill flags 0x1" },
	{ true, "knob flags", m_knob_flags, 66, "corrupt record at offset 64: knob flags 0x2" },
	{ true, "knob without text", m_knob_len, 65,
	  "corrupt record at offset 64: knob of length 24 (expected more than 24)" },
	{ true, "truncated knob", m_knob_cut, 104, "truncated record at offset 64: knob needs 48 bytes, 40 left" },
	{ true, "knob path empty", m_knob_empty, 88, "corrupt record at offset 64: knob path empty" },
	{ true, "knob path without NUL", m_knob_path, 88, "corrupt record at offset 64: knob path not NUL-terminated" },
	{ true, "knob value without NUL", m_knob_value, 101,
	  "corrupt record at offset 64: knob value not NUL-terminated" },
};


static int count_rec(void *ctx, const struct ft_hdr *r, uint64_t off)
{
	(void)r;
	(void)off;
	++*(unsigned long *)ctx;
	return 0;
}

static void test_corrupt_table(const struct ft_writer *v1_base, const struct ft_writer *v2_base)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct corrupt_case *c = &cases[i];
		const struct ft_writer *base = c->v2 ? v2_base : v1_base;
		size_t len = base->len;
		uint8_t *buf = malloc(base->len + 8);
		unsigned long n = 0;
		struct ft_visitor v = { &n, NULL, count_rec };
		struct ft_error err = { 0 };
		int ret;

		memcpy(buf, base->buf, base->len);
		c->mutate(buf, &len);
		ret = ft_parse(buf, len, &v, &err);
		ok(ret == -1 && err.offset == c->offset && !strcmp(err.msg, c->msg),
		   "parser rejects %s: offset %llu \"%s\" (got %d, %llu \"%s\")", c->name,
		   (unsigned long long)c->offset, c->msg, ret, (unsigned long long)err.offset, err.msg);
		free(buf);
	}
}

/* base parses whole as `records` records of `len` bytes, and every proper prefix is "truncated". */
static void test_base_and_prefixes(const struct ft_writer *base, const char *name, size_t len, unsigned long records)
{
	unsigned long n = 0, bad = 0;
	struct ft_visitor v = { &n, NULL, count_rec };
	struct ft_error err;

	int ret = ft_parse(base->buf, base->len, &v, &err);

	ok(base->len == len && ret == 0 && n == records,
	   "the %s trace is %zu bytes and parses: %lu records with FT_END (len %zu, visited %lu)", name, len, records,
	   base->len, n);
	for (size_t len = 0; len < base->len; len++) {
		uint8_t *copy = malloc(len ? len : 1);	/* exactly len bytes: ASan sees any overread */

		memcpy(copy, base->buf, len);
		if (ft_parse(copy, len, &v, &err) != -1 || err.offset > len || strncmp(err.msg, "truncated", 9))
			bad++;
		free(copy);
	}
	ok(bad == 0, "every one of the %zu proper prefixes is \"truncated ...\" at an offset inside it (%lu not)",
	   base->len, bad);
}

/* Version 1 (no FT_FILL, FT_KNOB) still parses: the base trace as its version-1 writer made it. */
static void test_version1(const struct ft_writer *base)
{
	uint8_t *copy = malloc(base->len);
	unsigned long n = 0;
	struct ft_visitor v = { &n, NULL, count_rec };
	struct ft_error err;

	memcpy(copy, base->buf, base->len);
	copy[8] = 1;
	ok(ft_parse(copy, base->len, &v, &err) == 0 && n == 10, "a version-1 trace parses (%lu records)", n);
	free(copy);
}

/* Random byte flips (a small deterministic fuzz): never a crash, every error inside the buffer. */
static void test_flips(const struct ft_writer *base)
{
	uint64_t s = 12345;
	unsigned long rejected = 0, bad = 0;
	const unsigned long rounds = 20000;

	for (unsigned long r = 0; r < rounds; r++) {
		uint8_t *copy = malloc(base->len);
		unsigned long n = 0;
		struct ft_visitor v = { &n, NULL, count_rec };
		struct ft_error err;

		memcpy(copy, base->buf, base->len);
		for (int k = 0; k < 1 + (int)(r % 4); k++) {
			s = s * 6364136223846793005ULL + 1442695040888963407ULL;
			copy[(s >> 33) % base->len] ^= (uint8_t)(1u << ((s >> 29) & 7));
		}
		if (ft_parse(copy, base->len, &v, &err)) {
			rejected++;
			bad += err.offset > base->len || !err.msg[0];
		}
		free(copy);
	}
	ok(bad == 0 && rejected > rounds / 4, "%lu random bit flips: no crash, %lu rejected, all inside the trace",
	   rounds, rejected);
}

struct gen_counts {
	unsigned long events, faults, by_out[6], fills, knobs;
};

static int gen_rec(void *ctx, const struct ft_hdr *r, uint64_t off)
{
	struct gen_counts *c = ctx;

	(void)off;
	if (r->type == FT_END)
		return 0;
	c->events++;
	c->fills += r->type == FT_FILL;
	c->knobs += r->type == FT_KNOB;
	if (r->type == FT_FAULT) {
		c->faults++;
		c->by_out[(r->flags & FT_OUT_MASK) >> FT_OUT_SHIFT]++;
	}
	return 0;
}

static struct gen_counts gen_count(const char *name, struct ft_gen_params p, struct ft_writer *keep)
{
	struct ft_writer w;
	struct gen_counts c = { 0 };
	struct ft_visitor v = { &c, NULL, gen_rec };
	struct ft_error err;

	ft_gen_defaults(&p);
	ftw_init(&w, FT_ARCH_X86_64, FT_MODE_ORDER0, "test");
	ft_gen_find(name)->fn(&w, &p);
	ftw_end(&w);
	if (ft_parse(w.buf, w.len, &v, &err))
		c.events = (unsigned long)-1;
	if (keep)
		*keep = w;
	else
		ftw_free(&w);
	return c;
}

static void test_generators(void)
{
	static const unsigned long sizes[] = { 64, 256 };

	for (int i = 0; i < 2; i++) {
		unsigned long n = sizes[i];
		struct ft_gen_params p = { .pages = n };
		struct gen_counts c;

		c = gen_count("seq", p, NULL);
		ok(c.events == n + 5 && c.faults == n, "seq -n %lu: %lu events, %lu faults", n, c.events, c.faults);
		c = gen_count("rand", p, NULL);
		ok(c.events == n + 5 && c.by_out[FT_OUT_ALLOC] == n, "rand -n %lu: %lu events, %lu alloc faults", n,
		   c.events, c.by_out[FT_OUT_ALLOC]);
		c = gen_count("sparse", p, NULL);
		ok(c.events == n / 8 + 5 && c.faults == n / 8, "sparse -n %lu -e 8: %lu events, %lu faults", n,
		   c.events, c.faults);
		c = gen_count("heap", p, NULL);
		ok(c.events == 4 + 17 * (n / 16) + n / 64 && c.faults == n, "heap -n %lu: %lu events, %lu faults", n,
		   c.events, c.faults);
		c = gen_count("stack", p, NULL);
		ok(c.events == n + 3 && c.faults == n, "stack -n %lu: %lu events, %lu faults", n, c.events, c.faults);
		c = gen_count("fork", p, NULL);
		ok(c.events == 7 + n + n / 2 && c.by_out[FT_OUT_ALLOC] == n && c.by_out[FT_OUT_COW_COPY] == n / 4 &&
		   c.by_out[FT_OUT_COW_REUSE] == n / 4, "fork -n %lu: %lu events, %lu/%lu/%lu alloc/copy/reuse", n,
		   c.events, c.by_out[FT_OUT_ALLOC], c.by_out[FT_OUT_COW_COPY], c.by_out[FT_OUT_COW_REUSE]);
		c = gen_count("madvfree", p, NULL);
		ok(c.events == 2 * n + 15 && c.faults == 2 * n, "madvfree -n %lu: %lu events, %lu faults", n,
		   c.events, c.faults);
		c = gen_count("knobs", p, NULL);
		ok(c.events == 8 + 3 * n / 4 && c.by_out[FT_OUT_ALLOC] == n / 2 + n / 32 && c.fills == 7 * n / 64 &&
		   c.by_out[FT_OUT_NONE] == 7 * n / 64 && c.knobs == 3,
		   "knobs -n %lu: %lu events, %lu alloc faults, %lu fills (each before its fault), %lu knob writes", n,
		   c.events, c.by_out[FT_OUT_ALLOC], c.fills, c.knobs);
	}
	{
		struct gen_counts c = gen_count("sparse", (struct ft_gen_params){ .pages = 100, .every = 7 }, NULL);

		ok(c.faults == 15 && c.events == 20, "sparse -n 100 -e 7: ceil(100/7) = 15 faults (%lu), 20 events (%lu)",
		   c.faults, c.events);
	}
	{
		struct ft_writer a, b, d;
		struct gen_counts c = gen_count("kbuild", (struct ft_gen_params){ .seed = 1 }, &a);

		gen_count("kbuild", (struct ft_gen_params){ .seed = 1 }, &b);
		gen_count("kbuild", (struct ft_gen_params){ .seed = 2 }, &d);
		ok(c.events == 1667 && c.faults == 1402 && c.by_out[FT_OUT_ALLOC] == 1173 && c.by_out[FT_OUT_ZERO] == 229,
		   "kbuild -s 1: 1667 events, 1402 faults (1173 alloc, 229 zero) (%lu, %lu, %lu, %lu)", c.events, c.faults,
		   c.by_out[FT_OUT_ALLOC], c.by_out[FT_OUT_ZERO]);
		ok(a.len == b.len && !memcmp(a.buf, b.buf, a.len) && (a.len != d.len || memcmp(a.buf, d.buf, a.len)),
		   "kbuild is deterministic: seed 1 twice gives the same bytes, seed 2 others");
		ftw_free(&a);
		ftw_free(&b);
		ftw_free(&d);
	}
}

int main(void)
{
	struct ft_writer base, v2;

	base_trace(&base);
	v2_trace(&v2);
	test_base_and_prefixes(&base, "base", BASE_LEN, 10);
	test_base_and_prefixes(&v2, "version-2 records'", V2_LEN, 4);
	test_version1(&base);
	test_corrupt_table(&base, &v2);
	test_flips(&base);
	test_flips(&v2);
	test_generators();
	ftw_free(&base);
	ftw_free(&v2);
	printf("%u passed, %u failed\n", n_run - n_failed, n_failed);
	return n_failed ? 1 : 0;
}
