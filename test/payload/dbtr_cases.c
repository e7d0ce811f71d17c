// SPDX-License-Identifier: BSD-2-Clause
/*
 * DBTR from S-mode on QEMU's Sdtrig triggers: an execute breakpoint that
 * fires as a delegated breakpoint exception, enable and disable, update,
 * chains, and every error SBI v3.0 §19 lists.
 */
#include "payload.h"

#define DBTR SBI_EXT_DBTR
/* mcontrol (type 2): execute in S-mode, exact address match, breakpoint */
#define MC_TYPE2 (2UL << 60)
#define MC_EXEC_S (MC_TYPE2 | 1UL << 4 | 1UL << 2)
#define MC_M (1UL << 6)
#define MC_CHAIN (1UL << 11)
#define MC_ACTION_DEBUG (1UL << 12)
#define MC_DMODE (1UL << 59)
#define MC6_EXEC_S (6UL << 60 | 1UL << 4 | 1UL << 2)
#define MC6_VS (1UL << 24)

static unsigned long shm[4 * 4] __attribute__((aligned(8)));
static unsigned long ntrig;

static void entry(unsigned int i, unsigned long idx, unsigned long t1,
		  unsigned long t2, unsigned long t3)
{
	shm[4 * i] = idx;
	shm[4 * i + 1] = t1;
	shm[4 * i + 2] = t2;
	shm[4 * i + 3] = t3;
}

/* Run the target with a trap expected; returns the trap's cause. */
static long call_target(void)
{
	pl_expect_trap();
	pl_dbtr_target();
	return pl_trap_result().cause;
}

static void dbtr_errors(void)
{
	unsigned long buf = (unsigned long)shm;
	unsigned long t = (unsigned long)pl_dbtr_target;
	struct sbiret r;

	CHECK_EQ(SBI2(DBTR, 2, 0, 1).error, SBI_ERR_NO_SHMEM,
		 "dbtr/read/no-shmem");
	r = SBI1(DBTR, 3, 1);
	CHECK(r.error == SBI_ERR_NO_SHMEM && r.value == 0,
	      "dbtr/install/no-shmem");
	CHECK_EQ(SBI1(DBTR, 4, 1).error, SBI_ERR_NO_SHMEM,
		 "dbtr/update/no-shmem");
	CHECK_EQ(SBI3(DBTR, 1, buf, 0, 1).error, SBI_ERR_INVALID_PARAM,
		 "dbtr/shmem/flags");
	CHECK_EQ(SBI3(DBTR, 1, buf + 4, 0, 0).error, SBI_ERR_INVALID_PARAM,
		 "dbtr/shmem/misaligned");
	CHECK_EQ(SBI3(DBTR, 1, buf, 1, 0).error, SBI_ERR_INVALID_ADDRESS,
		 "dbtr/shmem/high-half");
	CHECK_EQ(SBI3(DBTR, 1, pl_env.mon_base, 0, 0).error,
		 SBI_ERR_INVALID_ADDRESS, "dbtr/shmem/monitor");
	CHECK_EQ(SBI3(DBTR, 1, buf, 0, 0).error, 0, "dbtr/shmem/set");
	CHECK_EQ(SBI2(DBTR, 2, ntrig, 1).error, SBI_ERR_BAD_RANGE,
		 "dbtr/read/base-past-the-last");
	CHECK_EQ(SBI2(DBTR, 2, 1, ntrig).error, SBI_ERR_BAD_RANGE,
		 "dbtr/read/range-past-the-last");
	CHECK_EQ(SBI1(DBTR, 3, ntrig + 1).error, SBI_ERR_BAD_RANGE,
		 "dbtr/install/too-many");
	entry(0, 0, MC_EXEC_S | MC_M, t, 0);
	r = SBI1(DBTR, 3, 1);
	CHECK(r.error == SBI_ERR_INVALID_PARAM && r.value == 0,
	      "dbtr/install/m-mode-refused");
	entry(0, 0, MC_EXEC_S, t, 0);
	entry(1, 0, MC_EXEC_S | MC_DMODE, t, 0);
	r = SBI1(DBTR, 3, 2);
	CHECK(r.error == SBI_ERR_INVALID_PARAM && r.value == 1,
	      "dbtr/install/dmode-refused-at-1");
	entry(1, 0, MC_EXEC_S | MC_ACTION_DEBUG, t, 0);
	CHECK_EQ(SBI1(DBTR, 3, 2).error, SBI_ERR_INVALID_PARAM,
		 "dbtr/install/debug-mode-action");
	entry(1, 0, 3UL << 60, 0, 0);
	CHECK_EQ(SBI1(DBTR, 3, 2).error, SBI_ERR_NOT_SUPPORTED,
		 "dbtr/install/icount-not-supported");
	entry(1, 0, 9UL << 60, 0, 0);
	CHECK_EQ(SBI1(DBTR, 3, 2).error, SBI_ERR_INVALID_PARAM,
		 "dbtr/install/no-such-type");
	entry(1, 0, MC_EXEC_S, t, 5);
	CHECK_EQ(SBI1(DBTR, 3, 2).error, SBI_ERR_NOT_SUPPORTED,
		 "dbtr/install/tdata3");
	entry(1, 0, MC6_EXEC_S | MC6_VS, t, 0);
	CHECK_EQ(SBI1(DBTR, 3, 2).error, SBI_ERR_NOT_SUPPORTED,
		 "dbtr/install/vs-bit");
	entry(0, 0, MC_EXEC_S | MC_CHAIN, t, 0);
	r = SBI1(DBTR, 3, 1);
	CHECK(r.error == SBI_ERR_INVALID_PARAM && r.value == 0,
	      "dbtr/install/open-chain");
	/* Nothing was installed by any refusal. */
	CHECK_EQ(SBI2(DBTR, 5, 0, 1).error, SBI_ERR_INVALID_PARAM,
		 "dbtr/uninstall/not-installed");
	CHECK_EQ(SBI2(DBTR, 6, 0, 1).error, SBI_ERR_INVALID_PARAM,
		 "dbtr/enable/not-installed");
	CHECK_EQ(SBI2(DBTR, 7, ntrig, 1).error, SBI_ERR_INVALID_PARAM,
		 "dbtr/disable/past-the-last");
	entry(0, ntrig, MC_EXEC_S, t, 0);
	r = SBI1(DBTR, 4, 1);
	CHECK(r.error == SBI_ERR_INVALID_PARAM && r.value == 0,
	      "dbtr/update/bad-index");
	entry(0, 0, MC_EXEC_S, t, 0);
	CHECK_EQ(SBI1(DBTR, 4, 1).error, SBI_ERR_FAILED,
		 "dbtr/update/not-installed");
	CHECK_EQ(SBI0(DBTR, 8).error, SBI_ERR_NOT_SUPPORTED,
		 "dbtr/unknown-fid");
}

static void dbtr_breakpoint(void)
{
	unsigned long t = (unsigned long)pl_dbtr_target, idx;
	struct sbiret r;

	CHECK_EQ(pl_dbtr_target(), 2, "dbtr/target-runs-clean");
	entry(0, 0, MC_EXEC_S, t, 0);
	r = SBI1(DBTR, 3, 1);
	idx = shm[0];
	CHECK(r.error == 0 && idx < ntrig, "dbtr/install");
	CHECK_EQ(call_target(), 3, "dbtr/breakpoint-fires");
	CHECK_EQ(pl_trap_result().epc, t, "dbtr/breakpoint-epc");
	CHECK_EQ(SBI2(DBTR, 2, idx, 1).error, 0, "dbtr/read");
	CHECK_EQ(shm[0] & 0x21, 0x21, "dbtr/read/state-mapped-hw");
	CHECK_EQ(shm[0] >> 8, idx, "dbtr/read/state-hw-index");
	CHECK_EQ(shm[2], t, "dbtr/read/tdata2");
	CHECK_EQ(SBI2(DBTR, 7, idx, 1).error, 0, "dbtr/disable");
	CHECK_EQ(pl_dbtr_target(), 2, "dbtr/disabled-does-not-fire");
	CHECK_EQ(SBI2(DBTR, 6, idx, 1).error, 0, "dbtr/enable");
	CHECK_EQ(call_target(), 3, "dbtr/enabled-fires-again");
	/* Update: the same trigger now watches the second instruction. */
	entry(0, idx, MC_EXEC_S, t + 4, 0);
	CHECK_EQ(SBI1(DBTR, 4, 1).error, 0, "dbtr/update");
	CHECK_EQ(call_target(), 3, "dbtr/updated-fires");
	CHECK_EQ(pl_trap_result().epc, t + 4, "dbtr/updated-address");
	entry(0, idx, 6UL << 60 | 1UL << 4 | 1UL << 2, t, 0);
	CHECK_EQ(SBI1(DBTR, 4, 1).error, SBI_ERR_INVALID_PARAM,
		 "dbtr/update/type-change");
	CHECK_EQ(SBI2(DBTR, 5, idx, 1).error, 0, "dbtr/uninstall");
	CHECK_EQ(pl_dbtr_target(), 2, "dbtr/uninstalled-does-not-fire");
	CHECK_EQ(SBI2(DBTR, 5, idx, 1).error, SBI_ERR_INVALID_PARAM,
		 "dbtr/uninstall/twice");
	CHECK_EQ(SBI3(DBTR, 1, -1UL, -1UL, 0).error, 0, "dbtr/shmem/disable");
}

void suite_dbtr(void)
{
	CHECK_EQ(SBI1(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, DBTR).value, 1,
		 "dbtr/probe");
	ntrig = SBI1(DBTR, 0, 0).value;
	pl_printf("payload: dbtr: %lu triggers, %lu for type 2, %lu for "
		  "type 6\n",
		  ntrig, SBI1(DBTR, 0, MC_EXEC_S).value,
		  SBI1(DBTR, 0, MC6_EXEC_S).value);
	CHECK(ntrig >= 1 && ntrig <= 4, "dbtr/num-triggers");
	CHECK_EQ(SBI1(DBTR, 0, MC_EXEC_S | MC_M).value, 0,
		 "dbtr/num-triggers/m-mode-config");
	dbtr_errors();
	dbtr_breakpoint();
}
