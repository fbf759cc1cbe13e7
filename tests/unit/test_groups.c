// SPDX-License-Identifier: MIT
/*
 * Unit tests for src/compile/groups.c and the parser's group rules: the
 * tables are well formed (sorted, no repeats, nested groups exist, no
 * nesting loop, every member a name libseccomp knows on some
 * architecture), @NAME expands into one rule per call through the
 * parser (line and column of the group, the group flag), ~@NAME denies,
 * conditions on a group and misuse of directives are errors, a repeated
 * group adds nothing, @known is every name of the tables, the compiled
 * programs decide each member as the group says on each architecture
 * (a call an architecture lacks is skipped there, without a warning even
 * with --strict), and --list-groups output is itself a policy allowing
 * exactly the group.
 */
#include <errno.h>
#include <linux/audit.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sysfence/blob.h"
#include "sysfence/compile/compile.h"
#include "sysfence/compile/groups.h"
#include "sysfence/compile/policy.h"
#include "sysfence/compile/syscalls.h"
#include "sysfence/util.h"

#define X64 AUDIT_ARCH_X86_64
#define X86 AUDIT_ARCH_I386

static const struct groups_group *find(const char *name)
{
	const struct groups_group *g = groups_find(name, strlen(name));

	if (!g)
		fail_msg("no group %s", name);
	return g;
}

static bool is_syscall_shaped(const char *s)
{
	if (!*s || (*s >= '0' && *s <= '9'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

/* Nesting from g never comes back to g (depth bounded by the count). */
static void no_loop(const struct groups_group *g, const struct groups_group *start, size_t depth)
{
	size_t n;

	groups_all(&n);
	assert_true(depth <= n);
	for (const char *const *m = g->members; m && *m; m++) {
		if ((*m)[0] != '@')
			continue;
		assert_ptr_not_equal(find(*m), start);
		no_loop(find(*m), start, depth + 1);
	}
}

struct names {
	const char *v[2048];
	size_t n;
};

static int collect(void *ctx, const char *name)
{
	struct names *x = ctx;

	assert_true(x->n < ARRAY_SIZE(x->v));
	x->v[x->n++] = name;
	return 0;
}

static bool has(const struct names *x, const char *name)
{
	for (size_t i = 0; i < x->n; i++)
		if (!strcmp(x->v[i], name))
			return true;
	return false;
}

static void test_tables(void **state)
{
	size_t n;
	const struct groups_group *all = groups_all(&n);

	(void)state;
	assert_true(n >= 25 && n <= GROUPS_MAX);
	for (size_t i = 0; i < n; i++) {
		const struct groups_group *g = &all[i];

		assert_true(g->name[0] == '@' && strlen(g->name) > 1);
		assert_true(strlen(g->description) > 10);
		if (i)
			assert_true(strcmp(all[i - 1].name, g->name) < 0); /* groups_find bisects */
		assert_ptr_equal(groups_find(g->name, strlen(g->name)), g);
		no_loop(g, g, 0);
		for (const char *const *m = g->members; m && *m; m++) {
			for (const char *const *k = g->members; k < m; k++)
				if (!strcmp(*k, *m))
					fail_msg("%s lists %s twice", g->name, *m);
			if ((*m)[0] == '@') {
				find(*m);
				continue;
			}
			assert_true(is_syscall_shaped(*m));
			if (!syscalls_known_anywhere(*m))
				fail_msg("%s: %s is not in any syscall table of libseccomp %s",
					 g->name, *m, syscalls_library_version());
		}
	}
	/* A call a nested group holds is not listed again (the docs list each once). */
	for (size_t i = 0; i < n; i++) {
		for (const char *const *m = all[i].members; m && *m; m++) {
			if ((*m)[0] != '@')
				continue;
			struct names x = { .n = 0 };
			uint64_t done = 0;

			groups_expand(find(*m), &done, collect, &x);
			for (const char *const *k = all[i].members; *k; k++)
				if ((*k)[0] != '@' && has(&x, *k))
					fail_msg("%s lists %s, which its %s holds", all[i].name, *k,
						 *m);
		}
	}
	/* The names systemd's users write. */
	static const char *const expected[] = {
		"@system-service", "@basic-io", "@file-system", "@network-io", "@process",
		"@signal",	   "@timer",	"@privileged",	"@mount",      "@debug",
		"@obsolete",	   "@known",	"@default",	"@io-event",   "@ipc",
	};
	for (size_t i = 0; i < ARRAY_SIZE(expected); i++)
		find(expected[i]);
	assert_null(groups_find("@mounts", 7));
	assert_null(groups_find("@moun", 5));
	assert_null(groups_find("mount", 5));
	assert_ptr_equal(groups_find("@mount-extra", 6), find("@mount"));
}

static void test_expand(void **state)
{
	struct names x = { .n = 0 };
	uint64_t done = 0;
	size_t nall;
	const char *const *all;

	(void)state;
	/* Nested groups expanded, sorted, each name once. */
	assert_int_equal(groups_expand(find("@privileged"), &done, collect, &x), 0);
	for (size_t i = 1; i < x.n; i++)
		assert_true(strcmp(x.v[i - 1], x.v[i]) < 0);
	assert_true(x.n > 40);
	for (size_t i = 0; i < x.n; i++)
		assert_true(x.v[i][0] != '@');
	/* @chown and @reboot are nested: their calls are there, and they are done. */
	assert_true(has(&x, "fchownat") && has(&x, "reboot") && has(&x, "setuid"));
	assert_false(has(&x, "read"));
	/* Already done: a second expansion, or a nested one, adds nothing. */
	x.n = 0;
	assert_int_equal(groups_expand(find("@chown"), &done, collect, &x), 0);
	assert_int_equal(x.n, 0);
	x.n = 0;
	assert_int_equal(groups_expand(find("@privileged"), &done, collect, &x), 0);
	assert_int_equal(x.n, 0);
	/* @known: every name of every table. */
	done = 0;
	x.n = 0;
	all = syscalls_all_names(&nall);
	assert_non_null(all);
	assert_true(nall > 400);
	assert_int_equal(groups_expand(find("@known"), &done, collect, &x), 0);
	assert_int_equal(x.n, nall);
	for (size_t i = 0; i < nall; i++)
		assert_string_equal(x.v[i], all[i]);
}

struct parsed {
	struct policy pol;
	struct diag_list d;
	int rc;
};

static void parse(struct parsed *p, const char *src)
{
	diag_init(&p->d, 0);
	p->rc = policy_parse(src, strlen(src), NULL, &p->pol, &p->d);
}

static void parsed_free(struct parsed *p)
{
	policy_free(&p->pol);
	diag_free(&p->d);
}

static size_t members_of(const char *group)
{
	struct names x = { .n = 0 };
	uint64_t done = 0;

	assert_int_equal(groups_expand(find(group), &done, collect, &x), 0);
	return x.n;
}

static void test_group_rules(void **state)
{
	struct parsed p;
	size_t n = members_of("@mount");

	(void)state;
	parse(&p, "read\n  ~@mount # no mounts\n");
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.pol.count, 1 + n);
	for (size_t i = 1; i < p.pol.count; i++) {
		const struct policy_rule *r = &p.pol.rules[i];

		assert_true(r->deny && r->group && !r->nargs);
		assert_int_equal(r->line, 2);
		assert_int_equal(r->col, 3);
	}
	assert_false(p.pol.rules[0].group);
	assert_string_equal(p.pol.rules[1].name, "chroot");
	parsed_free(&p);
	/* A repeat adds no rule; allow and deny are separate. */
	parse(&p, "@mount\n@mount\n~@mount\n");
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.pol.count, 2 * n);
	parsed_free(&p);
	/*
	 * Nested groups already taken are not taken again, and a call that
	 * two groups share (close: @basic-io and @file-system) is one rule:
	 * the parser keeps the first of identical rules.
	 */
	parse(&p, "@basic-io\n@system-service\n");
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.pol.count, members_of("@system-service"));
	assert_int_equal(p.pol.duplicates, 1);
	parsed_free(&p);
}

static void expect_error(const char *src, unsigned line, unsigned col, const char *msg)
{
	struct parsed p;

	parse(&p, src);
	if (p.rc != -1 || p.d.count != 1 || p.d.items[0].line != line || p.d.items[0].col != col ||
	    strcmp(p.d.items[0].msg, msg)) {
		for (size_t i = 0; i < p.d.count; i++)
			print_message("    %u:%u: %s\n", p.d.items[i].line, p.d.items[i].col,
				      p.d.items[i].msg);
		fail_msg("'%s': wanted %u:%u '%s'", src, line, col, msg);
	}
	assert_int_equal(p.pol.count, 0);
	parsed_free(&p);
}

static void test_group_errors(void **state)
{
	(void)state;
	expect_error("@mount /mnt\n", 1, 8,
		     "a syscall group takes no argument conditions: its calls take different "
		     "arguments (write a rule for each call to check)");
	expect_error("~@network-io AF_INET\n", 1, 14,
		     "a syscall group takes no argument conditions: its calls take different "
		     "arguments (write a rule for each call to check)");
	expect_error("@netwrk-io\n", 1, 1,
		     "unknown syscall group '@netwrk-io'; did you mean '@network-io'?");
	expect_error("~@mont\n", 1, 2, "unknown syscall group '@mont'; did you mean '@mount'?");
	expect_error("@system_service\n", 1, 1,
		     "unknown syscall group '@system_service'; did you mean '@system-service'?");
	expect_error("~@complain\n", 1, 2,
		     "'@complain' is a directive, not a syscall group: it cannot be denied");
	expect_error("~@unrestricted\n", 1, 2,
		     "'@unrestricted' is a directive, not a syscall group: it cannot be denied");
	expect_error("@xyzzy-quux\n", 1, 1,
		     "unknown directive or syscall group '@xyzzy-quux' (directives: @bind, "
		     "@complain, @include, @unrestricted; groups: sysfence-compile --list-groups)");
	/* A group is not a value, a value not a group. */
	expect_error("read @mount\n", 1, 6, "invalid value '@mount'");
	expect_error("@mount@\n", 1, 1, "unknown syscall group '@mount@'; did you mean '@mount'?");
}

/* ---- the compiled programs ---- */

static uint32_t verdict(const struct blob *b, uint32_t arch, const char *name)
{
	struct seccomp_data d = { .arch = arch };
	int nr = syscalls_nr(arch, name);

	assert_true(nr >= 0);
	d.nr = nr;
	return blob_verdict(b, &d, NULL, NULL, NULL);
}

static void compile(const char *src, bool strict, struct blob *b, struct diag_list *d)
{
	struct compile_opts o = { .arches = { X64, X86 }, .narches = 2, .strict = strict };

	diag_init(d, 0);
	if (compile_policy(src, strlen(src), &o, b, d)) {
		for (size_t i = 0; i < d->count; i++)
			print_message("    %u:%u: %s\n", d->items[i].line, d->items[i].col,
				      d->items[i].msg);
		fail_msg("does not compile: %s", src);
	}
}

static void test_compiled(void **state)
{
	static const uint32_t arches[] = { X64, X86 };
	struct blob b;
	struct diag_list d;
	struct names x = { .n = 0 };
	uint64_t done = 0;

	(void)state;
	/* Every member a target has is allowed there; the rest is skipped
	 * there silently, even with --strict (_llseek: x86 only). */
	compile("execve\n@basic-io\n@file-system\n", true, &b, &d);
	assert_int_equal(d.count, 0);
	groups_expand(find("@basic-io"), &done, collect, &x);
	groups_expand(find("@file-system"), &done, collect, &x);
	for (size_t a = 0; a < ARRAY_SIZE(arches); a++)
		for (size_t i = 0; i < x.n; i++)
			if (syscalls_nr(arches[a], x.v[i]) >= 0 &&
			    verdict(&b, arches[a], x.v[i]) != SECCOMP_RET_ALLOW)
				fail_msg("%s not allowed on %#x", x.v[i], arches[a]);
	assert_true(syscalls_nr(X64, "_llseek") < 0 && syscalls_nr(X86, "_llseek") >= 0);
	assert_int_equal(verdict(&b, X86, "_llseek"), SECCOMP_RET_ALLOW);
	assert_int_equal(verdict(&b, X64, "socket"), SECCOMP_RET_ERRNO | EPERM);
	blob_free(&b);
	diag_free(&d);

	/* ~@mount wins over @known: EACCES for each mount call, the rest allowed. */
	compile("@known\n~@mount\n", true, &b, &d);
	assert_int_equal(verdict(&b, X64, "mount"), SECCOMP_RET_ERRNO | EACCES);
	assert_int_equal(verdict(&b, X64, "pivot_root"), SECCOMP_RET_ERRNO | EACCES);
	assert_int_equal(verdict(&b, X86, "umount"), SECCOMP_RET_ERRNO | EACCES);
	assert_int_equal(verdict(&b, X64, "ptrace"), SECCOMP_RET_ALLOW);
	assert_int_equal(verdict(&b, X86, "socketcall"), SECCOMP_RET_ALLOW);
	blob_free(&b);
	diag_free(&d);
}

/* --list-groups GROUP is a policy that allows the group, no more. */
static void test_print(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	struct parsed p;
	size_t nall;

	(void)state;
	f = open_memstream(&text, &len);
	assert_int_equal(groups_print(f, NULL), 0);
	fclose(f);
	groups_all(&nall);
	{
		size_t lines = 0;

		for (size_t i = 0; i < len; i++)
			lines += text[i] == '\n';
		assert_int_equal(lines, nall);
	}
	assert_non_null(strstr(text, "\n@mount           mounting,"));
	free(text);

	f = open_memstream(&text, &len);
	assert_int_equal(groups_print(f, "privileged"), 0);
	fclose(f);
	assert_true(!strncmp(text, "# @privileged: ", 15));
	assert_non_null(strstr(text, "\n# with @chown @clock @module @raw-io @reboot @swap\n"));
	parse(&p, text);
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.d.count, 0);
	assert_int_equal(p.pol.count, members_of("@privileged"));
	for (size_t i = 0; i < p.pol.count; i++)
		assert_false(p.pol.rules[i].group);
	parsed_free(&p);
	free(text);

	f = open_memstream(&text, &len);
	assert_int_equal(groups_print(f, "@nope"), -1);
	fclose(f);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables),	    cmocka_unit_test(test_expand),
		cmocka_unit_test(test_group_rules), cmocka_unit_test(test_group_errors),
		cmocka_unit_test(test_compiled),    cmocka_unit_test(test_print),
	};

	syscalls_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
