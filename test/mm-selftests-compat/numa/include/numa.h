/*
 * Minimal stand-in for libnuma's <numa.h>, for building Linux's mm
 * selftests statically for riscv64 where no libnuma for the target exists.
 * It provides only the calls those tests make, with the same meaning,
 * answered from /sys/devices/system/node and /proc/self/status.
 */
#ifndef SECMON_COMPAT_NUMA_H
#define SECMON_COMPAT_NUMA_H

#include <stddef.h>

struct bitmask {
	unsigned long size; /* in bits */
	unsigned long *maskp;
};

/* Nodes with memory that this process may allocate from. */
extern struct bitmask *numa_all_nodes_ptr;

/* 0 if the kernel has the NUMA memory-policy calls, -1 if not. */
int numa_available(void);
/* Highest node number present in the system (0 without NUMA). */
int numa_max_node(void);
/* Width of the kernel's node masks minus one. */
int numa_max_possible_node(void);
/* Number of CPUs this task may run on. */
int numa_num_task_cpus(void);
/* Memory of a node in bytes (and its free memory in *freep), -1 if none. */
long numa_node_size(int node, long *freep);
long long numa_node_size64(int node, long long *freep);
/* Anonymous memory bound to a node; release it with numa_free(). */
void *numa_alloc_onnode(size_t size, int node);
void numa_free(void *mem, size_t size);
int numa_bitmask_isbitset(const struct bitmask *bmp, unsigned int n);

#endif
