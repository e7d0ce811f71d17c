/*
 * Suite "protected", case 5: software page-table walkers.
 *
 * /proc/<pid>/pagemap, process_vm_readv/writev and ptrace PEEKDATA and
 * POKEDATA all walk another (or the own) process's page tables in the
 * kernel, through the linear map.  With the monitor those tables are pool
 * pages; every walker must still find the right pages.  In each test the
 * data lives only in the child's copy of a region (written after fork), so
 * a walker that looked at the parent's tables would read zeros.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest.h"
#include "prot.h"

#define WALK_PAGES 16
#define WALK_TOUCHED 12		/* pages [12, 16) stay untouched */
#define WALK_BYTES (WALK_PAGES * PROT_PAGE)
#define SEED_BEFORE 11
#define SEED_CHILD 12
#define SEED_REMOTE 13		/* what the parent writes into the child */

/* A region and the two pipes a parent and its child synchronise on. */
struct walk {
	char *buf;
	int to_child[2], to_parent[2];
	pid_t pid;
	int status;
};

static unsigned long long pfn_of(unsigned long long entry)
{
	return entry & PAGEMAP_PFN_MASK;
}

/* Maps the region (untouched) and makes the pipes. */
static int walk_map(struct walk *w)
{
	w->buf = mmap(NULL, WALK_BYTES, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (w->buf == MAP_FAILED)
		return prot_fail("mmap: %s", strerror(errno));
	if (pipe(w->to_child) || pipe(w->to_parent))
		return prot_fail("pipe: %s", strerror(errno));
	return 0;
}

/* Forks a child that runs body; the parent returns 0 with w->pid set,
 * once the child has reported in. */
static int walk_fork(struct walk *w, int (*body)(struct walk *))
{
	fflush(stdout);
	w->pid = fork();
	if (w->pid < 0)
		return prot_fail("fork: %s", strerror(errno));
	if (w->pid == 0) {
		close(w->to_child[1]);
		close(w->to_parent[0]);
		alarm(60); /* never outlive a lost parent for long */
		_exit(body(w));
	}
	close(w->to_child[0]);
	close(w->to_parent[1]);
	if (prot_wait_byte(w->to_parent[0]) == 0)
		return 0;
	return prot_fail("the child ended early; %s",
			 prot_wait(w->pid, &w->status, 10) ? "it hangs" :
			 prot_status(w->status));
}

/* Lets the child go on and checks that it found what it expected. */
static int walk_finish(struct walk *w, int rc)
{
	/* After a failure or skip the child's own check means nothing. */
	if (rc)
		kill(w->pid, SIGKILL);
	prot_send_byte(w->to_child[1]);
	close(w->to_child[1]);
	close(w->to_parent[0]);
	if (prot_wait(w->pid, &w->status, 60) < 0)
		rc = rc ? rc : prot_fail("child hangs");
	else if (!rc && (!WIFEXITED(w->status) || WEXITSTATUS(w->status)))
		rc = prot_fail("child: %s", prot_status(w->status));
	munmap(w->buf, WALK_BYTES);
	return rc;
}

/* Child: report in, then wait for the parent's walk to be done. */
static int report_and_wait(struct walk *w)
{
	if (prot_send_byte(w->to_parent[1]) || prot_wait_byte(w->to_child[0]))
		return prot_fail("child: lost the parent");
	return 0;
}

/* ---- pagemap ---------------------------------------------------------------- */

static int pagemap_entries(const char *buf, unsigned long long *e)
{
	for (int i = 0; i < WALK_PAGES; i++) {
		if (prot_pagemap(0, buf + i * PROT_PAGE, &e[i]) == 0)
			continue;
		if (errno == ENOENT)
			return prot_skip("no /proc/self/pagemap (needs CONFIG_PROC_PAGE_MONITOR)");
		return prot_fail("reading /proc/self/pagemap: %s",
				 strerror(errno));
	}
	return 0;
}

static int pagemap_check(const unsigned long long *e)
{
	for (int i = 0; i < WALK_PAGES; i++) {
		int present = !!(e[i] & PAGEMAP_PRESENT);

		if (present != (i < WALK_TOUCHED))
			return prot_fail("page %d: present bit %d (entry %#llx)",
					 i, present, e[i]);
		if (present && pfn_of(e[i]) == 0)
			return prot_fail("page %d: present but PFN 0 (not root?)", i);
		for (int j = 0; j < i && present; j++)
			if (pfn_of(e[j]) == pfn_of(e[i]))
				return prot_fail("pages %d and %d share PFN %#llx",
						 j, i, pfn_of(e[i]));
	}
	return 0;
}

/* Child: page 0 is the parent's frame (read through the parent's own
 * pagemap too) until the child writes it. */
static int pagemap_child(struct walk *w)
{
	unsigned long long parent, mine, after;

	if (prot_pagemap(getppid(), w->buf, &parent) ||
	    prot_pagemap(0, w->buf, &mine))
		return prot_fail("child: pagemap: %s", strerror(errno));
	if (pfn_of(mine) != pfn_of(parent))
		return prot_fail("child: PFN %#llx after fork, parent's %#llx",
				 pfn_of(mine), pfn_of(parent));
	prot_fill(w->buf, 0, 1, SEED_CHILD);
	if (prot_pagemap(0, w->buf, &after))
		return prot_fail("child: pagemap: %s", strerror(errno));
	if (!(after & PAGEMAP_PRESENT) || pfn_of(after) == pfn_of(parent))
		return prot_fail("child: after writing, entry %#llx (parent's PFN %#llx)",
				 after, pfn_of(parent));
	if (prot_verify(w->buf, 0, 1, SEED_CHILD) >= 0 ||
	    prot_verify(w->buf, 1, WALK_TOUCHED, SEED_BEFORE) >= 0)
		return prot_fail("child: wrong data after copy-on-write");
	return report_and_wait(w);
}

/* Parent, after the child's copy-on-write: still its frame, its data. */
static int pagemap_parent(const struct walk *w, unsigned long long before)
{
	unsigned long long now;

	if (prot_pagemap(0, w->buf, &now))
		return prot_fail("pagemap: %s", strerror(errno));
	if (pfn_of(now) != pfn_of(before))
		return prot_fail("the parent's PFN changed from %#llx to %#llx",
				 pfn_of(before), pfn_of(now));
	if (prot_verify(w->buf, 0, WALK_TOUCHED, SEED_BEFORE) >= 0)
		return prot_fail("the child's write showed in the parent");
	return 0;
}

int prot_case_pagemap(void)
{
	unsigned long long e[WALK_PAGES];
	struct walk w;
	int rc;

	if (walk_map(&w))
		return 1;
	prot_fill(w.buf, 0, WALK_TOUCHED, SEED_BEFORE);
	rc = pagemap_entries(w.buf, e);
	if (!rc)
		rc = pagemap_check(e);
	if (rc)
		return rc;
	if (walk_fork(&w, pagemap_child))
		return 1;
	rc = pagemap_parent(&w, e[0]);
	return walk_finish(&w, rc);
}

/* ---- process_vm_readv / process_vm_writev ----------------------------------- */

#define REMOTE_HALF (WALK_TOUCHED / 2)

/* Child: fill; after the parent wrote the lower half, check it. */
static int vm_child(struct walk *w)
{
	prot_fill(w->buf, 0, WALK_TOUCHED, SEED_CHILD);
	if (report_and_wait(w))
		return 1;
	if (prot_verify(w->buf, 0, REMOTE_HALF, SEED_REMOTE) >= 0 ||
	    prot_verify(w->buf, REMOTE_HALF, WALK_TOUCHED, SEED_CHILD) >= 0)
		return prot_fail("child: wrong data after process_vm_writev");
	return 0;
}

static int vm_transfer(pid_t pid, char *local, char *remote, size_t len,
		       int write)
{
	struct iovec l = { local, len }, r = { remote, len };
	ssize_t n = write ? process_vm_writev(pid, &l, 1, &r, 1, 0) :
			    process_vm_readv(pid, &l, 1, &r, 1, 0);

	if (n < 0 && errno == ENOSYS)
		return prot_skip("process_vm_%s: ENOSYS (needs CONFIG_CROSS_MEMORY_ATTACH)",
				 write ? "writev" : "readv");
	if (n != (ssize_t)len)
		return prot_fail("process_vm_%s returned %zd (%s)",
				 write ? "writev" : "readv", n,
				 n < 0 ? strerror(errno) : "short");
	return 0;
}

static int vm_parent(struct walk *w)
{
	static char local[WALK_BYTES];
	int rc;

	rc = vm_transfer(w->pid, local, w->buf, WALK_BYTES, 0);
	if (rc)
		return rc;
	if (prot_verify(local, 0, WALK_TOUCHED, SEED_CHILD) >= 0 ||
	    prot_verify(local, WALK_TOUCHED, WALK_PAGES, 0) >= 0)
		return prot_fail("process_vm_readv read the wrong data");
	prot_fill(local, 0, REMOTE_HALF, SEED_REMOTE);
	return vm_transfer(w->pid, local, w->buf, REMOTE_HALF * PROT_PAGE, 1);
}

int prot_case_vm_readv(void)
{
	struct walk w;

	if (walk_map(&w) || walk_fork(&w, vm_child))
		return 1;
	return walk_finish(&w, vm_parent(&w));
}

/* ---- ptrace PEEKDATA / POKEDATA --------------------------------------------- */

/* Word k of page pg after the parent poked word 0 of every page. */
static unsigned long poked_word(size_t pg, int k)
{
	return prot_word(k ? SEED_CHILD : SEED_REMOTE, pg * 8 + (size_t)k);
}

static int ptrace_child(struct walk *w)
{
	prot_fill(w->buf, 0, WALK_TOUCHED, SEED_CHILD);
	if (report_and_wait(w))
		return 1;
	for (size_t pg = 0; pg < WALK_TOUCHED; pg++)
		for (int k = 0; k < PROT_WORDS_PER_PAGE; k++)
			if (((unsigned long *)(w->buf + pg * PROT_PAGE))[k * 64] !=
			    poked_word(pg, k))
				return prot_fail("child: page %zu word %d wrong after POKEDATA",
						 pg, k);
	return 0;
}

static int peek_and_poke(pid_t pid, char *buf)
{
	for (size_t pg = 0; pg < WALK_TOUCHED; pg++) {
		unsigned long *w = (unsigned long *)(buf + pg * PROT_PAGE);

		for (int k = 0; k < PROT_WORDS_PER_PAGE; k++) {
			long v;

			errno = 0;
			v = ptrace(PTRACE_PEEKDATA, pid, &w[k * 64], NULL);
			if (errno)
				return prot_fail("PEEKDATA: %s", strerror(errno));
			if ((unsigned long)v != prot_word(SEED_CHILD, pg * 8 + (size_t)k))
				return prot_fail("PEEKDATA page %zu word %d: %#lx", pg,
						 k, (unsigned long)v);
		}
		if (ptrace(PTRACE_POKEDATA, pid, &w[0], (void *)poked_word(pg, 0)))
			return prot_fail("POKEDATA: %s", strerror(errno));
	}
	return 0;
}

static int ptrace_parent(struct walk *w)
{
	int st, rc;

	if (ptrace(PTRACE_ATTACH, w->pid, NULL, NULL))
		return prot_fail("PTRACE_ATTACH: %s", strerror(errno));
	if (waitpid(w->pid, &st, 0) != w->pid || !WIFSTOPPED(st))
		return prot_fail("the tracee did not stop: %s", prot_status(st));
	rc = peek_and_poke(w->pid, w->buf);
	if (ptrace(PTRACE_DETACH, w->pid, NULL, NULL) && !rc)
		rc = prot_fail("PTRACE_DETACH: %s", strerror(errno));
	return rc;
}

int prot_case_ptrace(void)
{
	struct walk w;

	if (walk_map(&w) || walk_fork(&w, ptrace_child))
		return 1;
	return walk_finish(&w, ptrace_parent(&w));
}
