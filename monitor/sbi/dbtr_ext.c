// SPDX-License-Identifier: BSD-2-Clause
/* DBTR extension (SBI v3.0 §19): argument decoding; the triggers are in
 * monitor/dbtr. install and update return the failing entry's index in
 * value, 0 on success or without shared memory (§19.4, §19.5). */
#include "dbtr.h"
#include "sbi_ext.h"

#define DBTR_NUM_TRIGGERS 0
#define DBTR_SET_SHMEM 1
#define DBTR_READ 2
#define DBTR_INSTALL 3
#define DBTR_UPDATE 4
#define DBTR_UNINSTALL_FID 5
#define DBTR_ENABLE_FID 6
#define DBTR_DISABLE_FID 7

struct sbi_ret sbi_dbtr(struct sbi_call *c)
{
	unsigned long h = c->hart;
	unsigned long failed = 0;
	long rc;

	switch (c->fid) {
	case DBTR_NUM_TRIGGERS:
		return sbi_ok(dbtr_num_triggers(h, c->a[0]));
	case DBTR_SET_SHMEM:
		return sbi_err(dbtr_set_shmem(h, c->a[0], c->a[1], c->a[2]));
	case DBTR_READ:
		return sbi_err(dbtr_read(h, c->a[0], c->a[1]));
	case DBTR_INSTALL:
		rc = dbtr_install(h, c->a[0], &failed);
		return (struct sbi_ret){rc, failed};
	case DBTR_UPDATE:
		rc = dbtr_update(h, c->a[0], &failed);
		return (struct sbi_ret){rc, failed};
	case DBTR_UNINSTALL_FID:
		return sbi_err(
		    dbtr_set_op(h, c->a[0], c->a[1], DBTR_UNINSTALL));
	case DBTR_ENABLE_FID:
		return sbi_err(dbtr_set_op(h, c->a[0], c->a[1], DBTR_ENABLE));
	case DBTR_DISABLE_FID:
		return sbi_err(dbtr_set_op(h, c->a[0], c->a[1], DBTR_DISABLE));
	default:
		return sbi_err(SBI_ERR_NOT_SUPPORTED);
	}
}
