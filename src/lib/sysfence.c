// SPDX-License-Identifier: MIT
/*
 * libsysfence's public face (include/sysfence.h): read the descriptor,
 * verify with the launcher's own verifier (verify_blob), set no_new_privs
 * when asked, attach with the launcher's own attach (load_apply), and say
 * what happened.  Everything else in the library is hidden: the objects
 * are built with -fvisibility=hidden and libsysfence.map exports only the
 * functions marked SYSFENCE_PUBLIC.
 */
#include "sysfence.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "sysfence/blob.h"
#include "sysfence/lib/load.h"
#include "sysfence/lib/verify.h"
#include "sysfence/util.h"

#define SYSFENCE_PUBLIC __attribute__((visibility("default")))

#define KNOWN_FLAGS SYSFENCE_LOAD_NO_NEW_PRIVS

/* Read back: a filter above us could fake the prctl's success. */
static int set_no_new_privs(char *why, size_t whylen)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		util_fail(why, whylen, "PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
	else if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
		util_fail(why, whylen, "no_new_privs did not stick");
	else
		return SYSFENCE_OK;
	return SYSFENCE_ERR_NO_NEW_PRIVS;
}

static int attach(const struct load_plan *plan, char *why, size_t whylen)
{
	const char *stage;
	bool partial;
	int rc;

	rc = load_apply(plan, &stage);
	if (rc == 0)
		return SYSFENCE_OK;
	if (rc == LOAD_FAKED) {
		util_fail(why, whylen,
			  "a filter above this process fakes seccomp(): an attach the kernel "
			  "must refuse succeeded, so no attach can be trusted");
		return SYSFENCE_ERR_FAKED;
	}
	/* load_apply attaches the deny filter first: it stays when the allow filter fails. */
	partial = plan->deny.len && !strcmp(stage, LOAD_STAGE_ALLOW);
	util_fail(why, whylen, "cannot load the %s: %s%s", stage, strerror(-rc),
		  partial	  ? " (the deny filter is attached)"
		  : rc == -EACCES ? " (neither no_new_privs nor CAP_SYS_ADMIN)"
				  : "");
	return partial ? SYSFENCE_ERR_PARTIAL : SYSFENCE_ERR_ATTACH;
}

SYSFENCE_PUBLIC int sysfence_load_buffer(const void *buf, size_t len, unsigned int flags, char *why,
					 size_t whylen)
{
	struct blob b;
	struct load_plan plan;
	int rc;

	if (flags & ~KNOWN_FLAGS) {
		util_fail(why, whylen, "unknown flags %#x", flags & ~KNOWN_FLAGS);
		return SYSFENCE_ERR_ARGUMENT;
	}
	if (!buf) {
		util_fail(why, whylen, "no buffer");
		return SYSFENCE_ERR_ARGUMENT;
	}
	switch (verify_blob(buf, len, LOAD_NATIVE_ARCH, &b, &plan, why, whylen)) {
	case VERIFY_OK:
		break;
	case VERIFY_BLOB:
		return SYSFENCE_ERR_BLOB;
	case VERIFY_ARCH:
		return SYSFENCE_ERR_ARCH;
	case VERIFY_KERNEL:
		return SYSFENCE_ERR_KERNEL;
	case VERIFY_NOMEM:
	default:
		return SYSFENCE_ERR_NO_MEMORY;
	}
	rc = SYSFENCE_OK;
	if (flags & SYSFENCE_LOAD_NO_NEW_PRIVS)
		rc = set_no_new_privs(why, whylen);
	if (rc == SYSFENCE_OK)
		rc = attach(&plan, why, whylen);
	if (rc == SYSFENCE_OK && why && whylen)
		why[0] = '\0';
	blob_free(&b);
	return rc;
}

SYSFENCE_PUBLIC int sysfence_load_fd(int fd, unsigned int flags, char *why, size_t whylen)
{
	char *buf;
	size_t len;
	int rc;

	/* Checked before reading, so that a bad call consumes nothing. */
	if (flags & ~KNOWN_FLAGS) {
		util_fail(why, whylen, "unknown flags %#x", flags & ~KNOWN_FLAGS);
		return SYSFENCE_ERR_ARGUMENT;
	}
	rc = fd_read_all(fd, BLOB_MAX_SIZE, &buf, &len);
	if (rc == -EFBIG) {
		util_fail(why, whylen, "%s", blob_strerror(BLOB_ERR_TOO_BIG));
		return SYSFENCE_ERR_BLOB;
	}
	if (rc) {
		util_fail(why, whylen, "cannot read: %s", strerror(-rc));
		return rc == -ENOMEM ? SYSFENCE_ERR_NO_MEMORY : SYSFENCE_ERR_READ;
	}
	rc = sysfence_load_buffer(buf, len, flags, why, whylen);
	free(buf);
	return rc;
}

SYSFENCE_PUBLIC const char *sysfence_strerror(int result)
{
	switch (result) {
	case SYSFENCE_OK:
		return "success";
	case SYSFENCE_ERR_ARGUMENT:
		return "invalid argument";
	case SYSFENCE_ERR_READ:
		return "cannot read the profile";
	case SYSFENCE_ERR_BLOB:
		return "not a valid sysfence profile";
	case SYSFENCE_ERR_ARCH:
		return "profile not compiled for this architecture";
	case SYSFENCE_ERR_KERNEL:
		return "unexpected answer from seccomp";
	case SYSFENCE_ERR_NO_NEW_PRIVS:
		return "cannot set no_new_privs";
	case SYSFENCE_ERR_ATTACH:
		return "the kernel refused the filter";
	case SYSFENCE_ERR_PARTIAL:
		return "profile only partly attached";
	case SYSFENCE_ERR_FAKED:
		return "seccomp() is faked by a filter above this process";
	case SYSFENCE_ERR_NO_MEMORY:
		return "out of memory";
	default:
		return "unknown error";
	}
}

SYSFENCE_PUBLIC const char *sysfence_version(void)
{
	return SYSFENCE_VERSION;
}
