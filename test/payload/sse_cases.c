// SPDX-License-Identifier: BSD-2-Clause
/*
 * SSE from S-mode: register, enable, inject and take events on the real
 * trap path (the handler is pl_sse_handler in entry.S), masking, one-shot
 * events, the global event, and every error SBI v3.0 §17 lists.
 */
#include "payload.h"

#define SSE SBI_EXT_SSE
#define LOCAL_SW 0xffff0000UL
#define GLOBAL_SW 0xffff8000UL
#define A_STATUS 0
#define A_PRIORITY 1
#define A_CONFIG 2
#define A_PREFERRED_HART 3
#define A_ENTRY_PC 4
#define A_INTERRUPTED_SEPC 6

static struct pl_sse_record rec;
static unsigned long attrs[10];

static long sse1(unsigned long fid, unsigned long a)
{
	return SBI1(SSE, fid, a).error;
}

static long read_attrs(unsigned long id, unsigned long base,
		       unsigned long count, unsigned long buf)
{
	return SBI5(SSE, 0, id, base, count, buf, 0).error;
}

static long write_attr(unsigned long id, unsigned long attr,
		       unsigned long value)
{
	attrs[0] = value;
	return SBI5(SSE, 1, id, attr, 1, (unsigned long)attrs, 0).error;
}

static unsigned long status(unsigned long id)
{
	attrs[0] = ~0UL;
	read_attrs(id, A_STATUS, 1, (unsigned long)attrs);
	return attrs[0];
}

static void sse_errors(void)
{
	unsigned long buf = (unsigned long)attrs;
	unsigned long h = (unsigned long)pl_sse_handler;

	CHECK_EQ(read_attrs(2, 0, 1, buf), SBI_ERR_INVALID_PARAM,
		 "sse/read/reserved-event");
	CHECK_EQ(read_attrs(0x4000, 0, 1, buf), SBI_ERR_INVALID_PARAM,
		 "sse/read/platform-event");
	CHECK_EQ(read_attrs(0, 0, 1, buf), SBI_ERR_NOT_SUPPORTED,
		 "sse/read/ras-not-supported");
	CHECK_EQ(read_attrs(LOCAL_SW, 0, 0, buf), SBI_ERR_INVALID_PARAM,
		 "sse/read/count-zero");
	CHECK_EQ(read_attrs(LOCAL_SW, 8, 3, buf), SBI_ERR_BAD_RANGE,
		 "sse/read/reserved-attr");
	CHECK_EQ(read_attrs(LOCAL_SW, 0xffffffff, 2, buf), SBI_ERR_BAD_RANGE,
		 "sse/read/attr-range-wraps");
	CHECK_EQ(read_attrs(LOCAL_SW, 0, 1, pl_env.mon_base),
		 SBI_ERR_INVALID_ADDRESS, "sse/read/monitor-buffer");
	CHECK_EQ(read_attrs(LOCAL_SW, 0, 1, buf + 4), SBI_ERR_INVALID_ADDRESS,
		 "sse/read/misaligned-buffer");
	CHECK_EQ(SBI5(SSE, 0, LOCAL_SW, 0, 1, buf, 1).error,
		 SBI_ERR_INVALID_ADDRESS, "sse/read/high-half");
	CHECK_EQ(write_attr(LOCAL_SW, A_STATUS, 0), SBI_ERR_DENIED,
		 "sse/write/status-read-only");
	CHECK_EQ(write_attr(LOCAL_SW, A_ENTRY_PC, h), SBI_ERR_DENIED,
		 "sse/write/entry-pc-read-only");
	CHECK_EQ(write_attr(LOCAL_SW, A_PREFERRED_HART, 0), SBI_ERR_DENIED,
		 "sse/write/local-preferred-hart");
	CHECK_EQ(write_attr(LOCAL_SW, A_PRIORITY, 1UL << 32),
		 SBI_ERR_INVALID_PARAM, "sse/write/priority-too-wide");
	CHECK_EQ(write_attr(LOCAL_SW, A_CONFIG, 2), SBI_ERR_INVALID_PARAM,
		 "sse/write/config-reserved-bit");
	CHECK_EQ(write_attr(LOCAL_SW, A_INTERRUPTED_SEPC, 0),
		 SBI_ERR_INVALID_STATE, "sse/write/interrupted-not-running");
	CHECK_EQ(write_attr(GLOBAL_SW, A_PREFERRED_HART, 4096),
		 SBI_ERR_INVALID_PARAM, "sse/write/no-such-hart");
	CHECK_EQ(SBI5(SSE, 1, LOCAL_SW, 10, 1, buf, 0).error, SBI_ERR_BAD_RANGE,
		 "sse/write/reserved-attr");
	CHECK_EQ(SBI3(SSE, 2, LOCAL_SW, h + 1, 0).error, SBI_ERR_INVALID_PARAM,
		 "sse/register/odd-pc");
	CHECK_EQ(SBI3(SSE, 2, LOCAL_SW, pl_env.mon_base, 0).error,
		 SBI_ERR_INVALID_PARAM, "sse/register/pc-in-monitor");
	CHECK_EQ(SBI3(SSE, 2, 0x8000, h, 0).error, SBI_ERR_NOT_SUPPORTED,
		 "sse/register/ras-not-supported");
	CHECK_EQ(sse1(3, LOCAL_SW), SBI_ERR_INVALID_STATE,
		 "sse/unregister/unused");
	CHECK_EQ(sse1(4, LOCAL_SW), SBI_ERR_INVALID_STATE, "sse/enable/unused");
	CHECK_EQ(sse1(5, LOCAL_SW), SBI_ERR_INVALID_STATE,
		 "sse/disable/unused");
	CHECK_EQ(SBI2(SSE, 7, LOCAL_SW, 4096).error, SBI_ERR_INVALID_PARAM,
		 "sse/inject/no-such-hart");
	CHECK_EQ(SBI2(SSE, 7, 5, 0).error, SBI_ERR_INVALID_PARAM,
		 "sse/inject/reserved-event");
	CHECK_EQ(sse1(9, 0), SBI_ERR_ALREADY_STOPPED, "sse/mask/already");
	CHECK_EQ(SBI0(SSE, 10).error, SBI_ERR_NOT_SUPPORTED, "sse/unknown-fid");
	/* No event runs: complete is a plain call. */
	CHECK_EQ(SBI0(SSE, 6).error, 0, "sse/complete/nothing-running");
}

static void sse_delivery(void)
{
	unsigned long self = pl_env.boot_hartid,
		      h = (unsigned long)pl_sse_handler;
	struct sbiret r;

	r = SBI3(SSE, 2, LOCAL_SW, h, (unsigned long)&rec);
	CHECK_EQ(r.error, 0, "sse/register");
	CHECK_EQ(SBI3(SSE, 2, LOCAL_SW, h, 0).error, SBI_ERR_INVALID_STATE,
		 "sse/register/twice");
	CHECK_EQ(status(LOCAL_SW), 1 | 1UL << 3, "sse/status/registered");
	CHECK_EQ(sse1(4, LOCAL_SW), 0, "sse/enable");
	CHECK_EQ(sse1(8, 0), 0, "sse/unmask");
	CHECK_EQ(sse1(8, 0), SBI_ERR_ALREADY_STARTED, "sse/unmask/already");
	r = SBI2(SSE, 7, LOCAL_SW, self);
	/* The event ran on the way back from inject, then resumed here. */
	CHECK_EQ(r.error, 0, "sse/inject/result-kept");
	CHECK_EQ(rec.count, 1, "sse/delivered");
	CHECK_EQ(rec.hart, self, "sse/a6-is-hart-id");
	CHECK(rec.sepc > (unsigned long)sse_delivery &&
		  rec.sepc < (unsigned long)sse_delivery + 4096,
	      "sse/interrupted-pc-after-inject");
	CHECK_EQ(status(LOCAL_SW), 2 | 1UL << 3, "sse/status/enabled-again");

	CHECK_EQ(sse1(9, 0), 0, "sse/mask");
	SBI2(SSE, 7, LOCAL_SW, self);
	CHECK_EQ(rec.count, 1, "sse/masked-not-delivered");
	CHECK_EQ(status(LOCAL_SW), 2 | 1UL << 2 | 1UL << 3,
		 "sse/status/pending");
	CHECK_EQ(sse1(8, 0), 0, "sse/unmask-delivers");
	CHECK_EQ(rec.count, 2, "sse/delivered-after-unmask");

	CHECK_EQ(sse1(5, LOCAL_SW), 0, "sse/disable");
	CHECK_EQ(write_attr(LOCAL_SW, A_CONFIG, 1), 0, "sse/config-one-shot");
	CHECK_EQ(write_attr(LOCAL_SW, A_PRIORITY, 7), 0, "sse/priority");
	CHECK_EQ(sse1(4, LOCAL_SW), 0, "sse/enable-one-shot");
	CHECK_EQ(write_attr(LOCAL_SW, A_PRIORITY, 1), SBI_ERR_INVALID_STATE,
		 "sse/write/priority-when-enabled");
	SBI2(SSE, 7, LOCAL_SW, self);
	CHECK_EQ(rec.count, 3, "sse/one-shot-delivered");
	CHECK_EQ(status(LOCAL_SW), 1 | 1UL << 3, "sse/one-shot-registered");
	CHECK_EQ(sse1(3, LOCAL_SW), 0, "sse/unregister");

	CHECK_EQ(SBI3(SSE, 2, GLOBAL_SW, h, (unsigned long)&rec).error, 0,
		 "sse/global/register");
	CHECK_EQ(write_attr(GLOBAL_SW, A_PREFERRED_HART, self), 0,
		 "sse/global/preferred-hart");
	CHECK_EQ(sse1(4, GLOBAL_SW), 0, "sse/global/enable");
	CHECK_EQ(SBI2(SSE, 7, GLOBAL_SW, 12345).error, 0,
		 "sse/global/inject-ignores-hart");
	CHECK_EQ(rec.count, 4, "sse/global/delivered");
	CHECK_EQ(sse1(5, GLOBAL_SW), 0, "sse/global/disable");
	CHECK_EQ(sse1(3, GLOBAL_SW), 0, "sse/global/unregister");
	CHECK_EQ(sse1(9, 0), 0, "sse/mask-at-end");
}

#define PMU_OVERFLOW 0x10000UL
#define EV_INSNS 2UL

static struct pl_sse_record overflow_rec;

/* Spin long enough for a counter started 20000 short of wrapping. */
static void spin(void)
{
	unsigned long n = 1000000;

	__asm__ volatile("1: addi %0, %0, -1\n\tbnez %0, 1b"
			 : "+r"(n)::"memory");
}

/* The local PMU overflow event: Sscofpmf's interrupt, delivered as SSE
 * (test/qemu runs this payload with sscofpmf=on and secmon.sscofpmf). */
static void sse_pmu_overflow(void)
{
	unsigned long self = pl_env.boot_hartid;
	unsigned long h = (unsigned long)pl_sse_handler;
	struct sbiret r;
	unsigned int i;

	if (!pl_bootargs_has("secmon.sscofpmf")) {
		CHECK_EQ(read_attrs(PMU_OVERFLOW, 0, 1, (unsigned long)attrs),
			 SBI_ERR_NOT_SUPPORTED,
			 "sse/pmu-overflow-not-supported-without-sscofpmf");
		return;
	}
	r = SBI3(SSE, 2, PMU_OVERFLOW, h, (unsigned long)&overflow_rec);
	CHECK_EQ(r.error, 0, "sse/pmu-overflow/register");
	CHECK_EQ(status(PMU_OVERFLOW), 1, "sse/pmu-overflow/not-injectable");
	/* One-shot: QEMU may raise the interrupt again while the counter
	 * runs on; the first one is the test. */
	CHECK_EQ(write_attr(PMU_OVERFLOW, A_CONFIG, 1), 0,
		 "sse/pmu-overflow/one-shot");
	CHECK_EQ(sse1(4, PMU_OVERFLOW), 0, "sse/pmu-overflow/enable");
	CHECK_EQ(SBI2(SSE, 7, PMU_OVERFLOW, self).error, SBI_ERR_INVALID_PARAM,
		 "sse/pmu-overflow/inject-refused");
	CHECK_EQ(sse1(8, 0), 0, "sse/pmu-overflow/unmask");
	r = SBI5(SBI_EXT_PMU, SBI_PMU_COUNTER_CFG_MATCH, 3, 1, 0, EV_INSNS, 0);
	CHECK_EQ(r.value, 3, "sse/pmu-overflow/counter");
	r = sbi_ecall(SBI_EXT_PMU, SBI_PMU_COUNTER_START, 3, 1,
		      SBI_PMU_START_SET_INIT_VALUE, -20000UL, 0, 0);
	CHECK_EQ(r.error, 0, "sse/pmu-overflow/start-near-wrap");
	/* QEMU 7.2 raises the overflow from a timer on its virtual clock,
	 * some time after the wrap: wait for it, boundedly. */
	for (i = 0; i < 1000 && !overflow_rec.count; i++) {
		spin();
	}
	pl_printf("payload: sse: overflow delivered after %u spins, counter "
		  "0x%lx\n",
		  i, pl_probe_csrr_hpm3());
	CHECK_EQ(overflow_rec.count, 1, "sse/pmu-overflow/delivered");
	CHECK_EQ(overflow_rec.hart, self, "sse/pmu-overflow/hart");
	CHECK_EQ(
	    SBI3(SBI_EXT_PMU, SBI_PMU_COUNTER_STOP, 3, 1, SBI_PMU_STOP_RESET)
		.error,
	    0, "sse/pmu-overflow/stop");
	CHECK_EQ(status(PMU_OVERFLOW), 1, "sse/pmu-overflow/registered-again");
	CHECK_EQ(sse1(3, PMU_OVERFLOW), 0, "sse/pmu-overflow/unregister");
	CHECK_EQ(sse1(9, 0), 0, "sse/pmu-overflow/mask");
}

void suite_sse(void)
{
	CHECK_EQ(SBI1(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, SSE).value, 1,
		 "sse/probe");
	sse_errors();
	sse_delivery();
	sse_pmu_overflow();
}
