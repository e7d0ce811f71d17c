/*
 * Suite "trace": the workload of the trace-first prototype (docs/trace.md).
 *
 * Runs phases that exercise Linux's page-table paths one at a time - anon
 * and file faults, munmap, mprotect(PROT_NONE), mremap, fork with
 * copy-on-write, a many-threaded process exiting, exec, page aging through
 * /proc/self/clear_refs - and after each one writes the phase name to
 * /proc/secmon_trace.  A kernel built with `tools/build-linux --trace` then
 * prints its lazy-MMU and teardown numbers and asks the monitor to print its
 * per-kind counts, so linux-glue/trace/summarize can show each phase's share.
 * On a kernel without the trace patches the phases still run and are checked
 * (PASS/FAIL as in the other suites); only the dumps are missing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "guest.h"

#define PAGE 4096UL
#define TRACE_PROC "/proc/secmon_trace"

static char why[256];
static int have_trace;

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return 1;
}

/* Asks the kernel (and through it the monitor) to print the counts so far,
 * labelled with the phase name.  The console is drained first so the dump
 * does not interleave with our own output. */
static void dump(const char *phase)
{
	int fd;

	fflush(stdout);
	tcdrain(STDOUT_FILENO);
	if (!have_trace)
		return;
	fd = open(TRACE_PROC, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (write(fd, phase, strlen(phase)) < 0)
		printf("trace: writing %s: %s\n", TRACE_PROC, strerror(errno));
	close(fd);
}

static char *map_anon(size_t len, int prot)
{
	void *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* Writes one byte per page: one fault and one set_pte per page. */
static void touch(char *p, size_t len, char v)
{
	for (size_t off = 0; off < len; off += PAGE)
		p[off] = (char)(v + off / PAGE);
}

static int check(const char *p, size_t len, char v)
{
	for (size_t off = 0; off < len; off += PAGE)
		if (p[off] != (char)(v + off / PAGE))
			return fail("page %zu holds %d, expected %d", off / PAGE,
				    p[off], (char)(v + off / PAGE));
	return 0;
}

static int wait_ok(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return fail("waitpid: %s", strerror(errno));
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return fail("child ended with wait status 0x%x", st);
	return 0;
}

/* ---- phases ------------------------------------------------------------------ */

static int phase_anon(void)
{
	size_t len = 4UL << 20;
	char *p = map_anon(len, PROT_READ | PROT_WRITE);
	int rc;

	if (!p)
		return fail("mmap: %s", strerror(errno));
	touch(p, len, 1);
	rc = check(p, len, 1);
	munmap(p, len);
	return rc;
}

static int phase_file(void)
{
	struct stat sb;
	unsigned sum = 0;
	char *p;
	int fd = open("/init", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return fail("open /init: %s", strerror(errno));
	if (fstat(fd, &sb) < 0 || sb.st_size < 4096) {
		close(fd);
		return fail("fstat /init failed or too small");
	}
	p = mmap(NULL, sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return fail("mmap /init: %s", strerror(errno));
	for (off_t off = 0; off < sb.st_size; off += PAGE)
		sum += (unsigned char)p[off];
	if (memcmp(p + 1, "ELF", 3) != 0)
		return fail("/init does not start with an ELF header (sum %u)", sum);
	munmap(p, sb.st_size);
	return 0;
}

static int phase_mprotect(void)
{
	size_t len = 1UL << 20;
	char *p = map_anon(len, PROT_READ | PROT_WRITE);
	int rc;

	if (!p)
		return fail("mmap: %s", strerror(errno));
	touch(p, len, 2);
	/* present entries become PAGE_NONE: V=0 but not zero */
	if (mprotect(p, len, PROT_NONE) < 0)
		return fail("mprotect(PROT_NONE): %s", strerror(errno));
	if (mprotect(p, len, PROT_READ) < 0)
		return fail("mprotect(PROT_READ): %s", strerror(errno));
	rc = check(p, len, 2);
	if (!rc && mprotect(p, len, PROT_READ | PROT_WRITE) < 0)
		rc = fail("mprotect(PROT_READ|PROT_WRITE): %s", strerror(errno));
	if (!rc) {
		touch(p, len, 3);
		rc = check(p, len, 3);
	}
	munmap(p, len);
	return rc;
}

static int phase_mremap(void)
{
	size_t len = 1UL << 20;
	char *p = map_anon(len, PROT_READ | PROT_WRITE), *q, *r, *dst;
	int rc;

	if (!p)
		return fail("mmap: %s", strerror(errno));
	touch(p, len, 4);
	/* grow and move into a reserved range: move_ptes on every page */
	dst = map_anon(2 * len, PROT_NONE);
	if (!dst)
		return fail("mmap reservation: %s", strerror(errno));
	q = mremap(p, len, 2 * len, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	if (q == MAP_FAILED)
		return fail("mremap: %s", strerror(errno));
	rc = check(q, len, 4);
	/* a PROT_NONE range moves its V=0 entries as they are */
	if (!rc && mprotect(q, len, PROT_NONE) < 0)
		rc = fail("mprotect(PROT_NONE): %s", strerror(errno));
	if (!rc) {
		dst = map_anon(len, PROT_NONE);
		if (!dst)
			return fail("mmap reservation: %s", strerror(errno));
		r = mremap(q, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
		if (r == MAP_FAILED)
			return fail("mremap PROT_NONE: %s", strerror(errno));
		if (mprotect(r, len, PROT_READ) < 0)
			rc = fail("mprotect(PROT_READ): %s", strerror(errno));
		if (!rc)
			rc = check(r, len, 4);
		munmap(r, len);
	}
	munmap(q, 2 * len);
	return rc;
}

static int phase_fork_cow(void)
{
	size_t len = 2UL << 20;
	char *p = map_anon(len, PROT_READ | PROT_WRITE);
	pid_t pid;
	int rc;

	if (!p)
		return fail("mmap: %s", strerror(errno));
	touch(p, len, 5);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return fail("fork: %s", strerror(errno));
	if (pid == 0) {
		/* every write breaks copy-on-write */
		if (check(p, len, 5))
			_exit(1);
		touch(p, len, 6);
		_exit(check(p, len, 6) ? 1 : 0);
	}
	rc = wait_ok(pid);
	/* the parent's pages are its own again: write faults reuse them */
	if (!rc)
		rc = check(p, len, 5);
	if (!rc) {
		touch(p, len, 7);
		rc = check(p, len, 7);
	}
	munmap(p, len);
	return rc;
}

#define NTHREADS 16

static void *thread_main(void *arg)
{
	size_t len = 256UL << 10;
	char *p = map_anon(len, PROT_READ | PROT_WRITE);

	if (!p)
		return (void *)1;
	touch(p, len, (char)(long)arg);
	/* left mapped: the exiting process tears it down */
	return check(p, len, (char)(long)arg) ? (void *)1 : NULL;
}

static int phase_threads(void)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return fail("fork: %s", strerror(errno));
	if (pid == 0) {
		pthread_t t[NTHREADS];
		int bad = 0;

		for (long i = 0; i < NTHREADS; i++)
			if (pthread_create(&t[i], NULL, thread_main, (void *)i))
				_exit(2);
		for (int i = 0; i < NTHREADS; i++) {
			void *r;

			pthread_join(t[i], &r);
			bad |= r != NULL;
		}
		_exit(bad);
	}
	return wait_ok(pid);
}

static int phase_exec(void)
{
	for (int i = 0; i < 10; i++) {
		char *argv[] = { "/init", MODE_EXIT_CODE, "0", NULL };
		pid_t pid;
		int rc;

		fflush(stdout);
		pid = fork();
		if (pid < 0)
			return fail("fork: %s", strerror(errno));
		if (pid == 0) {
			execv("/init", argv);
			_exit(127);
		}
		rc = wait_ok(pid);
		if (rc)
			return rc;
	}
	return 0;
}

static int phase_clear_refs(void)
{
	size_t len = 1UL << 20;
	char *p = map_anon(len, PROT_READ | PROT_WRITE);
	int fd, rc = 0;

	if (!p)
		return fail("mmap: %s", strerror(errno));
	touch(p, len, 8);
	/* "1": clear the referenced (A) bits of every page of this process */
	for (int round = 0; round < 2 && !rc; round++) {
		fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
		if (fd < 0) {
			rc = fail("open /proc/self/clear_refs: %s", strerror(errno));
			break;
		}
		if (write(fd, "1", 1) != 1)
			rc = fail("write clear_refs: %s", strerror(errno));
		close(fd);
		if (!rc)
			rc = check(p, len, 8);
	}
	munmap(p, len);
	return rc;
}

static int phase_settle(void)
{
	/* RCU-deferred table frees of the processes that exited */
	sleep(1);
	return 0;
}

int suite_trace(void)
{
	static const struct {
		const char *name;
		int (*fn)(void);
	} phases[] = {
		{ "anon", phase_anon },
		{ "file", phase_file },
		{ "mprotect", phase_mprotect },
		{ "mremap", phase_mremap },
		{ "fork_cow", phase_fork_cow },
		{ "threads", phase_threads },
		{ "exec", phase_exec },
		{ "clear_refs", phase_clear_refs },
		{ "settle", phase_settle },
	};
	int passed = 0, failed = 0;

	have_trace = access(TRACE_PROC, W_OK) == 0;
	printf("trace: %s\n", have_trace ? "dumping after each phase" :
	       "no " TRACE_PROC " (not a --trace kernel): phases only");
	dump("start");
	for (size_t i = 0; i < sizeof(phases) / sizeof(phases[0]); i++) {
		int rc;

		why[0] = '\0';
		rc = phases[i].fn();
		if (rc == 0) {
			printf("PASS %s\n", phases[i].name);
			passed++;
		} else {
			printf("FAIL %s: %s\n", phases[i].name, why);
			failed++;
		}
		dump(phases[i].name);
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
