/* Stand-in for the libcap calls of the mm selftests; see
 * include/sys/capability.h. */
#include <errno.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <sys/capability.h>

struct secmon_compat_caps {
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
};

cap_t cap_init(void)
{
	return calloc(1, sizeof(struct secmon_compat_caps));
}

int cap_set_proc(cap_t caps)
{
	struct __user_cap_header_struct hdr = {
	    .version = _LINUX_CAPABILITY_VERSION_3,
	    .pid = 0,
	};

	if (!caps) {
		errno = EINVAL;
		return -1;
	}
	return (int)syscall(SYS_capset, &hdr, caps->data);
}

int cap_free(void *obj)
{
	free(obj);
	return 0;
}
