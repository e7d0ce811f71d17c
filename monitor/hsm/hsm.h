/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Hart state management (SBI v2.0 §9). Each hart's state is one atomic
 * word; every transition is a compare-and-swap from the one state the spec
 * allows it from, so two harts racing to start the same hart cannot both
 * win. Functions return SBI error codes.
 */
#ifndef SECMON_HSM_H
#define SECMON_HSM_H

#include <stdbool.h>

/* Boot hart STARTED, every other present hart STOPPED. */
void hsm_init(unsigned long boot_hartid);
/* SBI_HSM_STATE_*, or -1 for a hart that does not exist. */
long hsm_state(unsigned long hartid);

/* True while the hart runs S-mode code (STARTED or STOP_PENDING). */
bool hsm_running(unsigned long hartid);

/* hart_start: STOPPED -> START_PENDING, then wake the target. */
long hsm_start(unsigned long hartid, unsigned long addr, unsigned long arg);
/* hart_stop on the calling hart: STARTED -> STOP_PENDING. The caller then
 * leaves its stack and calls hsm_stopped(). */
long hsm_stop(unsigned long self);
/* Called on the hart's fresh stack: STOP_PENDING -> STOPPED. */
void hsm_stopped(unsigned long self);
/*
 * In the stopped loop: if a start is pending, take it (START_PENDING ->
 * STARTED) and return true with the entry point and argument.
 */
bool hsm_take_start(unsigned long self, unsigned long *addr,
		    unsigned long *arg);

#endif
