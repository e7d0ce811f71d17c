/*
 * Suite "gluebench": the Linux glue's benchmark (tools/bench). Times a few
 * memory-management operations and, on a protected kernel, counts the ABI
 * calls and the satp writes and sfence.vma the monitor emulated per
 * operation (SECMON_DEBUGFS: calls and traps). One line per operation:
 *
 *   GBENCH <name> ns <median ns per op> calls <per op> satp <per op>
 *          sfence <per op> mentries <per op> minsns <per op>
 *
 * (mentries and minsns: the monitor's traps and instructions, from a
 * profile build of the monitor; 0 otherwise), then the ABI calls by kind
 * and the instructions the monitor's handlers of each kind retired:
 *
 *   GBENCH-CALLS <name> AS_CREATE <per op> PT_ALLOC <per op> ...
 *   GBENCH-MINSNS <name> AS_CREATE <per op> PT_ALLOC <per op> ...
 *
 * and one line with the page-table pages of this process:
 *
 *   GBENCH-TABLES vmpte_kib <VmPTE> monitor <L2+L1+L0 or -1>
 *
 * and, where the kernel lacks what an operation needs:
 *
 *   GBENCH-SKIP <name> <why>
 *
 * Each operation runs ROUNDS rounds of its iteration count; the time is the
 * median round divided by the count, the counters are totals over all
 * rounds divided by all iterations. An operation with a prep step times
 * only the operation itself: prep and cleanup run outside the clock.
 *
 * Under qemu -icount shift=0 on one hart the guest clock counts
 * instructions (1 ns each), so the times are exact instruction counts.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest.h"

#define ROUNDS 5
#define MIB (1024 * 1024)
#define PAGE 4096

/* The ABI calls debugfs secmon/calls counts by kind, in its order. */
static const char *const call_kinds[] = {
    "AS_CREATE", "PT_ALLOC", "PTE_SET",	   "PTE_MODIFY",
    "BATCH",	 "PT_FREE",  "AS_DESTROY",
};
#define NKINDS (sizeof(call_kinds) / sizeof(call_kinds[0]))

struct counters {
	long long calls, satp, sfence;
	long long kind[NKINDS];
	long long kind_insns[NKINDS]; /* profile build: in each handler */
	/* A profile build of the monitor only (else 0): its traps and the
	 * instructions it retired. */
	long long mentries, minsns;
};

/* The number after key in text, or 0. */
static long long field(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	return p ? atoll(p + strlen(key)) : 0;
}

/* Totals since boot; all zero on an unprotected kernel. */
static void read_counters(struct counters *c)
{
	char text[4096];

	memset(c, 0, sizeof(*c));
	if (read_text(SECMON_DEBUGFS "/calls", text, sizeof(text)) > 0) {
		c->calls = field(text, "total ");
		for (size_t k = 0; k < NKINDS; k++) {
			char key[32];

			snprintf(key, sizeof(key), "\n%s ", call_kinds[k]);
			c->kind[k] = field(text, key);
		}
	}
	if (read_text(SECMON_DEBUGFS "/traps", text, sizeof(text)) > 0) {
		c->satp = field(text, "satp_writes ");
		c->sfence = field(text, "sfence_vma ");
		c->mentries = field(text, "monitor_entries ");
		c->minsns = field(text, "monitor_instructions ");
		for (size_t k = 0; k < NKINDS; k++) {
			char key[48];

			snprintf(key, sizeof(key), "\n%s_instructions ",
				 call_kinds[k]);
			c->kind_insns[k] = field(text, key);
		}
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

/*
 * Four workers fork at once, ten fork-exit-waits each: on 4 harts, the
 * page-table ABI's calls from independent address spaces in parallel.
 * Compared with fork-exit-wait, one at a time, it shows how fork scales.
 */
#define STORM_WORKERS 4
#define STORM_FORKS 10

static void op_fork_storm(void)
{
	pid_t w[STORM_WORKERS];

	for (int i = 0; i < STORM_WORKERS; i++) {
		w[i] = fork();
		if (w[i] == 0) {
			for (int k = 0; k < STORM_FORKS; k++)
				op_fork_exit();
			_exit(0);
		}
	}
	for (int i = 0; i < STORM_WORKERS; i++)
		if (w[i] > 0)
			waitpid(w[i], NULL, 0);
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

/* munmap of a touched 1 MiB: the zap of 256 leaves and their table. */
static char *unmap_area;

static void prep_unmap(void)
{
	unmap_area = mmap(NULL, MIB, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (unmap_area != MAP_FAILED)
		touch(unmap_area, MIB);
}

static void op_unmap(void)
{
	if (unmap_area != MAP_FAILED)
		munmap(unmap_area, MIB);
}

/* mremap of a touched 1 MiB between two places in a reserved 4 MiB: 256
 * leaves move from one table to another. */
static char *remap_base, *remap_cur;

static void op_mremap(void)
{
	char *to = remap_cur == remap_base ? remap_base + 2 * MIB : remap_base;
	char *p =
	    mremap(remap_cur, MIB, MIB, MREMAP_MAYMOVE | MREMAP_FIXED, to);

	if (p != MAP_FAILED)
		remap_cur = p;
}

/* The first touch of a 2 MiB-aligned MADV_HUGEPAGE region: one PMD leaf. */
static char *thp_map, *thp_area;

static void prep_thp(void)
{
	thp_map = mmap(NULL, 4 * MIB, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (thp_map == MAP_FAILED)
		return;
	thp_area =
	    (char *)(((unsigned long)thp_map + 2 * MIB - 1) & ~(2UL * MIB - 1));
	madvise(thp_area, 2 * MIB, MADV_HUGEPAGE);
}

static void op_thp(void)
{
	if (thp_map != MAP_FAILED)
		thp_area[0] = 1;
}

static void done_thp(void)
{
	if (thp_map != MAP_FAILED)
		munmap(thp_map, 4 * MIB);
}

/* The exit of a process that touched 64 MiB: the child touches, says so
 * through a pipe and waits; the clock covers the kill and the wait. */
static pid_t big_child = -1;

static void prep_big(void)
{
	int fd[2];
	char c;

	big_child = -1;
	if (pipe(fd))
		return;
	big_child = fork();
	if (big_child == 0) {
		char *p = mmap(NULL, 64 * MIB, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p != MAP_FAILED)
			touch(p, 64 * MIB);
		if (write(fd[1], "t", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	if (big_child < 0 || read(fd[0], &c, 1) != 1)
		big_child = -1;
	close(fd[0]);
	close(fd[1]);
}

static void op_big_exit(void)
{
	if (big_child > 0) {
		kill(big_child, SIGKILL);
		waitpid(big_child, NULL, 0);
	}
}

struct bench {
	const char *name;
	void (*op)(void);
	int iters;
	/* Optional, run before and after each op, outside the clock. */
	void (*prep)(void);
	void (*done)(void);
	/* Optional: why the kernel cannot run it (NULL if it can). */
	const char *(*missing)(void);
};

static const char *no_thp(void)
{
	char text[256];

	if (read_text("/sys/kernel/mm/transparent_hugepage/enabled", text,
		      sizeof(text)) <= 0)
		return "the kernel has no transparent huge pages";
	if (strstr(text, "[never]"))
		return "transparent huge pages are off ([never])";
	return NULL;
}

/* What reading the counters itself adds between two reads (the reads are
 * monitor calls too): measured once, taken off every interval. */
static struct counters read_cost;

static void add_since(struct counters *acc, const struct counters *c0)
{
	struct counters c1;

	read_counters(&c1);
	acc->calls += c1.calls - c0->calls - read_cost.calls;
	acc->satp += c1.satp - c0->satp - read_cost.satp;
	acc->sfence += c1.sfence - c0->sfence - read_cost.sfence;
	acc->mentries += c1.mentries - c0->mentries - read_cost.mentries;
	acc->minsns += c1.minsns - c0->minsns - read_cost.minsns;
	for (size_t k = 0; k < NKINDS; k++) {
		acc->kind[k] += c1.kind[k] - c0->kind[k] - read_cost.kind[k];
		acc->kind_insns[k] += c1.kind_insns[k] - c0->kind_insns[k] -
				      read_cost.kind_insns[k];
	}
}

static long long min_ll(long long a, long long b)
{
	return a < b ? a : b;
}

/* Per counter, the smallest of 9 empty intervals: a timer tick or an
 * RCU-deferred table free may fall in one. */
static void measure_read_cost(void)
{
	struct counters c0, d, best = {0};

	for (int i = 0; i < 9; i++) {
		d = (struct counters){0};
		read_counters(&c0);
		add_since(&d, &c0);
		if (i == 0) {
			best = d;
			continue;
		}
		best.calls = min_ll(best.calls, d.calls);
		best.satp = min_ll(best.satp, d.satp);
		best.sfence = min_ll(best.sfence, d.sfence);
		best.mentries = min_ll(best.mentries, d.mentries);
		best.minsns = min_ll(best.minsns, d.minsns);
		for (size_t k = 0; k < NKINDS; k++) {
			best.kind[k] = min_ll(best.kind[k], d.kind[k]);
			best.kind_insns[k] =
			    min_ll(best.kind_insns[k], d.kind_insns[k]);
		}
	}
	read_cost = best;
}

/* One round: all of it on the clock, or, with a prep step, only the ops;
 * the counters in *acc cover what the clock covers. */
static long long run_round(const struct bench *b, struct counters *acc)
{
	struct counters c0;
	long long t = 0, t0;

	if (!b->prep) {
		read_counters(&c0);
		t0 = now_ns();
		for (int i = 0; i < b->iters; i++)
			b->op();
		t = now_ns() - t0;
		add_since(acc, &c0);
		return t;
	}
	for (int i = 0; i < b->iters; i++) {
		b->prep();
		read_counters(&c0);
		t0 = now_ns();
		b->op();
		t += now_ns() - t0;
		add_since(acc, &c0);
		if (b->done)
			b->done();
	}
	return t;
}

static void run_bench(const struct bench *b)
{
	long long per_round[ROUNDS];
	struct counters acc = {0};
	long long n = (long long)b->iters * ROUNDS;
	const char *why = b->missing ? b->missing() : NULL;

	if (why) {
		printf("GBENCH-SKIP %s %s\n", b->name, why);
		fflush(stdout);
		return;
	}
	for (int r = 0; r < ROUNDS; r++)
		per_round[r] = run_round(b, &acc) / b->iters;
	qsort(per_round, ROUNDS, sizeof(per_round[0]), cmp_ll);
	printf("GBENCH %s ns %lld calls %.2f satp %.2f sfence %.2f "
	       "mentries %.2f minsns %.0f\n",
	       b->name, per_round[ROUNDS / 2], (double)acc.calls / n,
	       (double)acc.satp / n, (double)acc.sfence / n,
	       (double)acc.mentries / n, (double)acc.minsns / n);
	printf("GBENCH-CALLS %s", b->name);
	for (size_t k = 0; k < NKINDS; k++)
		printf(" %s %.2f", call_kinds[k], (double)acc.kind[k] / n);
	printf("\nGBENCH-MINSNS %s", b->name);
	for (size_t k = 0; k < NKINDS; k++)
		printf(" %s %.0f", call_kinds[k],
		       (double)acc.kind_insns[k] / n);
	printf("\n");
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
	    {.name = "fork-exit-wait", .op = op_fork_exit, .iters = 40},
	    {.name = "fork-storm-4x10", .op = op_fork_storm, .iters = 2},
	    {.name = "fork-exec-exit", .op = op_fork_exec, .iters = 20},
	    {.name = "pthread-create-join", .op = op_thread, .iters = 100},
	    {.name = "mmap-1MiB-touch-munmap",
	     .op = op_mmap_touch,
	     .iters = 20},
	    {.name = "mprotect-1MiB", .op = op_mprotect, .iters = 200},
	    {.name = "page-fault", .op = op_fault, .iters = 1000},
	    {.name = "munmap-1MiB-touched",
	     .op = op_unmap,
	     .iters = 20,
	     .prep = prep_unmap},
	    {.name = "mremap-1MiB", .op = op_mremap, .iters = 100},
	    {.name = "thp-fault-2MiB",
	     .op = op_thp,
	     .iters = 20,
	     .prep = prep_thp,
	     .done = done_thp,
	     .missing = no_thp},
	    {.name = "exit-64MiB-touched",
	     .op = op_big_exit,
	     .iters = 2,
	     .prep = prep_big},
	};
	size_t fault_len = (size_t)ROUNDS * 1000 * PAGE;

	mprotect_area = mmap(NULL, MIB, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	fault_area = mmap(NULL, fault_len, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	remap_base =
	    mmap(NULL, 4 * MIB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	remap_cur = remap_base == MAP_FAILED
			? MAP_FAILED
			: mmap(remap_base, MIB, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (mprotect_area == MAP_FAILED || fault_area == MAP_FAILED ||
	    remap_cur == MAP_FAILED) {
		printf("gluebench: mmap failed\n");
		return 1;
	}
	touch(mprotect_area, MIB);
	touch(remap_cur, MIB);
	measure_read_cost();
	for (size_t i = 0; i < sizeof(benches) / sizeof(benches[0]); i++)
		run_bench(&benches[i]);
	report_tables();
	return 0;
}
