/*
 * Suite "protected", cases 6 and 8: what only the monitor makes happen.
 *
 * Case 6 empties the page-table pool.  Storm children are forked first
 * (a fork needs pool pages, so later there would be none) and wait; then
 * a fork bomb of idle processes runs until fork() fails, which must be
 * ENOMEM.  Then the storm children each touch one page in each of many
 * distinct 2 MiB regions, so every touch needs a new PTE table from the
 * empty pool: each must end by SIGBUS or an OOM kill (SIGKILL), never
 * hang in the page-fault retry loop; every storm child runs under alarm()
 * so a hang shows as SIGALRM.  One that finishes its touches is no failure
 * by itself (the OOM killer may have freed a bomb process's tables), but
 * at least one must have died of the empty pool.  The suite then checks
 * that the pool in use returns to its baseline.
 *
 * Case 8 asks the kernel's test hook to store into the PTE page mapping
 * one of our pages with copy_to_kernel_nofault(): the monitor's PMP must
 * refuse it, and the page must stay as it was.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest.h"
#include "prot.h"

#define BOMB_CAP_DEFAULT 4000
#define BOMB_CAP_MAX 8000
#define STORM_SPAN (256UL << 20)	/* 128 regions of 2 MiB: 128 PTE tables */
#define STORM_ALARM_S 60
#define STORM_ERROR 3			/* a storm child's own setup failed */

static pid_t bomb[BOMB_CAP_MAX];

/* Makes the caller the OOM killer's first choice, ahead of the suite. */
static void oom_first(void)
{
	write_text("/proc/self/oom_score_adj", "1000");
}

static int bomb_cap(void)
{
	const char *v = cmdline_get("secmon.bomb_cap");
	int n = v ? atoi(v) : BOMB_CAP_DEFAULT;

	return n > 0 && n <= BOMB_CAP_MAX ? n : BOMB_CAP_DEFAULT;
}

/* ---- the storm -------------------------------------------------------------- */

/* Waits for its go byte on fd (not EOF: the bomb processes, forked
 * later, hold the write end too), then touches one byte per 2 MiB. */
static int storm_child(int fd)
{
	char *p;

	oom_first();
	prot_wait_byte(fd);
	alarm(STORM_ALARM_S);
	p = mmap(NULL, STORM_SPAN, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return STORM_ERROR;
	for (unsigned long off = 0; off < STORM_SPAN; off += PROT_2M)
		p[off + (off / PROT_2M % 512) * PROT_PAGE] = 1;
	return 0;
}

static int storm_start(pid_t *pids, int n, int *go)
{
	int p[2];

	if (pipe(p))
		return prot_fail("pipe: %s", strerror(errno));
	for (int i = 0; i < n; i++) {
		fflush(stdout);
		pids[i] = fork();
		if (pids[i] < 0)
			return prot_fail("fork of storm child %d: %s", i,
					 strerror(errno));
		if (pids[i] == 0) {
			close(p[1]);
			_exit(storm_child(p[0]));
		}
	}
	close(p[0]);
	*go = p[1];
	return 0;
}

/* Releases the storm and judges how each child ended. */
static int storm_finish(const pid_t *pids, int n, int go)
{
	int bus = 0, killed = 0, done = 0, st;

	for (int i = 0; i < n; i++)
		prot_send_byte(go);
	close(go);
	for (int i = 0; i < n; i++) {
		if (prot_wait(pids[i], &st, STORM_ALARM_S + 30) < 0)
			return prot_fail("storm child %d hangs", i);
		if (WIFSIGNALED(st) && WTERMSIG(st) == SIGBUS)
			bus++;
		else if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
			killed++;
		else if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
			done++;
		else
			return prot_fail("storm child %d: %s (SIGALRM: stuck faulting)",
					 i, prot_status(st));
	}
	printf("pool_exhaustion: fault storm of %d children: %d SIGBUS, %d OOM-killed, %d finished\n",
	       n, bus, killed, done);
	if (bus + killed == 0)
		return prot_fail("no storm child met the empty pool: all %d finished", n);
	return 0;
}

/* ---- the fork bomb ---------------------------------------------------------- */

static void __attribute__((noreturn)) bomb_child(void)
{
	oom_first();
	for (;;)
		pause();
}

/* Forks idle children until fork fails or cap is reached; returns how
 * many, with the failing errno in *err (0 if the cap was reached). */
static int bomb_run(int cap, int *err)
{
	int n;

	*err = 0;
	for (n = 0; n < cap; n++) {
		fflush(stdout);
		bomb[n] = fork();
		if (bomb[n] == 0)
			bomb_child();
		if (bomb[n] < 0) {
			*err = errno;
			break;
		}
	}
	return n;
}

/* Kills and reaps the bomb; counts the ones that ended otherwise than
 * by SIGKILL (ours or the OOM killer's), which idle processes should not. */
static int bomb_clear(int n)
{
	int odd = 0, st;

	for (int i = 0; i < n; i++)
		kill(bomb[i], SIGKILL);
	for (int i = 0; i < n; i++)
		if (waitpid(bomb[i], &st, 0) == bomb[i] &&
		    !(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL))
			odd++;
	return odd;
}

static int bomb_judge(int n, int cap, int err)
{
	printf("pool_exhaustion: fork bomb reached %d processes (cap %d), fork: %s; pool_free %lld of %lld\n",
	       n, cap, err ? strerror(err) : "never failed", prot_stat("pool_free"),
	       prot_stat("pool_pages"));
	if (err == 0)
		return prot_fail("the pool was not exhausted by %d processes", cap);
	if (err != ENOMEM)
		return prot_fail("fork failed with %s, expected ENOMEM",
				 strerror(err));
	return 0;
}

int prot_case_pool_exhaustion(void)
{
	static pid_t storm[64];
	int nstorm = prot_scale(8, 32), cap = bomb_cap(), err, n, go = -1, rc;
	const char *force = cmdline_get("secmon.pool_force");

	if (!prot_is_protected() && !(force && atoi(force)))
		return prot_skip("mode is %s: only the monitor's pool runs out",
				 prot_mode());
	if (storm_start(storm, nstorm, &go))
		return 1;
	n = bomb_run(cap, &err);
	rc = bomb_judge(n, cap, err);
	if (storm_finish(storm, nstorm, go))
		rc = 1;
	if (bomb_clear(n) && !rc)
		rc = prot_fail("an idle bomb process ended otherwise than by SIGKILL");
	return rc;
}

/* ---- case 8: direct write --------------------------------------------------- */

#define DIRECT_HOOK prot_path("test_direct_write")
#define DIRECT_SEED 81

/* Asks the hook to store into the PTE of addr; returns write()'s errno. */
static int direct_write(const void *addr)
{
	char text[32];

	snprintf(text, sizeof(text), "%#lx", (unsigned long)addr);
	return write_text(DIRECT_HOOK, text) < 0 ? errno : 0;
}

/* The hook must say EINVAL for an address with no PTE: proof that it
 * looks at the address it is given. */
static int direct_unmapped(void)
{
	char *p = mmap(NULL, PROT_PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int err;

	if (p == MAP_FAILED)
		return prot_fail("mmap: %s", strerror(errno));
	munmap(p, PROT_PAGE);
	err = direct_write(p);
	if (err != EINVAL)
		return prot_fail("for an unmapped address the hook said %s, expected EINVAL",
				 err ? strerror(err) : "success");
	return 0;
}

int prot_case_direct_write(void)
{
	unsigned long long before, after;
	char *p;
	int err;

	if (!prot_is_protected())
		return prot_skip("mode is %s: no monitor to refuse the store",
				 prot_mode());
	if (access(DIRECT_HOOK, F_OK))
		return prot_skip("no %s (needs CONFIG_SECMON_PT_TEST)", DIRECT_HOOK);
	p = mmap(NULL, PROT_PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return prot_fail("mmap: %s", strerror(errno));
	prot_fill(p, 0, 1, DIRECT_SEED);
	if (prot_pagemap(0, p, &before))
		return prot_fail("pagemap: %s", strerror(errno));
	err = direct_write(p);
	if (err == EIO)
		return prot_fail("the kernel's store into the PTE page went through, or the PTE changed");
	if (err)
		return prot_fail("test_direct_write: %s", strerror(err));
	if (prot_verify(p, 0, 1, DIRECT_SEED) >= 0)
		return prot_fail("the page's content changed");
	if (prot_pagemap(0, p, &after))
		return prot_fail("pagemap: %s", strerror(errno));
	if (!(after & PAGEMAP_PRESENT) ||
	    (after & PAGEMAP_PFN_MASK) != (before & PAGEMAP_PFN_MASK))
		return prot_fail("pagemap entry %#llx, before %#llx", after, before);
	return direct_unmapped();
}
