// SPDX-License-Identifier: BSD-2-Clause
/* The page-table ABI extension (docs/abi.md): argument decoding only; the
 * rules live in monitor/ptm. */
#include "arch.h"
#include "console.h"
#include "pmu.h"
#include "ptm.h"
#include "sbi_ext.h"

static struct sbi_ret pair(long rc, unsigned long value)
{
	return (struct sbi_ret){rc, rc ? 0 : value};
}

static void trace_dump(void)
{
	uint64_t n[3];

	con_printf("secmon: trace: kind count nonzero-V=0 in-pool\n");
	for (unsigned k = 0; ptm_trace_counts(k, n); k++) {
		if (n[0]) {
			con_printf("secmon: trace: %2u %10lu %10lu %10lu\n", k,
				   (unsigned long)n[0], (unsigned long)n[1],
				   (unsigned long)n[2]);
		}
	}
}

#define PROFILE_FIDS 16
/* Profile build: instructions each FID's handler retired, all harts. */
static uint64_t fid_insns[PROFILE_FIDS];

/* INFO: the page-table manager's fields, and the profile's (which are the
 * trap layer's, not the PTM's). */
static struct sbi_ret info(unsigned long self, unsigned long field)
{
	uint64_t entries, insns;
	unsigned long v = 0;
	bool profile = arch_profile(&entries, &insns);
	long rc;

	if (field == SECMON_INFO_MONITOR_ENTRIES ||
	    field == SECMON_INFO_MONITOR_INSNS) {
		if (!profile) {
			return sbi_err(SBI_ERR_INVALID_PARAM);
		}
		return sbi_ok(field == SECMON_INFO_MONITOR_ENTRIES ? entries
								   : insns);
	}
	if (field >= SECMON_INFO_MONITOR_FID_INSNS(0) &&
	    field < SECMON_INFO_MONITOR_FID_INSNS(PROFILE_FIDS)) {
		if (!profile) {
			return sbi_err(SBI_ERR_INVALID_PARAM);
		}
		return sbi_ok(__atomic_load_n(
		    &fid_insns[field - SECMON_INFO_MONITOR_FID_INSNS(0)],
		    __ATOMIC_RELAXED));
	}
	rc = ptm_info_hart(self, field, &v);
	if (!rc && field == SECMON_INFO_FEATURES && profile) {
		v |= SECMON_FEAT_PROFILE;
	}
	return pair(rc, v);
}

/* HGATP_SET: validate, then load it on this hart (and drop its G-stage
 * TLB, as a write of a new root needs). */
static struct sbi_ret hgatp_set(const struct sbi_call *c)
{
	uint64_t out = 0;
	long rc = ptm_hgatp_write(c->hart, c->a[0], &out);

	if (!rc) {
		arch_write_hgatp(out);
	}
	return pair(rc, out);
}

static __attribute__((noinline)) struct sbi_ret ptm_more(struct sbi_call *c)
{
	unsigned long v = 0;
	char msg[160];
	long rc;

	switch (c->fid) {
	case SECMON_PTM_AS_DESTROY:
		return sbi_err(ptm_as_destroy(c->hart, c->a[0]));
	case SECMON_PTM_STATS:
		return sbi_err(ptm_stats(c->hart, c->a[0], c->a[1]));
	case SECMON_PTM_TRACE:
		return sbi_err(ptm_trace(c->a[0], c->a[1], c->a[2]));
	case SECMON_PTM_TRACE_DUMP:
		trace_dump();
		return sbi_ok(0);
	case SECMON_PTM_CHECK:
		rc = ptm_check(c->hart, msg, sizeof(msg));
		if (rc) {
			con_printf("secmon: ptm invariant violated: %s\n", msg);
		}
		return sbi_err(rc);
	case SECMON_PTM_INFO:
		return info(c->hart, c->a[0]);
	case SECMON_PTM_LOCK:
		rc = ptm_lock_kernel_hole(c->hart, c->a[0], c->a[1], c->a[2],
					  c->a[3], &c->a[4]);
		if (!rc) {
			con_printf("secmon: page tables locked; every hart's "
				   "satp and both roots checked\n");
		}
		return sbi_err(rc);
	case SECMON_PTM_AS_CREATE:
		rc = ptm_as_create_kind(c->hart, c->a[0], &v);
		return pair(rc, v);
	case SECMON_PTM_HGATP_SET:
		return hgatp_set(c);
	default:
		return sbi_err(SBI_ERR_NOT_SUPPORTED);
	}
}

/* Out of line, like ptm_more: the hot PTE_SET path keeps a small frame. */
static __attribute__((noinline)) struct sbi_ret ptm_warm(struct sbi_call *c)
{
	uint64_t old = 0;
	unsigned long v = 0;
	long rc;

	switch (c->fid) {
	case SECMON_PTM_PTE_MODIFY:
		rc = ptm_pte_modify(c->hart, c->a[0], c->a[1], c->a[2], c->a[3],
				    &old);
		return pair(rc, old);
	case SECMON_PTM_BATCH:
		rc = ptm_batch(c->hart, c->a[0], c->a[1], c->a[2], &v);
		return (struct sbi_ret){rc, v};
	case SECMON_PTM_PT_ALLOC:
		rc = ptm_pt_alloc(c->hart, c->a[0], c->a[1], &v);
		return pair(rc, v);
	case SECMON_PTM_PT_FREE:
		return sbi_err(ptm_pt_free(c->hart, c->a[0], c->a[1]));
	default:
		return ptm_more(c);
	}
}

/* PTE_SET first; every other call goes through ptm_warm. One PMU event
 * per call (refusals are counted by sbi_call, on its error path), where
 * it costs the hot path least. */
static struct sbi_ret ptm_call(struct sbi_call *c)
{
	uint64_t old = 0;
	long rc;

	if (c->fid != SECMON_PTM_PTE_SET) {
		pmu_fw_count(c->hart, c->fid < 16 ? PMU_SLOT_PTM_CALL(c->fid)
						  : PMU_SLOT_PTM_OTHER);
		return ptm_warm(c);
	}
	/* a3: the address the entry maps, fenced here once the store is
	 * done, so the kernel needs no trapped sfence.vma or hfence.gvma
	 * after it (docs/abi.md, SECMON_FEAT_FENCE_VA). */
	rc = ptm_pte_set_fenced(c->hart, c->a[0], c->a[1], c->a[2], c->a[3],
				&old);
	pmu_fw_count(c->hart, PMU_SLOT_PTM_CALL(SECMON_PTM_PTE_SET));
	return pair(rc, old);
}

#ifdef SECMON_PROFILE
struct sbi_ret sbi_ptm(struct sbi_call *c)
{
	uint64_t t0 = arch_instret();
	struct sbi_ret r = ptm_call(c);

	if (c->fid < PROFILE_FIDS) {
		__atomic_fetch_add(&fid_insns[c->fid], arch_instret() - t0,
				   __ATOMIC_RELAXED);
	}
	return r;
}
#else
struct sbi_ret sbi_ptm(struct sbi_call *c)
{
	return ptm_call(c);
}
#endif
