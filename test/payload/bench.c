// SPDX-License-Identifier: BSD-2-Clause
/*
 * Instruction counts per SBI call, for tools/bench. Run on one hart with
 * QEMU -icount shift=0: instret is then QEMU's instruction counter, which
 * includes the firmware's instructions, so (delta / N) is the whole cost
 * of one call as the OS sees it, loop overhead included (the same on every
 * firmware measured).
 */
#include "payload.h"

#define BENCH_CALLS 100000UL

static unsigned long read_instret(void)
{
	unsigned long v;

	__asm__ volatile("rdinstret %0" : "=r"(v));
	return v;
}

static void report(const char *name, unsigned long before, unsigned long after)
{
	unsigned long d = after - before;

	pl_printf("bench %s: %lu calls, %lu instructions, %lu.%02lu per call\n",
		  name, BENCH_CALLS, d, d / BENCH_CALLS,
		  (d % BENCH_CALLS) * 100 / BENCH_CALLS);
}

static void bench_base(void)
{
	unsigned long t0 = read_instret();

	for (unsigned long i = 0; i < BENCH_CALLS; i++) {
		SBI0(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION);
	}
	report("base-get-spec-version", t0, read_instret());
}

static void bench_ipi_empty(void)
{
	unsigned long t0 = read_instret();

	for (unsigned long i = 0; i < BENCH_CALLS; i++) {
		SBI2(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 0, 0);
	}
	report("ipi-send-empty-mask", t0, read_instret());
}

static void bench_rfence_self(void)
{
	unsigned long mask = 1UL << pl_env.boot_hartid;
	unsigned long t0 = read_instret();

	for (unsigned long i = 0; i < BENCH_CALLS; i++) {
		SBI5(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA, mask, 0, 0x10000,
		     0x1000, 0);
	}
	report("rfence-sfence-vma-self-1-page", t0, read_instret());
}

static void bench_set_timer(void)
{
	unsigned long t0 = read_instret();

	for (unsigned long i = 0; i < BENCH_CALLS; i++) {
		SBI1(SBI_EXT_TIME, SBI_TIME_SET_TIMER, ~0UL - i);
	}
	report("time-set-timer", t0, read_instret());
}

static void bench_empty_loop(void)
{
	unsigned long t0 = read_instret();

	for (unsigned long i = 0; i < BENCH_CALLS; i++) {
		__asm__ volatile("" ::: "memory");
	}
	report("empty-loop (overhead)", t0, read_instret());
}

void pl_bench(void)
{
	bench_empty_loop();
	bench_base();
	bench_ipi_empty();
	bench_rfence_self();
	bench_set_timer();
}

/*
 * secmon.payload=fences: what a request to every hart costs as the hart
 * count grows. Every other hart is started into pl_park_entry (wfi with
 * S interrupts off), so each call's work is the caller's trap and wait
 * and each target's trap, fence and acknowledgement. Wall time (rdtime,
 * no -icount: under icount QEMU runs one hart at a time and a waiting
 * hart spins out its whole time slice), and on the profile build the
 * monitor's traps on every hart, which are exact.
 */
#define FENCE_CALLS 200UL

extern char pl_park_entry[];

static void park_others(void)
{
	for (unsigned long h = 0; h < pl_env.nharts; h++) {
		if (h == pl_env.boot_hartid) {
			continue;
		}
		CHECK_EQ(SBI3(SBI_EXT_HSM, SBI_HSM_HART_START, h,
			      (unsigned long)pl_park_entry, 0)
			     .error,
			 0, "fences/start-hart");
		while (SBI1(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, h).value !=
		       SBI_HSM_STATE_STARTED) {
		}
	}
}

/* The profile build's trap count, all harts (0 elsewhere). */
static unsigned long monitor_entries(void)
{
	struct sbiret r =
	    SBI1(SECMON_EXT_PTM, SECMON_PTM_INFO, SECMON_INFO_MONITOR_ENTRIES);

	return r.error ? 0 : r.value;
}

static void fence_round(const char *name, unsigned long fid, unsigned long mask,
			unsigned long base)
{
	unsigned long e0 = monitor_entries();
	unsigned long t0 = pl_read_time();
	long err = 0;

	for (unsigned long i = 0; i < FENCE_CALLS; i++) {
		err |= SBI5(SBI_EXT_RFENCE, fid, mask, base, 0, -1UL, 0).error;
	}
	t0 = pl_read_time() - t0;
	e0 = monitor_entries() - e0;
	CHECK_EQ(err, 0, "fences/call-succeeded");
	pl_printf("fences %s harts %lu: %lu calls in %lu us, %lu monitor "
		  "entries\n",
		  name, pl_env.nharts, FENCE_CALLS,
		  t0 * 1000000 / pl_env.timebase_hz, e0);
}

void pl_bench_fences(void)
{
	unsigned long last = pl_env.nharts - 1;

	park_others();
	fence_round("sfence-vma-all", SBI_RFENCE_SFENCE_VMA, 0, -1UL);
	fence_round("fence-i-all", SBI_RFENCE_FENCE_I, 0, -1UL);
	/* One target, the highest hartid: its cost should not grow. */
	fence_round("sfence-vma-one", SBI_RFENCE_SFENCE_VMA, 1, last);
	pl_finish();
}
