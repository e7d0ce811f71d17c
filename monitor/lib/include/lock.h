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
 * A fair reader-writer lock. Writers queue on tickets, first come first
 * served. A reader enters at once unless a writer holds the lock (writer
 * set); then it queues with the writers, and at its turn it registers and
 * passes the turn on. A writer at its turn sets writer, which stops new
 * readers entering, and waits until the readers inside have left. So no
 * side starves the other, and readers pass each other without queueing.
 * The fast entry and the writer's announcement are sequentially consistent
 * (each side writes its word, then reads the other's), so either the
 * reader sees writer set or the writer sees the reader counted.
 * With the step functions a caller spins its own way (the PTM serves its
 * mailbox while it waits); rw_read_lock and rw_write_lock just spin.
 */
struct rwlock {
	uint32_t next; /* the ticket the next queued caller takes */
	uint32_t owner; /* the ticket now served */
	uint32_t readers; /* readers inside (and fast entries being tried) */
	uint32_t writer; /* 1 while a writer holds the lock or drains it */
};

#define RWLOCK_INIT                                                            \
	{                                                                      \
		0, 0, 0, 0                                                     \
	}

/* The fast entry: true if in; false (nothing held) if a writer is. */
static inline bool rw_read_try(struct rwlock *l)
{
	__atomic_fetch_add(&l->readers, 1, __ATOMIC_SEQ_CST);
	if (!__atomic_load_n(&l->writer, __ATOMIC_SEQ_CST)) {
		return true;
	}
	__atomic_fetch_sub(&l->readers, 1, __ATOMIC_RELEASE);
	return false;
}

static inline uint32_t rw_take_ticket(struct rwlock *l)
{
	return __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
}

static inline bool rw_turn(struct rwlock *l, uint32_t t)
{
	return __atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) == t;
}

/* A queued reader whose turn it is (no writer holds the lock then):
 * register, then serve the next ticket. */
static inline void rw_read_enter(struct rwlock *l, uint32_t t)
{
	__atomic_fetch_add(&l->readers, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&l->owner, t + 1, __ATOMIC_RELEASE);
}

/* A writer whose turn it is: stop new readers... */
static inline void rw_write_announce(struct rwlock *l)
{
	__atomic_store_n(&l->writer, 1, __ATOMIC_SEQ_CST);
}

/* ...and go in once this is true. */
static inline bool rw_drained(struct rwlock *l)
{
	return __atomic_load_n(&l->readers, __ATOMIC_SEQ_CST) == 0;
}

static inline void rw_read_unlock(struct rwlock *l)
{
	__atomic_fetch_sub(&l->readers, 1, __ATOMIC_RELEASE);
}

static inline void rw_write_unlock(struct rwlock *l)
{
	__atomic_store_n(&l->writer, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
}

static inline void rw_read_lock(struct rwlock *l)
{
	uint32_t t;

	if (rw_read_try(l)) {
		return;
	}
	t = rw_take_ticket(l);
	while (!rw_turn(l, t)) {
	}
	rw_read_enter(l, t);
}

static inline void rw_write_lock(struct rwlock *l)
{
	uint32_t t = rw_take_ticket(l);

	while (!rw_turn(l, t)) {
	}
	rw_write_announce(l);
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
