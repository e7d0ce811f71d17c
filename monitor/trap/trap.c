// SPDX-License-Identifier: BSD-2-Clause
/*
 * Trap dispatch: SBI ecalls, M-mode interrupts (IPI mailbox, timer), and
 * exceptions from S/U that are not delegated, which go back to S-mode as
 * the hardware would have delivered them. Anything from M-mode is fatal.
 */
#include "arch_rv.h"
#include "console.h"
#include "hart.h"
#include "hsm.h"
#include "pmu.h"
#include "sse.h"
#include "sbi.h"

#define CAUSE_IRQ (1UL << 63)
#define IRQ_M_SOFT 3
#define IRQ_M_TIMER 7
#define IRQ_LCOF 13 /* Sscofpmf local counter overflow */
#define PRV_M 3
#define PRV_S 1
#define CAUSE_ILLEGAL_INSN 2

static_assert(offsetof(struct sbi_call, fid) == 6 * 8 &&
		  offsetof(struct sbi_call, eid) == 7 * 8,
	      "struct sbi_call overlays a0-a7 (x10-x17) of the trap frame");

/* What a call asked the trap layer to do after its result is written. */
static void trap_ecall_action(struct trap_frame *tf, enum sbi_action act)
{
	unsigned long addr, arg;

	switch (act) {
	case SBI_ACT_STOP_HART:
		rv_park(tf->hart);
	case SBI_ACT_SUSPEND:
		hsm_wait_wakeup(tf->hart);
		break;
	case SBI_ACT_RESUME_AT:
		hsm_wait_wakeup(tf->hart);
		hsm_resume_point(tf->hart, &addr, &arg);
		boot_enter_os(tf->hart, addr, arg);
	default:
		break;
	}
}

/*
 * Called by trap_entry.S with mepc already past the ecall. Only the
 * caller-saved registers are in the frame; the call's bookkeeping fields
 * (hartid, action, legacy) land in the s2-s4 slots, which this path
 * neither saved nor restores.
 */
void trap_ecall(struct trap_frame *tf)
{
	struct sbi_call *c = (struct sbi_call *)&tf->x[10];
	struct sbi_ret r;
	enum sbi_action act;

	c->hart = tf->hart;
	r = sbi_call(c);
	act = c->action;
	tf->ecalls++;
	if (c->legacy) {
		tf->x[10] = r.value;
	} else if (act != SBI_ACT_RESUMED) {
		tf->x[10] = (unsigned long)r.error;
		tf->x[11] = r.value;
	}
	if (act != SBI_ACT_NONE && act != SBI_ACT_RESUMED) {
		trap_ecall_action(tf, act);
	}
}

/* trap_entry.S, on the way back to S/U when the frame's sse_due is set. */
void trap_sse_exit(struct trap_frame *tf)
{
	sse_enter_due(tf->hart, &tf->x[16], &tf->x[17]);
}

static void trap_irq(struct trap_frame *tf, unsigned long irq)
{
	switch (irq) {
	case IRQ_M_SOFT:
		hart_serve(tf->hart);
		break;
	case IRQ_LCOF:
		/* Routed here only while the SSE PMU overflow event is on. */
		arch_lcofi_ack();
		sse_pmu_overflow(tf->hart);
		break;
	case IRQ_M_TIMER:
		/* Only used without Sstc: hand the deadline to S-mode. */
		arch_mtimer_irq(false);
		arch_set_stip();
		break;
	default:
		con_printf(
		    "secmon: hart %lu: unexpected interrupt %lu masked\n",
		    hart_id(tf->hart), irq);
		rv_mie_clear(1UL << irq);
		break;
	}
}

void trap_handler(struct trap_frame *tf)
{
	unsigned long cause = rv_mcause();

	if (cause == CAUSE_ILLEGAL_INSN && rv_trap_prev_mode() != PRV_M) {
		pmu_fw_count(tf->hart, SBI_PMU_FW_ILLEGAL_INSN);
	}
	if (cause & CAUSE_IRQ) {
		trap_irq(tf, cause & ~CAUSE_IRQ);
	} else if (rv_trap_from_v()) {
		/* A guest's trap is its hypervisor's to handle: the monitor
		 * emulates nothing for V=1 (its satp is vsatp, its sret is
		 * the guest's own). */
		tf->redirects++;
		rv_redirect_to_s(cause, rv_mtval());
	} else if (cause == CAUSE_ILLEGAL_INSN &&
		   rv_trap_prev_mode() == PRV_S &&
		   trap_emulate(tf, rv_mtval())) {
		return;
	} else if (rv_trap_prev_mode() != PRV_M) {
		tf->redirects++;
		rv_redirect_to_s(cause, rv_mtval());
	} else {
		trap_fatal(tf);
	}
}
