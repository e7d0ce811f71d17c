/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * SBI constants from the RISC-V Supervisor Binary Interface spec v3.0
 * (riscv-non-isa/riscv-sbi-doc). Shared by the monitor, the S-mode test
 * payload and the Linux glue, so it depends on nothing but the compiler.
 */
#ifndef SECMON_SBI_H
#define SECMON_SBI_H

/* SBI v3.0 §3.2 "Standard SBI Errors" */
#define SBI_SUCCESS 0
#define SBI_ERR_FAILED (-1)
#define SBI_ERR_NOT_SUPPORTED (-2)
#define SBI_ERR_INVALID_PARAM (-3)
#define SBI_ERR_DENIED (-4)
#define SBI_ERR_INVALID_ADDRESS (-5)
#define SBI_ERR_ALREADY_AVAILABLE (-6)
#define SBI_ERR_ALREADY_STARTED (-7)
#define SBI_ERR_ALREADY_STOPPED (-8)
#define SBI_ERR_NO_SHMEM (-9)
#define SBI_ERR_INVALID_STATE (-10)
#define SBI_ERR_BAD_RANGE (-11)
#define SBI_ERR_TIMEOUT (-12)
#define SBI_ERR_IO (-13)
#define SBI_ERR_DENIED_LOCKED (-14)

/* §4 Base extension */
#define SBI_SPEC_VERSION_MAJOR 3
#define SBI_SPEC_VERSION_MINOR 0
#define SBI_EXT_BASE 0x10
#define SBI_BASE_GET_SPEC_VERSION 0
#define SBI_BASE_GET_IMPL_ID 1
#define SBI_BASE_GET_IMPL_VERSION 2
#define SBI_BASE_PROBE_EXT 3
#define SBI_BASE_GET_MVENDORID 4
#define SBI_BASE_GET_MARCHID 5
#define SBI_BASE_GET_MIMPID 6

/* §5 Legacy extensions (v0.1): EID is the function, return in a0 only */
#define SBI_LEGACY_SET_TIMER 0x00
#define SBI_LEGACY_CONSOLE_PUTCHAR 0x01
#define SBI_LEGACY_CONSOLE_GETCHAR 0x02
#define SBI_LEGACY_LAST 0x0F

/* §6 Timer */
#define SBI_EXT_TIME 0x54494D45
#define SBI_TIME_SET_TIMER 0

/* §7 IPI */
#define SBI_EXT_IPI 0x735049
#define SBI_IPI_SEND_IPI 0

/* §8 RFENCE */
#define SBI_EXT_RFENCE 0x52464E43
#define SBI_RFENCE_FENCE_I 0
#define SBI_RFENCE_SFENCE_VMA 1
#define SBI_RFENCE_SFENCE_VMA_ASID 2
#define SBI_RFENCE_HFENCE_GVMA_VMID 3
#define SBI_RFENCE_HFENCE_GVMA 4
#define SBI_RFENCE_HFENCE_VVMA_ASID 5
#define SBI_RFENCE_HFENCE_VVMA 6

/* §9 Hart state management */
#define SBI_EXT_HSM 0x48534D
#define SBI_HSM_HART_START 0
#define SBI_HSM_HART_STOP 1
#define SBI_HSM_HART_GET_STATUS 2
#define SBI_HSM_HART_SUSPEND 3
/* §9 Table: HSM hart states as returned by hart_get_status */
#define SBI_HSM_STATE_STARTED 0
#define SBI_HSM_STATE_STOPPED 1
#define SBI_HSM_STATE_START_PENDING 2
#define SBI_HSM_STATE_STOP_PENDING 3
#define SBI_HSM_STATE_SUSPENDED 4
#define SBI_HSM_STATE_SUSPEND_PENDING 5
#define SBI_HSM_STATE_RESUME_PENDING 6

/* §10 System reset */
#define SBI_EXT_SRST 0x53525354
#define SBI_SRST_SYSTEM_RESET 0
#define SBI_SRST_TYPE_SHUTDOWN 0
#define SBI_SRST_TYPE_COLD_REBOOT 1
#define SBI_SRST_TYPE_WARM_REBOOT 2
#define SBI_SRST_REASON_NONE 0
#define SBI_SRST_REASON_SYSFAIL 1

/* §12 Debug console */
#define SBI_EXT_DBCN 0x4442434E
#define SBI_DBCN_WRITE 0
#define SBI_DBCN_READ 1
#define SBI_DBCN_WRITE_BYTE 2

/* §13 System suspend */
#define SBI_EXT_SUSP 0x53555350

/* §11 Performance monitoring unit */
#define SBI_EXT_PMU 0x504D55
#define SBI_PMU_NUM_COUNTERS 0
#define SBI_PMU_COUNTER_GET_INFO 1
#define SBI_PMU_COUNTER_CFG_MATCH 2
#define SBI_PMU_COUNTER_START 3
#define SBI_PMU_COUNTER_STOP 4
#define SBI_PMU_COUNTER_FW_READ 5
#define SBI_PMU_COUNTER_FW_READ_HI 6
#define SBI_PMU_SNAPSHOT_SET_SHMEM 7
#define SBI_PMU_EVENT_GET_INFO 8
/* event_idx[19:16] = type, [15:0] = code (§11.1) */
#define SBI_PMU_TYPE_HW 0
#define SBI_PMU_TYPE_CACHE 1
#define SBI_PMU_TYPE_RAW 2
#define SBI_PMU_TYPE_RAW_V2 3
#define SBI_PMU_TYPE_FW 15
#define SBI_PMU_EVENT(type, code) ((unsigned long)(type) << 16 | (code))
#define SBI_PMU_HW_CPU_CYCLES 1
#define SBI_PMU_HW_INSTRUCTIONS 2
#define SBI_PMU_HW_REF_CPU_CYCLES 10
/* Firmware event codes (§11.5, table "PMU Firmware Events") */
#define SBI_PMU_FW_MISALIGNED_LOAD 0
#define SBI_PMU_FW_MISALIGNED_STORE 1
#define SBI_PMU_FW_ACCESS_LOAD 2
#define SBI_PMU_FW_ACCESS_STORE 3
#define SBI_PMU_FW_ILLEGAL_INSN 4
#define SBI_PMU_FW_SET_TIMER 5
#define SBI_PMU_FW_IPI_SENT 6
#define SBI_PMU_FW_IPI_RECEIVED 7
#define SBI_PMU_FW_FENCE_I_SENT 8
#define SBI_PMU_FW_FENCE_I_RECEIVED 9
#define SBI_PMU_FW_SFENCE_VMA_SENT 10
#define SBI_PMU_FW_SFENCE_VMA_RECEIVED 11
#define SBI_PMU_FW_SFENCE_VMA_ASID_SENT 12
#define SBI_PMU_FW_SFENCE_VMA_ASID_RECEIVED 13
#define SBI_PMU_FW_HFENCE_GVMA_SENT 14
#define SBI_PMU_FW_HFENCE_GVMA_RECEIVED 15
#define SBI_PMU_FW_HFENCE_GVMA_VMID_SENT 16
#define SBI_PMU_FW_HFENCE_GVMA_VMID_RECEIVED 17
#define SBI_PMU_FW_HFENCE_VVMA_SENT 18
#define SBI_PMU_FW_HFENCE_VVMA_RECEIVED 19
#define SBI_PMU_FW_HFENCE_VVMA_ASID_SENT 20
#define SBI_PMU_FW_HFENCE_VVMA_ASID_RECEIVED 21 /* the last standard one */
#define SBI_PMU_FW_PLATFORM 0xffff
/* counter_info (§11.7): [11:0] CSR, [17:12] width - 1, [XLEN-1] type */
#define SBI_PMU_INFO_FW (1UL << 63)
/* config_matching flags (§11.8) */
#define SBI_PMU_CFG_SKIP_MATCH (1UL << 0)
#define SBI_PMU_CFG_CLEAR_VALUE (1UL << 1)
#define SBI_PMU_CFG_AUTO_START (1UL << 2)
#define SBI_PMU_CFG_SET_VUINH (1UL << 3)
#define SBI_PMU_CFG_SET_VSINH (1UL << 4)
#define SBI_PMU_CFG_SET_UINH (1UL << 5)
#define SBI_PMU_CFG_SET_SINH (1UL << 6)
#define SBI_PMU_CFG_SET_MINH (1UL << 7)
#define SBI_PMU_CFG_FLAGS 0xffUL
/* start and stop flags (§11.9, §11.10) */
#define SBI_PMU_START_SET_INIT_VALUE (1UL << 0)
#define SBI_PMU_START_INIT_SNAPSHOT (1UL << 1)
#define SBI_PMU_STOP_RESET (1UL << 0)
#define SBI_PMU_STOP_TAKE_SNAPSHOT (1UL << 1)
/* Snapshot shared memory (§11.13): a 4 KiB page. */
#define SBI_PMU_SNAPSHOT_SIZE 4096UL
#define SBI_PMU_SNAPSHOT_VALUES 8UL /* offset of counter_values[64] */

/*
 * secmon's own firmware events (implementation-specific codes 256..65534,
 * docs/abi.md "PMU"): calls of one page-table ABI function, all of them,
 * and the refused ones. Linux perf: -e r80000000000001NN.
 */
#define SECMON_PMU_FW_PTM_CALL(fid) (0x100 + (fid)) /* fid 0..15 */
#define SECMON_PMU_FW_PTM_ANY 0x110
#define SECMON_PMU_FW_PTM_REFUSED 0x111

/* §17 Supervisor software events */
#define SBI_EXT_SSE 0x535345

/* §19 Debug triggers */
#define SBI_EXT_DBTR 0x44425452

/* §18 Firmware features */
#define SBI_EXT_FWFT 0x46574654
#define SBI_FWFT_SET 0
#define SBI_FWFT_GET 1
#define SBI_FWFT_MISALIGNED_EXC_DELEG 0
#define SBI_FWFT_LANDING_PAD 1
#define SBI_FWFT_SHADOW_STACK 2
#define SBI_FWFT_DOUBLE_TRAP 3
#define SBI_FWFT_PTE_AD_HW_UPDATING 4
#define SBI_FWFT_POINTER_MASKING_PMLEN 5
#define SBI_FWFT_SET_LOCK (1UL << 0)

/* Implementation ID reported by BASE get_impl_id. Not in the spec's
 * registry; chosen to be recognisable ("5EC" = secmon). */
#define SBI_IMPL_ID_SECMON 0x5EC

#endif
