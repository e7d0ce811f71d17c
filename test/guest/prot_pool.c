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
 * Before the storm, one child per other call site that needs a table acts
 * on the empty pool: mremap (the moved tables), a THP fault (the table it
 * deposits), a hugetlb fault (its PMD table) and MADV_COLLAPSE.  Each
 * works at a fixed address in a 1 GiB region of its own, so it needs a
 * new table, and must end with its data intact, in ENOMEM, or by SIGBUS or
 * an OOM kill: never hang, never corrupt, never oops.
 *
 * Case 8 asks the kernel's test hook to store into the PTE page mapping
 * one of our pages with copy_to_kernel_nofault(): the monitor's PMP must
 * refuse it, and the page must stay as it was.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
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
#define STORM_SPAN (256UL << 20) /* 128 regions of 2 MiB: 128 PTE tables */
#define STORM_ALARM_S 60
#define STORM_ERROR 3 /* a storm child's own setup failed */

static pid_t bomb[BOMB_CAP_MAX];

/* Makes the caller the OOM killer's first choice, ahead of the suite. */
static void oom_first(void)
{
	write_text("/proc/self/oom_score_adj", "1000");
}

/* ---- the other call sites ---------------------------------------------- */

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif
#define THP_ENABLED "/sys/kernel/mm/transparent_hugepage/enabled"
#define NR_HUGEPAGES "/proc/sys/vm/nr_hugepages"
#define SITE_ENOMEM 4 /* the call failed with ENOMEM, data intact */
#define SITE_NA 5 /* the site does not exist in this kernel */
#define SITE_BAD 6 /* data changed, or an error other than ENOMEM */
#define SITE_SEED 57
#define SITE_PAGES 512 /* 2 MiB */

enum site { SITE_MREMAP, SITE_THP, SITE_HUGETLB, SITE_COLLAPSE, NSITES };
static const char *const site_name[NSITES] = {"mremap", "thp_fault",
					      "hugetlb_fault", "collapse"};

/* A fresh 1 GiB region per site, far above the suite's own mappings. */
static char *site_addr(int site)
{
	return (char *)((0x2000000000UL) + (unsigned long)site * (1UL << 30));
}

static char *site_map(char *at, size_t len, int extra)
{
	char *p = mmap(
	    at, len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | extra, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* mremap of filled pages to a region with no tables yet. */
static int site_mremap(int fd)
{
	size_t len = 2 * PROT_2M;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
	     *q;

	if (p == MAP_FAILED)
		return SITE_BAD;
	prot_fill(p, 0, 2 * SITE_PAGES, SITE_SEED);
	prot_wait_byte(fd);
	q = mremap(p, len, len, MREMAP_MAYMOVE | MREMAP_FIXED,
		   site_addr(SITE_MREMAP));
	if (q == MAP_FAILED)
		return errno != ENOMEM ? SITE_BAD
		       : prot_verify(p, 0, 2 * SITE_PAGES, SITE_SEED) >= 0
			   ? SITE_BAD
			   : SITE_ENOMEM;
	return prot_verify(q, 0, 2 * SITE_PAGES, SITE_SEED) >= 0 ? SITE_BAD : 0;
}

/* A fault in a huge-page region: the THP needs a deposited table. */
static int site_thp(int fd)
{
	char *p = site_map(site_addr(SITE_THP), PROT_2M, 0);

	if (!p)
		return SITE_BAD;
	madvise(p, PROT_2M, MADV_HUGEPAGE);
	prot_wait_byte(fd);
	prot_fill(p, 0, SITE_PAGES, SITE_SEED);
	return prot_verify(p, 0, SITE_PAGES, SITE_SEED) >= 0 ? SITE_BAD : 0;
}

/* A hugetlb fault: a 2 MiB leaf in a PMD table that does not exist. */
static int site_hugetlb(int fd)
{
	char *p;

	prot_wait_byte(fd);
	p = site_map(site_addr(SITE_HUGETLB), PROT_2M, MAP_HUGETLB);
	if (!p)
		return errno == ENOMEM ? SITE_ENOMEM : SITE_BAD;
	prot_fill(p, 0, SITE_PAGES, SITE_SEED);
	return prot_verify(p, 0, SITE_PAGES, SITE_SEED) >= 0 ? SITE_BAD : 0;
}

/* MADV_COLLAPSE of 512 small pages into one huge page. */
static int site_collapse(int fd)
{
	char *p = site_map(site_addr(SITE_COLLAPSE), PROT_2M, 0);

	if (!p)
		return SITE_BAD;
	madvise(p, PROT_2M, MADV_NOHUGEPAGE);
	prot_fill(p, 0, SITE_PAGES, SITE_SEED);
	prot_wait_byte(fd);
	madvise(p, PROT_2M, MADV_HUGEPAGE);
	if (madvise(p, PROT_2M, MADV_COLLAPSE) && errno == EINVAL)
		return SITE_NA;
	return prot_verify(p, 0, SITE_PAGES, SITE_SEED) >= 0 ? SITE_BAD : 0;
}

static int hugetlb_reserved(void)
{
	char text[32];

	return read_text(NR_HUGEPAGES, text, sizeof(text)) > 0 &&
	       atoi(text) > 0;
}

static int site_child(int site, int fd)
{
	alarm(STORM_ALARM_S + 10); /* armed before the wait: all in one go */
	switch (site) {
	case SITE_MREMAP:
		return site_mremap(fd);
	case SITE_THP:
		return access(THP_ENABLED, F_OK) ? SITE_NA : site_thp(fd);
	case SITE_HUGETLB:
		return hugetlb_reserved() ? site_hugetlb(fd) : SITE_NA;
	default:
		return site_collapse(fd);
	}
}

/* One child per site, each waiting for a byte on its own go[i]. */
static int sites_start(pid_t *pids, int *go)
{
	int p[2];

	/* THP faults need THP on; one huge page for the hugetlb site. */
	write_text(THP_ENABLED, "madvise");
	write_text(NR_HUGEPAGES, "1");
	for (int i = 0; i < NSITES; i++) {
		if (pipe(p))
			return prot_fail("pipe: %s", strerror(errno));
		fflush(stdout);
		pids[i] = fork();
		if (pids[i] < 0)
			return prot_fail("fork of the %s child: %s",
					 site_name[i], strerror(errno));
		if (pids[i] == 0) {
			oom_first();
			close(p[1]);
			_exit(site_child(i, p[0]));
		}
		close(p[0]);
		go[i] = p[1];
	}
	return 0;
}

static const char *site_outcome(int st)
{
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return "done, data intact";
	if (WIFEXITED(st) && WEXITSTATUS(st) == SITE_ENOMEM)
		return "ENOMEM, data intact";
	if (WIFEXITED(st) && WEXITSTATUS(st) == SITE_NA)
		return "not in this kernel";
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGBUS)
		return "SIGBUS";
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
		return "OOM-killed";
	return NULL;
}

/*
 * The bomb stops when a fork fails, which may leave a few pages a fork
 * could not use, and a site that dies gives its tables back.  The filler
 * takes them: on each go byte it touches one page per 2 MiB until a fault
 * gets SIGBUS, says so, and keeps what it has; so every site meets a pool
 * with nothing free.
 */
static sigjmp_buf filler_env;

static void filler_full(int sig)
{
	(void)sig;
	siglongjmp(filler_env, 1);
}

static void __attribute__((noreturn)) filler_run(int go, int full)
{
	size_t span = 64UL << 30; /* 32768 regions: more than any pool here */
	static volatile size_t off; /* survives the jump; retried after it */
	char *m = mmap(NULL, span, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	signal(SIGBUS, filler_full);
	if (m == MAP_FAILED)
		_exit(STORM_ERROR);
	for (;;) {
		if (prot_wait_byte(go))
			_exit(0);
		if (sigsetjmp(filler_env, 1) == 0) {
			for (; off < span; off += PROT_2M)
				m[off] = 1;
			_exit(STORM_ERROR); /* the pool never ran out */
		}
		if (write(full, "F", 1) != 1)
			_exit(STORM_ERROR);
	}
}

/* Forked before the bomb (a fork needs pool pages); fills on each go
 * byte.  fd[0] reads its "F", fd[1] sends the go byte. */
static pid_t filler_spawn(int fd[2])
{
	int go[2], full[2];
	pid_t pid;

	if (pipe(go) || pipe(full))
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		oom_first();
		close(go[1]);
		close(full[0]);
		filler_run(go[0], full[1]);
	}
	close(go[0]);
	close(full[1]);
	fd[0] = full[0];
	fd[1] = go[1];
	return pid;
}

/* 0 once the filler met the empty pool, -1 if it did not. */
static int filler_fill(const int fd[2])
{
	return prot_send_byte(fd[1]) || prot_wait_byte(fd[0]) ? -1 : 0;
}

/* A dead site's tables come back after an RCU grace period: wait until
 * pool_free holds still for 200 ms (at most 5 s). */
static void pool_settle(void)
{
	long long before = -1, now = prot_stat("pool_free");

	for (int i = 0; i < 25 && now != before; i++) {
		usleep(200000);
		before = now;
		now = prot_stat("pool_free");
	}
}

/* Empties the pool, releases one site child, judges it; site by site. */
static int sites_finish(const pid_t *pids, const int *go, const int ffd[2])
{
	int st, rc = 0;
	const char *how;

	for (int i = 0; i < NSITES; i++) {
		pool_settle();
		if (filler_fill(ffd) && !rc)
			rc = prot_fail("the filler did not empty the pool");
		/* A late RCU free may still land: take it too. */
		for (int k = 0; k < 3 && prot_stat("pool_free") > 0; k++)
			filler_fill(ffd);
		printf("pool_exhaustion: pool_free %lld before site %s\n",
		       prot_stat("pool_free"), site_name[i]);
		prot_send_byte(go[i]);
		close(go[i]);
		if (prot_wait(pids[i], &st, STORM_ALARM_S + 30) < 0) {
			rc = prot_fail("the %s child hangs", site_name[i]);
			continue;
		}
		how = site_outcome(st);
		printf("pool_exhaustion: site %s on the empty pool: %s\n",
		       site_name[i], how ? how : prot_status(st));
		if (!how && !rc)
			rc = prot_fail(
			    "site %s: %s (%d: data changed or an "
			    "error other than ENOMEM; SIGALRM: stuck)",
			    site_name[i], prot_status(st), SITE_BAD);
	}
	write_text(NR_HUGEPAGES, "0");
	return rc;
}

static int bomb_cap(void)
{
	const char *v = cmdline_get("secmon.bomb_cap");
	int n = v ? atoi(v) : BOMB_CAP_DEFAULT;

	return n > 0 && n <= BOMB_CAP_MAX ? n : BOMB_CAP_DEFAULT;
}

/* ---- the storm ----------------------------------------------------------- */

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
			return prot_fail(
			    "storm child %d: %s (SIGALRM: stuck faulting)", i,
			    prot_status(st));
	}
	printf("pool_exhaustion: fault storm of %d children: %d SIGBUS, %d "
	       "OOM-killed, %d finished\n",
	       n, bus, killed, done);
	if (bus + killed == 0)
		return prot_fail(
		    "no storm child met the empty pool: all %d finished", n);
	return 0;
}

/* ---- the fork bomb ------------------------------------------------------- */

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
	printf("pool_exhaustion: fork bomb reached %d processes (cap %d), "
	       "fork: %s; pool_free %lld of %lld\n",
	       n, cap, err ? strerror(err) : "never failed",
	       prot_stat("pool_free"), prot_stat("pool_pages"));
	if (err == 0)
		return prot_fail("the pool was not exhausted by %d processes",
				 cap);
	if (err != ENOMEM)
		return prot_fail("fork failed with %s, expected ENOMEM",
				 strerror(err));
	return 0;
}

int prot_case_pool_exhaustion(void)
{
	static pid_t storm[64], sites[NSITES];
	int nstorm = prot_scale(8, 32), cap = bomb_cap(), err, n, go = -1, rc;
	int sgo[NSITES], ffd[2];
	pid_t filler;
	const char *force = cmdline_get("secmon.pool_force");

	if (!prot_is_protected() && !(force && atoi(force)))
		return prot_skip("mode is %s: only the monitor's pool runs out",
				 prot_mode());
	/* A site that does not exist in this kernel has already exited and
	 * closed its pipe: its go byte must fail with EPIPE, not kill us. */
	signal(SIGPIPE, SIG_IGN);
	if (storm_start(storm, nstorm, &go) || sites_start(sites, sgo))
		return 1;
	filler = filler_spawn(ffd);
	if (filler < 0)
		return prot_fail("fork of the filler: %s", strerror(errno));
	n = bomb_run(cap, &err);
	rc = bomb_judge(n, cap, err);
	if (sites_finish(sites, sgo, ffd))
		rc = 1;
	kill(filler, SIGKILL);
	waitpid(filler, NULL, 0);
	close(ffd[0]);
	close(ffd[1]);
	if (storm_finish(storm, nstorm, go))
		rc = 1;
	if (bomb_clear(n) && !rc)
		rc = prot_fail(
		    "an idle bomb process ended otherwise than by SIGKILL");
	return rc;
}

/* ---- case 8: direct write ------------------------------------------------ */

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
		return prot_fail(
		    "for an unmapped address the hook said %s, expected EINVAL",
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
		return prot_skip("no %s (needs CONFIG_SECMON_PT_TEST)",
				 DIRECT_HOOK);
	p = mmap(NULL, PROT_PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return prot_fail("mmap: %s", strerror(errno));
	prot_fill(p, 0, 1, DIRECT_SEED);
	if (prot_pagemap(0, p, &before))
		return prot_fail("pagemap: %s", strerror(errno));
	err = direct_write(p);
	if (err == EIO)
		return prot_fail("the kernel's store into the PTE page went "
				 "through, or the PTE changed");
	if (err)
		return prot_fail("test_direct_write: %s", strerror(err));
	if (prot_verify(p, 0, 1, DIRECT_SEED) >= 0)
		return prot_fail("the page's content changed");
	if (prot_pagemap(0, p, &after))
		return prot_fail("pagemap: %s", strerror(errno));
	if (!(after & PAGEMAP_PRESENT) ||
	    (after & PAGEMAP_PFN_MASK) != (before & PAGEMAP_PFN_MASK))
		return prot_fail("pagemap entry %#llx, before %#llx", after,
				 before);
	return direct_unmapped();
}
