/*
 * Suite "protected", case 3: copy-on-write.
 *
 * After fork, parent and child write different patterns into the same
 * private pages at the same time; each must then see only its own writes,
 * and the pages neither wrote must still hold what was there before the
 * fork.  A MAP_SHARED anonymous region goes the other way: what one side
 * writes, the other reads.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest.h"
#include "prot.h"

#define COW_PAGES 24
#define COW_WRITTEN 20		/* pages both sides write; the rest stay shared */
#define SHARED_PAGES 4
#define SHARED_HALF 2		/* the child writes the upper half, the parent the lower */

/* The patterns of one round; all differ from each other and from zero. */
struct cow_seeds {
	unsigned long before, child, parent, shared, child_sh, parent_sh;
};

struct cow_maps {
	char *priv, *shared;
	int to_child[2], to_parent[2];
};

static int expect(const char *who, const char *what, const char *base,
		  size_t from, size_t to, unsigned long seed)
{
	long bad = prot_verify(base, from, to, seed);

	if (bad < 0)
		return 0;
	return prot_fail("%s: %s page %ld does not hold the expected pattern",
			 who, what, bad);
}

static int cow_child(const struct cow_maps *m, const struct cow_seeds *s)
{
	if (expect("child", "private (before writing)", m->priv, 0, COW_PAGES,
		   s->before) ||
	    expect("child", "shared (before writing)", m->shared, 0,
		   SHARED_PAGES, s->shared))
		return 1;
	prot_fill(m->priv, 0, COW_WRITTEN, s->child);
	prot_fill(m->shared, SHARED_HALF, SHARED_PAGES, s->child_sh);
	if (prot_send_byte(m->to_parent[1]) || prot_wait_byte(m->to_child[0]))
		return prot_fail("child: lost the parent");
	return expect("child", "private", m->priv, 0, COW_WRITTEN, s->child) ||
	       expect("child", "private (unwritten)", m->priv, COW_WRITTEN,
		      COW_PAGES, s->before) ||
	       expect("child", "shared (parent's half)", m->shared, 0,
		      SHARED_HALF, s->parent_sh) ||
	       expect("child", "shared (own half)", m->shared, SHARED_HALF,
		      SHARED_PAGES, s->child_sh);
}

static int cow_parent(const struct cow_maps *m, const struct cow_seeds *s)
{
	prot_fill(m->priv, 0, COW_WRITTEN, s->parent);
	if (prot_wait_byte(m->to_parent[0]))
		return prot_fail("parent: the child ended before writing");
	if (expect("parent", "private", m->priv, 0, COW_WRITTEN, s->parent) ||
	    expect("parent", "shared (child's half)", m->shared, SHARED_HALF,
		   SHARED_PAGES, s->child_sh))
		return 1;
	prot_fill(m->shared, 0, SHARED_HALF, s->parent_sh);
	if (prot_send_byte(m->to_child[1]))
		return prot_fail("parent: cannot wake the child");
	return 0;
}

static int cow_map(struct cow_maps *m)
{
	m->priv = mmap(NULL, COW_PAGES * PROT_PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	m->shared = mmap(NULL, SHARED_PAGES * PROT_PAGE, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (m->priv == MAP_FAILED || m->shared == MAP_FAILED)
		return prot_fail("mmap: %s", strerror(errno));
	if (pipe(m->to_child) || pipe(m->to_parent))
		return prot_fail("pipe: %s", strerror(errno));
	return 0;
}

static void cow_unmap(struct cow_maps *m)
{
	munmap(m->priv, COW_PAGES * PROT_PAGE);
	munmap(m->shared, SHARED_PAGES * PROT_PAGE);
	for (int i = 0; i < 2; i++) {
		close(m->to_child[i]);
		close(m->to_parent[i]);
	}
}

/* Runs the child side, with the ends it must not hold closed so that a
 * dead parent shows as EOF. */
static int cow_fork(struct cow_maps *m, const struct cow_seeds *s)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(m->to_child[1]);
		close(m->to_parent[0]);
		_exit(cow_child(m, s));
	}
	return pid;
}

int prot_cow_round(unsigned long iter)
{
	struct cow_seeds s = { iter * 8 + 1, iter * 8 + 2, iter * 8 + 3,
			       iter * 8 + 4, iter * 8 + 5, iter * 8 + 6 };
	struct cow_maps m;
	int rc, st;
	pid_t pid;

	if (cow_map(&m))
		return 1;
	prot_fill(m.priv, 0, COW_PAGES, s.before);
	prot_fill(m.shared, 0, SHARED_PAGES, s.shared);
	pid = cow_fork(&m, &s);
	if (pid < 0) {
		cow_unmap(&m);
		return prot_fail("fork: %s", strerror(errno));
	}
	close(m.to_child[0]);
	close(m.to_parent[1]);
	m.to_child[0] = m.to_parent[1] = -1;
	rc = cow_parent(&m, &s);
	close(m.to_child[1]);
	m.to_child[1] = -1;
	if (prot_wait(pid, &st, 60) < 0)
		rc = rc ? rc : prot_fail("child hangs");
	else if (!rc && (!WIFEXITED(st) || WEXITSTATUS(st) != 0))
		rc = prot_fail("child: %s", prot_status(st));
	if (!rc)
		rc = expect("parent", "private (after the child's exit)",
			    m.priv, 0, COW_WRITTEN, s.parent);
	cow_unmap(&m);
	return rc;
}

int prot_case_cow(void)
{
	int rounds = prot_scale(50, 1000);

	for (int i = 0; i < rounds; i++)
		if (prot_cow_round((unsigned long)i))
			return 1;
	printf("cow: %d rounds of %d private and %d shared pages\n", rounds,
	       COW_PAGES, SHARED_PAGES);
	return 0;
}
