/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared set-up for the unit tests: compiled test trees and a booted
 * monitor state on the fake machine. */
#ifndef SECMON_TEST_SUPPORT_H
#define SECMON_TEST_SUPPORT_H

#include <stddef.h>

#include "arch_host.h"
#include "platform.h"
#include "sbi.h"

/* The monitor's window in tests: the first 256 KiB of fake RAM. */
#define TEST_MON_BASE FAKE_RAM_BASE
#define TEST_MON_SIZE 0x40000ULL
/* An OS address: in fake RAM, past the monitor. */
#define TEST_OS_ADDR (FAKE_RAM_BASE + 0x80000ULL)

/* CLINT layout of the test trees (QEMU virt). */
#define TEST_CLINT 0x2000000UL
#define TEST_MSIP(h) (TEST_CLINT + 4UL * (h))
#define TEST_MTIMECMP(h) (TEST_CLINT + 0x4000UL + 8UL * (h))
#define TEST_MTIME (TEST_CLINT + 0xbff8UL)
#define TEST_FINISHER 0x100000UL

/* Contents of build/…/dtb/<name>.dtb in a malloc'd buffer; aborts if it
 * cannot be read. The caller frees it. */
void *test_dtb(const char *name, size_t *size);

/*
 * Bring up the monitor's state the way the boot hart does: parse the named
 * tree into plat (must succeed), then replace its RAM with the fake RAM
 * window so arch_phys_ptr() backs every address the checks accept, set
 * the memory map
 * (memmap) to that RAM and the monitor at TEST_MON_*, and initialise the hart table and HSM with
 * boot_hart STARTED. The fake's current hart becomes boot_hart.
 */
void test_boot(const char *dtb, unsigned long boot_hart);

/* An ecall from the fake's current hart. The decoded call (action, legacy
 * flag) is left in test_last_call. */
struct sbi_ret ecall(unsigned long eid, unsigned long fid, unsigned long a0,
		     unsigned long a1, unsigned long a2, unsigned long a3,
		     unsigned long a4);
extern struct sbi_call test_last_call;

#endif
