/* SPDX-License-Identifier: BSD-2-Clause */
/* Private to monitor/sbi: one handler per extension, and hart-mask walking. */
#ifndef SECMON_SBI_EXT_H
#define SECMON_SBI_EXT_H

#include <secmon/abi.h>

#include "sbi.h"

/*
 * Every extension the monitor implements, written once: dispatch.c builds
 * its table from this list, and BASE probe_extension (base.c) answers from
 * it, so neither file needs the other.
 */
#define SBI_EXTENSIONS(X)                                                      \
	X(SBI_EXT_BASE, sbi_base)                                              \
	X(SBI_EXT_TIME, sbi_time)                                              \
	X(SBI_EXT_IPI, sbi_ipi)                                                \
	X(SBI_EXT_RFENCE, sbi_rfence)                                          \
	X(SBI_EXT_HSM, sbi_hsm)                                                \
	X(SBI_EXT_SRST, sbi_srst)                                              \
	X(SBI_EXT_DBCN, sbi_dbcn)                                              \
	X(SBI_EXT_SUSP, sbi_susp)                                              \
	X(SBI_EXT_PMU, sbi_pmu)                                                \
	X(SBI_EXT_FWFT, sbi_fwft)                                              \
	X(SBI_EXT_SSE, sbi_sse)                                                \
	X(SBI_EXT_DBTR, sbi_dbtr)                                              \
	X(SECMON_EXT_PTM, sbi_ptm)

struct sbi_ret sbi_base(struct sbi_call *c);
struct sbi_ret sbi_legacy(struct sbi_call *c);
struct sbi_ret sbi_time(struct sbi_call *c);
struct sbi_ret sbi_ipi(struct sbi_call *c);
struct sbi_ret sbi_rfence(struct sbi_call *c);
struct sbi_ret sbi_hsm(struct sbi_call *c);
struct sbi_ret sbi_srst(struct sbi_call *c);
struct sbi_ret sbi_dbcn(struct sbi_call *c);
struct sbi_ret sbi_susp(struct sbi_call *c);
struct sbi_ret sbi_pmu(struct sbi_call *c);
struct sbi_ret sbi_fwft(struct sbi_call *c);
struct sbi_ret sbi_sse(struct sbi_call *c);
struct sbi_ret sbi_dbtr(struct sbi_call *c);
struct sbi_ret sbi_ptm(struct sbi_call *c);

static inline struct sbi_ret sbi_err(long e)
{
	return (struct sbi_ret){e, 0};
}

static inline struct sbi_ret sbi_ok(unsigned long v)
{
	return (struct sbi_ret){SBI_SUCCESS, v};
}

/*
 * SBI v2.0 §3.1 hart masks: hart_mask_base == -1 means every hart and the
 * mask is ignored; otherwise bit i names the hart whose hartid is
 * base + i, so a call names at most 64 harts, anywhere in the hartid
 * space. sbi_hartmask() returns SBI_ERR_INVALID_PARAM if any named hart
 * does not exist, before anything has been done; then
 * sbi_hartset_next() yields the named harts as indices (monitor/hart).
 */
struct sbi_hartset {
	unsigned long mask, base;
};
long sbi_hartmask(unsigned long mask, unsigned long base,
		  struct sbi_hartset *s);
/* Start with *pos = 0; false when no hart is left. */
bool sbi_hartset_next(const struct sbi_hartset *s, unsigned long *pos,
		      unsigned long *hart);
/* Does the set name this hart (an index)? */
bool sbi_hartset_has(const struct sbi_hartset *s, unsigned long hart);

void sbi_set_timer(unsigned long hartid, unsigned long long when);

#endif
