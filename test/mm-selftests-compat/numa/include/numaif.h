/*
 * Minimal stand-in for libnuma's <numaif.h>: the memory-policy system calls
 * as plain functions, for building Linux's mm selftests statically for
 * riscv64 where no libnuma for the target exists.  The MPOL_* constants
 * come from the kernel's own uapi header.
 */
#ifndef SECMON_COMPAT_NUMAIF_H
#define SECMON_COMPAT_NUMAIF_H

#include <linux/mempolicy.h>

long get_mempolicy(int *mode, unsigned long *nmask, unsigned long maxnode,
		   void *addr, unsigned flags);
long set_mempolicy(int mode, const unsigned long *nmask, unsigned long maxnode);
long mbind(void *start, unsigned long len, int mode, const unsigned long *nmask,
	   unsigned long maxnode, unsigned flags);
long move_pages(int pid, unsigned long count, void **pages, const int *nodes,
		int *status, int flags);
long migrate_pages(int pid, unsigned long maxnode,
		   const unsigned long *frommask, const unsigned long *tomask);

#endif
