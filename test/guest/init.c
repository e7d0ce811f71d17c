/*
 * /init of the secmon test initramfs.
 *
 * As PID 1: mounts proc, sysfs, devtmpfs and (if the kernel has it)
 * debugfs, picks the suite named by
 * secmon.suite= on the kernel command line (default "demo"), runs it in a
 * child process with a time limit (secmon.timeout=SECONDS, by default the
 * suite's own: 120 s, more for hotplug and suspend), prints
 * "SECMON-GUEST-DONE suite=<name> rc=<0|1>" and powers off, which on secmon
 * ends in an SBI SRST call.
 *
 * Before the suite it loads every module under /modules (an initramfs made
 * with tools/build-initramfs --modules, for a kernel with KVM as a module,
 * as distributions ship it); a module that does not load fails the run.
 *
 * Started with a "--" mode argument it is a helper process of a suite.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "guest.h"

#define DEFAULT_SUITE "demo"

static char cmdline[4096];

unsigned guest_timeout_s;

const char *cmdline_get(const char *key)
{
	static int loaded;
	size_t klen = strlen(key);
	char *p;

	if (!loaded) {
		if (read_text("/proc/cmdline", cmdline, sizeof(cmdline)) < 0)
			cmdline[0] = '\0';
		loaded = 1;
	}
	for (p = cmdline; *p;) {
		char *end;

		while (*p == ' ')
			p++;
		end = p;
		while (*end && *end != ' ')
			end++;
		if ((size_t)(end - p) > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
			/* Return a copy so callers can keep it as a C string. */
			static char values[8][256];
			static int next;
			char *v = values[next++ % 8];
			size_t n = (size_t)(end - p) - klen - 1;

			if (n >= sizeof(values[0]))
				n = sizeof(values[0]) - 1;
			memcpy(v, p + klen + 1, n);
			v[n] = '\0';
			return v;
		}
		p = end;
	}
	return NULL;
}

int read_text(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t got = 0;

	if (fd < 0)
		return -1;
	while (got + 1 < len) {
		ssize_t n = read(fd, buf + got, len - 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	while (got > 0 && (buf[got - 1] == '\n' || buf[got - 1] == ' '))
		buf[--got] = '\0';
	return (int)got;
}

int sysfs_online_cpus(char *text, size_t len)
{
	char buf[256];
	char *p;
	int count = 0;

	if (read_text("/sys/devices/system/cpu/online", buf, sizeof(buf)) <= 0)
		return -1;
	if (text)
		snprintf(text, len, "%s", buf);
	/* Format: comma-separated ranges, e.g. "0-3,5". */
	for (p = buf; *p;) {
		char *end;
		long lo = strtol(p, &end, 10), hi = lo;

		if (end == p)
			return -1;
		if (*end == '-') {
			p = end + 1;
			hi = strtol(p, &end, 10);
			if (end == p || hi < lo)
				return -1;
		}
		count += (int)(hi - lo + 1);
		p = end;
		if (*p == ',')
			p++;
		else if (*p)
			return -1;
	}
	return count;
}

int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	size_t len = strlen(text);
	ssize_t n;
	int saved;

	if (fd < 0) {
		return -1;
	}
	/* sysfs attributes act on one write(); a short one is an error. */
	n = write(fd, text, len);
	saved = errno;
	if (close(fd) < 0 && n >= 0) {
		return -1;
	}
	if (n < 0) {
		errno = saved;
		return -1;
	}
	if ((size_t)n != len) {
		errno = EIO;
		return -1;
	}
	return 0;
}

long long clock_ns(int clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

long long now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

void tally_record(struct tally *t, const char *name, int rc, const char *why)
{
	if (rc == 0) {
		printf("PASS %s\n", name);
		t->passed++;
	} else if (rc == SKIPPED) {
		printf("SKIP %s: %s\n", name, why);
		t->skipped++;
	} else {
		printf("FAIL %s: %s\n", name, why);
		t->failed++;
	}
	fflush(stdout);
}

int tally_finish(const struct tally *t, const char *suite)
{
	if (t->skipped) {
		printf("%s: %d skipped\n", suite, t->skipped);
	}
	printf("%d passed, %d failed\n", t->passed, t->failed);
	fflush(stdout);
	return t->failed ? 1 : 0;
}

static void mount_fs(const char *src, const char *dir, const char *type)
{
	mkdir(dir, 0755);
	if (mount(src, dir, type, 0, NULL) < 0 && errno != EBUSY)
		printf("init: mount %s on %s failed: %s\n", type, dir, strerror(errno));
}

/* Makes sure fds 0-2 are open on the console even if the initramfs had no
 * /dev/console node for the kernel to open. */
static void ensure_console(void)
{
	int fd;

	if (fcntl(1, F_GETFD) >= 0)
		return;
	fd = open("/dev/console", O_RDWR | O_NOCTTY);
	if (fd < 0)
		return;
	for (int i = 0; i < 3; i++)
		if (fd != i)
			dup2(fd, i);
	if (fd > 2)
		close(fd);
}

static void print_uptime(void)
{
	char buf[128];

	if (read_text("/proc/uptime", buf, sizeof(buf)) > 0) {
		char *sp = strchr(buf, ' ');

		if (sp)
			*sp = '\0';
		printf("init: uptime %s s\n", buf);
	}
}

static volatile sig_atomic_t timed_out;

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
}

/* Runs the suite in a child process; returns 0 if it passed, 1 otherwise. */
static int run_suite(const char *name, int (*fn)(void), unsigned timeout_s)
{
	struct sigaction sa;
	pid_t child;
	int status;

	fflush(stdout);
	child = fork();
	if (child < 0) {
		printf("init: fork failed: %s\n", strerror(errno));
		return 1;
	}
	if (child == 0) {
		setpgid(0, 0);
		int rc = fn();

		fflush(stdout);
		_exit(rc ? 1 : 0);
	}
	setpgid(child, child);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm; /* no SA_RESTART: waitpid returns EINTR */
	sigaction(SIGALRM, &sa, NULL);
	alarm(timeout_s);
	for (;;) {
		pid_t pid = waitpid(-1, &status, 0);

		if (pid == child)
			break;
		if (pid < 0 && errno == EINTR && timed_out) {
			printf("init: suite %s did not finish within %u s, killing it\n",
			       name, timeout_s);
			kill(-child, SIGKILL);
			kill(child, SIGKILL);
			timed_out = 0;
			continue;
		}
		if (pid < 0 && errno == ECHILD)
			return 1;
		/* Some reparented orphan: reaped, keep waiting. */
	}
	alarm(0);
	/* Reap anything the suite left behind. */
	kill(-child, SIGKILL);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	if (WIFEXITED(status))
		return WEXITSTATUS(status) == 0 ? 0 : 1;
	if (WIFSIGNALED(status))
		printf("init: suite %s killed by signal %d (%s)\n", name,
		       WTERMSIG(status), strsignal(WTERMSIG(status)));
	return 1;
}

/* Loads every .ko file of /modules with finit_module(2); returns the
 * failures. */
static int load_modules(void)
{
	DIR *d = opendir("/modules");
	struct dirent *e;
	int failed = 0;

	if (!d) {
		return 0;
	}
	while ((e = readdir(d)) != NULL) {
		char path[300];
		size_t n = strlen(e->d_name);
		int fd;

		if (n < 4 || strcmp(e->d_name + n - 3, ".ko") != 0) {
			continue;
		}
		snprintf(path, sizeof(path), "/modules/%s", e->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || syscall(SYS_finit_module, fd, "", 0) != 0) {
			printf("init: loading module %s failed: %s\n", path,
			       strerror(errno));
			failed++;
		} else {
			printf("init: loaded module %s\n", path);
		}
		if (fd >= 0) {
			close(fd);
		}
	}
	closedir(d);
	return failed;
}

static void __attribute__((noreturn)) init_main(void)
{
	/* Default time limits stay below the QEMU time limits of tools/run
	 * (300 s) and test/qemu (240 s) so the suite can still report. */
	static const struct {
		const char *name;
		int (*fn)(void);
		unsigned timeout_s;
	} suites[] = {
		{ "demo", suite_demo, 120 },
		{ "basic", suite_basic, 120 },
		{ "hotplug", suite_hotplug, 200 },
		{ "suspend", suite_suspend, 150 },
		{ "trace", suite_trace, 120 },
		{ "protected", suite_protected, 0 }, /* by tier, see below */
		{ "gluebench", suite_gluebench, 200 },
		{ "pmu", suite_pmu, 150 },
		/* Linux's mm selftests under TCG: the caller sets QEMU's own
		 * time limit to match. */
		{ "mmselftests", suite_mmselftests, 3000 },
		/* A VMM of our own on /dev/kvm: one small guest. */
		{ "kvm", suite_kvm, 150 },
		/* What KVM costs, for tools/bench-kvm. */
		{ "kvmbench", suite_kvmbench, 280 },
		/* Linux's KVM selftests under TCG (300 s each at most): the
		 * caller sets QEMU's own time limit to match. */
		{ "kvmselftests", suite_kvmselftests, 3000 },
	};
	const char *name, *t;
	unsigned timeout_s = 120;
	int (*fn)(void) = NULL;
	int rc, bad_modules;

	mount_fs("devtmpfs", "/dev", "devtmpfs");
	ensure_console();
	setvbuf(stdout, NULL, _IOLBF, 0);
	setvbuf(stderr, NULL, _IONBF, 0);
	mount_fs("proc", "/proc", "proc");
	mount_fs("sysfs", "/sys", "sysfs");
	/* The Linux glue's statistics and test files (SECMON_DEBUGFS); sysfs
	 * has the mount point only if the kernel has debugfs. */
	if (access("/sys/kernel/debug", F_OK) == 0)
		mount_fs("debugfs", "/sys/kernel/debug", "debugfs");

	name = cmdline_get("secmon.suite");
	if (!name || !*name) {
		name = DEFAULT_SUITE;
	}

	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		if (strcmp(suites[i].name, name) == 0) {
			fn = suites[i].fn;
			timeout_s = suites[i].timeout_s;
		}
	}
	if (fn == suite_protected)
		timeout_s = protected_timeout_s();
	t = cmdline_get("secmon.timeout");
	if (t && atoi(t) > 0) {
		timeout_s = (unsigned)atoi(t);
	}
	guest_timeout_s = timeout_s;

	print_uptime();
	bad_modules = load_modules();
	if (fn) {
		printf("init: running suite %s (time limit %u s)\n", name,
		       timeout_s);
		rc = run_suite(name, fn, timeout_s);
	} else {
		printf("init: unknown suite '%s' (known: demo, basic, hotplug, suspend, trace, protected, gluebench, pmu, mmselftests, kvm, kvmbench, kvmselftests)\n",
		       name);
		rc = 1;
	}
	if (bad_modules) {
		printf("init: %d module(s) under /modules did not load: the run "
		       "fails (a module built for another kernel? see the "
		       "lines above and dmesg)\n",
		       bad_modules);
		rc = 1;
	}
	print_uptime();
	printf("SECMON-GUEST-DONE suite=%s rc=%d\n", name, rc);
	fflush(stdout);

	sync();
	reboot(RB_POWER_OFF);
	/* Only reached if power-off failed; PID 1 must not exit. */
	printf("init: reboot(RB_POWER_OFF) failed: %s\n", strerror(errno));
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], MODE_EXIT_CODE) == 0) {
		return atoi(argv[2]);
	}
	if (argc >= 2 && strcmp(argv[1], MODE_WORKER) == 0) {
		return worker_main(argc, argv);
	}
	if (argc >= 2 && strcmp(argv[1], MODE_JOB) == 0) {
		return job_main(argc, argv);
	}
	if (getpid() == 1) {
		init_main();
	}
	fprintf(stderr, "usage: as PID 1, or %s N, or %s N, or %s SEED\n",
		MODE_EXIT_CODE, MODE_WORKER, MODE_JOB);
	return 2;
}
