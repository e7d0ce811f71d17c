/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The firmware has no C library. libfdt's own libfdt_env.h includes
 * <stdlib.h> for hosted builds but uses nothing from it in the files the
 * firmware compiles, so this header only has to exist.
 */
#ifndef SECMON_LIB_STDLIB_H
#define SECMON_LIB_STDLIB_H

#include <stddef.h>

#endif
