/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The monitor's locks. M-mode runs with interrupts off, so a holder is never
 * preempted, and every critical section is short and bounded. The lock
 * order of the monitor is written in monitor/memmap/memmap.h.
 */
#ifndef SECMON_LIB_LOCK_H
#define SECMON_LIB_LOCK_H

#include <stdbool.h>
#include <stdint.h>

/* A test-and-set spinlock, for leaf locks (one console line, one PMP plan
 * copy) whose holders never wait for anything. */
struct lock {
	int held;
};

#define LOCK_INIT                                                              \
	{                                                                      \
		0                                                              \
	}

static inline void lock_acquire(struct lock *l)
{
	while (__atomic_exchange_n(&l->held, 1, __ATOMIC_ACQUIRE)) {
		while (__atomic_load_n(&l->held, __ATOMIC_RELAXED)) {
		}
	}
}

static inline void lock_release(struct lock *l)
{
	__atomic_store_n(&l->held, 0, __ATOMIC_RELEASE);
}

/*
 * A fair reader-writer lock on one ticket queue: readers and writers are
 * served in the order they took their ticket, so neither side can starve
 * the other. A reader holds the ticket only long enough to register, then
 * passes it on; a writer keeps it and waits until the readers inside have
 * left. With the step functions (take, turn, enter, drained) a caller
 * spins its own way (the PTM serves its mailbox while it waits);
 * rw_read_lock and rw_write_lock just spin.
 */
struct rwlock {
	uint32_t next; /* the ticket the next caller takes */
	uint32_t owner; /* the ticket now served */
	uint32_t readers; /* readers inside */
};

#define RWLOCK_INIT                                                            \
	{                                                                      \
		0, 0, 0                                                        \
	}

static inline uint32_t rw_take_ticket(struct rwlock *l)
{
	return __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
}

static inline bool rw_turn(struct rwlock *l, uint32_t t)
{
	return __atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) == t;
}

/* A reader whose turn it is: register, then serve the next ticket. */
static inline void rw_read_enter(struct rwlock *l, uint32_t t)
{
	__atomic_fetch_add(&l->readers, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&l->owner, t + 1, __ATOMIC_RELEASE);
}

/* A writer whose turn it is may go in once this is true. */
static inline bool rw_drained(struct rwlock *l)
{
	return __atomic_load_n(&l->readers, __ATOMIC_ACQUIRE) == 0;
}

static inline void rw_read_unlock(struct rwlock *l)
{
	__atomic_fetch_sub(&l->readers, 1, __ATOMIC_RELEASE);
}

static inline void rw_write_unlock(struct rwlock *l)
{
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
}

static inline void rw_read_lock(struct rwlock *l)
{
	uint32_t t = rw_take_ticket(l);

	while (!rw_turn(l, t)) {
	}
	rw_read_enter(l, t);
}

static inline void rw_write_lock(struct rwlock *l)
{
	uint32_t t = rw_take_ticket(l);

	while (!rw_turn(l, t)) {
	}
	while (!rw_drained(l)) {
	}
}

/* A plain ticket lock, served in order. */
struct ticket_lock {
	uint32_t next, owner;
};

static inline uint32_t ticket_take(struct ticket_lock *l)
{
	return __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
}

static inline bool ticket_turn(struct ticket_lock *l, uint32_t t)
{
	return __atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) == t;
}

static inline void ticket_release(struct ticket_lock *l)
{
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
}

#endif
