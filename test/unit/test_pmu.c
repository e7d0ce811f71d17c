// SPDX-License-Identifier: BSD-2-Clause
/*
 * The PMU extension through sbi_call on the fake machine: the counter map
 * from the tree, what each call does to the counter CSRs, and that every
 * refused call leaves them and the monitor's records as they were.
 */
#include <string.h>

#include "harness.h"
#include "pmu.h"
#include "support.h"

#define EV_CYCLES SBI_PMU_EVENT(SBI_PMU_TYPE_HW, SBI_PMU_HW_CPU_CYCLES)
#define EV_INSNS SBI_PMU_EVENT(SBI_PMU_TYPE_HW, SBI_PMU_HW_INSTRUCTIONS)
#define EV_FW(c) SBI_PMU_EVENT(SBI_PMU_TYPE_FW, (c))
#define SNAP (TEST_OS_ADDR + 0x4000)
#define INFO (TEST_OS_ADDR + 0x8000)

static struct sbi_ret pmu(unsigned long fid, unsigned long a0, unsigned long a1,
			  unsigned long a2, unsigned long a3, unsigned long a4)
{
	return ecall(SBI_EXT_PMU, fid, a0, a1, a2, a3, a4);
}

static struct sbi_ret match(unsigned long base, unsigned long mask,
			    unsigned long flags, unsigned long ev)
{
	return pmu(SBI_PMU_COUNTER_CFG_MATCH, base, mask, flags, ev, 0);
}

static long start(unsigned long base, unsigned long mask, unsigned long flags,
		  unsigned long v)
{
	return pmu(SBI_PMU_COUNTER_START, base, mask, flags, v, 0).error;
}

static long stop(unsigned long base, unsigned long mask, unsigned long flags)
{
	return pmu(SBI_PMU_COUNTER_STOP, base, mask, flags, 0, 0).error;
}

static struct fake_hart_state *csr(void)
{
	return fake_hart_state(fake_hart());
}

static void test_map_from_tree(void)
{
	test_boot("virt-4hart", 0);
	CHECK_EQ(plat.pmu.nmap, 5);
	CHECK_EQ(plat.pmu.dropped, 0);
	CHECK_EQ(pmu_hw_mask(), 0x7fffd);
	CHECK_EQ(pmu(SBI_PMU_NUM_COUNTERS, 0, 0, 0, 0, 0).value, 19 + 16);
	/* Reset: hpm counters inhibited and hidden, cycle/instret running. */
	CHECK_EQ(csr()->countinhibit, 0x7fff8);
	CHECK_EQ(csr()->counteren & 0x7fff8, 0);

	test_boot("virt-8hart", 0);
	CHECK_EQ(plat.pmu.nmap, 2);
	CHECK_EQ(plat.pmu.nsel, 1);
	CHECK_EQ(plat.pmu.dropped, 3);
	CHECK_EQ(pmu_hw_mask(), 0x3d);
	CHECK_EQ(pmu(SBI_PMU_NUM_COUNTERS, 0, 0, 0, 0, 0).value, 6 + 16);

	/* No riscv,pmu node: mcycle and minstret count what they say. */
	test_boot("virt-1hart", 0);
	CHECK_EQ(plat.pmu.nmap, 0);
	CHECK_EQ(pmu_hw_mask(), 0x5);
	CHECK_EQ(match(0, 5, 0, EV_INSNS).value, 2);
	CHECK_EQ(match(0, 5, 0, SBI_PMU_EVENT(1, 0x19)).error,
		 SBI_ERR_NOT_SUPPORTED);
}

static void test_counter_info(void)
{
	test_boot("virt-4hart", 0);
	CHECK_EQ(pmu(SBI_PMU_COUNTER_GET_INFO, 0, 0, 0, 0, 0).value,
		 0xC00 | 63UL << 12);
	CHECK_EQ(pmu(SBI_PMU_COUNTER_GET_INFO, 18, 0, 0, 0, 0).value,
		 (0xC00 + 18) | 63UL << 12);
	CHECK_EQ(pmu(SBI_PMU_COUNTER_GET_INFO, 19, 0, 0, 0, 0).value,
		 SBI_PMU_INFO_FW | 63UL << 12);
	CHECK_EQ(pmu(SBI_PMU_COUNTER_GET_INFO, 1, 0, 0, 0, 0).error,
		 SBI_ERR_INVALID_PARAM);
	CHECK_EQ(pmu(SBI_PMU_COUNTER_GET_INFO, 35, 0, 0, 0, 0).error,
		 SBI_ERR_INVALID_PARAM);
	/* virt-8hart maps hpm3-5 only: none of 6.. is a hardware counter. */
	test_boot("virt-8hart", 0);
	CHECK_EQ(pmu(SBI_PMU_COUNTER_GET_INFO, 6, 0, 0, 0, 0).value >> 63, 1);
}

static void test_configure_hpm(void)
{
	test_boot("virt-8hart", 0);
	/* instructions may go to minstret or hpm3-5; from base 3 it is 3. */
	CHECK_EQ(
	    match(3, 7, SBI_PMU_CFG_SET_SINH | SBI_PMU_CFG_SET_MINH, EV_INSNS)
		.value,
	    3);
	/* The tree's selector for instructions, and the modes asked for
	 * (Sscofpmf on every hart). */
	CHECK_EQ(csr()->hpm_event[3], 0xabc | 1UL << 62 | 1UL << 61);
	CHECK_EQ(csr()->counteren >> 3 & 1, 1);
	CHECK_EQ(csr()->countinhibit >> 3 & 1, 1);
	csr()->hpm_event[3] |= 1UL << 63; /* an overflow happened */
	CHECK_EQ(start(3, 1, SBI_PMU_START_SET_INIT_VALUE, 1000), 0);
	CHECK_EQ(csr()->hpm[3], 1000);
	CHECK_EQ(csr()->hpm_event[3] >> 63, 0); /* start clears OF */
	CHECK_EQ(csr()->countinhibit >> 3 & 1, 0);
	/* The next match skips the running counter. */
	CHECK_EQ(match(3, 7, 0, EV_INSNS).value, 4);
	CHECK_EQ(csr()->hpm_event[4], 0xabc);
	CHECK_EQ(stop(3, 1, SBI_PMU_STOP_RESET), 0);
	CHECK_EQ(csr()->countinhibit >> 3 & 1, 1);
	CHECK_EQ(csr()->counteren >> 3 & 1, 0);
	CHECK_EQ(csr()->hpm_event[3], 0);
	/* SKIP_MATCH takes the set's first counter or nothing. */
	CHECK_EQ(match(0, 1, SBI_PMU_CFG_SKIP_MATCH, EV_INSNS).error,
		 SBI_ERR_NOT_SUPPORTED);
	CHECK_EQ(match(2, 3, SBI_PMU_CFG_SKIP_MATCH, EV_INSNS).value, 2);
}

/* A refused call changes neither the CSRs nor the monitor's records. */
static void test_refusals_change_nothing(void)
{
	struct fake_hart_state before;

	test_boot("virt-4hart", 0);
	CHECK_EQ(match(3, 1, SBI_PMU_CFG_AUTO_START, EV_CYCLES).value, 3);
	CHECK_EQ(match(4, 1, 0, EV_CYCLES).value, 4);
	before = *csr();
	CHECK_EQ(start(3, 3, 0, 0), SBI_ERR_ALREADY_STARTED);
	CHECK_EQ(stop(3, 3, 0), SBI_ERR_ALREADY_STOPPED);
	CHECK_EQ(start(4, 3, 0, 0), SBI_ERR_INVALID_PARAM); /* 5: unmapped */
	CHECK_EQ(start(4, 1, 4, 0), SBI_ERR_INVALID_PARAM);
	CHECK_EQ(stop(3, 1, 4), SBI_ERR_INVALID_PARAM);
	CHECK_EQ(stop(3, 1, SBI_PMU_STOP_TAKE_SNAPSHOT), SBI_ERR_NO_SHMEM);
	CHECK_EQ(start(4, 1, SBI_PMU_START_INIT_SNAPSHOT, 0), SBI_ERR_NO_SHMEM);
	CHECK_EQ(match(1, 1, 0, EV_CYCLES).error, SBI_ERR_INVALID_PARAM);
	CHECK_EQ(match(3, 1, 1UL << 8, EV_CYCLES).error, SBI_ERR_INVALID_PARAM);
	CHECK_EQ(match(3, 1, 0, EV_CYCLES).error, SBI_ERR_NOT_SUPPORTED);
	CHECK(!memcmp(&before, csr(), sizeof(before)));
	/* ... and the records: 3 still runs, 4 still starts. */
	CHECK_EQ(stop(3, 1, 0), 0);
	CHECK_EQ(start(4, 1, 0, 0), 0);
}

static void test_firmware_counters(void)
{
	unsigned long idx;

	test_boot("virt-4hart", 0);
	idx = match(19, 0xffff, SBI_PMU_CFG_CLEAR_VALUE,
		    EV_FW(SBI_PMU_FW_SET_TIMER))
		  .value;
	CHECK_EQ(idx, 19);
	CHECK_EQ(start(idx, 1, SBI_PMU_START_SET_INIT_VALUE, 10), 0);
	for (int i = 0; i < 3; i++) {
		ecall(SBI_EXT_TIME, SBI_TIME_SET_TIMER, 1, 0, 0, 0, 0);
	}
	CHECK_EQ(pmu(SBI_PMU_COUNTER_FW_READ, idx, 0, 0, 0, 0).value, 13);
	/* Another hart's events are its own. */
	fake_set_hart(1);
	ecall(SBI_EXT_TIME, SBI_TIME_SET_TIMER, 1, 0, 0, 0, 0);
	fake_set_hart(0);
	CHECK_EQ(pmu(SBI_PMU_COUNTER_FW_READ, idx, 0, 0, 0, 0).value, 13);
	CHECK_EQ(stop(idx, 1, 0), 0);
	ecall(SBI_EXT_TIME, SBI_TIME_SET_TIMER, 1, 0, 0, 0, 0);
	CHECK_EQ(pmu(SBI_PMU_COUNTER_FW_READ, idx, 0, 0, 0, 0).value, 13);
	CHECK_EQ(pmu(SBI_PMU_COUNTER_FW_READ_HI, idx, 0, 0, 0, 0).value, 0);
	CHECK_EQ(pmu(SBI_PMU_COUNTER_FW_READ, 3, 0, 0, 0, 0).error,
		 SBI_ERR_INVALID_PARAM);
	CHECK_EQ(pmu(SBI_PMU_COUNTER_FW_READ_HI, 35, 0, 0, 0, 0).error,
		 SBI_ERR_INVALID_PARAM);
	/* A firmware event on a hardware counter: nothing can count it. */
	CHECK_EQ(match(3, 0xffff, 0, EV_FW(SBI_PMU_FW_SET_TIMER)).error,
		 SBI_ERR_NOT_SUPPORTED);
}

static void test_snapshot(void)
{
	uint64_t *page = fake_ram(SNAP, SBI_PMU_SNAPSHOT_SIZE);
	unsigned long idx;

	test_boot("virt-4hart", 0);
	CHECK_EQ(
	    pmu(SBI_PMU_SNAPSHOT_SET_SHMEM, TEST_MON_BASE, 0, 0, 0, 0).error,
	    SBI_ERR_INVALID_ADDRESS);
	CHECK_EQ(pmu(SBI_PMU_SNAPSHOT_SET_SHMEM, SNAP + 64, 0, 0, 0, 0).error,
		 SBI_ERR_INVALID_PARAM);
	CHECK_EQ(pmu(SBI_PMU_SNAPSHOT_SET_SHMEM, SNAP, 0, 2, 0, 0).error,
		 SBI_ERR_INVALID_PARAM);
	CHECK_EQ(pmu(SBI_PMU_SNAPSHOT_SET_SHMEM, SNAP, 0, 0, 0, 0).error, 0);
	idx = match(3, 3, 0, EV_INSNS).value;
	CHECK_EQ(idx, 3);
	page[1 + 1] = 77; /* base 2: counter 3 is counter_values[1] */
	CHECK_EQ(start(2, 2, SBI_PMU_START_INIT_SNAPSHOT, 0), 0);
	CHECK_EQ(csr()->hpm[3], 77);
	csr()->hpm[3] = 90;
	page[0] = 0xff;
	CHECK_EQ(stop(2, 2, SBI_PMU_STOP_TAKE_SNAPSHOT), 0);
	CHECK_EQ(page[2], 90);
	CHECK_EQ(page[0], 0);
	CHECK_EQ(pmu(SBI_PMU_SNAPSHOT_SET_SHMEM, -1UL, -1UL, 0, 0, 0).error, 0);
	CHECK_EQ(stop(3, 1, SBI_PMU_STOP_TAKE_SNAPSHOT), SBI_ERR_NO_SHMEM);
}

static void test_event_info(void)
{
	uint32_t *e = fake_ram(INFO, 64);

	test_boot("virt-4hart", 0);
	memset(e, 0xee, 64);
	e[0] = EV_CYCLES;
	e[2] = e[3] = 0;
	e[4] = EV_FW(SBI_PMU_FW_PLATFORM);
	e[6] = e[7] = 0;
	e[8] = EV_FW(SECMON_PMU_FW_PTM_REFUSED) | 1U << 20;
	e[10] = e[11] = 0;
	CHECK_EQ(pmu(SBI_PMU_EVENT_GET_INFO, INFO, 0, 3, 0, 0).error,
		 SBI_ERR_INVALID_PARAM);
	CHECK_EQ(e[1], 0xeeeeeeee);
	e[8] &= ~(1U << 20);
	CHECK_EQ(pmu(SBI_PMU_EVENT_GET_INFO, INFO, 0, 3, 0, 0).error, 0);
	CHECK_EQ(e[1], 1);
	CHECK_EQ(e[5], 0);
	CHECK_EQ(e[9], 1);
	CHECK_EQ(
	    pmu(SBI_PMU_EVENT_GET_INFO, INFO, 0, PMU_INFO_MAX_ENTRIES + 1, 0, 0)
		.error,
	    SBI_ERR_INVALID_PARAM);
	CHECK_EQ(pmu(SBI_PMU_EVENT_GET_INFO, TEST_MON_BASE, 0, 1, 0, 0).error,
		 SBI_ERR_INVALID_ADDRESS);
	CHECK_EQ(pmu(SBI_PMU_EVENT_GET_INFO, INFO, 0, 0, 0, 0).error, 0);
}

int main(void)
{
	RUN(test_map_from_tree);
	RUN(test_counter_info);
	RUN(test_configure_hpm);
	RUN(test_refusals_change_nothing);
	RUN(test_firmware_counters);
	RUN(test_snapshot);
	RUN(test_event_info);
	return test_finish();
}
