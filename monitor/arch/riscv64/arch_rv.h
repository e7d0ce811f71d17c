/* SPDX-License-Identifier: BSD-2-Clause */
/* riscv64-only services for the boot code and the trap handler. */
#ifndef SECMON_ARCH_RV_H
#define SECMON_ARCH_RV_H

#include <assert.h>
#include <stddef.h>

#include "arch.h"
#include "layout.h"

/* Saved by trap_entry.S; layout fixed by layout.h. */
struct trap_frame {
	unsigned long x[32]; /* x[0] unused; x[2] is the interrupted sp */
	unsigned long
	    hart; /* index (monitor/hart); the hartid in a fatal report */
	unsigned long ecalls; /* SBI calls served on this hart */
	unsigned long redirects; /* exceptions handed back to S-mode */
	/* Profile build (SECMON_PROFILE) only: traps from S/U-mode that
	 * returned with mret, and the instructions retired in the monitor
	 * from their entry to their mret (minstret; exact under QEMU
	 * -icount). */
	unsigned long entries;
	unsigned long minsns;
	/* Non-zero: look for a due SSE event on the way out (arch_sse_flag,
	 * any hart may set it). */
	unsigned long sse_due;
};
static_assert(offsetof(struct trap_frame, hart) == TF_HART,
	      "trap_entry.S reads the hart at TF_HART");
static_assert(offsetof(struct trap_frame, entries) == TF_ENTRIES &&
		  offsetof(struct trap_frame, minsns) == TF_MINSNS,
	      "trap_entry.S counts at TF_ENTRIES and TF_MINSNS");
static_assert(offsetof(struct trap_frame, sse_due) == TF_SSE_DUE,
	      "trap_entry.S tests sse_due at TF_SSE_DUE");
static_assert(sizeof(struct trap_frame) == TRAP_FRAME_SIZE,
	      "trap_entry.S reserves TRAP_FRAME_SIZE");
static_assert(TRAP_FRAME_SIZE % 16 == 0, "RISC-V psABI: sp is 16-aligned");

/* Per-hart trap CSRs and bring-up. */
void rv_hart_setup(unsigned int isa_flags);
unsigned long rv_mcause(void);
unsigned long rv_mtval(void);
unsigned long rv_mepc(void);
void rv_set_mepc(unsigned long v);
unsigned long rv_mstatus(void);
/* Previous privilege (mstatus.MPP) of the current trap. */
unsigned long rv_trap_prev_mode(void);
/* The trap came from V=1 (a guest of an S-mode hypervisor). */
bool rv_trap_from_v(void);
/* Deliver an exception to S-mode as hardware would (priv spec §3.1.6.1). */
void rv_redirect_to_s(unsigned long cause, unsigned long tval);
/* mstatus.TVM: trap S-mode satp accesses and sfence.vma. */
void rv_set_tvm(bool on);
bool rv_tvm(void);
/* Write hgatp (if the hart has H) and drop the G-stage TLB. */
void rv_set_hgatp(unsigned long value);
unsigned long rv_read_hgatp(void);
/* mstatus.TSR: trap S-mode sret (the gate before a bare hart's U-mode). */
void rv_set_tsr(bool on);
bool rv_tsr(void);
/* Perform S-mode's sret in M-mode (priv spec §3.3.2): return to SPP at
 * sepc, SIE <- SPIE, SPIE <- 1, SPP <- U. */
void rv_emulate_sret(void);
/* mstatus.SPP of the interrupted S-mode: true if sret goes to U-mode. */
bool rv_sret_to_user(void);
unsigned long rv_read_satp(void);
void rv_write_satp(unsigned long v);
/* Disable one M interrupt source (mie bit). */
void rv_mie_clear(unsigned long bit);

/* Hart h's trap frame, at the top of its stack (boot.c). */
struct trap_frame *rv_hart_frame(unsigned long h);

/* Sdtrig probes (trap_entry.S): safe on a hart without the CSRs. */
unsigned long rv_trig_probe(void);
unsigned long rv_trig_tinfo(unsigned long i);

/* Leave M-mode for S-mode at addr with a0, a1 (satp = 0, SIE = 0). */
__attribute__((noreturn)) void
rv_enter_smode(unsigned long addr, unsigned long a0, unsigned long a1);
/* Drop the current stack and continue in boot_stopped_loop(hart). */
__attribute__((noreturn)) void rv_park(unsigned long hart);
/* Stop forever (wfi loop, interrupts masked). */
__attribute__((noreturn)) void rv_halt(void);

/* Entry points called from assembly. */
void trap_handler(struct trap_frame *tf);
void trap_ecall(struct trap_frame *tf);
void trap_sse_exit(struct trap_frame *tf);
/* TVM emulation (emulate.c): true if insn was handled. */
bool trap_emulate(struct trap_frame *tf, unsigned long insn);
__attribute__((noreturn)) void trap_fatal(struct trap_frame *tf);
/* Harts are indices (monitor/hart) but where a hartid is named. */
void boot_claim(unsigned long hartid, void *fdt, void *info);
__attribute__((noreturn)) void boot_secondary(unsigned long hart);
__attribute__((noreturn)) void boot_stopped_loop(unsigned long hart);
/* Enter S-mode at addr afresh (start, resume): see boot.c. a0 = the
 * hart's hartid. */
__attribute__((noreturn)) void
boot_enter_os(unsigned long hart, unsigned long addr, unsigned long arg);

#endif
