// SPDX-License-Identifier: BSD-2-Clause
/* TIME extension (SBI v2.0 §6). */
#include "arch.h"
#include "platform.h"
#include "pmu.h"
#include "sbi_ext.h"

/*
 * With Sstc the S-mode timer is stimecmp itself. Without it, arm this
 * hart's mtimecmp; the M timer interrupt then raises STIP (trap.c).
 * Either way a new deadline clears any pending S timer interrupt, as the
 * spec requires.
 */
void sbi_set_timer(unsigned long hartid, unsigned long long when)
{
	const struct plat_hart *h = &plat.harts[hartid];

	if (h->isa & PLAT_ISA_SSTC) {
		arch_write_stimecmp(when);
		return;
	}
	arch_mmio_write64((uintptr_t)h->mtimecmp, when);
	arch_clear_stip();
	arch_mtimer_irq(true);
}

struct sbi_ret sbi_time(struct sbi_call *c)
{
	if (c->fid != SBI_TIME_SET_TIMER) {
		return sbi_err(SBI_ERR_NOT_SUPPORTED);
	}
	sbi_set_timer(c->hart, c->a[0]);
	pmu_fw_count(c->hart, SBI_PMU_FW_SET_TIMER);
	return sbi_ok(0);
}
