/* SPDX-License-Identifier: BSD-2-Clause */
/* The few C string functions the firmware and libfdt need. The firmware
 * has no C library (docs/design.md explains why); see monitor/lib/string.c. */
#ifndef SECMON_LIB_STRING_H
#define SECMON_LIB_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

#endif
