/*
 * Helpers of suite "protected": reasons, child processes, fill patterns,
 * pagemap and the glue's statistics in debugfs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest.h"
#include "prot.h"

int prot_full;

/* Write end of the suite's reason pipe, inherited by every case process. */
int prot_reason_fd = -1;

int prot_scale(int ci, int full)
{
	return prot_full ? full : ci;
}

/* One reason per process: the first failure is the one that explains. */
static void put_reason(const char *fmt, va_list ap)
{
	static pid_t told;

	if (told == getpid() || prot_reason_fd < 0)
		return;
	told = getpid();
	vdprintf(prot_reason_fd, fmt, ap);
	dprintf(prot_reason_fd, "; ");
}

int prot_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	put_reason(fmt, ap);
	va_end(ap);
	return 1;
}

int prot_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	put_reason(fmt, ap);
	va_end(ap);
	return SKIPPED;
}

const char *prot_status(int st)
{
	static char buf[80];

	if (WIFEXITED(st))
		snprintf(buf, sizeof(buf), "exit status %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, sizeof(buf), "signal %d (%s)", WTERMSIG(st),
			 strsignal(WTERMSIG(st)));
	else
		snprintf(buf, sizeof(buf), "wait status %#x", st);
	return buf;
}

int prot_wait(pid_t pid, int *st, int timeout_s)
{
	long long deadline = now_ns() + timeout_s * 1000000000LL;
	pid_t got;

	/* Polling keeps SIGALRM free for the cases' own use. */
	while ((got = waitpid(pid, st, WNOHANG)) == 0) {
		if (now_ns() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, st, 0);
			return -1;
		}
		usleep(2000);
	}
	if (got < 0 && errno == EINTR)
		return prot_wait(pid, st, timeout_s);
	return got == pid ? 0 : -1;
}

pid_t prot_spawn(int (*fn)(long), long arg)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(fn(arg));
	return pid;
}

/* Reaps one child of the batch; returns its slot or -1 on timeout. */
static int batch_reap(const pid_t *pids, int width, int *st,
		      long long deadline)
{
	for (;;) {
		pid_t got = waitpid(-1, st, WNOHANG);

		for (int s = 0; got > 0 && s < width; s++)
			if (pids[s] == got)
				return s;
		if (got <= 0 && now_ns() > deadline)
			return -1;
		if (got <= 0)
			usleep(1000);
	}
}

static void batch_kill(const pid_t *pids, int width)
{
	for (int s = 0; s < width; s++) {
		if (pids[s] > 0) {
			kill(pids[s], SIGKILL);
			waitpid(pids[s], NULL, 0);
		}
	}
}

int prot_batch(int total, int width, int (*fn)(long),
	       int (*expect)(long, int), int timeout_s)
{
	long long deadline = now_ns() + timeout_s * 1000000000LL;
	pid_t pids[64] = { 0 };
	long which[64];
	int next = 0, running = 0, st, s;

	if (width > 64)
		width = 64;
	while (next < total || running > 0) {
		for (s = 0; s < width && next < total; s++) {
			if (pids[s] > 0)
				continue;
			which[s] = next;
			pids[s] = prot_spawn(fn, next++);
			if (pids[s] < 0) {
				batch_kill(pids, width);
				return prot_fail("fork #%ld: %s", which[s],
						 strerror(errno));
			}
			running++;
		}
		s = batch_reap(pids, width, &st, deadline);
		if (s < 0) {
			batch_kill(pids, width);
			return prot_fail("%d of %d children not done after %d s",
					 running, total, timeout_s);
		}
		pids[s] = 0;
		running--;
		if (expect(which[s], st)) {
			batch_kill(pids, width);
			return 1;
		}
	}
	return 0;
}

int prot_wait_byte(int fd)
{
	char c;
	ssize_t n;

	while ((n = read(fd, &c, 1)) < 0 && errno == EINTR)
		;
	return n == 1 ? 0 : -1;
}

int prot_send_byte(int fd)
{
	return write(fd, "x", 1) == 1 ? 0 : -1;
}

/* splitmix64's finaliser: every bit of seed and index shows. */
unsigned long prot_word(unsigned long seed, unsigned long index)
{
	unsigned long z = seed * 0x9e3779b97f4a7c15UL + index + 1;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
	return (z ^ (z >> 31)) | 1; /* never 0, so zeroed pages differ */
}

void prot_fill(char *base, size_t from, size_t to, unsigned long seed)
{
	for (size_t pg = from; pg < to; pg++) {
		unsigned long *w = (unsigned long *)(base + pg * PROT_PAGE);

		for (int k = 0; k < PROT_WORDS_PER_PAGE; k++)
			w[k * 64] = prot_word(seed, pg * 8 + k);
	}
}

long prot_verify(const char *base, size_t from, size_t to,
		 unsigned long seed)
{
	for (size_t pg = from; pg < to; pg++) {
		const volatile unsigned long *w =
			(const unsigned long *)(base + pg * PROT_PAGE);

		for (int k = 0; k < PROT_WORDS_PER_PAGE; k++) {
			unsigned long want = seed ? prot_word(seed, pg * 8 + k) : 0;

			if (w[k * 64] != want)
				return (long)pg;
		}
	}
	return -1;
}

int prot_pagemap(pid_t pid, const void *addr, unsigned long long *entry)
{
	char path[64];
	off_t off = (off_t)((unsigned long)addr / PROT_PAGE * 8);
	ssize_t n;
	int fd;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	else
		snprintf(path, sizeof(path), "/proc/self/pagemap");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = pread(fd, entry, sizeof(*entry), off);
	close(fd);
	if (n != (ssize_t)sizeof(*entry)) {
		errno = n < 0 ? errno : EIO;
		return -1;
	}
	return 0;
}

/* ---- the glue's debugfs files --------------------------------------------- */

const char *prot_path(const char *name)
{
	static char bufs[4][128];
	static int next;
	char *b = bufs[next++ % 4];

	snprintf(b, sizeof(bufs[0]), "%s/%s", PROT_DIR, name);
	return b;
}

const char *prot_mode(void)
{
	static char mode[32];
	struct stat sb;

	/* A kernel without the glue has no directory: no monitor in use. */
	if (stat(PROT_DIR, &sb) < 0 ||
	    read_text(prot_path("mode"), mode, sizeof(mode)) <= 0)
		return "absent";
	return mode;
}

int prot_is_protected(void)
{
	return strcmp(prot_mode(), "protected") == 0;
}

long long prot_stat(const char *name)
{
	char buf[64], *end;
	long long v;

	if (read_text(prot_path(name), buf, sizeof(buf)) <= 0)
		return -1;
	v = strtoll(buf, &end, 10);
	return end == buf ? -1 : v;
}

int prot_calls_total(long long *calls, long long *refused)
{
	char buf[4096], *line;

	if (read_text(prot_path("calls"), buf, sizeof(buf)) <= 0)
		return -1;
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		if (sscanf(line, "total %lld %lld", calls, refused) == 2)
			return 0;
	return -1;
}

/*
 * An idle CPU keeps the last user mm it ran as its lazy active_mm, so a
 * dead process's root stays in the pool until that CPU switches mm. Running
 * this process once on every CPU makes each drop the dead mm (it then holds
 * ours, which is live anyway), so pool counts compare exactly.
 */
void prot_settle_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_CONF);
	cpu_set_t saved, one;

	if (sched_getaffinity(0, sizeof(saved), &saved) != 0)
		return;
	for (long cpu = 0; cpu < n && cpu < CPU_SETSIZE; cpu++) {
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		if (sched_setaffinity(0, sizeof(one), &one) == 0)
			sched_yield();
	}
	sched_setaffinity(0, sizeof(saved), &saved);
}

long long prot_poll_stat(const char *name, long long want, int timeout_ms)
{
	long long deadline = now_ns() + timeout_ms * 1000000LL;
	long long v;

	prot_settle_cpus();
	v = prot_stat(name);
	while (v != want && now_ns() < deadline) {
		usleep(50000);
		prot_settle_cpus();
		v = prot_stat(name);
	}
	return v;
}
