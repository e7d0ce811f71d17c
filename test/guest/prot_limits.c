/*
 * Suite "protected": who pays for pool pages, how fast they come back,
 * and user leaves on device memory (issue 11, items 4 and 5).
 *
 * memcg: pool pages are charged to the memory cgroup of the task that
 * makes them, as Linux charges ordinary page tables.  A child in a cgroup
 * whose memory.max holds its data pages but not data plus tables must be
 * killed by that cgroup's OOM killer; without the charge it would finish.
 * The suite process, outside the cgroup, goes on making tables.
 *
 * zombies: children that exited but were not reaped must not hold their
 * page tables: within an RCU grace period the pool is back but for at most
 * one root per CPU (an idle CPU keeps the last mm it ran as its lazy
 * active_mm until it runs another process).
 *
 * devmem: /dev/mem maps a device page the tree gives the OS (a virtio-mmio
 * transport) and reads its magic through a user leaf.  devmem_clint: the
 * CLINT, which only the monitor may touch, is refused and the reader dies
 * of a signal.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest.h"
#include "prot.h"

/* One byte in each of n distinct 2 MiB regions of p: n PTE tables. */
static void touch_regions(char *p, long n)
{
	for (long i = 0; i < n; i++)
		p[i * PROT_2M + (i % 512) * PROT_PAGE] = 1;
}

static char *map_regions(long n)
{
	char *p = mmap(NULL, n * PROT_2M, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	/* One small page per region: with THP "always", a touch could make
	 * a 2 MiB page instead, and the sums below would not hold. */
	madvise(p, n * PROT_2M, MADV_NOHUGEPAGE);
	return p;
}

/* ---- memcg ------------------------------------------------------------- */

#define CG_ROOT "/sys/fs/cgroup"
#define CG_DIR CG_ROOT "/secmon-memcg"
#define CG_LIMIT (6L << 20)
#define CG_SEEN 500 /* 2 MiB of data, 4 MiB with its tables: fits */
#define CG_OVER 1000 /* 3.9 MiB of data fits, 7.8 MiB with its tables not */

/* The value of "key N" in a cgroup file; -1 if absent. */
static long long cg_value(const char *file, const char *key)
{
	char path[128], text[4096], *at;
	size_t klen = strlen(key);

	snprintf(path, sizeof(path), CG_DIR "/%s", file);
	if (read_text(path, text, sizeof(text)) < 0)
		return -1;
	for (at = text; at; at = strchr(at, '\n'), at = at ? at + 1 : NULL)
		if (!strncmp(at, key, klen) && at[klen] == ' ')
			return atoll(at + klen + 1);
	return -1;
}

/* Mounts cgroup2 if need be and makes CG_DIR with the memory controller;
 * 0, SKIPPED or prot_fail's 1. */
static int cg_setup(void)
{
	char text[256];

	if (access(CG_ROOT "/cgroup.controllers", F_OK) &&
	    mount("cgroup2", CG_ROOT, "cgroup2", 0, NULL))
		return prot_skip(
		    "no cgroup v2 to mount (%s; needs CONFIG_MEMCG)",
		    strerror(errno));
	if (read_text(CG_ROOT "/cgroup.controllers", text, sizeof(text)) < 0 ||
	    !strstr(text, "memory"))
		return prot_skip("no memory controller (CONFIG_MEMCG)");
	if (write_text(CG_ROOT "/cgroup.subtree_control", "+memory"))
		return prot_fail("enabling the memory controller: %s",
				 strerror(errno));
	if (mkdir(CG_DIR, 0755) && errno != EEXIST)
		return prot_fail("mkdir " CG_DIR ": %s", strerror(errno));
	snprintf(text, sizeof(text), "%ld", CG_LIMIT);
	if (write_text(CG_DIR "/memory.max", text))
		return prot_fail("memory.max: %s", strerror(errno));
	/* Data pages must not escape to swap (the swap case may have left
	 * zram on); without swap accounting there is no swap to escape to. */
	if (!access(CG_DIR "/memory.swap.max", F_OK))
		write_text(CG_DIR "/memory.swap.max", "0");
	return 0;
}

/* Child: joins the cgroup, touches n regions, reports on fd, waits. */
static int cg_child(long n, int fd)
{
	char *p = map_regions(n);

	/* The suite is -1000, out of the OOM killer's reach; this child must
	 * not be, or its cgroup could only retry the charge forever. */
	if (!p || write_text("/proc/self/oom_score_adj", "0") ||
	    write_text(CG_DIR "/cgroup.procs", "0"))
		return 2;
	touch_regions(p, n);
	prot_send_byte(fd);
	pause();
	return 0;
}

static pid_t cg_spawn(long n, int *rd)
{
	int fds[2];
	pid_t pid;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		_exit(cg_child(n, fds[1]));
	}
	close(fds[1]);
	*rd = fds[0];
	return pid;
}

/* The charge is visible: CG_SEEN tables show in the cgroup's stats. */
static int cg_seen(void)
{
	long long tables;
	int rd, st;
	pid_t pid = cg_spawn(CG_SEEN, &rd);

	if (pid < 0)
		return prot_fail("fork: %s", strerror(errno));
	if (prot_wait_byte(rd)) {
		prot_wait(pid, &st, 10);
		return prot_fail(
		    "the child in the cgroup did not get going: %s",
		    prot_status(st));
	}
	tables = cg_value("memory.stat", "pagetables");
	kill(pid, SIGKILL);
	prot_wait(pid, &st, 10);
	close(rd);
	printf("memcg: %d regions touched: the cgroup's pagetables %lld kB\n",
	       CG_SEEN, tables / 1024);
	if (tables < CG_SEEN * (long long)PROT_PAGE)
		return prot_fail("the cgroup is charged %lld bytes of page "
				 "tables for %d PTE tables",
				 tables, CG_SEEN);
	return 0;
}

/* Over the limit only with its tables: the cgroup's OOM killer acts. */
static int cg_over(void)
{
	long long kills = cg_value("memory.events", "oom_kill"), after;
	int rd, st;
	pid_t pid = cg_spawn(CG_OVER, &rd);

	if (pid < 0)
		return prot_fail("fork: %s", strerror(errno));
	if (prot_wait_byte(rd) == 0) {
		kill(pid, SIGKILL);
		prot_wait(pid, &st, 10);
		return prot_fail("%d regions (%ld MiB of data, as much again "
				 "in tables) fit under memory.max %ld MiB",
				 CG_OVER, CG_OVER * PROT_PAGE >> 20,
				 CG_LIMIT >> 20);
	}
	if (prot_wait(pid, &st, 60))
		return prot_fail("the child over its limit hangs");
	close(rd);
	after = cg_value("memory.events", "oom_kill");
	printf("memcg: over memory.max %ld MiB: child %s, oom_kill %lld -> "
	       "%lld\n",
	       CG_LIMIT >> 20, prot_status(st), kills, after);
	if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL || after <= kills)
		return prot_fail("expected the cgroup's OOM killer to kill the "
				 "child: %s, oom_kill %lld -> %lld",
				 prot_status(st), kills, after);
	return 0;
}

/* An innocent process outside the cgroup still gets tables. */
static int cg_innocent(void)
{
	long n = 64;
	char *p = map_regions(n);

	if (!p)
		return prot_fail("mmap: %s", strerror(errno));
	touch_regions(p, n);
	munmap(p, n * PROT_2M);
	return 0;
}

int prot_case_memcg(void)
{
	long long free_pages = prot_stat("pool_free");
	int rc = cg_setup();

	if (rc)
		return rc;
	/* Without the charge the child must be able to finish, or the case
	 * could not tell charged tables from an empty pool. */
	if (prot_is_protected() && free_pages < CG_OVER + 256)
		rc = prot_skip("pool_free %lld is below %d: boot with more RAM",
			       free_pages, CG_OVER + 256);
	if (!rc)
		rc = cg_seen();
	if (!rc)
		rc = cg_over();
	if (!rc)
		rc = cg_innocent();
	for (int i = 0; i < 50 && rmdir(CG_DIR) && errno == EBUSY; i++)
		usleep(100000);
	return rc;
}

/* ---- zombies ----------------------------------------------------------- */

#define ZOMBIE_REGIONS 16
#define ZOMBIE_BACK_MS 2000

static int zombies_wait_exited(const pid_t *pids, int n)
{
	siginfo_t si;

	for (int i = 0; i < n; i++) {
		memset(&si, 0, sizeof(si));
		if (waitid(P_PID, pids[i], &si, WEXITED | WNOWAIT))
			return prot_fail("waitid: %s", strerror(errno));
	}
	return 0;
}

int prot_case_zombies(void)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int n = prot_scale(16, 64), rc = 0, st;
	long long base, held, t0, ms;
	pid_t pids[64];

	if (!prot_is_protected())
		return prot_skip("mode is %s: no pool to count", prot_mode());
	prot_settle_cpus();
	base = prot_stat("pool_in_use");
	for (int i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			char *p = map_regions(ZOMBIE_REGIONS);

			if (p)
				touch_regions(p, ZOMBIE_REGIONS);
			_exit(p ? 0 : 2);
		}
		if (pids[i] < 0) {
			n = i;
			rc = prot_fail("fork: %s", strerror(errno));
			break;
		}
	}
	if (!rc)
		rc = zombies_wait_exited(pids, n);
	t0 = now_ns();
	held = prot_stat("pool_in_use");
	while (!rc && held > base + ncpu &&
	       now_ns() - t0 < ZOMBIE_BACK_MS * 1000000LL) {
		usleep(10000);
		held = prot_stat("pool_in_use");
	}
	ms = (now_ns() - t0) / 1000000;
	printf("zombies: %d children exited, not reaped: pool_in_use %lld "
	       "over the baseline after %lld ms (at most %ld roots may stay "
	       "with idle CPUs)\n",
	       n, held - base, ms, ncpu);
	if (!rc && held > base + ncpu)
		rc = prot_fail("%lld pool pages still held %d ms after %d "
			       "children exited (limit: %ld lazily held roots)",
			       held - base, ZOMBIE_BACK_MS, n, ncpu);
	for (int i = 0; i < n; i++)
		if (waitpid(pids[i], &st, 0) == pids[i] && !rc &&
		    !(WIFEXITED(st) && WEXITSTATUS(st) == 0))
			rc = prot_fail("child %d: %s", i, prot_status(st));
	return rc;
}

/* ---- devmem ------------------------------------------------------------ */

#define DT_SOC "/sys/firmware/devicetree/base/soc"
#define VIRTIO_MAGIC 0x74726976u /* "virt", virtio-v1.2 4.2.2 */

/* The unit address of the first node under /soc named prefix@...; 0 if
 * none. */
static unsigned long soc_node(const char *prefix)
{
	size_t len = strlen(prefix);
	unsigned long best = 0, a;
	struct dirent *d;
	DIR *dir = opendir(DT_SOC);

	while (dir && (d = readdir(dir)) != NULL) {
		if (strncmp(d->d_name, prefix, len) || d->d_name[len] != '@')
			continue;
		a = strtoul(d->d_name + len + 1, NULL, 16);
		if (!best || a < best)
			best = a;
	}
	if (dir)
		closedir(dir);
	return best;
}

static int devmem_open(void)
{
	int fd = open("/dev/mem", O_RDONLY | O_SYNC);

	if (fd < 0 && errno == ENOENT &&
	    !mknod("/dev/mem", S_IFCHR | 0600, makedev(1, 1)))
		fd = open("/dev/mem", O_RDONLY | O_SYNC);
	return fd;
}

/*
 * Reads the virtio-mmio magic through a user leaf on device memory.  (The
 * value is the proof: pagemap cannot show the leaf, because the page
 * walker treats a VM_PFNMAP mapping as a hole.)
 */
static int devmem_virtio(int fd, unsigned long pa)
{
	volatile unsigned int *regs;

	regs = mmap(NULL, PROT_PAGE, PROT_READ, MAP_SHARED, fd, pa);
	if (regs == MAP_FAILED)
		return prot_fail("mmap of /dev/mem at %#lx: %s", pa,
				 strerror(errno));
	printf("devmem: virtio-mmio at %#lx through a user leaf: magic %#x, "
	       "version %u\n",
	       pa, regs[0], regs[1]);
	if (regs[0] != VIRTIO_MAGIC)
		return prot_fail("virtio-mmio at %#lx reads %#x, expected %#x",
				 pa, regs[0], VIRTIO_MAGIC);
	munmap((void *)regs, PROT_PAGE);
	return 0;
}

/* The monitor's CLINT: the reader must die; it must not read a value. */
static int devmem_clint(int fd, unsigned long pa)
{
	volatile unsigned int *regs;
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		prctl(PR_SET_NAME, FORGER_COMM);
		regs = mmap(NULL, PROT_PAGE, PROT_READ, MAP_SHARED, fd, pa);
		if (regs == MAP_FAILED)
			_exit(3);
		printf("devmem: read %#x from the CLINT\n", regs[0]);
		_exit(0);
	}
	if (pid < 0 || prot_wait(pid, &st, 30))
		return prot_fail("the CLINT reader hangs or did not start");
	printf("devmem: CLINT at %#lx: reader %s\n", pa, prot_status(st));
	if (WIFEXITED(st) && WEXITSTATUS(st) == 3)
		return 0; /* the kernel already refused the mapping */
	if (!WIFSIGNALED(st))
		return prot_fail("the CLINT at %#lx was readable from user "
				 "space: %s",
				 pa, prot_status(st));
	return 0;
}

/* Runs check(fd, pa) on /dev/mem for the first /soc node named node. */
static int devmem_node(const char *node, int (*check)(int, unsigned long))
{
	unsigned long pa = soc_node(node);
	int fd, rc;

	if (!pa)
		return prot_skip("no %s node under " DT_SOC, node);
	fd = devmem_open();
	if (fd < 0)
		return prot_skip("/dev/mem: %s (needs CONFIG_DEVMEM)",
				 strerror(errno));
	rc = check(fd, pa);
	close(fd);
	return rc;
}

int prot_case_devmem(void)
{
	return devmem_node("virtio_mmio", devmem_virtio);
}

int prot_case_devmem_clint(void)
{
	if (!prot_is_protected())
		return prot_skip("mode is %s: no monitor to refuse the leaf",
				 prot_mode());
	return devmem_node("clint", devmem_clint);
}
