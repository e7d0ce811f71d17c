/* Stand-in for the libnuma calls of the mm selftests; see include/numa.h. */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <numa.h>
#include <numaif.h>

#define NODE_DIR "/sys/devices/system/node"
#define LONG_BITS (8 * sizeof(unsigned long))
#define MAX_MASK_BITS 4096

static unsigned long all_nodes_bits[MAX_MASK_BITS / LONG_BITS];
static struct bitmask all_nodes = {MAX_MASK_BITS, all_nodes_bits};
struct bitmask *numa_all_nodes_ptr = &all_nodes;

long get_mempolicy(int *mode, unsigned long *nmask, unsigned long maxnode,
		   void *addr, unsigned flags)
{
	return syscall(SYS_get_mempolicy, mode, nmask, maxnode, addr, flags);
}

long set_mempolicy(int mode, const unsigned long *nmask, unsigned long maxnode)
{
	return syscall(SYS_set_mempolicy, mode, nmask, maxnode);
}

long mbind(void *start, unsigned long len, int mode, const unsigned long *nmask,
	   unsigned long maxnode, unsigned flags)
{
	return syscall(SYS_mbind, start, len, mode, nmask, maxnode, flags);
}

long move_pages(int pid, unsigned long count, void **pages, const int *nodes,
		int *status, int flags)
{
	return syscall(SYS_move_pages, pid, count, pages, nodes, status, flags);
}

long migrate_pages(int pid, unsigned long maxnode,
		   const unsigned long *frommask, const unsigned long *tomask)
{
	return syscall(SYS_migrate_pages, pid, maxnode, frommask, tomask);
}

/* Bits in the kernel's node masks: four per hex digit of Mems_allowed. */
static int mask_bits(void)
{
	static int bits;
	char line[4096];
	FILE *f;

	if (bits)
		return bits;
	bits = 64;
	f = fopen("/proc/self/status", "re");
	if (!f)
		return bits;
	while (fgets(line, sizeof(line), f)) {
		int n = 0;

		if (strncmp(line, "Mems_allowed:", 13) != 0)
			continue;
		for (const char *p = line + 13; *p; p++)
			if (isxdigit((unsigned char)*p))
				n += 4;
		if (n > 0 && n <= MAX_MASK_BITS)
			bits = n;
		break;
	}
	fclose(f);
	return bits;
}

/* Sets the bits of a list such as "0-1,3" in bmp; returns -1 if unreadable. */
static int read_node_list(const char *path, struct bitmask *bmp)
{
	char buf[1024], *p = buf;
	FILE *f = fopen(path, "re");

	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	while (isdigit((unsigned char)*p)) {
		unsigned long lo = strtoul(p, &p, 10), hi = lo;

		if (*p == '-')
			hi = strtoul(p + 1, &p, 10);
		for (unsigned long n = lo; n <= hi && n < bmp->size; n++)
			bmp->maskp[n / LONG_BITS] |= 1UL << (n % LONG_BITS);
		if (*p == ',')
			p++;
	}
	return 0;
}

__attribute__((constructor)) static void init_all_nodes(void)
{
	if (read_node_list(NODE_DIR "/has_memory", &all_nodes) < 0)
		all_nodes_bits[0] = 1; /* no NUMA in the kernel: node 0 */
}

int numa_available(void)
{
	if (get_mempolicy(NULL, NULL, 0, NULL, 0) < 0 &&
	    (errno == ENOSYS || errno == EPERM))
		return -1;
	return 0;
}

int numa_max_node(void)
{
	DIR *d = opendir(NODE_DIR);
	struct dirent *e;
	int max = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, "node", 4) == 0 &&
		    isdigit((unsigned char)e->d_name[4])) {
			int n = atoi(e->d_name + 4);

			if (n > max)
				max = n;
		}
	}
	closedir(d);
	return max;
}

int numa_max_possible_node(void)
{
	return mask_bits() - 1;
}

int numa_num_task_cpus(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		return 1;
	return CPU_COUNT(&set);
}

long long numa_node_size64(int node, long long *freep)
{
	char path[128], line[256];
	long long total = -1, nfree = -1;
	FILE *f;

	snprintf(path, sizeof(path), NODE_DIR "/node%d/meminfo", node);
	f = fopen(path, "re");
	if (!f) {
		if (freep)
			*freep = -1;
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		long long kb;
		char key[64];
		int n;

		/* "Node 0 MemTotal:       2097152 kB" */
		if (sscanf(line, "Node %d %63s %lld", &n, key, &kb) != 3)
			continue;
		if (strcmp(key, "MemTotal:") == 0)
			total = kb * 1024;
		else if (strcmp(key, "MemFree:") == 0)
			nfree = kb * 1024;
	}
	fclose(f);
	if (freep)
		*freep = nfree;
	return total;
}

long numa_node_size(int node, long *freep)
{
	long long nfree, total = numa_node_size64(node, &nfree);

	if (freep)
		*freep = (long)nfree;
	return (long)total;
}

void *numa_alloc_onnode(size_t size, int node)
{
	unsigned long mask[MAX_MASK_BITS / LONG_BITS] = {0};
	void *mem;

	if (node < 0 || node >= MAX_MASK_BITS)
		return NULL;
	mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return NULL;
	mask[node / LONG_BITS] = 1UL << (node % LONG_BITS);
	/* Like libnuma: a failed binding is reported, the memory kept. */
	if (mbind(mem, size, MPOL_BIND, mask, (unsigned long)mask_bits() + 1,
		  0) < 0)
		fprintf(stderr, "numa_alloc_onnode: mbind to node %d: %s\n",
			node, strerror(errno));
	return mem;
}

void numa_free(void *mem, size_t size)
{
	if (mem)
		munmap(mem, size);
}

int numa_bitmask_isbitset(const struct bitmask *bmp, unsigned int n)
{
	if (n >= bmp->size)
		return 0;
	return (bmp->maskp[n / LONG_BITS] >> (n % LONG_BITS)) & 1;
}
