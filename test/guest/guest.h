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

/* Returns the value of KEY=value on the kernel command line, or NULL. */
const char *cmdline_get(const char *key);

/* Number of CPUs listed in /sys/devices/system/cpu/online, or -1. */
int sysfs_online_cpus(char *text, size_t len);

/* Reads a whole small file into buf (NUL-terminated, trailing newline
 * removed).  Returns the length or -1. */
int read_text(const char *path, char *buf, size_t len);

/* Monotonic clock in nanoseconds. */
long long now_ns(void);

int suite_demo(void);
int suite_basic(void);
int worker_main(int argc, char **argv);

#endif
