/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Debug triggers for S-mode (SBI v3.0 §19) on the hart's Sdtrig triggers.
 *
 * A logical trigger index is the hardware index. Triggers of type 2
 * (mcontrol) and 6 (mcontrol6) are offered, with the breakpoint
 * exception as their only action and never in M-mode or debug mode:
 * tdata1.m, tdata1.dmode and any other action are INVALID_PARAM. The
 * exception they raise (breakpoint) is delegated to S-mode. Types 3-5
 * (icount, itrigger, etrigger), tdata3 (textra) and vs/vu (no H for the
 * OS) are NOT_SUPPORTED. Each hart's records are its own: no locks.
 *
 * The range checks read "base + count > trig_max" where the
 * specification's tables write ">=", which would forbid reading or
 * installing the last trigger (docs/abi.md "DBTR").
 */
#ifndef SECMON_DBTR_H
#define SECMON_DBTR_H

#include <stddef.h>
#include <stdint.h>

#define DBTR_MAX 16 /* triggers used per hart; more are left alone */

/* The calling hart at cold boot and at HSM start: triggers probed and
 * cleared, no shared memory. */
/* The per-hart region's share (monitor/hart). */
size_t dbtr_hart_bytes(void);
void dbtr_attach(void *mem);
void dbtr_hart_reset(unsigned long hart);
unsigned int dbtr_count(unsigned long hart);

unsigned long dbtr_num_triggers(unsigned long hart, unsigned long tdata1);
long dbtr_set_shmem(unsigned long hart, unsigned long lo, unsigned long hi,
		    unsigned long flags);
long dbtr_read(unsigned long hart, unsigned long base, unsigned long count);
long dbtr_install(unsigned long hart, unsigned long count,
		  unsigned long *failed);
long dbtr_update(unsigned long hart, unsigned long count,
		 unsigned long *failed);
/* op: uninstall, enable or disable the set (base, mask). */
#define DBTR_UNINSTALL 0
#define DBTR_ENABLE 1
#define DBTR_DISABLE 2
long dbtr_set_op(unsigned long hart, unsigned long base, unsigned long mask,
		 unsigned int op);

#endif
