/*
 * Suite "pmu": Linux's perf, through the SBI PMU extension, counts what a
 * program does. Run under QEMU -icount shift=0 on one hart (test/qemu),
 * where an instruction is a known quantity: a user loop of N instructions
 * must count N within 1%. Also counts cycles, and a firmware event
 * through perf's raw encoding (bits 63:62 = 2: an SBI firmware event):
 * secmon's page-table ABI calls, which touching fresh pages must make on
 * a protected kernel.
 *
 * Prints a perf-stat-like table and "PMU-STAT name value" lines.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/perf_event.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "guest.h"

#define LOOP_ITERATIONS 5000000UL
#define LOOP_INSNS (2 * LOOP_ITERATIONS) /* addi, bnez */
#define TOUCH_PAGES 64
/* perf's raw config for an SBI firmware event (drivers/perf/riscv_pmu_sbi.c) */
#define RAW_SBI_FW(code) (2ULL << 62 | (code))
#define SECMON_FW_PTM_ANY 0x110 /* docs/abi.md "PMU" */
#define SBI_FW_SET_TIMER 5

/* Without Sscofpmf Linux's SBI PMU driver cannot filter by mode
 * (PERF_PMU_CAP_NO_EXCLUDE): every event counts user, kernel and monitor
 * alike, so none asks to exclude anything. */
static int open_counter(uint32_t type, uint64_t config)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = type;
	a.config = config;
	a.disabled = 1;
	return (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
}

static void counted_loop(void)
{
	unsigned long n = LOOP_ITERATIONS;

	__asm__ volatile("1: addi %0, %0, -1\n\tbnez %0, 1b" : "+r"(n)::"memory");
}

/* Enable fd, run work, disable; returns the count or -1. */
static long long measure(int fd, void (*work)(void))
{
	long long v = -1;

	ioctl(fd, PERF_EVENT_IOC_RESET, 0);
	ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
	work();
	ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
	if (read(fd, &v, sizeof(v)) != sizeof(v))
		return -1;
	return v;
}

static void touch_pages(void)
{
	size_t len = TOUCH_PAGES * 4096UL;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return;
	for (size_t i = 0; i < len; i += 4096)
		p[i] = 1;
	munmap(p, len);
}

static void report(struct tally *t, const char *name, int ok, const char *fmt,
		   long long a, long long b)
{
	char why[160];

	snprintf(why, sizeof(why), fmt, a, b);
	tally_record(t, name, ok ? 0 : 1, why);
}

int suite_pmu(void)
{
	struct tally t = { 0 };
	long long insns, cycles, ptm, timer;
	int fi, fc, fp, ft;

	fi = open_counter(PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS);
	fc = open_counter(PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES);
	fp = open_counter(PERF_TYPE_RAW, RAW_SBI_FW(SECMON_FW_PTM_ANY));
	ft = open_counter(PERF_TYPE_RAW, RAW_SBI_FW(SBI_FW_SET_TIMER));
	report(&t, "pmu/perf-event-open",
	       fi >= 0 && fc >= 0 && fp >= 0 && ft >= 0,
	       "instructions fd %lld, cycles fd %lld (and two raw events)",
	       (long long)fi, (long long)fc);
	if (fi < 0 || fc < 0 || fp < 0 || ft < 0) {
		printf("pmu: perf_event_open: %s\n", strerror(errno));
		return tally_finish(&t, "pmu");
	}
	insns = measure(fi, counted_loop);
	cycles = measure(fc, counted_loop);
	ptm = measure(fp, touch_pages);
	timer = measure(ft, touch_pages);
	printf("\n Performance counter stats (perf_event_open, one hart, "
	       "icount):\n\n");
	printf("  %14lld      instructions     (a %lu-instruction loop)\n",
	       insns, LOOP_INSNS);
	printf("  %14lld      cycles           (the same loop)\n", cycles);
	printf("  %14lld      r8000000000000110 (secmon page-table calls, "
	       "%d pages touched)\n",
	       ptm, TOUCH_PAGES);
	printf("  %14lld      r8000000000000005 (SBI set_timer, same work)\n\n",
	       timer);
	printf("PMU-STAT instructions %lld\nPMU-STAT cycles %lld\n"
	       "PMU-STAT ptm-calls %lld\nPMU-STAT set-timer %lld\n",
	       insns, cycles, ptm, timer);
	report(&t, "pmu/instructions-within-1-percent",
	       insns >= (long long)LOOP_INSNS &&
		       insns <= (long long)(LOOP_INSNS + LOOP_INSNS / 100),
	       "counted %lld for %lld", insns, (long long)LOOP_INSNS);
	/* Under icount QEMU's cycle counter is the instruction count. */
	report(&t, "pmu/cycles-plausible",
	       cycles >= (long long)LOOP_INSNS &&
		       cycles <= (long long)(LOOP_INSNS + LOOP_INSNS / 100),
	       "counted %lld for %lld instructions", cycles,
	       (long long)LOOP_INSNS);
	/* A fault per page, and a PTE_SET (or a BATCH entry) each. */
	report(&t, "pmu/firmware-event-ptm-calls", ptm >= TOUCH_PAGES,
	       "counted %lld page-table calls for %lld pages", ptm,
	       TOUCH_PAGES);
	report(&t, "pmu/firmware-event-readable", timer >= 0,
	       "set_timer count %lld (%lld)", timer, 0);
	close(fi);
	close(fc);
	close(fp);
	close(ft);
	return tally_finish(&t, "pmu");
}
