/*
 * Minimal stand-in for libcap's <sys/capability.h>, for building Linux's mm
 * selftests statically for riscv64 where no libcap for the target exists.
 * Only what those tests call: an empty capability set and applying it to
 * the calling process (which drops every capability).
 */
#ifndef SECMON_COMPAT_SYS_CAPABILITY_H
#define SECMON_COMPAT_SYS_CAPABILITY_H

typedef struct secmon_compat_caps *cap_t;

/* A new set with no capability in any of the three sets. */
cap_t cap_init(void);
/* Makes the set the calling thread's capabilities (capset(2)). */
int cap_set_proc(cap_t caps);
/* Releases a set from cap_init(). */
int cap_free(void *obj);

#endif
