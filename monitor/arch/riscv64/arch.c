// SPDX-License-Identifier: BSD-2-Clause
/* riscv64 implementation of the arch interface. */
#include "arch_rv.h"
#include "csr.h"
#include "platform.h"

extern char trap_entry[];

uint8_t arch_mmio_read8(uintptr_t addr)
{
	return *(volatile uint8_t *)addr;
}

void arch_mmio_write8(uintptr_t addr, uint8_t val)
{
	*(volatile uint8_t *)addr = val;
}

uint32_t arch_mmio_read32(uintptr_t addr)
{
	return *(volatile uint32_t *)addr;
}

void arch_mmio_write32(uintptr_t addr, uint32_t val)
{
	*(volatile uint32_t *)addr = val;
}

uint64_t arch_mmio_read64(uintptr_t addr)
{
	return *(volatile uint64_t *)addr;
}

void arch_mmio_write64(uintptr_t addr, uint64_t val)
{
	*(volatile uint64_t *)addr = val;
}

void *arch_phys_ptr(uint64_t pa, size_t len)
{
	(void)len;
	return (void *)(uintptr_t)pa;
}

void arch_fence_i(void)
{
	__asm__ volatile("fence.i" ::: "memory");
}

void arch_sfence_vma_all(void)
{
	__asm__ volatile("sfence.vma" ::: "memory");
}

void arch_sfence_vma_va(uintptr_t va)
{
	__asm__ volatile("sfence.vma %0" ::"r"(va) : "memory");
}

void arch_sfence_vma_asid(unsigned long asid)
{
	__asm__ volatile("sfence.vma zero, %0" ::"r"(asid) : "memory");
}

void arch_sfence_vma_va_asid(uintptr_t va, unsigned long asid)
{
	__asm__ volatile("sfence.vma %0, %1" ::"r"(va), "r"(asid) : "memory");
}

/*
 * HFENCE.GVMA and HFENCE.VVMA (priv spec v1.12 §8.3.2) by encoding: the
 * firmware's -march has no 'h'. An operand left out is x0, which means
 * "every address" or "every VMID/ASID"; a register holding 0 would name
 * address 0 or ID 0 instead, hence one form per combination.
 */
#define HFENCE(f7, rs1, rs2)                                                   \
	".insn r 0x73, 0, " CSR_STR(f7) ", x0, " rs1 ", " rs2
#define GVMA 0x31
#define VVMA 0x11

static bool has_h(void)
{
	return csr_read(misa) & MISA_H;
}

void arch_hfence_gvma(bool by_gpa, uint64_t gpa, bool by_vmid,
		      unsigned long vmid)
{
	unsigned long a = (unsigned long)(gpa >> 2); /* rs1 is GPA >> 2 */

	if (by_gpa && by_vmid) {
		__asm__ volatile(HFENCE(GVMA, "%0", "%1")::"r"(a), "r"(vmid)
				 : "memory");
	} else if (by_gpa) {
		__asm__ volatile(HFENCE(GVMA, "%0", "x0")::"r"(a) : "memory");
	} else if (by_vmid) {
		__asm__ volatile(HFENCE(GVMA, "x0", "%0")::"r"(vmid)
				 : "memory");
	} else {
		__asm__ volatile(HFENCE(GVMA, "x0", "x0")::: "memory");
	}
}

void arch_hfence_vvma(bool by_va, uintptr_t va, bool by_asid,
		      unsigned long asid)
{
	if (by_va && by_asid) {
		__asm__ volatile(HFENCE(VVMA, "%0", "%1")::"r"(va), "r"(asid)
				 : "memory");
	} else if (by_va) {
		__asm__ volatile(HFENCE(VVMA, "%0", "x0")::"r"(va) : "memory");
	} else if (by_asid) {
		__asm__ volatile(HFENCE(VVMA, "x0", "%0")::"r"(asid)
				 : "memory");
	} else {
		__asm__ volatile(HFENCE(VVMA, "x0", "x0")::: "memory");
	}
}

/* HFENCE.VVMA applies to hgatp.VMID only: borrow hgatp for vmid (mode
 * Bare; M-mode makes no guest access meanwhile) and put it back. */
void arch_hfence_vvma_vmid(unsigned long vmid)
{
	unsigned long old =
	    csr_swap(CSR_HGATP, (vmid << HGATP_VMID_SHIFT) & HGATP_VMID_MASK);

	arch_hfence_vvma(false, 0, false, 0);
	csr_write(CSR_HGATP, old);
}

/* The hart's VMIDs: hgatp.VMID is WARL, VMIDLEN bits wide (§8.2.10). */
unsigned long arch_vmid_count(void)
{
	unsigned long old = csr_swap(CSR_HGATP, HGATP_VMID_MASK);
	unsigned long ones = csr_read(CSR_HGATP) & HGATP_VMID_MASK;

	csr_write(CSR_HGATP, old);
	return (ones >> HGATP_VMID_SHIFT) + 1;
}

unsigned long arch_current_vmid(void)
{
	return (csr_read(CSR_HGATP) & HGATP_VMID_MASK) >> HGATP_VMID_SHIFT;
}

void arch_set_ssip(void)
{
	csr_set(mip, MIP_SSIP);
}

void arch_set_stip(void)
{
	csr_set(mip, MIP_STIP);
}

void arch_clear_stip(void)
{
	csr_clear(mip, MIP_STIP);
}

void arch_mtimer_irq(bool enable)
{
	if (enable) {
		csr_set(mie, MIP_MTIP);
	} else {
		csr_clear(mie, MIP_MTIP);
	}
}

bool arch_s_irq_pending(void)
{
	return csr_read(mip) & csr_read(mie) & (MIP_SSIP | MIP_STIP | MIP_SEIP);
}

bool arch_msip_pending(void)
{
	return csr_read(mip) & MIP_MSIP;
}

bool arch_mtip_pending(void)
{
	return csr_read(mip) & csr_read(mie) & MIP_MTIP;
}

void arch_write_stimecmp(uint64_t value)
{
	csr_write(CSR_STIMECMP, value);
}

uint64_t arch_instret(void)
{
	return csr_read(minstret);
}

unsigned long arch_read_satp(void)
{
	return csr_read(satp);
}

unsigned long arch_mvendorid(void)
{
	return csr_read(mvendorid);
}

unsigned long arch_marchid(void)
{
	return csr_read(marchid);
}

unsigned long arch_mimpid(void)
{
	return csr_read(mimpid);
}

void arch_window(unsigned int point)
{
	(void)point;
}

void arch_wfi(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

void arch_relax(void)
{
	/* Zihintpause "pause", encoded so older assemblers accept it. */
	__asm__ volatile(".insn i 0x0F, 0, x0, x0, 0x010" ::: "memory");
}

#define PMPADDR_CASE(n)                                                        \
	case n:                                                                \
		csr_write(pmpaddr##n, addr);                                   \
		break

void arch_pmp_write(int i, uint8_t cfg, unsigned long addr)
{
	unsigned long shift = (unsigned long)(i % 8) * 8;
	unsigned long mask = 0xFFUL << shift;
	unsigned long val = (unsigned long)cfg << shift;

	switch (i) {
		PMPADDR_CASE(0);
		PMPADDR_CASE(1);
		PMPADDR_CASE(2);
		PMPADDR_CASE(3);
		PMPADDR_CASE(4);
		PMPADDR_CASE(5);
		PMPADDR_CASE(6);
		PMPADDR_CASE(7);
		PMPADDR_CASE(8);
		PMPADDR_CASE(9);
		PMPADDR_CASE(10);
		PMPADDR_CASE(11);
		PMPADDR_CASE(12);
		PMPADDR_CASE(13);
		PMPADDR_CASE(14);
		PMPADDR_CASE(15);
	default:
		return;
	}
	/* RV64 packs entries 0-7 in pmpcfg0 and 8-15 in pmpcfg2. */
	if (i < 8) {
		csr_clear(pmpcfg0, mask);
		csr_set(pmpcfg0, val);
	} else {
		csr_clear(pmpcfg2, mask);
		csr_set(pmpcfg2, val);
	}
}

/*
 * Exceptions Linux handles itself go straight to S-mode. Illegal
 * instructions stay with the monitor (it will emulate satp/sfence.vma under
 * TVM) and are redirected; so is anything else not listed here.
 */
#define MEDELEG_LINUX                                                          \
	((1UL << CAUSE_MISALIGNED_FETCH) | (1UL << CAUSE_FETCH_ACCESS) |       \
	 (1UL << CAUSE_BREAKPOINT) | (1UL << CAUSE_MISALIGNED_LOAD) |          \
	 (1UL << CAUSE_LOAD_ACCESS) | (1UL << CAUSE_MISALIGNED_STORE) |        \
	 (1UL << CAUSE_STORE_ACCESS) | (1UL << CAUSE_USER_ECALL) |             \
	 (1UL << CAUSE_FETCH_PAGE_FAULT) | (1UL << CAUSE_LOAD_PAGE_FAULT) |    \
	 (1UL << CAUSE_STORE_PAGE_FAULT))
#define MIDELEG_LINUX (MIP_SSIP | MIP_STIP | MIP_SEIP)
/*
 * What a hypervisor kernel handles itself (priv spec v1.12 §8.6): VS-mode
 * ecalls (KVM's SBI for its guests), guest page faults (G-stage misses)
 * and virtual instructions. Traps from V=1 the monitor does take (illegal
 * instructions) it hands to HS-mode unexamined (rv_redirect_to_s).
 */
#define MEDELEG_HYP                                                            \
	((1UL << CAUSE_VS_ECALL) | (1UL << CAUSE_FETCH_GUEST_PAGE_FAULT) |     \
	 (1UL << CAUSE_LOAD_GUEST_PAGE_FAULT) | (1UL << CAUSE_VIRTUAL_INSN) |  \
	 (1UL << CAUSE_STORE_GUEST_PAGE_FAULT))
#define MIDELEG_HYP (MIP_VSSIP | MIP_VSTIP | MIP_VSEIP | MIP_SGEIP)

/*
 * menvcfg is written whole, so ADUE (bit 61, Svadu) stays 0: hardware
 * never updates A/D itself. The pool is read-only to S-mode, so a walk
 * that tried would fault; with ADUE 0 the hart behaves as Svade and the
 * kernel sets A/D through the ABI on the page fault.
 */
static unsigned long menvcfg_for(unsigned int isa)
{
	unsigned long v = 0;

	v |= isa & PLAT_ISA_SSTC ? MENVCFG_STCE : 0;
	v |= isa & PLAT_ISA_ZICBOM ? MENVCFG_CBIE_FLUSH | MENVCFG_CBCFE : 0;
	v |= isa & PLAT_ISA_ZICBOZ ? MENVCFG_CBZE : 0;
	v |= isa & PLAT_ISA_SVPBMT ? MENVCFG_PBMTE : 0;
	return v;
}

void rv_hart_setup(unsigned int isa)
{
	unsigned long envcfg = menvcfg_for(isa);

	bool hyp = isa & PLAT_ISA_H;

	csr_write(mtvec, (unsigned long)trap_entry);
	csr_write(medeleg, MEDELEG_LINUX | (hyp ? MEDELEG_HYP : 0));
	/* Counter overflow (Sscofpmf) is S-mode's interrupt: its perf
	 * driver samples on it. */
	csr_write(mideleg, MIDELEG_LINUX | (hyp ? MIDELEG_HYP : 0) |
			       (isa & PLAT_ISA_SSCOFPMF ? 1UL << IRQ_LCOF : 0));
	if (hyp) {
		/* A started hart begins with no guest: nothing delegated on
		 * to VS, G-stage off. */
		csr_write(CSR_HEDELEG, 0);
		csr_write(CSR_HIDELEG, 0);
		csr_write(CSR_HGATP, 0);
	}
	csr_write(mcounteren, MCOUNTEREN_CY_TM_IR);
	/* U-mode rdtime (the vDSO's clock) must not trap; Linux narrows
	 * scounteren itself when its perf driver wants to. */
	csr_write(scounteren, MCOUNTEREN_CY_TM_IR);
	/* menvcfg exists from priv v1.12, which every listed feature needs;
	 * a hart without them may not implement the CSR at all. */
	if (envcfg) {
		csr_write(CSR_MENVCFG, envcfg);
	}
	if (isa & PLAT_ISA_SSTC) {
		csr_write(CSR_STIMECMP, ~0UL); /* no S timer until asked */
	}
	csr_clear(mstatus, MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR |
			       MSTATUS_MPRV | MSTATUS_MIE);
	csr_write(mie, MIP_MSIP);
	csr_clear(mip, MIP_SSIP | MIP_STIP);
}

unsigned long rv_mcause(void)
{
	return csr_read(mcause);
}

unsigned long rv_mtval(void)
{
	return csr_read(mtval);
}

unsigned long rv_mepc(void)
{
	return csr_read(mepc);
}

void rv_set_mepc(unsigned long v)
{
	csr_write(mepc, v);
}

static_assert(ARCH_SSTATUS_SIE == MSTATUS_SIE &&
		  ARCH_SSTATUS_SPIE == MSTATUS_SPIE &&
		  ARCH_SSTATUS_SPP == MSTATUS_SPP,
	      "priv spec §4.1.1: sstatus shows mstatus's S bits in place");

bool arch_lcofi_route(bool to_m, bool s_enable)
{
	unsigned long bit = 1UL << IRQ_LCOF;
	bool was = csr_read(mie) & bit;

	if (to_m) {
		csr_clear(mideleg, bit);
		csr_set(mie, bit);
	} else {
		csr_set(mideleg, bit);
		if (s_enable) {
			csr_set(mie, bit);
		} else {
			csr_clear(mie, bit);
		}
	}
	return was;
}

void arch_lcofi_ack(void)
{
	csr_clear(mip, 1UL << IRQ_LCOF);
}

unsigned long *arch_sse_flag(unsigned long h)
{
	return &rv_hart_frame(h)->sse_due;
}

unsigned long arch_trap_pc(void)
{
	return csr_read(mepc);
}

void arch_set_trap_pc(unsigned long pc)
{
	csr_write(mepc, pc);
}

bool arch_trap_to_s(void)
{
	return rv_trap_prev_mode() == PRV_S;
}

void arch_set_trap_to_s(bool s)
{
	csr_clear(mstatus, MSTATUS_MPP);
	csr_set(mstatus, (s ? PRV_S : PRV_U) << MSTATUS_MPP_SHIFT);
}

unsigned long arch_read_sepc(void)
{
	return csr_read(sepc);
}

void arch_write_sepc(unsigned long v)
{
	csr_write(sepc, v);
}

unsigned long arch_read_sstatus(void)
{
	return csr_read(sstatus);
}

void arch_write_sstatus(unsigned long v)
{
	csr_write(sstatus, v);
}

static_assert(ARCH_HSTATUS_SPV == HSTATUS_SPV &&
		  ARCH_HSTATUS_SPVP == HSTATUS_SPVP,
	      "priv spec v1.12 §8.2.1: hstatus.SPV is bit 7, SPVP bit 8");

bool arch_has_h(void)
{
	return has_h();
}

bool arch_trap_virt(void)
{
	return rv_trap_from_v();
}

void arch_set_trap_virt(bool v)
{
	if (v) {
		csr_set(mstatus, MSTATUS_MPV);
	} else {
		csr_clear(mstatus, MSTATUS_MPV);
	}
}

unsigned long arch_read_hstatus(void)
{
	return csr_read(CSR_HSTATUS);
}

void arch_write_hstatus(unsigned long v)
{
	csr_write(CSR_HSTATUS, v);
}

unsigned long rv_mstatus(void)
{
	return csr_read(mstatus);
}

unsigned long rv_trap_prev_mode(void)
{
	return (csr_read(mstatus) & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;
}

void rv_set_tvm(bool on)
{
	if (on) {
		csr_set(mstatus, MSTATUS_TVM);
	} else {
		csr_clear(mstatus, MSTATUS_TVM);
	}
}

/* hgatp as the monitor sets it (the seal after LOCK, ptm.h; Bare
 * before), with the G-stage TLB dropped: a hart without H has none. */
unsigned long rv_read_hgatp(void)
{
	return csr_read(CSR_HGATP);
}

void arch_write_hgatp(unsigned long value)
{
	rv_set_hgatp(value);
}

void rv_set_hgatp(unsigned long value)
{
	if (!has_h()) {
		return;
	}
	csr_write(CSR_HGATP, value);
	arch_hfence_gvma(false, 0, false, 0);
}

void rv_set_tsr(bool on)
{
	if (on) {
		csr_set(mstatus, MSTATUS_TSR);
	} else {
		csr_clear(mstatus, MSTATUS_TSR);
	}
}

bool rv_tsr(void)
{
	return csr_read(mstatus) & MSTATUS_TSR;
}

bool rv_sret_to_user(void)
{
	return !(csr_read(mstatus) & MSTATUS_SPP);
}

void rv_emulate_sret(void)
{
	unsigned long ms = csr_read(mstatus);

	ms &= ~(MSTATUS_MPP | MSTATUS_SIE | MSTATUS_MPRV);
	ms |= ms & MSTATUS_SPP ? PRV_S << MSTATUS_MPP_SHIFT : 0;
	ms |= ms & MSTATUS_SPIE ? MSTATUS_SIE : 0;
	ms |= MSTATUS_SPIE;
	ms &= ~MSTATUS_SPP;
	csr_write(mstatus, ms);
	csr_write(mepc, csr_read(sepc));
}

bool rv_tvm(void)
{
	return csr_read(mstatus) & MSTATUS_TVM;
}

unsigned long rv_read_satp(void)
{
	return csr_read(satp);
}

void rv_write_satp(unsigned long v)
{
	csr_write(satp, v);
}

void rv_mie_clear(unsigned long bit)
{
	csr_clear(mie, bit);
}

/*
 * Causes whose tval is an address, so may be a guest virtual one (priv
 * spec v1.12 §8.2.1: GVA is set when stval gets a guest virtual address).
 * QEMU 7.2 leaves mstatus.GVA set on an illegal instruction from V=1,
 * whose tval is the instruction; the mask keeps that out of hstatus.
 */
#define GVA_CAUSES                                                             \
	((1UL << CAUSE_MISALIGNED_FETCH) | (1UL << CAUSE_FETCH_ACCESS) |       \
	 (1UL << CAUSE_BREAKPOINT) | (1UL << CAUSE_MISALIGNED_LOAD) |          \
	 (1UL << CAUSE_LOAD_ACCESS) | (1UL << CAUSE_MISALIGNED_STORE) |        \
	 (1UL << CAUSE_STORE_ACCESS) | (1UL << CAUSE_FETCH_PAGE_FAULT) |       \
	 (1UL << CAUSE_LOAD_PAGE_FAULT) | (1UL << CAUSE_STORE_PAGE_FAULT) |    \
	 (1UL << CAUSE_FETCH_GUEST_PAGE_FAULT) |                               \
	 (1UL << CAUSE_LOAD_GUEST_PAGE_FAULT) |                                \
	 (1UL << CAUSE_STORE_GUEST_PAGE_FAULT))

/*
 * With H, a trap into HS-mode also records where it came from (priv spec
 * v1.12 §8.2.1, §8.6.4): hstatus.SPV is the virtualization mode, SPVP the
 * guest's privilege (written only when V was 1), GVA whether stval is a
 * guest virtual address; htval and htinst take what the hart wrote to
 * mtval2 and mtinst for this trap.
 */
static void hs_trap_from(unsigned long ms, unsigned long cause)
{
	unsigned long hs = csr_read(CSR_HSTATUS) & ~(HSTATUS_SPV | HSTATUS_GVA);
	bool gva =
	    (ms & MSTATUS_GVA) && cause < 64 && (GVA_CAUSES >> cause & 1);

	if (ms & MSTATUS_MPV) {
		hs &= ~HSTATUS_SPVP;
		hs |= HSTATUS_SPV;
		hs |= (ms & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT == PRV_S
			  ? HSTATUS_SPVP
			  : 0;
	}
	hs |= gva ? HSTATUS_GVA : 0;
	csr_write(CSR_HSTATUS, hs);
	csr_write(CSR_HTVAL, csr_read(CSR_MTVAL2));
	csr_write(CSR_HTINST, csr_read(CSR_MTINST));
}

bool rv_trap_from_v(void)
{
	return csr_read(mstatus) & MSTATUS_MPV;
}

void rv_redirect_to_s(unsigned long cause, unsigned long tval)
{
	unsigned long ms = csr_read(mstatus);
	unsigned long prev = (ms & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;

	if (has_h()) {
		hs_trap_from(ms, cause);
		ms &= ~(MSTATUS_MPV | MSTATUS_GVA);
	}
	csr_write(sepc, csr_read(mepc));
	csr_write(scause, cause);
	csr_write(stval, tval);
	/* SPP <- previous mode, SPIE <- SIE, SIE <- 0, then return to S. */
	ms &= ~(MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE | MSTATUS_MPP);
	ms |= prev == PRV_S ? MSTATUS_SPP : 0;
	ms |= csr_read(mstatus) & MSTATUS_SIE ? MSTATUS_SPIE : 0;
	ms |= PRV_S << MSTATUS_MPP_SHIFT;
	csr_write(mstatus, ms);
	/* Exceptions use stvec.BASE even in vectored mode. */
	csr_write(mepc, csr_read(stvec) & ~3UL);
}
