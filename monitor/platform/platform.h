/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Platform: everything the monitor learns from the device tree, and the
 * fix-ups it makes before handing the tree to the OS. Parsing never
 * panics: a tree the monitor cannot use yields an error code and a one-line
 * message that names the node or property at fault.
 */
#ifndef SECMON_PLATFORM_H
#define SECMON_PLATFORM_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "console.h"

/*
 * Harts are counted from the tree and their state is sized to the count
 * (monitor/hart). This cap only bounds a hostile or broken tree: enabled
 * cpu nodes past it are skipped (named in the banner, disabled in the
 * OS's tree). QEMU virt stops at 512.
 */
#ifndef SECMON_HART_CAP
#define SECMON_HART_CAP 4096
#endif
#define PLAT_MAX_MEM 8
#define PLAT_MAX_MDEV 16 /* 8 sockets of ACLINT MSWI + MTIMER */
#define PLAT_MAX_MMIO 16
#define PLAT_MAX_SKIPPED 8

/* ISA features the monitor acts on, per hart. */
#define PLAT_ISA_H (1U << 0) /* hypervisor: offered if every hart has it */
#define PLAT_ISA_SSTC (1U << 1) /* stimecmp: set menvcfg.STCE */
#define PLAT_ISA_ZICBOM                                                        \
	(1U << 2) /* cache-block management: menvcfg.CBIE/CBCFE */
#define PLAT_ISA_ZICBOZ (1U << 3) /* cache-block zero: menvcfg.CBZE */
#define PLAT_ISA_SVPBMT (1U << 4) /* page-based memory types: menvcfg.PBMTE */
#define PLAT_ISA_SVADU (1U << 6) /* hardware A/D updates: menvcfg.ADUE */
#define PLAT_ISA_SSCOFPMF                                                      \
	(1U << 5) /* counter overflow: LCOFI, mhpmevent.OF                     \
		   */

struct plat_mem {
	uint64_t base;
	uint64_t size;
};

/* One hart; entry.S scans an array of these for its own hartid. */
struct plat_hart {
	uint64_t hartid; /* "reg" of its cpu node (mhartid) */
	uint64_t msip; /* this hart's MSIP register (CLINT / ACLINT MSWI) */
	uint64_t mtimecmp; /* this hart's mtimecmp register */
	uint32_t intc_phandle; /* phandle of the hart's interrupt controller */
	uint32_t isa; /* PLAT_ISA_* */
};
static_assert(sizeof(struct plat_hart) == 32 &&
		  offsetof(struct plat_hart, hartid) == 0,
	      "entry.S walks plat_hart entries (layout.h BOOT_HART_*)");

/*
 * The "riscv,pmu" node (OpenSBI's binding, which QEMU virt follows):
 * which counters can count which events, and what to write to mhpmevent
 * for an event (absent: the event_idx itself, as SBI §11.4 suggests).
 */
#define PLAT_PMU_MAX_MAP 16
struct plat_pmu_map {
	uint32_t first, last; /* event_idx range, inclusive */
	uint32_t counters; /* bit i: counter i (0 mcycle, 2 minstret, 3..31) */
};
struct plat_pmu_selector {
	uint32_t event;
	uint64_t value; /* for mhpmevent */
};
struct plat_pmu {
	struct plat_pmu_map map[PLAT_PMU_MAX_MAP];
	unsigned int nmap;
	struct plat_pmu_selector sel[PLAT_PMU_MAX_MAP];
	unsigned int nsel;
	unsigned int dropped; /* rows past PLAT_PMU_MAX_MAP or malformed */
};

struct plat_info {
	struct plat_mem mem[PLAT_MAX_MEM];
	unsigned int nmem;
	/* nharts harts in ascending hartid order (a hart's index in the
	 * monitor is its place here); storage given to plat_parse_harts, NULL
	 * until then. */
	struct plat_hart *harts;
	unsigned int nharts;
	/* Enabled cpu nodes past SECMON_HART_CAP: the first
	 * PLAT_MAX_SKIPPED of their hartids, and how many. */
	uint64_t skipped[PLAT_MAX_SKIPPED];
	unsigned int nskipped;
	uint64_t timebase_hz;
	uint64_t mtime; /* address of the mtime register */
	/* CLINT and ACLINT MSWI register blocks as "reg" gives them: only
	 * M-mode may touch them (the per-hart registers above are added to
	 * the protected ranges on their own too). */
	struct plat_mem mdev[PLAT_MAX_MDEV];
	unsigned int nmdev;
	/* Device memory outside RAM that the tree describes: every device
	 * node's "reg" and a PCI host bridge's "ranges" (its BAR windows),
	 * adjacent ranges merged; past PLAT_MAX_MMIO the rest is dropped
	 * (user leaves there are refused: the safe side). */
	struct plat_mem mmio[PLAT_MAX_MMIO];
	unsigned int nmmio;
	struct con_uart uart;
	uint64_t test_base; /* sifive,test finisher; 0 if absent */
	uint64_t initrd_start, initrd_end;
	/* /chosen/secmon,pool = <base size> (2+2 cells), else the kernel
	 * command line's secmon.pool=SIZE[K|M|G], else
	 * /chosen/secmon,pool-size = <size> (1 or 2 cells); 0 if none:
	 * plat_pool_default() then. */
	uint64_t pool_base, pool_size;
	struct plat_pmu pmu;
};

/* Errors from plat_parse / plat_fixup / plat_fdt_copy. */
#define PLAT_OK 0
#define PLAT_ERR_FDT (-1) /* not a valid flattened tree */
#define PLAT_ERR_MEMORY (-2) /* no usable /memory */
#define PLAT_ERR_HARTS (-3) /* no harts, too many, or bad hartid */
#define PLAT_ERR_UART (-4) /* no console UART */
#define PLAT_ERR_TIMER (-5) /* no CLINT / ACLINT for some hart */
#define PLAT_ERR_SPACE (-6) /* tree does not fit the buffer */

/* An AIA interrupt controller for M-mode: an IMSIC wired to the M
 * external interrupt, or an APLIC domain that delivers to one (or, wired,
 * to M external). plat_fixup disables them for the OS. */
bool plat_m_irqchip(const void *fdt, int node);

/* Program the M-level APLIC (aia.c): its sources delegated to S-mode and
 * the IMSIC addresses. Returns the sources delegated (0: no AIA) and the
 * APLIC's base. Boot hart, before the OS runs. */
unsigned int plat_aia_setup(const void *fdt, uint64_t *aplic_base);

/* Copy (and unpack) the tree at src into dst, leaving room to grow. */
int plat_fdt_copy(const void *src, void *dst, size_t dst_size, char *err,
		  size_t errlen);
/* Fill *pi from the tree, counting the harts (pi->nharts) but leaving
 * pi->harts NULL. *pi is fully written on success only. */
int plat_parse(const void *fdt, struct plat_info *pi, char *err, size_t errlen);
/* Then the harts: harts[pi->nharts] gets them sorted by hartid, with their
 * CLINT / ACLINT registers (and pi->mdev, pi->mtime). A duplicate hartid
 * or a hart without an MSIP or mtimecmp is an error, and *pi is changed
 * on success only. */
int plat_parse_harts(const void *fdt, struct plat_info *pi,
		     struct plat_hart *harts, char *err, size_t errlen);
/* The index of hartid in pi->harts, or -1 (binary search). */
long plat_hart_index(const struct plat_info *pi, uint64_t hartid);

struct plat_reserve {
	uint64_t base;
	uint64_t size;
};
/*
 * Make the tree fit for the OS: a /reserved-memory no-map node for the
 * monitor, and, unless hyp, 'h' removed from every hart's ISA string. H
 * is offered only when every hart has it (hart_hyp()): Linux takes the
 * ISA all harts share, and a hart the monitor does not delegate the
 * guest traps of would hand them to the wrong mode.
 */
int plat_fixup(void *fdt, const struct plat_reserve *mon, bool hyp, char *err,
	       size_t errlen);

/* Add /reserved-memory/secmon-pool (mapped, compatible "secmon,pt-pool")
 * and /reserved-memory/secmon-records (the monitor's page records, no-map,
 * compatible "secmon,records"); call before plat_fixup(), which packs the
 * tree. */
int plat_fixup_pool(void *fdt, const struct plat_reserve *pool,
		    const struct plat_reserve *records, char *err,
		    size_t errlen);

/*
 * The pool's default size: 1/64 of all RAM, rounded down to a power of
 * two (one NAPOT PMP entry), at least PLAT_POOL_MIN and at most
 * PLAT_POOL_MAX: 4 MiB up to 256 MiB of RAM, 64 MiB with 4 GiB, 1 GiB
 * from 64 GiB on (docs/design.md "Pool size"). An override (secmon.pool=,
 * /chosen) may ask for PLAT_POOL_SMALLEST to PLAT_POOL_MAX.
 */
#define PLAT_POOL_RAM_SHARE 64
#define PLAT_POOL_MIN (4UL << 20)
#define PLAT_POOL_MAX (1UL << 30)
#define PLAT_POOL_SMALLEST (4UL << 10)
uint64_t plat_pool_default(const struct plat_info *pi);

/* True if [base, base+len) lies inside one /memory range, without wrap. */
bool plat_in_ram(const struct plat_info *pi, uint64_t base, uint64_t len);

/* The global platform description, filled once by the boot hart. */
extern struct plat_info plat;

/* The sifive,test finisher (QEMU virt "test" device). */
void plat_poweroff(void);
void plat_reboot(void);
void plat_fail(unsigned int code);

#endif
