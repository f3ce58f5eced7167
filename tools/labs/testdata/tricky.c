/* tricky.c - labcut_test.sh's input: braces where a naive matcher would count them. */
#define BRACE_MACRO { int x = '}'; \
	target(); }
static int target(int a);		/* a declaration first: { not a body */
static const char *s = "target(1) { \" }";
static int table[] = { 1, 2 };		/* target( in a comment: { */
int target_not(int a) { return a; }	// target(2) {
static int target(int a)
{
	/* } in a comment */
	const char *q = "}}}";		// and } here
	char c = '{';
#ifdef NEVER
	c = '}';
#endif
	if (a) {
		return q[0] + c;
	}
	return table[0] + (int)s[0];
}
int after(void) { return target(0); }
