// SPDX-License-Identifier: BSD-2-Clause
/* Device-tree copy and fix-ups for the OS. */
#include <libfdt.h>
#include <string.h>

#include "arch.h"
#include "platform.h"

static int fail(char *err, size_t errlen, int code, const char *what, int rc)
{
	con_snprintf(err, errlen, "%s: %s", what, fdt_strerror(rc));
	return code;
}

int plat_fdt_copy(const void *src, void *dst, size_t dst_size, char *err,
		  size_t errlen)
{
	int rc = fdt_check_header(src);

	if (rc) {
		return fail(err, errlen, PLAT_ERR_FDT,
			    "device tree from the previous stage is invalid",
			    rc);
	}
	if (fdt_totalsize(src) > dst_size) {
		con_snprintf(err, errlen,
			     "device tree is %u bytes; the monitor's copy "
			     "buffer holds %lu",
			     fdt_totalsize(src), (unsigned long)dst_size);
		return PLAT_ERR_SPACE;
	}
	rc = fdt_open_into(src, dst, (int)dst_size);
	if (rc) {
		return fail(err, errlen, PLAT_ERR_FDT, "copying device tree",
			    rc);
	}
	return PLAT_OK;
}

static int set_cells(void *fdt, int node, const char *name, int cells,
		     uint64_t a, uint64_t b, int bcells)
{
	fdt32_t v[4];
	int n = 0;

	if (cells == 2) {
		v[n++] = cpu_to_fdt32((uint32_t)(a >> 32));
	}
	v[n++] = cpu_to_fdt32((uint32_t)a);
	if (bcells == 2) {
		v[n++] = cpu_to_fdt32((uint32_t)(b >> 32));
	}
	v[n++] = cpu_to_fdt32((uint32_t)b);
	return fdt_setprop(fdt, node, name, v, n * (int)sizeof(v[0]));
}

static int reserved_memory_node(void *fdt)
{
	int node = fdt_path_offset(fdt, "/reserved-memory");
	int rc;

	if (node >= 0) {
		return node;
	}
	node = fdt_add_subnode(fdt, 0, "reserved-memory");
	if (node < 0) {
		return node;
	}
	rc = fdt_setprop_u32(fdt, node, "#address-cells", 2);
	rc = rc ?: fdt_setprop_u32(fdt, node, "#size-cells", 2);
	rc = rc ?: fdt_setprop(fdt, node, "ranges", NULL, 0);
	return rc ? rc : node;
}

static int add_reservation(void *fdt, const char *what, const char *compat,
			   const struct plat_reserve *r, bool no_map)
{
	char name[40];
	int parent = reserved_memory_node(fdt);
	int ac, sc, node, rc;

	if (parent < 0) {
		return parent;
	}
	ac = fdt_address_cells(fdt, parent);
	sc = fdt_size_cells(fdt, parent);
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2 ||
	    (ac == 1 && r->base >> 32) || (sc == 1 && r->size >> 32)) {
		return -FDT_ERR_BADNCELLS;
	}
	con_snprintf(name, sizeof(name), "%s@%lx", what,
		     (unsigned long)r->base);
	node = fdt_add_subnode(fdt, parent, name);
	if (node < 0) {
		return node;
	}
	rc = set_cells(fdt, node, "reg", ac, r->base, r->size, sc);
	rc = rc ?: fdt_setprop_string(fdt, node, "compatible", compat);
	return rc || !no_map ? rc : fdt_setprop(fdt, node, "no-map", NULL, 0);
}

/*
 * Cut a property, already rewritten in place, down to its first len bytes.
 * Resizing keeps those bytes, so no bounce buffer is needed and property
 * length is not limited (QEMU's "-cpu max" lists hundreds of bytes).
 */
static int shrink_prop(void *fdt, int node, const char *name, int len)
{
	void *data;

	return fdt_setprop_placeholder(fdt, node, name, len, &data);
}

/* "rv64imafdch_zicsr..." -> "rv64imafdc_zicsr...": drop 'h' from the
 * single-letter part only. */
static int strip_h_isa(void *fdt, int cpu)
{
	int len;
	char *p = fdt_getprop_w(fdt, cpu, "riscv,isa", &len);
	int o = 0, i;
	bool in_letters = true;

	if (!p || len <= 0) {
		return 0;
	}
	for (i = 0; i < len && p[i]; i++) {
		if (p[i] == '_') {
			in_letters = false;
		}
		if (in_letters && i >= 4 && p[i] == 'h') {
			continue;
		}
		p[o++] = p[i];
	}
	if (o == i) {
		return 0;
	}
	p[o] = '\0';
	return shrink_prop(fdt, cpu, "riscv,isa", o + 1);
}

/* Newer trees also list extensions one per string; drop a lone "h". */
static int strip_h_extensions(void *fdt, int cpu)
{
	int len;
	char *p = fdt_getprop_w(fdt, cpu, "riscv,isa-extensions", &len);
	int o = 0;

	/* A list whose last string is unterminated is left for the OS to
	 * reject; walking it would run past the property. */
	if (!p || len <= 0 || p[len - 1] != '\0') {
		return 0;
	}
	for (int i = 0; i < len;) {
		int n = (int)strnlen(p + i, (size_t)(len - i)) + 1;

		if (strcmp(p + i, "h") != 0) {
			memmove(p + o, p + i, (size_t)n);
			o += n;
		}
		i += n;
	}
	return o == len ? 0 : shrink_prop(fdt, cpu, "riscv,isa-extensions", o);
}

static int hide_hypervisor(void *fdt)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	int cpu, rc;

	if (cpus < 0) {
		return 0;
	}
	fdt_for_each_subnode (cpu, fdt, cpus) {
		rc = strip_h_isa(fdt, cpu);
		rc = rc ?: strip_h_extensions(fdt, cpu);
		if (rc) {
			return rc;
		}
	}
	return 0;
}

static int fixup_fail(char *err, size_t errlen, const char *what, int rc)
{
	return fail(err, errlen,
		    rc == -FDT_ERR_NOSPACE ? PLAT_ERR_SPACE : PLAT_ERR_FDT,
		    what, rc);
}

int plat_fixup_pool(void *fdt, const struct plat_reserve *pool,
		    const struct plat_reserve *records, char *err,
		    size_t errlen)
{
	/* Mapped (no no-map): Linux reads its page tables through the
	 * linear map and keeps struct pages for them. */
	int rc =
	    add_reservation(fdt, "secmon-pool", "secmon,pt-pool", pool, false);

	if (rc) {
		return fixup_fail(err, errlen,
				  "adding /reserved-memory/secmon-pool", rc);
	}
	/* The records are the monitor's own memory: never mapped. */
	rc = add_reservation(fdt, "secmon-records", "secmon,records", records,
			     true);
	if (rc) {
		return fixup_fail(err, errlen,
				  "adding /reserved-memory/secmon-records", rc);
	}
	return PLAT_OK;
}

/* Enabled cpu nodes past SECMON_HART_CAP (counted in tree order, as
 * plat_parse does) were never started: the OS must not wait for them
 * (Linux skips a cpu node that is not okay). */
static int hide_skipped_harts(void *fdt)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	unsigned int seen = 0;
	int cpu;

	fdt_for_each_subnode (cpu, fdt, cpus) {
		const char *type = fdt_getprop(fdt, cpu, "device_type", NULL);
		const char *st = fdt_getprop(fdt, cpu, "status", NULL);
		int rc;

		if (!type || strcmp(type, "cpu") ||
		    (st && strcmp(st, "okay") && strcmp(st, "ok")) ||
		    seen++ < SECMON_HART_CAP) {
			continue;
		}
		rc = fdt_setprop_string(fdt, cpu, "status", "disabled");
		if (rc) {
			return rc;
		}
	}
	return 0;
}

/* The OS gets S-mode's interrupt controllers only: an M-level IMSIC or
 * APLIC in its tree would be probed (and fail) as its own. */
static int hide_m_irqchips(void *fdt)
{
	static const char *const compat[] = {"riscv,imsics", "riscv,aplic"};

	for (unsigned int c = 0; c < 2; c++) {
		int node = -1;

		while ((node = fdt_node_offset_by_compatible(fdt, node,
							     compat[c])) >= 0) {
			int rc = plat_m_irqchip(fdt, node)
				     ? fdt_setprop_string(fdt, node, "status",
							  "disabled")
				     : 0;

			if (rc) {
				return rc;
			}
		}
	}
	return 0;
}

int plat_fixup(void *fdt, const struct plat_reserve *mon, bool hyp, char *err,
	       size_t errlen)
{
	int rc = add_reservation(fdt, "secmon", "secmon,monitor", mon, true);

	if (rc) {
		return fixup_fail(err, errlen, "adding /reserved-memory/secmon",
				  rc);
	}
	rc = hyp ? 0 : hide_hypervisor(fdt);
	if (rc) {
		return fixup_fail(err, errlen, "removing 'h' from riscv,isa",
				  rc);
	}
	rc = hide_skipped_harts(fdt);
	if (rc) {
		return fixup_fail(err, errlen,
				  "disabling harts beyond the build's limit",
				  rc);
	}
	rc = hide_m_irqchips(fdt);
	if (rc) {
		return fixup_fail(err, errlen,
				  "disabling the M-level AIA controllers", rc);
	}
	/* The OS reserves totalsize bytes; hand it no slack. */
	rc = fdt_pack(fdt);
	return rc ? fail(err, errlen, PLAT_ERR_FDT, "packing", rc) : PLAT_OK;
}

/* sifive,test finisher codes (QEMU hw/misc/sifive_test.c). */
#define FINISHER_FAIL 0x3333
#define FINISHER_PASS 0x5555
#define FINISHER_RESET 0x7777

void plat_poweroff(void)
{
	if (plat.test_base) {
		arch_mmio_write32((uintptr_t)plat.test_base, FINISHER_PASS);
	}
}

void plat_reboot(void)
{
	if (plat.test_base) {
		arch_mmio_write32((uintptr_t)plat.test_base, FINISHER_RESET);
	}
}

void plat_fail(unsigned int code)
{
	if (plat.test_base) {
		arch_mmio_write32((uintptr_t)plat.test_base,
				  (code << 16) | FINISHER_FAIL);
	}
}
