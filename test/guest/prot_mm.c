/*
 * Suite "protected": the kernel's memory-management features under
 * protection (issue 11).  Each case moves user memory through one kernel
 * mechanism that rewrites page tables in its own way, and checks that
 * every byte survives; the suite then checks the kernel log, the pool and
 * the monitor's invariant checker as after every case.
 *
 * thp           2 MiB anonymous leaves: fault, fork and copy-on-write,
 *               splits by mprotect, munmap and MADV_DONTNEED, and
 *               MADV_COLLAPSE (a table replaced by a leaf)
 * hugetlb       2 MiB hugetlbfs pages, private (copied on write) and shared
 * mremap_tables whole PTE tables (2 MiB) and PMD tables (1 GiB) moved
 * swap          anonymous pages out to zram and back (swap entries)
 * ksm           identical pages merged, then one written (copy on write)
 * uffd          userfaultfd: missing pages filled by UFFDIO_COPY and
 *               UFFDIO_ZEROPAGE from a handler thread
 * compaction    pages migrated under a process that keeps reading them
 *
 * A case skips, saying why, where the kernel lacks the feature.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest.h"
#include "prot.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

#define PAGES_2M (PROT_2M / PROT_PAGE)
#define GIB (1UL << 30)

/* ---- helpers ----------------------------------------------------------- */

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/* The first number after key in a "key: value" file; -1 if absent. */
static long long file_value(const char *path, const char *key)
{
	char line[256];
	long long v = -1;
	size_t klen = strlen(key);
	FILE *f = fopen(path, "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, klen) == 0) {
			v = strtoll(line + klen, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

static long long read_ll(const char *path)
{
	return file_value(path, "");
}

/* Anonymous memory of len bytes at an address aligned to align; not
 * counted against the commit limit (the 1 GiB case touches 16 pages). */
static char *map_aligned(size_t len, size_t align, int prot)
{
	char *p = mmap(NULL, len + align, prot,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	char *a;

	if (p == MAP_FAILED)
		return NULL;
	a = (char *)(((unsigned long)p + align - 1) & ~(align - 1));
	if (a > p)
		munmap(p, a - p);
	munmap(a + len, p + align - a);
	return a;
}

static long long anon_huge_kb(void)
{
	return file_value("/proc/self/smaps_rollup", "AnonHugePages:");
}

/* Forks a child that checks pages [0, pages) for seed, writes page cow
 * with seed + 1 and checks it; the parent then checks its own copy. */
static int fork_cow_check(char *p, size_t pages, size_t cow, unsigned long seed,
			  const char *what)
{
	pid_t pid = fork();
	int st;
	long bad;

	if (pid < 0)
		return prot_fail("%s: fork: %s", what, strerror(errno));
	if (pid == 0) {
		if (prot_verify(p, 0, pages, seed) >= 0)
			_exit(2);
		prot_fill(p, cow, cow + 1, seed + 1);
		_exit(prot_verify(p, cow, cow + 1, seed + 1) >= 0 ? 3 : 0);
	}
	if (prot_wait(pid, &st, 60) != 0)
		return prot_fail("%s: the child did not finish", what);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return prot_fail(
		    "%s: child %s (2: parent's data wrong, 3: its copy wrong)",
		    what, prot_status(st));
	bad = prot_verify(p, 0, pages, seed);
	if (bad >= 0)
		return prot_fail("%s: the parent's page %ld changed", what,
				 bad);
	return 0;
}

/* ---- thp --------------------------------------------------------------- */

#define THP_ENABLED "/sys/kernel/mm/transparent_hugepage/enabled"

int prot_case_thp(void)
{
	size_t pages = 4 * PAGES_2M, len = pages * PROT_PAGE;
	long long huge, after;
	char *p;
	long bad;

	if (access(THP_ENABLED, F_OK) != 0)
		return prot_skip("transparent huge pages are not compiled in");
	/* Linux switches THP off by default below 512 MiB of RAM. */
	if (write_str(THP_ENABLED, "always") != 0)
		return prot_fail(THP_ENABLED ": %s", strerror(errno));
	p = map_aligned(len, PROT_2M, PROT_READ | PROT_WRITE);
	if (!p)
		return prot_fail("mmap: %s", strerror(errno));
	madvise(p, len, MADV_HUGEPAGE);
	prot_fill(p, 0, pages, 31);
	huge = anon_huge_kb();
	if (huge < 2048)
		return prot_fail(
		    "no 2 MiB page was made (AnonHugePages %lld kB)", huge);
	if (fork_cow_check(p, pages, 1, 31, "fork"))
		return 1;
	/* Splits: part of a huge leaf changes protection, goes, is zapped. */
	if (mprotect(p + PROT_2M + 5 * PROT_PAGE, PROT_PAGE, PROT_READ) ||
	    mprotect(p + PROT_2M + 5 * PROT_PAGE, PROT_PAGE,
		     PROT_READ | PROT_WRITE))
		return prot_fail("mprotect: %s", strerror(errno));
	prot_fill(p, PAGES_2M + 5, PAGES_2M + 6, 31);
	if (munmap(p + 2 * PROT_2M + 7 * PROT_PAGE, PROT_PAGE))
		return prot_fail("munmap of one page: %s", strerror(errno));
	if (madvise(p + 3 * PROT_2M, PROT_2M / 2, MADV_DONTNEED))
		return prot_fail("MADV_DONTNEED: %s", strerror(errno));
	bad = prot_verify(p, 0, 2 * PAGES_2M + 7, 31);
	if (bad < 0)
		bad = prot_verify(p, 2 * PAGES_2M + 8, 3 * PAGES_2M, 31);
	if (bad < 0)
		bad = prot_verify(p, 3 * PAGES_2M, 3 * PAGES_2M + PAGES_2M / 2,
				  0);
	if (bad < 0)
		bad = prot_verify(p, 3 * PAGES_2M + PAGES_2M / 2, pages, 31);
	if (bad >= 0)
		return prot_fail("page %ld wrong after the splits", bad);
	/* The first 2 MiB were split by nothing but may be again: collapse. */
	if (madvise(p + PROT_2M, PROT_2M, MADV_COLLAPSE) != 0 &&
	    errno != EINVAL && errno != EAGAIN)
		return prot_fail("MADV_COLLAPSE: %s", strerror(errno));
	after = anon_huge_kb();
	bad = prot_verify(p, PAGES_2M, 2 * PAGES_2M, 31);
	if (bad >= 0)
		return prot_fail("page %ld wrong after MADV_COLLAPSE", bad);
	printf("thp: AnonHugePages %lld kB after the faults, %lld kB after "
	       "splits and collapse\n",
	       huge, after);
	munmap(p, len);
	return 0;
}

/* ---- hugetlb ----------------------------------------------------------- */

int prot_case_hugetlb(void)
{
	const char *nr = "/proc/sys/vm/nr_hugepages";
	size_t pages = 2 * PAGES_2M;
	long long free_huge;
	char *priv, *shared;
	int rc = 0, st;
	pid_t pid;

	if (access(nr, F_OK) != 0)
		return prot_skip("hugetlbfs is not compiled in");
	if (write_str(nr, "4") != 0)
		return prot_fail("%s: %s", nr, strerror(errno));
	free_huge = file_value("/proc/meminfo", "HugePages_Free:");
	if (free_huge < 3) {
		write_str(nr, "0");
		return prot_skip("only %lld huge pages could be reserved",
				 free_huge);
	}
	priv = mmap(NULL, pages * PROT_PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	shared = mmap(NULL, PROT_2M, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (priv == MAP_FAILED || shared == MAP_FAILED) {
		rc = prot_fail("MAP_HUGETLB: %s", strerror(errno));
		goto out;
	}
	prot_fill(priv, 0, pages, 41);
	prot_fill(shared, 0, PAGES_2M, 42);
	rc = fork_cow_check(priv, pages, 3, 41, "private");
	if (rc)
		goto out;
	pid = fork();
	if (pid == 0) {
		if (prot_verify(shared, 0, PAGES_2M, 42) >= 0)
			_exit(2);
		prot_fill(shared, 0, PAGES_2M, 43);
		_exit(0);
	}
	if (pid < 0 || prot_wait(pid, &st, 60) != 0 || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0) {
		rc = prot_fail("shared: the child failed");
		goto out;
	}
	if (prot_verify(shared, 0, PAGES_2M, 43) >= 0)
		rc = prot_fail("shared: the child's writes are not seen");
out:
	if (priv != MAP_FAILED)
		munmap(priv, pages * PROT_PAGE);
	if (shared != MAP_FAILED)
		munmap(shared, PROT_2M);
	write_str(nr, "0");
	return rc;
}

/* 1 GiB pages exist only if the kernel was booted with hugepagesz=1G
 * hugepages=N: a root-level leaf, written and read sparsely. */
int prot_case_hugetlb_1g(void)
{
	const char *nr = "/sys/kernel/mm/hugepages/hugepages-1048576kB/"
			 "free_hugepages";
	size_t stride = GIB / 8 / PROT_PAGE;
	long long free_huge = read_ll(nr);
	char *p;

	if (free_huge < 1)
		return prot_skip("no free 1 GiB huge page (boot with "
				 "hugepagesz=1G hugepages=1)");
	p = mmap(NULL, GIB, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB |
		     (30 << MAP_HUGE_SHIFT),
		 -1, 0);
	if (p == MAP_FAILED)
		return prot_fail("MAP_HUGETLB of 1 GiB: %s", strerror(errno));
	for (size_t i = 0; i < 8; i++)
		prot_fill(p, i * stride, i * stride + 1, 44);
	for (size_t i = 0; i < 8; i++)
		if (prot_verify(p, i * stride, i * stride + 1, 44) >= 0)
			return prot_fail("page %zu of the 1 GiB leaf is wrong",
					 i * stride);
	munmap(p, GIB);
	return 0;
}

/* ---- mremap_tables ----------------------------------------------------- */

/* Moves [p, p + len) to an aligned free spot; returns it or NULL. */
static char *move_to_aligned(char *p, size_t len, size_t align)
{
	char *hole = map_aligned(len, align, PROT_NONE);

	if (!hole)
		return NULL;
	p = mremap(p, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, hole);
	return p == MAP_FAILED ? NULL : p;
}

int prot_case_mremap_tables(void)
{
	size_t len = 2 * PROT_2M, pages = len / PROT_PAGE;
	char *p = map_aligned(len, PROT_2M, PROT_READ | PROT_WRITE);
	char *g;
	long bad;

	if (!p)
		return prot_fail("mmap: %s", strerror(errno));
	madvise(p, len, MADV_NOHUGEPAGE);
	prot_fill(p, 0, pages, 51);
	p = move_to_aligned(p, len, PROT_2M);
	if (!p)
		return prot_fail("mremap of 4 MiB: %s", strerror(errno));
	bad = prot_verify(p, 0, pages, 51);
	if (bad >= 0)
		return prot_fail("page %ld wrong after moving PTE tables", bad);
	munmap(p, len);

	/* 1 GiB, sparsely touched: the whole PMD table moves. */
	g = map_aligned(GIB, GIB, PROT_READ | PROT_WRITE);
	if (!g)
		return prot_skip("no 1 GiB of address space: %s",
				 strerror(errno));
	madvise(g, GIB, MADV_NOHUGEPAGE);
	for (size_t i = 0; i < 16; i++)
		prot_fill(g, i * (GIB / 16 / PROT_PAGE),
			  i * (GIB / 16 / PROT_PAGE) + 1, 52);
	g = move_to_aligned(g, GIB, GIB);
	if (!g)
		return prot_fail("mremap of 1 GiB: %s", strerror(errno));
	for (size_t i = 0; i < 16; i++) {
		size_t pg = i * (GIB / 16 / PROT_PAGE);

		if (prot_verify(g, pg, pg + 1, 52) >= 0)
			return prot_fail(
			    "page %zu wrong after moving a PMD table", pg);
	}
	munmap(g, GIB);
	return 0;
}

/* ---- swap -------------------------------------------------------------- */

#define SWAP_PAGES 2048 /* 8 MiB of swap */

static int swap_round(char *p, size_t pages, unsigned long seed)
{
	long long before = file_value("/proc/meminfo", "SwapFree:");
	long long during;
	long bad;

	if (madvise(p, pages * PROT_PAGE, MADV_PAGEOUT) != 0)
		return prot_fail("MADV_PAGEOUT: %s", strerror(errno));
	during = file_value("/proc/meminfo", "SwapFree:");
	if (during >= before)
		return prot_fail(
		    "nothing went to swap (SwapFree %lld kB, then %lld kB)",
		    before, during);
	bad = prot_verify(p, 0, pages, seed);
	if (bad >= 0)
		return prot_fail("page %ld wrong after swap-in", bad);
	return 0;
}

int prot_case_swap(void)
{
	size_t pages = 512;
	char *p;
	int rc;

	if (zram_swap_on(SWAP_PAGES) != 0)
		return errno == ENODEV
			   ? prot_skip("no zram device (CONFIG_ZRAM)")
			   : prot_fail("swap on /dev/zram0: %s",
				       strerror(errno));
	p = map_aligned(pages * PROT_PAGE, PROT_PAGE, PROT_READ | PROT_WRITE);
	if (!p) {
		rc = prot_fail("mmap: %s", strerror(errno));
		goto out;
	}
	madvise(p, pages * PROT_PAGE, MADV_NOHUGEPAGE);
	prot_fill(p, 0, pages, 61);
	rc = swap_round(p, pages, 61);
	/* Out again, then a child inherits swap entries and both read. */
	if (!rc && madvise(p, pages * PROT_PAGE, MADV_PAGEOUT) == 0)
		rc = fork_cow_check(p, pages, 9, 61, "fork with swap entries");
	munmap(p, pages * PROT_PAGE);
out:
	if (zram_swap_off() != 0 && !rc)
		rc = prot_fail("swapoff: %s", strerror(errno));
	return rc;
}

/* ---- ksm --------------------------------------------------------------- */

#define KSM "/sys/kernel/mm/ksm/"

int prot_case_ksm(void)
{
	size_t pages = 64, len = pages * PROT_PAGE;
	long long sharing = 0;
	char *p;
	int rc = 0;

	if (access(KSM "run", F_OK) != 0)
		return prot_skip("KSM is not compiled in");
	p = map_aligned(len, PROT_PAGE, PROT_READ | PROT_WRITE);
	if (!p)
		return prot_fail("mmap: %s", strerror(errno));
	memset(p, 0x5a, len);
	if (madvise(p, len, MADV_MERGEABLE) != 0)
		return prot_fail("MADV_MERGEABLE: %s", strerror(errno));
	write_str(KSM "pages_to_scan", "1000");
	write_str(KSM "sleep_millisecs", "10");
	if (write_str(KSM "run", "1") != 0)
		return prot_fail(KSM "run: %s", strerror(errno));
	for (int i = 0; i < 300 && sharing <= 0; i++) {
		usleep(100000);
		sharing = read_ll(KSM "pages_sharing");
	}
	if (sharing <= 0) {
		rc = prot_fail("KSM merged nothing in 30 s");
		goto out;
	}
	p[3 * PROT_PAGE + 100] = 0x11; /* breaks one merged page */
	for (size_t i = 0; i < len && !rc; i++) {
		char want = i == 3 * PROT_PAGE + 100 ? 0x11 : 0x5a;

		if (p[i] != want)
			rc = prot_fail(
			    "byte %zu is 0x%02x after the copy on write", i,
			    p[i] & 0xff);
	}
	printf("ksm: %lld pages sharing\n", sharing);
out:
	madvise(p, len, MADV_UNMERGEABLE);
	write_str(KSM "run", "2");
	munmap(p, len);
	return rc;
}

/* ---- uffd -------------------------------------------------------------- */

struct uffd_job {
	int fd;
	char *base;
	size_t pages;
	int served, error;
};

/* Serves missing-page faults: even pages by copy, odd ones by zero page. */
static void *uffd_server(void *arg)
{
	struct uffd_job *j = arg;
	static char src[PROT_PAGE] __attribute__((aligned(4096)));
	struct uffd_msg msg;

	while (j->served < (int)j->pages) {
		struct pollfd pfd = {j->fd, POLLIN, 0};
		size_t pg;

		if (poll(&pfd, 1, 20000) <= 0 ||
		    read(j->fd, &msg, sizeof(msg)) != sizeof(msg)) {
			j->error = errno ? errno : ETIMEDOUT;
			return NULL;
		}
		if (msg.event != UFFD_EVENT_PAGEFAULT)
			continue;
		pg = (msg.arg.pagefault.address - (unsigned long)j->base) /
		     PROT_PAGE;
		if (pg % 2 == 0) {
			struct uffdio_copy c = {0};

			/* What prot_fill would write into page pg. */
			for (int k = 0; k < PROT_WORDS_PER_PAGE; k++)
				((unsigned long *)src)[k * 64] =
				    prot_word(71, pg * 8 + k);
			c.dst = (unsigned long)j->base + pg * PROT_PAGE;
			c.src = (unsigned long)src;
			c.len = PROT_PAGE;
			if (ioctl(j->fd, UFFDIO_COPY, &c) != 0)
				j->error = errno;
		} else {
			struct uffdio_zeropage z = {0};

			z.range.start = (unsigned long)j->base + pg * PROT_PAGE;
			z.range.len = PROT_PAGE;
			if (ioctl(j->fd, UFFDIO_ZEROPAGE, &z) != 0)
				j->error = errno;
		}
		j->served++;
	}
	return NULL;
}

int prot_case_uffd(void)
{
	struct uffd_job j = {.pages = 32};
	struct uffdio_api api = {.api = UFFD_API};
	struct uffdio_register reg = {0};
	pthread_t t;
	int rc = 0;

	j.fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
	if (j.fd < 0 && errno == ENOSYS)
		return prot_skip("userfaultfd is not compiled in");
	if (j.fd < 0 || ioctl(j.fd, UFFDIO_API, &api) != 0)
		return prot_fail("userfaultfd: %s", strerror(errno));
	j.base =
	    map_aligned(j.pages * PROT_PAGE, PROT_PAGE, PROT_READ | PROT_WRITE);
	if (!j.base)
		return prot_fail("mmap: %s", strerror(errno));
	reg.range.start = (unsigned long)j.base;
	reg.range.len = j.pages * PROT_PAGE;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	if (ioctl(j.fd, UFFDIO_REGISTER, &reg) != 0)
		return prot_fail("UFFDIO_REGISTER: %s", strerror(errno));
	pthread_create(&t, NULL, uffd_server, &j);
	for (size_t pg = 0; pg < j.pages && !rc; pg++) {
		if (prot_verify(j.base, pg, pg + 1, pg % 2 ? 0 : 71) >= 0)
			rc = prot_fail(
			    "page %zu wrong after userfaultfd filled it", pg);
	}
	pthread_join(t, NULL);
	if (!rc && j.error)
		rc = prot_fail("the fault server: %s", strerror(j.error));
	munmap(j.base, j.pages * PROT_PAGE);
	close(j.fd);
	return rc;
}

/* ---- compaction -------------------------------------------------------- */

int prot_case_compaction(void)
{
	const char *knob = "/proc/sys/vm/compact_memory";
	size_t pages = 2048;
	long long before, after;
	char *p;
	pid_t pid;
	int st;

	if (access(knob, F_OK) != 0)
		return prot_skip("compaction is not compiled in");
	p = map_aligned(pages * PROT_PAGE, PROT_PAGE, PROT_READ | PROT_WRITE);
	if (!p)
		return prot_fail("mmap: %s", strerror(errno));
	madvise(p, pages * PROT_PAGE, MADV_NOHUGEPAGE);
	prot_fill(p, 0, pages, 81);
	before = file_value("/proc/vmstat", "pgmigrate_success ");
	pid = fork();
	if (pid == 0) {
		for (int round = 0; round < 40; round++)
			if (prot_verify(p, 0, pages, 81) >= 0)
				_exit(2);
		_exit(0);
	}
	for (int i = 0; i < 3; i++)
		write_str(knob, "1");
	if (pid < 0 || prot_wait(pid, &st, 120) != 0)
		return prot_fail("the reading child did not finish");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return prot_fail("the reading child saw wrong data (%s)",
				 prot_status(st));
	if (prot_verify(p, 0, pages, 81) >= 0)
		return prot_fail("data wrong after compaction");
	after = file_value("/proc/vmstat", "pgmigrate_success ");
	printf("compaction: %lld pages migrated\n",
	       before >= 0 && after >= 0 ? after - before : -1);
	munmap(p, pages * PROT_PAGE);
	return 0;
}
