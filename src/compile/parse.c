// SPDX-License-Identifier: MIT
/*
 * Policy text -> rules.  Pure: bytes in, rules and diagnostics out; no I/O
 * except the u:/g: resolver the caller passes.  Every error of the file is
 * reported (up to the diagnostic limit), one per line, so an admin fixes a
 * policy in one round.
 */
#include "sysfence/compile/policy.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysfence/blob.h"
#include "sysfence/compile/argtypes.h"
#include "sysfence/compile/groups.h"
#include "sysfence/compile/lex.h"
#include "sysfence/compile/syscalls.h"
#include "sysfence/compile/text.h"
#include "sysfence/util.h"

struct parser {
	unsigned file; /* index in the sources */
	unsigned lineno;
	const struct policy_resolver *res;
	struct diag_list *diags;
	const uint32_t *arches; /* the targets, for named constants */
	size_t narches;
	bool complain, unrestricted;
	size_t never_rules; /* rules left out: a constant no target has */
	unsigned never_line, never_file;
	/* Groups expanded so far, allow and deny: a repeat adds no rule. */
	uint64_t groups_done[2];
	bool shipped; /* the file being parsed is from the shipped library */
};

#define MAX_TOKENS (POLICY_MAX_ARGS + 2)

static void error_at(struct parser *p, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void error_at(struct parser *p, unsigned col, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_add_in(p->diags, DIAG_ERROR, p->file, p->lineno, col, "%s", msg);
}

/* Shows a token in a message without letting it run away. */
#define TOK_FMT "%.*s"
#define TOK_ARG(t) (int)((t).len > 64 ? 64 : (t).len), (t).s

static const char *const directives[] = { "@bind", "@complain", "@include", "@unrestricted" };

static bool is_directive(const char *s, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(directives); i++)
		if (strlen(directives[i]) == len && !memcmp(s, directives[i], len))
			return true;
	return false;
}

/* An unknown @word: the closest directive or group, if one is close. */
static void unknown_at_word(struct parser *p, const struct policy_token *t)
{
	const char *best = NULL, *group;
	size_t bestd = (size_t)-1;
	char known[256] = "";

	for (size_t i = 0; i < ARRAY_SIZE(directives); i++) {
		size_t d = text_edit_distance(t->s, t->len, directives[i], strlen(directives[i]),
					      true);
		if (d < bestd) {
			bestd = d;
			best = directives[i];
		}
	}
	if (best && text_is_close(bestd, t->len)) {
		error_at(p, t->col, "unknown directive '" TOK_FMT "'; did you mean '%s'?",
			 TOK_ARG(*t), best);
		return;
	}
	group = groups_suggest(t->s, t->len);
	if (group) {
		error_at(p, t->col, "unknown syscall group '" TOK_FMT "'; did you mean '%s'?",
			 TOK_ARG(*t), group);
		return;
	}
	for (size_t i = 0, n = 0; i < ARRAY_SIZE(directives) && n < sizeof(known); i++) {
		int k = snprintf(known + n, sizeof(known) - n, "%s%s", i ? ", " : "",
				 directives[i]);

		n += k > 0 ? (size_t)k : 0;
	}
	error_at(p, t->col,
		 "unknown directive or syscall group '" TOK_FMT
		 "' (directives: %s; groups: sysfence-compile --list-groups)",
		 TOK_ARG(*t), known);
}

/*
 * @bind PATH: the path as written (absolute, no "." or ".." or empty
 * component; no blank, no '#': they end the token), once each, within the
 * blob's limits.  What a binding means is the launcher's business.
 */
static void parse_bind(struct parser *p, struct policy *pol, const struct policy_token *tok,
		       size_t ntok)
{
	const struct policy_token *t = &tok[1];
	struct policy_binding *n;
	size_t size = t->len + 1;
	char *path;

	if (ntok < 2) {
		error_at(p, tok[0].col + (unsigned)tok[0].len,
			 "@bind needs the absolute path of a program");
		return;
	}
	if (ntok > 2) {
		error_at(p, tok[2].col, "unexpected text after the path of @bind");
		return;
	}
	if (!blob_binding_valid(t->s, t->len)) {
		error_at(p, t->col,
			 "'" TOK_FMT "' cannot be bound: want an absolute path of at most %u bytes "
			 "without empty, '.' or '..' components",
			 TOK_ARG(*t), BLOB_BINDING_MAX - 1);
		return;
	}
	for (size_t i = 0; i < pol->nbindings; i++) {
		if (strlen(pol->bindings[i].path) == t->len &&
		    !memcmp(pol->bindings[i].path, t->s, t->len)) {
			diag_add_in(p->diags, DIAG_WARNING, p->file, p->lineno, t->col,
				    "'" TOK_FMT "' is already bound (line %u)", TOK_ARG(*t),
				    pol->bindings[i].line);
			return;
		}
		size += strlen(pol->bindings[i].path) + 1;
	}
	if (pol->nbindings == BLOB_MAX_BINDINGS || size > BLOB_BINDINGS_MAX_SIZE) {
		error_at(p, t->col, "too many bindings (at most %u, %u bytes of paths in all)",
			 BLOB_MAX_BINDINGS, BLOB_BINDINGS_MAX_SIZE);
		return;
	}
	n = reallocarray(pol->bindings, pol->nbindings + 1, sizeof(*n));
	path = n ? strndup(t->s, t->len) : NULL;
	if (n)
		pol->bindings = n;
	if (!path) {
		diag_add(p->diags, DIAG_ERROR, p->lineno, 0, "out of memory");
		return;
	}
	pol->bindings[pol->nbindings++] =
		(struct policy_binding){ path, p->file, p->lineno, t->col };
}

static void parse_directive(struct parser *p, struct policy *pol, const struct policy_token *tok,
			    size_t ntok)
{
	const struct policy_token *t = &tok[0];

	if (t->len == 5 && !memcmp(t->s, "@bind", 5)) {
		parse_bind(p, pol, tok, ntok);
		return;
	}
	if (t->len == 9 && !memcmp(t->s, "@complain", 9))
		p->complain = true;
	else if (t->len == 13 && !memcmp(t->s, "@unrestricted", 13))
		p->unrestricted = true;
	else if (t->len == 8 && !memcmp(t->s, "@include", 8))
		return; /* read, and its errors reported, by policy_sources_load */
	else {
		unknown_at_word(p, t);
		return;
	}
	if (ntok > 1)
		error_at(p, tok[1].col, "unexpected text after directive '" TOK_FMT "'",
			 TOK_ARG(*t));
}

/*
 * One value of a rule, reduced to the argument's width.  Returns 0, -1
 * (error reported) or POLICY_VALUE_NEVER.  *neg: it was written negative.
 */
static int parse_value(struct parser *p, struct policy_token t, const char *syscall, unsigned argno,
		       uint64_t *out, bool *neg)
{
	struct policy_value_ctx c = {
		.res = p->res,
		.arches = p->arches,
		.narches = p->narches,
		.syscall = syscall,
		.argno = argno,
		/*
		 * A suggestion is a pass over the whole table: only for a
		 * diagnostic that will be kept.  A file of unknown names would
		 * otherwise cost minutes per megabyte.
		 */
		.suggest = p->diags->count < p->diags->limit,
	};
	char err[256];
	size_t off;
	int rc = policy_parse_value(t.s, t.len, &c, out, err, sizeof(err), &off);

	*neg = t.len > 1 && t.s[0] == '-';
	if (rc < 0)
		error_at(p, t.col + (unsigned)off, "%s", err);
	return rc;
}

static struct policy_token sub(struct policy_token t, size_t from, size_t to)
{
	return (struct policy_token){ t.s + from, to - from, t.col + (unsigned)from };
}

static int parse_arg(struct parser *p, struct policy_token t, const char *syscall, unsigned argno,
		     struct policy_arg *a)
{
	unsigned width = argtypes_width(syscall, argno);
	const char *bar;
	size_t skip = 0;
	bool nv = false, nm = false;
	int rc, rc2;

	memset(a, 0, sizeof(*a));
	a->width = (uint8_t)width;
	if (t.len == 1 && t.s[0] == '-') {
		a->op = POLICY_OP_ANY;
		return 0;
	}
	switch (t.s[0]) {
	case '!':
		a->op = POLICY_OP_NE;
		skip = 1;
		break;
	case '>':
		a->op = t.len > 1 && t.s[1] == '=' ? POLICY_OP_GE : POLICY_OP_GT;
		skip = a->op == POLICY_OP_GE ? 2 : 1;
		break;
	case '<':
		a->op = t.len > 1 && t.s[1] == '=' ? POLICY_OP_LE : POLICY_OP_LT;
		skip = a->op == POLICY_OP_LE ? 2 : 1;
		break;
	case '|':
		a->op = POLICY_OP_MASKED;
		if (t.len == 1) {
			error_at(p, t.col, "expected a mask after '|'");
			return -1;
		}
		rc = parse_value(p, sub(t, 1, t.len), syscall, argno, &a->mask, &nm);
		a->value = a->mask;
		a->neg = nm ? POLICY_NEG_VALUE | POLICY_NEG_MASK : 0;
		return rc;
	default:
		a->op = POLICY_OP_EQ;
		break;
	}
	if (skip && skip == t.len) {
		error_at(p, t.col, "expected a value after '" TOK_FMT "'", TOK_ARG(t));
		return -1;
	}
	bar = memchr(t.s + skip, '|', t.len - skip);
	if (bar) {
		size_t at = (size_t)(bar - t.s);

		if (a->op != POLICY_OP_EQ) {
			error_at(p, t.col + (unsigned)at,
				 "a masked comparison 'MASK|VALUE' takes no operator");
			return -1;
		}
		a->op = POLICY_OP_MASKED;
		if (at + 1 == t.len) {
			error_at(p, t.col + (unsigned)at, "expected a value after '|'");
			return -1;
		}
		rc = parse_value(p, sub(t, 0, at), syscall, argno, &a->mask, &nm);
		rc2 = parse_value(p, sub(t, at + 1, t.len), syscall, argno, &a->value, &nv);
		a->neg = (uint8_t)((nv ? POLICY_NEG_VALUE : 0) | (nm ? POLICY_NEG_MASK : 0));
		if (rc < 0 || rc2 < 0)
			return -1;
		if (rc || rc2)
			return POLICY_VALUE_NEVER;
		if (a->value & ~a->mask) {
			error_at(p, t.col,
				 "'" TOK_FMT
				 "' can never match: value 0x%llx has bits outside mask 0x%llx",
				 TOK_ARG(t), (unsigned long long)a->value,
				 (unsigned long long)a->mask);
			return -1;
		}
		return 0;
	}
	rc = parse_value(p, sub(t, skip, t.len), syscall, argno, &a->value, &nv);
	a->neg = nv ? POLICY_NEG_VALUE : 0;
	if (rc != POLICY_VALUE_NEVER || a->op == POLICY_OP_EQ)
		return rc;
	/* "Not a request this architecture lacks" is any request. */
	if (a->op == POLICY_OP_NE) {
		a->op = POLICY_OP_ANY;
		return 0;
	}
	error_at(p, t.col + (unsigned)skip,
		 "'" TOK_FMT
		 "' exists on none of the target architectures: it cannot bound a range",
		 TOK_ARG(sub(t, skip, t.len)));
	return -1;
}

/* Rules are stored by policy.c: compactly, duplicates and unknown names counted. */
static int add_rule(struct policy *pol, const struct policy_rule *r)
{
	return policy_add_rule(pol, r) < 0 ? -1 : 0;
}

struct group_expansion {
	struct parser *p;
	struct policy *pol;
	const struct policy_rule *proto;
};

static int add_group_member(void *ctx, const char *name)
{
	struct group_expansion *x = ctx;
	struct policy_rule r = *x->proto;

	r.name = name; /* copied and interned by policy_add_rule */
	if (add_rule(x->pol, &r) < 0) {
		error_at(x->p, r.col, "out of memory");
		return -1;
	}
	return 0;
}

/*
 * A rule whose syscall is a group (@basic-io, ~@mount): one rule per call
 * of the group, all pointing at this line.  Conditions are refused: the
 * calls of a group take different arguments, so none could apply to all.
 */
static void parse_group_rule(struct parser *p, struct policy *pol, struct policy_rule *r,
			     struct policy_token name, const struct policy_token *tok, size_t total)
{
	const struct groups_group *g = groups_find(name.s, name.len);
	struct group_expansion x = { p, pol, r };

	if (!g) {
		if (is_directive(name.s, name.len))
			error_at(p, name.col,
				 "'" TOK_FMT "' is a directive, not a syscall group: it cannot be "
				 "denied",
				 TOK_ARG(name));
		else
			unknown_at_word(p, &name);
		return;
	}
	if (total > 1) {
		error_at(p, tok[1].col,
			 "a syscall group takes no argument conditions: its calls take different "
			 "arguments (write a rule for each call to check)");
		return;
	}
	r->group = true;
	groups_expand(g, &p->groups_done[r->deny], add_group_member, &x);
}

static void parse_rule(struct parser *p, struct policy *pol, const struct policy_token *tok,
		       size_t ntok, size_t total)
{
	struct policy_rule r;
	char namebuf[POLICY_NAME_MAX] = "";
	struct policy_arg args[POLICY_MAX_ARGS];
	struct policy_token name = tok[0];
	const char *alias;
	bool bad = false, never = false;

	memset(&r, 0, sizeof(r));
	r.name = namebuf;
	r.args = args;
	r.file = (uint16_t)p->file;
	r.shipped = p->shipped;
	r.line = p->lineno;
	r.col = (uint16_t)name.col;
	if (name.s[0] == '~') {
		r.deny = true;
		name = sub(name, 1, name.len);
		if (!name.len) {
			error_at(p, tok[0].col, "expected a syscall name after '~'");
			return;
		}
	}
	if (name.s[0] == '@') {
		parse_group_rule(p, pol, &r, name, tok, total);
		return;
	}
	for (size_t i = 0; i < name.len; i++) {
		if (!text_is_name_char(name.s[i], i == 0)) {
			error_at(p, name.col + (unsigned)i, "invalid syscall name '" TOK_FMT "'",
				 TOK_ARG(name));
			return;
		}
	}
	if (name.len >= POLICY_NAME_MAX) {
		error_at(p, name.col, "syscall name too long");
		return;
	}
	memcpy(namebuf, name.s, name.len);
	/* pread is pread64: libc and historic names of a syscall. */
	alias = syscalls_alias(namebuf);
	if (alias)
		snprintf(namebuf, sizeof(namebuf), "%s", alias);
	if (total > POLICY_MAX_ARGS + 1) {
		error_at(p, tok[POLICY_MAX_ARGS + 1].col, "too many arguments for %s (at most %d)",
			 r.name, POLICY_MAX_ARGS);
		return;
	}
	r.nargs = (uint8_t)(ntok - 1);
	for (unsigned i = 0; i < r.nargs; i++) {
		args[i].col = (uint16_t)tok[i + 1].col;
		switch (parse_arg(p, tok[i + 1], r.name, i, &args[i])) {
		case 0:
			break;
		case POLICY_VALUE_NEVER:
			never = true;
			break;
		default:
			bad = true;
		}
		args[i].col = (uint16_t)tok[i + 1].col;
	}
	if (bad)
		return;
	/*
	 * A comparison with a constant no target has (PTRACE_GETFPXREGS on
	 * aarch64) never holds: the rule can match nothing there.
	 */
	if (never) {
		if (!p->never_rules++) {
			p->never_line = p->lineno;
			p->never_file = p->file;
		}
		return;
	}
	/* Trailing '-' add nothing; dropping them keeps rules comparable. */
	while (r.nargs && r.args[r.nargs - 1].op == POLICY_OP_ANY)
		r.nargs--;
	if (add_rule(pol, &r) < 0)
		error_at(p, 0, "out of memory");
}

static void parse_line(struct parser *p, struct policy *pol, const char *line, size_t len)
{
	struct policy_token tok[MAX_TOKENS];
	size_t ntok, total;
	unsigned col;
	char why[64];

	if (policy_line_check(line, len, &col, why, sizeof(why))) {
		error_at(p, col, "%s", why);
		return;
	}
	ntok = policy_line_split(line, len, tok, MAX_TOKENS, &total);
	if (!ntok)
		return;
	/* @NAME: a directive, or a rule whose syscall is a group. */
	if (tok[0].s[0] == '@' && !groups_find(tok[0].s, tok[0].len))
		parse_directive(p, pol, tok, total);
	else
		parse_rule(p, pol, tok, ntok, total);
}

static void parse_text(struct parser *p, struct policy *pol, const char *src, size_t len)
{
	const char *pos = src, *end = src + len, *line;
	size_t n;

	p->lineno = 0;
	while ((line = policy_line_next(&pos, end, &n))) {
		p->lineno++;
		if (n > POLICY_MAX_LINE)
			error_at(p, POLICY_MAX_LINE + 1, "line is %zu bytes long; the limit is %d",
				 n, POLICY_MAX_LINE);
		else
			parse_line(p, pol, line, n);
	}
}

int policy_parse_sources(const struct policy_sources *s, const struct policy_resolver *res,
			 const uint32_t *arches, size_t narches, struct policy *out,
			 struct diag_list *diags)
{
	struct parser p = { .res = res ? res : &policy_nss_resolver,
			    .diags = diags,
			    .arches = arches,
			    .narches = narches };
	size_t errors_before = diags->errors;

	memset(out, 0, sizeof(*out));
	/* Each file in turn: rules are a set, so their order changes nothing. */
	for (size_t i = 0; i < s->count; i++) {
		p.file = (unsigned)i;
		p.shipped = s->shipped && s->shipped[i];
		parse_text(&p, out, s->files[i].text, s->files[i].len);
	}
	policy_finish(out);
	if (p.never_rules)
		diag_add_in(diags, DIAG_NOTE, p.never_file, p.never_line, 0,
			    "%zu rule%s compare%s an argument with a constant that none of the "
			    "target architectures has (such as a ptrace request of another "
			    "architecture); they can never match and are left out",
			    p.never_rules, p.never_rules == 1 ? "" : "s",
			    p.never_rules == 1 ? "s" : "");
	/* Directives count wherever they are; @unrestricted wins. */
	if (p.unrestricted)
		out->mode = SF_MODE_UNRESTRICTED;
	else if (p.complain)
		out->mode = SF_MODE_COMPLAIN;
	else
		out->mode = SF_MODE_ENFORCE;
	if (s->failed) /* a file is missing: its rules would be too */
		return -1;
	return diags->errors > errors_before ? -1 : 0;
}

int policy_parse_for(const char *src, size_t len, const struct policy_resolver *res,
		     const uint32_t *arches, size_t narches, struct policy *out,
		     struct diag_list *diags)
{
	struct policy_sources s;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = policy_sources_load("<policy>", src, len, NULL, &s, diags);
	if (s.count && policy_parse_sources(&s, res, arches, narches, out, diags) < 0)
		rc = -1;
	policy_sources_free(&s);
	return rc;
}

int policy_parse(const char *src, size_t len, const struct policy_resolver *res, struct policy *out,
		 struct diag_list *diags)
{
	return policy_parse_for(src, len, res, NULL, 0, out, diags);
}
