/*
 * Running one program of a selftest suite (Linux's kselftests) with a time
 * limit: in its own process group, stdin on /dev/null, output straight to
 * the console, the whole group killed at the limit.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "guest.h"

#define NS_PER_S 1000000000LL

static void __attribute__((noreturn))
exec_child(char *const argv[], long uid, const sigset_t *oldmask)
{
	int fd;

	setpgid(0, 0);
	sigprocmask(SIG_SETMASK, oldmask, NULL);
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0 && fd != 0) {
		dup2(fd, 0);
		close(fd);
	}
	if (uid >= 0 && (setgroups(0, NULL) < 0 || setgid((gid_t)uid) < 0 ||
			 setuid((uid_t)uid) < 0)) {
		fprintf(stderr, "selftest: becoming user %ld: %s\n", uid,
			strerror(errno));
		_exit(126);
	}
	execv(argv[0], argv);
	fprintf(stderr, "selftest: exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

void selftest_exec(char *const argv[], long uid, double limit_s,
		   struct selftest_result *r)
{
	long long start = now_ns(), deadline;
	sigset_t chld, oldmask;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	fflush(stdout);
	fflush(stderr);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &oldmask);
	deadline = start + (long long)(limit_s * 1e9);
	pid = fork();
	if (pid < 0) {
		r->fork_err = errno;
		sigprocmask(SIG_SETMASK, &oldmask, NULL);
		return;
	}
	if (pid == 0)
		exec_child(argv, uid, &oldmask);
	setpgid(pid, pid);
	for (;;) {
		pid_t w = waitpid(pid, &r->status, WNOHANG);
		long long left = deadline - now_ns();
		struct timespec ts;

		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			r->wait_err = errno;
			break;
		}
		if (left <= 0 && r->timed_out) {
			/* Stuck in the kernel: leave it and go on. */
			r->timed_out = 2;
			break;
		}
		if (left <= 0) {
			r->timed_out = 1;
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			deadline = now_ns() + SELFTEST_KILL_WAIT_S * NS_PER_S;
			continue;
		}
		ts.tv_sec = (time_t)(left / NS_PER_S);
		ts.tv_nsec = (long)(left % NS_PER_S);
		sigtimedwait(&chld, NULL, &ts);
	}
	/* Helpers or threads the test left in its group go with it. */
	kill(-pid, SIGKILL);
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	r->secs = (double)(now_ns() - start) / 1e9;
}

const char *selftest_verdict(const struct selftest_result *r, double limit_s,
			     const char *exit_prefix, char *detail, size_t len)
{
	if (r->fork_err) {
		snprintf(detail, len, "fork: %s", strerror(r->fork_err));
		return "FAIL";
	}
	if (r->timed_out == 2) {
		snprintf(detail, len,
			 "killed after %.0f s, not dead %d s later", limit_s,
			 SELFTEST_KILL_WAIT_S);
		return "TIMEOUT";
	}
	if (r->timed_out) {
		snprintf(detail, len, "killed after %.0f s", limit_s);
		return "TIMEOUT";
	}
	if (r->wait_err) {
		snprintf(detail, len, "waitpid: %s", strerror(r->wait_err));
		return "FAIL";
	}
	if (WIFEXITED(r->status)) {
		int code = WEXITSTATUS(r->status);

		snprintf(detail, len, "%s%d", exit_prefix, code);
		return code == 0		    ? "PASS"
		       : code == SELFTEST_KSFT_SKIP ? "SKIP"
						    : "FAIL";
	}
	if (WIFSIGNALED(r->status)) {
		snprintf(detail, len, "signal %d (%s)", WTERMSIG(r->status),
			 strsignal(WTERMSIG(r->status)));
		return "FAIL";
	}
	snprintf(detail, len, "wait status 0x%x", r->status);
	return "FAIL";
}

void selftest_count(struct selftest_counts *c, const char *status)
{
	if (strcmp(status, "PASS") == 0)
		c->passed++;
	else if (strcmp(status, "SKIP") == 0)
		c->skipped++;
	else if (strcmp(status, "TIMEOUT") == 0)
		c->timed_out++;
	else
		c->failed++;
}
