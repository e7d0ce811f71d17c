/*
 * Suite "protected", case 7: CPU hotplug while cases 3 and 4 run.
 *
 * Two load processes repeat copy-on-write rounds and churn runs while every
 * secondary CPU goes offline and online through
 * /sys/devices/system/cpu/cpuN/online.  A hart that leaves must leave no
 * stale satp or TLB entry behind for the tables the loads keep changing,
 * and one that comes back must pick up the current ones.  The loads stop
 * on SIGUSR1 and must have checked at least one round each without error.
 * Hotplug rounds go on past the tier's count until each load has done
 * MIN_LOAD_RUNS (up to MAX_EXTRA_S after the start), so the loads overlap
 * the transitions even when stop_machine slows them down.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest.h"
#include "prot.h"

#define CHURN_STEPS_PER_RUN 60
#define LOAD_STOP_S 120
#define MIN_LOAD_RUNS 3
#define MAX_EXTRA_S 60

static volatile sig_atomic_t load_stop;

/* Runs done by the copy-on-write [0] and churn [1] loads (shared page). */
static _Atomic unsigned long *load_runs;

static void on_stop(int sig)
{
	(void)sig;
	load_stop = 1;
}

static int cow_load(long arg)
{
	unsigned long i;

	(void)arg;
	for (i = 0; !load_stop; i++) {
		if (prot_cow_round(100000 + i))
			return 1;
		atomic_fetch_add(&load_runs[0], 1);
	}
	printf("hotplug: copy-on-write load: %lu rounds\n", i);
	return i ? 0 : prot_fail("the copy-on-write load did no round");
}

static int churn_load(long seed)
{
	unsigned long i;

	for (i = 0; !load_stop; i++) {
		if (prot_churn_run((unsigned long)seed + i, CHURN_STEPS_PER_RUN))
			return 1;
		atomic_fetch_add(&load_runs[1], 1);
	}
	printf("hotplug: churn load: %lu runs of %d steps from seed %ld\n", i,
	       CHURN_STEPS_PER_RUN, seed);
	return i ? 0 : prot_fail("the churn load did no run");
}

/*
 * Linux reads the firmware's HSM status once, right after the dying CPU
 * reported itself dead and before that CPU has made its SBI stop call
 * (arch_cpuhp_cleanup_dead_cpu); on a loaded host the next online can
 * come while the hart is still on its way to STOPPED, and HSM start then
 * says ALREADY_AVAILABLE (-ENOTSUPP). That is Linux's race, not a lost
 * hart: retry for up to half a second and count it; a hart that never
 * stops still fails.
 */
#define ONLINE_TRIES 50
static int online_retries;

static int write_online(const char *path, int on)
{
	for (int t = 0;; t++) {
		if (write_text(path, on ? "1" : "0") >= 0)
			return 0;
		if (!on || errno != 524 || t + 1 == ONLINE_TRIES)
			return -1;
		online_retries++;
		usleep(10000);
	}
}

/* Takes cpu off or on and checks the number of CPUs online. */
static int set_cpu(int cpu, int on, int want)
{
	char path[64], list[64] = "";
	int n;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online",
		 cpu);
	if (write_online(path, on) < 0)
		return prot_fail("%s cpu%d: %s", on ? "onlining" : "offlining",
				 cpu, strerror(errno));
	n = sysfs_online_cpus(list, sizeof(list));
	if (n != want)
		return prot_fail("after %s cpu%d, CPUs online: \"%s\"",
				 on ? "onlining" : "offlining", cpu, list);
	return 0;
}

/* Each secondary off and on again; odd rounds go from the top down. */
static int cycle(int ncpu, int round)
{
	for (int i = 1; i < ncpu; i++) {
		int cpu = round % 2 ? ncpu - i : i;

		if (set_cpu(cpu, 0, ncpu - 1) || set_cpu(cpu, 1, ncpu))
			return 1;
	}
	return 0;
}

/* After a failure: bring every CPU back so the loads can be judged. */
static void restore_cpus(int ncpu)
{
	char path[64];

	for (int cpu = 1; cpu < ncpu; cpu++) {
		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/cpu%d/online", cpu);
		write_text(path, "1");
	}
}

/* Whether another round is due: the tier's count, then until both loads
 * have done MIN_LOAD_RUNS or the extra time is up. */
static int more_rounds(int r, int rounds, long long extra_end)
{
	if (r < rounds)
		return 1;
	return now_ns() < extra_end &&
	       (atomic_load(&load_runs[0]) < MIN_LOAD_RUNS ||
		atomic_load(&load_runs[1]) < MIN_LOAD_RUNS);
}

static int stop_load(pid_t pid, const char *what)
{
	int st;

	kill(pid, SIGUSR1);
	if (prot_wait(pid, &st, LOAD_STOP_S) < 0)
		return prot_fail("the %s load did not stop", what);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return prot_fail("the %s load: %s", what, prot_status(st));
	return 0;
}

int prot_case_hotplug(void)
{
	int ncpu = sysfs_online_cpus(NULL, 0), rounds = prot_scale(10, 100);
	struct sigaction sa;
	long long extra_end;
	pid_t cow, churn;
	int rc = 0, r;

	if (ncpu < 2)
		return prot_skip("needs more than one CPU online");
	load_runs = mmap(NULL, PROT_PAGE, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (load_runs == MAP_FAILED)
		return prot_fail("mmap: %s", strerror(errno));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGUSR1, &sa, NULL);
	cow = prot_spawn(cow_load, 0);
	churn = prot_spawn(churn_load, (long)prot_churn_seed() + 1000);
	if (cow < 0 || churn < 0)
		return prot_fail("fork: %s", strerror(errno));
	extra_end = now_ns() + MAX_EXTRA_S * 1000000000LL;
	for (r = 0; more_rounds(r, rounds, extra_end) && !rc; r++)
		rc = cycle(ncpu, r);
	if (rc)
		restore_cpus(ncpu);
	printf("hotplug: %d rounds over cpu1..cpu%d, %d transitions, %d "
	       "online retries (hart not yet STOPPED)\n",
	       r, ncpu - 1, 2 * r * (ncpu - 1), online_retries);
	if (stop_load(cow, "copy-on-write"))
		rc = 1;
	if (stop_load(churn, "churn"))
		rc = 1;
	if (!rc && sysfs_online_cpus(NULL, 0) != ncpu)
		rc = prot_fail("not all CPUs came back online");
	return rc;
}
