/*
 * Swap on /dev/zram0 for the guest suites: the initramfs has no swap
 * partition, and a compressed RAM disk needs no device from QEMU.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/swap.h>
#include <unistd.h>

#include "guest.h"

#define ZRAM "/sys/block/zram0"
#define ZRAM_PAGE 4096

/* A version-1 swap header (include/linux/swap.h, union swap_header). */
static int write_swap_header(const char *dev, unsigned long pages)
{
	static unsigned char page[ZRAM_PAGE];
	unsigned int info[3] = {1, pages - 1, 0}; /* version, last, bad */
	int fd = open(dev, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	memcpy(page + 1024, info, sizeof(info));
	memcpy(page + ZRAM_PAGE - 10, "SWAPSPACE2", 10);
	n = pwrite(fd, page, sizeof(page), 0);
	close(fd);
	return n == (ssize_t)sizeof(page) ? 0 : -1;
}

int zram_swap_on(unsigned long pages)
{
	char size[32];

	if (access(ZRAM, F_OK) != 0) {
		errno = ENODEV;
		return -1;
	}
	snprintf(size, sizeof(size), "%lu", pages * ZRAM_PAGE);
	write_text(ZRAM "/reset", "1");
	if (write_text(ZRAM "/disksize", size) != 0 ||
	    write_swap_header("/dev/zram0", pages) != 0 ||
	    swapon("/dev/zram0", 0) != 0)
		return -1;
	return 0;
}

int zram_swap_off(void)
{
	int rc = swapoff("/dev/zram0");

	write_text(ZRAM "/reset", "1");
	return rc;
}
