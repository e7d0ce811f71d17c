// SPDX-License-Identifier: BSD-2-Clause
/* Polled ns16550a. Linux's 8250 driver reprograms the divisor later, so the
 * monitor leaves line settings as QEMU (or the previous stage) set them. */
#include "arch.h"
#include "console.h"

#define UART_RBR 0 /* receive buffer (read) */
#define UART_THR 0 /* transmit holding (write) */
#define UART_LSR 5 /* line status */
#define LSR_DR 0x01 /* data ready */
#define LSR_THRE 0x20 /* transmit holding register empty */

static struct con_uart uart;
static unsigned long uart_dropped; /* bytes lost to a busy transmitter */

void con_init(const struct con_uart *u)
{
	uart = *u;
}

int con_ready(void)
{
	return uart.base != 0;
}

static uint8_t reg_read(unsigned int reg)
{
	uintptr_t a = uart.base + ((uintptr_t)reg << uart.reg_shift);

	if (uart.reg_io_width == 4) {
		return (uint8_t)arch_mmio_read32(a);
	}
	return arch_mmio_read8(a);
}

static void reg_write(unsigned int reg, uint8_t v)
{
	uintptr_t a = uart.base + ((uintptr_t)reg << uart.reg_shift);

	if (uart.reg_io_width == 4) {
		arch_mmio_write32(a, v);
	} else {
		arch_mmio_write8(a, v);
	}
}

/*
 * The UART belongs to S-mode, which can hold the transmitter busy (flow
 * control, a wedged FIFO). The wait is bounded so the monitor never
 * stalls on it, and holds no other hart up: a byte that cannot go out in
 * time is dropped. At 115200 baud one byte takes about 87 us; the bound
 * is far above that on any core the monitor runs on.
 */
#define UART_TX_SPIN_MAX 100000U

void con_putc(char c)
{
	unsigned int spins = 0;

	if (!uart.base) {
		return;
	}
	while (!(reg_read(UART_LSR) & LSR_THRE)) {
		if (++spins == UART_TX_SPIN_MAX) {
			__atomic_fetch_add(&uart_dropped, 1, __ATOMIC_RELAXED);
			return;
		}
		arch_relax();
	}
	reg_write(UART_THR, (uint8_t)c);
}

unsigned long con_dropped(void)
{
	return uart_dropped;
}

int con_getc(void)
{
	if (!uart.base || !(reg_read(UART_LSR) & LSR_DR)) {
		return -1;
	}
	return reg_read(UART_RBR);
}
