/* SPDX-License-Identifier: BSD-2-Clause */
/* Memory layout shared by the assembly, the linker script and C. */
#ifndef SECMON_RISCV64_LAYOUT_H
#define SECMON_RISCV64_LAYOUT_H

/* The monitor's window: one NAPOT PMP region, reserved (no-map) in the
 * FDT. The FDT handed to the OS follows it, outside the window. */
#define MONITOR_WINDOW_SIZE 0x40000 /* 256 KiB */
#define FDT_HANDOFF_MIN 0x10000 /* 64 KiB; more for a larger tree */

/* boot.c's struct boot_harts, which entry.S reads before it has a stack,
 * and the size of one struct plat_hart (hartid first). */
#define BOOT_HARTS_READY 0
#define BOOT_HARTS_N 8
#define BOOT_HARTS_TABLE 16
#define BOOT_HARTS_STACKS 24
#define BOOT_HART_SIZE 32

/* fw_dynamic_info (boot/boot.h), read by entry.S to pick the boot hart. */
#define FW_DYN_MAGIC 0x4942534f
#define FW_DYN_VERSION 8
#define FW_DYN_BOOT_HART 40

#define HART_STACK_SIZE 8192
/* struct trap_frame: x0..x31, hartid, four counters, the SSE flag.
 * x0's slot holds minstret at entry in the profile build. */
#define TRAP_FRAME_SIZE 304
#define TF_HART 256
#define TF_ENTRIES 280
#define TF_MINSNS 288
#define TF_SSE_DUE 296
#define TF_REG(n) ((n)*8)

#endif
