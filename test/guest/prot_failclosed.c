/*
 * Suite "protected": the glue fails closed, and its files are root's.
 *
 * refused_store and refused_store_lazy: a child (the "forger") asks the
 * kernel's test hook to store an entry the monitor must refuse into its
 * own page table: a writable user leaf onto the kernel image, at the PTE of
 * a page that has a table but no entry yet.  The hook sends it the way a
 * page fault's set_ptes() does, at once or (lazy) from a lazy MMU section
 * that the context switch flushes.  Linux now believes in a mapping the
 * hardware does not have, so the forger and a CLONE_VM sibling sharing its
 * address space must die by SIGKILL before they run user code again.  The
 * hook holds the forger in the kernel for a moment after the store, so we
 * can read its pagemap while SIGKILL is pending: the refused entry must
 * still be empty and its neighbour unchanged.  The refusal must be
 * reported in the kernel log, by the forger's own context, and this process
 * must go on working.
 *
 * refused_clear (run alone with secmon.only=refused_clear, by
 * test/qemu/protected_cases.sh): the forger asks the hook to unmap one of
 * its present pages while the owner record of the table is stale, so the
 * monitor refuses the clear and the page stays mapped.  The kernel would
 * free that page next, so it must panic: if this case gets to report,
 * the kernel went on, and the case fails.
 *
 * debugfs_root_only: the glue's files are readable by root and by nobody
 * else (uid 65534 gets EACCES), and nothing is left in /sys/kernel/secmon.
 *
 * processes_file: reading the processes file lists us and makes the kernel
 * log no "sleeping function called from invalid context" (the protected
 * kernel has CONFIG_DEBUG_ATOMIC_SLEEP).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest.h"
#include "prot.h"

#define FORGER_SEED 97
#define FORGER_HOLD_MS 1500 /* the hook keeps the forger in the kernel */
#define KILL_POLL_MS 10000
#define SIBLING_STACK (64UL << 10)
#define NOBODY 65534
#define LEGACY_DIR "/sys/kernel/secmon"

/* What the forger tells the case before it writes the hook. */
struct forger_info {
	unsigned long mapped, empty; /* page with an entry, page without */
	pid_t sibling;
};

/* ---- the forger ------------------------------------------------------------- */

static int sibling_fn(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return 0;
}

/* Maps 4 MiB and picks two pages of one 2 MiB region: one touched (so the
 * region has a PTE table) and its neighbour, left without an entry. */
static int forger_pages(struct forger_info *fi)
{
	char *p = mmap(NULL, 2 * PROT_2M, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long base;

	if (p == MAP_FAILED)
		return -1;
	base = ((unsigned long)p + PROT_2M - 1) & ~(PROT_2M - 1);
	fi->mapped = base + 8 * PROT_PAGE;
	fi->empty = base + 9 * PROT_PAGE;
	prot_fill((char *)fi->mapped, 0, 1, FORGER_SEED);
	return 0;
}

/* Exit codes of the forger when it is not killed. */
#define FORGER_WROTE 0 /* the hook returned: nobody killed us */
#define FORGER_SETUP 3
#define FORGER_HOOK_ERR 4

static int forger(const char *mode, int ready, int go)
{
	static struct forger_info fi;
	char cmd[96], *stack;

	prctl(PR_SET_NAME, FORGER_COMM);
	if (forger_pages(&fi))
		return FORGER_SETUP;
	stack = mmap(NULL, SIBLING_STACK, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED)
		return FORGER_SETUP;
	/* A second process on our address space; CLONE_PARENT makes it the
	 * case's child, so the case can see how it ends. */
	fi.sibling = clone(sibling_fn, stack + SIBLING_STACK,
			   CLONE_VM | CLONE_PARENT | SIGCHLD, NULL);
	if (fi.sibling < 0)
		return FORGER_SETUP;
	if (write(ready, &fi, sizeof(fi)) != (ssize_t)sizeof(fi))
		return FORGER_SETUP;
	if (prot_wait_byte(go))
		return FORGER_SETUP;
	snprintf(cmd, sizeof(cmd), "%s %#lx %d", mode, fi.empty,
		 FORGER_HOLD_MS);
	if (write_text(prot_path("test_refused_store"), cmd) < 0)
		return FORGER_HOOK_ERR;
	return FORGER_WROTE;
}

/* ---- the case --------------------------------------------------------------- */

/* Whether /proc/PID/status shows SIGKILL pending (thread or shared). */
static int kill_pending(pid_t pid)
{
	char path[64], text[2048], *p;
	unsigned long long mask;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (read_text(path, text, sizeof(text)) <= 0)
		return 0;
	for (p = text; (p = strstr(p, "Pnd:")); p += 4)
		if (sscanf(p + 4, "%llx", &mask) == 1 &&
		    (mask & (1ULL << (SIGKILL - 1))))
			return 1;
	return 0;
}

static int read_entry(int fd, unsigned long va, unsigned long long *e)
{
	off_t off = (off_t)(va / PROT_PAGE) * 8;

	return pread(fd, e, 8, off) == 8 ? 0 : -1;
}

struct observed {
	int pending;			 /* SIGKILL was seen pending */
	unsigned long long mapped, empty; /* pagemap entries meanwhile */
};

/* Waits for the forger's SIGKILL to be pending (or for it to end), then
 * reads the two entries while its address space still exists. */
static void watch_forger(pid_t pid, int pm, const struct forger_info *fi,
			 struct observed *o)
{
	long long deadline = now_ns() + KILL_POLL_MS * 1000000LL;
	siginfo_t si;

	memset(o, 0, sizeof(*o));
	while (now_ns() < deadline) {
		if (kill_pending(pid)) {
			o->pending = 1;
			if (read_entry(pm, fi->mapped, &o->mapped) ||
			    read_entry(pm, fi->empty, &o->empty))
				o->pending = 2; /* gone before we read */
			return;
		}
		si.si_pid = 0;
		if (waitid(P_PID, pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
		    si.si_pid == pid)
			return;
		usleep(2000);
	}
}

/* The kernel log since kfd opened names the refusal (made by the forger,
 * with the words in need[]) and the kill of both processes. */
static int check_report(int kfd, const char *const *need, pid_t forger,
			pid_t sibling)
{
	char line[512], want_f[64], want_s[64];
	int refusal = 0, kf = 0, ks = 0, all;

	snprintf(want_f, sizeof(want_f), "secmon: killed pid %d ", forger);
	snprintf(want_s, sizeof(want_s), "secmon: killed pid %d ", sibling);
	while (kmsg_next(kfd, line, sizeof(line)) > 0) {
		all = strstr(line, "secmon: ") && strstr(line, "refused") &&
		      strstr(line, "(" FORGER_COMM ")");
		for (int i = 0; all && need[i]; i++)
			all = strstr(line, need[i]) != NULL;
		refusal |= all;
		kf |= strstr(line, want_f) != NULL;
		ks |= strstr(line, want_s) != NULL;
	}
	if (!refusal)
		return prot_fail("the kernel log has no refusal report by pid %d (%s) with \"%s\"",
				 forger, FORGER_COMM, need[0]);
	if (!kf || !ks)
		return prot_fail("the kernel log does not say it killed pid %d (forger) and pid %d (its sibling)",
				 forger, sibling);
	return 0;
}

/* This process still works: its memory, and a child of its own. */
static int still_working(void)
{
	char *p = mmap(NULL, 4 * PROT_PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pid_t pid;
	int st;

	if (p == MAP_FAILED)
		return prot_fail("afterwards, mmap: %s", strerror(errno));
	prot_fill(p, 0, 4, FORGER_SEED + 1);
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(prot_verify(p, 0, 4, FORGER_SEED + 1) < 0 ? 7 : 8);
	if (pid < 0 || prot_wait(pid, &st, 30) < 0)
		return prot_fail("afterwards, fork/wait failed");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 7)
		return prot_fail("afterwards, a child of ours ended with %s",
				 prot_status(st));
	munmap(p, 4 * PROT_PAGE);
	return 0;
}

static int judge_end(const char *who, pid_t pid, int st)
{
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
		return 0;
	if (WIFEXITED(st) && WEXITSTATUS(st) == FORGER_WROTE && pid)
		return prot_fail("the %s was not killed: the hook returned and it exited normally",
				 who);
	return prot_fail("the %s ended with %s, expected SIGKILL", who,
			 prot_status(st));
}

static int judge_entries(const struct forger_info *fi,
			 unsigned long long mapped_before,
			 const struct observed *o)
{
	if (!o->pending)
		return 0; /* judged by how the forger ended */
	if (o->pending == 2)
		return prot_fail("the forger's pagemap could not be read while SIGKILL was pending");
	if (o->empty & PAGEMAP_PRESENT)
		return prot_fail("the refused entry (va %#lx) is present now: pagemap %#llx",
				 fi->empty, o->empty);
	if (!(o->mapped & PAGEMAP_PRESENT) ||
	    (o->mapped & PAGEMAP_PFN_MASK) != (mapped_before & PAGEMAP_PFN_MASK))
		return prot_fail("the neighbouring entry changed: pagemap %#llx, before %#llx",
				 o->mapped, mapped_before);
	return 0;
}

/* Runs one forger with the hook's mode ("now" or "lazy"). */
static int refused_store(const char *mode, const char *const *need)
{
	int ready[2], go[2], pm = -1, kfd, st, sst, rc = 0, sibling_alive;
	unsigned long long mapped_before, empty_before;
	struct forger_info fi;
	struct observed o;
	char path[64], text[80];
	pid_t pid;

	if (!prot_is_protected())
		return prot_skip("mode is %s: no monitor to refuse the store",
				 prot_mode());
	if (access(prot_path("test_refused_store"), F_OK))
		return prot_skip("no %s (needs CONFIG_SECMON_PT_TEST)",
				 prot_path("test_refused_store"));
	if (pipe(ready) || pipe(go))
		return prot_fail("pipe: %s", strerror(errno));
	kfd = kmsg_open(1);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return prot_fail("fork: %s", strerror(errno));
	if (pid == 0) {
		close(ready[0]);
		close(go[1]);
		_exit(forger(mode, ready[1], go[0]));
	}
	close(ready[1]);
	close(go[0]);
	if (read(ready[0], &fi, sizeof(fi)) != (ssize_t)sizeof(fi)) {
		prot_wait(pid, &st, 10);
		return prot_fail("the forger did not start: %s",
				 prot_status(st));
	}
	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	pm = open(path, O_RDONLY | O_CLOEXEC);
	if (pm < 0 || read_entry(pm, fi.mapped, &mapped_before) ||
	    read_entry(pm, fi.empty, &empty_before))
		rc = prot_fail("reading %s: %s", path, strerror(errno));
	else if (!(mapped_before & PAGEMAP_PRESENT) ||
		 (empty_before & PAGEMAP_PRESENT))
		rc = prot_fail("before the hook: pagemap %#llx (touched) and %#llx (untouched)",
			       mapped_before, empty_before);
	if (rc) {
		kill(pid, SIGKILL);
		kill(fi.sibling, SIGKILL);
		return rc;
	}
	prot_send_byte(go[1]);
	watch_forger(pid, pm, &fi, &o);
	close(pm);
	if (prot_wait(pid, &st, 30) < 0)
		return prot_fail("the forger did not end");
	/* prot_wait kills what does not end: remember that it had to */
	sibling_alive = prot_wait(fi.sibling, &sst, 10) < 0;
	snprintf(text, sizeof(text), "%s", prot_status(st));
	printf("refused_store %s: forger %s, sibling %s; SIGKILL seen pending: %s\n",
	       mode, text, sibling_alive ? "still running" : prot_status(sst),
	       o.pending ? "yes" : "no");
	if (judge_end("forger", pid, st))
		return 1;
	if (sibling_alive)
		return prot_fail("the forger's CLONE_VM sibling was not killed");
	if (judge_end("sibling", 0, sst) || judge_entries(&fi, mapped_before, &o))
		return 1;
	if (!o.pending)
		return prot_fail("SIGKILL was never seen pending while the hook held the forger");
	if (check_report(kfd, need, pid, fi.sibling))
		return 1;
	if (kfd >= 0)
		close(kfd);
	return still_working();
}

int prot_case_refused_store(void)
{
	static const char *const need[] = {"PTE_SET", NULL};

	return refused_store("now", need);
}

int prot_case_refused_store_lazy(void)
{
	static const char *const need[] = {"BATCH", "context switch", NULL};

	return refused_store("lazy", need);
}

/* ---- refused_clear ------------------------------------------------------------ */

static int clear_forger(void)
{
	char cmd[96], *p = mmap(NULL, PROT_PAGE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	prctl(PR_SET_NAME, FORGER_COMM);
	if (p == MAP_FAILED)
		return FORGER_SETUP;
	prot_fill(p, 0, 1, FORGER_SEED);
	snprintf(cmd, sizeof(cmd), "clear %#lx 0", (unsigned long)p);
	if (write_text(prot_path("test_refused_store"), cmd) < 0)
		return FORGER_HOOK_ERR;
	return FORGER_WROTE;
}

int prot_case_refused_clear(void)
{
	const char *only = cmdline_get("secmon.only");
	pid_t pid;
	int st;

	if (!only || strcmp(only, "refused_clear"))
		return prot_skip("it stops the kernel: run alone with secmon.only=refused_clear");
	if (!prot_is_protected())
		return prot_skip("mode is %s: no monitor to refuse the clear",
				 prot_mode());
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(clear_forger());
	if (pid < 0 || prot_wait(pid, &st, 30) < 0)
		return prot_fail("the forger did not run or end");
	return prot_fail("the kernel went on after a refused clear (forger: %s)",
			 prot_status(st));
}

/* ---- debugfs_root_only -------------------------------------------------------- */

static const char *const glue_files[] = {
    "mode",  "pool_pages", "pool_free", "pool_in_use", "live",
    "zombies", "calls",	   "traps",	"processes",   "check",
};

/* As uid/gid 65534 without capabilities: open every file of both the old
 * and the new place; returns 0 if all failed with EACCES or ENOENT (the
 * old place must be gone) and writes the first wrong one to fd. */
static int nobody_reads(int fd)
{
	static const char *const dirs[] = {LEGACY_DIR, PROT_DIR};
	char path[128];
	int f;

	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
		return dprintf(fd, "dropping to uid %d: %s", NOBODY,
			       strerror(errno)),
		       2;
	for (size_t d = 0; d < 2; d++)
		for (size_t i = 0; i < sizeof(glue_files) / sizeof(glue_files[0]); i++) {
			snprintf(path, sizeof(path), "%s/%s", dirs[d],
				 glue_files[i]);
			f = open(path, O_RDONLY);
			if (f >= 0) {
				dprintf(fd, "uid %d opened %s", NOBODY, path);
				return 1;
			}
			if (errno != EACCES && !(d == 0 && errno == ENOENT)) {
				dprintf(fd, "uid %d: open %s: %s, expected EACCES",
					NOBODY, path, strerror(errno));
				return 1;
			}
		}
	return 0;
}

/* Root reads every file of PROT_DIR, and none is open to others. */
static int root_reads(void)
{
	struct stat sb;

	for (size_t i = 0; i < sizeof(glue_files) / sizeof(glue_files[0]); i++) {
		const char *path = prot_path(glue_files[i]);
		int f = open(path, O_RDONLY);

		if (f < 0)
			return prot_fail("root: open %s: %s", path,
					 strerror(errno));
		close(f);
		if (stat(path, &sb) || sb.st_uid != 0 || (sb.st_mode & 077))
			return prot_fail("%s: mode %#o, owner %d", path,
					 (unsigned)sb.st_mode & 0777,
					 (int)sb.st_uid);
	}
	return 0;
}

int prot_case_debugfs_root_only(void)
{
	char why[256] = "";
	struct stat sb;
	int p[2], st;
	ssize_t n;
	pid_t pid;

	if (stat(LEGACY_DIR, &sb) < 0 && stat(PROT_DIR, &sb) < 0)
		return prot_skip("the kernel has no glue files");
	if (pipe(p))
		return prot_fail("pipe: %s", strerror(errno));
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		_exit(nobody_reads(p[1]));
	}
	close(p[1]);
	n = read(p[0], why, sizeof(why) - 1);
	why[n > 0 ? n : 0] = '\0';
	close(p[0]);
	if (pid < 0 || prot_wait(pid, &st, 30) < 0)
		return prot_fail("the uid %d child did not run", NOBODY);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return prot_fail("%s", why[0] ? why : prot_status(st));
	return root_reads();
}

/* ---- processes_file ------------------------------------------------------------ */

int prot_case_processes_file(void)
{
	static char text[65536];
	char line[512], key[32];
	int kfd = kmsg_open(1), found;

	if (stat(PROT_DIR, &(struct stat){0}) < 0)
		return prot_skip("no %s", PROT_DIR);
	if (read_text(prot_path("processes"), text, sizeof(text)) <= 0)
		return prot_fail("reading %s: %s", prot_path("processes"),
				 strerror(errno));
	snprintf(key, sizeof(key), "\n%d ", getpid());
	found = strstr(text, key) != NULL;
	while (kfd >= 0 && kmsg_next(kfd, line, sizeof(line)) > 0)
		if (strstr(line, "sleeping function called from invalid context") ||
		    strstr(line, "BUG:"))
			return prot_fail("reading processes: kernel logged \"%.300s\"",
					 line);
	if (kfd >= 0)
		close(kfd);
	if (!found)
		return prot_fail("processes has no row for pid %d", getpid());
	return 0;
}
