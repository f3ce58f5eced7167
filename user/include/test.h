/* TAP-style test helper for foliOS user tests (no plan line):
 *   ok(cond, fmt, ...)      prints "ok N - name" or "not ok N - name"
 *   is(got, want, name)     compares as long: "not ok N - name # got X want Y"
 *   done_testing()          prints "N passed, N failed"; returns the exit status
 * Output goes to fd 1 with one write per line, so forked children do not garble it.
 * Children must report through their exit status, not ok(): their counters are copies. */
#ifndef _TEST_H
#define _TEST_H
#include <stdbool.h>

/* The end of the user virtual address space (47-bit on x86_64, 48-bit on aarch64, as Linux
 * with 4 KiB pages and 4-level tables); the kernel's TASK_SIZE may stop a page short. */
#if defined(__aarch64__)
#define USER_VA_END 0x0001000000000000UL	/* 48-bit user VA */
#else
#define USER_VA_END 0x0000800000000000UL	/* 47-bit user VA */
#endif

int ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define is(got, want, name) _is((long)(got), (long)(want), (name))
int _is(long got, long want, const char *name);
#define isnt(got, bad, name) _isnt((long)(got), (long)(bad), (name))
int _isnt(long got, long bad, const char *name);
/* is_errno(ret, err, name): ret must be -1 (or MAP_FAILED) and errno == err. */
#define is_errno(ret, err, name) _is_errno((long)(ret), (err), (name))
int _is_errno(long ret, int err, const char *name);
void skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));	/* "ok N - # SKIP ..." */
void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));	/* "# ..." */
int done_testing(void);
/* Does the command line select the test called name (no arguments: every test)?  Case
 * selection: `PROG CASE...` runs the named cases only (runtests' PROG:CASE,CASE). */
bool test_selected(int argc, char **argv, const char *name);
/* After the cases: a "not ok" for each argument no test_selected() call matched (a case
 * name that does not exist must not pass by running nothing). */
void test_cases_known(int argc, char **argv);

bool on_foliOS(void);		/* uname().sysname == "foliOS" */
long free_pages_now(void);	/* MemFree of /proc/meminfo in pages, -1 if unreadable */
/* Run fn in a forked child; return the signal that terminated it, 0 if it exited
 * (any status), -1 if fork/wait failed. */
int expect_signal(void (*fn)(void));
int expect_signal_arg(void (*fn)(void *), void *arg);
/* Run fn in a forked child and return its raw wait status (-1 on fork/wait failure);
 * the child exits with fn's return value. */
int run_child(int (*fn)(void *), void *arg);
/* Run one case, fn(NULL), in a child (its checks report through diag() and the exit status:
 * the number failed): ok() that it exited 0, and on foliOS that MemFree is back where it was
 * after it (no page leaked; on Linux MemFree is the whole machine's, so that check is skipped). */
void run_child_case(const char *name, int (*fn)(void *));
/* 4096, or AT_PAGESZ when the kernel passed one. */
unsigned long page_size(void);
#endif
