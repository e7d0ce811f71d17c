/* SPDX-License-Identifier: BSD-2-Clause */
/* Only the C11 static_assert spelling; the firmware has no runtime assert. */
#ifndef SECMON_LIB_ASSERT_H
#define SECMON_LIB_ASSERT_H
#define static_assert _Static_assert
#endif
