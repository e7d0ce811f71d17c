// SPDX-License-Identifier: BSD-2-Clause
/*
 * Trace mode: counts page-table events that a permissive, instrumented
 * kernel reports (docs/trace.md). It validates and changes nothing; it is
 * how the ABI was designed from Linux's real call patterns.
 */
#include <secmon/sbi.h>

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

bool ptm_trace_counts(unsigned kind, uint64_t out[3])
{
	if (kind >= SECMON_TRACE_KINDS) {
		return false;
	}
	out[0] = __atomic_load_n(&trace_count[kind], __ATOMIC_RELAXED);
	out[1] = __atomic_load_n(&trace_v0[kind], __ATOMIC_RELAXED);
	out[2] = __atomic_load_n(&trace_in_pool[kind], __ATOMIC_RELAXED);
	return true;
}
