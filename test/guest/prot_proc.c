/*
 * Suite "protected", cases 1 and 2: process life cycles.
 *
 * Case 1 is the crash the glue must make impossible: a thread's exit wakes
 * the futex at its CLONE_CHILD_CLEARTID address (mm_release ->
 * futex_wake -> get_futex_key -> gup_fast), a software walk of the dying
 * process's page tables.  Every process here has 8 pthreads, some blocked
 * in futex waits (private, shared, and pthread_join's wait on a thread id)
 * and some spinning, and then the whole process goes away at once: by
 * exit_group, or by execve from one of its threads.
 *
 * Case 2 forks, execs and exits many processes, 4 at a time, as deep
 * chains: every process of a chain forks the next one and waits for it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest.h"
#include "prot.h"

#define LIFE_THREADS 8
#define LIFE_WIDTH 4		/* processes at a time: one per hart */
#define EXIT_CODE_BASE 40	/* exit codes 40..89 tell iterations apart */
#define MIN_SPINS 1000		/* the spinners really ran */
#define CHAIN_LEAF_CODE 3	/* what the exec'd leaf of a chain exits with */
#define CHAIN_ERROR 200		/* exit codes from here on are errors */
#define CHAIN_DEPTH 50		/* processes below the top of a chain */

/* ---- case 1: threads at exit_group and execve ---------------------------- */

static _Atomic int threads_ready;
static _Atomic int exec_go;
static _Atomic unsigned long spins;
static int private_word;
static int *shared_word;
static pthread_t spinner_tid[2];
static int exec_code;

static void *futex_waiter(void *arg)
{
	int *word = arg;
	int op = word == shared_word ? FUTEX_WAIT : FUTEX_WAIT_PRIVATE;

	atomic_fetch_add(&threads_ready, 1);
	for (;;)
		syscall(SYS_futex, word, op, 0, NULL, NULL, 0);
	return NULL;
}

static void *spinner(void *arg)
{
	(void)arg;
	atomic_fetch_add(&threads_ready, 1);
	for (;;)
		atomic_fetch_add(&spins, 1);
	return NULL;
}

/* Blocks in the futex wait on a spinner's thread id, the very word the
 * kernel clears and wakes when that thread dies. */
static void *joiner(void *arg)
{
	atomic_fetch_add(&threads_ready, 1);
	pthread_join(*(pthread_t *)arg, NULL);
	return NULL;
}

static void *execer(void *arg)
{
	char code[8];
	char *argv[] = { "/init", MODE_EXIT_CODE, code, NULL };
	char *envp[] = { NULL };

	(void)arg;
	snprintf(code, sizeof(code), "%d", exec_code);
	atomic_fetch_add(&threads_ready, 1);
	while (!atomic_load(&exec_go))
		sched_yield();
	execve("/init", argv, envp);
	_exit(CHAIN_ERROR + 1);
}

/* Threads 0-1 spin, 2-3 join them, 4-5 wait on a private futex, 6 on a
 * shared one; 7 waits on the shared one too, or execs. */
static int start_life_threads(int with_execer)
{
	void *(*fn[LIFE_THREADS])(void *) = { spinner, spinner, joiner, joiner,
		futex_waiter, futex_waiter, futex_waiter, futex_waiter };
	void *arg[LIFE_THREADS] = { NULL, NULL, &spinner_tid[0], &spinner_tid[1],
		&private_word, &private_word, NULL, NULL };
	pthread_t tid;

	shared_word = mmap(NULL, PROT_PAGE, PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared_word == MAP_FAILED)
		return -1;
	arg[6] = arg[7] = shared_word;
	if (with_execer)
		fn[7] = execer;
	for (int i = 0; i < LIFE_THREADS; i++) {
		pthread_t *t = i < 2 ? &spinner_tid[i] : &tid;

		if (pthread_create(t, NULL, fn[i], arg[i]))
			return -1;
	}
	return 0;
}

/* Returns once every thread runs and the spinners have spun, with a pause
 * for the waiters to reach their futex waits. */
static void wait_life_threads(void)
{
	while (atomic_load(&threads_ready) < LIFE_THREADS ||
	       atomic_load(&spins) < MIN_SPINS)
		sched_yield();
	usleep(2000);
}

static int exit_group_child(long i)
{
	if (start_life_threads(0))
		return CHAIN_ERROR;
	wait_life_threads();
	syscall(SYS_exit_group, EXIT_CODE_BASE + (int)(i % 50));
	return CHAIN_ERROR + 2;
}

static int exec_thread_child(long i)
{
	exec_code = EXIT_CODE_BASE + (int)(i % 50);
	if (start_life_threads(1))
		return CHAIN_ERROR;
	wait_life_threads();
	atomic_store(&exec_go, 1);
	for (;;)
		pause();
}

static int expect_code(long i, int st)
{
	int want = EXIT_CODE_BASE + (int)(i % 50);

	if (WIFEXITED(st) && WEXITSTATUS(st) == want)
		return 0;
	return prot_fail("process #%ld: %s, expected exit status %d", i,
			 prot_status(st), want);
}

/* Runs the full tier's 1,000 (CI: 50) such processes, 4 at a time. */
static int life_case(const char *name, const char *how, int (*child)(long))
{
	int n = prot_scale(50, 1000);

	if (prot_batch(n, LIFE_WIDTH, child, expect_code, prot_scale(80, 600)))
		return 1;
	printf("%s: %d processes of %d threads ended by %s\n", name, n,
	       LIFE_THREADS + 1, how);
	return 0;
}

int prot_case_exit_futex(void)
{
	return life_case("exit_futex", "exit_group", exit_group_child);
}

int prot_case_exec_thread(void)
{
	return life_case("exec_thread", "execve from a thread",
			 exec_thread_child);
}

/* ---- case 2: fork chains -------------------------------------------------- */

/* Exits with the leaf's code plus the number of levels below: a lost or
 * wrong process anywhere in the chain shows in the top's exit status. */
static int chain_level(long depth)
{
	static char *argv[] = { "/init", MODE_EXIT_CODE, "3", NULL };
	static char *envp[] = { NULL };
	volatile char touch[3 * PROT_PAGE]; /* a few stack pages per level */
	pid_t pid;
	int st;

	touch[0] = touch[sizeof(touch) - 1] = (char)depth;
	if (depth == 0) {
		execve("/init", argv, envp);
		return CHAIN_ERROR + 1;
	}
	pid = prot_spawn(chain_level, depth - 1);
	if (pid < 0)
		return CHAIN_ERROR + 2;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(st))
		return CHAIN_ERROR + 3;
	if (WEXITSTATUS(st) >= CHAIN_ERROR)
		return WEXITSTATUS(st);
	return WEXITSTATUS(st) + 1 + (touch[0] != (char)depth);
}

static int chain_top(long i)
{
	(void)i;
	return chain_level(CHAIN_DEPTH);
}

static int expect_chain(long i, int st)
{
	int want = CHAIN_LEAF_CODE + CHAIN_DEPTH;

	if (WIFEXITED(st) && WEXITSTATUS(st) == want)
		return 0;
	return prot_fail("chain #%ld: %s, expected exit status %d", i,
			 prot_status(st), want);
}

int prot_case_fork_storm(void)
{
	int chains = prot_scale(16, 100);
	int procs = chains * (CHAIN_DEPTH + 1);

	if (prot_batch(chains, LIFE_WIDTH, chain_top, expect_chain,
		       prot_scale(80, 700)))
		return 1;
	printf("fork_storm: %d chains of depth %d, %d processes, %d at a time\n",
	       chains, CHAIN_DEPTH, procs, LIFE_WIDTH);
	return 0;
}
