/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Console: the ns16550a UART named by /chosen/stdout-path, polled, plus a
 * small printf. Before con_init() (or without a UART) output is dropped
 * and input reads as empty.
 */
#ifndef SECMON_CONSOLE_H
#define SECMON_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct con_uart {
	uintptr_t base;
	unsigned int reg_shift; /* register stride is 1 << reg_shift */
	unsigned int reg_io_width; /* 1 or 4 bytes */
};

void con_init(const struct con_uart *uart);
int con_ready(void);
/* One byte out; waits a bounded time for the transmitter, else drops it. */
void con_putc(char c);
/* Bytes dropped so far because S-mode held the transmitter busy. */
unsigned long con_dropped(void);
/* Returns the next received byte, or -1 if none is waiting. */
int con_getc(void);
void con_write(const char *s, size_t len);
/* Whole formatted lines are written under one lock so harts don't mix. */
void con_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void con_vprintf(const char *fmt, va_list ap);
/* Format into buf (always NUL-terminated); returns the untruncated length. */
size_t con_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
size_t con_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/*
 * Verbose log for debug builds (cmake -DSECMON_DEBUG=ON): every refused SBI
 * call, hart state change and refused satp write. Compiled out otherwise.
 */
#ifdef SECMON_DEBUG
#define con_debug(...) con_printf("secmon: debug: " __VA_ARGS__)
#else
#define con_debug(...)                                                         \
	do {                                                                   \
	} while (0)
#endif

#endif
