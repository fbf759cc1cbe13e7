// SPDX-License-Identifier: MIT
/*
 * Lints on parsed rules: names no architecture knows (a warning with a
 * suggestion, an error with --strict), conditions on arguments a syscall
 * does not have, rules that compile to nothing for the targets, and a few
 * rules that cannot do what their author wants.
 */
#include "sysfence/compile/check.h"

#include <stdio.h>
#include <string.h>

#include "sysfence/compile/argcount.h"
#include "sysfence/compile/syscalls.h"

static bool allows(const struct policy *pol, const char *name)
{
	for (size_t i = 0; i < pol->count; i++)
		if (!pol->rules[i].deny && !strcmp(pol->rules[i].name, name))
			return true;
	return false;
}

/*
 * Rules that compile to nothing, listed in one note instead of one line
 * each: snapd's template names 5 C library functions and, for x86_64, 6
 * ARM private calls, and a note per line would bury everything else.
 */
#define NOTHING_SHOWN 6

struct nothing {
	size_t count;
	unsigned first_file, first_line; /* the first rule counted, in source order */
	char names[NOTHING_SHOWN][POLICY_NAME_MAX];
	size_t shown;
};

static void nothing_add(struct nothing *n, const struct policy_rule *r)
{
	if (!n->count++ || r->file < n->first_file ||
	    (r->file == n->first_file && r->line < n->first_line)) {
		n->first_file = r->file;
		n->first_line = r->line;
	}
	for (size_t i = 0; i < n->shown; i++)
		if (!strcmp(n->names[i], r->name))
			return;
	if (n->shown < NOTHING_SHOWN)
		snprintf(n->names[n->shown++], POLICY_NAME_MAX, "%s", r->name);
}

/* "a, b, c, ..." into buf. */
static const char *nothing_list(const struct nothing *n, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n->shown && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s%s", i ? ", " : "", n->names[i]);
	if (n->count > n->shown && at < len)
		snprintf(buf + at, len - at, ", ...");
	return buf;
}

static bool on_some_target(const char *name, const uint32_t *arches, size_t narches)
{
	for (size_t i = 0; i < narches; i++)
		if (syscalls_nr(arches[i], name) >= 0)
			return true;
	return false;
}

static void target_names(const uint32_t *arches, size_t narches, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < narches && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s%s",
				       i ? (i + 1 == narches ? " and " : ", ") : "",
				       syscalls_arch_name(arches[i]));
}

/*
 * A condition on a register beyond the syscall's arguments tests whatever
 * the caller left there: the rule matches at random.  Compiled as written
 * (dropping the condition would widen the rule), with a warning that
 * --strict makes an error, like an unknown name.
 */
static bool check_arg_count(const struct policy_rule *r, bool strict, struct diag_list *d)
{
	int n = argcount_nargs(r->name);

	if (n < 0)
		return false;
	for (unsigned i = (unsigned)n; i < r->nargs; i++) {
		if (r->args[i].op == POLICY_OP_ANY)
			continue;
		if (n == 0)
			diag_add_in(
				d, strict ? DIAG_ERROR : DIAG_WARNING, r->file, r->line,
				r->args[i].col,
				"%s takes no arguments: a condition on argument %u tests a register "
				"the kernel does not read%s",
				r->name, i, strict ? "" : " (compiled as written)");
		else
			diag_add_in(
				d, strict ? DIAG_ERROR : DIAG_WARNING, r->file, r->line,
				r->args[i].col,
				"%s takes %d argument%s (0 to %d): a condition on argument %u tests "
				"a register the kernel does not read%s",
				r->name, n, n == 1 ? "" : "s", n - 1, i,
				strict ? "" : " (compiled as written)");
		return true;
	}
	return false;
}

/*
 * The one note for everything that compiles to nothing: "N rules allow
 * nothing: 4 name C library functions, no system calls (statvfs, ...), ...".
 */
static void nothing_note(struct diag_list *d, const struct nothing parts[],
			 const char *const what[], size_t nparts)
{
	char text[1024], list[256];
	size_t total = 0, at = 0, used = 0;
	unsigned file = 0, line = 0;

	for (size_t i = 0; i < nparts; i++) {
		if (!parts[i].count)
			continue;
		total += parts[i].count;
		used++;
		if (!line || parts[i].first_file < file ||
		    (parts[i].first_file == file && parts[i].first_line < line)) {
			file = parts[i].first_file;
			line = parts[i].first_line;
		}
	}
	if (!total)
		return;
	text[0] = '\0';
	for (size_t i = 0; i < nparts && at < sizeof(text); i++) {
		if (!parts[i].count)
			continue;
		at += (size_t)snprintf(text + at, sizeof(text) - at, "%s%zu %s (%s)",
				       at ? "; " : "", parts[i].count, what[i],
				       nothing_list(&parts[i], list, sizeof(list)));
	}
	if (used == 1 && parts[0].count == total && total == 1)
		diag_add_in(d, DIAG_NOTE, file, line, 0, "1 rule allows nothing: it %s", text + 2);
	else
		diag_add_in(d, DIAG_NOTE, file, line, 0, "%zu rule%s allow%s nothing: %s", total,
			    total == 1 ? "" : "s", total == 1 ? "s" : "", text);
}

int check_policy(const struct policy *pol, const uint32_t *arches, size_t narches, bool strict,
		 struct diag_list *d)
{
	size_t errors = d->errors;
	const char *last_args = NULL;
	size_t more = pol->unknown_reports - pol->nunknown;
	/* C library names; syscalls newer than the tables; (strict) not on the targets */
	struct nothing parts[3] = { { 0 } };
	char targets[128], absent[192];
	const char *const what[3] = { "name C library functions, no system calls",
				      "name system calls newer than this libseccomp knows, which "
				      "fail with ENOSYS",
				      absent };

	target_names(arches, narches, targets, sizeof(targets));
	snprintf(absent, sizeof(absent), "name system calls %s lack", targets);
	/* Names no table knows: the parser counted them and kept the first reports. */
	for (size_t i = 0; i < pol->nunknown; i++) {
		const struct policy_unknown *r = &pol->unknown[i];
		char buf[64];
		const char *s;

		/* A suggestion scans every syscall table: only when kept. */
		s = d->count < d->limit ? syscalls_suggest(r->name, buf, sizeof(buf)) : NULL;
		diag_add_in(d, strict ? DIAG_ERROR : DIAG_WARNING, r->file, r->line, r->col,
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

		/* A group's calls are the group's business, not the author's. */
		if (r->group)
			continue;
		if (syscalls_libc_only(r->name)) {
			nothing_add(&parts[0], r);
			continue;
		}
		/* Once per run of one name, like unknown names. */
		if (!last_args || strcmp(last_args, r->name))
			last_args = check_arg_count(r, strict, d) ? r->name : last_args;
		if (syscalls_newer_than_tables(r->name))
			nothing_add(&parts[1], r);
		/* The shipped library names each architecture's calls on purpose. */
		else if (strict && narches && !r->shipped &&
			 !on_some_target(r->name, arches, narches))
			nothing_add(&parts[2], r);
	}
	/*
	 * The syscalls the targets lack only with --strict: without it, one
	 * policy serving every architecture is the point.
	 */
	nothing_note(d, parts, what, 3);
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
