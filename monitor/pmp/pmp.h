/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Physical memory protection. Regions are planned in plain C (testable on
 * the host) and written by pmp_apply() on each hart. Entries are not
 * locked, so they bind S/U only and M-mode keeps full access.
 */
#ifndef SECMON_PMP_H
#define SECMON_PMP_H

#include <stdint.h>

#define PMP_MAX_ENTRIES 16 /* QEMU virt and the privileged spec minimum */

#define PMP_PERM_R 0x1
#define PMP_PERM_W 0x2
#define PMP_PERM_X 0x4

struct pmp_region {
	uint64_t base;
	uint64_t size; /* 0 with base 0: the whole address space */
	uint8_t perm; /* PMP_PERM_* granted to S/U */
};

struct pmp_entry {
	unsigned long addr; /* pmpaddr value (address >> 2, encoded) */
	uint8_t cfg; /* pmpcfg byte */
};

/* The plan every hart applies: filled by pmp_plan(), read by pmp_apply(). */
struct pmp_plan {
	struct pmp_entry e[PMP_MAX_ENTRIES];
	int n;
};

/*
 * Encode regions in priority order (first match wins). Power-of-two,
 * aligned regions take one NAPOT entry; others take a TOR pair. Returns 0,
 * or -1 if a region is misaligned (not 4-byte granular), wraps, or the
 * entries run out; *plan is untouched on error.
 */
int pmp_plan(const struct pmp_region *r, int nr, struct pmp_plan *plan);
/* Program the calling hart's PMP from plan (clears the unused entries). */
void pmp_apply(const struct pmp_plan *plan);

#endif
