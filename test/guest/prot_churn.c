/*
 * Suite "protected", case 4: address-space churn.
 *
 * A seeded random walk over up to MAX_REGIONS anonymous regions: mmap
 * (small, or 2 MiB-aligned so that whole PTE tables come and go), munmap
 * of whole regions and of tails, mprotect to PROT_NONE and to read-only
 * and back, mremap to another size (and usually another place),
 * madvise(MADV_DONTNEED) and MAP_FIXED over a part.  Every region holds a
 * known pattern, checked after each step; the parts DONTNEED or MAP_FIXED
 * replaced must read zero first.  Protections are checked by touching a
 * page under a SIGSEGV handler.  The seed is printed (secmon.seed= repeats
 * a run).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "guest.h"
#include "prot.h"

#define MAX_REGIONS 12
#define MAX_BYTES (24UL << 20)	/* mapped at once, well inside 256 MiB of RAM */
#define SMALL_PAGES 128
#define PAGES_2M (PROT_2M / PROT_PAGE)
#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

struct region {
	char *base;
	size_t pages;
	unsigned long seed;
	int split;	/* MAP_FIXED made it more than one VMA */
};

struct churn {
	struct region r[MAX_REGIONS];
	int n;
	size_t pages;		/* total of all regions */
	unsigned long rng, seeds, step, seed0;
};

static unsigned long rnd(struct churn *c)
{
	c->rng ^= c->rng << 13;
	c->rng ^= c->rng >> 7;
	c->rng ^= c->rng << 17;
	return c->rng;
}

static size_t below(struct churn *c, size_t n)
{
	return n ? rnd(c) % n : 0;
}

static int churn_fail(struct churn *c, const char *what, int err)
{
	return prot_fail("seed %lu step %lu: %s%s%s", c->seed0, c->step, what,
			 err ? ": " : "", err ? strerror(err) : "");
}

/* ---- touching under a SIGSEGV handler ------------------------------------- */

static sigjmp_buf probe_env;

static void probe_handler(int sig)
{
	(void)sig;
	siglongjmp(probe_env, 1);
}

/* Whether reading (or writing back) the byte at p faults.  The handler
 * also keeps the kernel from logging an unhandled signal. */
static int faults(volatile char *p, int write)
{
	struct sigaction sa, old;
	volatile int fault = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = probe_handler;
	sigaction(SIGSEGV, &sa, &old);
	if (sigsetjmp(probe_env, 1))
		fault = 1;
	else if (write)
		*p = *p;
	else
		(void)*p;
	sigaction(SIGSEGV, &old, NULL);
	return fault;
}

/* ---- regions ---------------------------------------------------------------- */

static int check(struct churn *c, const struct region *r, size_t from,
		 size_t to, const char *after)
{
	long bad = prot_verify(r->base, from, to, r->seed);
	char what[96];

	if (bad < 0)
		return 0;
	snprintf(what, sizeof(what), "after %s, page %ld of a %zu-page region is wrong",
		 after, bad, r->pages);
	return churn_fail(c, what, 0);
}

/* The subrange [*a, *b) of r, at least one page. */
static void pick_range(struct churn *c, const struct region *r, size_t *a,
		       size_t *b)
{
	*a = below(c, r->pages);
	*b = *a + 1 + below(c, r->pages - *a);
}

/* Maps len bytes at a 2 MiB boundary by trimming a larger mapping. */
static char *map_aligned(size_t len)
{
	char *p = mmap(NULL, len + PROT_2M, RW, ANON, -1, 0);
	uintptr_t start, end;

	if (p == MAP_FAILED)
		return p;
	start = ((uintptr_t)p + PROT_2M - 1) & ~(PROT_2M - 1);
	end = start + len;
	if (start > (uintptr_t)p)
		munmap(p, start - (uintptr_t)p);
	if ((uintptr_t)p + len + PROT_2M > end)
		munmap((char *)end, (uintptr_t)p + len + PROT_2M - end);
	/* Huge pages where the kernel has them; EINVAL without THP. */
	madvise((char *)start, len, MADV_HUGEPAGE);
	return (char *)start;
}

static void forget(struct churn *c, int i)
{
	c->pages -= c->r[i].pages;
	c->r[i] = c->r[--c->n];
}

static int op_map(struct churn *c)
{
	int aligned = below(c, 4) == 0;
	size_t pages = aligned ? PAGES_2M * (1 + below(c, 2)) :
				 1 + below(c, SMALL_PAGES);
	struct region *r = &c->r[c->n];

	if (c->n == MAX_REGIONS || (c->pages + pages) * PROT_PAGE > MAX_BYTES)
		return 0;
	r->base = aligned ? map_aligned(pages * PROT_PAGE) :
			    mmap(NULL, pages * PROT_PAGE, RW, ANON, -1, 0);
	if (r->base == MAP_FAILED)
		return churn_fail(c, "mmap", errno);
	r->pages = pages;
	r->seed = ++c->seeds;
	r->split = 0;
	c->n++;
	c->pages += pages;
	if (prot_verify(r->base, 0, pages, 0) >= 0)
		return churn_fail(c, "a fresh mapping is not zero", 0);
	prot_fill(r->base, 0, pages, r->seed);
	return check(c, r, 0, pages, "mmap");
}

static int op_unmap(struct churn *c, int i)
{
	struct region *r = &c->r[i];
	size_t keep = below(c, r->pages);

	if (munmap(r->base + keep * PROT_PAGE, (r->pages - keep) * PROT_PAGE))
		return churn_fail(c, "munmap", errno);
	c->pages -= r->pages - keep;
	r->pages = keep;
	if (keep == 0) {
		forget(c, i);
		return 0;
	}
	return check(c, r, 0, keep, "munmap of the tail");
}

static int op_prot_none(struct churn *c, int i)
{
	struct region *r = &c->r[i];
	size_t a, b;

	pick_range(c, r, &a, &b);
	if (mprotect(r->base + a * PROT_PAGE, (b - a) * PROT_PAGE, PROT_NONE))
		return churn_fail(c, "mprotect(PROT_NONE)", errno);
	if (!faults(r->base + a * PROT_PAGE, 0) ||
	    !faults(r->base + b * PROT_PAGE - 1, 0))
		return churn_fail(c, "a PROT_NONE page can be read", 0);
	if ((a > 0 && faults(r->base, 1)) ||
	    (b < r->pages && faults(r->base + b * PROT_PAGE, 1)))
		return churn_fail(c, "a page next to a PROT_NONE range faults", 0);
	if (mprotect(r->base + a * PROT_PAGE, (b - a) * PROT_PAGE, RW))
		return churn_fail(c, "mprotect back to read-write", errno);
	return check(c, r, 0, r->pages, "PROT_NONE and back");
}

static int op_read_only(struct churn *c, int i)
{
	struct region *r = &c->r[i];
	size_t pg = below(c, r->pages);

	if (mprotect(r->base, r->pages * PROT_PAGE, PROT_READ))
		return churn_fail(c, "mprotect(PROT_READ)", errno);
	if (check(c, r, 0, r->pages, "mprotect(PROT_READ)"))
		return 1;
	if (!faults(r->base + pg * PROT_PAGE, 1))
		return churn_fail(c, "a read-only page can be written", 0);
	if (mprotect(r->base, r->pages * PROT_PAGE, RW))
		return churn_fail(c, "mprotect back to read-write", errno);
	return check(c, r, 0, r->pages, "read-only and back");
}

static int op_remap(struct churn *c, int i)
{
	struct region *r = &c->r[i];
	size_t pages = 1 + below(c, r->pages + SMALL_PAGES);
	size_t keep = pages < r->pages ? pages : r->pages;
	char *p;

	/* mremap moves one VMA at a time (EFAULT across several); a part
	 * mapped with MAP_FIXED has its own anon_vma and never merges back. */
	if (r->split || (c->pages - r->pages + pages) * PROT_PAGE > MAX_BYTES)
		return 0;
	p = mremap(r->base, r->pages * PROT_PAGE, pages * PROT_PAGE,
		   MREMAP_MAYMOVE);
	if (p == MAP_FAILED)
		return churn_fail(c, "mremap", errno);
	c->pages += pages - r->pages;
	r->base = p;
	r->pages = pages;
	if (check(c, r, 0, keep, "mremap"))
		return 1;
	if (prot_verify(r->base, keep, pages, 0) >= 0)
		return churn_fail(c, "the part mremap added is not zero", 0);
	prot_fill(r->base, keep, pages, r->seed);
	return check(c, r, 0, pages, "mremap and filling");
}

/* After DONTNEED or MAP_FIXED: [a, b) reads zero, the rest is intact;
 * then [a, b) gets its pattern back. */
static int check_zeroed(struct churn *c, struct region *r, size_t a, size_t b,
			const char *after)
{
	if (prot_verify(r->base, a, b, 0) >= 0)
		return churn_fail(c, after, 0);
	if (check(c, r, 0, a, after) || check(c, r, b, r->pages, after))
		return 1;
	prot_fill(r->base, a, b, r->seed);
	return check(c, r, 0, r->pages, after);
}

static int op_dontneed(struct churn *c, int i)
{
	struct region *r = &c->r[i];
	size_t a, b;

	pick_range(c, r, &a, &b);
	if (madvise(r->base + a * PROT_PAGE, (b - a) * PROT_PAGE,
		    MADV_DONTNEED))
		return churn_fail(c, "madvise(MADV_DONTNEED)", errno);
	return check_zeroed(c, r, a, b, "MADV_DONTNEED (range not zero?)");
}

static int op_fixed(struct churn *c, int i)
{
	struct region *r = &c->r[i];
	char *want, *p;
	size_t a, b;

	pick_range(c, r, &a, &b);
	want = r->base + a * PROT_PAGE;
	p = mmap(want, (b - a) * PROT_PAGE, RW, ANON | MAP_FIXED, -1, 0);
	if (p == MAP_FAILED)
		return churn_fail(c, "mmap(MAP_FIXED)", errno);
	if (p != want)
		return churn_fail(c, "MAP_FIXED mapped elsewhere", 0);
	r->split = 1;
	return check_zeroed(c, r, a, b, "MAP_FIXED (range not zero?)");
}

/* One random step; mapping is twice as likely as each other step so the
 * walk does not run dry. */
static int churn_step(struct churn *c)
{
	static int (*const ops[])(struct churn *, int) = {
		op_unmap, op_prot_none, op_read_only, op_remap, op_dontneed,
		op_fixed,
	};
	size_t k = below(c, sizeof(ops) / sizeof(ops[0]) + 2);

	if (k < 2 || c->n == 0)
		return op_map(c);
	return ops[k - 2](c, (int)below(c, (size_t)c->n));
}

int prot_churn_run(unsigned long seed, int steps)
{
	struct churn c = { .rng = seed | 1, .seed0 = seed };
	int rc = 0;

	for (c.step = 0; c.step < (unsigned long)steps && !rc; c.step++)
		rc = churn_step(&c);
	for (int i = 0; i < c.n && !rc; i++)
		rc = check(&c, &c.r[i], 0, c.r[i].pages, "the last step");
	while (c.n > 0) {
		munmap(c.r[0].base, c.r[0].pages * PROT_PAGE);
		forget(&c, 0);
	}
	return rc;
}

unsigned long prot_churn_seed(void)
{
	const char *v = cmdline_get("secmon.seed");

	if (v && *v)
		return strtoul(v, NULL, 0);
	return (unsigned long)now_ns() % 1000000007UL;
}

int prot_case_churn(void)
{
	unsigned long seed = prot_churn_seed();
	int steps = prot_scale(1000, 5000);

	printf("churn: seed %lu (secmon.seed=%lu repeats it), %d steps\n",
	       seed, seed, steps);
	fflush(stdout);
	if (prot_churn_run(seed, steps))
		return 1;
	printf("churn: %d steps checked\n", steps);
	return 0;
}
