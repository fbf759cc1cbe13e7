// SPDX-License-Identifier: MIT
#include "sysfence/compile/check.h"

#include <string.h>

#include "sysfence/compile/syscalls.h"

static bool allows(const struct policy *pol, const char *name)
{
	for (size_t i = 0; i < pol->count; i++)
		if (!pol->rules[i].deny && !strcmp(pol->rules[i].name, name))
			return true;
	return false;
}

int check_policy(const struct policy *pol, bool strict, struct diag_list *d)
{
	size_t errors = d->errors;
	size_t more = pol->unknown_reports - pol->nunknown;

	/* The parser counted them (one report per run of a name) and kept the first. */
	for (size_t i = 0; i < pol->nunknown; i++) {
		const struct policy_unknown *r = &pol->unknown[i];
		char buf[64];
		const char *s;

		/* A suggestion scans every syscall table: only when kept. */
		s = d->count < d->limit ? syscalls_suggest(r->name, buf, sizeof(buf)) : NULL;
		diag_add(d, strict ? DIAG_ERROR : DIAG_WARNING, r->line, r->col,
			 "'%s' is not a system call on any architecture%s%s%s%s", r->name,
			 s ? "; did you mean '" : "", s ? s : "", s ? "'?" : "",
			 strict ? "" : " (rule ignored)");
	}
	/* Reports not kept: counted as diag_add counts the ones over its limit. */
	d->dropped += more;
	if (strict)
		d->errors += more;
	else
		d->warnings += more;
	for (size_t i = 0; i < pol->count; i++) {
		const struct policy_rule *r = &pol->rules[i];

		if (r->deny && !strcmp(r->name, "clone3"))
			diag_add(d, DIAG_WARNING, r->line, r->col,
				 "libc falls back to clone() only when clone3 fails with ENOSYS; "
				 "denying it with EACCES makes thread creation fail");
		if (r->deny && (!strcmp(r->name, "execve") || !strcmp(r->name, "seccomp")))
			diag_add(d, DIAG_WARNING, r->line, r->col,
				 "denying %s stops sysfence-launch from starting the program",
				 r->name);
	}
	if (pol->mode == SF_MODE_ENFORCE && !allows(pol, "execve"))
		diag_add(
			d, DIAG_WARNING, 0, 0,
			"no rule allows execve: sysfence-launch cannot start a program under this policy");
	return d->errors > errors ? -1 : 0;
}
