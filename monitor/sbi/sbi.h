/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * SBI call dispatch. The trap layer decodes an ecall into struct sbi_call,
 * calls sbi_call(), writes the result back to a0/a1 and acts on
 * call->action. Handlers never touch the trap frame, so the host unit
 * tests call them directly.
 */
#ifndef SECMON_SBI_H_INTERNAL
#define SECMON_SBI_H_INTERNAL

#include <stdbool.h>

#include <secmon/sbi.h>

struct sbi_ret {
	long error;
	unsigned long value;
};

enum sbi_action {
	SBI_ACT_NONE = 0,
	SBI_ACT_STOP_HART, /* hart_stop succeeded: park this hart */
	SBI_ACT_SUSPEND, /* retentive suspend: sleep, then return */
	SBI_ACT_RESUME_AT, /* non-retentive/system suspend: sleep, then
			    * enter S-mode at hsm_resume_point() */
	SBI_ACT_RESUMED, /* SSE complete resumed an interrupted context:
			  * a0 and a1 are its own, not results */
};

/*
 * The first eight words mirror a0-a7 as the trap frame stores them, so the
 * trap layer can hand the saved registers over without copying them.
 */
struct sbi_call {
	unsigned long a[6]; /* a0-a5 */
	unsigned long fid; /* a6 */
	unsigned long eid; /* a7 */
	unsigned long hart; /* the calling hart (an index, monitor/hart) */
	enum sbi_action action;
	bool legacy; /* v0.1 call: only a0 is written back (ret.value) */
};

/* Dispatch one call. Unknown EIDs and FIDs give SBI_ERR_NOT_SUPPORTED. */
struct sbi_ret sbi_call(struct sbi_call *c);

/* Implementation version reported by BASE get_impl_version. */
#define SECMON_IMPL_VERSION 0x00000100UL /* 0.1.0: major << 16 | minor << 8 */

#endif
