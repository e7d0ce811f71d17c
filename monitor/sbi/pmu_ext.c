// SPDX-License-Identifier: BSD-2-Clause
/* PMU extension (SBI v3.0 §11): argument decoding; the counters are in
 * monitor/pmu. On RV64 event_data and initial_value fill one register. */
#include "pmu.h"
#include "sbi_ext.h"

static struct sbi_ret pair(long rc, unsigned long value)
{
	return (struct sbi_ret){rc, rc ? 0 : value};
}

struct sbi_ret sbi_pmu(struct sbi_call *c)
{
	unsigned long h = c->hart;
	unsigned long v = 0;
	uint64_t v64 = 0;
	long rc;

	switch (c->fid) {
	case SBI_PMU_NUM_COUNTERS:
		return sbi_ok(pmu_num_counters());
	case SBI_PMU_COUNTER_GET_INFO:
		rc = pmu_counter_info(c->a[0], &v);
		return pair(rc, v);
	case SBI_PMU_COUNTER_CFG_MATCH:
		rc = pmu_config_matching(h, c->a[0], c->a[1], c->a[2], c->a[3],
					 c->a[4], &v);
		return pair(rc, v);
	case SBI_PMU_COUNTER_START:
		return sbi_err(
		    pmu_start(h, c->a[0], c->a[1], c->a[2], c->a[3]));
	case SBI_PMU_COUNTER_STOP:
		return sbi_err(pmu_stop(h, c->a[0], c->a[1], c->a[2]));
	case SBI_PMU_COUNTER_FW_READ:
		rc = pmu_fw_read(h, c->a[0], &v64);
		return pair(rc, v64);
	case SBI_PMU_COUNTER_FW_READ_HI:
		/* RV64: the value has no upper half (§11.12). */
		rc = pmu_fw_read(h, c->a[0], &v64);
		return pair(rc, 0);
	case SBI_PMU_SNAPSHOT_SET_SHMEM:
		return sbi_err(pmu_snapshot_set(h, c->a[0], c->a[1], c->a[2]));
	case SBI_PMU_EVENT_GET_INFO:
		return sbi_err(
		    pmu_event_info(c->a[0], c->a[1], c->a[2], c->a[3]));
	default:
		return sbi_err(SBI_ERR_NOT_SUPPORTED);
	}
}
