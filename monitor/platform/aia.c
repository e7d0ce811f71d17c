// SPDX-License-Identifier: BSD-2-Clause
/*
 * The AIA's machine-level APLIC (RISC-V AIA 1.0 §4): firmware hands its
 * interrupt sources to the S-level domain (riscv,delegate) and, in MSI
 * mode, tells the APLIC where the harts' M- and S-level IMSIC files are
 * (§4.5.3-§4.5.4). Without this, QEMU virt's aia=aplic-imsic devices
 * never interrupt S-mode. The M-level controllers are then disabled in
 * the OS's tree (plat_fixup); the monitor takes no external interrupts.
 */
#include <libfdt.h>

#include "arch.h"
#include "platform.h"

#define APLIC_SOURCECFG(i) (0x0004UL + 4UL * ((i)-1))
#define APLIC_SOURCECFG_D (1U << 10)
#define APLIC_MMSIADDRCFG 0x1bc0UL
#define APLIC_MMSIADDRCFGH 0x1bc4UL
#define APLIC_SMSIADDRCFG 0x1bc8UL
#define APLIC_SMSIADDRCFGH 0x1bccUL
#define APLIC_MAX_SOURCES 1023
/* xmsiaddrcfgh fields (§4.5.4) */
#define CFGH_PPN_HIGH 0xfffU
#define CFGH_LHXW_SHIFT 12
#define CFGH_HHXW_SHIFT 16
#define CFGH_LHXS_SHIFT 20
#define CFGH_HHXS_SHIFT 24

static uint32_t prop_u32(const void *fdt, int node, const char *name,
			 uint32_t dflt)
{
	const fdt32_t *p = fdt_getprop(fdt, node, name, NULL);

	return p ? fdt32_to_cpu(*p) : dflt;
}

static uint64_t reg_base(const void *fdt, int node)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, "reg", &len);

	return p && len >= 8
		   ? (uint64_t)fdt32_to_cpu(p[0]) << 32 | fdt32_to_cpu(p[1])
		   : 0;
}

/* Bits needed for a hart index among an IMSIC's harts (one
 * interrupts-extended pair each), when the node does not say. */
static uint32_t hart_index_bits(const void *fdt, int imsic)
{
	int len = 0;
	uint32_t bits = 0;

	fdt_getprop(fdt, imsic, "interrupts-extended", &len);
	while ((1U << bits) < (uint32_t)(len / 8)) {
		bits++;
	}
	return prop_u32(fdt, imsic, "riscv,hart-index-bits", bits);
}

/* The MSI address configuration for one level: the IMSIC's base and its
 * index layout (AIA §4.5.4). */
static void msi_config(const void *fdt, int imsic, uintptr_t lo_reg,
		       uintptr_t hi_reg, bool machine)
{
	uint64_t ppn = reg_base(fdt, imsic) >> 12;
	uint32_t guest = prop_u32(fdt, imsic, "riscv,guest-index-bits", 0);
	uint32_t gbits = prop_u32(fdt, imsic, "riscv,group-index-bits", 0);
	uint32_t gshift = prop_u32(fdt, imsic, "riscv,group-index-shift", 24);
	uint32_t hi = (uint32_t)(ppn >> 32) & CFGH_PPN_HIGH;

	if (machine) {
		hi |= (hart_index_bits(fdt, imsic) & 0xf) << CFGH_LHXW_SHIFT;
		hi |= (gbits & 0x7) << CFGH_HHXW_SHIFT;
		hi |= (gbits ? (gshift - 24) & 0x1f : 0) << CFGH_HHXS_SHIFT;
	} else {
		hi |= (guest & 0x7) << CFGH_LHXS_SHIFT;
	}
	arch_mmio_write32(lo_reg, (uint32_t)ppn);
	arch_mmio_write32(hi_reg, hi);
}

/* riscv,delegate: <child first last> triples; the child's position in
 * riscv,children is the index a delegated source names. */
static unsigned int delegate(const void *fdt, int aplic, uint64_t base)
{
	int dlen, clen;
	const fdt32_t *d = fdt_getprop(fdt, aplic, "riscv,delegate", &dlen);
	const fdt32_t *c = fdt_getprop(fdt, aplic, "riscv,children", &clen);
	unsigned int n = 0;

	for (int i = 0; d && c && i + 3 <= dlen / 4; i += 3) {
		uint32_t first = fdt32_to_cpu(d[i + 1]);
		uint32_t last = fdt32_to_cpu(d[i + 2]);
		int child = 0;

		while (child < clen / 4 && c[child] != d[i]) {
			child++;
		}
		if (child == clen / 4 || !first || first > last ||
		    last > APLIC_MAX_SOURCES) {
			continue; /* malformed: those sources stay M's */
		}
		for (uint32_t s = first; s <= last; s++, n++) {
			arch_mmio_write32(base + APLIC_SOURCECFG(s),
					  APLIC_SOURCECFG_D | (uint32_t)child);
		}
	}
	return n;
}

/* An S-level child's IMSIC: the msi-parent of the first child. */
static int child_imsic(const void *fdt, int aplic)
{
	int len, child;
	const fdt32_t *c = fdt_getprop(fdt, aplic, "riscv,children", &len);
	const fdt32_t *msi;

	if (!c || len < 4) {
		return -1;
	}
	child = fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(c[0]));
	msi = child >= 0 ? fdt_getprop(fdt, child, "msi-parent", &len) : NULL;
	return msi && len == 4
		   ? fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(msi[0]))
		   : -1;
}

/* The registers written: sourcecfg[1..1023] and the four MSI address
 * registers, all below this offset (AIA §4.5). */
#define APLIC_WRITTEN_BYTES 0x2000UL

unsigned int plat_aia_setup(const void *fdt, uint64_t *aplic_base)
{
	int node = -1;
	unsigned int n = 0;

	*aplic_base = 0;
	while ((node = fdt_node_offset_by_compatible(fdt, node,
						     "riscv,aplic")) >= 0) {
		const fdt32_t *msi;
		uint64_t base = reg_base(fdt, node);
		int len, m, s;

		/* A node that puts its registers in RAM is not an APLIC
		 * the monitor will write to (it could be the monitor). */
		if (!plat_m_irqchip(fdt, node) || !base ||
		    base + APLIC_WRITTEN_BYTES < base ||
		    plat_in_ram(&plat, base, APLIC_WRITTEN_BYTES) ||
		    plat_in_ram(&plat, base + APLIC_WRITTEN_BYTES - 1, 1)) {
			continue;
		}
		msi = fdt_getprop(fdt, node, "msi-parent", &len);
		m = msi && len == 4
			? fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(msi[0]))
			: -1;
		s = child_imsic(fdt, node);
		if (m >= 0 && s >= 0) {
			msi_config(fdt, m, base + APLIC_MMSIADDRCFG,
				   base + APLIC_MMSIADDRCFGH, true);
			msi_config(fdt, s, base + APLIC_SMSIADDRCFG,
				   base + APLIC_SMSIADDRCFGH, false);
		}
		n += delegate(fdt, node, base);
		*aplic_base = base;
	}
	return n;
}
