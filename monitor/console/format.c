// SPDX-License-Identifier: BSD-2-Clause
/*
 * A small printf: %c %s %d %i %u %x %p %%, flags '0' and '-', a width, and
 * the l, ll and z length modifiers. Enough for boot banners and fault
 * reports; no floating point (the firmware is built without F/D).
 */
#include <stdbool.h>

#include "console.h"
#include "lock.h"

struct sink {
	char *buf;
	size_t size;
	size_t len;
};

static void emit(struct sink *s, char c)
{
	if (s->len + 1 < s->size) {
		s->buf[s->len] = c;
	}
	s->len++;
}

static void emit_pad(struct sink *s, char c, int n)
{
	while (n-- > 0) {
		emit(s, c);
	}
}

struct spec {
	bool zero;
	bool left;
	int width;
};

static void emit_str(struct sink *s, const char *str, const struct spec *sp)
{
	int n = 0;

	if (!str) {
		str = "(null)";
	}
	while (str[n]) {
		n++;
	}
	if (!sp->left) {
		emit_pad(s, ' ', sp->width - n);
	}
	for (int i = 0; i < n; i++) {
		emit(s, str[i]);
	}
	if (sp->left) {
		emit_pad(s, ' ', sp->width - n);
	}
}

static void emit_num(struct sink *s, unsigned long long v, unsigned int base,
		     bool neg, const struct spec *sp)
{
	char tmp[24];
	int n = 0;
	int len;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	len = n + (neg ? 1 : 0);
	if (!sp->left && !sp->zero) {
		emit_pad(s, ' ', sp->width - len);
	}
	if (neg) {
		emit(s, '-');
	}
	if (!sp->left && sp->zero) {
		emit_pad(s, '0', sp->width - len);
	}
	while (n) {
		emit(s, tmp[--n]);
	}
	if (sp->left) {
		emit_pad(s, ' ', sp->width - len);
	}
}

static const char *parse_spec(const char *f, struct spec *sp, int *lng)
{
	*sp = (struct spec){0};
	*lng = 0;
	for (;; f++) {
		if (*f == '0') {
			sp->zero = true;
		} else if (*f == '-') {
			sp->left = true;
		} else {
			break;
		}
	}
	while (*f >= '0' && *f <= '9') {
		sp->width = sp->width * 10 + (*f++ - '0');
	}
	while (*f == 'l' || *f == 'z') {
		(*lng)++;
		f++;
	}
	return f;
}

static unsigned long long arg_unsigned(va_list *ap, int lng)
{
	return lng ? va_arg(*ap, unsigned long long)
		   : va_arg(*ap, unsigned int);
}

static void emit_signed(struct sink *s, va_list *ap, int lng,
			const struct spec *sp)
{
	long long v = lng ? va_arg(*ap, long long) : va_arg(*ap, int);
	unsigned long long mag =
	    v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	emit_num(s, mag, 10, v < 0, sp);
}

static void emit_conv(struct sink *s, char c, va_list *ap, int lng,
		      const struct spec *sp)
{
	switch (c) {
	case 'c':
		emit(s, (char)va_arg(*ap, int));
		break;
	case 's':
		emit_str(s, va_arg(*ap, const char *), sp);
		break;
	case 'd':
	case 'i':
		emit_signed(s, ap, lng, sp);
		break;
	case 'u':
		emit_num(s, arg_unsigned(ap, lng), 10, false, sp);
		break;
	case 'x':
		emit_num(s, arg_unsigned(ap, lng), 16, false, sp);
		break;
	case 'p':
		emit(s, '0');
		emit(s, 'x');
		emit_num(s, (unsigned long)va_arg(*ap, void *), 16, false, sp);
		break;
	default:
		emit(s, '%');
		emit(s, c);
		break;
	}
}

size_t con_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sink s = {buf, size, 0};
	struct spec sp;
	int lng;
	va_list aq;

	va_copy(aq, ap);
	while (*fmt) {
		if (*fmt != '%') {
			emit(&s, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp, &lng);
		if (!*fmt) {
			break;
		}
		if (*fmt == '%') {
			emit(&s, '%');
		} else {
			emit_conv(&s, *fmt, &aq, lng, &sp);
		}
		fmt++;
	}
	va_end(aq);
	if (size) {
		buf[s.len < size ? s.len : size - 1] = '\0';
	}
	return s.len;
}

size_t con_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = con_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static struct lock con_lock = LOCK_INIT;

void con_write(const char *str, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (str[i] == '\n') {
			con_putc('\r');
		}
		con_putc(str[i]);
	}
}

void con_vprintf(const char *fmt, va_list ap)
{
	char line[256];
	size_t n = con_vsnprintf(line, sizeof(line), fmt, ap);

	if (n >= sizeof(line)) {
		n = sizeof(line) - 1;
	}
	lock_acquire(&con_lock);
	con_write(line, n);
	lock_release(&con_lock);
}

void con_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	con_vprintf(fmt, ap);
	va_end(ap);
}
