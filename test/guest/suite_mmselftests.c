/*
 * Suite "mmselftests": runs Linux's own mm selftests, built by
 * tools/build-mm-selftests and put under /mm by tools/build-initramfs
 * --mm-selftests, as listed in /mm/mm-selftests.list (test/
 * mm-selftests.list says what a line means).
 *
 * Each line runs as its own process group in /mm with a time limit; the
 * test's output goes straight to the console and is followed by
 *
 *   MMSELFTEST <name> PASS|FAIL|SKIP|TIMEOUT <seconds>s [<detail>]
 *
 * at the start of a line, where <name> is the program and its arguments
 * joined with ':' and <detail> is "exit N", "signal N (name)" or why the
 * test did not run.  Exit status 0 is PASS and 4 (kselftest's KSFT_SKIP) is
 * SKIP; anything else is FAIL.  The suite ends with
 *
 *   mmselftests: P passed, F failed, S skipped, T timed out
 *
 * Kernel command line: secmon.mm_only=NAME[,NAME...] runs only the lines
 * whose program (or whole name) is one of these; secmon.mm_timeout_scale=X
 * multiplies every time limit by X.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "guest.h"

#define MM_DIR "/mm"
#define MM_LIST MM_DIR "/mm-selftests.list"
#define MM_INFO MM_DIR "/BUILD-INFO"
#define KSFT_SKIP_STATUS 4
#define MAX_ARGS 32
#define MAX_SETTINGS 8
#define NAME_LEN 256
/* How long a test killed at its time limit gets to die. */
#define KILL_WAIT_S 10
/* Time the suite keeps for itself (summary, clean-up) out of its limit. */
#define SUITE_RESERVE_S 15

struct setting {
	char path[160];
	char value[64];
	char old[64];
	int saved;
};

struct mmtest {
	unsigned timeout_s;
	const char *category;
	struct setting settings[MAX_SETTINGS];
	int nsettings;
	long uid; /* -1: stay root */
	const char *needs;
	char *argv[MAX_ARGS + 1];
	int argc;
	char name[NAME_LEN];
};

struct counts {
	int passed, failed, skipped, timed_out;
};

static char list_text[64 * 1024];
static double timeout_scale = 1.0;
static long long suite_deadline_ns;

/* @hugetlb-reserve state */
static int hugetlb_reserved;
static char hugetlb_orig[32];
static char half_free_hugetlb_mb[32] = "0";

static double seconds_since(long long start_ns)
{
	return (double)(now_ns() - start_ns) / 1e9;
}

/* Reads "Key:   value kB" from /proc/meminfo; -1 if the key is absent. */
static long meminfo_value(const char *key)
{
	char line[256];
	size_t klen = strlen(key);
	long value = -1;
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
			value = strtol(line + klen + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return value;
}

static int write_long(const char *path, long value)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%ld", value);
	return write_text(path, buf);
}

/*
 * Like the start of run_vmtests.sh: enough free huge pages for
 * max(256 MiB, two per online CPU), in at most two tries.
 */
static void hugetlb_reserve(void)
{
	long hpage_kb = meminfo_value("Hugepagesize");
	long free_pages = meminfo_value("HugePages_Free");
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	long need_kb, need_pages, orig;

	if (hpage_kb <= 0 || free_pages < 0 ||
	    read_text("/proc/sys/vm/nr_hugepages", hugetlb_orig,
		      sizeof(hugetlb_orig)) <= 0) {
		printf("mmselftests: no hugetlb in this kernel, no huge pages "
		       "reserved\n");
		return;
	}
	hugetlb_reserved = 1;
	orig = strtol(hugetlb_orig, NULL, 10);
	need_kb = hpage_kb * (cpus > 0 ? cpus : 1) * 2;
	if (need_kb < 256 * 1024)
		need_kb = 256 * 1024;
	need_pages = need_kb / hpage_kb;
	for (int tries = 2; tries > 0 && free_pages < need_pages; tries--) {
		write_text("/proc/sys/vm/drop_caches", "3");
		if (write_long("/proc/sys/vm/nr_hugepages",
			       need_pages - free_pages + orig) < 0)
			printf("mmselftests: writing vm.nr_hugepages: %s\n",
			       strerror(errno));
		free_pages = meminfo_value("HugePages_Free");
	}
	if (free_pages < need_pages)
		printf("mmselftests: not enough huge pages available (%ld < "
		       "%ld)\n",
		       free_pages, need_pages);
	snprintf(half_free_hugetlb_mb, sizeof(half_free_hugetlb_mb), "%ld",
		 free_pages * hpage_kb / 1024 / 2);
	printf("mmselftests: %ld huge pages of %ld KiB free (vm.nr_hugepages "
	       "was %s)\n",
	       free_pages, hpage_kb, hugetlb_orig);
}

static void hugetlb_restore(void)
{
	if (!hugetlb_reserved)
		return;
	if (write_text("/proc/sys/vm/nr_hugepages", hugetlb_orig) < 0)
		printf("mmselftests: restoring vm.nr_hugepages=%s: %s\n",
		       hugetlb_orig, strerror(errno));
	hugetlb_reserved = 0;
}

/*
 * @swap-on: 256 MiB of swap on zram.  run_vmtests.sh uses whatever swap
 * the machine has; the initramfs has none, and without it khugepaged's
 * swap-in checks fail (its exit status, their count, then reads as
 * KSFT_SKIP).
 */
#define MM_SWAP_PAGES 65536

static void swap_on(void)
{
	if (zram_swap_on(MM_SWAP_PAGES) == 0)
		printf("mmselftests: swap on /dev/zram0, %d MiB\n",
		       MM_SWAP_PAGES / 256);
	else
		printf("mmselftests: no swap on /dev/zram0: %s\n",
		       strerror(errno));
}

/* What run_vmtests.sh does before each hugetlb test. */
static void drop_caches_and_compact(void)
{
	if (access("/proc/sys/vm/drop_caches", F_OK) != 0)
		return;
	write_text("/proc/sys/vm/drop_caches", "3");
	sleep(2);
	write_text("/proc/sys/vm/compact_memory", "1");
	sleep(2);
}

static void apply_settings(struct mmtest *t)
{
	for (int i = 0; i < t->nsettings; i++) {
		struct setting *s = &t->settings[i];

		s->saved = read_text(s->path, s->old, sizeof(s->old)) >= 0;
		if (!s->saved) {
			printf("mmselftests: %s: %s (left alone)\n", s->path,
			       strerror(errno));
			continue;
		}
		if (write_text(s->path, s->value) < 0) {
			printf("mmselftests: writing %s to %s: %s\n", s->value,
			       s->path, strerror(errno));
			s->saved = 0;
		}
	}
}

static void restore_settings(struct mmtest *t)
{
	for (int i = t->nsettings - 1; i >= 0; i--) {
		struct setting *s = &t->settings[i];

		if (s->saved && write_text(s->path, s->old) < 0)
			printf("mmselftests: restoring %s to %s: %s\n", s->path,
			       s->old, strerror(errno));
		s->saved = 0;
	}
}

/* "vm.nr_hugepages" -> "/proc/sys/vm/nr_hugepages"; 0 if well-formed. */
static int sysctl_path(const char *key, size_t klen, char *path, size_t len)
{
	size_t n = strlen("/proc/sys/");

	if (klen == 0 || n + klen + 1 > len)
		return -1;
	memcpy(path, "/proc/sys/", n);
	for (size_t i = 0; i < klen; i++) {
		char c = key[i];

		if (c == '.')
			c = '/';
		else if (!(c == '_' || c == '-' || (c >= 'a' && c <= 'z') ||
			   (c >= '0' && c <= '9')))
			return -1;
		path[n++] = c;
	}
	path[n] = '\0';
	return 0;
}

/* Splits one list line into t; returns 0, or -1 with a message in err. */
static int parse_line(char *line, struct mmtest *t, char *err, size_t errlen)
{
	char *save, *tok, *end;
	size_t name_len = 0;

	memset(t, 0, sizeof(*t));
	t->uid = -1;
	tok = strtok_r(line, " \t", &save);
	t->timeout_s = (unsigned)strtoul(tok, &end, 10);
	if (*end || t->timeout_s == 0) {
		snprintf(err, errlen, "bad time limit '%s'", tok);
		return -1;
	}
	t->category = strtok_r(NULL, " \t", &save);
	if (!t->category) {
		snprintf(err, errlen, "no category");
		return -1;
	}
	while ((tok = strtok_r(NULL, " \t", &save)) != NULL) {
		char *eq = strchr(tok, '=');

		if (t->argc > 0 || !eq) {
			if (t->argc == MAX_ARGS) {
				snprintf(err, errlen, "too many arguments");
				return -1;
			}
			t->argv[t->argc++] = tok;
			continue;
		}
		if (strncmp(tok, "uid=", 4) == 0) {
			t->uid = strtol(eq + 1, &end, 10);
			if (*end || t->uid < 0) {
				snprintf(err, errlen, "bad '%s'", tok);
				return -1;
			}
		} else if (strncmp(tok, "needs=", 6) == 0) {
			t->needs = eq + 1;
		} else {
			struct setting *s = &t->settings[t->nsettings];

			if (t->nsettings == MAX_SETTINGS ||
			    !memchr(tok, '.', (size_t)(eq - tok)) ||
			    sysctl_path(tok, (size_t)(eq - tok), s->path,
					sizeof(s->path)) < 0 ||
			    strlen(eq + 1) >= sizeof(s->value)) {
				snprintf(err, errlen, "bad setting '%s'", tok);
				return -1;
			}
			strcpy(s->value, eq + 1);
			t->nsettings++;
		}
	}
	if (t->argc == 0) {
		snprintf(err, errlen, "no program");
		return -1;
	}
	if (strchr(t->argv[0], '/')) {
		snprintf(err, errlen, "program '%s' is not a file name in %s",
			 t->argv[0], MM_DIR);
		return -1;
	}
	/* The name keeps the arguments as written, before substitution, so
	 * that it is the same on every machine. */
	for (int i = 0; i < t->argc; i++) {
		int n = snprintf(t->name + name_len, sizeof(t->name) - name_len,
				 "%s%s", i ? ":" : "", t->argv[i]);

		if (n < 0 || (size_t)n >= sizeof(t->name) - name_len) {
			snprintf(err, errlen, "name too long");
			return -1;
		}
		name_len += (size_t)n;
	}
	for (int i = 1; i < t->argc; i++)
		if (strcmp(t->argv[i], "{half_free_hugetlb_mb}") == 0)
			t->argv[i] = half_free_hugetlb_mb;
	return 0;
}

/* Whether secmon.mm_only (comma-separated) selects this test. */
static int selected(const char *only, const struct mmtest *t)
{
	const char *p = only;

	if (!only || !*only)
		return 1;
	while (*p) {
		size_t n = strcspn(p, ",");

		if ((strlen(t->argv[0]) == n &&
		     strncmp(p, t->argv[0], n) == 0) ||
		    (strlen(t->name) == n && strncmp(p, t->name, n) == 0))
			return 1;
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

static void report(struct counts *c, const struct mmtest *t, const char *status,
		   double secs, const char *detail)
{
	if (strcmp(status, "PASS") == 0)
		c->passed++;
	else if (strcmp(status, "SKIP") == 0)
		c->skipped++;
	else if (strcmp(status, "TIMEOUT") == 0)
		c->timed_out++;
	else
		c->failed++;
	/* The test's last line may lack its newline: start a fresh one. */
	printf("\nMMSELFTEST %s %s %.1fs%s%s\n", t->name, status, secs,
	       detail && *detail ? " " : "", detail ? detail : "");
	fflush(stdout);
}

static void __attribute__((noreturn))
exec_test(const struct mmtest *t, const sigset_t *oldmask)
{
	char path[NAME_LEN + 8];
	int fd;

	setpgid(0, 0);
	sigprocmask(SIG_SETMASK, oldmask, NULL);
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0 && fd != 0) {
		dup2(fd, 0);
		close(fd);
	}
	if (t->uid >= 0) {
		if (setgroups(0, NULL) < 0 || setgid((gid_t)t->uid) < 0 ||
		    setuid((uid_t)t->uid) < 0) {
			fprintf(stderr, "mmselftests: becoming user %ld: %s\n",
				t->uid, strerror(errno));
			_exit(126);
		}
	}
	snprintf(path, sizeof(path), "./%s", t->argv[0]);
	execv(path, t->argv);
	fprintf(stderr, "mmselftests: exec %s: %s\n", path, strerror(errno));
	_exit(127);
}

static void run_test(struct counts *c, struct mmtest *t)
{
	double limit_s = t->timeout_s * timeout_scale;
	long long start = now_ns(), deadline, left_ns;
	char path[NAME_LEN + 8], detail[96];
	sigset_t chld, oldmask;
	int status = 0, timed_out = 0, wait_err = 0;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/%s", MM_DIR, t->argv[0]);
	if (access(path, X_OK) != 0) {
		report(c, t, "FAIL", 0, "not-built (see " MM_INFO ")");
		return;
	}
	if (t->needs && access(t->needs, F_OK) != 0) {
		snprintf(detail, sizeof(detail), "needs %s", t->needs);
		report(c, t, "SKIP", 0, detail);
		return;
	}
	left_ns = suite_deadline_ns - now_ns();
	if (left_ns < 5 * 1000000000LL) {
		report(c, t, "TIMEOUT", 0, "not started: suite time limit");
		return;
	}
	if (limit_s * 1e9 > (double)left_ns) {
		limit_s = (double)left_ns / 1e9;
		printf(
		    "mmselftests: %s gets only the %.0f s left of the suite's "
		    "time limit\n",
		    t->name, limit_s);
	}

	if (strcmp(t->category, "hugetlb") == 0)
		drop_caches_and_compact();
	apply_settings(t);
	printf("mmselftests: running %s (category %s, time limit %.0f s)\n",
	       t->name, t->category, limit_s);
	fflush(stdout);
	fflush(stderr);

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &oldmask);
	start = now_ns();
	deadline = start + (long long)(limit_s * 1e9);
	pid = fork();
	if (pid < 0) {
		sigprocmask(SIG_SETMASK, &oldmask, NULL);
		snprintf(detail, sizeof(detail), "fork: %s", strerror(errno));
		restore_settings(t);
		report(c, t, "FAIL", 0, detail);
		return;
	}
	if (pid == 0)
		exec_test(t, &oldmask);
	setpgid(pid, pid);
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		long long left = deadline - now_ns();
		struct timespec ts;

		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			wait_err = errno;
			break;
		}
		if (left <= 0 && timed_out) {
			/* Stuck in the kernel: leave it and go on. */
			timed_out = 2;
			break;
		}
		if (left <= 0) {
			timed_out = 1;
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			deadline = now_ns() + KILL_WAIT_S * 1000000000LL;
			continue;
		}
		ts.tv_sec = (time_t)(left / 1000000000LL);
		ts.tv_nsec = (long)(left % 1000000000LL);
		sigtimedwait(&chld, NULL, &ts);
	}
	/* Helpers the test left running in its group go with it. */
	kill(-pid, SIGKILL);
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	restore_settings(t);

	if (timed_out) {
		int n = snprintf(detail, sizeof(detail), "killed after %.0f s",
				 limit_s);

		if (timed_out == 2 && n > 0 && (size_t)n < sizeof(detail))
			snprintf(detail + n, sizeof(detail) - (size_t)n,
				 ", not dead %d s later", KILL_WAIT_S);
		report(c, t, "TIMEOUT", seconds_since(start), detail);
	} else if (wait_err) {
		snprintf(detail, sizeof(detail), "waitpid: %s",
			 strerror(wait_err));
		report(c, t, "FAIL", seconds_since(start), detail);
	} else if (WIFEXITED(status)) {
		int code = WEXITSTATUS(status);

		snprintf(detail, sizeof(detail), "exit %d", code);
		report(c, t,
		       code == 0		  ? "PASS"
		       : code == KSFT_SKIP_STATUS ? "SKIP"
						  : "FAIL",
		       seconds_since(start), detail);
	} else if (WIFSIGNALED(status)) {
		snprintf(detail, sizeof(detail), "signal %d (%s)",
			 WTERMSIG(status), strsignal(WTERMSIG(status)));
		report(c, t, "FAIL", seconds_since(start), detail);
	} else {
		snprintf(detail, sizeof(detail), "wait status 0x%x", status);
		report(c, t, "FAIL", seconds_since(start), detail);
	}
}

static void print_build_info(void)
{
	char line[512];
	FILE *f = fopen(MM_INFO, "re");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		printf("mmselftests: build: %s", line);
	fclose(f);
}

int suite_mmselftests(void)
{
	const char *only = cmdline_get("secmon.mm_only");
	const char *scale = cmdline_get("secmon.mm_timeout_scale");
	long long suite_start = now_ns();
	struct counts c = {0};
	struct utsname u;
	char *line, *save;
	int fd, lineno = 0, bad = 0, nselected = 0;
	ssize_t n;
	size_t got = 0;

	suite_deadline_ns =
	    suite_start +
	    ((long long)guest_timeout_s - SUITE_RESERVE_S) * 1000000000LL;
	if (scale) {
		char *end;
		double v = strtod(scale, &end);

		if (*end || !(v > 0)) {
			printf(
			    "mmselftests: ignoring secmon.mm_timeout_scale=%s "
			    "(not a positive number)\n",
			    scale);
		} else {
			timeout_scale = v;
		}
	}

	fd = open(MM_LIST, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		printf("mmselftests: %s: %s (build the initramfs with "
		       "tools/build-initramfs --mm-selftests DIR)\n",
		       MM_LIST, strerror(errno));
		return 1;
	}
	while (got + 1 < sizeof(list_text) &&
	       (n = read(fd, list_text + got, sizeof(list_text) - 1 - got)) > 0)
		got += (size_t)n;
	close(fd);
	list_text[got] = '\0';
	if (chdir(MM_DIR) < 0) {
		printf("mmselftests: chdir %s: %s\n", MM_DIR, strerror(errno));
		return 1;
	}
	/* Several tests make files in /tmp (tmpfile(), O_TMPFILE).  Without
	 * CONFIG_TMPFS the kernel refuses the mount (EINVAL). */
	if (mount("tmpfs", "/tmp", "tmpfs", 0, "mode=1777") < 0)
		printf("mmselftests: mounting tmpfs on /tmp: %s (tests use the "
		       "initramfs there)\n",
		       strerror(errno));
	if (uname(&u) == 0)
		printf("mmselftests: kernel %s %s %s\n", u.release, u.version,
		       u.machine);
	print_build_info();
	printf("mmselftests: time limit scale %g%s%s\n", timeout_scale,
	       only ? ", only " : "", only ? only : "");

	for (line = strtok_r(list_text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct mmtest t;
		char err[128];

		lineno++;
		line += strspn(line, " \t");
		if (*line == '#' || *line == '\0')
			continue;
		if (*line == '@') {
			line[strcspn(line, " \t")] = '\0';
			if (strcmp(line, "@hugetlb-reserve") == 0) {
				hugetlb_reserve();
			} else if (strcmp(line, "@hugetlb-restore") == 0) {
				hugetlb_restore();
			} else if (strcmp(line, "@swap-on") == 0) {
				swap_on();
			} else if (strcmp(line, "@swap-off") == 0) {
				zram_swap_off();
			} else {
				printf("mmselftests: %s:%d: unknown directive "
				       "%s\n",
				       MM_LIST, lineno, line);
				bad++;
			}
			continue;
		}
		if (parse_line(line, &t, err, sizeof(err)) < 0) {
			printf("mmselftests: %s:%d: %s\n", MM_LIST, lineno,
			       err);
			bad++;
			continue;
		}
		if (selected(only, &t)) {
			run_test(&c, &t);
			nselected++;
		}
	}
	hugetlb_restore();
	if (nselected == 0)
		printf("mmselftests: no test in %s matches secmon.mm_only=%s\n",
		       MM_LIST, only ? only : "");

	if (bad)
		printf("mmselftests: %d bad line(s) in %s\n", bad, MM_LIST);
	printf("mmselftests: ran for %.0f s\n", seconds_since(suite_start));
	printf("mmselftests: %d passed, %d failed, %d skipped, %d timed out\n",
	       c.passed, c.failed, c.skipped, c.timed_out);
	fflush(stdout);
	return (c.failed || c.timed_out || bad) ? 1 : 0;
}
