// SPDX-License-Identifier: BSD-2-Clause
/*
 * Emulation of the instructions mstatus.TVM traps once the page tables are
 * locked (priv spec v1.12 §3.1.6.5): CSR accesses to satp and sfence.vma.
 * A satp write the page-table manager refuses is delivered back to S-mode
 * as the illegal instruction it was, so the kernel sees it.
 */
#include "arch_rv.h"
#include "console.h"
#include "hart.h"
#include "ptm.h"

#define OPC_SYSTEM 0x73
#define CSR_SATP 0x180
#define CSR_HGATP_NUM 0x680
#define F3_CSRRW 1
#define F3_CSRRS 2
#define F3_CSRRC 3
#define F3_CSRRWI 5
#define F3_CSRRSI 6
#define F3_CSRRCI 7
#define SFENCE_VMA_MASK 0xFE007FFFUL
#define SFENCE_VMA_MATCH 0x12000073UL
#define INSN_SRET 0x10200073UL
/* HFENCE.GVMA rs1, rs2 (priv spec v1.12 §8.3.2): TVM traps it too. */
#define HFENCE_GVMA_MATCH 0x62000073UL

static unsigned long reg(const struct trap_frame *tf, unsigned r)
{
	return r ? tf->x[r] : 0;
}

static bool emulate_sfence(struct trap_frame *tf, unsigned long insn)
{
	unsigned long va = reg(tf, (insn >> 15) & 31);
	unsigned long asid = reg(tf, (insn >> 20) & 31);
	bool has_va = (insn >> 15) & 31;
	bool has_asid = (insn >> 20) & 31;

	if (has_va && has_asid) {
		arch_sfence_vma_va_asid(va, asid);
	} else if (has_va) {
		arch_sfence_vma_va(va);
	} else if (has_asid) {
		arch_sfence_vma_asid(asid);
	} else {
		arch_sfence_vma_all();
	}
	ptm_count_sfence();
	return true;
}

/* New satp value for a CSR instruction, or false if it only reads. */
static bool csr_new_value(unsigned f3, unsigned long old, unsigned long src,
			  unsigned rs1, unsigned long *val)
{
	switch (f3) {
	case F3_CSRRW:
	case F3_CSRRWI:
		*val = src;
		return true;
	case F3_CSRRS:
	case F3_CSRRSI:
		*val = old | src;
		return rs1 != 0;
	default:
		*val = old & ~src;
		return rs1 != 0;
	}
}

/* A write of satp (g false) or hgatp (g true) through the PTM's rule;
 * *out is what to load. */
static long atp_rule(unsigned long hart, bool g, unsigned long val,
		     uint64_t *out)
{
	return g ? ptm_hgatp_write(hart, val, out)
		 : ptm_satp_write(hart, val, out);
}

/*
 * satp, and hgatp where H is offered, under TVM (priv spec v1.12
 * §3.1.6.5): reads see the hart's own value, a write goes through the
 * PTM's rule; a refused one is delivered back as the illegal instruction.
 */
static bool emulate_atp(struct trap_frame *tf, unsigned long insn, bool g)
{
	unsigned f3 = (insn >> 12) & 7;
	unsigned rd = (insn >> 7) & 31;
	unsigned rs1 = (insn >> 15) & 31;
	unsigned long src = f3 >= F3_CSRRWI ? rs1 : reg(tf, rs1);
	unsigned long old = g ? rv_read_hgatp() : rv_read_satp();
	unsigned long val;
	uint64_t out;

	if (csr_new_value(f3, old, src, rs1, &val)) {
		if (atp_rule(tf->hart, g, val, &out)) {
			con_debug("hart %lu: %s 0x%lx refused\n",
				  hart_id(tf->hart), g ? "hgatp" : "satp", val);
			return false;
		}
		if (g) {
			rv_set_hgatp(out);
		} else {
			rv_write_satp(out);
			/* Loaded a root: the sret gate has done its job. */
			rv_set_tsr(false);
		}
	}
	if (rd) {
		tf->x[rd] = old;
	}
	return true;
}

/* HFENCE.GVMA does no harm to anyone: performed as asked (the operand
 * registers hold GPA >> 2 and a VMID). */
static bool emulate_hfence_gvma(struct trap_frame *tf, unsigned long insn)
{
	unsigned rs1 = (insn >> 15) & 31, rs2 = (insn >> 20) & 31;

	arch_hfence_gvma(rs1 != 0, (uint64_t)reg(tf, rs1) << 2, rs2 != 0,
			 reg(tf, rs2));
	return true;
}

/*
 * The sret gate (mstatus.TSR, set while a hart that entered S-mode after
 * LOCK is still bare): U-mode never runs with satp = 0, where it would
 * address physical memory directly. Such an sret is refused as the
 * illegal instruction it is under TSR; any other is performed here, and
 * a hart that has loaded a root leaves the gate.
 */
static bool emulate_sret(void)
{
	bool bare = rv_read_satp() >> 60 == 0;

	if (bare && rv_sret_to_user()) {
		con_debug("sret to U-mode with satp = 0 refused\n");
		return false;
	}
	if (!bare) {
		rv_set_tsr(false);
	}
	rv_emulate_sret();
	return true;
}

bool trap_emulate(struct trap_frame *tf, unsigned long insn)
{
	unsigned f3 = (insn >> 12) & 7;
	bool done = false;

	if (insn == INSN_SRET && rv_tsr()) {
		return emulate_sret();
	}
	if (!rv_tvm() || (insn & 0x7F) != OPC_SYSTEM) {
		return false;
	}
	if ((insn & SFENCE_VMA_MASK) == SFENCE_VMA_MATCH) {
		done = emulate_sfence(tf, insn);
	} else if ((insn & SFENCE_VMA_MASK) == HFENCE_GVMA_MATCH) {
		done = hart_hyp() && emulate_hfence_gvma(tf, insn);
	} else if (f3 != 0 && f3 != 4 && (insn >> 20) == CSR_SATP) {
		done = emulate_atp(tf, insn, false);
	} else if (f3 != 0 && f3 != 4 && (insn >> 20) == CSR_HGATP_NUM) {
		done = hart_hyp() && emulate_atp(tf, insn, true);
	}
	if (done) {
		rv_set_mepc(rv_mepc() + 4);
	}
	return done;
}
