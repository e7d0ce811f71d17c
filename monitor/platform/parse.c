// SPDX-License-Identifier: BSD-2-Clause
/*
 * Device-tree parsing with libfdt. Addresses are read with the parent's
 * #address-cells/#size-cells; bus "ranges" are assumed to be identity, as on
 * QEMU virt (docs/design.md lists this limit).
 */
#include <libfdt.h>
#include <string.h>

#include "platform.h"

struct plat_info plat;

static int fail(char *err, size_t errlen, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t errlen, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	con_vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return code;
}

static uint64_t read_cells(const fdt32_t *p, int cells)
{
	uint64_t v = 0;

	for (int i = 0; i < cells; i++) {
		v = (v << 32) | fdt32_to_cpu(p[i]);
	}
	return v;
}

/* Read entry idx of a node's "reg" using its parent's cell counts. The
 * caller that walks a subtree knows the parent: fdt_parent_offset()
 * rescans the tree from its start, which costs O(harts) per cpu node. */
static int read_reg_at(const void *fdt, int parent, int node, int idx,
		       uint64_t *base, uint64_t *size)
{
	int ac = fdt_address_cells(fdt, parent);
	int sc = fdt_size_cells(fdt, parent);
	int len;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

	if (parent < 0 || ac < 1 || ac > 2 || sc < 0 || sc > 2 || !reg) {
		return -1;
	}
	if (len < (idx + 1) * (ac + sc) * 4) {
		return -1;
	}
	reg += idx * (ac + sc);
	*base = read_cells(reg, ac);
	*size = sc ? read_cells(reg + ac, sc) : 0;
	return 0;
}

static int read_reg(const void *fdt, int node, int idx, uint64_t *base,
		    uint64_t *size)
{
	return read_reg_at(fdt, fdt_parent_offset(fdt, node), node, idx, base,
			   size);
}

static bool node_enabled(const void *fdt, int node)
{
	const char *s = fdt_getprop(fdt, node, "status", NULL);

	return !s || !strcmp(s, "okay") || !strcmp(s, "ok");
}

static int parse_memory(const void *fdt, struct plat_info *pi, char *err,
			size_t errlen)
{
	int node = -1;

	while ((node = fdt_node_offset_by_prop_value(fdt, node, "device_type",
						     "memory", 7)) >= 0) {
		uint64_t base, size;

		if (!node_enabled(fdt, node)) {
			continue;
		}
		for (int i = 0; !read_reg(fdt, node, i, &base, &size); i++) {
			if (!size || base + size < base) {
				continue;
			}
			if (pi->nmem == PLAT_MAX_MEM) {
				return fail(err, errlen, PLAT_ERR_MEMORY,
					    "more than %d memory ranges",
					    PLAT_MAX_MEM);
			}
			pi->mem[pi->nmem++] = (struct plat_mem){base, size};
		}
	}
	if (!pi->nmem) {
		return fail(err, errlen, PLAT_ERR_MEMORY,
			    "no /memory node with a usable \"reg\"");
	}
	return PLAT_OK;
}

/* Does the ISA extension list (after the single letters) contain name? */
static bool isa_has_ext(const char *isa, const char *name)
{
	size_t n = strlen(name);
	const char *p = strchr(isa, '_');

	while (p) {
		p++;
		if (!strncmp(p, name, n) && (p[n] == '_' || p[n] == '\0')) {
			return true;
		}
		p = strchr(p, '_');
	}
	return false;
}

static unsigned int parse_isa(const void *fdt, int cpu)
{
	const char *isa = fdt_getprop(fdt, cpu, "riscv,isa", NULL);
	unsigned int f = 0;

	if (!isa || strncmp(isa, "rv64", 4)) {
		return 0;
	}
	for (const char *c = isa + 4; *c && *c != '_'; c++) {
		if (*c == 'h') {
			f |= PLAT_ISA_H;
		}
	}
	f |= isa_has_ext(isa, "sstc") ? PLAT_ISA_SSTC : 0;
	f |= isa_has_ext(isa, "zicbom") ? PLAT_ISA_ZICBOM : 0;
	f |= isa_has_ext(isa, "zicboz") ? PLAT_ISA_ZICBOZ : 0;
	f |= isa_has_ext(isa, "svpbmt") ? PLAT_ISA_SVPBMT : 0;
	f |= isa_has_ext(isa, "sscofpmf") ? PLAT_ISA_SSCOFPMF : 0;
	f |= isa_has_ext(isa, "svadu") ? PLAT_ISA_SVADU : 0;
	return f;
}

/* Pass 1: count the harts the monitor will run (the first
 * SECMON_HART_CAP enabled cpu nodes) and note the rest as skipped. */
static int count_one_cpu(const void *fdt, int cpus, int cpu,
			 struct plat_info *pi, char *err, size_t errlen)
{
	uint64_t hartid, unused;

	if (read_reg_at(fdt, cpus, cpu, 0, &hartid, &unused)) {
		return fail(err, errlen, PLAT_ERR_HARTS,
			    "cpu node %s has no valid \"reg\" (hartid)",
			    fdt_get_name(fdt, cpu, NULL));
	}
	if (pi->nharts >= SECMON_HART_CAP) {
		/* Not the monitor's to run: noted for the banner, parked at
		 * reset (entry.S), disabled in the OS's tree (plat_fixup). */
		if (pi->nskipped < PLAT_MAX_SKIPPED) {
			pi->skipped[pi->nskipped] = hartid;
		}
		pi->nskipped++;
		return PLAT_OK;
	}
	pi->nharts++;
	return PLAT_OK;
}

static bool is_enabled_cpu(const void *fdt, int cpu)
{
	const char *type = fdt_getprop(fdt, cpu, "device_type", NULL);

	return type && !strcmp(type, "cpu") && node_enabled(fdt, cpu);
}

static int parse_cpus(const void *fdt, struct plat_info *pi, char *err,
		      size_t errlen)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	int cpu, len;
	const fdt32_t *tb;

	if (cpus < 0) {
		return fail(err, errlen, PLAT_ERR_HARTS, "no /cpus node");
	}
	fdt_for_each_subnode (cpu, fdt, cpus) {
		int rc;

		if (!is_enabled_cpu(fdt, cpu)) {
			continue;
		}
		rc = count_one_cpu(fdt, cpus, cpu, pi, err, errlen);
		if (rc) {
			return rc;
		}
	}
	if (!pi->nharts) {
		return fail(err, errlen, PLAT_ERR_HARTS,
			    "no enabled cpu nodes under /cpus");
	}
	tb = fdt_getprop(fdt, cpus, "timebase-frequency", &len);
	if (tb && (len == 4 || len == 8)) {
		pi->timebase_hz = read_cells(tb, len / 4);
	}
	return PLAT_OK;
}

/* Pass 2: the first nharts enabled cpu nodes, as pass 1 counted them. */
static void read_harts(const void *fdt, struct plat_hart *harts, unsigned int n)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	unsigned int i = 0;
	uint64_t unused;
	int cpu, intc;

	fdt_for_each_subnode (cpu, fdt, cpus) {
		if (i == n) {
			break;
		}
		if (!is_enabled_cpu(fdt, cpu)) {
			continue;
		}
		harts[i] = (struct plat_hart){0};
		read_reg_at(fdt, cpus, cpu, 0, &harts[i].hartid, &unused);
		fdt_for_each_subnode (intc, fdt, cpu) {
			if (fdt_getprop(fdt, intc, "interrupt-controller",
					NULL)) {
				break;
			}
		}
		harts[i].isa = parse_isa(fdt, cpu);
		harts[i].intc_phandle =
		    intc >= 0 ? fdt_get_phandle(fdt, intc) : 0;
		i++;
	}
}

/* Ascending hartid: the monitor's hart index is the position here.
 * Insertion sort: trees list harts in order, so this is one pass. */
static void sort_harts(struct plat_hart *h, unsigned int n)
{
	for (unsigned int i = 1; i < n; i++) {
		struct plat_hart x = h[i];
		unsigned int j = i;

		while (j > 0 && h[j - 1].hartid > x.hartid) {
			h[j] = h[j - 1];
			j--;
		}
		h[j] = x;
	}
}

static int find_stdout(const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *path = NULL;
	int len;

	if (chosen >= 0) {
		path = fdt_getprop(fdt, chosen, "stdout-path", &len);
		if (!path) {
			path =
			    fdt_getprop(fdt, chosen, "linux,stdout-path", &len);
		}
	}
	if (path) {
		/* "path[:options]"; libfdt resolves a leading alias itself. */
		const char *colon = memchr(path, ':', (size_t)len);
		int n = colon ? (int)(colon - path) : (int)strnlen(path, len);
		int node = fdt_path_offset_namelen(fdt, path, n);

		if (node >= 0) {
			return node;
		}
	}
	return fdt_node_offset_by_compatible(fdt, -1, "ns16550a");
}

static int parse_uart(const void *fdt, struct plat_info *pi, char *err,
		      size_t errlen)
{
	int node = find_stdout(fdt);
	uint64_t base, size;
	const fdt32_t *p;

	if (node < 0 || fdt_node_check_compatible(fdt, node, "ns16550a")) {
		return fail(err, errlen, PLAT_ERR_UART,
			    "no ns16550a UART (checked /chosen/stdout-path and "
			    "compatible \"ns16550a\")");
	}
	if (read_reg(fdt, node, 0, &base, &size) || !base) {
		return fail(err, errlen, PLAT_ERR_UART,
			    "UART node %s has no valid \"reg\"",
			    fdt_get_name(fdt, node, NULL));
	}
	pi->uart.base = (uintptr_t)base;
	p = fdt_getprop(fdt, node, "reg-shift", NULL);
	pi->uart.reg_shift = p ? fdt32_to_cpu(*p) & 7 : 0;
	p = fdt_getprop(fdt, node, "reg-io-width", NULL);
	pi->uart.reg_io_width = p && fdt32_to_cpu(*p) == 4 ? 4 : 1;
	return PLAT_OK;
}

#define for_each_compatible(fdt, node, compat)                                 \
	for ((node) = fdt_node_offset_by_compatible((fdt), -1, (compat));      \
	     (node) >= 0;                                                      \
	     (node) = fdt_node_offset_by_compatible((fdt), (node), (compat)))

static struct plat_hart *hart_by_phandle(struct plat_info *pi, uint32_t ph)
{
	for (unsigned int i = 0; i < pi->nharts; i++) {
		if (pi->harts[i].intc_phandle == ph) {
			return &pi->harts[i];
		}
	}
	return NULL;
}

/*
 * Walk "interrupts-extended" (pairs of <intc-phandle irq>) and call back
 * with the hart and the pair's index. CLINT and ACLINT number their
 * per-hart registers by that index.
 */
static void for_each_irq(const void *fdt, int node, struct plat_info *pi,
			 uint64_t base, int kind)
{
	int len;
	const fdt32_t *ie = fdt_getprop(fdt, node, "interrupts-extended", &len);

	for (int k = 0; ie && (k + 1) * 8 <= len; k++) {
		struct plat_hart *h =
		    hart_by_phandle(pi, fdt32_to_cpu(ie[2 * k]));
		uint32_t irq = fdt32_to_cpu(ie[2 * k + 1]);

		if (!h) {
			continue;
		}
		if (kind == 0 &&
		    irq == 3) { /* CLINT: MSIP then MTIP per hart */
			h->msip = base + 4ULL * (uint64_t)(k / 2);
		} else if (kind == 0 && irq == 7) {
			h->mtimecmp = base + 0x4000 + 8ULL * (uint64_t)(k / 2);
		} else if (kind == 1 && irq == 3) { /* ACLINT MSWI */
			h->msip = base + 4ULL * (uint64_t)k;
		} else if (kind == 2 && irq == 7) { /* ACLINT MTIMER */
			h->mtimecmp = base + 8ULL * (uint64_t)k;
		}
	}
}

static void note_mdev(struct plat_info *pi, uint64_t base, uint64_t size)
{
	if (size && pi->nmdev < PLAT_MAX_MDEV) {
		pi->mdev[pi->nmdev++] = (struct plat_mem){base, size};
	}
}

static void parse_clints(const void *fdt, struct plat_info *pi)
{
	static const char *const clint_compat[] = {"riscv,clint0",
						   "sifive,clint0"};
	uint64_t base, size;
	int node;

	for (unsigned int c = 0; c < 2; c++) {
		for_each_compatible (fdt, node, clint_compat[c]) {
			/* QEMU's CLINT has both: take it once. */
			if (c && !fdt_node_check_compatible(fdt, node,
							    clint_compat[0])) {
				continue;
			}
			if (!read_reg(fdt, node, 0, &base, &size)) {
				for_each_irq(fdt, node, pi, base, 0);
				pi->mtime = base + 0xBFF8;
				note_mdev(pi, base, size);
			}
		}
	}
	for_each_compatible (fdt, node, "riscv,aclint-mswi") {
		if (!read_reg(fdt, node, 0, &base, &size)) {
			for_each_irq(fdt, node, pi, base, 1);
			note_mdev(pi, base, size);
		}
	}
	/* ACLINT MTIMER: "reg" is the mtime register, then the mtimecmp
	 * array (the sizes QEMU writes are not reliable, so go by order). */
	for_each_compatible (fdt, node, "riscv,aclint-mtimer") {
		uint64_t cmp, cmp_size;

		if (read_reg(fdt, node, 0, &base, &size) ||
		    read_reg(fdt, node, 1, &cmp, &cmp_size)) {
			continue;
		}
		pi->mtime = base;
		/* Every socket's mtime, not only the one the monitor reads:
		 * S-mode writing any of them would move that socket's time. */
		note_mdev(pi, base, 8);
		for_each_irq(fdt, node, pi, cmp, 2);
	}
}

/* Wired to the harts' M external interrupt (11)? */
static bool m_level_irqs(const void *fdt, int node)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, "interrupts-extended", &len);

	return p && len >= 8 && fdt32_to_cpu(p[1]) == 11;
}

bool plat_m_irqchip(const void *fdt, int node)
{
	int len;
	const fdt32_t *msi = fdt_getprop(fdt, node, "msi-parent", &len);

	if (fdt_node_check_compatible(fdt, node, "riscv,imsics") == 0) {
		return m_level_irqs(fdt, node);
	}
	if (fdt_node_check_compatible(fdt, node, "riscv,aplic")) {
		return false;
	}
	if (msi && len == 4) {
		int parent =
		    fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(msi[0]));

		return parent >= 0 && plat_m_irqchip(fdt, parent);
	}
	return m_level_irqs(fdt, node);
}

/* Is there an M-level IMSIC? QEMU's virt with aia=aplic-imsic and
 * aclint=on gives one and no MSWI. */
static bool has_m_imsic(const void *fdt)
{
	int node = -1;

	while ((node = fdt_node_offset_by_compatible(fdt, node,
						     "riscv,imsics")) >= 0) {
		if (plat_m_irqchip(fdt, node)) {
			return true;
		}
	}
	return false;
}

static int check_timers(const void *fdt, const struct plat_info *pi, char *err,
			size_t errlen)
{
	for (unsigned int i = 0; i < pi->nharts; i++) {
		const struct plat_hart *h = &pi->harts[i];
		unsigned long id = (unsigned long)h->hartid;

		if (!h->msip && has_m_imsic(fdt)) {
			return fail(
			    err, errlen, PLAT_ERR_TIMER,
			    "hart %lu has no ACLINT MSWI: its M-mode IPIs "
			    "would go through the IMSIC, which this monitor "
			    "does not drive (QEMU: use aia=aplic-imsic "
			    "without aclint=on)",
			    id);
		}
		if (!h->msip || !h->mtimecmp) {
			return fail(
			    err, errlen, PLAT_ERR_TIMER,
			    "hart %lu has no %s entry (need a CLINT or "
			    "ACLINT MSWI+MTIMER with interrupts-extended)",
			    id, h->msip ? "timer" : "software-interrupt");
		}
	}
	if (!pi->mtime) {
		return fail(err, errlen, PLAT_ERR_TIMER, "no mtime register");
	}
	return PLAT_OK;
}

static void parse_test_dev(const void *fdt, struct plat_info *pi)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "sifive,test0");
	uint64_t base, size;

	if (node >= 0 && !read_reg(fdt, node, 0, &base, &size)) {
		pi->test_base = base;
	}
}

/* A pool size the command line or /chosen may ask for: a power of two
 * from PLAT_POOL_SMALLEST to PLAT_POOL_MAX (one NAPOT PMP entry). */
static bool pool_size_ok(uint64_t v)
{
	return v >= PLAT_POOL_SMALLEST && v <= PLAT_POOL_MAX && !(v & (v - 1));
}

/* The number after "secmon.pool=", with its K/M/G suffix; -1 if it is no
 * number or larger than any pool (checked before the shift can wrap). */
static int64_t size_value(const char *p, const char **end)
{
	uint64_t v = 0;

	if (*p < '0' || *p > '9') {
		return -1;
	}
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > PLAT_POOL_MAX) {
			return -1;
		}
		v = v * 10 + (uint64_t)(*p - '0');
	}
	switch (*p) {
	case 'K':
		v <<= 10, p++;
		break;
	case 'M':
		v <<= 20, p++;
		break;
	case 'G':
		v <<= 30, p++;
		break;
	default:
		break;
	}
	*end = p;
	return (int64_t)v;
}

/* "secmon.pool=SIZE[K|M|G]" in bootargs: 1 and the size, 0 if absent,
 * -1 if present but not a size the monitor takes. */
static int bootargs_pool(const char *args, uint64_t *size)
{
	static const char key[] = "secmon.pool=";
	const char *p = args;
	int64_t v;

	while (p && *p && strncmp(p, key, sizeof(key) - 1)) {
		p = strchr(p, ' ');
		p = p ? p + 1 : NULL;
	}
	if (!p || !*p) {
		return 0;
	}
	v = size_value(p + sizeof(key) - 1, &p);
	if (v < 0 || (*p && *p != ' ') || !pool_size_ok((uint64_t)v)) {
		return -1;
	}
	*size = (uint64_t)v;
	return 1;
}

/* /chosen/secmon,pool = <base_hi base_lo size_hi size_lo>: a page-aligned
 * base, a page-granular size up to PLAT_POOL_MAX. */
static int chosen_pool(const fdt32_t *p, int len, struct plat_info *pi,
		       char *err, size_t errlen)
{
	uint64_t base, size;

	if (len != 16) {
		return fail(err, errlen, PLAT_ERR_FDT,
			    "/chosen/secmon,pool: want <base_hi base_lo "
			    "size_hi size_lo> (16 bytes), not %d bytes",
			    len);
	}
	base = read_cells(p, 2);
	size = read_cells(p + 2, 2);
	if ((base | size) & (PLAT_POOL_SMALLEST - 1) ||
	    size < PLAT_POOL_SMALLEST || size > PLAT_POOL_MAX) {
		return fail(err, errlen, PLAT_ERR_FDT,
			    "/chosen/secmon,pool: 0x%lx bytes at 0x%lx: want "
			    "whole pages, 4K to %luM",
			    (unsigned long)size, (unsigned long)base,
			    PLAT_POOL_MAX >> 20);
	}
	pi->pool_base = base;
	pi->pool_size = size;
	return PLAT_OK;
}

/* /chosen/secmon,pool-size = <size> (one cell or two). */
static int chosen_pool_size(const fdt32_t *p, int len, struct plat_info *pi,
			    char *err, size_t errlen)
{
	uint64_t size = len == 4 || len == 8 ? read_cells(p, len / 4) : 0;

	if (!pool_size_ok(size)) {
		return fail(err, errlen, PLAT_ERR_FDT,
			    "/chosen/secmon,pool-size: want one or two cells "
			    "holding a power of two from 4K to %luM",
			    PLAT_POOL_MAX >> 20);
	}
	pi->pool_size = size;
	return PLAT_OK;
}

/* Optional page-table pool placement (docs/abi.md "The pool"). */
static int parse_pool(const void *fdt, struct plat_info *pi, char *err,
		      size_t errlen)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *args;
	const fdt32_t *p;
	int len, rc;

	if (chosen < 0) {
		return PLAT_OK;
	}
	p = fdt_getprop(fdt, chosen, "secmon,pool", &len);
	if (p) {
		return chosen_pool(p, len, pi, err, errlen);
	}
	args = fdt_getprop(fdt, chosen, "bootargs", &len);
	rc = args && len > 0 && !args[len - 1]
		 ? bootargs_pool(args, &pi->pool_size)
		 : 0;
	if (rc < 0) {
		return fail(err, errlen, PLAT_ERR_FDT,
			    "bootargs: secmon.pool= wants a size such as 16M "
			    "(a power of two, 4K to %luM)",
			    PLAT_POOL_MAX >> 20);
	}
	p = fdt_getprop(fdt, chosen, "secmon,pool-size", &len);
	if (!rc && p) {
		return chosen_pool_size(p, len, pi, err, errlen);
	}
	return PLAT_OK;
}

uint64_t plat_pool_default(const struct plat_info *pi)
{
	uint64_t ram = 0, size = PLAT_POOL_MAX;

	for (unsigned int i = 0; i < pi->nmem; i++) {
		ram += pi->mem[i].size;
	}
	while (size > PLAT_POOL_MIN && size > ram / PLAT_POOL_RAM_SHARE) {
		size >>= 1;
	}
	return size;
}

static void parse_initrd(const void *fdt, struct plat_info *pi)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	const fdt32_t *s, *e;
	int ls, le;

	if (chosen < 0) {
		return;
	}
	s = fdt_getprop(fdt, chosen, "linux,initrd-start", &ls);
	e = fdt_getprop(fdt, chosen, "linux,initrd-end", &le);
	if (s && e && (ls == 4 || ls == 8) && (le == 4 || le == 8)) {
		pi->initrd_start = read_cells(s, ls / 4);
		pi->initrd_end = read_cells(e, le / 4);
	}
}

static bool overlaps_ram(const struct plat_info *pi, uint64_t b, uint64_t s)
{
	for (unsigned int i = 0; i < pi->nmem; i++) {
		const struct plat_mem *m = &pi->mem[i];

		if (b < m->base + m->size && m->base < b + s) {
			return true;
		}
	}
	return false;
}

static void note_mmio(struct plat_info *pi, uint64_t base, uint64_t size)
{
	if (!size || base + size < base || overlaps_ram(pi, base, size)) {
		return;
	}
	for (unsigned int i = 0; i < pi->nmmio; i++) {
		struct plat_mem *m = &pi->mmio[i];

		if (base <= m->base + m->size && m->base <= base + size) {
			uint64_t end = base + size > m->base + m->size
					   ? base + size
					   : m->base + m->size;

			m->base = base < m->base ? base : m->base;
			m->size = end - m->base;
			return;
		}
	}
	if (pi->nmmio < PLAT_MAX_MMIO) {
		pi->mmio[pi->nmmio++] = (struct plat_mem){base, size};
	}
}

/* A PCI host bridge's "ranges": child (3 cells), parent address (the
 * parent's #address-cells), size (the bridge's #size-cells). */
static void note_pci_windows(const void *fdt, int node, struct plat_info *pi)
{
	int len, pac = fdt_address_cells(fdt, fdt_parent_offset(fdt, node));
	int sc = fdt_size_cells(fdt, node);
	const fdt32_t *r = fdt_getprop(fdt, node, "ranges", &len);
	int step = 3 + pac + sc;

	if (!r || pac < 1 || pac > 2 || sc < 1 || sc > 2) {
		return;
	}
	for (int k = 0; (k + 1) * step * 4 <= len; k++) {
		const fdt32_t *e = r + k * step;

		note_mmio(pi, read_cells(e + 3, pac),
			  read_cells(e + 3 + pac, sc));
	}
}

/* Subtrees that describe no device memory. */
static bool no_device_subtree(const void *fdt, int node)
{
	const char *name = fdt_get_name(fdt, node, NULL);

	return name &&
	       (!strcmp(name, "cpus") || !strcmp(name, "reserved-memory") ||
		!strcmp(name, "chosen"));
}

/* Nodes that describe no device memory themselves. */
static bool no_device_memory(const void *fdt, int node)
{
	const char *t = fdt_getprop(fdt, node, "device_type", NULL);

	if (t && (!strcmp(t, "memory") || !strcmp(t, "cpu"))) {
		return true;
	}
	return plat_m_irqchip(fdt, node); /* hidden from the OS (plat_fixup) */
}

/* One pass over the tree, keeping each level's parent so that "reg" is
 * read without rescanning the tree (a 512-hart tree has over a thousand
 * nodes); the subtrees of no_device_subtree() are skipped whole. */
#define MMIO_MAX_DEPTH 16
static void parse_mmio(const void *fdt, struct plat_info *pi)
{
	int parent[MMIO_MAX_DEPTH] = {0};
	int node = 0, depth = 0, skip = 0;
	uint64_t base, size;
	const char *t;

	while ((node = fdt_next_node(fdt, node, &depth)) >= 0) {
		if (depth < 1 || (skip && depth > skip)) {
			continue;
		}
		skip = 0;
		if (depth < MMIO_MAX_DEPTH) {
			parent[depth] = node;
		}
		if (no_device_subtree(fdt, node)) {
			skip = depth;
			continue;
		}
		if (depth >= MMIO_MAX_DEPTH || no_device_memory(fdt, node)) {
			continue; /* deeper than any bus QEMU or a board has */
		}
		for (int i = 0; !read_reg_at(fdt, parent[depth - 1], node, i,
					     &base, &size);
		     i++) {
			note_mmio(pi, base, size);
		}
		t = fdt_getprop(fdt, node, "device_type", NULL);
		if (t && !strcmp(t, "pci")) {
			note_pci_windows(fdt, node, pi);
		}
	}
}

/* Counters the map may name: mcycle, minstret and mhpmcounter3-31. */
#define PMU_COUNTER_BITS 0xfffffffdU

/* Cells after the last whole row of three: a cut-off row, unless they
 * are zero padding as QEMU 7.2 leaves it. */
static bool cut_row(const fdt32_t *p, int len)
{
	for (int i = len / 4 - (len / 4) % 3; i < len / 4; i++) {
		if (p[i]) {
			return true;
		}
	}
	return false;
}

/* riscv,event-to-mhpmcounters: <first last counters> rows. QEMU 7.2 pads
 * the property with all-zero rows, which name nothing and are skipped. */
static void parse_pmu_map(const fdt32_t *p, int len, struct plat_pmu *pmu)
{
	for (int i = 0; i + 3 <= len / 4; i += 3) {
		uint32_t first = fdt32_to_cpu(p[i]);
		uint32_t last = fdt32_to_cpu(p[i + 1]);
		uint32_t ctrs = fdt32_to_cpu(p[i + 2]) & PMU_COUNTER_BITS;

		if (!first && !last && !ctrs) {
			continue;
		}
		if (!first || first > last || !ctrs ||
		    pmu->nmap == PLAT_PMU_MAX_MAP) {
			pmu->dropped++;
			continue;
		}
		pmu->map[pmu->nmap++] =
		    (struct plat_pmu_map){first, last, ctrs};
	}
	pmu->dropped += cut_row(p, len) ? 1 : 0;
}

/* riscv,event-to-mhpmevent: <event value_hi value_lo> rows. */
static void parse_pmu_selectors(const fdt32_t *p, int len, struct plat_pmu *pmu)
{
	for (int i = 0; i + 3 <= len / 4; i += 3) {
		uint32_t event = fdt32_to_cpu(p[i]);
		uint64_t v = read_cells(&p[i + 1], 2);

		if (!event || pmu->nsel == PLAT_PMU_MAX_MAP) {
			pmu->dropped++;
			continue;
		}
		pmu->sel[pmu->nsel++] = (struct plat_pmu_selector){event, v};
	}
	pmu->dropped += cut_row(p, len) ? 1 : 0;
}

/* A malformed or oversized node loses rows (counted), never the boot. */
static void parse_pmu(const void *fdt, struct plat_info *pi)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "riscv,pmu");
	const fdt32_t *p;
	int len;

	if (node < 0) {
		return;
	}
	p = fdt_getprop(fdt, node, "riscv,event-to-mhpmcounters", &len);
	if (p && len > 0) {
		parse_pmu_map(p, len, &pi->pmu);
	}
	p = fdt_getprop(fdt, node, "riscv,event-to-mhpmevent", &len);
	if (p && len > 0) {
		parse_pmu_selectors(p, len, &pi->pmu);
	}
}

int plat_parse(const void *fdt, struct plat_info *out, char *err, size_t errlen)
{
	static struct plat_info pi;
	int rc;

	if (fdt_check_header(fdt)) {
		return fail(err, errlen, PLAT_ERR_FDT,
			    "device tree header is invalid (%s)",
			    fdt_strerror(fdt_check_header(fdt)));
	}
	memset(&pi, 0, sizeof(pi));
	rc = parse_memory(fdt, &pi, err, errlen);
	if (!rc) {
		rc = parse_cpus(fdt, &pi, err, errlen);
	}
	if (!rc) {
		rc = parse_uart(fdt, &pi, err, errlen);
	}
	if (!rc) {
		parse_mmio(fdt, &pi);
	}
	if (rc) {
		return rc;
	}
	parse_test_dev(fdt, &pi);
	parse_initrd(fdt, &pi);
	parse_pmu(fdt, &pi);
	rc = parse_pool(fdt, &pi, err, errlen);
	if (rc) {
		return rc;
	}
	*out = pi;
	return PLAT_OK;
}

int plat_parse_harts(const void *fdt, struct plat_info *pi,
		     struct plat_hart *harts, char *err, size_t errlen)
{
	struct plat_info t = *pi;
	int rc;

	read_harts(fdt, harts, t.nharts);
	sort_harts(harts, t.nharts);
	for (unsigned int i = 1; i < t.nharts; i++) {
		if (harts[i].hartid == harts[i - 1].hartid) {
			return fail(err, errlen, PLAT_ERR_HARTS,
				    "hartid %lu appears twice under /cpus",
				    (unsigned long)harts[i].hartid);
		}
	}
	t.harts = harts;
	t.nmdev = 0;
	t.mtime = 0;
	parse_clints(fdt, &t);
	rc = check_timers(fdt, &t, err, errlen);
	if (!rc) {
		*pi = t;
	}
	return rc;
}

long plat_hart_index(const struct plat_info *pi, uint64_t hartid)
{
	unsigned int lo = 0, hi = pi->nharts;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (pi->harts[mid].hartid == hartid) {
			return (long)mid;
		}
		if (pi->harts[mid].hartid < hartid) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return -1;
}

bool plat_in_ram(const struct plat_info *pi, uint64_t base, uint64_t len)
{
	uint64_t end = base + len;

	if (end < base) {
		return false;
	}
	for (unsigned int i = 0; i < pi->nmem; i++) {
		const struct plat_mem *m = &pi->mem[i];

		if (base >= m->base && end <= m->base + m->size) {
			return true;
		}
	}
	return false;
}
