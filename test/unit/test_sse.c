// SPDX-License-Identifier: BSD-2-Clause
/*
 * SSE on the fake machine: entering a handler and resuming from it
 * (SBI v3.0 §17.4, §17.5) as CSRs and a6/a7, priorities and preemption,
 * injection into another hart, and attribute writes that are all or
 * nothing.
 */
#include <string.h>

#include "harness.h"
#include "sse.h"
#include "support.h"

#define LOCAL_SW SSE_EVENT_LOCAL_SW
#define GLOBAL_SW SSE_EVENT_GLOBAL_SW
#define HANDLER (TEST_OS_ADDR + 0x100)
#define ATTRS (TEST_OS_ADDR + 0x2000)
#define SSTATUS_SIE (1UL << 1)
#define SSTATUS_SPIE (1UL << 5)
#define SSTATUS_SPP (1UL << 8)

static struct sbi_ret sse(unsigned long fid, unsigned long a0, unsigned long a1,
			  unsigned long a2)
{
	return ecall(SBI_EXT_SSE, fid, a0, a1, a2, 0, 0);
}

static struct fake_hart_state *cpu(void)
{
	return fake_hart_state(fake_hart());
}

/* Registered, enabled and unmasked on the current hart. */
static void ready(uint32_t id, unsigned long arg)
{
	CHECK_EQ(sse(2, id, HANDLER, arg).error, 0);
	CHECK_EQ(sse(4, id, 0, 0).error, 0);
}

static void test_enter_and_resume(void)
{
	unsigned long a6 = 0x66, a7 = 0x77;

	test_boot("virt-4hart", 0);
	ready(LOCAL_SW, 0xa49);
	CHECK_EQ(sse(8, 0, 0, 0).error, 0);
	CHECK_EQ(sse(7, LOCAL_SW, 0, 0).error, 0);
	/* Interrupted: U-mode at 0x1000, SIE set, sepc/SPP/SPIE from before. */
	cpu()->mepc = 0x1000;
	cpu()->mpp_s = false;
	cpu()->sepc = 0x2000;
	cpu()->sstatus = SSTATUS_SIE | SSTATUS_SPIE;
	sse_deliver(0, &a6, &a7);
	CHECK_EQ(cpu()->mepc, HANDLER);
	CHECK(cpu()->mpp_s);
	CHECK_EQ(cpu()->sepc, 0x1000);
	CHECK_EQ(cpu()->sstatus, SSTATUS_SPIE); /* SPP = U, SIE off */
	CHECK_EQ(a6, 0);
	CHECK_EQ(a7, 0xa49);
	/* The handler ran in S-mode and asks to complete. */
	cpu()->sstatus = SSTATUS_SPIE;
	CHECK(sse_complete(0, &a6, &a7));
	CHECK_EQ(cpu()->mepc, 0x1000);
	CHECK(!cpu()->mpp_s);
	CHECK_EQ(cpu()->sepc, 0x2000);
	CHECK_EQ(cpu()->sstatus, SSTATUS_SIE | SSTATUS_SPIE);
	CHECK_EQ(a6, 0x66);
	CHECK_EQ(a7, 0x77);
	/* Nothing runs any more: complete is a plain call. */
	CHECK(!sse_complete(0, &a6, &a7));
}

/* Lower priority value (then lower ID) preempts; complete returns to the
 * preempted handler. */
/* An event that interrupts a guest (V=1, VS-mode) runs its handler in
 * HS-mode with hstatus.SPV/SPVP naming the guest; complete goes back into
 * the guest and gives hstatus its old SPV/SPVP (§17.4, §17.5). */
#define HSTATUS_SPV (1UL << 7)
#define HSTATUS_SPVP (1UL << 8)
#define HSTATUS_VTW (1UL << 21) /* any other bit: left alone */

static void test_enter_from_guest(void)
{
	unsigned long a6 = 1, a7 = 2, flags = 0;

	test_boot("virt-4hart", 0);
	ready(LOCAL_SW, 0);
	CHECK_EQ(sse(8, 0, 0, 0).error, 0);
	CHECK_EQ(sse(7, LOCAL_SW, 0, 0).error, 0);
	cpu()->mepc = 0x3000;
	cpu()->mpp_s = true; /* VS-mode */
	cpu()->mpv = true;
	cpu()->hstatus = HSTATUS_SPVP | HSTATUS_VTW; /* SPV 0, SPVP 1 */
	cpu()->sstatus = SSTATUS_SPP;
	sse_deliver(0, &a6, &a7);
	CHECK_EQ(cpu()->mepc, HANDLER);
	CHECK(cpu()->mpp_s);
	CHECK(!cpu()->mpv); /* the handler is the host's */
	CHECK_EQ(cpu()->hstatus, HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_VTW);
	CHECK_EQ(cpu()->sstatus & SSTATUS_SPP, SSTATUS_SPP);
	/* INTERRUPTED_FLAGS has the SPV/SPVP that were there before. */
	CHECK_EQ(ecall(SBI_EXT_SSE, 0, LOCAL_SW, 7, 1, ATTRS, 0).error, 0);
	memcpy(&flags, fake_ram(ATTRS, 8), 8);
	CHECK_EQ(flags & 0xc, 0x8);
	CHECK_EQ(flags & 0x3, 0x1); /* the SPP and SPIE from before */
	CHECK(sse_complete(0, &a6, &a7));
	CHECK_EQ(cpu()->mepc, 0x3000);
	CHECK(cpu()->mpv);
	CHECK(cpu()->mpp_s);
	CHECK_EQ(cpu()->hstatus, HSTATUS_SPVP | HSTATUS_VTW);
	/* From HS-mode: SPV ends 0 in the handler, V stays 0. */
	cpu()->mpv = false;
	cpu()->hstatus = HSTATUS_SPV;
	CHECK_EQ(sse(7, LOCAL_SW, 0, 0).error, 0);
	sse_deliver(0, &a6, &a7);
	CHECK(!cpu()->mpv);
	CHECK_EQ(cpu()->hstatus, 0);
	CHECK(sse_complete(0, &a6, &a7));
	CHECK(!cpu()->mpv);
	CHECK_EQ(cpu()->hstatus, HSTATUS_SPV);
	/* A hart without H: the flags' H bits are not writable. */
	cpu()->no_h = true;
	CHECK_EQ(sse(7, LOCAL_SW, 0, 0).error, 0);
	sse_deliver(0, &a6, &a7);
	flags = 4;
	memcpy(fake_ram(ATTRS, 8), &flags, 8);
	CHECK_EQ(ecall(SBI_EXT_SSE, 1, LOCAL_SW, 7, 1, ATTRS, 0).error,
		 SBI_ERR_INVALID_PARAM);
	cpu()->no_h = false;
	CHECK_EQ(ecall(SBI_EXT_SSE, 1, LOCAL_SW, 7, 1, ATTRS, 0).error, 0);
	cpu()->no_h = true;
	CHECK(sse_complete(0, &a6, &a7));
	cpu()->no_h = false;
}

static void test_priority_preemption(void)
{
	unsigned long a6 = 1, a7 = 2;
	unsigned long *prio = fake_ram(ATTRS, 8);

	test_boot("virt-4hart", 0);
	*prio = 5;
	CHECK_EQ(sse(2, LOCAL_SW, HANDLER, 0x10).error, 0);
	CHECK_EQ(ecall(SBI_EXT_SSE, 1, LOCAL_SW, 1, 1, ATTRS, 0).error, 0);
	CHECK_EQ(sse(4, LOCAL_SW, 0, 0).error, 0);
	ready(GLOBAL_SW, 0x20); /* priority 0: outranks the local one */
	CHECK_EQ(sse(8, 0, 0, 0).error, 0);
	CHECK_EQ(sse(7, LOCAL_SW, 0, 0).error, 0);
	cpu()->mepc = 0x1000;
	sse_deliver(0, &a6, &a7);
	CHECK_EQ(a7, 0x10);
	/* The global event arrives while the local handler runs. */
	CHECK_EQ(sse(7, GLOBAL_SW, 0, 0).error, 0);
	cpu()->mepc = 0x3000;
	sse_deliver(0, &a6, &a7);
	CHECK_EQ(a7, 0x20);
	CHECK_EQ(cpu()->sepc, 0x3000);
	/* The local one, injected again, waits: it ranks lower. */
	CHECK_EQ(sse(7, LOCAL_SW, 0, 0).error, 0);
	cpu()->mepc = 0x4000;
	sse_deliver(0, &a6, &a7);
	CHECK_EQ(cpu()->mepc, 0x4000);
	CHECK(sse_complete(0, &a6, &a7));
	CHECK_EQ(a7, 0x10); /* back in the local handler */
	CHECK_EQ(cpu()->mepc, 0x3000);
}

static void test_inject_other_hart(void)
{
	unsigned long a6 = 0, a7 = 0;

	test_boot("virt-4hart", 0);
	fake_set_hart(2);
	ready(LOCAL_SW, 0);
	fake_set_hart(0);
	fake_mmio_clear_log();
	CHECK_EQ(sse(7, LOCAL_SW, 2, 0).error, 0);
	CHECK_EQ(fake_mmio_writes_of(TEST_MSIP(2), 1), 1);
	CHECK(sse_maybe_pending(2));
	/* Hart 2 is masked: the event waits, still pending. */
	fake_set_hart(2);
	cpu()->mepc = 0x1000;
	sse_deliver(2, &a6, &a7);
	CHECK_EQ(cpu()->mepc, 0x1000);
	CHECK_EQ(sse(8, 0, 0, 0).error, 0);
	sse_deliver(2, &a6, &a7);
	CHECK_EQ(cpu()->mepc, HANDLER);
	CHECK_EQ(a6, 2);
	/* A hart reset (HSM start) forgets its local event. */
	sse_hart_reset(2);
	CHECK_EQ(sse(5, LOCAL_SW, 0, 0).error, SBI_ERR_INVALID_STATE);
}

/* One bad attribute in a range: nothing is written. */
static void test_write_all_or_nothing(void)
{
	unsigned long *v = fake_ram(ATTRS, 24);
	unsigned long *out = fake_ram(ATTRS + 0x100, 24);

	test_boot("virt-4hart", 0);
	CHECK_EQ(sse(2, GLOBAL_SW, HANDLER, 0).error, 0);
	v[0] = 9; /* PRIORITY */
	v[1] = 1; /* CONFIG: one-shot */
	v[2] = 77; /* PREFERRED_HART: no such hart */
	CHECK_EQ(ecall(SBI_EXT_SSE, 1, GLOBAL_SW, 1, 3, ATTRS, 0).error,
		 SBI_ERR_INVALID_PARAM);
	CHECK_EQ(ecall(SBI_EXT_SSE, 0, GLOBAL_SW, 1, 3, ATTRS + 0x100, 0).error,
		 0);
	CHECK_EQ(out[0], 0);
	CHECK_EQ(out[1], 0);
	CHECK_EQ(out[2], 0); /* the boot hart */
	v[2] = 3;
	CHECK_EQ(ecall(SBI_EXT_SSE, 1, GLOBAL_SW, 1, 3, ATTRS, 0).error, 0);
	CHECK_EQ(ecall(SBI_EXT_SSE, 0, GLOBAL_SW, 1, 3, ATTRS + 0x100, 0).error,
		 0);
	CHECK_EQ(out[0], 9);
	CHECK_EQ(out[1], 1);
	CHECK_EQ(out[2], 3);
	/* event_id is uint32_t: upper bits name the same event. */
	CHECK_EQ(sse(3, GLOBAL_SW | 1UL << 32, 0, 0).error, 0);
}

/* The PMU overflow event takes the hart's LCOFI while it is enabled, and
 * gives it back (with S-mode's enable bit) when it is not. */
static void test_pmu_overflow_routing(void)
{
	unsigned long a6 = 0, a7 = 0;

	test_boot("virt-4hart", 0); /* no Sscofpmf */
	CHECK_EQ(sse(2, SSE_EVENT_PMU_OVERFLOW, HANDLER, 0).error,
		 SBI_ERR_NOT_SUPPORTED);
	test_boot("virt-8hart", 0); /* Sscofpmf on every hart */
	cpu()->lcofie = true; /* S-mode enabled LCOFI itself */
	ready(SSE_EVENT_PMU_OVERFLOW, 0x50);
	CHECK(cpu()->lcofi_to_m);
	CHECK_EQ(sse(7, SSE_EVENT_PMU_OVERFLOW, 0, 0).error,
		 SBI_ERR_INVALID_PARAM);
	CHECK_EQ(sse(8, 0, 0, 0).error, 0);
	sse_pmu_overflow(0);
	cpu()->mepc = 0x1000;
	sse_deliver(0, &a6, &a7);
	CHECK_EQ(a7, 0x50);
	CHECK(sse_complete(0, &a6, &a7));
	CHECK(cpu()->lcofi_to_m); /* still enabled */
	CHECK_EQ(sse(5, SSE_EVENT_PMU_OVERFLOW, 0, 0).error, 0);
	CHECK(!cpu()->lcofi_to_m);
	CHECK(cpu()->lcofie);
}

int main(void)
{
	RUN(test_enter_and_resume);
	RUN(test_enter_from_guest);
	RUN(test_priority_preemption);
	RUN(test_inject_other_hart);
	RUN(test_write_all_or_nothing);
	RUN(test_pmu_overflow_routing);
	return test_finish();
}
