/*
 * labcut - hollow out a C function by name: the cut behind `make lab-start`.
 *
 * A lab (labs/<name>/lab.conf) names the functions a student writes; this
 * tool finds each one's definition in its file and replaces the body between
 * its outermost braces by a stub, keeping the signature and the contract
 * comment above it untouched.  Finding functions by name rather than
 * applying patches keeps the labs working while the code around them
 * changes: only a rename or removal of a named function breaks a lab, and
 * `labcut --check` (run by make test for every lab) reports exactly that.
 *
 * The scanner understands as much C as it needs to match braces: block and
 * line comments, string and character literals (with escapes) and
 * preprocessor lines (with continuations) are skipped, so braces inside them
 * never count.  A definition is the identifier at brace depth 0, followed by
 * a balanced parameter list and then (after comments, whitespace and
 * attributes) by '{'; a declaration (';' first) or a call inside an
 * initializer is passed over.  Exactly one definition must exist.
 *
 *   labcut FILE FUNC STUB      rewrite FILE with FUNC's body replaced by
 *                              a "LAB: write FUNC()" comment line, a "(void)param;"
 *                              for each parameter (the stub builds with -Wextra) and
 *                              STUB (may be "")
 *   labcut --check FILE FUNC   exit 0 when FILE defines FUNC exactly once
 *
 * Exit status: 0 done, 1 function not found (or found twice), 2 usage or I/O.
 * The host tests are tools/labs/labcut_test.sh (make test runs them).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct src {
	const char *s;
	size_t n;
};

/* Index just past the comment, literal or preprocessor line starting at i, or i itself. */
static size_t skip_noncode(const struct src *f, size_t i, int at_line_start)
{
	const char *s = f->s;
	size_t n = f->n;

	if (i + 1 < n && s[i] == '/' && s[i + 1] == '*') {
		const char *end = strstr(s + i + 2, "*/");
		return end ? (size_t)(end - s) + 2 : n;
	}
	if (i + 1 < n && s[i] == '/' && s[i + 1] == '/') {
		while (i < n && s[i] != '\n')
			i++;
		return i;
	}
	if (s[i] == '"' || s[i] == '\'') {
		char q = s[i++];
		while (i < n && s[i] != q && s[i] != '\n')
			i += (s[i] == '\\' && i + 1 < n) ? 2 : 1;
		return i < n ? i + 1 : n;
	}
	if (s[i] == '#' && at_line_start) {
		while (i < n && s[i] != '\n')
			i += (s[i] == '\\' && i + 1 < n) ? 2 : 1;
		return i;
	}
	return i;
}

/*
 * Scan forward from i over code, stopping at the first code character
 * (not whitespace, comment, literal or preprocessor line).  *line_start
 * tracks whether only whitespace precedes on the line (for '#').
 */
static size_t next_code(const struct src *f, size_t i, int *line_start)
{
	while (i < f->n) {
		size_t j = skip_noncode(f, i, *line_start);

		if (j != i) {
			i = j;
			continue;
		}
		if (f->s[i] == '\n') {
			*line_start = 1;
			i++;
		} else if (isspace((unsigned char)f->s[i])) {
			i++;
		} else {
			return i;
		}
	}
	return i;
}

/* The index of the bracket closing the one at open (same kind), or n when unbalanced. */
static size_t match(const struct src *f, size_t open)
{
	char o = f->s[open], c = o == '(' ? ')' : '}';
	int depth = 0, ls = 0;

	for (size_t i = open; (i = next_code(f, i, &ls)) < f->n; i++) {
		ls = 0;
		if (f->s[i] == o)
			depth++;
		else if (f->s[i] == c && --depth == 0)
			return i;
	}
	return f->n;
}

static int is_ident(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/*
 * Find FUNC's definition: *open and *close get the indexes of its body's
 * braces, *params those of its parameter list's parentheses.  Returns the
 * number of definitions found (the first one's indexes are reported).
 */
static int find_function(const struct src *f, const char *func, size_t *open, size_t *close,
			 size_t params[2])
{
	size_t len = strlen(func), i = 0;
	int depth = 0, ls = 1, found = 0;

	while ((i = next_code(f, i, &ls)) < f->n) {
		const char *s = f->s;

		ls = 0;
		if (s[i] == '{') {
			depth++;
			i++;
			continue;
		}
		if (s[i] == '}') {
			depth--;
			i++;
			continue;
		}
		if (!is_ident(s[i])) {
			i++;
			continue;
		}
		size_t start = i;
		while (i < f->n && is_ident(s[i]))
			i++;
		if (depth || i - start != len || memcmp(s + start, func, len))
			continue;
		size_t p = next_code(f, i, &ls);
		if (p >= f->n || s[p] != '(')
			continue;
		size_t q = match(f, p);
		if (q >= f->n)
			return found;
		/* After the parameters: attributes, then '{' (a definition) or anything else. */
		size_t b = next_code(f, q + 1, &ls);
		while (b < f->n && !strncmp(s + b, "__attribute__", 13)) {
			size_t a = next_code(f, b + 13, &ls);
			if (a >= f->n || s[a] != '(')
				break;
			b = next_code(f, match(f, a) + 1, &ls);
		}
		if (b < f->n && s[b] == '{') {
			size_t e = match(f, b);
			if (e >= f->n)
				return found;
			if (!found++) {
				*open = b;
				*close = e;
				params[0] = p;
				params[1] = q;
			}
			i = e + 1;
			continue;
		}
		i = q + 1;
	}
	return found;
}

/*
 * Print "(void)NAME; " for each named parameter in s[from, to) (the inside
 * of a parameter list), so that a stub body builds under -Wunused-parameter:
 * a parameter's name is the identifier after "(*" (a function pointer) or
 * else its last identifier before any array brackets; "void" and "..." name
 * nothing (a C11 definition names every other parameter).  Comments and
 * attributes in parameter lists are not expected.
 */
static void void_params(FILE *out, const char *s, size_t from, size_t to)
{
	int printed = 0;

	while (from < to) {
		size_t end = from;
		int depth = 0;

		while (end < to && (depth || s[end] != ',')) {
			depth += s[end] == '(' || s[end] == '[';
			depth -= s[end] == ')' || s[end] == ']';
			end++;
		}
		size_t name = 0, name_len = 0;
		const char *fp = memchr(s + from, '(', end - from);
		size_t i = fp && fp[1] == '*' ? (size_t)(fp - s) + 2 : from;
		size_t stop = fp && fp[1] == '*' ? end : (fp ? (size_t)(fp - s) : end);

		for (; i < stop; i++) {
			if (s[i] == '[' || (s[i] == ')' && fp && fp[1] == '*'))
				break;
			if (is_ident(s[i]) && (i == from || !is_ident(s[i - 1]))) {
				size_t j = i;
				while (j < stop && is_ident(s[j]))
					j++;
				if (!isdigit((unsigned char)s[i])) {
					name = i;
					name_len = j - i;
				}
				i = j - 1;
			}
		}
		if (name_len && !(name_len == 4 && !memcmp(s + name, "void", 4))) {
			fprintf(out, "%s(void)%.*s;", printed ? " " : "\t", (int)name_len, s + name);
			printed = 1;
		}
		from = end + 1;
	}
	if (printed)
		fputc('\n', out);
}

static char *read_file(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long sz;

	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) || (sz = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET)) {
		fclose(fp);
		return NULL;
	}
	buf = malloc((size_t)sz + 1);
	if (buf && fread(buf, 1, (size_t)sz, fp) != (size_t)sz) {
		free(buf);
		buf = NULL;
	}
	fclose(fp);
	if (buf) {
		buf[sz] = '\0';
		*n = (size_t)sz;
	}
	return buf;
}

int main(int argc, char **argv)
{
	int check = argc == 4 && !strcmp(argv[1], "--check");
	const char *path, *func;
	struct src f;
	size_t open = 0, close = 0, params[2] = { 0, 0 };
	char *buf;
	int found;

	if (argc != 4) {
		fprintf(stderr, "usage: labcut FILE FUNC STUB | labcut --check FILE FUNC\n");
		return 2;
	}
	path = argv[check ? 2 : 1];
	func = argv[check ? 3 : 2];
	buf = read_file(path, &f.n);
	if (!buf) {
		perror(path);
		return 2;
	}
	f.s = buf;
	found = find_function(&f, func, &open, &close, params);
	if (found != 1) {
		fprintf(stderr, "labcut: %s: %s %s\n", path, func,
			found ? "is defined more than once" : "is not defined here");
		free(buf);
		return 1;
	}
	if (!check) {
		FILE *out = fopen(path, "wb");
		const char *stub = argv[3];

		if (!out) {
			perror(path);
			free(buf);
			return 2;
		}
		fwrite(buf, 1, open + 1, out);
		fprintf(out, "\n\t/* LAB: write %s() (see the comment above and the handout). */\n", func);
		void_params(out, buf, params[0] + 1, params[1]);
		if (*stub)
			fprintf(out, "\t%s\n", stub);
		fwrite(buf + close, 1, f.n - close, out);
		if (fclose(out)) {
			perror(path);
			free(buf);
			return 2;
		}
	}
	free(buf);
	return 0;
}
