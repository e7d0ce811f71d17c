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
#ifdef FW_DYN_BOOT_HART /* layout.h: entry.S reads the block too */
static_assert(offsetof(struct fw_dynamic_info, version) == FW_DYN_VERSION &&
		  offsetof(struct fw_dynamic_info, boot_hart) ==
		      FW_DYN_BOOT_HART,
	      "entry.S reads version and boot_hart by layout.h's offsets");
#endif

#define FW_DYNAMIC_MAGIC 0x4942534fUL /* "OSBI" */
#ifdef FW_DYN_MAGIC
static_assert(FW_DYNAMIC_MAGIC == FW_DYN_MAGIC, "entry.S's magic");
#endif
#define FW_DYNAMIC_VERSION_MAX 2
#define FW_DYNAMIC_NEXT_MODE_U 0
#define FW_DYNAMIC_NEXT_MODE_S 1
#define FW_DYNAMIC_NEXT_MODE_M 3

/* Is p worth dereferencing as an info block at all? */
bool boot_info_plausible(uintptr_t p);
/* Validate the block; on error fill err and return -1. */
int boot_check_info(const struct fw_dynamic_info *fi, char *err, size_t errlen);

#endif
