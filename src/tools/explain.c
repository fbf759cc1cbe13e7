// SPDX-License-Identifier: MIT
/*
 * --explain.  The verdict is computed by the simulator on the compiled
 * programs, with the kernel's precedence for stacked filters; the rules are
 * then matched with policy_arg_matches(), the one definition of an argument
 * condition, to name the lines that decide.  When the two disagree the
 * output says so: that is a compiler bug worth a report, not something to
 * paper over.
 */
#include "sysfence/tools/explain.h"

#include <errno.h>
#include <linux/audit.h>
#include <string.h>

#include "sysfence/compile/syscalls.h"

/* x32 system calls are x86_64 numbers with this bit set (asm/unistd.h). */
#define X32_SYSCALL_BIT 0x40000000u

static void push(struct explain_rule_ref *list, size_t *n, size_t rule, unsigned argno)
{
	if (*n < EXPLAIN_MAX_LINES)
		list[(*n)++] = (struct explain_rule_ref){ rule, argno };
}

/* Is the rule about this very call on this architecture? */
static bool rule_is_for(const struct policy_rule *r, uint32_t arch, uint32_t nr)
{
	int n = syscalls_nr(arch, r->name);

	return n >= 0 && (uint32_t)n == nr;
}

/* Index of the first argument that does not match, or POLICY_MAX_ARGS. */
static unsigned first_mismatch(const struct policy_rule *r, const uint64_t *seen)
{
	for (unsigned i = 0; i < r->nargs; i++)
		if (!policy_arg_matches(&r->args[i], seen[i]))
			return i;
	return POLICY_MAX_ARGS;
}

static uint32_t default_action(const struct blob *b)
{
	return b->mode == SF_MODE_COMPLAIN ? SECCOMP_RET_LOG : SECCOMP_RET_ERRNO | EPERM;
}

void explain_call(const struct blob *b, const struct policy *pol, const struct explain_call *c,
		  struct explain_result *r)
{
	struct seccomp_data d = { .nr = (int)c->nr, .arch = c->arch };
	bool arch32 = syscalls_arch_is_32bit(c->arch);
	size_t allow_matches = 0, deny_matches = 0;
	char name[64];

	memset(r, 0, sizeof(*r));
	for (unsigned i = 0; i < POLICY_MAX_ARGS; i++) {
		uint64_t v = i < c->nargs ? c->args[i] : 0;

		/*
		 * A compat task's registers are 32 bits: the kernel fills
		 * seccomp_data.args zero-extended, so the upper bits a caller
		 * asks about never reach the filter.
		 */
		if (arch32 && v > UINT32_MAX) {
			v &= UINT32_MAX;
			r->masked[i] = true;
		}
		r->seen[i] = v;
		d.args[i] = v;
	}
	r->action = blob_verdict(b, &d, &r->allow_ret, &r->deny_ret, &r->steps);

	if (pol) {
		for (size_t i = 0; i < pol->count; i++) {
			const struct policy_rule *rule = &pol->rules[i];
			unsigned miss;

			if (!rule_is_for(rule, c->arch, c->nr))
				continue;
			if (rule->nargs > r->max_rule_args)
				r->max_rule_args = rule->nargs;
			miss = first_mismatch(rule, r->seen);
			if (miss == POLICY_MAX_ARGS) {
				if (rule->deny)
					deny_matches++;
				else
					allow_matches++;
			} else if (!rule->deny) {
				push(r->near, &r->nnear, i, miss);
			}
		}
	}

	if (b->mode == SF_MODE_UNRESTRICTED) {
		r->reason = EXPLAIN_UNRESTRICTED;
		return;
	}
	if (!blob_has_arch(b, c->arch)) {
		r->reason = EXPLAIN_BAD_ARCH;
	} else if (r->action == SECCOMP_RET_KILL_PROCESS && c->arch == AUDIT_ARCH_X86_64 &&
		   (c->nr & X32_SYSCALL_BIT)) {
		r->reason = EXPLAIN_X32;
	} else if (r->action == (SECCOMP_RET_ERRNO | EACCES)) {
		r->reason = EXPLAIN_DENY_RULE;
	} else if (r->action == SECCOMP_RET_ALLOW) {
		r->reason = EXPLAIN_ALLOW_RULE;
	} else if (r->action == (SECCOMP_RET_ERRNO | ENOSYS)) {
		if (!syscalls_name(c->arch, (int)c->nr, name, sizeof(name)))
			r->reason = EXPLAIN_UNKNOWN_NR;
		else if (!strcmp(name, "clone3"))
			r->reason = EXPLAIN_CLONE3;
		else
			r->reason = EXPLAIN_OTHER;
	} else if (r->action == default_action(b)) {
		r->reason = EXPLAIN_DEFAULT;
	} else {
		r->reason = EXPLAIN_OTHER;
	}
	if (!pol)
		return;

	/* Name the deciding lines, and check them against the verdict. */
	for (size_t i = 0; i < pol->count; i++) {
		const struct policy_rule *rule = &pol->rules[i];

		if (!rule_is_for(rule, c->arch, c->nr) ||
		    first_mismatch(rule, r->seen) != POLICY_MAX_ARGS)
			continue;
		if (r->reason == EXPLAIN_DENY_RULE && !rule->deny)
			push(r->overridden, &r->noverridden, i, 0);
		else if (r->reason == EXPLAIN_DENY_RULE ||
			 (r->reason == EXPLAIN_ALLOW_RULE && !rule->deny))
			push(r->deciding, &r->ndeciding, i, 0);
	}
	switch (r->reason) {
	case EXPLAIN_ALLOW_RULE:
		r->inconsistent = !allow_matches || deny_matches;
		break;
	case EXPLAIN_DENY_RULE:
		r->inconsistent = !deny_matches;
		break;
	case EXPLAIN_DEFAULT:
	case EXPLAIN_CLONE3:
		r->inconsistent = allow_matches || deny_matches;
		break;
	default:
		break;
	}
}

int explain_exit_status(const struct explain_result *r)
{
	return tool_action_allows(r->action) ? 0 : 1;
}

static void print_value(FILE *out, uint64_t v)
{
	if (v < 4096)
		fprintf(out, "%llu", (unsigned long long)v);
	else
		fprintf(out, "0x%llx", (unsigned long long)v);
}

static void print_rule(FILE *out, const char *prefix, const struct tool_input *in, size_t idx,
		       const char *suffix)
{
	const struct policy_rule *rule = &in->pol.rules[idx];
	const struct diag_file *f = tool_rule_file(in, rule);
	char text[POLICY_MAX_LINE + 1];

	tool_source_line(f->text, f->len, rule->line, text, sizeof(text));
	fprintf(out, "%s%s:%u: %s%s\n", prefix, f->name, rule->line, text, suffix ? suffix : "");
}

void explain_print(FILE *out, const struct tool_input *in, const char *syscall,
		   const struct explain_call *c, const struct explain_result *r)
{
	const char *arch = syscalls_arch_name(c->arch);
	bool have_src = in->kind == TOOL_INPUT_POLICY && in->src;
	char act[32], def[32], archbuf[16];

	if (!arch) {
		snprintf(archbuf, sizeof(archbuf), "0x%08x", c->arch);
		arch = archbuf;
	}
	fprintf(out, "%s(", syscall);
	for (unsigned i = 0; i < c->nargs; i++) {
		if (i)
			fputs(", ", out);
		print_value(out, r->seen[i]);
	}
	fprintf(out, ") on %s: %s\n", arch, bpf_action_name(r->action, act, sizeof(act)));

	switch (r->reason) {
	case EXPLAIN_UNRESTRICTED:
		fputs("the profile is @unrestricted: no filter is loaded\n", out);
		break;
	case EXPLAIN_ALLOW_RULE:
	case EXPLAIN_DENY_RULE:
		for (size_t i = 0; have_src && i < r->ndeciding; i++)
			print_rule(out, "", in, r->deciding[i].rule, NULL);
		if (!have_src)
			fprintf(out,
				"%s (a compiled profile keeps no source lines: "
				"explain the policy to see them)\n",
				r->reason == EXPLAIN_ALLOW_RULE ? "allowed by a rule"
								: "denied by an explicit '~' rule");
		for (size_t i = 0; have_src && i < r->noverridden; i++)
			print_rule(out, "note: an explicit denial wins over ", in,
				   r->overridden[i].rule, NULL);
		break;
	case EXPLAIN_DEFAULT:
		fprintf(out, "no rule allows it (default action%s)\n",
			r->action == SECCOMP_RET_LOG ? ": @complain allows and logs it" : "");
		break;
	case EXPLAIN_UNKNOWN_NR:
		fprintf(out,
			"%u is not a system call this compiler knows on %s: "
			"ENOSYS, so libc falls back to an older call\n",
			c->nr, arch);
		break;
	case EXPLAIN_CLONE3:
		fputs("clone3 is not in the policy: ENOSYS, so libc falls back to clone, "
		      "whose flags the policy can check\n",
		      out);
		break;
	case EXPLAIN_BAD_ARCH:
		fprintf(out, "%s is not an architecture of this profile: the process is killed\n",
			arch);
		break;
	case EXPLAIN_X32:
		fputs("an x32 system call: the profile kills the process\n", out);
		break;
	case EXPLAIN_OTHER:
		fprintf(out, "returned by the program (default of this profile: %s)\n",
			bpf_action_name(default_action(&in->blob), def, sizeof(def)));
		break;
	}
	if (have_src && (r->reason == EXPLAIN_DEFAULT || r->reason == EXPLAIN_ALLOW_RULE)) {
		for (size_t i = 0; i < r->nnear; i++) {
			char why[96];
			unsigned a = r->near[i].argno;

			snprintf(why, sizeof(why), " (argument %u does not match)", a);
			print_rule(out, "note: ", in, r->near[i].rule, why);
		}
	}
	for (unsigned i = 0; i < POLICY_MAX_ARGS; i++)
		if (r->masked[i])
			fprintf(out,
				"note: %s passes 32-bit arguments: argument %u is seen as 0x%llx\n",
				arch, i, (unsigned long long)r->seen[i]);
	if (c->nargs < r->max_rule_args)
		fprintf(out, "note: rules check %u arguments; the ones not given are 0\n",
			r->max_rule_args);
	if (r->deny_ret != SECCOMP_RET_ALLOW || in->blob.deny.len)
		fprintf(out, "programs: allow %s, deny %s (%u instructions)\n",
			bpf_action_name(r->allow_ret, act, sizeof(act)),
			bpf_action_name(r->deny_ret, def, sizeof(def)), r->steps);
	if (r->inconsistent)
		fputs("warning: the compiled programs and the policy's rules disagree "
		      "about this call; please report it as a sysfence bug\n",
		      out);
}
