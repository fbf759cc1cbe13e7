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

/* Sets the capability sets to exactly CAP_SYS_ADMIN in `sets`, and verifies. */
static int set_caps(bool permitted, bool effective, char *why, size_t whylen)
{
	const cap_value_t admin[] = { CAP_SYS_ADMIN };
	cap_t want = cap_init(), have = NULL;
	int rc = -1;

	if (!want)
		return util_fail(why, whylen, "cannot allocate capabilities: %s", strerror(errno));
	if ((permitted && cap_set_flag(want, CAP_PERMITTED, 1, admin, CAP_SET)) ||
	    (effective && cap_set_flag(want, CAP_EFFECTIVE, 1, admin, CAP_SET))) {
		util_fail(why, whylen, "cannot build capabilities: %s", strerror(errno));
		goto out;
	}
	if (cap_set_proc(want)) {
		util_fail(why, whylen, "cannot set capabilities: %s", strerror(errno));
		goto out;
	}
	have = cap_get_proc();
	if (!have || cap_compare(want, have)) {
		util_fail(why, whylen, "capabilities did not change as asked");
		goto out;
	}
	rc = 0;
out:
	cap_free(have);
	cap_free(want);
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
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0 || prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0) != 0)
		return util_fail(why, whylen, "cannot clear PR_SET_KEEPCAPS");
	/*
	 * Ambient capabilities need the inheritable bit, which is now clear,
	 * so the kernel has emptied the set; clear it anyway, in one call
	 * (libcap's cap_reset_ambient asks about each capability first: 41
	 * calls).  A kernel without ambient capabilities (before 4.3) answers
	 * EINVAL.
	 */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return util_fail(why, whylen, "cannot clear ambient capabilities: %s",
				 strerror(errno));
	/* No ptrace, no core dump, no /proc/PID/mem while CAP_SYS_ADMIN is held. */
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
