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
