/*
 * Suite "protected": the integration suite of issue 5, Linux user page
 * tables owned by the monitor (the glue's debugfs files, SECMON_DEBUGFS).
 *
 * Command line: secmon.pool_sample_ms=N samples the pool while the cases
 * run (tools/bench's figure); secmon.tier=ci (default, bounded counts) or
 * secmon.tier=full (the counts); secmon.expect_mode=MODE adds a
 * case "mode" that fails unless SECMON_DEBUGFS/mode reads MODE (so a
 * run meant to be protected cannot pass on skips); secmon.seed=N repeats a
 * churn run; secmon.bomb_cap=N caps the fork bomb (default 4000);
 * secmon.pool_force=1 runs the pool case without the monitor (to test the
 * case itself; it then fails, as the pool never runs out);
 * secmon.only=NAME runs that case alone (refused_clear must panic the
 * kernel, so it runs only that way).
 *
 * Each case runs in its own process group and prints PASS, FAIL or SKIP;
 * after it the kernel log must hold no oops, warning or the like.  With the
 * monitor protecting (mode "protected") the suite also checks the pool,
 * zombies, refusals and the invariant checker, and prints the statistics
 * before and after.  It ends with "N passed, M failed, K skipped".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest.h"
#include "prot.h"

#define CI_TIMEOUT_S 220 /* below the 240 s QEMU limit of test/qemu */
#define FULL_TIMEOUT_S 900
#define REAP_S 10
#define POOL_POLL_MS 10000 /* an RCU grace period and then some */
#define ZOMBIE_POLL_MS 5000

struct pcase {
	const char *name;
	int (*fn)(void);
	int refuses; /* the monitor's refusals are the point */
	int pool_baseline; /* afterwards the pool must be back, exactly */
	int ooms; /* OOM reports (with their call traces) are expected */
};

static const struct pcase cases[] = {
    {"exit_futex", prot_case_exit_futex, 0, 0, 0},
    {"exec_thread", prot_case_exec_thread, 0, 0, 0},
    {"fork_storm", prot_case_fork_storm, 0, 0, 0},
    {"cow", prot_case_cow, 0, 0, 0},
    {"churn", prot_case_churn, 0, 0, 0},
    {"walk_pagemap", prot_case_pagemap, 0, 0, 0},
    {"walk_vm_readv", prot_case_vm_readv, 0, 0, 0},
    {"walk_ptrace", prot_case_ptrace, 0, 0, 0},
    {"pool_exhaustion", prot_case_pool_exhaustion, 1, 1, 0},
    {"hotplug_cow_churn", prot_case_hotplug, 0, 0, 0},
    {"direct_write", prot_case_direct_write, 1, 0, 0},
    {"refused_store", prot_case_refused_store, 1, 1, 0},
    {"refused_store_lazy", prot_case_refused_store_lazy, 1, 1, 0},
    {"refused_clear", prot_case_refused_clear, 1, 0, 0},
    {"debugfs_root_only", prot_case_debugfs_root_only, 0, 0, 0},
    {"processes_file", prot_case_processes_file, 0, 0, 0},
    {"madv_free", prot_case_madv_free, 0, 0, 0},
    {"thp", prot_case_thp, 0, 0, 0},
    {"hugetlb", prot_case_hugetlb, 0, 0, 0},
    {"hugetlb_1g", prot_case_hugetlb_1g, 0, 0, 0},
    {"mremap_tables", prot_case_mremap_tables, 0, 0, 0},
    {"swap", prot_case_swap, 0, 0, 0},
    {"ksm", prot_case_ksm, 0, 0, 0},
    {"uffd", prot_case_uffd, 0, 0, 0},
    {"compaction", prot_case_compaction, 0, 0, 0},
    {"bpf_jit", prot_case_bpf_jit, 0, 0, 0},
    {"refuse_kexec", prot_case_refuse_kexec, 0, 0, 0},
    {"refuse_hibernate", prot_case_refuse_hibernate, 0, 0, 0},
    {"memcg", prot_case_memcg, 0, 1, 1},
    {"zombies", prot_case_zombies, 0, 1, 0},
    {"devmem", prot_case_devmem, 0, 0, 0},
    {"devmem_clint", prot_case_devmem_clint, 1, 0, 0},
};

/* Cases that made the monitor refuse calls though they should not have. */
static char unexpected_refusals[256];

unsigned protected_timeout_s(void)
{
	const char *tier = cmdline_get("secmon.tier");

	return tier && strcmp(tier, "full") == 0 ? FULL_TIMEOUT_S
						 : CI_TIMEOUT_S;
}

static void pick_tier(void)
{
	const char *tier = cmdline_get("secmon.tier");

	prot_full = tier && strcmp(tier, "full") == 0;
	if (tier && !prot_full && strcmp(tier, "ci") != 0)
		printf("protected: unknown secmon.tier=%s, using ci\n", tier);
	printf("protected: tier %s, mode %s\n", prot_full ? "full" : "ci",
	       prot_mode());
}

/* ---- kernel log -------------------------------------------------------------
 */

/* What the pool case may log: its OOM reports carry "Call Trace" and its
 * SIGBUS deaths "unhandled signal"; a crash is still a crash. */
static int line_fatal(const char *line)
{
	static const char *const fatal[] = {
	    "Oops",	    "Unable to handle kernel",
	    "Kernel panic", "BUG:",
	    "WARNING:",	    "stall"};

	if (kmsg_known_linux_warning(line))
		return 0;
	for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		if (strstr(line, fatal[i]))
			return 1;
	return 0;
}

/* Returns 1 and the line if the kernel logged trouble since kfd opened. */
static int kernel_trouble(int kfd, int lenient, char *line, size_t len)
{
	while (kfd >= 0 && kmsg_next(kfd, line, len) > 0) {
		if (line_fatal(line))
			return 1;
		if (!lenient && kmsg_line_bad(line))
			return 1;
	}
	return 0;
}

/* ---- running a case ---------------------------------------------------------
 */

/* Kills whatever the case left and reaps it: orphans come back to us as
 * the subreaper, so ECHILD means everything is gone. */
static void reap_all(pid_t pgid)
{
	long long deadline = now_ns() + REAP_S * 1000000000LL;
	pid_t got;

	kill(-pgid, SIGKILL);
	while ((got = waitpid(-1, NULL, WNOHANG)) >= 0 && now_ns() < deadline)
		if (got == 0)
			usleep(10000);
}

static pid_t start_case(const struct pcase *c, int fd[2])
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		close(fd[0]);
		prot_reason_fd = fd[1];
		_exit(c->fn());
	}
	if (pid > 0)
		setpgid(pid, pid);
	close(fd[1]);
	return pid;
}

/* Runs one case to its end; returns 0, 1 or SKIPPED with the reason. */
static int run_case(const struct pcase *c, char *why, size_t len)
{
	int fd[2], st, limit = prot_scale(90, 800);
	ssize_t n = 0;
	pid_t pid;

	why[0] = '\0';
	/* secmon.skip=NAME: a case this firmware cannot run (OpenSBI 1.1
	 * loses harts under hotplug load; see test/qemu/protected_cases.sh). */
	if (cmdline_get("secmon.skip") &&
	    strcmp(cmdline_get("secmon.skip"), c->name) == 0) {
		snprintf(why, len, "skipped by secmon.skip=%s", c->name);
		return SKIPPED;
	}
	/* secmon.only=NAME: that case alone (refused_clear stops the kernel) */
	if (cmdline_get("secmon.only") &&
	    strcmp(cmdline_get("secmon.only"), c->name) != 0) {
		snprintf(why, len, "not selected by secmon.only=%s",
			 cmdline_get("secmon.only"));
		return SKIPPED;
	}
	if (pipe(fd) < 0)
		return snprintf(why, len, "pipe: %s", strerror(errno)), 1;
	pid = start_case(c, fd);
	if (pid < 0)
		return snprintf(why, len, "fork: %s", strerror(errno)), 1;
	if (prot_wait(pid, &st, limit) < 0) {
		reap_all(pid);
		close(fd[0]);
		return snprintf(why, len, "did not end within %d s", limit), 1;
	}
	reap_all(pid);
	fcntl(fd[0], F_SETFL, O_NONBLOCK);
	n = read(fd[0], why, len - 1);
	while (n > 0 && (why[n - 1] == ' ' || why[n - 1] == ';'))
		n--;
	why[n > 0 ? n : 0] = '\0';
	close(fd[0]);
	if (WIFEXITED(st) &&
	    (WEXITSTATUS(st) == 0 || WEXITSTATUS(st) == SKIPPED))
		return WEXITSTATUS(st);
	if (!why[0])
		snprintf(why, len, "case process: %s", prot_status(st));
	return 1;
}

/* ---- statistics
 * --------------------------------------------------------------- */

struct snapshot {
	long long in_use, live, zombies, calls, refused;
};

static void snapshot(struct snapshot *s)
{
	/* Dead processes' tables wait for an RCU grace period (zombies). */
	if (prot_is_protected())
		prot_poll_stat("zombies", 0, 2000);
	s->in_use = prot_stat("pool_in_use");
	s->live = prot_stat("live");
	s->zombies = prot_stat("zombies");
	if (prot_calls_total(&s->calls, &s->refused) < 0)
		s->calls = s->refused = -1;
}

static void print_snapshot(const char *when, const struct snapshot *s)
{
	if (!prot_is_protected()) {
		printf("secmon stats %s: mode %s, no statistics\n", when,
		       prot_mode());
		return;
	}
	printf("secmon stats %s: pool_in_use %lld live %lld zombies %lld calls "
	       "%lld refused %lld\n",
	       when, s->in_use, s->live, s->zombies, s->calls, s->refused);
}

/* Notes a case that made the monitor refuse calls it should not have. */
static void note_refusals(const struct pcase *c, long long before)
{
	struct snapshot s;

	if (c->refuses || !prot_is_protected())
		return;
	snapshot(&s);
	if (s.refused == before)
		return;
	printf("protected: %s: refused calls %lld -> %lld\n", c->name, before,
	       s.refused);
	snprintf(unexpected_refusals + strlen(unexpected_refusals),
		 sizeof(unexpected_refusals) - strlen(unexpected_refusals),
		 " %s(+%lld)", c->name, s.refused - before);
}

/* After the pool case: the pool in use is back where it was, exactly. */
static void check_pool_baseline(struct tally *t, const char *name,
				long long baseline)
{
	long long now = prot_poll_stat("pool_in_use", baseline, POOL_POLL_MS);
	char why[128];

	printf("%s: pool_in_use baseline %lld, now %lld\n", name, baseline,
	       now);
	snprintf(why, sizeof(why), "pool_in_use is %lld, baseline %lld", now,
		 baseline);
	tally_record(t, name, now == baseline ? 0 : 1, why);
}

/*
 * secmon.pool_sample_ms=N (tools/bench): while the cases run, a thread
 * writes "POOL-SAMPLE <ms> <pool pages in use>" every N ms, and each case
 * starts with "POOL-CASE <ms> <name>". write(2), not stdio: a case forked
 * while a line sat in a stdio buffer would print it again.
 */
static long long sample_t0;
static int sample_ms;
static volatile int sample_stop;
static pthread_t sampler;

static void sample_line(const char *kind, const char *what)
{
	char line[160];
	int n = snprintf(line, sizeof(line), "POOL-%s %lld %s\n", kind,
			 (now_ns() - sample_t0) / 1000000, what);

	if (n > 0 && write(1, line, (size_t)n) < 0)
		sample_stop = 1;
}

static void *pool_sampler(void *arg)
{
	char v[32];

	while (!sample_stop) {
		snprintf(v, sizeof(v), "%lld", prot_stat("pool_in_use"));
		sample_line("SAMPLE", v);
		usleep((useconds_t)sample_ms * 1000);
	}
	return arg;
}

static void sampling_start(void)
{
	const char *ms = cmdline_get("secmon.pool_sample_ms");

	sample_ms = ms ? atoi(ms) : 0;
	if (ms && (sample_ms < 10 || sample_ms > 10000)) {
		printf(
		    "protected: secmon.pool_sample_ms=%s is not 10 to 10000, "
		    "not sampling\n",
		    ms);
		sample_ms = 0;
	}
	sample_t0 = now_ns();
	if (sample_ms && pthread_create(&sampler, NULL, pool_sampler, NULL)) {
		printf("protected: no sampler thread, not sampling\n");
		sample_ms = 0;
	}
}

static void sampling_stop(void)
{
	if (sample_ms) {
		sample_stop = 1;
		pthread_join(sampler, NULL);
	}
}

static void one_case(struct tally *t, const struct pcase *c)
{
	char why[512], line[512];
	struct snapshot before;
	int kfd = kmsg_open(1), rc;
	long long t0 = now_ns();

	snapshot(&before);
	if (sample_ms)
		sample_line("CASE", c->name);
	rc = run_case(c, why, sizeof(why));
	if (rc != 1 && kernel_trouble(kfd, c->refuses || c->ooms, line, sizeof(line))) {
		snprintf(why, sizeof(why), "kernel logged \"%.400s\"", line);
		rc = 1;
	}
	if (kfd >= 0)
		close(kfd);
	tally_record(t, c->name, rc, why);
	printf("protected: %s took %.1f s\n", c->name, (now_ns() - t0) / 1e9);
	note_refusals(c, before.refused);
	if (c->pool_baseline && rc != SKIPPED && prot_is_protected())
		check_pool_baseline(t, "pool_baseline", before.in_use);
}

/* ---- after all cases
 * ---------------------------------------------------------- */

static int final_check(void)
{
	char text[64] = "";

	if (read_text(prot_path("check"), text, sizeof(text)) < 0)
		return 1;
	return strcmp(text, "ok") == 0 ? 0 : 1;
}

/* The processes file has a row for us: one root table, and at least one
 * table on each lower level (our text, data and stack are mapped). */
static int own_process_row(void)
{
	static char text[16384];
	int pid, l2, l1, l0;
	char *line;

	if (read_text(prot_path("processes"), text, sizeof(text)) <= 0)
		return 1;
	for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		if (sscanf(line, "%d %*s %d %d %d", &pid, &l2, &l1, &l0) == 4 &&
		    pid == getpid())
			return l2 == 1 && l1 >= 1 && l0 >= 1 ? 0 : 1;
	return 1;
}

static void check_mode(struct tally *t)
{
	const char *want = cmdline_get("secmon.expect_mode");
	char why[96];

	if (!want)
		return;
	snprintf(why, sizeof(why), "mode is %s, expected %s", prot_mode(),
		 want);
	tally_record(t, "mode", strcmp(prot_mode(), want) ? 1 : 0, why);
}

static void finals(struct tally *t, const struct snapshot *start)
{
	const char *off = "needs mode protected";
	long long z, in_use;
	char why[320];

	if (!prot_is_protected()) {
		tally_record(t, "final_check", SKIPPED, off);
		tally_record(t, "final_zombies", SKIPPED, off);
		tally_record(t, "final_pool_baseline", SKIPPED, off);
		tally_record(t, "final_refusals", SKIPPED, off);
		tally_record(t, "final_processes_row", SKIPPED, off);
		return;
	}
	tally_record(t, "final_check", final_check(),
		     "the invariant checker did not say ok");
	z = prot_poll_stat("zombies", 0, ZOMBIE_POLL_MS);
	snprintf(why, sizeof(why), "%lld zombies left", z);
	tally_record(t, "final_zombies", z == 0 ? 0 : 1, why);
	in_use = prot_poll_stat("pool_in_use", start->in_use, POOL_POLL_MS);
	snprintf(why, sizeof(why), "pool_in_use %lld, %lld at the start",
		 in_use, start->in_use);
	tally_record(t, "final_pool_baseline", in_use == start->in_use ? 0 : 1,
		     why);
	snprintf(why, sizeof(why), "calls refused during:%s",
		 unexpected_refusals);
	tally_record(t, "final_refusals", unexpected_refusals[0] ? 1 : 0, why);
	tally_record(
	    t, "final_processes_row", own_process_row(),
	    "no row \"PID COMM 1 L1>=1 L0>=1 ...\" for the suite in processes");
}

int suite_protected(void)
{
	struct snapshot start, end;
	struct tally t = {0};

	pick_tier();
	/* Orphans of a case come back here to be reaped before the pool is
	 * measured; the OOM killer must pick the pool case's processes. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	write_text("/proc/self/oom_score_adj", "-1000");
	check_mode(&t);
	snapshot(&start);
	print_snapshot("before", &start);
	sampling_start();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		one_case(&t, &cases[i]);
	sampling_stop();
	finals(&t, &start);
	snapshot(&end);
	print_snapshot("after", &end);
	printf("%d passed, %d failed, %d skipped\n", t.passed, t.failed,
	       t.skipped);
	fflush(stdout);
	return t.failed ? 1 : 0;
}
