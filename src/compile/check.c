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
	const char *last_unknown = NULL;

	for (size_t i = 0; i < pol->count; i++) {
		const struct policy_rule *r = &pol->rules[i];
		char buf[64];
		const char *s;

		/* A group lists calls of every kernel: not an author's typo. */
		if (r->group || syscalls_known_anywhere(r->name))
			continue;
		/* One report per run of the same name keeps 10^5 copies quiet. */
		if (last_unknown && !strcmp(last_unknown, r->name))
			continue;
		last_unknown = r->name;
		/* A suggestion scans every syscall table: only when kept. */
		s = d->count < d->limit ? syscalls_suggest(r->name, buf, sizeof(buf)) : NULL;
		diag_add_in(d, strict ? DIAG_ERROR : DIAG_WARNING, r->file, r->line, r->col,
			    "'%s' is not a system call on any architecture%s%s%s%s", r->name,
			    s ? "; did you mean '" : "", s ? s : "", s ? "'?" : "",
			    strict ? "" : " (rule ignored)");
	}
	for (size_t i = 0; i < pol->count; i++) {
		const struct policy_rule *r = &pol->rules[i];

		if (r->deny && !strcmp(r->name, "clone3"))
			diag_add_in(
				d, DIAG_WARNING, r->file, r->line, r->col,
				"libc falls back to clone() only when clone3 fails with ENOSYS; "
				"denying it with EACCES makes thread creation fail");
		if (r->deny && (!strcmp(r->name, "execve") || !strcmp(r->name, "seccomp")))
			diag_add_in(d, DIAG_WARNING, r->file, r->line, r->col,
				    "denying %s stops sysfence-launch from starting the program",
				    r->name);
	}
	if (pol->mode == SF_MODE_ENFORCE && !allows(pol, "execve"))
		diag_add(
			d, DIAG_WARNING, 0, 0,
			"no rule allows execve: sysfence-launch cannot start a program under this policy");
	return d->errors > errors ? -1 : 0;
}
