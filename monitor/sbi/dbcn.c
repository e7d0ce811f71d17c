// SPDX-License-Identifier: BSD-2-Clause
/* Debug console extension (SBI v2.0 §12). */
#include "console.h"
#include "memmap.h"
#include "sbi_ext.h"

/* Bound the time one call holds the hart in M-mode; the spec lets the
 * callee move fewer bytes than asked and return the count. */
#define DBCN_MAX_CHUNK 4096UL
/* Bytes copied out of OS memory at a time, on the stack. */
#define DBCN_WRITE_STEP 256UL

/* RV64 addresses fit the low half; the buffer rule is memmap's. */
static bool buf_ok(unsigned long n, unsigned long lo, unsigned long hi)
{
	return hi == 0 && memmap_os_buffer_ok(lo, n, 1);
}

/* Copy a step out under the memmap lock, print it outside: the console
 * may be slow, and the buffer is read exactly once. */
static struct sbi_ret dbcn_write(unsigned long n, unsigned long lo,
				 unsigned long hi)
{
	char step[DBCN_WRITE_STEP];
	unsigned long done = 0;

	if (!buf_ok(n, lo, hi)) {
		return sbi_err(SBI_ERR_INVALID_PARAM);
	}
	n = n > DBCN_MAX_CHUNK ? DBCN_MAX_CHUNK : n;
	while (done < n) {
		unsigned long m =
		    n - done < DBCN_WRITE_STEP ? n - done : DBCN_WRITE_STEP;

		if (memmap_copy_from_os(step, lo + done, m, 1)) {
			break;
		}
		for (unsigned long i = 0; i < m; i++) {
			con_putc(step[i]);
		}
		done += m;
	}
	return done || !n ? sbi_ok(done) : sbi_err(SBI_ERR_INVALID_PARAM);
}

/* Received bytes are S-mode's choice (the UART has a loopback mode), so
 * they land only where the buffer rule allows, checked under the memmap
 * lock that is held until the last byte is stored. A refused buffer
 * consumes no input. */
static struct sbi_ret dbcn_read(unsigned long n, unsigned long lo,
				unsigned long hi)
{
	unsigned long got = 0;
	char *p;
	int ch;

	if (!buf_ok(n, lo, hi)) {
		return sbi_err(SBI_ERR_INVALID_PARAM);
	}
	n = n > DBCN_MAX_CHUNK ? DBCN_MAX_CHUNK : n;
	p = memmap_os_begin(lo, n, 1);
	if (!p) {
		return sbi_err(SBI_ERR_INVALID_PARAM);
	}
	while (got < n && (ch = con_getc()) >= 0) {
		p[got++] = (char)ch;
	}
	memmap_os_end();
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
