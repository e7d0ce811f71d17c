// SPDX-License-Identifier: BSD-2-Clause
/* BASE extension (SBI v2.0 §4) and the v0.1 console calls (§5). */
#include "arch.h"
#include "console.h"
#include "sbi_ext.h"

/* probe_extension (§4.8): 1 for the legacy console pair and every
 * extension in SBI_EXTENSIONS, else 0. */
static unsigned long probe(unsigned long eid)
{
#define SBI_EXT_EID(e, fn) (e),
	static const unsigned long eids[] = {SBI_EXTENSIONS(SBI_EXT_EID)};

	if (eid == SBI_LEGACY_CONSOLE_PUTCHAR ||
	    eid == SBI_LEGACY_CONSOLE_GETCHAR) {
		return 1;
	}
	for (unsigned i = 0; i < sizeof(eids) / sizeof(eids[0]); i++) {
		if (eids[i] == eid) {
			return 1;
		}
	}
	return 0;
}

struct sbi_ret sbi_base(struct sbi_call *c)
{
	switch (c->fid) {
	case SBI_BASE_GET_SPEC_VERSION:
		return sbi_ok((SBI_SPEC_VERSION_MAJOR << 24) |
			      SBI_SPEC_VERSION_MINOR);
	case SBI_BASE_GET_IMPL_ID:
		return sbi_ok(SBI_IMPL_ID_SECMON);
	case SBI_BASE_GET_IMPL_VERSION:
		return sbi_ok(SECMON_IMPL_VERSION);
	case SBI_BASE_PROBE_EXT:
		return sbi_ok(probe(c->a[0]));
	case SBI_BASE_GET_MVENDORID:
		return sbi_ok(arch_mvendorid());
	case SBI_BASE_GET_MARCHID:
		return sbi_ok(arch_marchid());
	case SBI_BASE_GET_MIMPID:
		return sbi_ok(arch_mimpid());
	default:
		return sbi_err(SBI_ERR_NOT_SUPPORTED);
	}
}

/* Legacy calls return one value in a0; only the console pair is kept. */
struct sbi_ret sbi_legacy(struct sbi_call *c)
{
	switch (c->eid) {
	case SBI_LEGACY_CONSOLE_PUTCHAR:
		con_putc((char)c->a[0]);
		return sbi_ok(0);
	case SBI_LEGACY_CONSOLE_GETCHAR:
		return sbi_ok((unsigned long)(long)con_getc());
	default:
		return sbi_ok((unsigned long)(long)SBI_ERR_NOT_SUPPORTED);
	}
}
