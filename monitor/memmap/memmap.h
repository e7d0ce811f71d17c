/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The memory map: what each physical range is to the monitor, and the one
 * rule for memory the monitor reads or writes on S-mode's behalf.
 *
 * Boot code fills it once (RAM, the monitor's window, the page-table pool
 * and the monitor's records region for it, the devices only M-mode may
 * touch); the page-table manager adds the two kernel roots at LOCK. After
 * boot only the roots change, and only under the memmap lock. Every access to
 * an S-mode buffer holds that same lock from its check through its last byte,
 * so a LOCK on another hart can never turn a checked buffer into a root between
 * the check and the access.
 *
 * The monitor's lock order, outermost first (docs/design.md "Locks"):
 *   1. the PTM gate (monitor/ptm/ptm_db.c): a fair reader-writer lock.
 *      Calls that change which pages or address spaces exist hold it as
 *      the writer; PTE_SET, PTE_MODIFY, BATCH and satp writes as readers.
 *      Waiters serve their own mailbox, since a writer may wait for their
 *      fence or RESYNC acknowledgement;
 *   2. one address space's lock (struct ptm_as): a ticket lock a reader
 *      of the gate takes for the address space it writes; never two;
 *   3. the memmap lock (here): a fair reader-writer lock; readers are the
 *      OS buffer accesses, the writer is LOCK setting the roots; no holder
 *      waits for another hart or prints;
 *   4. the console lock (monitor/console/format.c): one line of output.
 * The PMP plan's lock (boot/boot.c) and the SSE lock (monitor/sse, the
 * global events) are leaves: nothing else is taken while one is held.
 * The inter-hart mailbox (monitor/hart/hart.c) is lock-free.
 */
#ifndef SECMON_MEMMAP_H
#define SECMON_MEMMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MEMMAP_MAX_RAM 8
#define MEMMAP_MAX_DEVICES 6
#define MEMMAP_MAX_OS_MMIO 16

/* What S-mode may do with a range the monitor protects (PMP plan). */
#define MEMMAP_S_NONE 0
#define MEMMAP_S_READ 1

struct memmap_range {
	uint64_t base;
	uint64_t size;
};

/* One range S-mode is restricted in, for the PMP plan and the banner. */
struct memmap_guard {
	uint64_t base;
	uint64_t size;
	unsigned int s_access; /* MEMMAP_S_* */
	const char *what; /* "monitor", "pool", "kernel root", "clint" ... */
};

/* Boot (one hart, before any other runs). All return 0, or -1 if the
 * table is full or the range is empty or wraps; nothing changes then. */
void memmap_reset(void);
int memmap_add_ram(uint64_t base, uint64_t size);
int memmap_set_monitor(uint64_t base, uint64_t size);
int memmap_set_pool(uint64_t base, uint64_t size);
/* The page-table manager's records (ptm_init): monitor memory outside the
 * window, so memmap_in_monitor() covers it and S/U have no access. */
int memmap_set_records(uint64_t base, uint64_t size);
/* MMIO registers only M-mode may touch (CLINT / ACLINT MSWI, MTIMER).
 * Adjacent or overlapping ranges are merged. */
int memmap_add_device(uint64_t base, uint64_t size, const char *what);

/* Device memory the OS owns and may map for user space (from the tree),
 * rounded out to whole pages; adjacent ranges merged. The monitor's own
 * devices stay refused. */
int memmap_add_os_mmio(uint64_t base, uint64_t size);

/* LOCK (caller holds the PTM gate alone): 0, 0 removes them again. */
void memmap_set_kernel_roots(uint64_t swapper, uint64_t trampoline);

/*
 * The map itself. Other files read it only through the functions below;
 * it is not static so that the ACSL predicates here can name it (they
 * are the facts the page-table manager's proofs rely on: tools/verify
 * --wp, docs/verification.md), and gdb finds it by name.
 */
struct memmap_state {
	struct memmap_range ram[MEMMAP_MAX_RAM];
	unsigned int nram;
	struct memmap_range monitor;
	struct memmap_range records;
	struct memmap_range pool;
	struct memmap_guard device[MEMMAP_MAX_DEVICES];
	unsigned int ndevice;
	struct memmap_range os_mmio[MEMMAP_MAX_OS_MMIO];
	unsigned int nos_mmio;
	uint64_t kroot[2]; /* 0: none */
};
extern struct memmap_state memmap_state;

/*@
  // Each fact below as a predicate on the map at label L. "touches" is
  // any overlap or a range that wraps, "inside" lies within one range
  // without wrap, as the functions compute them: in 64-bit arithmetic.
  predicate mm_sane{L} =
    memmap_state.nram <= MEMMAP_MAX_RAM &&
    memmap_state.ndevice <= MEMMAP_MAX_DEVICES &&
    memmap_state.nos_mmio <= MEMMAP_MAX_OS_MMIO;
  predicate mm_wraps(integer base, integer len) =
    (uint64_t)(base + len) < base;
  predicate mm_overlap(integer a, integer alen, integer b, integer blen) =
    blen != 0 && a < (uint64_t)(b + blen) && b < (uint64_t)(a + alen);
  predicate mm_inside{L}(struct memmap_range *r, integer n, integer base,
			 integer len) =
    !mm_wraps(base, len) &&
    \exists integer i; 0 <= i < n && base >= r[i].base &&
      (uint64_t)(base + len) <= (uint64_t)(r[i].base + r[i].size);
  predicate mm_inside_ram{L}(integer b, integer l) =
    mm_inside(&memmap_state.ram[0], memmap_state.nram, b, l);
  predicate mm_inside_os_mmio{L}(integer b, integer l) =
    mm_inside(&memmap_state.os_mmio[0], memmap_state.nos_mmio, b, l);
  predicate mm_touches_monitor{L}(integer b, integer l) = mm_wraps(b, l) ||
    mm_overlap(b, l, memmap_state.monitor.base, memmap_state.monitor.size) ||
    mm_overlap(b, l, memmap_state.records.base, memmap_state.records.size);
  predicate mm_touches_pool{L}(integer b, integer l) = mm_wraps(b, l) ||
    mm_overlap(b, l, memmap_state.pool.base, memmap_state.pool.size);
  predicate mm_touches_kroot{L}(integer b, integer l) = mm_wraps(b, l) ||
    (memmap_state.kroot[0] != 0 &&
     mm_overlap(b, l, memmap_state.kroot[0], 4096)) ||
    (memmap_state.kroot[1] != 0 &&
     mm_overlap(b, l, memmap_state.kroot[1], 4096));
  predicate mm_touches_device{L}(integer b, integer l) = mm_wraps(b, l) ||
    \exists integer i; 0 <= i < memmap_state.ndevice &&
      mm_overlap(b, l, memmap_state.device[i].base,
		 memmap_state.device[i].size);
*/

/* (Declared above; its contract needs memmap_state. Assumed: the
 * memmap lock it takes is not modelled.) */
/*@ assigns memmap_state.kroot[0 .. 1];
    ensures memmap_state.kroot[0] == swapper &&
      memmap_state.kroot[1] == trampoline; */
void memmap_set_kernel_roots(uint64_t swapper, uint64_t trampoline);

/* Facts; false on wrap. A range is in RAM only inside one RAM range. */
/*@ requires mm_sane;
    assigns \nothing;
    ensures \result <==> mm_inside_ram(base, len); */
bool memmap_in_ram(uint64_t base, uint64_t len);
/* The monitor's window or its records region. */
/*@ requires mm_sane;
    assigns \nothing;
    ensures \result <==> mm_touches_monitor(base, len); */
bool memmap_in_monitor(uint64_t base, uint64_t len);
/*@ requires mm_sane;
    assigns \nothing;
    ensures \result <==> mm_touches_pool(base, len); */
bool memmap_in_pool(uint64_t base, uint64_t len);
/*@ requires mm_sane;
    assigns \nothing;
    ensures \result <==> mm_touches_kroot(base, len); */
bool memmap_in_kernel_root(uint64_t base, uint64_t len);
/*@ requires mm_sane;
    assigns \nothing;
    ensures \result <==> mm_touches_device(base, len); */
bool memmap_in_device(uint64_t base, uint64_t len);
/* Inside one OS device-memory range (and not RAM by construction). */
/*@ requires mm_sane;
    assigns \nothing;
    ensures \result <==> mm_inside_os_mmio(base, len); */
bool memmap_in_os_mmio(uint64_t base, uint64_t len);
/* The window the image, data and stacks live in. */
struct memmap_range memmap_monitor(void);
/* RAM range i in the order boot added them; false past the last. */
bool memmap_ram(unsigned int i, struct memmap_range *r);
struct memmap_range memmap_records(void);
struct memmap_range memmap_pool(void);
/* The kernel roots LOCK registered (i = 0 swapper, 1 trampoline), or 0. */
uint64_t memmap_kernel_root(unsigned int i);

/*
 * The guarded ranges, highest priority first (i = 0 .. n-1); false past
 * the end. Everything not listed is S-mode's, with full access.
 */
bool memmap_guard(unsigned int i, struct memmap_guard *g);

/*
 * The rule for OS buffers: [pa, pa + len) is RAM, does not wrap, is
 * aligned to align (a power of two), and touches neither the monitor (its
 * window or its records), the pool, a locked kernel root nor a guarded
 * device. len 0 is a valid empty
 * buffer if pa itself passes. Callers that need the answer to stay true
 * use the access functions below instead.
 */
bool memmap_os_buffer_ok(uint64_t pa, uint64_t len, uint64_t align);

/* Check and copy under the memmap lock: 0, or -1 with nothing copied. */
int memmap_copy_to_os(uint64_t pa, const void *src, size_t len, size_t align);
int memmap_copy_from_os(void *dst, uint64_t pa, size_t len, size_t align);

/*
 * For producers that fill the buffer piecewise (DBCN read): check, then
 * keep the memmap lock until memmap_os_end(). Returns the monitor's
 * pointer to the buffer, or NULL (lock not held) if the rule fails. The
 * holder may only touch the buffer and MMIO that never waits.
 */
void *memmap_os_begin(uint64_t pa, size_t len, size_t align);
void memmap_os_end(void);

#endif
