/*
 * Shared declarations for the secmon guest test programs.
 *
 * Everything is linked into one static binary, /init.  Run as PID 1 it sets
 * up the system, runs a suite and powers the machine off; run with one of
 * the "--" modes below it is a helper process started by a suite.
 */
#ifndef SECMON_GUEST_H
#define SECMON_GUEST_H

#include <stddef.h>

/* Helper modes of /init (argv[1]). */
#define MODE_EXIT_CODE "--exit-code"	/* --exit-code N: exit with status N */
#define MODE_WORKER "--worker"		/* --worker N: demo worker process */
#define MODE_JOB "--job"		/* --job SEED: print job_compute(SEED) */

/* The Linux glue's statistics (CONFIG_SECMON_PT): debugfs, which init
 * mounts on /sys/kernel/debug; readable by root only. */
#define SECMON_DEBUGFS "/sys/kernel/debug/secmon"

/* Test result meaning "not applicable here"; 0 is pass, 1 is fail. */
#define SKIPPED 2

/* Time limit of the running suite in seconds, as init computed it. */
extern unsigned guest_timeout_s;

/* Returns the value of KEY=value on the kernel command line, or NULL. */
const char *cmdline_get(const char *key);

/* Number of CPUs listed in /sys/devices/system/cpu/online, or -1. */
int sysfs_online_cpus(char *text, size_t len);

/* Reads a whole small file into buf (NUL-terminated, trailing newline
 * removed).  Returns the length or -1. */
int read_text(const char *path, char *buf, size_t len);

/* Writes text to a sysfs/procfs file in one write().  Returns 0 or -1 with
 * errno set. */
int write_text(const char *path, const char *text);

/* Monotonic clock in nanoseconds. */
/* Swap on /dev/zram0 of pages 4 KiB pages (needs CONFIG_ZRAM): 0, or -1
 * with errno set (ENODEV: no zram).  Off again resets the device. */
int zram_swap_on(unsigned long pages);
int zram_swap_off(void);

long long now_ns(void);

/* Nanoseconds on the given clock (CLOCK_REALTIME, CLOCK_BOOTTIME, ...). */
long long clock_ns(int clock);

/* Pass/fail/skip bookkeeping shared by the suites. */
struct tally {
	int passed;
	int failed;
	int skipped;
};

/* Prints "PASS name", "FAIL name: why" or "SKIP name: why" for rc 0, 1 or
 * SKIPPED and counts it. */
void tally_record(struct tally *t, const char *name, int rc, const char *why);

/* Prints the closing "N passed, M failed" line (preceded by the number of
 * skips, which it does not count); returns the suite's exit status. */
int tally_finish(const struct tally *t, const char *suite);

/*
 * Kernel log through /dev/kmsg.  kmsg_open(1) starts after the newest
 * record, so kmsg_next() then returns only what is logged later;
 * kmsg_open(0) starts at the oldest record still in the buffer.
 */
int kmsg_open(int at_end);

/* Copies the text of the next record into buf.  Returns its length, 0
 * when there are no more records, -1 on error. */
int kmsg_next(int fd, char *buf, size_t len);

/* Reads records until one contains needle; copies it into line (if not
 * NULL).  Returns 1 if found, 0 if not. */
int kmsg_find(int fd, const char *needle, char *line, size_t len);

/* Whether a kernel message reports a problem (BUG, WARNING, stall, a CPU
 * that failed to stop or start, ...). */
int kmsg_line_bad(const char *text);
/* A known Linux warning from outside mm (printed as a note): not a failure. */
int kmsg_known_linux_warning(const char *text);

/*
 * Whether a kernel message is Linux's "HARTn isn't stopped; status 0" or
 * "CPUn may not have stopped".  The dying CPU reports itself dead and only
 * then calls SBI hart_stop, while the CPU taking it down asks the firmware
 * for its status as soon as it is reported dead: on a slow host the query
 * can come first.  Harmless if the CPU can be brought online again.
 */
int kmsg_line_stop_race(const char *text);

/* Reads records until one is kmsg_line_bad(); copies it into line.
 * Returns 1 if one was found, 0 if not. */
int kmsg_find_bad(int fd, char *line, size_t len);

/*
 * One program of a selftest suite (selftest_run.c): argv[0] is its path;
 * it runs in its own process group with stdin on /dev/null, as user uid if
 * uid >= 0, and its group is killed after limit_s seconds.
 */
#define SELFTEST_KILL_WAIT_S 10 /* how long a killed test gets to die */
#define SELFTEST_KSFT_SKIP 4	/* kselftest's exit status for a skip */
struct selftest_result {
	int status;    /* wait status, if it ended */
	int timed_out; /* 1: killed at the limit, 2: and not dead after */
	int wait_err;  /* errno of a failed waitpid */
	int fork_err;  /* errno of a failed fork */
	double secs;   /* how long it ran */
};
void selftest_exec(char *const argv[], long uid, double limit_s,
		   struct selftest_result *r);
/* "PASS" (exit 0), "SKIP" (exit SELFTEST_KSFT_SKIP), "TIMEOUT" or "FAIL";
 * detail gets exit_prefix and the exit status, the signal, or what went
 * wrong. */
const char *selftest_verdict(const struct selftest_result *r, double limit_s,
			     const char *exit_prefix, char *detail, size_t len);
/* Counts of the verdicts of a suite's tests. */
struct selftest_counts {
	int passed, failed, skipped, timed_out;
};
void selftest_count(struct selftest_counts *c, const char *status);

/* Deterministic integer, floating-point and memory work (suite_hotplug.c). */
unsigned long long job_compute(unsigned long long seed);

int suite_demo(void);
/* The attack demo of suite_demo (demo_attack.c); 0 if it showed what the
 * kernel's mode predicts. */
int demo_attack(void);
int suite_basic(void);
int suite_hotplug(void);
int suite_suspend(void);
int suite_trace(void);
int suite_protected(void);
int suite_gluebench(void);
int suite_pmu(void);
int suite_mmselftests(void);
int suite_kvm(void);
int suite_kvmbench(void);
int suite_kvmselftests(void);
/* The protected suite's time limit: longer for secmon.tier=full. */
unsigned protected_timeout_s(void);
int worker_main(int argc, char **argv);
int job_main(int argc, char **argv);

#endif
