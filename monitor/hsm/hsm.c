// SPDX-License-Identifier: BSD-2-Clause
#include "hsm.h"

#include <secmon/sbi.h>

#include "arch.h"
#include "hart.h"
#include "memmap.h"
#include "platform.h"

/*
 * Internal state between winning the STOPPED -> START_PENDING race and
 * publishing the entry point; reported to callers as START_PENDING, but the
 * target does not act on it until addr/arg are written.
 */
#define HSM_STATE_CLAIMED 100

struct hsm_hart {
	long state; /* SBI_HSM_STATE_* */
	unsigned long addr; /* valid while START_PENDING */
	unsigned long arg;
};

/* hart_count() entries, in the per-hart region (hart_area_layout). */
static struct hsm_hart *hsm;

size_t hsm_hart_bytes(void)
{
	return sizeof(struct hsm_hart);
}

void hsm_attach(void *mem)
{
	hsm = mem;
}

static bool cas_state(unsigned long hart, long from, long to)
{
	return __atomic_compare_exchange_n(&hsm[hart].state, &from, to, false,
					   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

void hsm_init(unsigned long boot_hart)
{
	for (unsigned long i = 0; i < hart_count(); i++) {
		hsm[i] = (struct hsm_hart){0};
		hsm[i].state = i == boot_hart ? SBI_HSM_STATE_STARTED
					      : SBI_HSM_STATE_STOPPED;
	}
}

long hsm_state(unsigned long hart)
{
	if (!hart_exists(hart)) {
		return -1;
	}
	long st = __atomic_load_n(&hsm[hart].state, __ATOMIC_ACQUIRE);

	return st == HSM_STATE_CLAIMED ? SBI_HSM_STATE_START_PENDING : st;
}

bool hsm_running(unsigned long hart)
{
	long st = hsm_state(hart);

	return st == SBI_HSM_STATE_STARTED ||
	       st == SBI_HSM_STATE_STOP_PENDING ||
	       st == SBI_HSM_STATE_SUSPENDED;
}

bool hsm_entry_valid(unsigned long addr)
{
	return memmap_in_ram(addr, 4) && !memmap_in_monitor(addr, 4);
}

/*
 * A hart in STOP_PENDING has made its HSM stop call and is in M-mode on a
 * short path to STOPPED that S-mode cannot hold up. Linux reads the state
 * once right after the dying CPU reported itself dead, and may restart it
 * at once; wait (bounded) for that path rather than fail the start.
 */
#define HSM_STOP_WAIT_SPINS 100000U

static void wait_stopped(unsigned long hart)
{
	for (unsigned int i = 0;
	     i < HSM_STOP_WAIT_SPINS &&
	     __atomic_load_n(&hsm[hart].state, __ATOMIC_ACQUIRE) ==
		 SBI_HSM_STATE_STOP_PENDING;
	     i++) {
		arch_relax();
	}
}

long hsm_start(unsigned long hart, unsigned long addr, unsigned long arg)
{
	if (!hart_exists(hart)) {
		return SBI_ERR_INVALID_PARAM;
	}
	/* The entry point must be RAM the OS owns: not the monitor. */
	if (!hsm_entry_valid(addr)) {
		return SBI_ERR_INVALID_ADDRESS;
	}
	wait_stopped(hart);
	if (!cas_state(hart, SBI_HSM_STATE_STOPPED, HSM_STATE_CLAIMED)) {
		return SBI_ERR_ALREADY_AVAILABLE;
	}
	hsm[hart].addr = addr;
	hsm[hart].arg = arg;
	__atomic_store_n(&hsm[hart].state, SBI_HSM_STATE_START_PENDING,
			 __ATOMIC_RELEASE);
	hart_post(hart, HART_MSG_WAKE);
	return SBI_SUCCESS;
}

long hsm_stop(unsigned long self)
{
	if (!cas_state(self, SBI_HSM_STATE_STARTED,
		       SBI_HSM_STATE_STOP_PENDING)) {
		return SBI_ERR_FAILED;
	}
	return SBI_SUCCESS;
}

void hsm_stopped(unsigned long self)
{
	cas_state(self, SBI_HSM_STATE_STOP_PENDING, SBI_HSM_STATE_STOPPED);
}

bool hsm_take_start(unsigned long self, unsigned long *addr, unsigned long *arg)
{
	if (__atomic_load_n(&hsm[self].state, __ATOMIC_ACQUIRE) !=
	    SBI_HSM_STATE_START_PENDING) {
		return false;
	}
	/* START_PENDING was stored with release after addr/arg. */
	*addr = hsm[self].addr;
	*arg = hsm[self].arg;
	return cas_state(self, SBI_HSM_STATE_START_PENDING,
			 SBI_HSM_STATE_STARTED);
}

long hsm_suspend(unsigned long self, unsigned long type, unsigned long addr,
		 unsigned long arg, bool *retentive)
{
	/* Only the two default types exist here; every other value is
	 * reserved or platform-specific and unimplemented. */
	if (type != HSM_SUSPEND_RETENTIVE &&
	    type != HSM_SUSPEND_NON_RETENTIVE) {
		return SBI_ERR_INVALID_PARAM;
	}
	*retentive = type == HSM_SUSPEND_RETENTIVE;
	if (!*retentive && !hsm_entry_valid(addr)) {
		return SBI_ERR_INVALID_ADDRESS;
	}
	hsm[self].addr = addr;
	hsm[self].arg = arg;
	if (!cas_state(self, SBI_HSM_STATE_STARTED, SBI_HSM_STATE_SUSPENDED)) {
		return SBI_ERR_FAILED;
	}
	return SBI_SUCCESS;
}

void hsm_wait_wakeup(unsigned long self)
{
	while (!arch_s_irq_pending()) {
		arch_wfi();
		if (arch_msip_pending()) {
			hart_serve(self);
		}
		if (arch_mtip_pending()) {
			/* No Sstc: the S timer deadline lives in mtimecmp. */
			arch_mtimer_irq(false);
			arch_set_stip();
		}
	}
	cas_state(self, SBI_HSM_STATE_SUSPENDED, SBI_HSM_STATE_STARTED);
}

void hsm_resume_point(unsigned long self, unsigned long *addr,
		      unsigned long *arg)
{
	*addr = hsm[self].addr;
	*arg = hsm[self].arg;
}

long hsm_others_stopped(unsigned long self)
{
	for (unsigned long h = 0; h < hart_count(); h++) {
		if (h != self && hsm_state(h) != SBI_HSM_STATE_STOPPED) {
			return SBI_ERR_DENIED;
		}
	}
	return SBI_SUCCESS;
}
