/*
 * Internal declarations of suite "protected" (suite_protected.c and
 * prot_*.c): the integration suite of issue 5, Linux user page tables
 * owned by the monitor.
 *
 * Every case runs in its own child process (see prot_run_case), so a case
 * that crashes or hangs is reported and the suite goes on, and the suite
 * process's own page tables stay the same from case to case: the pool
 * baselines it compares are its own.
 */
#ifndef SECMON_PROT_H
#define SECMON_PROT_H

#include <stddef.h>
#include <sys/types.h>

#include "guest.h"

#define PROT_PAGE 4096UL
#define PROT_2M (2UL << 20)
/* The glue's statistics and test files (debugfs, root only). */
#define PROT_DIR SECMON_DEBUGFS

/* The name of a process that provokes refusals on purpose: the QEMU cases
 * accept a refusal report only for it. */
#define FORGER_COMM "secmon-forger"

/* Nonzero with secmon.tier=full on the kernel command line. */
extern int prot_full;

/* The CI count or the full-tier count, as the tier says. */
int prot_scale(int ci, int full);

/* Write end of the reason pipe (set up by the suite before each case). */
extern int prot_reason_fd;

/*
 * Reason reporting from inside a case.  The case process and all its
 * descendants share one pipe to the suite; prot_fail() and prot_skip()
 * write the reason there and return 1 or SKIPPED, so a case can end with
 * `return prot_fail(...)`.
 */
int prot_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int prot_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "exit status N", "killed by signal N (name)", ... in a static buffer. */
const char *prot_status(int st);

/* waitpid() that gives up after timeout_s seconds: then it kills pid with
 * SIGKILL, reaps it and returns -1.  Returns 0 with *st set otherwise. */
int prot_wait(pid_t pid, int *st, int timeout_s);

/* Forks a child that runs fn(arg) and _exit()s with its result.  Returns
 * the pid or -1. */
pid_t prot_spawn(int (*fn)(long), long arg);

/*
 * Runs fn(0) .. fn(total - 1) each in its own child process, at most width
 * at a time, and checks each exit with expect(i, status) (0 if right).
 * Stops at the first wrong one.  Returns 0 or prot_fail()'s 1.
 */
int prot_batch(int total, int width, int (*fn)(long),
	       int (*expect)(long, int), int timeout_s);

/* Blocks until one byte arrives on fd (0) or EOF/error (-1). */
int prot_wait_byte(int fd);

/* Writes one byte to fd; returns 0 or -1. */
int prot_send_byte(int fd);

/* A deterministic 64-bit word: the fill pattern of the memory cases. */
unsigned long prot_word(unsigned long seed, unsigned long index);

/* Words written per page by prot_fill (one every 512 bytes): enough for
 * every page to be touched and told apart, cheap under TCG. */
#define PROT_WORDS_PER_PAGE 8

/* Writes prot_word(seed, ...) into pages [from, to) of base. */
void prot_fill(char *base, size_t from, size_t to, unsigned long seed);

/* Finds the first page in [from, to) whose words differ from the pattern
 * (seed) or, with seed 0, from zero.  Returns its index or -1. */
long prot_verify(const char *base, size_t from, size_t to,
		 unsigned long seed);

/* Reads /proc/<pid|self>/pagemap for addr (pid 0 = self).  Returns 0 and
 * the raw entry, or -1 with errno set. */
int prot_pagemap(pid_t pid, const void *addr, unsigned long long *entry);

#define PAGEMAP_PRESENT (1ULL << 63)
#define PAGEMAP_PFN_MASK ((1ULL << 55) - 1)

/* ---- the glue's debugfs files --------------------------------------------- */

/* PROT_DIR "/" name, in one of a few rotating static buffers. */
const char *prot_path(const char *name);

/* The monitor's mode: "protected", "off", "absent" or "failed". */
const char *prot_mode(void);

/* Whether prot_mode() is "protected". */
int prot_is_protected(void);

/* Reads a decimal file of PROT_DIR; -1 if missing or unreadable. */
long long prot_stat(const char *name);

/* The "total CALLS REFUSED" line of PROT_DIR/calls; -1 if missing. */
int prot_calls_total(long long *calls, long long *refused);

/* Polls PROT_DIR/name until it reads want, for up to timeout_ms.
 * Returns the last value read. */
long long prot_poll_stat(const char *name, long long want, int timeout_ms);
/* Runs the caller once on every CPU, so idle CPUs drop lazily held dead mms. */
void prot_settle_cpus(void);

/* ---- the cases (each returns 0, 1 or SKIPPED) ---------------------------- */

int prot_case_exit_futex(void);
int prot_case_exec_thread(void);
int prot_case_fork_storm(void);
int prot_case_cow(void);
int prot_case_churn(void);
int prot_case_pagemap(void);
int prot_case_vm_readv(void);
int prot_case_ptrace(void);
int prot_case_pool_exhaustion(void);
int prot_case_hotplug(void);
int prot_case_direct_write(void);
int prot_case_refused_store(void);
int prot_case_refused_store_lazy(void);
int prot_case_refused_clear(void);
int prot_case_debugfs_root_only(void);
int prot_case_processes_file(void);
int prot_case_madv_free(void);
int prot_case_thp(void);
int prot_case_hugetlb(void);
int prot_case_hugetlb_1g(void);
int prot_case_mremap_tables(void);
int prot_case_swap(void);
int prot_case_ksm(void);
int prot_case_uffd(void);
int prot_case_compaction(void);
int prot_case_bpf_jit(void);
int prot_case_refuse_kexec(void);
int prot_case_refuse_hibernate(void);
int prot_case_memcg(void);
int prot_case_zombies(void);
int prot_case_devmem(void);
int prot_case_devmem_clint(void);

/* One copy-on-write round and one churn run: the loads of the hotplug
 * case. */
int prot_cow_round(unsigned long iter);
int prot_churn_run(unsigned long seed, int ops);

/* The churn seed: secmon.seed= or one derived from the clock. */
unsigned long prot_churn_seed(void);

#endif
