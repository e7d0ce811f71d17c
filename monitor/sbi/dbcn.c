// SPDX-License-Identifier: BSD-2-Clause
/* Debug console extension (SBI v2.0 §12). */
#include "arch.h"
#include "console.h"
#include "platform.h"
#include "sbi_ext.h"

/* Bound the time one call holds the hart in M-mode; the spec lets the
 * callee write fewer bytes than asked and return the count. */
#define DBCN_MAX_CHUNK 4096UL

/* The buffer must be OS RAM: inside /memory, outside the monitor, and
 * (RV64) addressable with the low half alone. */
static long check_buf(unsigned long n, unsigned long lo, unsigned long hi)
{
	if (hi != 0 || !plat_in_ram(&plat, lo, n) || plat_in_monitor(lo, n)) {
		return SBI_ERR_INVALID_PARAM;
	}
	return SBI_SUCCESS;
}

static struct sbi_ret dbcn_write(unsigned long n, unsigned long lo,
				 unsigned long hi)
{
	long rc = check_buf(n, lo, hi);
	const char *p;

	if (rc) {
		return sbi_err(rc);
	}
	n = n > DBCN_MAX_CHUNK ? DBCN_MAX_CHUNK : n;
	p = arch_phys_ptr(lo, n);
	if (!p) {
		return sbi_err(SBI_ERR_INVALID_PARAM);
	}
	for (unsigned long i = 0; i < n; i++) {
		con_putc(p[i]);
	}
	return sbi_ok(n);
}

static struct sbi_ret dbcn_read(unsigned long n, unsigned long lo,
				unsigned long hi)
{
	long rc = check_buf(n, lo, hi);
	char *p;
	unsigned long got = 0;
	int ch;

	if (rc) {
		return sbi_err(rc);
	}
	n = n > DBCN_MAX_CHUNK ? DBCN_MAX_CHUNK : n;
	p = arch_phys_ptr(lo, n);
	if (!p) {
		return sbi_err(SBI_ERR_INVALID_PARAM);
	}
	while (got < n && (ch = con_getc()) >= 0) {
		p[got++] = (char)ch;
	}
	return sbi_ok(got);
}

struct sbi_ret sbi_dbcn(struct sbi_call *c)
{
	switch (c->fid) {
	case SBI_DBCN_WRITE:
		return dbcn_write(c->a[0], c->a[1], c->a[2]);
	case SBI_DBCN_READ:
		return dbcn_read(c->a[0], c->a[1], c->a[2]);
	case SBI_DBCN_WRITE_BYTE:
		con_putc((char)c->a[0]);
		return sbi_ok(0);
	default:
		return sbi_err(SBI_ERR_NOT_SUPPORTED);
	}
}
