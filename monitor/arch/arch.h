/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The architecture interface. Logic code (SBI, HSM, platform, console)
 * reaches CSRs, MMIO, fences and physical memory only through these calls.
 * Two implementations exist: arch/riscv64 (the firmware) and arch/host (the
 * unit tests, where a fake machine records every call).
 */
#ifndef SECMON_ARCH_H
#define SECMON_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* MMIO. Device registers are little-endian and naturally aligned. */
uint8_t arch_mmio_read8(uintptr_t addr);
void arch_mmio_write8(uintptr_t addr, uint8_t val);
uint32_t arch_mmio_read32(uintptr_t addr);
void arch_mmio_write32(uintptr_t addr, uint32_t val);
uint64_t arch_mmio_read64(uintptr_t addr);
void arch_mmio_write64(uintptr_t addr, uint64_t val);

/*
 * Physical memory as M-mode sees it (no translation). The host build maps
 * a fake RAM window; NULL means "not backed", which callers must have
 * ruled out by range checks before asking.
 */
void *arch_phys_ptr(uint64_t pa, size_t len);

/* Fences on the calling hart. */
void arch_fence_i(void);
void arch_sfence_vma_all(void);
void arch_sfence_vma_va(uintptr_t va);
void arch_sfence_vma_asid(unsigned long asid);
void arch_sfence_vma_va_asid(uintptr_t va, unsigned long asid);

/*
 * Hypervisor fences on the calling hart (priv spec v1.12 §8.3.2); only
 * called on a hart with H. Without by_gpa / by_va / by_vmid / by_asid the
 * operand is x0: all addresses, all VMIDs, all ASIDs. hfence.vvma acts for
 * hgatp's current VMID; arch_hfence_vvma_vmid() does it for another one,
 * and arch_vmid_count() says how many the hart has.
 */
void arch_hfence_gvma(bool by_gpa, uint64_t gpa, bool by_vmid,
		      unsigned long vmid);
void arch_hfence_vvma(bool by_va, uintptr_t va, bool by_asid,
		      unsigned long asid);
void arch_hfence_vvma_vmid(unsigned long vmid);
unsigned long arch_vmid_count(void);
unsigned long arch_current_vmid(void); /* hgatp.VMID */
/* Load hgatp and drop the hart's G-stage TLB (hfence.gvma, all). */
void arch_write_hgatp(unsigned long value);

/* Supervisor interrupt lines of the calling hart (mip is M-writable). */
void arch_set_ssip(void);
void arch_set_stip(void);
void arch_clear_stip(void);
/* Enable or disable the M timer interrupt (mie.MTIE). */
void arch_mtimer_irq(bool enable);
/* stimecmp (Sstc); only called when the hart has Sstc. */
void arch_write_stimecmp(uint64_t value);

/* The calling hart's satp, as M-mode reads it. */
unsigned long arch_read_satp(void);

/* Machine identification CSRs. */
unsigned long arch_mvendorid(void);
unsigned long arch_marchid(void);
unsigned long arch_mimpid(void);

/* Pending-interrupt queries for the calling hart (mip & mie). */
bool arch_s_irq_pending(void); /* SSIP/STIP/SEIP, enabled by S-mode */
bool arch_msip_pending(void);
bool arch_mtip_pending(void);

/*
 * The calling hart's hardware performance counters (Privileged spec
 * §3.1.10-§3.1.13): counter i is mcycle (0), minstret (2) or
 * mhpmcounter i (3..31); mhpmevent i exists for 3..31 only. The monitor
 * calls these with i it has checked; other i do nothing and read 0.
 */
uint64_t arch_hpm_read(unsigned int i);
void arch_hpm_write(unsigned int i, uint64_t value);
uint64_t arch_hpm_event_read(unsigned int i);
void arch_hpm_event_write(unsigned int i, uint64_t value);
/* Set (on) or clear the mask's bits of mcountinhibit, or of mcounteren. */
void arch_count_inhibit(uint32_t mask, bool on);
void arch_count_enable(uint32_t mask, bool on);

/*
 * The S/U context the current trap from S/U interrupted, which SSE
 * changes to enter an S-mode event handler and to resume after it (SBI
 * v3.0 §17.4, §17.5): the pc mret returns to (mepc), whether it returns
 * to S-mode (mstatus.MPP), and S-mode's own sepc and sstatus.
 */
unsigned long arch_trap_pc(void);
void arch_set_trap_pc(unsigned long pc);
bool arch_trap_to_s(void);
void arch_set_trap_to_s(bool s);
unsigned long arch_read_sepc(void);
void arch_write_sepc(unsigned long v);
unsigned long arch_read_sstatus(void);
void arch_write_sstatus(unsigned long v);
/*
 * The local counter overflow interrupt (Sscofpmf, 13): delegated to
 * S-mode (to_m false) or taken by the monitor, which turns it into the
 * SSE PMU overflow event. While the monitor takes it, S-mode's own enable
 * bit (sie.LCOFIE, an alias of mie's) is kept aside: the call returns it,
 * and the call back to S-mode restores s_enable.
 */
bool arch_lcofi_route(bool to_m, bool s_enable);
void arch_lcofi_ack(void); /* clear mip.LCOFIP */
/* Hart h's "an SSE event may be due" word, which the trap exit path of
 * that hart tests (riscv64: a slot of its trap frame). */
unsigned long *arch_sse_flag(unsigned long h);
/*
 * The hypervisor extension (priv spec v1.12 §8), for SSE's entry and
 * exit (SBI v3.0 §17.4, §17.5): whether the hart has H (misa.H), whether
 * the current trap came from V=1 and whether mret goes back there
 * (mstatus.MPV), and HS-mode's hstatus. The last four are only called on
 * a hart with H.
 */
bool arch_has_h(void);
bool arch_trap_virt(void);
void arch_set_trap_virt(bool v);
unsigned long arch_read_hstatus(void);
void arch_write_hstatus(unsigned long v);
#define ARCH_HSTATUS_SPV (1UL << 7)
#define ARCH_HSTATUS_SPVP (1UL << 8)

#define ARCH_SSTATUS_SIE (1UL << 1)
#define ARCH_SSTATUS_SPIE (1UL << 5)
#define ARCH_SSTATUS_SPP (1UL << 8)

/*
 * The calling hart's debug triggers (Sdtrig, RISC-V Debug Specification
 * 1.0 §5): how many there are (0 without Sdtrig; probed safely, a hart
 * without the CSRs does not trap into the monitor), a trigger's tinfo (0
 * if the CSR is absent), and its tdata1-3 through tselect.
 */
unsigned int arch_trig_count(void);
unsigned long arch_trig_info(unsigned int i);
void arch_trig_write(unsigned int i, unsigned long t1, unsigned long t2,
		     unsigned long t3);
unsigned long arch_trig_read(unsigned int i, unsigned int which); /* 1-3 */

/* Write PMP entry i (0..15): pmpaddr_i = addr, pmpcfg byte i = cfg. */
void arch_pmp_write(int i, uint8_t cfg, unsigned long addr);

/*
 * A point between two steps of a monitor call where, on the host, a unit
 * test may run another hart's call: a deterministic interleaving of what
 * real harts do concurrently. The firmware's version does nothing.
 */
#define ARCH_WINDOW_STATS_GATHERED 1 /* STATS: numbers taken, not written */
#define ARCH_WINDOW_BATCH_COPIED 2 /* BATCH: an entry read, not applied */
void arch_window(unsigned int point);

/* Idle until an interrupt is pending (mstatus.MIE stays 0 in M-mode). */
void arch_wfi(void);
/* Spin-wait hint. */
void arch_relax(void);

/*
 * The profile build's counters, summed over every hart: traps from S/U
 * that returned, and the instructions the monitor retired serving them.
 * False (nothing written) where the build does not count.
 */
bool arch_profile(uint64_t *entries, uint64_t *insns);
/* Instructions retired so far (minstret; the host fake counts nothing). */
uint64_t arch_instret(void);

#endif
