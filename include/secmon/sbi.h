/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * SBI constants from the RISC-V Supervisor Binary Interface spec v2.0
 * (riscv-non-isa/riscv-sbi-doc). Shared by the monitor, the S-mode test
 * payload and the Linux glue, so it depends on nothing but the compiler.
 */
#ifndef SECMON_SBI_H
#define SECMON_SBI_H

/* SBI v2.0 §3.2 "Standard SBI Errors" */
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

/* §4 Base extension */
#define SBI_SPEC_VERSION_MAJOR 2
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

/* §11 PMU (probed by Linux, not implemented) */
#define SBI_EXT_PMU 0x504D55

/* Implementation ID reported by BASE get_impl_id. Not in the spec's
 * registry; chosen to be recognisable ("5EC" = secmon). */
#define SBI_IMPL_ID_SECMON 0x5EC

#endif
