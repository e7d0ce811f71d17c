/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Forced into every file Frama-C parses (tools/verify): what its C front
 * end lacks. The analysis runs one hart at a time, so GCC's atomic
 * builtins become the plain accesses they are on one hart; the
 * interleavings of several harts are the fuzzer's part (test/fuzz).
 */
#define __atomic_load_n(p, m) (*(p))
#define __atomic_store_n(p, v, m) ((void)(*(p) = (v)))
#define __atomic_fetch_add(p, v, m)                                            \
	({                                                                     \
		__typeof__(*(p)) fc_o_ = *(p);                                 \
		*(p) = fc_o_ + (v);                                            \
		fc_o_;                                                         \
	})
#define __atomic_fetch_sub(p, v, m)                                            \
	({                                                                     \
		__typeof__(*(p)) fc_o_ = *(p);                                 \
		*(p) = fc_o_ - (v);                                            \
		fc_o_;                                                         \
	})
#define __atomic_exchange_n(p, v, m)                                           \
	({                                                                     \
		__typeof__(*(p)) fc_o_ = *(p);                                 \
		*(p) = (v);                                                    \
		fc_o_;                                                         \
	})
#define __atomic_compare_exchange_n(p, e, d, w, s, f)                          \
	({                                                                     \
		int fc_ok_ = *(p) == *(e);                                     \
		if (fc_ok_)                                                    \
			*(p) = (d);                                            \
		else                                                           \
			*(e) = *(p);                                           \
		fc_ok_;                                                        \
	})
#define _Alignof(t) __alignof__(t)
