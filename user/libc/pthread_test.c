/*
 * pthread_test: a real C library's threads on the system: built statically
 * with glibc (pthread_glibc) and musl (pthread_musl), not with libfolio.
 * pthread_create/join with return values, a contended mutex, a condition
 * variable queue, thread-local storage, a barrier, a robust mutex whose
 * owner dies (EOWNERDEAD), detached threads, and pthread_exit from main
 * (the process lives on in its last thread, which ends it with exit()).
 * Prints TAP lines and "N passed, N failed"; portable (Linux too).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NTHREADS	4
#define INCREMENTS	20000
#define ITEMS		200

static int passed, failed, tapn;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static __thread int tls_value = 7;

static void check(int cond, const char *name)
{
	tapn++;
	if (cond)
		passed++;
	else
		failed++;
	printf("%s %d - %s\n", cond ? "ok" : "not ok", tapn, name);
	fflush(stdout);
}

static void *adder(void *arg)
{
	long id = (long)arg;

	tls_value = (int)id * 10;
	for (int i = 0; i < INCREMENTS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
		if (i % 1000 == 0)
			sched_yield();
	}
	return (void *)(id + 100 + (tls_value == (int)id * 10 ? 0 : 1000));
}

static void test_create_join_mutex_tls(void)
{
	pthread_t t[NTHREADS];
	int ok_ret = 1, created = 0;

	for (long i = 0; i < NTHREADS; i++)
		created += pthread_create(&t[i], NULL, adder, (void *)i) == 0;
	check(created == NTHREADS, "pthread_create starts 4 threads");
	if (created != NTHREADS)
		exit(1);
	for (long i = 0; i < NTHREADS; i++) {
		void *ret;

		pthread_join(t[i], &ret);
		ok_ret &= (long)ret == i + 100;
	}
	check(counter == (long)NTHREADS * INCREMENTS, "a contended mutex: 4 threads x 20000 increments = 80000");
	check(ok_ret, "pthread_join returns each thread's value; each kept its own __thread value");
	check(tls_value == 7, "the main thread's __thread value is untouched");
}

static pthread_cond_t nonempty = PTHREAD_COND_INITIALIZER, nonfull = PTHREAD_COND_INITIALIZER;
static int queue[8], qhead, qlen;

static void *producer(void *arg)
{
	(void)arg;
	for (int i = 1; i <= ITEMS; i++) {
		pthread_mutex_lock(&lock);
		while (qlen == 8)
			pthread_cond_wait(&nonfull, &lock);
		queue[(qhead + qlen++) % 8] = i;
		pthread_cond_signal(&nonempty);
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

static void test_condvar(void)
{
	pthread_t p;
	long sum = 0;

	pthread_create(&p, NULL, producer, NULL);
	for (int n = 0; n < ITEMS; n++) {
		pthread_mutex_lock(&lock);
		while (qlen == 0)
			pthread_cond_wait(&nonempty, &lock);
		sum += queue[qhead];
		qhead = (qhead + 1) % 8;
		qlen--;
		pthread_cond_signal(&nonfull);
		pthread_mutex_unlock(&lock);
	}
	pthread_join(p, NULL);
	check(sum == (long)ITEMS * (ITEMS + 1) / 2, "a condition-variable queue carries 200 items in order of sum");
}

static pthread_barrier_t barrier;
static volatile int serial_count, ids_ok = 1;

static void *barrier_thread(void *arg)
{
	(void)arg;
	if (syscall(SYS_gettid) == getpid())
		ids_ok = 0;
	if (pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD)
		__atomic_fetch_add(&serial_count, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void test_barrier_ids(void)
{
	pthread_t t[NTHREADS];

	pthread_barrier_init(&barrier, NULL, NTHREADS + 1);
	for (int i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, barrier_thread, NULL);
	if (pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD)
		__atomic_fetch_add(&serial_count, 1, __ATOMIC_SEQ_CST);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	check(serial_count == 1, "a barrier of 5: exactly one PTHREAD_BARRIER_SERIAL_THREAD");
	check(ids_ok && syscall(SYS_gettid) == getpid(), "gettid differs from getpid in threads, equals it in main");
	pthread_barrier_destroy(&barrier);
}

static pthread_mutex_t robust;

static void *die_holding(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&robust);
	return NULL;	/* exits holding it */
}

static void test_robust(void)
{
	pthread_mutexattr_t a;
	pthread_t t;
	int r;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&robust, &a);
	pthread_create(&t, NULL, die_holding, NULL);
	pthread_join(t, NULL);
	r = pthread_mutex_lock(&robust);
	check(r == EOWNERDEAD, "a robust mutex whose owner exited: pthread_mutex_lock gives EOWNERDEAD");
	check(pthread_mutex_consistent(&robust) == 0 && pthread_mutex_unlock(&robust) == 0 &&
	      pthread_mutex_lock(&robust) == 0 && pthread_mutex_unlock(&robust) == 0,
	      "... made consistent, it locks and unlocks again");
}

/* The leader's state letter in /proc/self/task/<pid>/stat. */
static char leader_state(void)
{
	char path[64], buf[256], *p;
	int fd, n;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", getpid(), getpid());
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = (int)read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p ? p[2] : 0;
}

static void *last_thread(void *arg)
{
	(void)arg;
	while (leader_state() != 'Z')
		sched_yield();
	check(1, "pthread_exit from main: the process lives on in a detached thread");
	printf("%d passed, %d failed\n", passed, failed);
	fflush(stdout);
	exit(failed ? 1 : 0);
}

int main(void)
{
	pthread_t t;
	pthread_attr_t a;

	test_create_join_mutex_tls();
	test_condvar();
	test_barrier_ids();
	test_robust();
	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	pthread_create(&t, &a, last_thread, NULL);
	pthread_exit(NULL);
}
