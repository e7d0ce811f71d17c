// SPDX-License-Identifier: BSD-2-Clause
/*
 * The memory map (memmap.h). The kernel roots are the only facts that
 * change after boot: they are written with both the PTM gate (alone) and the
 * memmap lock held, so a reader holding either one sees a stable value.
 */
#include "memmap.h"

#include <string.h>

#include "arch.h"
#include "lock.h"

#define PAGE_SIZE 4096UL

/* memmap.h says why this is not static. */
struct memmap_state memmap_state;

/* Readers: every OS buffer access. The writer: LOCK setting the roots. */
static struct rwlock memmap_lock = RWLOCK_INIT;

void memmap_reset(void)
{
	memmap_state = (struct memmap_state){0};
}

static bool valid_range(uint64_t base, uint64_t size)
{
	return size && base + size > base;
}

/* [a, a + alen) and [b, b + blen) share a byte; an empty b shares none. */
/*@ assigns \nothing;
    ensures \result <==> mm_overlap(a, alen, b, blen); */
static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return blen && a < b + blen && b < a + alen;
}

int memmap_add_ram(uint64_t base, uint64_t size)
{
	if (!valid_range(base, size) || memmap_state.nram == MEMMAP_MAX_RAM) {
		return -1;
	}
	memmap_state.ram[memmap_state.nram++] =
	    (struct memmap_range){base, size};
	return 0;
}

int memmap_set_monitor(uint64_t base, uint64_t size)
{
	if (!valid_range(base, size)) {
		return -1;
	}
	memmap_state.monitor = (struct memmap_range){base, size};
	return 0;
}

int memmap_set_pool(uint64_t base, uint64_t size)
{
	if (!valid_range(base, size)) {
		return -1;
	}
	memmap_state.pool = (struct memmap_range){base, size};
	return 0;
}

int memmap_set_records(uint64_t base, uint64_t size)
{
	if (!valid_range(base, size)) {
		return -1;
	}
	memmap_state.records = (struct memmap_range){base, size};
	return 0;
}

/* Grow [*rb, *rb + *rs) to cover [base, base + size) if the two touch or
 * overlap; false (nothing changed) if they are apart. */
static bool absorb(uint64_t *rb, uint64_t *rs, uint64_t base, uint64_t size)
{
	uint64_t end = base + size, rend = *rb + *rs;

	if (base > rend || *rb > end) {
		return false;
	}
	*rb = base < *rb ? base : *rb;
	*rs = (end > rend ? end : rend) - *rb;
	return true;
}

static bool merge_device(uint64_t base, uint64_t size)
{
	for (unsigned int i = 0; i < memmap_state.ndevice; i++) {
		struct memmap_guard *d = &memmap_state.device[i];

		if (absorb(&d->base, &d->size, base, size)) {
			return true;
		}
	}
	return false;
}

int memmap_add_device(uint64_t base, uint64_t size, const char *what)
{
	if (!valid_range(base, size)) {
		return -1;
	}
	if (merge_device(base, size)) {
		return 0;
	}
	if (memmap_state.ndevice == MEMMAP_MAX_DEVICES) {
		return -1;
	}
	memmap_state.device[memmap_state.ndevice++] =
	    (struct memmap_guard){base, size, MEMMAP_S_NONE, what};
	return 0;
}

/* Page-granular: a register block smaller than a page is mapped by the
 * page that holds it. */
int memmap_add_os_mmio(uint64_t base, uint64_t size)
{
	uint64_t end = base + size;

	if (!valid_range(base, size) || end > ~(PAGE_SIZE - 1)) {
		return -1;
	}
	base &= ~(PAGE_SIZE - 1);
	size = ((end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1)) - base;
	for (unsigned int i = 0; i < memmap_state.nos_mmio; i++) {
		struct memmap_range *r = &memmap_state.os_mmio[i];

		if (absorb(&r->base, &r->size, base, size)) {
			return 0;
		}
	}
	if (memmap_state.nos_mmio == MEMMAP_MAX_OS_MMIO) {
		return -1;
	}
	memmap_state.os_mmio[memmap_state.nos_mmio++] =
	    (struct memmap_range){base, size};
	return 0;
}

/* Caller holds the PTM gate alone (docs: the roots change only at LOCK). */
void memmap_set_kernel_roots(uint64_t swapper, uint64_t trampoline)
{
	rw_write_lock(&memmap_lock);
	memmap_state.kroot[0] = swapper;
	memmap_state.kroot[1] = trampoline;
	rw_write_unlock(&memmap_lock);
}

/* [base, base + len) lies inside one of the n ranges, without wrap. */
/*@ requires \valid_read(r + (0 .. n - 1));
    assigns \nothing;
    ensures \result <==> mm_inside(r, n, base, len); */
static bool inside_one(const struct memmap_range *r, unsigned int n,
		       uint64_t base, uint64_t len)
{
	if (base + len < base) {
		return false;
	}
	/*@ loop invariant 0 <= i <= n;
	    loop invariant \forall integer j; 0 <= j < i ==>
	      !(base >= r[j].base &&
		(uint64_t)(base + len) <= (uint64_t)(r[j].base + r[j].size));
	    loop assigns i;
	    loop variant n - i; */
	for (unsigned int i = 0; i < n; i++) {
		if (base >= r[i].base && base + len <= r[i].base + r[i].size) {
			return true;
		}
	}
	return false;
}

bool memmap_in_ram(uint64_t base, uint64_t len)
{
	return inside_one(memmap_state.ram, memmap_state.nram, base, len);
}

bool memmap_in_monitor(uint64_t base, uint64_t len)
{
	return base + len < base ||
	       overlaps(base, len, memmap_state.monitor.base,
			memmap_state.monitor.size) ||
	       overlaps(base, len, memmap_state.records.base,
			memmap_state.records.size);
}

bool memmap_in_pool(uint64_t base, uint64_t len)
{
	return base + len < base || overlaps(base, len, memmap_state.pool.base,
					     memmap_state.pool.size);
}

bool memmap_in_kernel_root(uint64_t base, uint64_t len)
{
	/*@ loop invariant 0 <= i <= 2;
	    loop invariant \forall integer j; 0 <= j < i ==>
	      !(memmap_state.kroot[j] != 0 &&
		mm_overlap(base, len, memmap_state.kroot[j], PAGE_SIZE));
	    loop assigns i;
	    loop variant 2 - i; */
	for (int i = 0; i < 2; i++) {
		if (memmap_state.kroot[i] &&
		    overlaps(base, len, memmap_state.kroot[i], PAGE_SIZE)) {
			return true;
		}
	}
	return base + len < base;
}

bool memmap_in_device(uint64_t base, uint64_t len)
{
	/*@ loop invariant 0 <= i <= memmap_state.ndevice;
	    loop invariant \forall integer j; 0 <= j < i ==>
	      !mm_overlap(base, len, memmap_state.device[j].base,
			  memmap_state.device[j].size);
	    loop assigns i;
	    loop variant memmap_state.ndevice - i; */
	for (unsigned int i = 0; i < memmap_state.ndevice; i++) {
		if (overlaps(base, len, memmap_state.device[i].base,
			     memmap_state.device[i].size)) {
			return true;
		}
	}
	return base + len < base;
}

bool memmap_in_os_mmio(uint64_t base, uint64_t len)
{
	return inside_one(memmap_state.os_mmio, memmap_state.nos_mmio, base,
			  len);
}

bool memmap_ram(unsigned int i, struct memmap_range *r)
{
	if (i >= memmap_state.nram) {
		return false;
	}
	*r = memmap_state.ram[i];
	return true;
}

struct memmap_range memmap_monitor(void)
{
	return memmap_state.monitor;
}

uint64_t memmap_kernel_root(unsigned int i)
{
	return i < 2 ? memmap_state.kroot[i] : 0;
}

struct memmap_range memmap_records(void)
{
	return memmap_state.records;
}

struct memmap_range memmap_pool(void)
{
	return memmap_state.pool;
}

bool memmap_guard(unsigned int i, struct memmap_guard *g)
{
	/* Fixed entries first: monitor, its records, pool, then the roots
	 * once locked. */
	struct memmap_guard fixed[5] = {
	    {memmap_state.monitor.base, memmap_state.monitor.size,
	     MEMMAP_S_NONE, "monitor"},
	    {memmap_state.records.base, memmap_state.records.size,
	     MEMMAP_S_NONE, "monitor records"},
	    {memmap_state.pool.base, memmap_state.pool.size, MEMMAP_S_READ,
	     "pool"},
	    {memmap_state.kroot[0], memmap_state.kroot[0] ? PAGE_SIZE : 0,
	     MEMMAP_S_READ, "kernel root"},
	    {memmap_state.kroot[1],
	     memmap_state.kroot[1] &&
		     memmap_state.kroot[1] != memmap_state.kroot[0]
		 ? PAGE_SIZE
		 : 0,
	     MEMMAP_S_READ, "kernel root"},
	};

	for (unsigned int k = 0; k < sizeof(fixed) / sizeof(fixed[0]); k++) {
		if (!fixed[k].size) {
			continue;
		}
		if (i-- == 0) {
			*g = fixed[k];
			return true;
		}
	}
	if (i < memmap_state.ndevice) {
		*g = memmap_state.device[i];
		return true;
	}
	return false;
}

/* The rule; caller holds the memmap lock (or is the boot hart). */
static bool buffer_ok_locked(uint64_t pa, uint64_t len, uint64_t align)
{
	uint64_t probe = len ? len : 1;

	return align && !(align & (align - 1)) && !(pa & (align - 1)) &&
	       memmap_in_ram(pa, probe) && !memmap_in_monitor(pa, probe) &&
	       !memmap_in_pool(pa, probe) &&
	       !memmap_in_kernel_root(pa, probe) &&
	       !memmap_in_device(pa, probe);
}

bool memmap_os_buffer_ok(uint64_t pa, uint64_t len, uint64_t align)
{
	bool ok;

	rw_read_lock(&memmap_lock);
	ok = buffer_ok_locked(pa, len, align);
	rw_read_unlock(&memmap_lock);
	return ok;
}

void *memmap_os_begin(uint64_t pa, size_t len, size_t align)
{
	void *p;

	rw_read_lock(&memmap_lock);
	p = buffer_ok_locked(pa, len, align) ? arch_phys_ptr(pa, len) : NULL;
	if (!p) {
		rw_read_unlock(&memmap_lock);
	}
	return p;
}

void memmap_os_end(void)
{
	rw_read_unlock(&memmap_lock);
}

int memmap_copy_to_os(uint64_t pa, const void *src, size_t len, size_t align)
{
	void *dst = memmap_os_begin(pa, len, align);

	if (!dst) {
		return -1;
	}
	memcpy(dst, src, len);
	memmap_os_end();
	return 0;
}

int memmap_copy_from_os(void *dst, uint64_t pa, size_t len, size_t align)
{
	const void *src = memmap_os_begin(pa, len, align);

	if (!src) {
		return -1;
	}
	/* One read of each byte: S-mode may be changing the buffer, so
	 * callers use the copy, never the original. */
	memcpy(dst, src, len);
	memmap_os_end();
	return 0;
}
