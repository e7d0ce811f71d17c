/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One-letter names for the Sv39 PTE bits of abi.h (privileged spec
 * 12.4.1), for code that spells many entries: the monitor's leaf rules and
 * the tests that build tables.  Include it only from .c files and test
 * headers, never from a public component header.
 */
#ifndef SECMON_PTE_BITS_H
#define SECMON_PTE_BITS_H

#include <secmon/abi.h>

#define V SECMON_PTE_V
#define R SECMON_PTE_R
#define W SECMON_PTE_W
#define X SECMON_PTE_X
#define U SECMON_PTE_U
#define G SECMON_PTE_G
#define A SECMON_PTE_A
#define D SECMON_PTE_D

#endif
