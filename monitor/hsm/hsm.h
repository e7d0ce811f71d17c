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
#include <stddef.h>

/* The per-hart region's share (monitor/hart). */
size_t hsm_hart_bytes(void);
void hsm_attach(void *mem);

/* Boot hart STARTED, every other hart STOPPED. Harts are indices
 * (monitor/hart/hart.h) throughout. */
void hsm_init(unsigned long boot_hart);
/* SBI_HSM_STATE_*, or -1 for a hart that does not exist. */
long hsm_state(unsigned long hart);

/* True while the hart can take mailbox work: STARTED, STOP_PENDING, or
 * SUSPENDED (a suspended hart wakes for it). */
bool hsm_running(unsigned long hart);

/* hart_start: STOPPED -> START_PENDING, then wake the target. */
long hsm_start(unsigned long hart, unsigned long addr, unsigned long arg);
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

/*
 * hart_suspend on the calling hart (SBI v2.0 §9.4): checks the type and,
 * for non-retentive suspend, the resume address; then STARTED ->
 * SUSPENDED. *retentive tells the caller whether to return from the call
 * (retentive) or to resume at hsm_resume_point() (non-retentive).
 */
long hsm_suspend(unsigned long self, unsigned long type, unsigned long addr,
		 unsigned long arg, bool *retentive);
/* Sleep until an S-level interrupt enabled in sie is pending, serving the
 * mailbox and the M timer meanwhile; then SUSPENDED -> STARTED. */
void hsm_wait_wakeup(unsigned long self);
/* Entry point and argument recorded by a non-retentive suspend. */
void hsm_resume_point(unsigned long self, unsigned long *addr,
		      unsigned long *arg);
/* SBI_ERR_DENIED unless every other hart is STOPPED (system suspend). */
long hsm_others_stopped(unsigned long self);
/* Is addr a valid S-mode entry point (RAM, outside the monitor)? */
bool hsm_entry_valid(unsigned long addr);

#define HSM_SUSPEND_RETENTIVE 0x00000000UL
#define HSM_SUSPEND_NON_RETENTIVE 0x80000000UL

#endif
