/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Firmware features (SBI v3.0 §18): per-hart values and locks. Every
 * feature the specification defines is local; this hart's record is only
 * touched by this hart, so nothing here takes a lock.
 *
 *   MISALIGNED_EXC_DELEG  1 (delegated) from reset: S-mode handles its own
 *                         misaligned accesses. 0 is DENIED: the monitor
 *                         does not emulate them.
 *   PTE_AD_HW_UPDATING    NOT_SUPPORTED without Svadu. With it, 0 only:
 *                         1 is DENIED, since the walker would write A/D
 *                         into the page-table pool that PMP keeps
 *                         read-only; the page-table ABI sets A/D instead
 *                         (docs/abi.md "A/D bits").
 *   LANDING_PAD, SHADOW_STACK, DOUBLE_TRAP, POINTER_MASKING_PMLEN
 *                         NOT_SUPPORTED: QEMU 7.2 harts have no Zicfilp,
 *                         Zicfiss, Ssdbltrp or Ssnpm.
 *   anything else         DENIED (reserved or platform-specific, §18).
 */
#ifndef SECMON_FWFT_H
#define SECMON_FWFT_H

#include <stddef.h>
#include <stdint.h>

#include "platform.h"

/* The calling hart at cold boot and whenever HSM starts it: reset values,
 * no locks ("hart reset", §18). */
/* The per-hart region's share (monitor/hart). */
size_t fwft_hart_bytes(void);
void fwft_attach(void *mem);
void fwft_hart_reset(unsigned long hart);
long fwft_set(unsigned long hart, uint32_t feature, unsigned long value,
	      unsigned long flags);
long fwft_get(unsigned long hart, uint32_t feature, unsigned long *value);

#endif
