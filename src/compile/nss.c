// SPDX-License-Identifier: MIT
/*
 * The default resolver of u:NAME and g:NAME: the system's user and group
 * databases (NSS).  The only part of the parser that reads the system,
 * kept apart so that the parser stays pure and tests pass their own.
 */
#include <grp.h>
#include <pwd.h>

#include "sysfence/compile/policy.h"

static int nss_user(void *ctx, const char *name, uint32_t *id)
{
	struct passwd pw, *res = NULL;
	char buf[4096];

	(void)ctx;
	if (getpwnam_r(name, &pw, buf, sizeof(buf), &res) || !res)
		return -1;
	*id = res->pw_uid;
	return 0;
}

static int nss_group(void *ctx, const char *name, uint32_t *id)
{
	struct group gr, *res = NULL;
	char buf[16384];

	(void)ctx;
	if (getgrnam_r(name, &gr, buf, sizeof(buf), &res) || !res)
		return -1;
	*id = res->gr_gid;
	return 0;
}

const struct policy_resolver policy_nss_resolver = { nss_user, nss_group, NULL };
