// SPDX-License-Identifier: BSD-2-Clause
/*
 * The PMU extension from S-mode, on the real trap path: the counters
 * QEMU virt gives, the firmware events, the snapshot page, event_get_info,
 * and every error SBI v3.0 §11 lists for each function. With
 * secmon.pmu_exact on the command line (QEMU -icount shift=0) the
 * instruction counter must match a loop of known length within 1%.
 */
#include <secmon/abi.h>

#include "payload.h"

#define PMU SBI_EXT_PMU
#define EV_CYCLES SBI_PMU_EVENT(SBI_PMU_TYPE_HW, SBI_PMU_HW_CPU_CYCLES)
#define EV_INSNS SBI_PMU_EVENT(SBI_PMU_TYPE_HW, SBI_PMU_HW_INSTRUCTIONS)
#define EV_FW(code) SBI_PMU_EVENT(SBI_PMU_TYPE_FW, (code))
#define EV_DTLB_READ_MISS 0x10019 /* cache event QEMU virt maps */
#define PMU_FW_COUNTERS_MIN 16 /* what secmon offers */
#define LOOP_ITERATIONS 1000000UL
#define LOOP_INSNS_PER_ITERATION 2UL /* addi, bnez */

static unsigned long nctr, first_fw;
static uint64_t snap[512] __attribute__((aligned(4096)));
static uint32_t info_buf[4 * 8] __attribute__((aligned(16)));

static struct sbiret cfg_match(unsigned long base, unsigned long mask,
			       unsigned long flags, unsigned long ev,
			       unsigned long data)
{
	return SBI5(PMU, SBI_PMU_COUNTER_CFG_MATCH, base, mask, flags, ev,
		    data);
}

static struct sbiret start(unsigned long base, unsigned long mask,
			   unsigned long flags, unsigned long v)
{
	return sbi_ecall(PMU, SBI_PMU_COUNTER_START, base, mask, flags, v, 0,
			 0);
}

static struct sbiret stop(unsigned long base, unsigned long mask,
			  unsigned long flags)
{
	return SBI3(PMU, SBI_PMU_COUNTER_STOP, base, mask, flags);
}

static unsigned long fw_read(unsigned long idx)
{
	return SBI1(PMU, SBI_PMU_COUNTER_FW_READ, idx).value;
}

static void counted_loop(void)
{
	unsigned long n = LOOP_ITERATIONS;

	__asm__ volatile("1: addi %0, %0, -1\n\tbnez %0, 1b"
			 : "+r"(n)::"memory");
}

static void pmu_info(void)
{
	struct sbiret r;

	r = SBI1(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, PMU);
	CHECK_EQ(r.value, 1, "pmu/probe");
	r = SBI0(PMU, SBI_PMU_NUM_COUNTERS);
	nctr = r.value;
	CHECK(r.error == 0 && nctr >= 3 + PMU_FW_COUNTERS_MIN,
	      "pmu/num-counters");
	r = SBI1(PMU, SBI_PMU_COUNTER_GET_INFO, 0);
	CHECK_EQ(r.value, 0xC00 | 63UL << 12, "pmu/info/cycle-csr-width");
	r = SBI1(PMU, SBI_PMU_COUNTER_GET_INFO, 2);
	CHECK_EQ(r.value, 0xC02 | 63UL << 12, "pmu/info/instret");
	r = SBI1(PMU, SBI_PMU_COUNTER_GET_INFO, 3);
	CHECK_EQ(r.value & 0xfff, 0xC03, "pmu/info/hpmcounter3");
	r = SBI1(PMU, SBI_PMU_COUNTER_GET_INFO, 1);
	CHECK_EQ(r.error, SBI_ERR_INVALID_PARAM, "pmu/info/time-not-a-counter");
	r = SBI1(PMU, SBI_PMU_COUNTER_GET_INFO, nctr);
	CHECK_EQ(r.error, SBI_ERR_INVALID_PARAM, "pmu/info/past-the-last");
	r = SBI1(PMU, SBI_PMU_COUNTER_GET_INFO, -1UL);
	CHECK_EQ(r.error, SBI_ERR_INVALID_PARAM, "pmu/info/huge-index");
	for (first_fw = 3; first_fw < nctr; first_fw++) {
		r = SBI1(PMU, SBI_PMU_COUNTER_GET_INFO, first_fw);
		if (!r.error && (unsigned long)r.value >> 63) {
			break;
		}
	}
	CHECK_EQ(nctr - first_fw, PMU_FW_COUNTERS_MIN, "pmu/info/fw-counters");
	r = SBI1(PMU, SBI_PMU_COUNTER_GET_INFO, nctr - 1);
	CHECK_EQ((unsigned long)r.value >> 63, 1, "pmu/info/last-is-firmware");
}

static void pmu_match_errors(void)
{
	struct sbiret r;

	r = cfg_match(0, 1, 1UL << 8, EV_CYCLES, 0);
	CHECK_EQ(r.error, SBI_ERR_INVALID_PARAM, "pmu/match/reserved-flag");
	r = cfg_match(1, 1, 0, EV_CYCLES, 0);
	CHECK_EQ(r.error, SBI_ERR_INVALID_PARAM, "pmu/match/time-in-set");
	r = cfg_match(nctr - 1, 3, 0, EV_FW(SBI_PMU_FW_SET_TIMER), 0);
	CHECK_EQ(r.error, SBI_ERR_INVALID_PARAM, "pmu/match/past-the-last");
	r = cfg_match(-1UL, 2, 0, EV_CYCLES, 0);
	CHECK_EQ(r.error, SBI_ERR_INVALID_PARAM, "pmu/match/index-wraps");
	r = cfg_match(0, 5, 0, SBI_PMU_EVENT(SBI_PMU_TYPE_HW, 0), 0);
	CHECK_EQ(r.error, SBI_ERR_NOT_SUPPORTED, "pmu/match/no-event");
	r = cfg_match(0, 5, 0, SBI_PMU_EVENT(SBI_PMU_TYPE_RAW_V2, 0), 0x1234);
	CHECK_EQ(r.error, SBI_ERR_NOT_SUPPORTED, "pmu/match/raw-unmapped");
	r = cfg_match(first_fw, 1, 0, EV_CYCLES, 0);
	CHECK_EQ(r.error, SBI_ERR_NOT_SUPPORTED, "pmu/match/cycles-on-fw");
	r = cfg_match(first_fw, 1, 0, EV_FW(SBI_PMU_FW_SET_TIMER), 1);
	CHECK_EQ(r.error, SBI_ERR_NOT_SUPPORTED, "pmu/match/fw-event-data");
	r = cfg_match(first_fw, 1, 0, EV_FW(SBI_PMU_FW_PLATFORM), 7);
	CHECK_EQ(r.error, SBI_ERR_NOT_SUPPORTED, "pmu/match/platform-fw");
	r = cfg_match(first_fw, 1, 0, EV_FW(22), 0);
	CHECK_EQ(r.error, SBI_ERR_NOT_SUPPORTED, "pmu/match/reserved-fw");
	r = cfg_match(0, 1, 0, 1UL << 20 | EV_CYCLES, 0);
	CHECK_EQ(r.error, SBI_ERR_NOT_SUPPORTED, "pmu/match/event-idx-bit20");
}

/* Hardware counters: cycle on mcycle, instructions on an hpmcounter. */
static void pmu_hardware(void)
{
	unsigned long before, after, hpm, got;
	struct sbiret r;

	r = cfg_match(0, 0x7, 0, EV_CYCLES, 0);
	CHECK_EQ(r.error, SBI_ERR_INVALID_PARAM, "pmu/match/set-with-time");
	r = cfg_match(0, 0x5, SBI_PMU_CFG_CLEAR_VALUE, EV_CYCLES, 0);
	CHECK_EQ(r.error, 0, "pmu/cycles-matched");
	CHECK_EQ(r.value, 0, "pmu/cycles-on-mcycle");
	CHECK_EQ(start(0, 1, 0, 0).error, 0, "pmu/cycles-start");
	CHECK_EQ(start(0, 1, 0, 0).error, SBI_ERR_ALREADY_STARTED,
		 "pmu/cycles-already-started");
	__asm__ volatile("rdcycle %0" : "=r"(before));
	counted_loop();
	__asm__ volatile("rdcycle %0" : "=r"(after));
	CHECK(after > before, "pmu/cycles-count");
	CHECK_EQ(stop(0, 1, 0).error, 0, "pmu/cycles-stop");
	CHECK_EQ(stop(0, 1, 0).error, SBI_ERR_ALREADY_STOPPED,
		 "pmu/cycles-already-stopped");
	__asm__ volatile("rdcycle %0" : "=r"(before));
	counted_loop();
	__asm__ volatile("rdcycle %0" : "=r"(after));
	CHECK_EQ(after, before, "pmu/cycles-frozen-when-stopped");
	CHECK_EQ(stop(0, 1, SBI_PMU_STOP_RESET).error, SBI_ERR_ALREADY_STOPPED,
		 "pmu/cycles-reset-when-stopped");
	CHECK_EQ(start(0, 1, 0, 0).error, SBI_ERR_INVALID_PARAM,
		 "pmu/start-unmapped-counter");
	/* Restart it for whoever reads cycle next. */
	CHECK_EQ(cfg_match(0, 1, SBI_PMU_CFG_AUTO_START, EV_CYCLES, 0).error, 0,
		 "pmu/cycles-auto-start");

	r = cfg_match(3, 1, 0, EV_INSNS, 0);
	CHECK_EQ(r.value, 3, "pmu/insns-on-hpm3");
	CHECK_EQ(start(3, 1, SBI_PMU_START_SET_INIT_VALUE, 0).error, 0,
		 "pmu/insns-start-at-0");
	counted_loop();
	hpm = pl_probe_csrr_hpm3();
	CHECK(hpm > 0, "pmu/insns-count");
	if (pl_bootargs_has("secmon.pmu_exact")) {
		unsigned long want = LOOP_ITERATIONS * LOOP_INSNS_PER_ITERATION;

		pl_printf(
		    "payload: pmu: %lu instructions for a %lu-instruction "
		    "loop\n",
		    hpm, want);
		CHECK(hpm >= want && hpm <= want + want / 100,
		      "pmu/insns-within-1-percent");
	}
	CHECK_EQ(stop(3, 1, SBI_PMU_STOP_RESET).error, 0, "pmu/insns-stop");
	/* Unmapped, hpmcounter3 is no longer S-mode's to read. */
	pl_expect_trap();
	got = pl_probe_csrr_hpm3();
	(void)got;
	CHECK_EQ(pl_trap_result().cause, 2, "pmu/unmapped-hpm-traps");
	r = cfg_match(3, 0xffff, 0, EV_DTLB_READ_MISS, 0);
	CHECK(r.error == 0 && r.value >= 3, "pmu/cache-event-on-hpm");
	CHECK_EQ(stop(r.value, 1, SBI_PMU_STOP_RESET).error,
		 SBI_ERR_ALREADY_STOPPED, "pmu/cache-event-unmapped");
}

static void pmu_firmware(void)
{
	unsigned long idx, ptm, refused;
	struct sbiret r;

	r = cfg_match(first_fw, 0xffff, SBI_PMU_CFG_CLEAR_VALUE,
		      EV_FW(SBI_PMU_FW_SET_TIMER), 0);
	idx = r.value;
	CHECK(r.error == 0 && idx >= first_fw, "pmu/fw/match");
	CHECK_EQ(start(idx, 1, 0, 0).error, 0, "pmu/fw/start");
	for (int i = 0; i < 5; i++) {
		SBI1(SBI_EXT_TIME, SBI_TIME_SET_TIMER, ~0UL);
	}
	CHECK_EQ(fw_read(idx), 5, "pmu/fw/set-timer-counted");
	r = SBI1(PMU, SBI_PMU_COUNTER_FW_READ_HI, idx);
	CHECK(r.error == 0 && r.value == 0, "pmu/fw/read-hi-zero");
	CHECK_EQ(stop(idx, 1, 0).error, 0, "pmu/fw/stop");
	SBI1(SBI_EXT_TIME, SBI_TIME_SET_TIMER, ~0UL);
	CHECK_EQ(fw_read(idx), 5, "pmu/fw/frozen-when-stopped");
	CHECK_EQ(start(idx, 1, SBI_PMU_START_SET_INIT_VALUE, 100).error, 0,
		 "pmu/fw/start-at-100");
	SBI1(SBI_EXT_TIME, SBI_TIME_SET_TIMER, ~0UL);
	CHECK_EQ(fw_read(idx), 101, "pmu/fw/initial-value");
	CHECK_EQ(stop(idx, 1, SBI_PMU_STOP_RESET).error, 0, "pmu/fw/reset");
	r = SBI1(PMU, SBI_PMU_COUNTER_FW_READ, 0);
	CHECK_EQ(r.error, SBI_ERR_INVALID_PARAM, "pmu/fw/read-hw-counter");
	r = SBI1(PMU, SBI_PMU_COUNTER_FW_READ, nctr);
	CHECK_EQ(r.error, SBI_ERR_INVALID_PARAM, "pmu/fw/read-invalid");
	r = SBI1(PMU, SBI_PMU_COUNTER_FW_READ_HI, 2);
	CHECK_EQ(r.error, SBI_ERR_INVALID_PARAM, "pmu/fw/read-hi-hw-counter");

	/* secmon's own events: page-table ABI calls, and refused ones. */
	/* The counter keeps the value it had (101) unless told to clear. */
	ptm = cfg_match(first_fw, 0xffff,
			SBI_PMU_CFG_AUTO_START | SBI_PMU_CFG_CLEAR_VALUE,
			EV_FW(SECMON_PMU_FW_PTM_CALL(SECMON_PTM_INFO)), 0)
		  .value;
	refused = cfg_match(first_fw, 0xffff,
			    SBI_PMU_CFG_AUTO_START | SBI_PMU_CFG_CLEAR_VALUE,
			    EV_FW(SECMON_PMU_FW_PTM_REFUSED), 0)
		      .value;
	CHECK(ptm != refused && ptm >= first_fw && refused >= first_fw,
	      "pmu/fw/ptm-events-matched");
	for (int i = 0; i < 3; i++) {
		SBI1(SECMON_EXT_PTM, SECMON_PTM_INFO, SECMON_INFO_VERSION);
	}
	SBI1(SECMON_EXT_PTM, SECMON_PTM_INFO, 0x7fff); /* no such field */
	CHECK_EQ(fw_read(ptm), 4, "pmu/fw/ptm-info-calls");
	CHECK_EQ(fw_read(refused), 1, "pmu/fw/ptm-refused-calls");
	CHECK_EQ(stop(ptm, 1, SBI_PMU_STOP_RESET).error, 0, "pmu/fw/ptm-stop");
	CHECK_EQ(stop(refused, 1, SBI_PMU_STOP_RESET).error, 0,
		 "pmu/fw/refused-stop");
}

static void pmu_start_stop_errors(void)
{
	unsigned long idx;

	idx = cfg_match(first_fw, 1, 0, EV_FW(SBI_PMU_FW_IPI_SENT), 0).value;
	CHECK_EQ(idx, first_fw, "pmu/errors/match-first-fw");
	CHECK_EQ(start(idx, 1, 1UL << 2, 0).error, SBI_ERR_INVALID_PARAM,
		 "pmu/start/reserved-flag");
	CHECK_EQ(start(idx, 1, 3, 0).error, SBI_ERR_INVALID_PARAM,
		 "pmu/start/both-value-flags");
	CHECK_EQ(start(1, 1, 0, 0).error, SBI_ERR_INVALID_PARAM,
		 "pmu/start/invalid-counter");
	CHECK_EQ(start(idx, 1, SBI_PMU_START_INIT_SNAPSHOT, 0).error,
		 SBI_ERR_NO_SHMEM, "pmu/start/no-snapshot-page");
	CHECK_EQ(stop(idx, 1, 1UL << 2).error, SBI_ERR_INVALID_PARAM,
		 "pmu/stop/reserved-flag");
	CHECK_EQ(stop(nctr, 1, 0).error, SBI_ERR_INVALID_PARAM,
		 "pmu/stop/invalid-counter");
	CHECK_EQ(stop(idx, 1, SBI_PMU_STOP_TAKE_SNAPSHOT).error,
		 SBI_ERR_NO_SHMEM, "pmu/stop/no-snapshot-page");
	CHECK_EQ(stop(idx, 1, 0).error, SBI_ERR_ALREADY_STOPPED,
		 "pmu/stop/already-stopped");
	CHECK_EQ(start(idx, 1, 0, 0).error, 0, "pmu/start/ok");
	CHECK_EQ(start(idx, 1, 0, 0).error, SBI_ERR_ALREADY_STARTED,
		 "pmu/start/already-started");
	CHECK_EQ(stop(idx, 1, SBI_PMU_STOP_RESET).error, 0, "pmu/stop/ok");
}

static void pmu_snapshot(void)
{
	unsigned long page = (unsigned long)snap, idx;
	struct sbiret r;

	r = SBI3(PMU, SBI_PMU_SNAPSHOT_SET_SHMEM, page, 0, 1);
	CHECK_EQ(r.error, SBI_ERR_INVALID_PARAM, "pmu/snapshot/flags");
	r = SBI3(PMU, SBI_PMU_SNAPSHOT_SET_SHMEM, page + 8, 0, 0);
	CHECK_EQ(r.error, SBI_ERR_INVALID_PARAM, "pmu/snapshot/misaligned");
	r = SBI3(PMU, SBI_PMU_SNAPSHOT_SET_SHMEM, page, 1, 0);
	CHECK_EQ(r.error, SBI_ERR_INVALID_ADDRESS, "pmu/snapshot/high-half");
	r = SBI3(PMU, SBI_PMU_SNAPSHOT_SET_SHMEM, pl_env.mon_base, 0, 0);
	CHECK_EQ(r.error, SBI_ERR_INVALID_ADDRESS, "pmu/snapshot/monitor");
	r = SBI3(PMU, SBI_PMU_SNAPSHOT_SET_SHMEM, pl_env.rec_base, 0, 0);
	CHECK_EQ(r.error, SBI_ERR_INVALID_ADDRESS, "pmu/snapshot/records");
	r = SBI3(PMU, SBI_PMU_SNAPSHOT_SET_SHMEM, 0x1000, 0, 0);
	CHECK_EQ(r.error, SBI_ERR_INVALID_ADDRESS, "pmu/snapshot/not-ram");
	r = SBI3(PMU, SBI_PMU_SNAPSHOT_SET_SHMEM, page, 0, 0);
	CHECK_EQ(r.error, 0, "pmu/snapshot/set");

	idx = cfg_match(first_fw, 0xffff, 0, EV_FW(SBI_PMU_FW_SET_TIMER), 0)
		  .value;
	CHECK_EQ(idx, first_fw, "pmu/snapshot/first-fw-counter");
	/* Sets from base idx - 1 (the last hardware counter, unmapped):
	 * counter idx's value is counter_values[1], at snap[2]. */
	snap[2] = 40;
	CHECK_EQ(start(idx - 1, 3, SBI_PMU_START_INIT_SNAPSHOT, 0).error,
		 SBI_ERR_INVALID_PARAM, "pmu/snapshot/unmapped-in-set");
	CHECK_EQ(start(idx - 1, 2, 0, 0).error, 0, "pmu/snapshot/plain-start");
	CHECK_EQ(stop(idx, 1, 0).error, 0, "pmu/snapshot/plain-stop");
	CHECK_EQ(start(idx - 1, 2, SBI_PMU_START_INIT_SNAPSHOT, 0).error, 0,
		 "pmu/snapshot/start-from-page");
	SBI1(SBI_EXT_TIME, SBI_TIME_SET_TIMER, ~0UL);
	SBI1(SBI_EXT_TIME, SBI_TIME_SET_TIMER, ~0UL);
	snap[0] = 0x55;
	snap[2] = 0;
	CHECK_EQ(stop(idx - 1, 2, SBI_PMU_STOP_TAKE_SNAPSHOT).error, 0,
		 "pmu/snapshot/stop-to-page");
	CHECK_EQ(snap[2], 42, "pmu/snapshot/value-written");
	CHECK_EQ(snap[0], 0, "pmu/snapshot/overflow-bitmap");
	r = SBI3(PMU, SBI_PMU_SNAPSHOT_SET_SHMEM, -1UL, -1UL, 0);
	CHECK_EQ(r.error, 0, "pmu/snapshot/disable");
	CHECK_EQ(start(idx, 1, SBI_PMU_START_INIT_SNAPSHOT, 0).error,
		 SBI_ERR_NO_SHMEM, "pmu/snapshot/disabled");
	CHECK_EQ(stop(idx, 1, SBI_PMU_STOP_RESET).error,
		 SBI_ERR_ALREADY_STOPPED, "pmu/snapshot/unmap");
}

static void set_entry(unsigned int k, uint32_t ev, uint64_t data)
{
	info_buf[4 * k] = ev;
	info_buf[4 * k + 1] = 0xdead;
	info_buf[4 * k + 2] = (uint32_t)data;
	info_buf[4 * k + 3] = (uint32_t)(data >> 32);
}

static void pmu_event_info(void)
{
	unsigned long buf = (unsigned long)info_buf;
	static const struct {
		uint32_t ev;
		uint64_t data;
		uint32_t supported;
	} e[] = {
	    {EV_CYCLES, 0, 1},
	    {EV_INSNS, 0, 1},
	    {SBI_PMU_EVENT(SBI_PMU_TYPE_HW, 0), 0, 0},
	    {EV_DTLB_READ_MISS, 0, 1},
	    {EV_FW(SBI_PMU_FW_IPI_RECEIVED), 0, 1},
	    {EV_FW(SECMON_PMU_FW_PTM_ANY), 0, 1},
	    {SBI_PMU_EVENT(SBI_PMU_TYPE_RAW_V2, 0), 5, 0},
	    {EV_FW(SBI_PMU_FW_SET_TIMER), 9, 0},
	};
	struct sbiret r;
	unsigned int n = sizeof(e) / sizeof(e[0]);

	for (unsigned int k = 0; k < n; k++) {
		set_entry(k, e[k].ev, e[k].data);
	}
	r = SBI4(PMU, SBI_PMU_EVENT_GET_INFO, buf, 0, n, 1);
	CHECK_EQ(r.error, SBI_ERR_INVALID_PARAM, "pmu/event-info/flags");
	r = SBI4(PMU, SBI_PMU_EVENT_GET_INFO, buf + 8, 0, n, 0);
	CHECK_EQ(r.error, SBI_ERR_INVALID_PARAM, "pmu/event-info/misaligned");
	r = SBI4(PMU, SBI_PMU_EVENT_GET_INFO, buf, 1, n, 0);
	CHECK_EQ(r.error, SBI_ERR_INVALID_ADDRESS, "pmu/event-info/high-half");
	r = SBI4(PMU, SBI_PMU_EVENT_GET_INFO, pl_env.mon_base, 0, n, 0);
	CHECK_EQ(r.error, SBI_ERR_INVALID_ADDRESS, "pmu/event-info/monitor");
	r = SBI4(PMU, SBI_PMU_EVENT_GET_INFO, buf, 0, 4097, 0);
	CHECK_EQ(r.error, SBI_ERR_INVALID_PARAM, "pmu/event-info/too-many");
	info_buf[4 * 5] |= 1U << 20;
	r = SBI4(PMU, SBI_PMU_EVENT_GET_INFO, buf, 0, n, 0);
	CHECK_EQ(r.error, SBI_ERR_INVALID_PARAM, "pmu/event-info/reserved-bit");
	CHECK_EQ(info_buf[1], 0xdead, "pmu/event-info/refused-writes-nothing");
	info_buf[4 * 5] &= ~(1U << 20);
	r = SBI4(PMU, SBI_PMU_EVENT_GET_INFO, buf, 0, n, 0);
	CHECK_EQ(r.error, 0, "pmu/event-info/ok");
	for (unsigned int k = 0; k < n; k++) {
		CHECK_EQ(info_buf[4 * k + 1], e[k].supported,
			 "pmu/event-info/output");
	}
}

void suite_pmu(void)
{
	pmu_info();
	pmu_match_errors();
	pmu_hardware();
	pmu_firmware();
	pmu_start_stop_errors();
	pmu_snapshot();
	pmu_event_info();
}
