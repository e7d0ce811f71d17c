/*
 * Suite "basic": real checks of what the kernel needs from the firmware
 * (timer, IPIs, hart start/stop) and of ordinary process machinery.
 * Each test prints "PASS name", "FAIL name: reason" or "SKIP name: reason";
 * the suite ends with "N passed, M failed".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "guest.h"

static char reason[256];

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	return 1;
}

static int skip(const char *why)
{
	snprintf(reason, sizeof(reason), "%s", why);
	return SKIPPED;
}

static const char *describe_status(int st)
{
	static char buf[64];

	if (WIFEXITED(st))
		snprintf(buf, sizeof(buf), "exit status %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, sizeof(buf), "killed by signal %d", WTERMSIG(st));
	else
		snprintf(buf, sizeof(buf), "wait status 0x%x", st);
	return buf;
}

/* ---- processes ------------------------------------------------------------ */

static int test_fork_wait(void)
{
	int st;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return fail("fork: %s", strerror(errno));
	if (pid == 0)
		_exit(7);
	if (waitpid(pid, &st, 0) != pid)
		return fail("waitpid: %s", strerror(errno));
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 7)
		return fail("expected exit status 7, got %s", describe_status(st));
	return 0;
}

static int test_execve(void)
{
	char *argv[] = { "/init", MODE_EXIT_CODE, "42", NULL };
	char *envp[] = { NULL };
	int st;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return fail("fork: %s", strerror(errno));
	if (pid == 0) {
		execve("/init", argv, envp);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) != pid)
		return fail("waitpid: %s", strerror(errno));
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 42)
		return fail("expected exit status 42, got %s", describe_status(st));
	return 0;
}

/* ---- threads -------------------------------------------------------------- */

#define MUTEX_THREADS 8
#define MUTEX_ITERS 20000

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *mutex_worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < MUTEX_ITERS; i++) {
		pthread_mutex_lock(&counter_lock);
		counter++;
		pthread_mutex_unlock(&counter_lock);
	}
	return NULL;
}

static int test_pthread_mutex(void)
{
	pthread_t t[MUTEX_THREADS];
	int err;

	counter = 0;
	for (int i = 0; i < MUTEX_THREADS; i++) {
		err = pthread_create(&t[i], NULL, mutex_worker, NULL);
		if (err) {
			for (int j = 0; j < i; j++)
				pthread_join(t[j], NULL);
			return fail("pthread_create: %s", strerror(err));
		}
	}
	for (int i = 0; i < MUTEX_THREADS; i++)
		pthread_join(t[i], NULL);
	if (counter != (long)MUTEX_THREADS * MUTEX_ITERS)
		return fail("counter is %ld, expected %ld", counter,
			    (long)MUTEX_THREADS * MUTEX_ITERS);
	return 0;
}

static pthread_mutex_t cv_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int cv_flag, cv_waiting, cv_result;

static void *cv_waiter(void *arg)
{
	struct timespec deadline;

	(void)arg;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 5;
	pthread_mutex_lock(&cv_lock);
	cv_waiting = 1;
	pthread_cond_broadcast(&cv);
	while (!cv_flag && cv_result == 0)
		cv_result = pthread_cond_timedwait(&cv, &cv_lock, &deadline);
	pthread_mutex_unlock(&cv_lock);
	return NULL;
}

static int test_condvar(void)
{
	pthread_t t;
	int err;

	cv_flag = cv_waiting = cv_result = 0;
	err = pthread_create(&t, NULL, cv_waiter, NULL);
	if (err)
		return fail("pthread_create: %s", strerror(err));
	pthread_mutex_lock(&cv_lock);
	while (!cv_waiting)
		pthread_cond_wait(&cv, &cv_lock);
	pthread_mutex_unlock(&cv_lock);
	usleep(20000); /* let the waiter block in the kernel */
	pthread_mutex_lock(&cv_lock);
	cv_flag = 1;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&cv_lock);
	pthread_join(t, NULL);
	if (cv_result)
		return fail("waiter was not woken: %s", strerror(cv_result));
	return 0;
}

static _Atomic int futex_word;
static int futex_wait_err;

static void *futex_waiter(void *arg)
{
	struct timespec timeout = { .tv_sec = 5 };

	(void)arg;
	while (atomic_load(&futex_word) == 0) {
		if (syscall(SYS_futex, &futex_word, FUTEX_WAIT_PRIVATE, 0, &timeout, NULL, 0) < 0 &&
		    errno != EAGAIN && errno != EINTR) {
			futex_wait_err = errno;
			break;
		}
	}
	return NULL;
}

static int test_futex(void)
{
	pthread_t t;
	long woken;
	int err;

	atomic_store(&futex_word, 0);
	futex_wait_err = 0;
	err = pthread_create(&t, NULL, futex_waiter, NULL);
	if (err)
		return fail("pthread_create: %s", strerror(err));
	usleep(50000); /* the waiter should now sleep in FUTEX_WAIT */
	atomic_store(&futex_word, 1);
	woken = syscall(SYS_futex, &futex_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	pthread_join(t, NULL);
	if (woken < 0)
		return fail("FUTEX_WAKE: %s", strerror(errno));
	if (futex_wait_err)
		return fail("FUTEX_WAIT: %s", strerror(futex_wait_err));
	return 0;
}

/* ---- memory --------------------------------------------------------------- */

#define MAP_BYTES (4u << 20)
#define SEGV_OK 77	/* exit status of the child when the expected fault came */
#define SEGV_WRONG_CODE 78	/* a SIGSEGV came, but not SEGV_MAPERR */
#define SEGV_WRONG_ADDR 79	/* a SIGSEGV came, but for another address */

static void *volatile segv_expected_addr;

/* Catching the fault (rather than dying of it) also keeps the kernel from
 * logging an "unhandled signal" register dump on the console. */
static void segv_handler(int sig, siginfo_t *info, void *ctx)
{
	(void)ctx;
	if (sig != SIGSEGV || info->si_code != SEGV_MAPERR)
		_exit(SEGV_WRONG_CODE);
	_exit(info->si_addr == segv_expected_addr ? SEGV_OK : SEGV_WRONG_ADDR);
}

static int test_mmap(void)
{
	size_t words = MAP_BYTES / sizeof(unsigned long);
	unsigned long *p;
	int st;
	pid_t pid;

	p = mmap(NULL, MAP_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return fail("mmap: %s", strerror(errno));
	for (size_t i = 0; i < words; i++)
		p[i] = (unsigned long)i * 0x9e3779b97f4a7c15ul ^ (unsigned long)&p[i];
	for (size_t i = 0; i < words; i++)
		if (p[i] != ((unsigned long)i * 0x9e3779b97f4a7c15ul ^ (unsigned long)&p[i])) {
			munmap(p, MAP_BYTES);
			return fail("pattern mismatch at word %zu", i);
		}
	if (munmap(p, MAP_BYTES) < 0)
		return fail("munmap: %s", strerror(errno));

	/* A child touches a page after unmapping it: it must get SIGSEGV
	 * (SEGV_MAPERR) for exactly that address. */
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return fail("fork: %s", strerror(errno));
	if (pid == 0) {
		struct sigaction sa;
		volatile unsigned long *gone;

		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = segv_handler;
		sa.sa_flags = SA_SIGINFO;
		sigaction(SIGSEGV, &sa, NULL);
		p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			_exit(3);
		p[0] = 1;
		if (munmap(p, 4096) < 0)
			_exit(4);
		gone = p;
		segv_expected_addr = p;
		gone[0] = 2;
		_exit(5);
	}
	if (waitpid(pid, &st, 0) != pid)
		return fail("waitpid: %s", strerror(errno));
	if (WIFEXITED(st) && WEXITSTATUS(st) == SEGV_WRONG_CODE)
		return fail("access after munmap: SIGSEGV but si_code is not SEGV_MAPERR");
	if (WIFEXITED(st) && WEXITSTATUS(st) == SEGV_WRONG_ADDR)
		return fail("access after munmap: SIGSEGV but si_addr is not the unmapped page");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != SEGV_OK)
		return fail("access after munmap: expected SIGSEGV, got %s", describe_status(st));
	return 0;
}

/* ---- time ----------------------------------------------------------------- */

static int test_nanosleep(void)
{
	struct timespec req = { .tv_nsec = 100 * 1000 * 1000 };
	long long t0, elapsed;

	t0 = now_ns();
	while (nanosleep(&req, &req) < 0 && errno == EINTR)
		;
	elapsed = now_ns() - t0;
	if (elapsed < 100LL * 1000 * 1000)
		return fail("slept only %lld us", elapsed / 1000);
	if (elapsed >= 5LL * 1000 * 1000 * 1000)
		return fail("slept %lld ms", elapsed / 1000000);
	return 0;
}

/* ---- CPUs ----------------------------------------------------------------- */

static int test_expect_cpus(void)
{
	const char *want = cmdline_get("secmon.expect_cpus");
	long have = sysconf(_SC_NPROCESSORS_ONLN);
	int sysfs = sysfs_online_cpus(NULL, 0);

	if (!want)
		return skip("no secmon.expect_cpus= on the command line");
	if (have != atol(want))
		return fail("expected %s CPUs online, sysconf says %ld", want, have);
	if (sysfs != have)
		return fail("sysconf says %ld CPUs, /sys/devices/system/cpu/online %d", have, sysfs);
	return 0;
}

#define SPREAD_MS 3000

static _Atomic int spread_stop;
static _Atomic unsigned long long spread_seen; /* bitmask of CPUs (first 64) */

static void *spread_worker(void *arg)
{
	int last = -1;

	(void)arg;
	while (!atomic_load(&spread_stop)) {
		int cpu = sched_getcpu();

		if (cpu != last && cpu >= 0 && cpu < 64)
			atomic_fetch_or(&spread_seen, 1ull << cpu);
		last = cpu;
		for (volatile int i = 0; i < 10000; i++)
			;
	}
	return NULL;
}

static int test_cpu_spread(void)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int nthreads;
	pthread_t t[16];
	unsigned long long seen;
	long long deadline;

	if (ncpu < 2)
		return skip("only one CPU online");
	nthreads = ncpu > 8 ? 16 : (int)ncpu * 2;
	atomic_store(&spread_stop, 0);
	atomic_store(&spread_seen, 0);
	for (int i = 0; i < nthreads; i++) {
		int err = pthread_create(&t[i], NULL, spread_worker, NULL);

		if (err) {
			atomic_store(&spread_stop, 1);
			for (int j = 0; j < i; j++)
				pthread_join(t[j], NULL);
			return fail("pthread_create: %s", strerror(err));
		}
	}
	/* Stop as soon as two CPUs have been used, or after SPREAD_MS. */
	deadline = now_ns() + SPREAD_MS * 1000000LL;
	while (now_ns() < deadline && __builtin_popcountll(atomic_load(&spread_seen)) < 2)
		usleep(10000);
	atomic_store(&spread_stop, 1);
	for (int i = 0; i < nthreads; i++)
		pthread_join(t[i], NULL);
	seen = atomic_load(&spread_seen);
	if (__builtin_popcountll(seen) < 2)
		return fail("%d threads over %d ms only ran on CPU mask 0x%llx", nthreads,
			    SPREAD_MS, seen);
	return 0;
}

/* Pins itself to each online CPU in turn and checks it really runs there
 * (needs working IPIs for the migration). */
static int test_affinity(void)
{
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	cpu_set_t orig, one;
	int tried = 0, rc = 0;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return skip("only one CPU online");
	if (sched_getaffinity(0, sizeof(orig), &orig) < 0)
		return fail("sched_getaffinity: %s", strerror(errno));
	for (int cpu = 0; cpu < ncpu && cpu < CPU_SETSIZE && rc == 0; cpu++) {
		if (!CPU_ISSET(cpu, &orig))
			continue;
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		if (sched_setaffinity(0, sizeof(one), &one) < 0)
			rc = fail("sched_setaffinity(cpu %d): %s", cpu, strerror(errno));
		else if (sched_getcpu() != cpu)
			rc = fail("pinned to cpu %d but running on %d", cpu, sched_getcpu());
		tried++;
	}
	sched_setaffinity(0, sizeof(orig), &orig);
	if (rc == 0 && tried < 2)
		return fail("only %d CPU(s) in the affinity mask", tried);
	return rc;
}

/* Takes the highest-numbered CPU offline and back online through sysfs,
 * i.e. SBI HSM hart stop and hart start. */
static int test_cpu_hotplug(void)
{
	char path[96], text[64];
	long before = sysconf(_SC_NPROCESSORS_ONLN);
	int cpu = -1, n;
	FILE *f;

	if (before < 2)
		return skip("only one CPU online");
	for (int c = (int)sysconf(_SC_NPROCESSORS_CONF) - 1; c > 0 && cpu < 0; c--) {
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", c);
		if (read_text(path, text, sizeof(text)) > 0 && strcmp(text, "1") == 0)
			cpu = c;
	}
	if (cpu < 0)
		return skip("no hot-pluggable CPU found");

	f = fopen(path, "w");
	if (!f || fputs("0", f) < 0 || fclose(f) != 0)
		return fail("offlining cpu%d: %s", cpu, strerror(errno));
	n = sysfs_online_cpus(text, sizeof(text));
	if (n != before - 1)
		return fail("after offlining cpu%d, online is \"%s\"", cpu, text);

	/* Linux checks for STOPPED once, right after the dying CPU reported
	 * itself dead (arch_cpuhp_cleanup_dead_cpu), possibly before it made
	 * its SBI stop call; an online that races it fails with ENOTSUPP
	 * (524). Retry for up to half a second and say so; a hart that never
	 * stops still fails. */
	for (int t = 0;; t++) {
		f = fopen(path, "w");
		if (f && fputs("1", f) >= 0 && fclose(f) == 0)
			break;
		if (errno != 524 || t == 50)
			return fail("onlining cpu%d: %s", cpu, strerror(errno));
		if (t == 0)
			printf("cpu_hotplug: online raced the stop; retrying\n");
		usleep(10000);
	}
	n = sysfs_online_cpus(text, sizeof(text));
	if (n != before)
		return fail("after onlining cpu%d again, online is \"%s\"", cpu, text);
	return 0;
}

int suite_basic(void)
{
	static const struct {
		const char *name;
		int (*fn)(void);
	} tests[] = {
		{ "fork_wait", test_fork_wait },
		{ "execve", test_execve },
		{ "pthread_mutex", test_pthread_mutex },
		{ "condvar", test_condvar },
		{ "futex", test_futex },
		{ "mmap", test_mmap },
		{ "nanosleep", test_nanosleep },
		{ "expect_cpus", test_expect_cpus },
		{ "cpu_spread", test_cpu_spread },
		{ "affinity", test_affinity },
		{ "cpu_hotplug", test_cpu_hotplug },
	};
	int passed = 0, failed = 0;

	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		int rc;

		reason[0] = '\0';
		rc = tests[i].fn();
		if (rc == 0) {
			printf("PASS %s\n", tests[i].name);
			passed++;
		} else if (rc == SKIPPED) {
			printf("SKIP %s: %s\n", tests[i].name, reason);
		} else {
			printf("FAIL %s: %s\n", tests[i].name, reason);
			failed++;
		}
		fflush(stdout);
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
