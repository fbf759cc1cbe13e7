// SPDX-License-Identifier: MIT
/*
 * fuzz_parse: policy text -> its files (policy_sources_load, @include
 * through a fake file system) -> rules (policy_parse_sources) and the
 * GCC-style diagnostics printer, with a fake u:/g: resolver.
 *
 * Beyond what ASan and UBSan see, every parse must leave a policy the rest
 * of the compiler may trust: names that are syscall-shaped and terminated,
 * at most six arguments with no trailing '-', values reduced to the
 * argument's width, masks that can match, file, line and column numbers
 * inside the file they name, no more rules than lines but for group rules
 * (one per call of the group, bounded by the groups), and an exit status
 * that agrees with the error count.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_common.h"
#include "sysfence/compile/diag.h"
#include "sysfence/compile/groups.h"
#include "sysfence/compile/policy.h"
#include "sysfence/compile/syscalls.h"

/* Policies are small; 64 KiB is thousands of rules. */
#define FUZZ_MAX_INPUT (64u << 10)

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	devnull = fopen("/dev/null", "w");
	return 0;
}

static uint64_t width_mask(unsigned width)
{
	return width >= 64 ? UINT64_MAX : (UINT64_C(1) << width) - 1;
}

static bool name_ok(const char *name)
{
	size_t n = strnlen(name, POLICY_NAME_MAX);

	if (n == 0 || n == POLICY_NAME_MAX)
		return false;
	if (name[0] >= '0' && name[0] <= '9')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_'))
			return false;
	}
	return true;
}

static void check_arg(const struct policy_arg *a)
{
	uint64_t m;

	FUZZ_ASSERT(a->width == 16 || a->width == 32 || a->width == 64);
	FUZZ_ASSERT(a->col >= 1);
	m = width_mask(a->width);
	switch (a->op) {
	case POLICY_OP_ANY:
		FUZZ_ASSERT(policy_arg_matches(a, 0));
		FUZZ_ASSERT(policy_arg_matches(a, UINT64_MAX));
		break;
	case POLICY_OP_EQ:
		FUZZ_ASSERT(a->value <= m);
		FUZZ_ASSERT(policy_arg_matches(a, a->value));
		/* Bits above the width never change the verdict. */
		FUZZ_ASSERT(a->width == 64 || policy_arg_matches(a, a->value | ~m));
		break;
	case POLICY_OP_NE:
		FUZZ_ASSERT(a->value <= m);
		FUZZ_ASSERT(!policy_arg_matches(a, a->value));
		break;
	case POLICY_OP_GT:
	case POLICY_OP_LT:
		FUZZ_ASSERT(a->value <= m);
		FUZZ_ASSERT(!policy_arg_matches(a, a->value));
		break;
	case POLICY_OP_GE:
	case POLICY_OP_LE:
		FUZZ_ASSERT(a->value <= m);
		FUZZ_ASSERT(policy_arg_matches(a, a->value));
		break;
	case POLICY_OP_MASKED:
		FUZZ_ASSERT(a->mask <= m);
		/* A mask whose value has bits outside it could never match. */
		FUZZ_ASSERT((a->value & ~a->mask) == 0);
		FUZZ_ASSERT(policy_arg_matches(a, a->value));
		break;
	default:
		FUZZ_ASSERT(!"unknown operator");
	}
}

/* Length of line `line` (1-based) as the parser sees it, without CR. */
static size_t line_length(const char *src, size_t len, unsigned line)
{
	const char *p = src, *end = src + len, *nl;
	size_t n;

	for (unsigned i = 1; i < line; i++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		FUZZ_ASSERT(nl);
		p = nl + 1;
	}
	nl = memchr(p, '\n', (size_t)(end - p));
	n = (size_t)((nl ? nl : end) - p);
	if (n && p[n - 1] == '\r')
		n--;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *src = (const char *)data;
	struct policy_sources s;
	struct diag_list d;
	struct policy pol;
	size_t lines = 0, plain = 0, grouped = 0, group_bound = 0, ngroups, nall;
	const struct groups_group *groups = groups_all(&ngroups);
	int lrc, rc;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	/* Every group allowed and denied once: the most group rules there are. */
	syscalls_all_names(&nall);
	for (size_t i = 0; i < ngroups; i++)
		for (const char *const *m = groups[i].members; m && *m; m++)
			group_bound += 2;
	group_bound += 2 * nall;
	/* A small limit: the dropped-diagnostics path too, and fewer
	 * "did you mean" searches (each a pass over the constants). */
	diag_init(&d, FUZZ_DIAG_LIMIT);
	lrc = policy_sources_load("fuzz.policy", src, size, &fuzz_includer, &s, &d);
	rc = policy_parse_sources(&s, &fuzz_resolver, NULL, 0, &pol, &d);

	FUZZ_ASSERT((rc == 0) == (d.errors == 0));
	FUZZ_ASSERT(rc == 0 || rc == -1);
	FUZZ_ASSERT(lrc == 0 || rc == -1);
	FUZZ_ASSERT(s.count >= 1 && s.count <= POLICY_MAX_FILES);
	FUZZ_ASSERT(s.files[0].text == src && s.files[0].len == size);
	for (size_t f = 0; f < s.count; f++) {
		lines += fuzz_count_lines((const uint8_t *)s.files[f].text, s.files[f].len);
		FUZZ_ASSERT(!f || s.files[f].parent < f);
	}
	FUZZ_ASSERT(pol.mode == SF_MODE_ENFORCE || pol.mode == SF_MODE_COMPLAIN ||
		    pol.mode == SF_MODE_UNRESTRICTED);
	FUZZ_ASSERT(pol.count <= pol.cap);
	for (size_t i = 0; i < pol.count; i++) {
		const struct policy_rule *r = &pol.rules[i];
		const struct diag_file *f;
		size_t flines;

		FUZZ_ASSERT(r->file < s.count);
		f = &s.files[r->file];
		flines = fuzz_count_lines((const uint8_t *)f->text, f->len);
		FUZZ_ASSERT(name_ok(r->name));
		FUZZ_ASSERT(r->line >= 1 && r->line <= flines);
		FUZZ_ASSERT(r->col >= 1 && r->col <= line_length(f->text, f->len, r->line));
		FUZZ_ASSERT(r->nargs <= POLICY_MAX_ARGS);
		/* A group rule is a name, never conditions. */
		FUZZ_ASSERT(!r->group || !r->nargs);
		if (r->group)
			grouped++;
		else
			plain++;
		/* Trailing '-' are dropped so equal rules compare equal. */
		FUZZ_ASSERT(!r->nargs || r->args[r->nargs - 1].op != POLICY_OP_ANY);
		for (unsigned a = 0; a < r->nargs; a++) {
			check_arg(&r->args[a]);
			FUZZ_ASSERT(r->args[a].col > r->col);
		}
	}
	FUZZ_ASSERT(plain <= lines);
	FUZZ_ASSERT(grouped <= group_bound);
	FUZZ_ASSERT(d.count <= d.limit);
	for (size_t i = 0; i < d.count; i++) {
		const struct diag *g = &d.items[i];
		const struct diag_file *f;

		FUZZ_ASSERT(g->msg);
		FUZZ_ASSERT(g->file < s.count);
		f = &s.files[g->file];
		FUZZ_ASSERT(g->line <= fuzz_count_lines((const uint8_t *)f->text, f->len));
		/* A caret past the end of the line would point at nothing. */
		if (g->line && g->col)
			FUZZ_ASSERT(g->col <= line_length(f->text, f->len, g->line) + 1);
	}
	if (devnull)
		diag_print_files(devnull, &d, s.files, s.count);

	policy_free(&pol);
	policy_sources_free(&s);
	diag_free(&d);
	return 0;
}
