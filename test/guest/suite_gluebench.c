/*
 * Suite "gluebench": the Linux glue's benchmark (tools/bench). Times a few
 * memory-management operations and, on a protected kernel, counts the ABI
 * calls and the satp writes and sfence.vma the monitor emulated per
 * operation (SECMON_DEBUGFS: calls and traps). One line per operation:
 *
 *   GBENCH <name> ns <median ns per op> calls <per op> satp <per op> sfence <per op>
 *
 * and one line with the page-table pages of this process:
 *
 *   GBENCH-TABLES vmpte_kib <VmPTE> monitor <L2+L1+L0 or -1>
 *
 * Each operation runs ROUNDS rounds of its iteration count; the time is the
 * median round divided by the count, the counters are totals over all
 * rounds divided by all iterations.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest.h"

#define ROUNDS 5
#define MIB (1024 * 1024)
#define PAGE 4096

struct counters {
	long long calls, satp, sfence;
};

/* Totals since boot; all zero on an unprotected kernel. */
static void read_counters(struct counters *c)
{
	char text[4096], *p;

	memset(c, 0, sizeof(*c));
	if (read_text(SECMON_DEBUGFS "/calls", text, sizeof(text)) > 0) {
		p = strstr(text, "total ");
		if (p)
			c->calls = atoll(p + 6);
	}
	if (read_text(SECMON_DEBUGFS "/traps", text, sizeof(text)) > 0) {
		p = strstr(text, "satp_writes ");
		if (p)
			c->satp = atoll(p + 12);
		p = strstr(text, "sfence_vma ");
		if (p)
			c->sfence = atoll(p + 11);
	}
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

static void op_fork_exit(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

static void op_fork_exec(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		execl("/init", "/init", MODE_EXIT_CODE, "0", (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

static void *thread_noop(void *arg)
{
	return arg;
}

static void op_thread(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, thread_noop, NULL) == 0)
		pthread_join(t, NULL);
}

static void touch(char *p, size_t len)
{
	for (size_t off = 0; off < len; off += PAGE)
		p[off] = 1;
}

static void op_mmap_touch(void)
{
	char *p = mmap(NULL, MIB, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return;
	touch(p, MIB);
	munmap(p, MIB);
}

static char *mprotect_area;
static int mprotect_ro;

static void op_mprotect(void)
{
	mprotect_ro = !mprotect_ro;
	mprotect(mprotect_area, MIB,
		 mprotect_ro ? PROT_READ : PROT_READ | PROT_WRITE);
}

/* One fault per op: a fresh page of a large region each time. */
static char *fault_area;
static size_t fault_next;

static void op_fault(void)
{
	fault_area[fault_next] = 1;
	fault_next += PAGE;
}

struct bench {
	const char *name;
	void (*op)(void);
	int iters;
};

static void run_bench(const struct bench *b)
{
	long long per_round[ROUNDS];
	struct counters c0, c1;
	long long n = (long long)b->iters * ROUNDS;

	read_counters(&c0);
	for (int r = 0; r < ROUNDS; r++) {
		long long t0 = now_ns();

		for (int i = 0; i < b->iters; i++)
			b->op();
		per_round[r] = (now_ns() - t0) / b->iters;
	}
	read_counters(&c1);
	qsort(per_round, ROUNDS, sizeof(per_round[0]), cmp_ll);
	printf("GBENCH %s ns %lld calls %.2f satp %.2f sfence %.2f\n", b->name,
	       per_round[ROUNDS / 2], (double)(c1.calls - c0.calls) / n,
	       (double)(c1.satp - c0.satp) / n,
	       (double)(c1.sfence - c0.sfence) / n);
	fflush(stdout);
}

/* Page-table pages of this process as Linux counts them (VmPTE: PMD and
 * PTE tables) and as the monitor does (all levels). */
static void report_tables(void)
{
	char text[8192], *p, key[32];
	long long vmpte = -1, monitor = -1, l2, l1, l0;

	if (read_text("/proc/self/status", text, sizeof(text)) > 0) {
		p = strstr(text, "VmPTE:");
		if (p)
			vmpte = atoll(p + 6);
	}
	snprintf(key, sizeof(key), "\n%d ", getpid());
	if (read_text(SECMON_DEBUGFS "/processes", text, sizeof(text)) > 0) {
		p = strstr(text, key);
		if (p && sscanf(p + strlen(key), "%*s %lld %lld %lld", &l2, &l1,
				&l0) == 3)
			monitor = l2 + l1 + l0;
	}
	printf("GBENCH-TABLES vmpte_kib %lld monitor %lld\n", vmpte, monitor);
}

int suite_gluebench(void)
{
	static const struct bench benches[] = {
		{ "fork-exit-wait", op_fork_exit, 40 },
		{ "fork-exec-exit", op_fork_exec, 20 },
		{ "pthread-create-join", op_thread, 100 },
		{ "mmap-1MiB-touch-munmap", op_mmap_touch, 20 },
		{ "mprotect-1MiB", op_mprotect, 200 },
		{ "page-fault", op_fault, 1000 },
	};
	size_t fault_len = (size_t)ROUNDS * 1000 * PAGE;

	mprotect_area = mmap(NULL, MIB, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	fault_area = mmap(NULL, fault_len, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mprotect_area == MAP_FAILED || fault_area == MAP_FAILED) {
		printf("gluebench: mmap failed\n");
		return 1;
	}
	touch(mprotect_area, MIB);
	for (size_t i = 0; i < sizeof(benches) / sizeof(benches[0]); i++)
		run_bench(&benches[i]);
	report_tables();
	return 0;
}
