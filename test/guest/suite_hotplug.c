/*
 * Suite "hotplug": CPU hotplug under load.
 *
 * Worker processes (each forks and execs "/init --job SEED" and checks the
 * answer against its own computation) and threads (checking against a
 * table) keep the CPUs busy while every secondary CPU is taken offline and
 * back online through /sys/devices/system/cpu/cpuN/online, for
 * secmon.hotplug_rounds= rounds (default 20).  On secmon that is SBI HSM
 * hart_stop and hart_start.  After each write the online file, the online
 * list and sysconf(_SC_NPROCESSORS_ONLN) must agree.  Then the load is
 * stopped and every result checked.  Rounds stop early (reported, not a
 * failure) once they would leave too little of the suite's time limit.
 *
 * With a single CPU there is nothing to unplug: the load still runs for a
 * few seconds and is checked, and the hotplug tests report SKIP.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest.h"

#define DEFAULT_ROUNDS 20
#define MAX_ROUNDS 10000
#define MAX_CPUS 64 /* CPU masks are one 64-bit word */
#define MAX_WORKERS 16
#define MAX_THREADS 8
#define TABLE_SEEDS 16 /* thread jobs cycle through these seeds */
#define TABLE_BASE 500000
#define JOB_SPAN 2000 /* Collatz start values per job */
#define JOB_WORDS 1024 /* scratch memory per job */
#define LOAD_ONLY_MS 3000 /* load time when no CPU can be unplugged */
#define STOP_GRACE_S 30 /* for workers to finish their last job */
/* Kept back from the suite's time limit for stopping, checking, reporting. */
#define REPORT_MARGIN_S (STOP_GRACE_S + 15)
#define NS_PER_MS 1000000LL

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

	if (WIFEXITED(st)) {
		snprintf(buf, sizeof(buf), "exit status %d", WEXITSTATUS(st));
	} else if (WIFSIGNALED(st)) {
		snprintf(buf, sizeof(buf), "killed by signal %d (%s)",
			 WTERMSIG(st), strsignal(WTERMSIG(st)));
	} else {
		snprintf(buf, sizeof(buf), "wait status 0x%x", st);
	}
	return buf;
}

/* ---- the job ------------------------------------------------------------- */

/*
 * Collatz step counts (integer), a running average (FPU) and a scratch
 * buffer (memory): a register, FPU state or page lost when a task moves
 * off a CPU that goes away changes the result.
 */
unsigned long long job_compute(unsigned long long seed)
{
	volatile unsigned int scratch[JOB_WORDS];
	unsigned long long h = 0xcbf29ce484222325ull ^ seed;
	unsigned long long first = seed * 7 + 1, bits;
	double avg = 0.0;

	for (unsigned long long n = first; n < first + JOB_SPAN; n++) {
		unsigned long long x = n, steps = 0;

		while (x != 1) {
			x = (x & 1) ? 3 * x + 1 : x / 2;
			steps++;
		}
		h = (h ^ steps) * 0x100000001b3ull;
		avg = avg * 0.75 + (double)steps / (double)n;
	}
	for (unsigned int i = 0; i < JOB_WORDS; i++) {
		scratch[i] = (unsigned int)(h >> (i % 32)) ^ i * 2654435761u;
	}
	for (unsigned int i = JOB_WORDS; i-- > 0;) {
		h = (h ^ scratch[i]) * 0x100000001b3ull;
	}
	memcpy(&bits, &avg, sizeof(bits));
	return h ^ bits;
}

/* "/init --job SEED": the exec'd half of a worker's check. */
int job_main(int argc, char **argv)
{
	if (argc < 3) {
		return 2;
	}
	printf("%llu\n", job_compute(strtoull(argv[2], NULL, 10)));
	return 0;
}

/* ---- worker processes ---------------------------------------------------- */

struct worker {
	pid_t pid;
	int fd; /* read end of the worker's report pipe */
	int status;
	int reaped;
	unsigned long long jobs, errors;
	char first_error[160];
};

static volatile sig_atomic_t worker_stop;

static void on_stop(int sig)
{
	(void)sig;
	worker_stop = 1;
}

/* Reads everything until EOF; returns the length. */
static size_t read_all(int fd, char *buf, size_t len)
{
	size_t got = 0;

	while (got + 1 < len) {
		ssize_t n = read(fd, buf + got, len - 1 - got);

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			break;
		}
		got += (size_t)n;
	}
	buf[got] = '\0';
	return got;
}

/* Runs "/init --job SEED" and reads its answer.  Returns 0, or -1 with a
 * description in err. */
static int run_job(unsigned long long seed, unsigned long long *out, char *err,
		   size_t len)
{
	char arg[24], buf[64], *end;
	char *argv[] = {"/init", MODE_JOB, arg, NULL};
	char *envp[] = {NULL};
	int p[2], st;
	pid_t pid;

	snprintf(arg, sizeof(arg), "%llu", seed);
	if (pipe2(p, O_CLOEXEC) < 0) {
		snprintf(err, len, "pipe: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		execve("/init", argv, envp);
		_exit(127);
	}
	close(p[1]);
	if (pid < 0) {
		snprintf(err, len, "fork: %s", strerror(errno));
		close(p[0]);
		return -1;
	}
	read_all(p[0], buf, sizeof(buf));
	close(p[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		snprintf(err, len, "job %llu: %s", seed, describe_status(st));
		return -1;
	}
	*out = strtoull(buf, &end, 10);
	if (end == buf) {
		snprintf(err, len, "job %llu: unreadable answer \"%.20s\"",
			 seed, buf);
		return -1;
	}
	return 0;
}

/* Body of a worker process: jobs until SIGUSR1, then one report line
 * "JOBS ERRORS FIRST-ERROR" on fd. */
static void __attribute__((noreturn)) worker_run(int id, int fd)
{
	unsigned long long seed = (unsigned long long)(id + 1) * 1000000;
	unsigned long long jobs = 0, errors = 0;
	char first[160] = "", err[160];

	while (!worker_stop) {
		unsigned long long want = job_compute(seed), got = 0;
		int bad = run_job(seed, &got, err, sizeof(err)) < 0;

		if (!bad && got != want) {
			snprintf(err, sizeof(err),
				 "job %llu: answer %llx, expected %llx", seed,
				 got, want);
			bad = 1;
		}
		if (bad && errors++ == 0) {
			snprintf(first, sizeof(first), "%s", err);
		}
		jobs++;
		seed++;
	}
	dprintf(fd, "%llu %llu %s\n", jobs, errors, first);
	_exit(0);
}

static int start_workers(struct worker *w, int n)
{
	struct sigaction sa;

	/* Set before the fork so a stop sent at once is never fatal. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	for (int i = 0; i < n; i++) {
		int p[2];

		w[i] = (struct worker){.pid = -1, .fd = -1};
		if (pipe2(p, O_CLOEXEC) < 0) {
			return fail("pipe: %s", strerror(errno));
		}
		fflush(stdout);
		w[i].pid = fork();
		if (w[i].pid == 0) {
			close(p[0]);
			worker_run(i, p[1]);
		}
		close(p[1]);
		if (w[i].pid < 0) {
			close(p[0]);
			return fail("fork of worker %d: %s", i,
				    strerror(errno));
		}
		w[i].fd = p[0];
	}
	return 0;
}

/* Stops the workers and reaps them; the ones still running after
 * STOP_GRACE_S are killed (and counted as failures by check_workers). */
static void stop_workers(struct worker *w, int n)
{
	long long deadline = now_ns() + STOP_GRACE_S * 1000 * NS_PER_MS;
	int left = 0;

	for (int i = 0; i < n; i++) {
		if (w[i].pid > 0) {
			kill(w[i].pid, SIGUSR1);
			left++;
		}
	}
	while (left > 0) {
		for (int i = 0; i < n; i++) {
			if (w[i].pid <= 0 || w[i].reaped) {
				continue;
			}
			if (waitpid(w[i].pid, &w[i].status, WNOHANG) ==
			    w[i].pid) {
				w[i].reaped = 1;
				left--;
			} else if (now_ns() > deadline) {
				kill(w[i].pid, SIGKILL);
			}
		}
		if (left > 0) {
			usleep(20000);
		}
	}
}

static int check_workers(struct worker *w, int n, unsigned long long *total)
{
	char buf[256];
	int rc = 0;

	*total = 0;
	for (int i = 0; i < n; i++) {
		if (w[i].pid <= 0) {
			continue;
		}
		read_all(w[i].fd, buf, sizeof(buf));
		close(w[i].fd);
		if (!WIFEXITED(w[i].status) || WEXITSTATUS(w[i].status) != 0) {
			if (!rc) {
				rc = fail("worker %d: %s", i,
					  describe_status(w[i].status));
			}
			continue;
		}
		if (sscanf(buf, "%llu %llu %159[^\n]", &w[i].jobs, &w[i].errors,
			   w[i].first_error) < 2) {
			if (!rc) {
				rc = fail(
				    "worker %d: unreadable report \"%.60s\"", i,
				    buf);
			}
			continue;
		}
		*total += w[i].jobs;
		if (w[i].errors && !rc) {
			rc = fail(
			    "worker %d: %llu of %llu jobs wrong, first: %s", i,
			    w[i].errors, w[i].jobs, w[i].first_error);
		} else if (w[i].jobs == 0 && !rc) {
			rc = fail("worker %d finished no job", i);
		}
	}
	return rc;
}

/* ---- threads ------------------------------------------------------------- */

struct loader {
	pthread_t tid;
	int id;
	int started;
	unsigned long long jobs, errors;
	unsigned long long cpus; /* mask of the CPUs it ran on */
	char first_error[120];
};

static unsigned long long table[TABLE_SEEDS];
static _Atomic int threads_stop;
static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long long shared_count;

static void *loader_main(void *arg)
{
	struct loader *l = arg;

	for (unsigned k = (unsigned)l->id; !atomic_load(&threads_stop); k++) {
		unsigned slot = k % TABLE_SEEDS;
		unsigned long long got = job_compute(TABLE_BASE + slot);
		int cpu = sched_getcpu();

		if (got != table[slot] && l->errors++ == 0) {
			snprintf(l->first_error, sizeof(l->first_error),
				 "seed %u: %llx, expected %llx",
				 TABLE_BASE + slot, got, table[slot]);
		}
		if (cpu >= 0 && cpu < MAX_CPUS) {
			l->cpus |= 1ull << cpu;
		}
		pthread_mutex_lock(&shared_lock);
		shared_count++;
		pthread_mutex_unlock(&shared_lock);
		l->jobs++;
	}
	return NULL;
}

static int start_threads(struct loader *l, int n)
{
	for (int i = 0; i < TABLE_SEEDS; i++) {
		table[i] = job_compute(TABLE_BASE + (unsigned long long)i);
	}
	atomic_store(&threads_stop, 0);
	shared_count = 0;
	for (int i = 0; i < n; i++) {
		int err;

		l[i] = (struct loader){.id = i};
		err = pthread_create(&l[i].tid, NULL, loader_main, &l[i]);
		if (err) {
			return fail("pthread_create: %s", strerror(err));
		}
		l[i].started = 1;
	}
	return 0;
}

static void stop_threads(struct loader *l, int n)
{
	atomic_store(&threads_stop, 1);
	for (int i = 0; i < n; i++) {
		if (l[i].started) {
			pthread_join(l[i].tid, NULL);
		}
	}
}

static int check_threads(const struct loader *l, int n,
			 unsigned long long *total, unsigned long long *cpus)
{
	*total = 0;
	*cpus = 0;
	for (int i = 0; i < n; i++) {
		if (!l[i].started) {
			continue;
		}
		if (l[i].errors) {
			return fail(
			    "thread %d: %llu of %llu jobs wrong, first: %s", i,
			    l[i].errors, l[i].jobs, l[i].first_error);
		}
		*total += l[i].jobs;
		*cpus |= l[i].cpus;
	}
	if (shared_count != *total) {
		return fail(
		    "mutex-protected counter is %llu, the threads counted %llu",
		    shared_count, *total);
	}
	if (*total == 0) {
		return fail("the threads finished no job");
	}
	return 0;
}

/* ---- CPU state ----------------------------------------------------------- */

struct cpus {
	unsigned long long mask; /* online at the start */
	int n; /* number of CPUs in mask */
	int secondary[MAX_CPUS]; /* the ones with an online file */
	int nsec;
};

struct stats {
	unsigned long offs, ons;
	long long off_ns, off_max, on_ns, on_max;
};

/* Parses a CPU list such as "0-3,5" into a mask. */
static int parse_cpu_list(const char *s, unsigned long long *mask)
{
	*mask = 0;
	while (*s) {
		char *end;
		long lo = strtol(s, &end, 10), hi = lo;

		if (end == s) {
			return -1;
		}
		if (*end == '-') {
			s = end + 1;
			hi = strtol(s, &end, 10);
			if (end == s || hi < lo) {
				return -1;
			}
		}
		if (lo < 0 || hi >= MAX_CPUS) {
			return -1;
		}
		for (long c = lo; c <= hi; c++) {
			*mask |= 1ull << c;
		}
		s = end;
		if (*s == ',') {
			s++;
		} else if (*s) {
			return -1;
		}
	}
	return 0;
}

static int read_cpu_list(const char *path, unsigned long long *mask, char *text,
			 size_t len)
{
	if (read_text(path, text, len) <= 0 || parse_cpu_list(text, mask) < 0) {
		return fail("cannot parse %s (\"%s\")", path, text);
	}
	return 0;
}

static int find_cpus(struct cpus *c)
{
	char online[128] = "", present[128] = "", path[96], val[8];
	unsigned long long pmask;
	long sc = sysconf(_SC_NPROCESSORS_ONLN);

	if (read_cpu_list("/sys/devices/system/cpu/online", &c->mask, online,
			  sizeof(online)) ||
	    read_cpu_list("/sys/devices/system/cpu/present", &pmask, present,
			  sizeof(present))) {
		return 1;
	}
	c->n = __builtin_popcountll(c->mask);
	if (c->mask != pmask) {
		return fail(
		    "CPUs %s are present but only %s online at the start",
		    present, online);
	}
	if (sc != c->n) {
		return fail(
		    "sysconf(_SC_NPROCESSORS_ONLN) is %ld, /sys/devices/system/cpu/online \"%s\"",
		    sc, online);
	}
	for (int cpu = 1; cpu < MAX_CPUS; cpu++) {
		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/cpu%d/online", cpu);
		if ((c->mask & (1ull << cpu)) &&
		    read_text(path, val, sizeof(val)) > 0) {
			c->secondary[c->nsec++] = cpu;
		}
	}
	printf("hotplug: %d CPU(s) online (%s), %d hot-pluggable\n", c->n,
	       online, c->nsec);
	return 0;
}

/* The online list and sysconf must both show exactly the CPUs in want. */
static int check_online(unsigned long long want)
{
	char text[128] = "";
	unsigned long long mask;
	long sc;

	if (read_cpu_list("/sys/devices/system/cpu/online", &mask, text,
			  sizeof(text))) {
		return 1;
	}
	if (mask != want) {
		return fail(
		    "/sys/devices/system/cpu/online is \"%s\", expected mask 0x%llx",
		    text, want);
	}
	sc = sysconf(_SC_NPROCESSORS_ONLN);
	if (sc != __builtin_popcountll(want)) {
		return fail("sysconf(_SC_NPROCESSORS_ONLN) is %ld, expected %d",
			    sc, __builtin_popcountll(want));
	}
	return 0;
}

/* Writes cpuN/online, reads it back and checks the online set. */
static int transition(struct stats *s, unsigned long long *mask, int cpu,
		      int on)
{
	const char *want = on ? "1" : "0",
		   *what = on ? "onlining" : "offlining";
	char path[96], val[8] = "";
	long long t0 = now_ns(), took;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online",
		 cpu);
	if (write_text(path, want) < 0) {
		return fail("%s cpu%d: write: %s", what, cpu, strerror(errno));
	}
	took = now_ns() - t0;
	if (read_text(path, val, sizeof(val)) <= 0 || strcmp(val, want) != 0) {
		return fail("after %s cpu%d its online file reads \"%s\"", what,
			    cpu, val);
	}
	if (on) {
		*mask |= 1ull << cpu;
		s->ons++;
		s->on_ns += took;
		s->on_max = took > s->on_max ? took : s->on_max;
	} else {
		*mask &= ~(1ull << cpu);
		s->offs++;
		s->off_ns += took;
		s->off_max = took > s->off_max ? took : s->off_max;
	}
	if (check_online(*mask)) {
		char why[sizeof(reason)];

		snprintf(why, sizeof(why), "%s", reason);
		return fail("after %s cpu%d: %s", what, cpu, why);
	}
	return 0;
}

/* Pins the caller to each secondary CPU in turn: a CPU brought back must
 * really run tasks again. */
static int check_cpus_run(const struct cpus *c)
{
	cpu_set_t all, one;
	int rc = 0;

	CPU_ZERO(&all);
	for (int cpu = 0; cpu < MAX_CPUS; cpu++) {
		if (c->mask & (1ull << cpu)) {
			CPU_SET(cpu, &all);
		}
	}
	for (int i = 0; i < c->nsec && !rc; i++) {
		CPU_ZERO(&one);
		CPU_SET(c->secondary[i], &one);
		if (sched_setaffinity(0, sizeof(one), &one) < 0) {
			rc = fail("pinning to cpu%d: %s", c->secondary[i],
				  strerror(errno));
		} else if (sched_getcpu() != c->secondary[i]) {
			rc = fail("pinned to cpu%d but running on cpu%d",
				  c->secondary[i], sched_getcpu());
		}
	}
	sched_setaffinity(0, sizeof(all), &all);
	return rc;
}

/*
 * Even rounds cycle each CPU on its own; odd rounds take them all down
 * (the whole load then runs on the boot CPU) and bring them back up in
 * reverse order.  Either way every secondary goes off and on once.
 */
static int one_round(const struct cpus *c, struct stats *s, int round)
{
	unsigned long long mask = c->mask;

	if (round % 2 == 0) {
		for (int i = 0; i < c->nsec; i++) {
			if (transition(s, &mask, c->secondary[i], 0) ||
			    transition(s, &mask, c->secondary[i], 1)) {
				return 1;
			}
		}
	} else {
		for (int i = 0; i < c->nsec; i++) {
			if (transition(s, &mask, c->secondary[i], 0)) {
				return 1;
			}
		}
		for (int i = c->nsec; i-- > 0;) {
			if (transition(s, &mask, c->secondary[i], 1)) {
				return 1;
			}
		}
	}
	return check_cpus_run(c);
}

static int parse_rounds(void)
{
	const char *v = cmdline_get("secmon.hotplug_rounds");
	char *end;
	long n;

	if (!v) {
		return DEFAULT_ROUNDS;
	}
	n = strtol(v, &end, 10);
	if (end == v || *end || n < 1 || n > MAX_ROUNDS) {
		printf(
		    "hotplug: ignoring secmon.hotplug_rounds=%s (1..%d), using %d\n",
		    v, MAX_ROUNDS, DEFAULT_ROUNDS);
		return DEFAULT_ROUNDS;
	}
	return (int)n;
}

/* Time for the rounds: the suite's limit minus what stopping, checking
 * and reporting may need. */
static long long rounds_budget_ns(void)
{
	unsigned limit = guest_timeout_s ? guest_timeout_s : 200;
	unsigned budget =
	    limit > 2 * REPORT_MARGIN_S ? limit - REPORT_MARGIN_S : limit / 2;

	return (long long)budget * 1000 * NS_PER_MS;
}

static void print_stats(const struct stats *s, int rounds, long long elapsed)
{
	printf(
	    "hotplug: %lu transitions (%lu offline, %lu online) in %d rounds, %lld.%03lld s\n",
	    s->offs + s->ons, s->offs, s->ons, rounds, elapsed / 1000000000,
	    elapsed / NS_PER_MS % 1000);
	if (s->offs && s->ons) {
		printf(
		    "hotplug: offline avg %lld ms max %lld ms, online avg %lld ms max %lld ms\n",
		    s->off_ns / (long long)s->offs / NS_PER_MS,
		    s->off_max / NS_PER_MS,
		    s->on_ns / (long long)s->ons / NS_PER_MS,
		    s->on_max / NS_PER_MS);
	}
}

static int run_rounds(const struct cpus *c, int rounds)
{
	struct stats s = {0};
	long long start = now_ns(), deadline = start + rounds_budget_ns();
	int every = rounds >= 4 ? rounds / 4 : 1, done = 0, rc = 0;

	for (int r = 0; r < rounds; r++) {
		/* A slow host is no failure, but the suite must end in time. */
		if (now_ns() > deadline) {
			printf(
			    "hotplug: time budget of %lld s used up: stopping after %d of %d rounds\n",
			    (deadline - start) / 1000 / NS_PER_MS, done,
			    rounds);
			break;
		}
		if (one_round(c, &s, r)) {
			char why[sizeof(reason)];

			snprintf(why, sizeof(why), "%s", reason);
			rc = fail("round %d: %s", r + 1, why);
			break;
		}
		done++;
		if (done % every == 0 && done < rounds) {
			printf(
			    "hotplug: round %d/%d done, %lu transitions, %lld s\n",
			    done, rounds, s.offs + s.ons,
			    (now_ns() - start) / 1000 / NS_PER_MS);
			fflush(stdout);
		}
	}
	print_stats(&s, done, now_ns() - start);
	if (!rc && done == 0) {
		rc = fail("not even one round done within the time budget");
	}
	return rc;
}

/* After a failure some CPU may still be offline: bring them all back so
 * the load can be stopped and judged. */
static int restore_cpus(const struct cpus *c)
{
	char path[96];

	for (int i = 0; i < c->nsec; i++) {
		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/cpu%d/online",
			 c->secondary[i]);
		write_text(path, "1");
	}
	return check_online(c->mask);
}

/* ---- the suite ----------------------------------------------------------- */

struct load {
	struct worker workers[MAX_WORKERS];
	struct loader threads[MAX_THREADS];
	int nworkers, nthreads;
};

static void stop_and_check_load(struct load *ld, struct tally *t)
{
	unsigned long long wjobs, tjobs, cpus;
	int rc;

	stop_threads(ld->threads, ld->nthreads);
	stop_workers(ld->workers, ld->nworkers);
	reason[0] = '\0';
	rc = check_workers(ld->workers, ld->nworkers, &wjobs);
	tally_record(t, "hotplug_worker_results", rc, reason);
	reason[0] = '\0';
	rc = check_threads(ld->threads, ld->nthreads, &tjobs, &cpus);
	tally_record(t, "hotplug_thread_results", rc, reason);
	printf(
	    "hotplug: load checked: %llu jobs by %d worker processes (fork+exec each), "
	    "%llu by %d threads, threads ran on CPU mask 0x%llx\n",
	    wjobs, ld->nworkers, tjobs, ld->nthreads, cpus);
}

static int start_load(struct load *ld, int ncpu)
{
	ld->nworkers = 2 * ncpu > MAX_WORKERS ? MAX_WORKERS : 2 * ncpu;
	ld->nthreads = ncpu > MAX_THREADS ? MAX_THREADS : ncpu;
	printf("hotplug: load: %d worker processes, %d threads\n", ld->nworkers,
	       ld->nthreads);
	/* Workers first: forking once threads run could copy a held lock. */
	if (start_workers(ld->workers, ld->nworkers)) {
		return 1;
	}
	return start_threads(ld->threads, ld->nthreads);
}

/* The stop-status race (see kmsg_line_stop_race) is only counted: the
 * rounds already proved the CPU came back. */
static int kernel_log_clean(int kfd)
{
	char line[1024], first_race[160] = "";
	int races = 0;

	if (kfd < 0) {
		return fail("cannot open /dev/kmsg");
	}
	while (kmsg_next(kfd, line, sizeof(line)) > 0) {
		if (kmsg_line_bad(line)) {
			return fail("kernel logged \"%.200s\"", line);
		}
		if (kmsg_line_stop_race(line) && races++ == 0) {
			snprintf(first_race, sizeof(first_race), "%.150s",
				 line);
		}
	}
	if (races) {
		printf(
		    "hotplug: note: %d kernel message(s) like \"%s\": Linux queried a hart's "
		    "status before the hart's own hart_stop call (benign race)\n",
		    races, first_race);
	}
	return 0;
}

int suite_hotplug(void)
{
	static struct load ld;
	struct tally t = {0};
	struct cpus c = {0};
	int rounds = parse_rounds(), kfd = kmsg_open(1), rc;

	reason[0] = '\0';
	rc = find_cpus(&c);
	tally_record(&t, "hotplug_cpus_found", rc, reason);
	if (rc) {
		return tally_finish(&t, "hotplug");
	}
	rc = start_load(&ld, c.n);
	tally_record(&t, "hotplug_load_started", rc, reason);

	reason[0] = '\0';
	if (rc) {
		rc = skip("the load did not start");
	} else if (c.nsec == 0) {
		printf(
		    "hotplug: needs >1 CPU, only running the load for %d ms\n",
		    LOAD_ONLY_MS);
		usleep(LOAD_ONLY_MS * 1000);
		rc = skip("needs >1 CPU (no hot-pluggable CPU online)");
	} else {
		printf("hotplug: %d rounds over cpu%d..cpu%d\n", rounds,
		       c.secondary[0], c.secondary[c.nsec - 1]);
		fflush(stdout);
		rc = run_rounds(&c, rounds);
	}
	tally_record(&t, "hotplug_rounds", rc, reason);
	reason[0] = '\0';
	rc = c.nsec ? restore_cpus(&c) : skip("needs >1 CPU");
	tally_record(&t, "hotplug_all_cpus_back", rc, reason);

	stop_and_check_load(&ld, &t);
	reason[0] = '\0';
	rc = kernel_log_clean(kfd);
	tally_record(&t, "hotplug_kernel_log", rc, reason);
	return tally_finish(&t, "hotplug");
}
