/* SPDX-License-Identifier: BSD-2-Clause */
/* CSR numbers and bits (RISC-V Privileged Architecture v1.12). Private to
 * the riscv64 arch implementation and the boot code. */
#ifndef SECMON_RISCV64_CSR_H
#define SECMON_RISCV64_CSR_H

#define CSR_STIMECMP 0x14D
#define CSR_MENVCFG 0x30A
/* Hypervisor CSRs by number (priv spec v1.12 §8.2, Table 2.3): the
 * firmware is built without 'h' in -march. */
#define CSR_HSTATUS 0x600
#define CSR_HEDELEG 0x602
#define CSR_HIDELEG 0x603
#define CSR_HTVAL 0x643
#define CSR_HTINST 0x64A
#define CSR_HGATP 0x680
#define CSR_MTINST 0x34A
#define CSR_MTVAL2 0x34B
#define HSTATUS_GVA (1UL << 6)
#define HSTATUS_SPV (1UL << 7)
#define HSTATUS_SPVP (1UL << 8)
#define HGATP_VMID_SHIFT 44
#define HGATP_VMID_MASK (0x3FFFUL << HGATP_VMID_SHIFT)
#define MISA_H (1UL << ('H' - 'A'))

/* mstatus, §3.1.6 (sstatus shows the same S bits, §4.1.1) */
#define MSTATUS_SIE (1UL << 1)
#define MSTATUS_MIE (1UL << 3)
#define MSTATUS_SPIE (1UL << 5)
#define MSTATUS_MPIE (1UL << 7)
#define MSTATUS_SPP (1UL << 8)
#define MSTATUS_MPP_SHIFT 11
#define MSTATUS_MPP (3UL << MSTATUS_MPP_SHIFT)
#define MSTATUS_MPRV (1UL << 17)
#define MSTATUS_TVM (1UL << 20)
#define MSTATUS_TW (1UL << 21)
#define MSTATUS_TSR (1UL << 22)
/* Hypervisor extension (priv spec v1.12 §8.2.10): the virtualization
 * mode a trap came from, and whether mtval holds a guest virtual address. */
#define MSTATUS_GVA (1UL << 38)
#define MSTATUS_MPV (1UL << 39)
#define PRV_U 0UL
#define PRV_S 1UL
#define PRV_M 3UL

/* mip/mie, §3.1.9 */
#define IRQ_S_SOFT 1
#define IRQ_M_SOFT 3
#define IRQ_S_TIMER 5
#define IRQ_M_TIMER 7
#define IRQ_S_EXT 9
#define IRQ_M_EXT 11
#define IRQ_LCOF 13 /* local counter overflow (Sscofpmf) */
/* VS-level and guest external interrupts: with H, mideleg's bits for
 * them are read-only one (priv spec v1.12 §8.4.2). */
#define MIP_VSSIP (1UL << 2)
#define MIP_VSTIP (1UL << 6)
#define MIP_VSEIP (1UL << 10)
#define MIP_SGEIP (1UL << 12)
#define MIP_SSIP (1UL << IRQ_S_SOFT)
#define MIP_MSIP (1UL << IRQ_M_SOFT)
#define MIP_STIP (1UL << IRQ_S_TIMER)
#define MIP_MTIP (1UL << IRQ_M_TIMER)
#define MIP_SEIP (1UL << IRQ_S_EXT)

/* mcause exception codes, §3.1.15 Table 3.6 */
#define CAUSE_MISALIGNED_FETCH 0
#define CAUSE_FETCH_ACCESS 1
#define CAUSE_ILLEGAL_INSN 2
#define CAUSE_BREAKPOINT 3
#define CAUSE_MISALIGNED_LOAD 4
#define CAUSE_LOAD_ACCESS 5
#define CAUSE_MISALIGNED_STORE 6
#define CAUSE_STORE_ACCESS 7
#define CAUSE_USER_ECALL 8
#define CAUSE_SUPERVISOR_ECALL 9
#define CAUSE_MACHINE_ECALL 11
#define CAUSE_FETCH_PAGE_FAULT 12
#define CAUSE_LOAD_PAGE_FAULT 13
#define CAUSE_STORE_PAGE_FAULT 15
/* Hypervisor extension causes (priv spec v1.12 §8.6.1, Table 8.6). */
#define CAUSE_VS_ECALL 10
#define CAUSE_FETCH_GUEST_PAGE_FAULT 20
#define CAUSE_LOAD_GUEST_PAGE_FAULT 21
#define CAUSE_VIRTUAL_INSN 22
#define CAUSE_STORE_GUEST_PAGE_FAULT 23
#define CAUSE_IRQ_FLAG (1UL << 63)

/* menvcfg, §3.1.18 */
#define MENVCFG_CBIE_FLUSH (1UL << 4)
#define MENVCFG_CBCFE (1UL << 6)
#define MENVCFG_CBZE (1UL << 7)
#define MENVCFG_PBMTE (1UL << 62)
#define MENVCFG_STCE (1UL << 63)

/* mcounteren: CY, TM, IR visible to S-mode */
#define MCOUNTEREN_CY_TM_IR 0x7UL

/* pmpcfg fields, §3.7.1 */
#define PMP_R 0x01
#define PMP_W 0x02
#define PMP_X 0x04
#define PMP_A_TOR 0x08
#define PMP_A_NAPOT 0x18
#define PMP_L 0x80

#ifndef __ASSEMBLER__
#define CSR_STR_(x) #x
#define CSR_STR(x) CSR_STR_(x)
#define csr_read(csr)                                                          \
	({                                                                     \
		unsigned long __v;                                             \
		__asm__ volatile("csrr %0, " CSR_STR(csr)                      \
				 : "=r"(__v)::"memory");                       \
		__v;                                                           \
	})
#define csr_write(csr, val)                                                    \
	({                                                                     \
		unsigned long __v = (unsigned long)(val);                      \
		__asm__ volatile("csrw " CSR_STR(csr) ", %0" ::"rK"(__v)       \
				 : "memory");                                  \
	})
#define csr_swap(csr, val)                                                     \
	({                                                                     \
		unsigned long __o, __v = (unsigned long)(val);                 \
		__asm__ volatile("csrrw %0, " CSR_STR(csr) ", %1"              \
				 : "=r"(__o)                                   \
				 : "r"(__v)                                    \
				 : "memory");                                  \
		__o;                                                           \
	})
#define csr_set(csr, val)                                                      \
	({                                                                     \
		unsigned long __v = (unsigned long)(val);                      \
		__asm__ volatile("csrs " CSR_STR(csr) ", %0" ::"rK"(__v)       \
				 : "memory");                                  \
	})
#define csr_clear(csr, val)                                                    \
	({                                                                     \
		unsigned long __v = (unsigned long)(val);                      \
		__asm__ volatile("csrc " CSR_STR(csr) ", %0" ::"rK"(__v)       \
				 : "memory");                                  \
	})
#endif

#endif
