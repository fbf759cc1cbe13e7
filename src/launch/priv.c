// SPDX-License-Identifier: MIT
/*
 * The only file that changes ids, capabilities, dumpability and
 * no_new_privs.  Every change is verified by reading the state back.
 */
#include "sysfence/launch/priv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>
#include "sysfence/util.h"

int priv_init(struct priv *p, char *why, size_t whylen)
{
	uid_t ruid, euid, suid;
	gid_t rgid, egid, sgid;

	memset(p, 0, sizeof(*p));
	if (getresuid(&ruid, &euid, &suid) < 0 || getresgid(&rgid, &egid, &sgid) < 0)
		return util_fail(why, whylen, "cannot read ids: %s", strerror(errno));
	p->uid = ruid;
	p->gid = rgid;
	if (ruid == 0 && euid == 0)
		p->mode = PRIV_ROOT;
	else if (euid == 0)
		p->mode = PRIV_SETUID;
	else
		p->mode = PRIV_NONE;
	return 0;
}

/*
 * The capability sets asked for, kept between the calls: libcap's
 * cap_init asks the kernel for its version (capget) on every allocation.
 */
static cap_t caps_want;

/*
 * Sets the capability sets to exactly CAP_SYS_ADMIN in the permitted and
 * (when asked) effective set, nothing else, and verifies by reading them
 * back.  The comparison is of the external forms (cap_copy_ext): the same
 * bits, without cap_compare's copy, which asks the kernel again.
 */
static int set_caps(bool permitted, bool effective, char *why, size_t whylen)
{
	const cap_value_t admin[] = { CAP_SYS_ADMIN };
	unsigned char want_ext[64], have_ext[64]; /* cap_size() is 29 in libcap 2.66 */
	ssize_t want_len, have_len;
	cap_t have;
	int rc = -1;

	if (!caps_want && !(caps_want = cap_init()))
		return util_fail(why, whylen, "cannot allocate capabilities: %s", strerror(errno));
	if (cap_clear(caps_want) ||
	    (permitted && cap_set_flag(caps_want, CAP_PERMITTED, 1, admin, CAP_SET)) ||
	    (effective && cap_set_flag(caps_want, CAP_EFFECTIVE, 1, admin, CAP_SET)))
		return util_fail(why, whylen, "cannot build capabilities: %s", strerror(errno));
	if (cap_set_proc(caps_want))
		return util_fail(why, whylen, "cannot set capabilities: %s", strerror(errno));
	have = cap_get_proc();
	if (!have)
		return util_fail(why, whylen, "cannot read capabilities back: %s", strerror(errno));
	/* A libcap whose external form outgrew the buffers says so. */
	want_len = cap_size(caps_want);
	have_len = cap_size(have);
	if (want_len <= 0 || have_len <= 0 || (size_t)want_len > sizeof(want_ext) ||
	    (size_t)have_len > sizeof(have_ext))
		util_fail(why, whylen,
			  "cannot compare capabilities: libcap's external form takes %zd bytes, "
			  "more than %zu",
			  want_len > have_len ? want_len : have_len, sizeof(want_ext));
	else if (cap_copy_ext(want_ext, caps_want, sizeof(want_ext)) != want_len ||
		 cap_copy_ext(have_ext, have, sizeof(have_ext)) != have_len ||
		 want_len != have_len || memcmp(want_ext, have_ext, (size_t)want_len))
		util_fail(why, whylen, "capabilities did not change as asked");
	else
		rc = 0;
	cap_free(have);
	return rc;
}

static int check_ids(const struct priv *p, char *why, size_t whylen)
{
	uid_t r, e, s;
	gid_t rg, eg, sg;

	if (getresuid(&r, &e, &s) < 0 || getresgid(&rg, &eg, &sg) < 0)
		return util_fail(why, whylen, "cannot read ids: %s", strerror(errno));
	if (r != p->uid || e != p->uid || s != p->uid || rg != p->gid || eg != p->gid ||
	    sg != p->gid)
		return util_fail(why, whylen, "ids did not change to the caller's");
	return 0;
}

int priv_drop_to_caller(struct priv *p, char *why, size_t whylen)
{
	if (p->mode != PRIV_SETUID)
		return 0;
	/* Keep the permitted set across the uid change; the kernel clears effective. */
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return util_fail(why, whylen, "PR_SET_KEEPCAPS: %s", strerror(errno));
	/* Group first: once the uid is dropped, the gid can no longer change. */
	if (setresgid(p->gid, p->gid, p->gid) < 0)
		return util_fail(why, whylen, "setresgid: %s", strerror(errno));
	if (setresuid(p->uid, p->uid, p->uid) < 0)
		return util_fail(why, whylen, "setresuid: %s", strerror(errno));
	if (check_ids(p, why, whylen))
		return -1;
	/* CAP_SYS_ADMIN permitted, raised only to attach the filter. */
	if (set_caps(true, false, why, whylen))
		return -1;
	p->caps_kept = true;
	/*
	 * Nothing to undo (each undo would be a credentials change, ~1.3 us
	 * here).  PR_SET_KEEPCAPS only matters when a uid changes away from
	 * 0, which can no longer happen (no uid is 0, CAP_SETUID is gone),
	 * and execve clears it.  The ambient set was emptied by the kernel
	 * at the setuid exec, can only hold capabilities both permitted and
	 * inheritable (the kernel masks it at every capset), and the
	 * inheritable set was just verified empty.
	 *
	 * No ptrace, no core dump, no /proc/PID/mem while CAP_SYS_ADMIN is
	 * held.
	 */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return util_fail(why, whylen, "PR_SET_DUMPABLE: %s", strerror(errno));
	return 0;
}

int priv_drop_capabilities(struct priv *p, char *why, size_t whylen)
{
	if (p->mode != PRIV_SETUID || !p->caps_kept)
		return 0;
	if (set_caps(false, false, why, whylen))
		return -1;
	p->caps_kept = false;
	return 0;
}

int priv_raise_for_load(struct priv *p, char *why, size_t whylen)
{
	if (p->mode != PRIV_SETUID)
		return 0;
	if (!p->caps_kept)
		return util_fail(why, whylen, "CAP_SYS_ADMIN was already given up");
	return set_caps(true, true, why, whylen);
}

int priv_set_no_new_privs(char *why, size_t whylen)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return util_fail(why, whylen, "PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
		return util_fail(why, whylen, "no_new_privs did not stick");
	return 0;
}

bool priv_can_load_trusted(const struct priv *p)
{
	return p->mode == PRIV_ROOT || (p->mode == PRIV_SETUID && p->caps_kept);
}
