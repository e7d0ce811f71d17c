// SPDX-License-Identifier: BSD-2-Clause
#include "boot.h"

#include "console.h"

bool boot_info_plausible(uintptr_t p)
{
	return p != 0 && (p % sizeof(unsigned long)) == 0;
}

int boot_check_info(const struct fw_dynamic_info *fi, char *err, size_t errlen)
{
	if (!fi) {
		con_snprintf(err, errlen,
			     "no fw_dynamic_info in a2 (boot with QEMU -bios, "
			     "or pass the info block)");
		return -1;
	}
	if (fi->magic != FW_DYNAMIC_MAGIC) {
		con_snprintf(err, errlen,
			     "fw_dynamic_info magic is 0x%lx, expected 0x%lx",
			     fi->magic, FW_DYNAMIC_MAGIC);
		return -1;
	}
	if (fi->version < 1 || fi->version > FW_DYNAMIC_VERSION_MAX) {
		con_snprintf(err, errlen,
			     "fw_dynamic_info version %lu is not supported "
			     "(1..%d)",
			     fi->version, FW_DYNAMIC_VERSION_MAX);
		return -1;
	}
	if (fi->next_mode != FW_DYNAMIC_NEXT_MODE_S) {
		con_snprintf(err, errlen,
			     "next stage mode %lu is not supported: secmon "
			     "only boots an S-mode OS (mode 1)",
			     fi->next_mode);
		return -1;
	}
	if (!fi->next_addr) {
		con_snprintf(err, errlen,
			     "no next stage (next_addr is 0): pass a kernel "
			     "with QEMU -kernel");
		return -1;
	}
	return 0;
}
