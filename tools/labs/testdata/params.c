/* params.c - labcut_test.sh: the parameters a stub must void. */
static int g(struct a *b,
	     int (*cb)(int x, int y), unsigned long arr[4], const char *const *argv, ...)
{
	return cb(b != 0, (int)arr[0]) + !!argv;
}
int h(void) { return 2; }
