// SPDX-License-Identifier: BSD-2-Clause
/*
 * Trace mode: counts page-table events that a permissive, instrumented
 * kernel reports (docs/trace.md). It validates and changes nothing; it is
 * how the ABI was designed from Linux's real call patterns.
 */
#include <secmon/sbi.h>

#include "console.h"
#include "ptm_internal.h"

static uint64_t trace_count[SECMON_TRACE_KINDS];
static uint64_t trace_v0[SECMON_TRACE_KINDS]; /* events writing a V=0 value */
static uint64_t trace_in_pool[SECMON_TRACE_KINDS];

long ptm_trace(unsigned long kind, uint64_t pa, uint64_t value)
{
	if (kind >= SECMON_TRACE_KINDS) {
		return SBI_ERR_INVALID_PARAM;
	}
	__atomic_fetch_add(&trace_count[kind], 1, __ATOMIC_RELAXED);
	if (value && !(value & SECMON_PTE_V)) {
		__atomic_fetch_add(&trace_v0[kind], 1, __ATOMIC_RELAXED);
	}
	if (ptm_in_pool(pa, 8)) {
		__atomic_fetch_add(&trace_in_pool[kind], 1, __ATOMIC_RELAXED);
	}
	return SBI_SUCCESS;
}

void ptm_trace_dump(void)
{
	con_printf("secmon: trace: kind count nonzero-V=0 in-pool\n");
	for (unsigned k = 0; k < SECMON_TRACE_KINDS; k++) {
		if (trace_count[k]) {
			con_printf("secmon: trace: %2u %10lu %10lu %10lu\n", k,
				   (unsigned long)trace_count[k],
				   (unsigned long)trace_v0[k],
				   (unsigned long)trace_in_pool[k]);
		}
	}
}
