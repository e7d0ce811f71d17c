// SPDX-License-Identifier: BSD-2-Clause
/* DBTR on the fake machine's two triggers: chains, a full hart, refusals
 * that change no trigger, and per-hart state. */
#include <string.h>

#include "dbtr.h"
#include "harness.h"
#include "support.h"

#define SHM (TEST_OS_ADDR + 0x3000)
#define EXEC_S (2UL << 60 | 1UL << 4 | 1UL << 2)
#define CHAIN (1UL << 11)

static unsigned long *shm;

static struct sbi_ret dbtr(unsigned long fid, unsigned long a0,
			   unsigned long a1)
{
	return ecall(SBI_EXT_DBTR, fid, a0, a1, 0, 0, 0);
}

static void boot(void)
{
	test_boot("virt-4hart", 0);
	shm = fake_ram(SHM, 4 * 32);
	memset(shm, 0, 4 * 32);
	CHECK_EQ(ecall(SBI_EXT_DBTR, 1, SHM, 0, 0, 0, 0).error, 0);
}

static void set_entry(unsigned int i, unsigned long t1, unsigned long t2)
{
	shm[4 * i] = 0;
	shm[4 * i + 1] = t1;
	shm[4 * i + 2] = t2;
	shm[4 * i + 3] = 0;
}

static void test_chain_and_full(void)
{
	struct sbi_ret r;

	boot();
	CHECK_EQ(dbtr(0, 0, 0).value, 2);
	set_entry(0, EXEC_S | CHAIN, 0x1000);
	set_entry(1, EXEC_S, 0x2000);
	CHECK_EQ(dbtr(3, 2, 0).error, 0);
	CHECK_EQ(shm[0], 0);
	CHECK_EQ(shm[4], 1);
	CHECK_EQ(fake_hart_state(0)->tdata[0][0], EXEC_S | CHAIN);
	CHECK_EQ(fake_hart_state(0)->tdata[1][1], 0x2000);
	/* Full: the entry that finds no trigger is named. */
	set_entry(0, EXEC_S, 0x3000);
	r = dbtr(3, 1, 0);
	CHECK_EQ(r.error, SBI_ERR_FAILED);
	CHECK_EQ(r.value, 0);
	/* Another hart's triggers are its own. */
	fake_set_hart(1);
	CHECK_EQ(ecall(SBI_EXT_DBTR, 1, SHM, 0, 0, 0, 0).error, 0);
	CHECK_EQ(dbtr(3, 1, 0).error, 0);
	fake_set_hart(0);
	/* A hart reset (HSM start) clears its triggers. */
	dbtr_hart_reset(0);
	CHECK_EQ(fake_hart_state(0)->tdata[0][0], 0);
	CHECK_EQ(fake_hart_state(1)->tdata[0][0], EXEC_S);
}

/* A set naming one uninstalled trigger: nothing is touched. */
static void test_set_ops_all_or_nothing(void)
{
	boot();
	set_entry(0, EXEC_S, 0x1000);
	CHECK_EQ(dbtr(3, 1, 0).error, 0);
	CHECK_EQ(dbtr(7, 0, 3).error, SBI_ERR_INVALID_PARAM);
	CHECK_EQ(fake_hart_state(0)->tdata[0][0], EXEC_S);
	CHECK_EQ(dbtr(7, 0, 1).error, 0);
	CHECK_EQ(fake_hart_state(0)->tdata[0][0], 2UL << 60 | 1UL << 2);
	CHECK_EQ(dbtr(6, 0, 1).error, 0);
	CHECK_EQ(fake_hart_state(0)->tdata[0][0], EXEC_S);
	CHECK_EQ(dbtr(5, -1UL, 2).error, SBI_ERR_INVALID_PARAM); /* wraps */
	CHECK_EQ(dbtr(5, 0, 1).error, 0);
	CHECK_EQ(fake_hart_state(0)->tdata[0][0], 0);
}

/* An update refused at entry 1 leaves entry 0's trigger as it was. */
static void test_update_checks_first(void)
{
	struct sbi_ret r;

	boot();
	set_entry(0, EXEC_S, 0x1000);
	set_entry(1, EXEC_S, 0x2000);
	CHECK_EQ(dbtr(3, 2, 0).error, 0);
	shm[0] = 0;
	shm[1] = EXEC_S;
	shm[2] = 0x5000;
	shm[4] = 1;
	shm[5] = EXEC_S | 1UL << 6; /* m: refused */
	r = dbtr(4, 2, 0);
	CHECK_EQ(r.error, SBI_ERR_INVALID_PARAM);
	CHECK_EQ(r.value, 1);
	CHECK_EQ(fake_hart_state(0)->tdata[0][1], 0x1000);
	/* The buffer rule: shared memory in the monitor is refused. */
	CHECK_EQ(ecall(SBI_EXT_DBTR, 1, TEST_MON_BASE, 0, 0, 0, 0).error,
		 SBI_ERR_INVALID_ADDRESS);
}

int main(void)
{
	RUN(test_chain_and_full);
	RUN(test_set_ops_all_or_nothing);
	RUN(test_update_checks_first);
	return test_finish();
}
