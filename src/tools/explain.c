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
#include <stdlib.h>
#include <string.h>

#include "sysfence/compile/abi.h"
#include "sysfence/compile/syscalls.h"
#include "sysfence/tools/json.h"

static void push(struct explain_rule_ref *list, size_t *n, size_t rule, unsigned argno)
{
	if (*n < EXPLAIN_MAX_LINES)
		list[(*n)++] = (struct explain_rule_ref){ rule, argno };
}

static uint32_t default_action(const struct blob *b)
{
	return b->mode == SF_MODE_COMPLAIN ? SECCOMP_RET_LOG : SECCOMP_RET_ERRNO | EPERM;
}

/* Index of the first condition's argument that does not hold. */
static unsigned first_mismatch(const struct abi_rule *lr, const uint64_t *seen)
{
	for (unsigned i = 0; i < lr->ncond; i++)
		if (!abi_cond_holds(&lr->cond[i], seen))
			return lr->cond[i].arg;
	return POLICY_MAX_ARGS;
}

/*
 * The rules as the ABI model reads them for this call (abi_rules_for(): the
 * same meaning the code generator compiles), matched against the
 * arguments as the filter sees them.
 */
static void match_rules(const struct abi *a, const struct policy *pol, const struct explain_call *c,
			struct explain_result *r, size_t *allow_matches, size_t *deny_matches)
{
	struct abi_rule *list;
	long n = abi_rules_for(a, pol, c->nr, &list);
	enum abi_mux mux = abi_mux_at(a, c->nr);
	uint32_t call;

	r->lowered = list;
	r->nlowered = n > 0 ? (size_t)n : 0;
	for (size_t i = 0; i < r->nlowered; i++) {
		const struct abi_rule *lr = &list[i];
		size_t idx = (size_t)(lr->src - pol->rules);
		unsigned miss = first_mismatch(lr, r->seen);

		if (!lr->via_mux && lr->src->nargs > r->max_rule_args)
			r->max_rule_args = lr->src->nargs;
		if (miss == POLICY_MAX_ARGS)
			++*(lr->deny ? deny_matches : allow_matches);
		else if (!lr->deny)
			push(r->near, &r->nnear, idx, miss);
	}
	if (mux == ABI_MUX_NONE)
		return;
	/* The decoded call's conditional allows: out of reach through the pointer. */
	call = abi_mux_decode(mux, r->seen[0]);
	r->mux_call = abi_mux_call_name(mux, call);
	for (size_t i = 0; r->mux_call && i < pol->count; i++) {
		const struct policy_rule *pr = &pol->rules[i];
		uint32_t k;
		bool implied = false;

		if (strcmp(pr->name, r->mux_call) || abi_mux_of(pr->name, &k) != mux)
			continue;
		r->mux_rules = true;
		if (pr->deny)
			continue;
		for (size_t j = 0; j < r->nlowered; j++)
			implied |= list[j].src == pr;
		if (!implied)
			push(r->near, &r->nnear, i, EXPLAIN_NEAR_MUX);
	}
}

static void decide(const struct blob *b, const struct policy *pol, const struct explain_call *c,
		   struct explain_result *r)
{
	const struct abi *a = abi_get(c->arch);
	struct seccomp_data d;
	size_t allow_matches = 0, deny_matches = 0;
	uint64_t given[POLICY_MAX_ARGS] = { 0 };
	char name[64];

	memset(r, 0, sizeof(*r));
	for (unsigned i = 0; i < POLICY_MAX_ARGS && i < c->nargs; i++)
		given[i] = c->args[i];
	/*
	 * The arguments as the filter sees them: a 32-bit ABI passes 32-bit
	 * registers, so the upper bits a caller asks about never reach it.
	 */
	tool_seccomp_data(c->arch, c->nr, given, &d);
	for (unsigned i = 0; i < POLICY_MAX_ARGS; i++) {
		r->seen[i] = a ? abi_seccomp_arg(a, &d, i) : given[i];
		r->masked[i] = r->seen[i] != given[i];
	}
	r->action = blob_verdict(b, &d, &r->allow_ret, &r->deny_ret, &r->steps);
	if (pol && a)
		match_rules(a, pol, c, r, &allow_matches, &deny_matches);

	if (b->mode == SF_MODE_UNRESTRICTED) {
		r->reason = EXPLAIN_UNRESTRICTED;
		return;
	}
	if (!blob_has_arch(b, c->arch)) {
		r->reason = EXPLAIN_BAD_ARCH;
	} else if (r->action == SECCOMP_RET_KILL_PROCESS && a && abi_is_x32(a, c->nr)) {
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
	if (!pol || !a)
		return;

	/* Name the deciding lines, and check them against the verdict. */
	for (size_t i = 0; i < r->nlowered; i++) {
		const struct abi_rule *lr = &r->lowered[i];
		size_t idx = (size_t)(lr->src - pol->rules);

		if (first_mismatch(lr, r->seen) != POLICY_MAX_ARGS)
			continue;
		if (r->reason == EXPLAIN_DENY_RULE && !lr->deny)
			push(r->overridden, &r->noverridden, idx, 0);
		else if (r->reason == EXPLAIN_DENY_RULE ||
			 (r->reason == EXPLAIN_ALLOW_RULE && !lr->deny))
			push(r->deciding, &r->ndeciding, idx, 0);
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

void explain_call(const struct blob *b, const struct policy *pol, const struct explain_call *c,
		  struct explain_result *r)
{
	decide(b, pol, c, r);
	free(r->lowered);
	r->lowered = NULL;
	r->nlowered = 0;
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

			if (a == EXPLAIN_NEAR_MUX)
				snprintf(why, sizeof(why),
					 " (its conditions cannot be checked through %s)", syscall);
			else
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
	if (r->mux_rules)
		fprintf(out,
			"note: %s(%llu, ...) is %s through the multiplexer: only rules for %s "
			"without conditions allow it, and any '~%s' denies it\n",
			syscall, (unsigned long long)r->seen[0], r->mux_call, r->mux_call,
			r->mux_call);
	if (r->inconsistent)
		fputs("warning: the compiled programs and the policy's rules disagree "
		      "about this call; please report it as a sysfence bug\n",
		      out);
}

/* ---- --json ---- */

static const char *reason_name(enum explain_reason r)
{
	switch (r) {
	case EXPLAIN_UNRESTRICTED:
		return "unrestricted";
	case EXPLAIN_ALLOW_RULE:
		return "allow_rule";
	case EXPLAIN_DENY_RULE:
		return "deny_rule";
	case EXPLAIN_DEFAULT:
		return "default";
	case EXPLAIN_UNKNOWN_NR:
		return "unknown_nr";
	case EXPLAIN_CLONE3:
		return "clone3";
	case EXPLAIN_BAD_ARCH:
		return "bad_arch";
	case EXPLAIN_X32:
		return "x32";
	case EXPLAIN_OTHER:
		break;
	}
	return "other";
}

/* Rules as [{"file", "line", "text"}, ...], with "argument" for near misses. */
static struct json_object *rules_json(const struct tool_input *in, const struct explain_rule_ref *v,
				      size_t n, bool near)
{
	struct json_object *a = json_object_new_array();
	int err = !a;

	for (size_t i = 0; !err && i < n; i++) {
		struct json_object *o = tools_json_rule(in, &in->pol.rules[v[i].rule]);

		err |= tools_json_push(a, o);
		if (err || !near)
			continue;
		if (v[i].argno == EXPLAIN_NEAR_MUX) {
			err |= tools_json_put_null(o, "argument");
			err |= tools_json_put(o, "multiplexer", json_object_new_boolean(1));
		} else {
			err |= tools_json_put(o, "argument", json_object_new_int64(v[i].argno));
			err |= tools_json_put(o, "multiplexer", json_object_new_boolean(0));
		}
	}
	return tools_json_done(a, err);
}

struct json_object *explain_json(const struct tool_input *in, const char *syscall,
				 const struct explain_call *c, const struct explain_result *r)
{
	struct json_object *doc = tools_json_doc("explain");
	struct json_object *args = json_object_new_array(), *masked = json_object_new_array();
	struct json_object *progs = json_object_new_object(), *mux = NULL;
	bool have_src = in->kind == TOOL_INPUT_POLICY && in->src;
	bool near = r->reason == EXPLAIN_DEFAULT || r->reason == EXPLAIN_ALLOW_RULE;
	int err = !doc || !args || !masked || !progs;

	for (unsigned i = 0; !err && i < c->nargs; i++)
		err |= tools_json_push(args, json_object_new_uint64(r->seen[i]));
	for (unsigned i = 0; !err && i < POLICY_MAX_ARGS; i++) {
		struct json_object *m;

		if (!r->masked[i])
			continue;
		m = json_object_new_object();
		err |= tools_json_push(masked, m);
		if (!err) {
			err |= tools_json_put(m, "argument", json_object_new_int64(i));
			err |= tools_json_put(m, "seen", json_object_new_uint64(r->seen[i]));
		}
	}
	if (!err) {
		err |= tools_json_put(progs, "allow", tools_json_action(r->allow_ret));
		err |= tools_json_put(progs, "deny", tools_json_action(r->deny_ret));
		err |= tools_json_put(progs, "instructions", json_object_new_int64(r->steps));
	}
	if (!err) {
		err |= tools_json_put(doc, "input", tools_json_input(in));
		err |= tools_json_put(doc, "syscall", json_object_new_string(syscall));
		err |= tools_json_put(doc, "nr", json_object_new_int64(c->nr));
		err |= tools_json_put(doc, "arch", tools_json_arch(c->arch));
		err |= tools_json_put(doc, "args", args);
		args = NULL;
		err |= tools_json_put(doc, "action", tools_json_action(r->action));
		err |= tools_json_put(doc, "allowed",
				      json_object_new_boolean(tool_action_allows(r->action)));
		err |= tools_json_put(doc, "reason",
				      json_object_new_string(reason_name(r->reason)));
		err |= tools_json_put(
			doc, "deciding",
			rules_json(in, r->deciding, have_src ? r->ndeciding : 0, false));
		err |= tools_json_put(
			doc, "overridden",
			rules_json(in, r->overridden, have_src ? r->noverridden : 0, false));
		err |= tools_json_put(
			doc, "near_misses",
			rules_json(in, r->near, have_src && near ? r->nnear : 0, true));
		err |= tools_json_put(doc, "masked_args", masked);
		masked = NULL;
		err |= tools_json_put(doc, "rule_args", json_object_new_int64(r->max_rule_args));
		err |= tools_json_put(doc, "programs", progs);
		progs = NULL;
	}
	if (!err && r->mux_call) {
		mux = json_object_new_object();
		err |= tools_json_put(doc, "multiplexer", mux);
		if (!err) {
			err |= tools_json_put(mux, "call", json_object_new_string(r->mux_call));
			err |= tools_json_put(mux, "rules", json_object_new_boolean(r->mux_rules));
		}
	} else if (!err) {
		err |= tools_json_put_null(doc, "multiplexer");
	}
	if (!err)
		err |= tools_json_put(doc, "inconsistent",
				      json_object_new_boolean(r->inconsistent));
	json_object_put(args);
	json_object_put(masked);
	json_object_put(progs);
	return tools_json_done(doc, err);
}
