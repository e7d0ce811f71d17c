// SPDX-License-Identifier: BSD-2-Clause
/* SSE extension (SBI v3.0 §17): argument decoding; the events are in
 * monitor/sse. event_id, base_attr_id and attr_count are uint32_t: their
 * upper bits are ignored (§3). */
#include "sbi_ext.h"
#include "sse.h"

#define SSE_READ_ATTRS 0
#define SSE_WRITE_ATTRS 1
#define SSE_REGISTER 2
#define SSE_UNREGISTER 3
#define SSE_ENABLE 4
#define SSE_DISABLE 5
#define SSE_COMPLETE 6
#define SSE_INJECT 7
#define SSE_HART_UNMASK 8
#define SSE_HART_MASK 9

/* complete: a6/a7 are fid/eid in the call (they overlay the frame). */
static struct sbi_ret complete(struct sbi_call *c)
{
	if (sse_complete(c->hart, &c->fid, &c->eid)) {
		c->action = SBI_ACT_RESUMED;
	}
	return sbi_ok(0);
}

struct sbi_ret sbi_sse(struct sbi_call *c)
{
	unsigned long h = c->hart;
	uint32_t id = (uint32_t)c->a[0];

	switch (c->fid) {
	case SSE_READ_ATTRS:
		return sbi_err(sse_read_attrs(h, id, (uint32_t)c->a[1],
					      (uint32_t)c->a[2], c->a[3],
					      c->a[4]));
	case SSE_WRITE_ATTRS:
		return sbi_err(sse_write_attrs(h, id, (uint32_t)c->a[1],
					       (uint32_t)c->a[2], c->a[3],
					       c->a[4]));
	case SSE_REGISTER:
		return sbi_err(sse_register(h, id, c->a[1], c->a[2]));
	case SSE_UNREGISTER:
		return sbi_err(sse_unregister(h, id));
	case SSE_ENABLE:
		return sbi_err(sse_enable(h, id));
	case SSE_DISABLE:
		return sbi_err(sse_disable(h, id));
	case SSE_COMPLETE:
		return complete(c);
	case SSE_INJECT:
		return sbi_err(sse_inject(h, id, c->a[1]));
	case SSE_HART_UNMASK:
		return sbi_err(sse_hart_unmask(h));
	case SSE_HART_MASK:
		return sbi_err(sse_hart_mask(h));
	default:
		return sbi_err(SBI_ERR_NOT_SUPPORTED);
	}
}
