/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The SBI performance monitoring unit (SBI v3.0 §11) for the calling hart.
 *
 * Logical counters: 0 .. pmu_hw_count()-1 are the hardware counters,
 * numbered as their CSRs are (0 cycle, 2 instret, 3..31 hpmcounter; 1 is
 * time and never a PMU counter); the PMU_FW_COUNTERS firmware counters
 * follow. Every hart has its own set and only that hart touches it, so
 * nothing here takes a lock; the snapshot page is read and written
 * under the memmap lock like every OS buffer.
 *
 * What S-mode may see (docs/threat-model.md): mcounteren has CY, TM and IR
 * always and an hpmcounter's bit only while the counter is configured.
 * The mode filters (Sscofpmf's inhibit bits) are set as S-mode asks, M's
 * included: QEMU 7.2 signals no overflow for an event with MINH set, so
 * forcing it would end sampling there.
 */
#ifndef SECMON_PMU_H
#define SECMON_PMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <secmon/sbi.h>

#include "platform.h"

#define PMU_FW_COUNTERS 16
#define PMU_MAX_COUNTERS (32 + PMU_FW_COUNTERS)

/*
 * Firmware events, one count per hart: the standard codes 0..21 at their
 * own slot, then secmon's page-table ABI events (SECMON_PMU_FW_PTM_*).
 */
#define PMU_FW_STD_SLOTS 22
#define PMU_SLOT_PTM_CALL(fid) (PMU_FW_STD_SLOTS + (fid)) /* fid < 16 */
#define PMU_SLOT_PTM_ANY (PMU_FW_STD_SLOTS + 16) /* the sum; never counted */
#define PMU_SLOT_PTM_REFUSED (PMU_FW_STD_SLOTS + 17)
#define PMU_SLOT_PTM_OTHER (PMU_FW_STD_SLOTS + 18) /* FIDs 16 and up */
#define PMU_FW_SLOTS (PMU_FW_STD_SLOTS + 19)

/* One row per hart, in the per-hart region (pmu_attach). */
extern uint64_t (*pmu_fw_events)[PMU_FW_SLOTS];

/* The per-hart region's share (monitor/hart): both arrays. */
size_t pmu_hart_bytes(void);
void pmu_attach(void *mem, unsigned int n);

/* One firmware event on the calling hart (its own row: no atomics). */
static inline void pmu_fw_count(unsigned long hart, unsigned int slot)
{
	pmu_fw_events[hart][slot]++;
}

/* Boot hart, once: the counters the tree maps and the CPU has. */
void pmu_init(const struct plat_info *pi);
/* The calling hart at cold boot and whenever HSM starts it: every
 * counter stopped and unmapped, no snapshot page. */
void pmu_hart_reset(unsigned long hartid);

/* The SBI calls (§11.6-§11.14); each checks everything before it changes
 * anything and returns an SBI error code. */
unsigned long pmu_num_counters(void);
long pmu_counter_info(unsigned long idx, unsigned long *info);
long pmu_config_matching(unsigned long hartid, unsigned long base,
			 unsigned long mask, unsigned long flags,
			 unsigned long event, uint64_t data,
			 unsigned long *idx);
long pmu_start(unsigned long hartid, unsigned long base, unsigned long mask,
	       unsigned long flags, uint64_t initial);
long pmu_stop(unsigned long hartid, unsigned long base, unsigned long mask,
	      unsigned long flags);
long pmu_fw_read(unsigned long hartid, unsigned long idx, uint64_t *value);
long pmu_snapshot_set(unsigned long hartid, unsigned long lo, unsigned long hi,
		      unsigned long flags);
long pmu_event_info(unsigned long lo, unsigned long hi, unsigned long n,
		    unsigned long flags);

/* The most entries one event_get_info call may name (docs/abi.md). */
#define PMU_INFO_MAX_ENTRIES 4096UL

/* Sscofpmf on every hart: counter overflow interrupts (LCOFI) exist. */
bool pmu_has_overflow(void);

/* For the banner: hardware counters offered, and the first firmware one. */
uint32_t pmu_hw_mask(void);
unsigned int pmu_hw_count(void);

#endif
