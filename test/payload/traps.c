// SPDX-License-Identifier: BSD-2-Clause
/* S-mode trap handling for probes that are meant to fault. */
#include "payload.h"

static volatile int expecting;
static struct pl_trap_record rec;

void pl_expect_trap(void)
{
	rec = (struct pl_trap_record){-1, 0, 0};
	expecting = 1;
}

struct pl_trap_record pl_trap_result(void)
{
	expecting = 0;
	return rec;
}

void pl_trap(void)
{
	unsigned long cause, epc, tval;

	__asm__ volatile("csrr %0, scause" : "=r"(cause));
	__asm__ volatile("csrr %0, sepc" : "=r"(epc));
	__asm__ volatile("csrr %0, stval" : "=r"(tval));
	if (!expecting) {
		pl_printf(
		    "FAIL payload/unexpected-trap: scause 0x%lx sepc 0x%lx "
		    "stval 0x%lx\n",
		    cause, epc, tval);
		SBI2(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET,
		     SBI_SRST_TYPE_SHUTDOWN, SBI_SRST_REASON_SYSFAIL);
	}
	rec = (struct pl_trap_record){(long)cause, tval, epc};
	expecting = 0;
	/* Probes are single 4-byte instructions: resume after them. */
	__asm__ volatile("csrw sepc, %0" ::"r"(epc + 4));
}
