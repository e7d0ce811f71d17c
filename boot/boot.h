/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Boot: fw_dynamic_info from the previous stage, boot-hart choice, and the
 * cold-boot sequence (boot.c). The info checks are plain C so the host
 * tests cover them.
 */
#ifndef SECMON_BOOT_H
#define SECMON_BOOT_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * fw_dynamic_info, the handover block QEMU (and U-Boot SPL) pass in a2.
 * The layout is OpenSBI's fw_dynamic ABI, version 2: six XLEN words.
 */
struct fw_dynamic_info {
	unsigned long magic;
	unsigned long version;
	unsigned long next_addr;
	unsigned long next_mode;
	unsigned long options;
	unsigned long boot_hart; /* preferred boot hart, -1 for none (v2) */
};
static_assert(sizeof(struct fw_dynamic_info) == 6 * sizeof(unsigned long),
	      "fw_dynamic ABI v2: six XLEN words");
static_assert(offsetof(struct fw_dynamic_info, boot_hart) == 40,
	      "fw_dynamic ABI v2: boot_hart is word 5");

#define FW_DYNAMIC_MAGIC 0x4942534fUL /* "OSBI" */
#define FW_DYNAMIC_VERSION_MAX 2
#define FW_DYNAMIC_NEXT_MODE_U 0
#define FW_DYNAMIC_NEXT_MODE_S 1
#define FW_DYNAMIC_NEXT_MODE_M 3

/* Is p worth dereferencing as an info block at all? */
bool boot_info_plausible(uintptr_t p);
/*
 * The hart the info asks to boot on, or -1 to choose by lottery (no info,
 * version 1, boot_hart == -1, or a hartid beyond max_harts).
 */
long boot_preferred_hart(const struct fw_dynamic_info *fi,
			 unsigned long max_harts);
/* Validate the block; on error fill err and return -1. */
int boot_check_info(const struct fw_dynamic_info *fi, char *err, size_t errlen);

#endif
