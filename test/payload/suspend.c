// SPDX-License-Identifier: BSD-2-Clause
/*
 * HSM suspend and SUSP system suspend. The non-retentive cases do not
 * return: the monitor resumes the hart at pl_resume_entry, which calls
 * pl_resumed() with the opaque value naming the stage to continue.
 */
#include "payload.h"

#define SIE_SSIE (1UL << 1)
#define SIE_STIE (1UL << 5)
#define TICKS_PER_MS 10000UL /* QEMU virt timebase: 10 MHz */

#define STAGE_HSM_NONRET 0x5151
#define STAGE_SYSTEM 0x5252

extern void pl_resume_entry(void);
static unsigned long deadline;

static void sie_set(unsigned long bits)
{
	__asm__ volatile("csrs sie, %0" ::"r"(bits));
}

static void sie_clear(unsigned long bits)
{
	__asm__ volatile("csrc sie, %0" ::"r"(bits));
}

static void arm_timer(unsigned long ms)
{
	deadline = pl_read_time() + ms * TICKS_PER_MS;
	SBI1(SBI_EXT_TIME, SBI_TIME_SET_TIMER, deadline);
}

static void disarm_timer(void)
{
	SBI1(SBI_EXT_TIME, SBI_TIME_SET_TIMER, ~0UL);
}

static void suspend_errors(void)
{
	unsigned long entry = (unsigned long)pl_resume_entry;
	struct sbiret r;

	r = SBI3(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, 1, 0, 0);
	CHECK_EQ(r.error, SBI_ERR_INVALID_PARAM, "hsm/suspend-reserved-type");
	r = SBI3(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, 0x90000000UL, entry, 0);
	CHECK_EQ(r.error, SBI_ERR_INVALID_PARAM, "hsm/suspend-platform-type");
	/* uint32_t suspend_type: the upper bits are not part of it. */
	r = SBI3(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, 1UL << 32 | 1, 0, 0);
	CHECK_EQ(r.error, SBI_ERR_INVALID_PARAM, "hsm/suspend-type-upper-bits");
	r = SBI3(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, 0xffffffff80000000UL,
		 pl_env.mon_base, 0);
	CHECK_EQ(r.error, SBI_ERR_INVALID_ADDRESS,
		 "hsm/suspend-type-sign-extended");
	r = SBI3(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, 0x80000000UL,
		 pl_env.mon_base, 0);
	CHECK_EQ(r.error, SBI_ERR_INVALID_ADDRESS,
		 "hsm/suspend-nonret-in-monitor");
	r = SBI3(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, 0x80000000UL, 0x1000, 0);
	CHECK_EQ(r.error, SBI_ERR_INVALID_ADDRESS,
		 "hsm/suspend-nonret-outside-ram");
	r = SBI3(SBI_EXT_SUSP, 0, 1, entry, 0);
	CHECK_EQ(r.error, SBI_ERR_INVALID_PARAM, "susp/reserved-sleep-type");
	r = SBI3(SBI_EXT_SUSP, 0, 0x80000000UL, entry, 0);
	CHECK_EQ(r.error, SBI_ERR_INVALID_PARAM, "susp/platform-sleep-type");
	r = SBI3(SBI_EXT_SUSP, 0, 0, pl_env.mon_base, 0);
	CHECK_EQ(r.error, SBI_ERR_INVALID_ADDRESS, "susp/resume-in-monitor");
	r = SBI3(SBI_EXT_SUSP, 0, 0xa5a5a5a500000000UL, pl_env.mon_base, 0);
	CHECK_EQ(r.error, SBI_ERR_INVALID_ADDRESS,
		 "susp/sleep-type-upper-bits");
	r = SBI3(SBI_EXT_SUSP, 1, 0, entry, 0);
	CHECK_EQ(r.error, SBI_ERR_NOT_SUPPORTED, "susp/unknown-fid");
	r = SBI1(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, SBI_EXT_SUSP);
	CHECK_EQ(r.value, 1, "susp/probe");
}

static void retentive_self(void)
{
	struct sbiret r;

	sie_set(SIE_STIE);
	arm_timer(2);
	r = SBI3(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, 0, 0, 0);
	CHECK_EQ(r.error, 0, "hsm/retentive-suspend-returns");
	CHECK(pl_read_time() >= deadline, "hsm/retentive-woke-by-timer");
	disarm_timer();
	sie_clear(SIE_STIE);
	r = SBI1(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, pl_env.boot_hartid);
	CHECK_EQ(r.value, SBI_HSM_STATE_STARTED, "hsm/started-after-resume");
}

/* A secondary suspends itself; an IPI wakes it. */
static void retentive_secondary(void)
{
	unsigned long h = pl_env.boot_hartid == 0 ? 1 : 0;
	unsigned long t0;
	long st = -1;
	struct sbiret r;

	if (pl_env.nharts < 2) {
		return;
	}
	pl_harts[h].command = PL_CMD_SUSPEND;
	r = SBI3(SBI_EXT_HSM, SBI_HSM_HART_START, h,
		 (unsigned long)pl_secondary_entry, 0);
	CHECK_EQ(r.error, 0, "hsm/start-for-suspend");
	for (t0 = pl_read_time(); pl_read_time() - t0 < 50000000;) {
		st = SBI1(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, h).value;
		if (st == SBI_HSM_STATE_SUSPENDED) {
			break;
		}
	}
	CHECK_EQ(st, SBI_HSM_STATE_SUSPENDED, "hsm/secondary-suspended");
	r = SBI2(SBI_EXT_HSM, SBI_HSM_HART_START, h, 0);
	CHECK_EQ(r.error, SBI_ERR_INVALID_ADDRESS,
		 "hsm/start-suspended-bad-addr");
	r = SBI3(SBI_EXT_HSM, SBI_HSM_HART_START, h,
		 (unsigned long)pl_secondary_entry, 0);
	CHECK_EQ(r.error, SBI_ERR_ALREADY_AVAILABLE,
		 "hsm/start-suspended-hart");
	SBI2(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 1UL << h, 0);
	for (t0 = pl_read_time(); pl_read_time() - t0 < 50000000;) {
		if (pl_harts[h].woke) {
			break;
		}
	}
	CHECK(pl_harts[h].woke, "hsm/ipi-wakes-suspended-hart");
	pl_harts[h].command = PL_CMD_STOP;
	for (t0 = pl_read_time(); pl_read_time() - t0 < 50000000;) {
		st = SBI1(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, h).value;
		if (st == SBI_HSM_STATE_STOPPED) {
			break;
		}
	}
	CHECK_EQ(st, SBI_HSM_STATE_STOPPED,
		 "hsm/secondary-stopped-after-suspend");
}

/* Runs on a secondary: retentive suspend with only SSIE enabled. */
void pl_secondary_suspend(unsigned long hartid)
{
	struct sbiret r;

	sie_set(SIE_SSIE);
	r = SBI3(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, 0, 0, 0);
	__asm__ volatile("csrc sip, %0" ::"r"(2UL));
	sie_clear(SIE_SSIE);
	if (r.error == 0) {
		pl_harts[hartid].woke = 1;
	}
}

void suite_suspend(void)
{
	struct sbiret r;

	suspend_errors();
	retentive_self();
	retentive_secondary();
	sie_set(SIE_STIE);
	arm_timer(2);
	r = SBI3(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, 0x80000000UL,
		 (unsigned long)pl_resume_entry, STAGE_HSM_NONRET);
	CHECK_EQ(r.error, 0xbad, "hsm/nonret-suspend-never-returns");
	pl_finish();
}

static void system_suspend(void)
{
	unsigned long h = pl_env.boot_hartid == 0 ? 1 : 0;
	struct sbiret r;

	if (pl_env.nharts >= 2) {
		pl_harts[h].command = PL_CMD_IDLE;
		SBI3(SBI_EXT_HSM, SBI_HSM_HART_START, h,
		     (unsigned long)pl_secondary_entry, 0);
		r = SBI3(SBI_EXT_SUSP, 0, 0, (unsigned long)pl_resume_entry,
			 STAGE_SYSTEM);
		CHECK_EQ(r.error, SBI_ERR_DENIED,
			 "susp/denied-while-hart-runs");
		pl_harts[h].command = PL_CMD_STOP;
		while (SBI1(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, h).value !=
		       SBI_HSM_STATE_STOPPED) {
		}
	}
	sie_set(SIE_STIE);
	arm_timer(2);
	r = SBI3(SBI_EXT_SUSP, 0, 0, (unsigned long)pl_resume_entry,
		 STAGE_SYSTEM);
	CHECK_EQ(r.error, 0xbad, "susp/suspend-never-returns");
	pl_finish();
}

void pl_resumed(unsigned long hartid, unsigned long opaque)
{
	CHECK_EQ(hartid, pl_env.boot_hartid, "suspend/resumed-a0-hartid");
	CHECK(pl_read_time() >= deadline, "suspend/woke-after-timer");
	disarm_timer();
	sie_clear(SIE_STIE);
	if (opaque == STAGE_HSM_NONRET) {
		CHECK(1, "hsm/nonret-resumed-at-address-with-opaque");
		system_suspend();
	} else if (opaque == STAGE_SYSTEM) {
		CHECK(1, "susp/resumed-at-address-with-opaque");
		suite_ptm();
		pl_finish();
	} else {
		CHECK_EQ(opaque, STAGE_SYSTEM, "suspend/resume-opaque");
		pl_finish();
	}
}
