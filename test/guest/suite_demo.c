/*
 * Suite "demo": shows what the kernel made of the firmware.  Prints the
 * online CPUs, every kernel log line mentioning SBI, then runs a few worker
 * processes (fork + exec of /init) and threads and reports where they ran.
 * On the glued kernel it shows where user page tables live and runs the
 * attack demo (demo_attack.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest.h"
#include "prot.h"

#define N_WORKERS 3
#define N_THREADS 4

#define SYSLOG_ACTION_READ_ALL 3
#define SYSLOG_ACTION_SIZE_BUFFER 10

/* Small CPU-bound job so workers and threads have something to report. */
static unsigned long long collatz_steps(unsigned long long from, unsigned long long count)
{
	unsigned long long total = 0;

	for (unsigned long long n = from; n < from + count; n++)
		for (unsigned long long x = n; x != 1; total++)
			x = (x & 1) ? 3 * x + 1 : x / 2;
	return total;
}

int worker_main(int argc, char **argv)
{
	int id = argc >= 3 ? atoi(argv[2]) : 0;
	unsigned long long steps = collatz_steps(1 + (unsigned long long)id * 20000, 20000);

	printf("  worker %d: pid %d on cpu %d, %llu collatz steps\n", id, getpid(),
	       sched_getcpu(), steps);
	fflush(stdout);
	return 10 + id;
}

static int show_sbi_log(void)
{
	int size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0);
	char *buf, *line;
	int n, shown = 0;

	if (size <= 0)
		size = 1 << 17;
	buf = malloc((size_t)size + 1);
	if (!buf)
		return -1;
	n = klogctl(SYSLOG_ACTION_READ_ALL, buf, size);
	if (n < 0) {
		printf("  klogctl: %s\n", strerror(errno));
		free(buf);
		return -1;
	}
	buf[n] = '\0';
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		if (!strstr(line, "SBI") && !strstr(line, "sbi") &&
		    !strstr(line, "secmon"))
			continue;
		/* Drop the "<level>" prefix. */
		if (line[0] == '<' && strchr(line, '>'))
			line = strchr(line, '>') + 1;
		printf("  %s\n", line);
		shown++;
	}
	free(buf);
	return shown;
}

/*
 * Where user page tables live, from the glue's statistics (SECMON_DEBUGFS),
 * when the kernel has them: a line per live process and the pool's use.
 */
static void show_secmon(const char *when)
{
	char text[4096], *line;
	long long calls = -1, refused = -1;
	const char *mode = prot_mode();

	if (access(SECMON_DEBUGFS, F_OK)) {
		return;
	}
	printf("demo: user page tables %s (mode %s):\n", when, mode);
	if (strcmp(mode, "protected")) {
		printf("  in ordinary kernel memory: the kernel writes them "
		       "itself\n");
		return;
	}
	prot_calls_total(&calls, &refused);
	printf("  in the monitor's pool, read-only to the kernel: %lld of %lld "
	       "pool pages in use, %lld address spaces, %lld monitor calls "
	       "(%lld refused)\n",
	       prot_stat("pool_in_use"), prot_stat("pool_pages"),
	       prot_stat("live"), calls, refused);
	if (read_text(prot_path("processes"), text, sizeof(text)) < 0) {
		return;
	}
	/* "PID COMM L2 L1 L0 LEAF_DATA USER_LEAF" after a header line. */
	for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		int pid, l2, l1, l0;
		char comm[32];

		if (sscanf(line, "%d %31s %d %d %d", &pid, comm, &l2, &l1,
			   &l0) == 5) {
			printf("  pid %d (%s): %d tables in the pool (%d root, "
			       "%d middle, %d leaf)\n",
			       pid, comm, l2 + l1 + l0, l2, l1, l0);
		}
	}
}

struct thread_job {
	int id;
	int cpu;
	unsigned long long steps;
};

static void *thread_fn(void *arg)
{
	struct thread_job *job = arg;

	job->steps = collatz_steps(1000000 + (unsigned long long)job->id * 20000, 20000);
	job->cpu = sched_getcpu();
	return NULL;
}

int suite_demo(void)
{
	char online[256] = "?";
	pid_t pids[N_WORKERS];
	pthread_t threads[N_THREADS];
	struct thread_job jobs[N_THREADS];
	int failures = 0;

	printf("demo: online CPUs: sysconf %ld, /sys/devices/system/cpu/online %d (\"%s\")\n",
	       sysconf(_SC_NPROCESSORS_ONLN), sysfs_online_cpus(online, sizeof(online)), online);

	printf("demo: kernel log lines mentioning SBI:\n");
	if (show_sbi_log() <= 0) {
		printf("  (none found)\n");
		failures++;
	}

	printf("demo: starting %d worker processes\n", N_WORKERS);
	fflush(stdout);
	for (int i = 0; i < N_WORKERS; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			char id[16];

			snprintf(id, sizeof(id), "%d", i);
			execl("/init", "/init", MODE_WORKER, id, (char *)NULL);
			_exit(127);
		}
		if (pids[i] < 0) {
			printf("  fork: %s\n", strerror(errno));
			failures++;
		}
	}
	for (int i = 0; i < N_WORKERS; i++) {
		int st;

		if (pids[i] <= 0)
			continue;
		if (waitpid(pids[i], &st, 0) != pids[i] || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != 10 + i) {
			printf("  worker %d: unexpected status 0x%x\n", i, st);
			failures++;
		} else {
			printf("  worker %d: exited with %d\n", i, WEXITSTATUS(st));
		}
	}

	printf("demo: starting %d threads\n", N_THREADS);
	for (int i = 0; i < N_THREADS; i++) {
		jobs[i] = (struct thread_job){ .id = i, .cpu = -1 };
		if (pthread_create(&threads[i], NULL, thread_fn, &jobs[i]) != 0) {
			printf("  pthread_create failed\n");
			failures++;
			jobs[i].id = -1;
		}
	}
	for (int i = 0; i < N_THREADS; i++) {
		if (jobs[i].id < 0)
			continue;
		pthread_join(threads[i], NULL);
		printf("  thread %d: finished on cpu %d, %llu collatz steps\n", i, jobs[i].cpu,
		       jobs[i].steps);
	}

	show_secmon("after the workers and threads");
	failures += demo_attack();
	printf("demo: %s\n", failures ? "something went wrong" : "all done");
	return failures ? 1 : 0;
}
