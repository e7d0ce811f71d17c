/*
 * Suite "suspend": Linux suspend to RAM ("deep"), which on secmon is SBI
 * SUSP SUSPEND_TO_RAM after Linux has stopped every other hart through HSM.
 *
 * The wake-up source is QEMU virt's goldfish RTC alarm, set through
 * /sys/class/rtc/rtc0/wakealarm (secmon.suspend_wake_s=N seconds ahead,
 * default 4).  That attribute only exists when the RTC's driver declares
 * it can wake the system.  Without it, secmon.suspend_wake=console makes
 * the console UART the wake-up source instead: the host then has to send
 * a byte while the guest sleeps.  Otherwise the cycles report SKIP rather
 * than suspend a machine nothing would wake.
 *
 * Each of SUSPEND_CYCLES cycles checks that writing "mem" to
 * /sys/power/state returns success after the alarm, that the time slept
 * shows on the RTC and in CLOCK_REALTIME/CLOCK_BOOTTIME, that every CPU is
 * back online, and that the kernel logged the suspend entry and exit and
 * the non-boot CPUs going down and up.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/rtc.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "guest.h"

#define SUSPEND_CYCLES 3
#define DEFAULT_WAKE_S 4 /* leaves time to get into suspend first */
#define MAX_WAKE_S 60
#define ALARM_S 2 /* awake alarm test */
#define BUSY_RETRIES 3 /* console wake: a byte may abort the entry */
#define NS_PER_S 1000000000LL
#define NS_PER_MS 1000000LL

#define RTC_DEV "/dev/rtc0"
#define WAKEALARM "/sys/class/rtc/rtc0/wakealarm"
#define CONSOLE_WAKEUP "/sys/class/tty/ttyS0/power/wakeup"

enum wake_kind { WAKE_NONE, WAKE_RTC, WAKE_CONSOLE };

static char reason[256];

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	return 1;
}

static int skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	return SKIPPED;
}

static long long read_counter(const char *path)
{
	char buf[32];

	return read_text(path, buf, sizeof(buf)) > 0 ? atoll(buf) : -1;
}

/* ---- support ------------------------------------------------------------- */

/* The kernel's "SBI specification vX.Y detected" line, for SKIP reasons. */
static void sbi_version_line(char *line, size_t len)
{
	int fd = kmsg_open(0);

	snprintf(line, len, "SBI version unknown");
	if (fd >= 0) {
		kmsg_find(fd, "SBI specification", line, len);
		close(fd);
	}
}

static int test_supported(void)
{
	char state[128] = "", mem_sleep[128] = "", sbi[128];
	int fd, found;

	if (read_text("/sys/power/state", state, sizeof(state)) < 0) {
		return fail(
		    "no /sys/power/state: kernel without CONFIG_SUSPEND");
	}
	if (!strstr(state, "mem")) {
		return fail("/sys/power/state is \"%s\", without \"mem\"",
			    state);
	}
	read_text("/sys/power/mem_sleep", mem_sleep, sizeof(mem_sleep));
	if (!strstr(mem_sleep, "deep")) {
		sbi_version_line(sbi, sizeof(sbi));
		return skip(
		    "no suspend to RAM: /sys/power/mem_sleep is \"%s\" (no SBI SUSP; kernel: %s)",
		    mem_sleep, sbi);
	}
	if (!strstr(mem_sleep, "[deep]") &&
	    write_text("/sys/power/mem_sleep", "deep") < 0) {
		return fail("selecting deep in /sys/power/mem_sleep: %s",
			    strerror(errno));
	}
	fd = kmsg_open(0);
	found =
	    fd >= 0 && kmsg_find(fd, "SBI SUSP extension detected", NULL, 0);
	if (fd >= 0) {
		close(fd);
	}
	if (!found) {
		return fail(
		    "mem_sleep offers deep but the kernel did not log \"SBI SUSP extension detected\"");
	}
	printf("suspend: /sys/power/state \"%s\", mem_sleep \"%s\"\n", state,
	       mem_sleep);
	return 0;
}

/* ---- the RTC ------------------------------------------------------------- */

static int rtc_now(int fd, time_t *out)
{
	struct rtc_time rt;
	struct tm tm;

	if (ioctl(fd, RTC_RD_TIME, &rt) < 0) {
		return -1;
	}
	memset(&tm, 0, sizeof(tm));
	tm.tm_sec = rt.tm_sec;
	tm.tm_min = rt.tm_min;
	tm.tm_hour = rt.tm_hour;
	tm.tm_mday = rt.tm_mday;
	tm.tm_mon = rt.tm_mon;
	tm.tm_year = rt.tm_year;
	*out = timegm(&tm);
	return 0;
}

/* RTC seconds, or -1: the RTC is what measures the sleep independently of
 * the kernel clocks that suspend stops. */
static long long rtc_seconds(void)
{
	int fd = open(RTC_DEV, O_RDONLY | O_CLOEXEC);
	time_t t = -1;

	if (fd >= 0) {
		if (rtc_now(fd, &t) < 0) {
			t = -1;
		}
		close(fd);
	}
	return t;
}

/* The system time was set from the RTC at boot (RTC_HCTOSYS). */
static int test_rtc(void)
{
	long long rtc = rtc_seconds(),
		  sys = clock_ns(CLOCK_REALTIME) / NS_PER_S;

	if (rtc < 0) {
		return fail("cannot read the time from %s: %s", RTC_DEV,
			    strerror(errno));
	}
	if (rtc < sys - 2 || rtc > sys + 2) {
		return fail("RTC says %lld, CLOCK_REALTIME %lld", rtc, sys);
	}
	return 0;
}

static int wait_alarm(int fd, time_t start)
{
	struct rtc_wkalrm alm;
	time_t when = start + ALARM_S;
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	unsigned long data;
	struct tm tm;
	long long t0;
	int n;

	gmtime_r(&when, &tm);
	memset(&alm, 0, sizeof(alm));
	alm.enabled = 1;
	alm.time.tm_sec = tm.tm_sec;
	alm.time.tm_min = tm.tm_min;
	alm.time.tm_hour = tm.tm_hour;
	alm.time.tm_mday = tm.tm_mday;
	alm.time.tm_mon = tm.tm_mon;
	alm.time.tm_year = tm.tm_year;
	if (ioctl(fd, RTC_WKALM_SET, &alm) < 0) {
		return fail("RTC_WKALM_SET: %s", strerror(errno));
	}
	t0 = now_ns();
	n = poll(&pfd, 1, (ALARM_S + 5) * 1000);
	if (n <= 0) {
		return fail("no alarm interrupt within %d s", ALARM_S + 5);
	}
	if (read(fd, &data, sizeof(data)) != sizeof(data) || !(data & RTC_AF)) {
		return fail("reading the alarm event: %s", strerror(errno));
	}
	/* The alarm is at a whole RTC second: 1 to ALARM_S s from now. */
	if (now_ns() - t0 < (ALARM_S - 1) * NS_PER_S - 100 * NS_PER_MS) {
		return fail("alarm came after %lld ms",
			    (now_ns() - t0) / NS_PER_MS);
	}
	return 0;
}

/* An alarm while awake: the RTC interrupt reaches the kernel at all. */
static int test_rtc_alarm(void)
{
	int fd = open(RTC_DEV, O_RDONLY | O_CLOEXEC);
	time_t start;
	int rc;

	if (fd < 0) {
		return fail("open %s: %s", RTC_DEV, strerror(errno));
	}
	if (rtc_now(fd, &start) < 0) {
		rc = fail("RTC_RD_TIME: %s", strerror(errno));
	} else {
		rc = wait_alarm(fd, start);
	}
	ioctl(fd, RTC_AIE_OFF, 0);
	close(fd);
	return rc;
}

/* ---- wake-up source ------------------------------------------------------ */

static int wake_seconds(void)
{
	const char *v = cmdline_get("secmon.suspend_wake_s");
	int n = v ? atoi(v) : 0;

	if (n < 2 || n > MAX_WAKE_S) {
		return DEFAULT_WAKE_S;
	}
	return n;
}

static int choose_wake(enum wake_kind *kind)
{
	const char *want = cmdline_get("secmon.suspend_wake");
	int console = want && strcmp(want, "console") == 0;

	*kind = WAKE_NONE;
	if (!console && access(WAKEALARM, W_OK) == 0) {
		*kind = WAKE_RTC;
		printf("suspend: wake-up source: RTC alarm after %d s\n",
		       wake_seconds());
		return 0;
	}
	if (console) {
		if (write_text(CONSOLE_WAKEUP, "enabled") < 0) {
			return fail("enabling %s: %s", CONSOLE_WAKEUP,
				    strerror(errno));
		}
		*kind = WAKE_CONSOLE;
		printf(
		    "suspend: wake-up source: console input (the host must send a byte)\n");
		return 0;
	}
	return skip(
	    "no %s: the goldfish RTC driver is not a wakeup device (secmon.suspend_wake=console wakes by console input instead)",
	    WAKEALARM);
}

static int arm_wake(enum wake_kind kind)
{
	char rel[16];

	if (kind != WAKE_RTC) {
		return 0;
	}
	snprintf(rel, sizeof(rel), "+%d", wake_seconds());
	/* A pending alarm would make "+N" fail with EBUSY: clear it first. */
	if (write_text(WAKEALARM, "0") < 0 || write_text(WAKEALARM, rel) < 0) {
		return fail("writing %s to %s: %s", rel, WAKEALARM,
			    strerror(errno));
	}
	return 0;
}

/* ---- one cycle ----------------------------------------------------------- */

struct times {
	long long real, boot, mono, rtc;
};

static void take_times(struct times *t)
{
	t->rtc = rtc_seconds();
	t->real = clock_ns(CLOCK_REALTIME);
	t->boot = clock_ns(CLOCK_BOOTTIME);
	t->mono = clock_ns(CLOCK_MONOTONIC);
}

/* What the kernel logged during one cycle. */
struct cycle_log {
	int entry, exit, cpus_down, cpus_up, cpus_back;
	char bad[200];
};

static void scan_cycle_log(int fd, struct cycle_log *l)
{
	char line[1024];
	int cpu;

	memset(l, 0, sizeof(*l));
	while (kmsg_next(fd, line, sizeof(line)) > 0) {
		l->entry |= strstr(line, "PM: suspend entry (deep)") != NULL;
		l->exit |= strstr(line, "PM: suspend exit") != NULL;
		l->cpus_down |= strstr(line, "Disabling non-boot CPUs") != NULL;
		l->cpus_up |= strstr(line, "Enabling non-boot CPUs") != NULL;
		l->cpus_back +=
		    strstr(line, " is up") && sscanf(line, "CPU%d", &cpu) == 1;
		if (!l->bad[0] &&
		    (kmsg_line_bad(line) || strstr(line, "failed to suspend") ||
		     strstr(line, "suspend-to-idle") ||
		     strstr(line, "Abort"))) {
			snprintf(l->bad, sizeof(l->bad), "%.199s", line);
		}
	}
}

static int check_cycle_log(int fd, int ncpu)
{
	struct cycle_log l;

	scan_cycle_log(fd, &l);
	if (l.bad[0]) {
		return fail("kernel logged \"%s\"", l.bad);
	}
	if (!l.entry || !l.exit) {
		return fail("kernel log lacks \"PM: suspend %s\"",
			    l.entry ? "exit" : "entry (deep)");
	}
	if (ncpu > 1 &&
	    (!l.cpus_down || !l.cpus_up || l.cpus_back != ncpu - 1)) {
		return fail(
		    "kernel log: non-boot CPUs down %d, up %d, %d of %d \"CPUn is up\"",
		    l.cpus_down, l.cpus_up, l.cpus_back, ncpu - 1);
	}
	return 0;
}

static int check_elapsed(enum wake_kind kind, const struct times *a,
			 const struct times *b)
{
	long long real = b->real - a->real, boot = b->boot - a->boot;
	long long min_s = wake_seconds() - 1;

	if (kind != WAKE_RTC) {
		return 0;
	}
	/* The alarm is at a whole RTC second, 1 s early at worst; the kernel
	 * adds the time slept in whole RTC seconds, so its clocks may show up
	 * to one more second less. */
	if (a->rtc < 0 || b->rtc < 0 || b->rtc - a->rtc < min_s) {
		return fail("back after %lld s by the RTC, expected >= %lld s",
			    b->rtc - a->rtc, min_s);
	}
	if (real < (min_s - 1) * NS_PER_S || boot < (min_s - 1) * NS_PER_S) {
		return fail(
		    "back after %lld ms by CLOCK_REALTIME, %lld ms by CLOCK_BOOTTIME, "
		    "expected >= %lld s",
		    real / NS_PER_MS, boot / NS_PER_MS, min_s - 1);
	}
	return 0;
}

static int check_cpus_back(const char *online, long ncpu)
{
	char now[128] = "";
	long sc = sysconf(_SC_NPROCESSORS_ONLN);

	read_text("/sys/devices/system/cpu/online", now, sizeof(now));
	if (strcmp(now, online) != 0 || sc != ncpu) {
		return fail(
		    "after resume CPUs online are \"%s\" (sysconf %ld), before \"%s\"",
		    now, sc, online);
	}
	return 0;
}

static void print_cycle(int n, const struct times *a, const struct times *b)
{
	printf(
	    "suspend: cycle %d: back after %lld ms (REALTIME), %lld ms (BOOTTIME), %lld s (RTC), "
	    "%lld ms of it running (MONOTONIC)\n",
	    n, (b->real - a->real) / NS_PER_MS, (b->boot - a->boot) / NS_PER_MS,
	    b->rtc - a->rtc, (b->mono - a->mono) / NS_PER_MS);
	fflush(stdout);
}

/* Writes "mem"; with console wake-up a byte arriving during the entry
 * aborts it with EBUSY, which is retried. */
static int enter_suspend(enum wake_kind kind)
{
	for (int tries = 0;; tries++) {
		if (write_text("/sys/power/state", "mem") == 0) {
			return 0;
		}
		if (errno != EBUSY || kind != WAKE_CONSOLE ||
		    tries >= BUSY_RETRIES) {
			return fail("writing \"mem\" to /sys/power/state: %s",
				    strerror(errno));
		}
	}
}

static int suspend_cycle(int n, enum wake_kind kind, const char *online,
			 long ncpu)
{
	long long ok0 = read_counter("/sys/power/suspend_stats/success"), ok1;
	struct times a, b;
	int kfd = kmsg_open(1), rc;

	if (kfd < 0) {
		return fail("cannot open /dev/kmsg");
	}
	printf("suspend: cycle %d: suspending to RAM\n", n);
	fflush(stdout);
	rc = arm_wake(kind);
	if (!rc) {
		take_times(&a);
		rc = enter_suspend(kind);
		take_times(&b);
	}
	if (!rc) {
		print_cycle(n, &a, &b);
		rc = check_elapsed(kind, &a, &b);
	}
	if (!rc) {
		rc = check_cpus_back(online, ncpu);
	}
	ok1 = read_counter("/sys/power/suspend_stats/success");
	if (!rc && ok1 != ok0 + 1) {
		rc = fail("suspend_stats/success went from %lld to %lld", ok0,
			  ok1);
	}
	if (!rc) {
		rc = check_cycle_log(kfd, (int)ncpu);
	}
	close(kfd);
	return rc;
}

/* ---- a load that must survive -------------------------------------------- */

static _Atomic int spin_stop;
static unsigned long long spin_jobs, spin_errors;

/* Frozen and thawed around each suspend; a result changed by lost state
 * across the hart's non-retentive suspend counts as an error. */
static void *spinner(void *arg)
{
	unsigned long long want = job_compute(42);

	(void)arg;
	while (!atomic_load(&spin_stop)) {
		spin_errors += job_compute(42) != want;
		spin_jobs++;
	}
	return NULL;
}

/* ---- the suite ----------------------------------------------------------- */

static void record(struct tally *t, const char *name, int rc)
{
	tally_record(t, name, rc, reason);
	reason[0] = '\0';
}

/* Runs the cycles, or reports them skipped for why_not. */
static int run_cycles(struct tally *t, enum wake_kind kind, const char *why_not)
{
	char online[128] = "", name[32];
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int ran = 0;

	read_text("/sys/devices/system/cpu/online", online, sizeof(online));
	for (int i = 1; i <= SUSPEND_CYCLES; i++) {
		snprintf(name, sizeof(name), "suspend_cycle%d", i);
		if (why_not) {
			record(t, name, skip("%s", why_not));
			continue;
		}
		record(t, name, suspend_cycle(i, kind, online, ncpu));
		ran++;
	}
	return ran;
}

/* Returns NULL if the cycles can run, else why they cannot. */
static const char *prepare(struct tally *t, enum wake_kind *kind)
{
	int rc = test_supported();

	record(t, "suspend_supported", rc);
	if (rc) {
		return "no suspend to RAM (see suspend_supported)";
	}
	rc = choose_wake(kind);
	record(t, "suspend_wake_source", rc);
	return rc ? "no usable wake-up source (see suspend_wake_source)" : NULL;
}

static int check_spinner(int spinning, int ran)
{
	if (!spinning) {
		return fail("pthread_create failed");
	}
	if (!ran) {
		return skip("no suspend cycle ran");
	}
	if (spin_errors) {
		return fail("%llu of %llu jobs wrong", spin_errors, spin_jobs);
	}
	return 0;
}

static int kernel_log_clean(int kfd)
{
	char line[256];

	if (kfd < 0) {
		return fail("cannot open /dev/kmsg");
	}
	if (kmsg_find_bad(kfd, line, sizeof(line))) {
		return fail("kernel logged \"%s\"", line);
	}
	return 0;
}

int suite_suspend(void)
{
	struct tally t = {0};
	enum wake_kind kind = WAKE_NONE;
	const char *why_not;
	pthread_t spin;
	int kfd = kmsg_open(1), spinning, ran;

	reason[0] = '\0';
	record(&t, "suspend_rtc", test_rtc());
	record(&t, "suspend_rtc_alarm", test_rtc_alarm());
	why_not = prepare(&t, &kind);
	spinning = pthread_create(&spin, NULL, spinner, NULL) == 0;
	ran = run_cycles(&t, kind, why_not);
	atomic_store(&spin_stop, 1);
	if (spinning) {
		pthread_join(spin, NULL);
	}
	record(&t, "suspend_load_survived", check_spinner(spinning, ran));
	record(&t, "suspend_kernel_log", kernel_log_clean(kfd));
	return tally_finish(&t, "suspend");
}
