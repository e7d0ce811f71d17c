// SPDX-License-Identifier: BSD-2-Clause
/* PMP encoding, RISC-V Privileged Architecture v1.12 §3.7.1. */
#include "pmp.h"

#include "arch.h"

#define CFG_A_TOR 0x08
#define CFG_A_NAPOT 0x18

static int is_napot(uint64_t base, uint64_t size)
{
	return size >= 8 && !(size & (size - 1)) && !(base & (size - 1));
}

static int encode(const struct pmp_region *r, struct pmp_entry *e, int room)
{
	uint8_t perm = r->perm & (PMP_PERM_R | PMP_PERM_W | PMP_PERM_X);

	if (r->base == 0 && r->size == 0) {
		/* All-ones NAPOT covers the whole address space. */
		if (room < 1) {
			return -1;
		}
		e[0] = (struct pmp_entry){~0UL, (uint8_t)(CFG_A_NAPOT | perm)};
		return 1;
	}
	if ((r->base | r->size) & 3 || r->base + r->size < r->base) {
		return -1;
	}
	if (is_napot(r->base, r->size)) {
		if (room < 1) {
			return -1;
		}
		e[0].addr = (unsigned long)((r->base | (r->size / 2 - 1)) >> 2);
		e[0].cfg = (uint8_t)(CFG_A_NAPOT | perm);
		return 1;
	}
	if (room < 2) {
		return -1;
	}
	e[0] = (struct pmp_entry){(unsigned long)(r->base >> 2), 0};
	e[1] = (struct pmp_entry){(unsigned long)((r->base + r->size) >> 2),
				  (uint8_t)(CFG_A_TOR | perm)};
	return 2;
}

int pmp_plan(const struct pmp_region *r, int nr, struct pmp_plan *plan)
{
	struct pmp_plan p = {.n = 0};

	for (int i = 0; i < nr; i++) {
		int used = encode(&r[i], &p.e[p.n], PMP_MAX_ENTRIES - p.n);

		if (used < 0) {
			return -1;
		}
		p.n += used;
	}
	*plan = p;
	return 0;
}

void pmp_apply(const struct pmp_plan *plan)
{
	for (int i = 0; i < PMP_MAX_ENTRIES; i++) {
		if (i < plan->n) {
			arch_pmp_write(i, plan->e[i].cfg, plan->e[i].addr);
		} else {
			arch_pmp_write(i, 0, 0);
		}
	}
	arch_sfence_vma_all();
}
