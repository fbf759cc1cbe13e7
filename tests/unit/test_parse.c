// SPDX-License-Identifier: MIT
/*
 * Unit tests for src/compile/parse.c, the lexer and parser of the policy
 * language (docs/policy-language.md): every argument form, every rejected
 * form with its exact line:column and message, directives anywhere,
 * comments, CRLF, byte-level checks (NUL, control bytes, UTF-8), argument
 * widths and negative numbers, named constants, u:/g: through a fake
 * resolver, the line and file limits, and policy_arg_matches.
 */
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
#include "sysfence/compile/policy.h"
#include "sysfence/util.h"

/* ---- a fake NSS ---- */

static const struct {
	const char *name;
	uint32_t id;
} fake_users[] = { { "alice", 1000 }, { "root", 0 }, { "big", 70000 }, { "max", 0xfffffffe } },
  fake_groups[] = { { "staff", 50 }, { "wheel", 10 } };

static int fake_lookups;

static int fake_user(void *ctx, const char *name, uint32_t *id)
{
	assert_ptr_equal(ctx, &fake_lookups);
	fake_lookups++;
	for (size_t i = 0; i < ARRAY_SIZE(fake_users); i++)
		if (!strcmp(fake_users[i].name, name))
			return *id = fake_users[i].id, 0;
	return -1;
}

static int fake_group(void *ctx, const char *name, uint32_t *id)
{
	assert_ptr_equal(ctx, &fake_lookups);
	fake_lookups++;
	for (size_t i = 0; i < ARRAY_SIZE(fake_groups); i++)
		if (!strcmp(fake_groups[i].name, name))
			return *id = fake_groups[i].id, 0;
	return -1;
}

static const struct policy_resolver fake = { fake_user, fake_group, &fake_lookups };

/* ---- helpers ---- */

struct parsed {
	struct policy pol;
	struct diag_list d;
	int rc;
};

static void parse_n(struct parsed *p, const char *src, size_t len)
{
	diag_init(&p->d, 0);
	p->rc = policy_parse(src, len, &fake, &p->pol, &p->d);
}

static void parsed_free(struct parsed *p)
{
	policy_free(&p->pol);
	diag_free(&p->d);
}

static void dump(const struct parsed *p)
{
	for (size_t i = 0; i < p->d.count; i++)
		print_message("    %u:%u: %s\n", p->d.items[i].line, p->d.items[i].col,
			      p->d.items[i].msg);
}

/* Parses src, which must be valid; the caller frees. */
static void parse_ok(struct parsed *p, const char *src)
{
	parse_n(p, src, strlen(src));
	if (p->rc != 0 || p->d.errors) {
		dump(p);
		fail_msg("'%s' should parse", src);
	}
}

/*
 * src must fail with exactly one error at line:col whose message contains
 * `msg`.
 */
static void expect_error_n(const char *src, size_t len, unsigned line, unsigned col,
			   const char *msg)
{
	struct parsed p;

	parse_n(&p, src, len);
	if (p.rc != -1 || p.d.errors != 1 || p.d.count != 1 || p.d.items[0].level != DIAG_ERROR ||
	    p.d.items[0].line != line || p.d.items[0].col != col ||
	    !strstr(p.d.items[0].msg, msg)) {
		dump(&p);
		fail_msg("'%.*s': wanted one error %u:%u '%s'", (int)(len > 80 ? 80 : len), src,
			 line, col, msg);
	}
	parsed_free(&p);
}

static void expect_error(const char *src, unsigned line, unsigned col, const char *msg)
{
	expect_error_n(src, strlen(src), line, col, msg);
}

/* One rule with one argument: returns that argument (src must be valid). */
static struct policy_arg one_arg(const char *src, unsigned argno)
{
	struct parsed p;
	struct policy_arg a;

	parse_ok(&p, src);
	assert_int_equal(p.pol.count, 1);
	assert_true(p.pol.rules[0].nargs > argno);
	a = p.pol.rules[0].args[argno];
	parsed_free(&p);
	return a;
}

static void expect_arg(const char *src, unsigned argno, enum policy_op op, uint64_t value,
		       uint64_t mask, unsigned width)
{
	struct policy_arg a = one_arg(src, argno);

	if (a.op != op || a.value != value || a.mask != mask || a.width != width)
		fail_msg("'%s' arg %u: op %d value 0x%llx mask 0x%llx width %u; wanted op %d "
			 "value 0x%llx mask 0x%llx width %u",
			 src, argno, a.op, (unsigned long long)a.value, (unsigned long long)a.mask,
			 a.width, op, (unsigned long long)value, (unsigned long long)mask, width);
}

/* ---- rules and argument forms ---- */

static void test_rule_fields(void **state)
{
	struct parsed p;
	const struct policy_rule *r;

	(void)state;
	parse_ok(&p, "read\n\n  ~ioctl\t- TIOCSTI   # no\nwrite 1 2 3 4 5 6\n");
	assert_int_equal(p.pol.mode, SF_MODE_ENFORCE);
	assert_int_equal(p.pol.count, 3);
	r = &p.pol.rules[0];
	assert_string_equal(r->name, "read");
	assert_false(r->deny);
	assert_int_equal(r->line, 1);
	assert_int_equal(r->col, 1);
	assert_int_equal(r->nargs, 0);
	r = &p.pol.rules[1];
	assert_string_equal(r->name, "ioctl");
	assert_true(r->deny);
	assert_int_equal(r->line, 3);
	assert_int_equal(r->col, 3); /* the '~' */
	assert_int_equal(r->nargs, 2);
	assert_int_equal(r->args[0].op, POLICY_OP_ANY);
	assert_int_equal(r->args[0].col, 10);
	assert_int_equal(r->args[1].op, POLICY_OP_EQ);
	assert_int_equal(r->args[1].value, 0x5412);
	assert_int_equal(r->args[1].col, 12);
	r = &p.pol.rules[2];
	assert_int_equal(r->line, 4);
	assert_int_equal(r->nargs, 6);
	for (unsigned i = 0; i < 6; i++) {
		assert_int_equal(r->args[i].value, i + 1);
		assert_int_equal(r->args[i].col, 7 + 2 * i);
	}
	parsed_free(&p);
}

static void test_every_argument_form(void **state)
{
	(void)state;
	/* getppid takes no argument: the table says 64 bits, unsigned. */
	expect_arg("getppid - 5", 0, POLICY_OP_ANY, 0, 0, 64);
	expect_arg("getppid - 5", 1, POLICY_OP_EQ, 5, 0, 64);
	expect_arg("getppid 5", 0, POLICY_OP_EQ, 5, 0, 64);
	expect_arg("getppid !5", 0, POLICY_OP_NE, 5, 0, 64);
	expect_arg("getppid >5", 0, POLICY_OP_GT, 5, 0, 64);
	expect_arg("getppid >=5", 0, POLICY_OP_GE, 5, 0, 64);
	expect_arg("getppid <5", 0, POLICY_OP_LT, 5, 0, 64);
	expect_arg("getppid <=5", 0, POLICY_OP_LE, 5, 0, 64);
	expect_arg("getppid |6", 0, POLICY_OP_MASKED, 6, 6, 64);
	expect_arg("getppid 6|2", 0, POLICY_OP_MASKED, 2, 6, 64);
	expect_arg("getppid 0xff|0", 0, POLICY_OP_MASKED, 0, 0xff, 64);
	expect_arg("getppid |0", 0, POLICY_OP_MASKED, 0, 0, 64);
	expect_arg("getppid u:alice", 0, POLICY_OP_EQ, 1000, 0, 64);
	expect_arg("getppid g:staff", 0, POLICY_OP_EQ, 50, 0, 64);
	expect_arg("getppid !u:alice", 0, POLICY_OP_NE, 1000, 0, 64);
	expect_arg("getppid >=g:wheel", 0, POLICY_OP_GE, 10, 0, 64);
	expect_arg("getppid AF_UNIX", 0, POLICY_OP_EQ, 1, 0, 64);
	expect_arg("getppid !TIOCSTI", 0, POLICY_OP_NE, 0x5412, 0, 64);
	expect_arg("getppid <=PR_SET_NAME", 0, POLICY_OP_LE, 15, 0, 64);
	expect_arg("getppid |CLONE_NEWUSER", 0, POLICY_OP_MASKED, 0x10000000, 0x10000000, 64);
	expect_arg("getppid S_IFMT|S_IFIFO", 0, POLICY_OP_MASKED, 0x1000, 0xf000, 64);
	expect_arg("getppid 0x10|020", 0, POLICY_OP_MASKED, 16, 16, 64);
	expect_arg("getppid 0", 0, POLICY_OP_EQ, 0, 0, 64);
	expect_arg("getppid 0x7fffFFFF", 0, POLICY_OP_EQ, 0x7fffffff, 0, 64);
	expect_arg("getppid 0777", 0, POLICY_OP_EQ, 0777, 0, 64);
	expect_arg("getppid 18446744073709551615", 0, POLICY_OP_EQ, UINT64_MAX, 0, 64);
	expect_arg("getppid 0xffffffffffffffff", 0, POLICY_OP_EQ, UINT64_MAX, 0, 64);
	expect_arg("getppid >=0", 0, POLICY_OP_GE, 0, 0, 64);
}

static void test_trailing_any_dropped(void **state)
{
	struct parsed p;

	(void)state;
	parse_ok(&p, "read - - -\nread 1 - -\nread - 1 -\nread - - - - - -\n~read - -\n");
	/* Line 4 is line 1 again once its '-' are dropped: counted, not stored. */
	assert_int_equal(p.pol.count, 4);
	assert_int_equal(p.pol.duplicates, 1);
	assert_int_equal(p.pol.rules[0].nargs, 0);
	assert_int_equal(p.pol.rules[1].nargs, 1);
	assert_int_equal(p.pol.rules[2].nargs, 2); /* a leading '-' stays */
	assert_int_equal(p.pol.rules[2].args[0].op, POLICY_OP_ANY);
	assert_int_equal(p.pol.rules[3].nargs, 0);
	assert_int_equal(p.pol.rules[3].line, 5);
	assert_true(p.pol.rules[3].deny);
	parsed_free(&p);
}

static void test_whitespace_and_comments(void **state)
{
	struct parsed p;

	(void)state;
	parse_ok(&p, "# whole line\n"
		     "   # indented\n"
		     "\t\t# tab-indented\n"
		     "\n"
		     "   \n"
		     "\t \t\n"
		     "read # trailing\n"
		     "write#no space\n"
		     "close 5#tight\n"
		     "  \topenat\t \t-  \t 7   \n"
		     "# @complain is a comment, not a directive\n"
		     "#\n"
		     "ioctl - 3 # a | b ! <= >= ~x @y \n");
	assert_int_equal(p.pol.mode, SF_MODE_ENFORCE);
	assert_int_equal(p.pol.count, 5);
	assert_string_equal(p.pol.rules[0].name, "read");
	assert_int_equal(p.pol.rules[0].line, 7);
	assert_string_equal(p.pol.rules[1].name, "write");
	assert_int_equal(p.pol.rules[1].nargs, 0);
	assert_string_equal(p.pol.rules[2].name, "close");
	assert_int_equal(p.pol.rules[2].nargs, 1);
	assert_int_equal(p.pol.rules[2].args[0].value, 5);
	assert_string_equal(p.pol.rules[3].name, "openat");
	assert_int_equal(p.pol.rules[3].col, 4);
	assert_int_equal(p.pol.rules[3].nargs, 2);
	assert_int_equal(p.pol.rules[3].args[1].value, 7);
	assert_int_equal(p.pol.rules[3].args[1].col, 18);
	assert_int_equal(p.pol.rules[4].line, 13);
	parsed_free(&p);
}

static void test_empty_inputs(void **state)
{
	static const char *const empties[] = { "",	  "\n",	  "\n\n\n",   "# only a comment",
					       "   \t  ", "\r\n", "#\r\n\r\n" };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(empties); i++) {
		struct parsed p;

		parse_ok(&p, empties[i]);
		assert_int_equal(p.pol.count, 0);
		assert_int_equal(p.pol.mode, SF_MODE_ENFORCE);
		assert_int_equal(p.d.count, 0);
		parsed_free(&p);
	}
}

static void test_crlf(void **state)
{
	struct parsed p;

	(void)state;
	parse_ok(&p, "read\r\nwrite 1\r\n\r\n# c\r\nclose\r\n@complain\r\nexit");
	assert_int_equal(p.pol.count, 4);
	assert_int_equal(p.pol.mode, SF_MODE_COMPLAIN);
	assert_int_equal(p.pol.rules[1].args[0].value, 1);
	assert_int_equal(p.pol.rules[2].line, 5);
	assert_string_equal(p.pol.rules[3].name, "exit");
	parsed_free(&p);
}

static void test_cr_alone_is_an_error(void **state)
{
	(void)state;
	expect_error("read\rwrite\n", 1, 5, "carriage return not followed by a line feed");
	expect_error("read\nwrite\r\r\n", 2, 6, "carriage return");
	expect_error("read 1\r2\n", 1, 7, "carriage return");
	/* Old Mac line ends: one long line. */
	expect_error("read\rwrite\rclose\r", 1, 5, "carriage return");
	/* A CR at the very end, with no line feed after it, is a CR alone too. */
	expect_error("read\r", 1, 5, "carriage return not followed by a line feed");
	expect_error("read\nwrite\r", 2, 6, "carriage return");
}

static void test_bad_bytes(void **state)
{
	(void)state;
	expect_error_n("read\0x\n", 7, 1, 5, "NUL byte in policy");
	expect_error_n("\0", 1, 1, 1, "NUL byte");
	expect_error_n("read\nwrite # a \0 in a comment\n", 30, 2, 11, "NUL byte");
	expect_error("read\x01\n", 1, 5, "control character 0x01");
	expect_error("read \x1b[2J\n", 1, 6, "control character 0x1b");
	expect_error("read\x7f\n", 1, 5, "control character 0x7f");
	expect_error("# \x0c form feed\n", 1, 3, "control character 0x0c");
	expect_error("read\v1\n", 1, 5, "control character 0x0b");
	expect_error("read \xff\n", 1, 6, "invalid UTF-8 byte 0xff");
	expect_error("read # \xc0\x80 overlong NUL\n", 1, 8, "invalid UTF-8 byte 0xc0");
	expect_error("# \xe0\x80\xaf overlong\n", 1, 3, "invalid UTF-8 byte 0xe0");
	expect_error("# \xed\xa0\x80 surrogate\n", 1, 3, "invalid UTF-8 byte 0xed");
	expect_error("# \xf4\x90\x80\x80 above U+10FFFF\n", 1, 3, "invalid UTF-8 byte 0xf4");
	expect_error("# \xf8\x88\x80\x80\x80 five bytes\n", 1, 3, "invalid UTF-8 byte 0xf8");
	expect_error("# \x80 lone continuation\n", 1, 3, "invalid UTF-8 byte 0x80");
	expect_error("# \xc3( bad continuation\n", 1, 3, "invalid UTF-8 byte 0xc3");
	expect_error("# \xe2\x82( bad third byte\n", 1, 3, "invalid UTF-8 byte 0xe2");
	expect_error("# \xf0\x9f\x99( bad fourth byte\n", 1, 3, "invalid UTF-8 byte 0xf0");
	expect_error("# ok \xc3\xa9 then \xc3\n", 1, 14, "invalid UTF-8 byte 0xc3");
	expect_error("# cut short \xe2\x82\n", 1, 13, "invalid UTF-8 byte 0xe2");
	expect_error("# cut at the end \xf0\x9f\x99", 1, 18, "invalid UTF-8");
	expect_error("# latin-1 caf\xe9\n", 1, 14, "invalid UTF-8 byte 0xe9");
}

static void test_valid_utf8_in_comments(void **state)
{
	struct parsed p;

	(void)state;
	parse_ok(&p, "# caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x99\x82 \xef\xbf\xbd \xf4\x8f\xbf\xbf\n"
		     "read # \xe2\x82\xac\n");
	assert_int_equal(p.pol.count, 1);
	parsed_free(&p);
	/* Outside a comment it is simply not a name. */
	expect_error("r\xc3\xa9\x61\x64\n", 1, 2, "invalid syscall name");
}

/* ---- directives ---- */

static enum sf_mode mode_of(const char *src)
{
	struct parsed p;
	enum sf_mode m;

	parse_ok(&p, src);
	m = p.pol.mode;
	parsed_free(&p);
	return m;
}

static void test_directives_anywhere(void **state)
{
	(void)state;
	assert_int_equal(mode_of("read\n"), SF_MODE_ENFORCE);
	assert_int_equal(mode_of("@complain\nread\n"), SF_MODE_COMPLAIN);
	assert_int_equal(mode_of("read\nwrite\n@complain"), SF_MODE_COMPLAIN);
	assert_int_equal(mode_of("read\n  \t@complain   # why\n"), SF_MODE_COMPLAIN);
	assert_int_equal(mode_of("@complain\n@complain\n@complain\n"), SF_MODE_COMPLAIN);
	assert_int_equal(mode_of("@unrestricted\n"), SF_MODE_UNRESTRICTED);
	/* @unrestricted wins, in either order. */
	assert_int_equal(mode_of("@complain\nread\n@unrestricted\n"), SF_MODE_UNRESTRICTED);
	assert_int_equal(mode_of("@unrestricted\nread\n@complain\n"), SF_MODE_UNRESTRICTED);
	assert_int_equal(mode_of("@complain\r\n"), SF_MODE_COMPLAIN);
	assert_int_equal(mode_of("@complain#tight comment\n"), SF_MODE_COMPLAIN);
}

static void test_directive_rules_still_parsed(void **state)
{
	struct parsed p;

	(void)state;
	/* The rest of an unrestricted file must still be valid. */
	expect_error("@unrestricted\nread !\n", 2, 6, "expected a value after '!'");
	parse_ok(&p, "read\n@unrestricted\nwrite\n");
	assert_int_equal(p.pol.count, 2);
	parsed_free(&p);
}

static void test_directive_near_misses(void **state)
{
	(void)state;
	expect_error("@complai\n", 1, 1, "unknown directive '@complai'; did you mean '@complain'?");
	expect_error("@COMPLAIN\n", 1, 1,
		     "unknown directive '@COMPLAIN'; did you mean '@complain'?");
	expect_error("@Complain\n", 1, 1, "did you mean '@complain'?");
	expect_error("read\n  @complains\n", 2, 3, "did you mean '@complain'?");
	expect_error("@unrestrict\n", 1, 1, "did you mean '@unrestricted'?");
	expect_error("@UNRESTRICTED\n", 1, 1, "did you mean '@unrestricted'?");
	expect_error("@enforce\n", 1, 1,
		     "unknown directive or syscall group '@enforce' (directives: @bind, "
		     "@complain, @include, @unrestricted; groups: sysfence-compile --list-groups)");
	expect_error("@bin /usr/bin/x\n", 1, 1, "did you mean '@bind'?");
	expect_error("@\n", 1, 1, "unknown directive or syscall group '@'");
	expect_error("@complain extra\n", 1, 11, "unexpected text after directive '@complain'");
	expect_error("@unrestricted\t1 2\n", 1, 15, "unexpected text after directive");
	expect_error("@complain @complain\n", 1, 11, "unexpected text after directive");
	/* A directive is not a syscall name, and a name is not a directive. */
	expect_error("read @complain\n", 1, 6, "invalid value '@complain'");
}

/* ---- @bind ---- */

static void test_bind(void **state)
{
	char src[BLOB_BINDING_MAX + 64], path[BLOB_BINDING_MAX + 1];
	struct parsed p;

	(void)state;
	/* Anywhere, repeatable, in the order written; the mode is untouched. */
	parse_ok(&p, "@bind /usr/lib/foo/helper\nread\n  @bind\t/usr/bin/x   # why\n@complain\n");
	assert_int_equal(p.pol.mode, SF_MODE_COMPLAIN);
	assert_int_equal(p.pol.count, 1);
	assert_int_equal(p.pol.nbindings, 2);
	assert_string_equal(p.pol.bindings[0].path, "/usr/lib/foo/helper");
	assert_int_equal(p.pol.bindings[0].line, 1);
	assert_int_equal(p.pol.bindings[0].col, 7);
	assert_string_equal(p.pol.bindings[1].path, "/usr/bin/x");
	assert_int_equal(p.pol.bindings[1].line, 3);
	assert_int_equal(p.pol.bindings[1].col, 9);
	parsed_free(&p);

	/* The same path twice: one binding and a warning at the second. */
	parse_ok(&p, "@bind /bin/a\n@bind /bin/a\n");
	assert_int_equal(p.pol.nbindings, 1);
	assert_int_equal(p.d.warnings, 1);
	assert_int_equal(p.d.items[0].line, 2);
	assert_int_equal(p.d.items[0].col, 7);
	assert_non_null(strstr(p.d.items[0].msg, "'/bin/a' is already bound (line 1)"));
	parsed_free(&p);

	expect_error("@bind\n", 1, 6, "@bind needs the absolute path of a program");
	expect_error("@bind   # only a comment\n", 1, 6, "@bind needs the absolute path");
	expect_error("@bind /a /b\n", 1, 10, "unexpected text after the path of @bind");
	expect_error("@bind bin/true\n", 1, 7, "'bin/true' cannot be bound: want an absolute path");
	expect_error("@bind /usr//bin\n", 1, 7, "cannot be bound");
	expect_error("@bind /usr/bin/\n", 1, 7, "cannot be bound");
	expect_error("@bind /usr/./bin\n", 1, 7, "cannot be bound");
	expect_error("@bind /usr/../bin\n", 1, 7, "cannot be bound");
	expect_error("read\n @bind /\n", 2, 8, "cannot be bound");

	/* The longest line holds a path of 4090 bytes (the blob takes 4095). */
	path[0] = '/';
	memset(path + 1, 'a', POLICY_MAX_LINE - 7);
	path[POLICY_MAX_LINE - 6] = '\0';
	snprintf(src, sizeof(src), "@bind %s\n", path);
	parse_ok(&p, src);
	assert_int_equal(strlen(p.pol.bindings[0].path), POLICY_MAX_LINE - 6);
	parsed_free(&p);

	/* At most BLOB_MAX_BINDINGS: the next one is an error on its line. */
	{
		char many[64 * (BLOB_MAX_BINDINGS + 1)];
		size_t n = 0;

		for (unsigned i = 0; i <= BLOB_MAX_BINDINGS; i++)
			n += (size_t)snprintf(many + n, sizeof(many) - n, "@bind /bin/p%u\n", i);
		expect_error(many, BLOB_MAX_BINDINGS + 1, 7, "too many bindings (at most 32");
	}
}

/* ---- names ---- */

static void test_bad_names(void **state)
{
	char name[POLICY_NAME_MAX + 8];
	struct parsed p;

	(void)state;
	expect_error("1read\n", 1, 1, "invalid syscall name '1read'");
	expect_error("re-ad\n", 1, 3, "invalid syscall name 're-ad'");
	expect_error("  read.v 1\n", 1, 7, "invalid syscall name 'read.v'");
	expect_error("~\n", 1, 1, "expected a syscall name after '~'");
	expect_error("~ read\n", 1, 1, "expected a syscall name after '~'");
	expect_error("~~read\n", 1, 2, "invalid syscall name '~read'");
	expect_error("!read\n", 1, 1, "invalid syscall name '!read'");
	expect_error("-\n", 1, 1, "invalid syscall name '-'");
	expect_error("u:root\n", 1, 2, "invalid syscall name 'u:root'");

	/* 63 bytes is the longest name (no syscall: counted, kept for its warning). */
	memset(name, 'a', sizeof(name));
	name[POLICY_NAME_MAX - 1] = '\0';
	parse_ok(&p, name);
	assert_int_equal(p.pol.nunknown, 1);
	assert_int_equal(strlen(p.pol.unknown[0].name), POLICY_NAME_MAX - 1);
	parsed_free(&p);
	name[POLICY_NAME_MAX - 1] = 'a';
	name[POLICY_NAME_MAX] = '\0';
	expect_error(name, 1, 1, "syscall name too long");
	name[0] = '~';
	name[POLICY_NAME_MAX] = 'a';
	name[POLICY_NAME_MAX + 1] = '\0';
	expect_error(name, 1, 2, "syscall name too long");
	/* Names no architecture knows are no error here (check.c warns). */
	parse_ok(&p, "no_such_call_at_all 1\n_x\nA9\n");
	assert_int_equal(p.pol.count, 0);
	assert_int_equal(p.pol.unknown_rules, 3);
	parsed_free(&p);
}

static void test_argument_count(void **state)
{
	(void)state;
	expect_error("read 1 2 3 4 5 6 7\n", 1, 18, "too many arguments for read (at most 6)");
	expect_error("~read - - - - - - -\n", 1, 19, "too many arguments for read");
	expect_error("read 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20\n", 1, 18,
		     "too many arguments");
	/* Seven '-' are still seven arguments, even if trailing '-' are dropped. */
	expect_error("read - - - - - - -\n", 1, 18, "too many arguments");
	/* A trailing comment is not an argument. */
	struct parsed p;

	parse_ok(&p, "read 1 2 3 4 5 6 # 7 8\n");
	assert_int_equal(p.pol.rules[0].nargs, 6);
	parsed_free(&p);
}

/* ---- malformed arguments ---- */

static void test_malformed_arguments(void **state)
{
	static const struct {
		const char *src;
		unsigned col;
		const char *msg;
	} cases[] = {
		{ "getppid >", 9, "expected a value after '>'" },
		{ "getppid >=", 9, "expected a value after '>='" },
		{ "getppid <", 9, "expected a value after '<'" },
		{ "getppid <=", 9, "expected a value after '<='" },
		{ "getppid !", 9, "expected a value after '!'" },
		{ "getppid |", 9, "expected a mask after '|'" },
		{ "getppid 5|", 10, "expected a value after '|'" },
		{ "getppid AF_UNIX|", 16, "expected a value after '|'" },
		{ "getppid |5|3", 10, "invalid number '5|3'" },
		{ "getppid !5|3", 11, "a masked comparison 'MASK|VALUE' takes no operator" },
		{ "getppid >5|3", 11, "takes no operator" },
		{ "getppid <=5|3", 12, "takes no operator" },
		{ "getppid 3|4", 9, "'3|4' can never match: value 0x4 has bits outside mask 0x3" },
		{ "getppid 0|1", 9, "can never match" },
		{ "getppid |u:nobody_here", 12, "unknown user 'nobody_here'" },
		{ "getppid 0x", 9, "invalid number '0x'" },
		{ "getppid 08", 9, "invalid number '08'" },
		{ "getppid 0x1g", 9, "invalid number '0x1g'" },
		{ "getppid 1.5", 9, "invalid number '1.5'" },
		{ "getppid 1e3", 9, "invalid number '1e3'" },
		{ "getppid 12abc", 9, "invalid number '12abc'" },
		{ "getppid 18446744073709551616", 9,
		  "number '18446744073709551616' does not fit in 64 bits" },
		{ "getppid 0x1ffffffffffffffff", 9, "does not fit in 64 bits" },
		{ "getppid >99999999999999999999", 10, "does not fit in 64 bits" },
		{ "getppid $", 9, "invalid value '$'" },
		{ "getppid '5'", 9, "invalid value ''5''" },
		{ "getppid =5", 9, "invalid value '=5'" },
		{ "getppid ==5", 9, "invalid value '==5'" },
		{ "getppid !!5", 10, "invalid value '!5'" },
		{ "getppid >>5", 10, "invalid value '>5'" },
		{ "getppid <>5", 10, "invalid value '>5'" },
		{ "getppid !>5", 10, "invalid value '>5'" },
		{ "getppid +5", 9, "invalid value '+5'" },
		{ "getppid ~5", 9, "invalid value '~5'" },
		{ "getppid FOO_BAR", 9, "unknown constant 'FOO_BAR'" },
		{ "getppid AF_UNX", 9, "unknown constant 'AF_UNX'; did you mean 'AF_UNIX'?" },
		{ "getppid af_unix", 9, "unknown constant 'af_unix'; did you mean 'AF_UNIX'?" },
		{ "getppid <=x", 11, "unknown constant 'x'" },
		{ "getppid AF-UNIX", 11, "unexpected character '-' in value" },
		{ "getppid AF_UNIX:", 16, "unexpected character ':' in value" },
		{ "getppid u:", 10, "unexpected character ':' in value" },
		{ "getppid g:", 10, "unexpected character ':' in value" },
		{ "getppid x:root", 10, "unexpected character ':'" },
		{ "getppid u:nosuch", 11, "unknown user 'nosuch'" },
		{ "getppid g:nosuch", 11, "unknown group 'nosuch'" },
		{ "getppid g:alice", 11, "unknown group 'alice'" },
		{ "getppid u:staff", 11, "unknown user 'staff'" },
		{ "getppid --1", 9, "invalid number '--1'" },
		{ "getppid -1", 9, "negative value for argument 0 of getppid" },
		{ "getppid !-1", 10, "negative value" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		expect_error(cases[i].src, 1, cases[i].col, cases[i].msg);
}

static void test_long_tokens_in_messages(void **state)
{
	char src[400];
	struct parsed p;

	(void)state;
	/* A token is shown at most 64 bytes long in a message. */
	strcpy(src, "getppid ");
	memset(src + 8, 'A', 300);
	src[308] = '\0';
	parse_n(&p, src, strlen(src));
	assert_int_equal(p.rc, -1);
	assert_int_equal(p.d.count, 1);
	assert_true(strlen(p.d.items[0].msg) < 150);
	parsed_free(&p);
	/* u: names longer than the resolver's buffer are refused, not cut. */
	strcpy(src, "getppid u:");
	memset(src + 10, 'a', 256);
	src[266] = '\0';
	expect_error(src, 1, 9, "user name too long");
	src[265] = '\0'; /* 255 bytes: looked up (and unknown) */
	expect_error(src, 1, 11, "unknown user");
}

/* ---- widths, negative numbers, ids ---- */

static void test_widths(void **state)
{
	(void)state;
	/* ioctl(unsigned int fd, unsigned int cmd, unsigned long arg) */
	expect_arg("ioctl - 0xffffffff", 1, POLICY_OP_EQ, 0xffffffff, 0, 32);
	expect_arg("ioctl - - 0xffffffffffffffff", 2, POLICY_OP_EQ, UINT64_MAX, 0, 64);
	expect_error(
		"ioctl - 0x100000000\n", 1, 9,
		"value '0x100000000' does not fit argument 1 of ioctl, which the kernel reads as 32 bits");
	expect_error("ioctl - !0x100005412\n", 1, 10, "does not fit argument 1 of ioctl");
	expect_error("ioctl - 0x100000000|0\n", 1, 9, "reads as 32 bits");
	expect_error("ioctl - |0x100000000\n", 1, 10, "reads as 32 bits");
	expect_error("ioctl 4294967296\n", 1, 7, "does not fit argument 0 of ioctl");
	/* mknod(const char *, umode_t mode, unsigned dev): mode is 16 bits. */
	expect_arg("mknod - 0xffff", 1, POLICY_OP_EQ, 0xffff, 0, 16);
	expect_arg("mknod - |S_IFIFO", 1, POLICY_OP_MASKED, 0x1000, 0x1000, 16);
	expect_error(
		"mknod - 0x10000\n", 1, 9,
		"value '0x10000' does not fit argument 1 of mknod, which the kernel reads as 16 bits");
	expect_error("mknod - CLONE_NEWUSER\n", 1, 9,
		     "constant 'CLONE_NEWUSER' (0x10000000) does not fit the 16-bit argument");
	expect_arg("mknod - - 0xffffffff", 2, POLICY_OP_EQ, 0xffffffff, 0, 32);
	/* kill(pid_t, int): both 32 bits, signed. */
	expect_arg("kill - SIGKILL", 1, POLICY_OP_EQ, 9, 0, 32);
	expect_arg("kill - !SIGKILL", 1, POLICY_OP_NE, 9, 0, 32);
	/* unshare(unsigned long flags): 64 bits. */
	expect_arg("unshare |CLONE_NEWUSER", 0, POLICY_OP_MASKED, 0x10000000, 0x10000000, 64);
	/* socket(int, int, int) */
	expect_arg("socket AF_UNIX SOCK_STREAM|SOCK_STREAM", 1, POLICY_OP_MASKED, 1, 1, 32);
	expect_arg("socket AF_INET", 0, POLICY_OP_EQ, 2, 0, 32);
}

static void test_negative_numbers(void **state)
{
	(void)state;
	/* uid_t: -1 is the 32-bit "unchanged" value. */
	expect_arg("setuid -1", 0, POLICY_OP_EQ, 0xffffffff, 0, 32);
	expect_arg("setresuid -1 u:alice -1", 0, POLICY_OP_EQ, 0xffffffff, 0, 32);
	expect_arg("setresuid -1 u:alice -1", 1, POLICY_OP_EQ, 1000, 0, 32);
	expect_arg("setresuid -1 u:alice -1", 2, POLICY_OP_EQ, 0xffffffff, 0, 32);
	expect_arg("chown - -1 -1", 1, POLICY_OP_EQ, 0xffffffff, 0, 32);
	expect_arg("fchown - - -1", 2, POLICY_OP_EQ, 0xffffffff, 0, 32);
	expect_arg("setuid !-1", 0, POLICY_OP_NE, 0xffffffff, 0, 32);
	expect_arg("setuid -0", 0, POLICY_OP_EQ, 0, 0, 32);
	expect_arg("setuid -0x10", 0, POLICY_OP_EQ, 0xfffffff0, 0, 32);
	expect_arg("setuid -010", 0, POLICY_OP_EQ, 0xfffffff8, 0, 32);
	expect_arg("setuid -2147483648", 0, POLICY_OP_EQ, 0x80000000, 0, 32);
	expect_error("setuid -2147483649\n", 1, 8,
		     "'-2147483649' does not fit the 32-bit argument");
	expect_error("setuid -4294967297\n", 1, 8, "does not fit the 32-bit argument");
	expect_error("setuid -99999999999999999999\n", 1, 8, "does not fit in 64 bits");
	expect_error("setuid -x\n", 1, 8, "invalid number '-x'");
	expect_error("setuid -SIGKILL\n", 1, 8, "invalid number '-SIGKILL'");
	/* int */
	expect_arg("kill -1 SIGKILL", 0, POLICY_OP_EQ, 0xffffffff, 0, 32);
	expect_arg("kill >-2", 0, POLICY_OP_GT, 0xfffffffe, 0, 32);
	expect_arg("setpriority - - -20", 2, POLICY_OP_EQ, 0xffffffec, 0, 32);
	expect_arg("socket -1|-1", 0, POLICY_OP_MASKED, 0xffffffff, 0xffffffff, 32);
	/* off_t / loff_t: 64 bits, signed. */
	expect_arg("lseek - -1", 1, POLICY_OP_EQ, UINT64_MAX, 0, 64);
	expect_arg("lseek - -9223372036854775808", 1, POLICY_OP_EQ, UINT64_C(1) << 63, 0, 64);
	expect_error("lseek - -9223372036854775809\n", 1, 9, "does not fit the 64-bit argument");
	/* Not signed, not an id: refused with the argument named. */
	expect_error("ioctl - -1\n", 1, 9,
		     "negative value for argument 1 of ioctl, which is not signed");
	expect_error("mknod - -1\n", 1, 9, "negative value for argument 1 of mknod");
	expect_error("lseek - - -1\n", 1, 11, "negative value for argument 2 of lseek");
	expect_error("read -1\n", 1, 6, "negative value for argument 0 of read");
}

static void test_user_and_group_ids(void **state)
{
	(void)state;
	fake_lookups = 0;
	expect_arg("setuid u:alice", 0, POLICY_OP_EQ, 1000, 0, 32);
	expect_arg("setgid g:staff", 0, POLICY_OP_EQ, 50, 0, 32);
	expect_arg("setuid u:root", 0, POLICY_OP_EQ, 0, 0, 32);
	expect_arg("setuid u:max", 0, POLICY_OP_EQ, 0xfffffffe, 0, 32);
	expect_arg("setuid >=u:big", 0, POLICY_OP_GE, 70000, 0, 32);
	expect_arg("setresgid g:wheel g:staff -1", 1, POLICY_OP_EQ, 50, 0, 32);
	assert_int_equal(fake_lookups, 7);
	/* An id that does not fit a 16-bit argument is refused. */
	expect_error("mknod - u:big\n", 1, 9, "id 70000 does not fit the 16-bit argument");
	expect_arg("mknod - u:alice", 1, POLICY_OP_EQ, 1000, 0, 16);
	/* Unknown names: the caret points at the name. */
	expect_error("setuid u:bob\n", 1, 10, "unknown user 'bob'");
	expect_error("setgid  g:nogroup\n", 1, 11, "unknown group 'nogroup'");
	expect_error("setuid 5|u:bob\n", 1, 12, "unknown user 'bob'");
}

static void test_missing_resolver_function(void **state)
{
	const struct policy_resolver none = { NULL, NULL, NULL };
	struct policy pol;
	struct diag_list d;

	(void)state;
	diag_init(&d, 0);
	assert_int_equal(policy_parse("setuid u:root\nsetgid g:root\n", 28, &none, &pol, &d), -1);
	assert_int_equal(d.errors, 2);
	assert_non_null(strstr(d.items[0].msg, "unknown user 'root'"));
	assert_non_null(strstr(d.items[1].msg, "unknown group 'root'"));
	policy_free(&pol);
	diag_free(&d);
}

static void test_nss_resolver(void **state)
{
	struct policy pol;
	struct diag_list d;
	static const char src[] = "setuid u:root\nsetgid g:root\n";

	(void)state;
	/* NULL means NSS; root is uid and gid 0 everywhere. */
	diag_init(&d, 0);
	assert_int_equal(policy_parse(src, strlen(src), NULL, &pol, &d), 0);
	assert_int_equal(pol.count, 2);
	assert_int_equal(pol.rules[0].args[0].value, 0);
	assert_int_equal(pol.rules[1].args[0].value, 0);
	policy_free(&pol);
	diag_free(&d);
	diag_init(&d, 0);
	assert_int_equal(policy_parse("setuid u:no-such-user-sf\n", 25, NULL, &pol, &d), -1);
	policy_free(&pol);
	diag_free(&d);
}

/* ---- every error, limits ---- */

static void test_every_error_reported(void **state)
{
	static const char src[] = "read\n"
				  "ioctl - >\n"
				  "good 1\n"
				  "1bad\n"
				  "@complai\n"
				  "write 1 2 3 4 5 6 7\n"
				  "kill - NOPE\n";
	struct parsed p;
	static const unsigned lines[] = { 2, 4, 5, 6, 7 };

	(void)state;
	parse_n(&p, src, strlen(src));
	assert_int_equal(p.rc, -1);
	assert_int_equal(p.d.errors, 5);
	assert_int_equal(p.d.count, 5);
	for (size_t i = 0; i < ARRAY_SIZE(lines); i++)
		assert_int_equal(p.d.items[i].line, lines[i]);
	parsed_free(&p);
}

static void test_errors_in_one_line_each_reported(void **state)
{
	struct parsed p;

	(void)state;
	/* Two bad arguments on one line: both reported. */
	parse_n(&p, "getppid > FOO\n", 14);
	assert_int_equal(p.d.errors, 2);
	assert_int_equal(p.d.items[0].col, 9);
	assert_int_equal(p.d.items[1].col, 11);
	parsed_free(&p);
}

static void test_error_limit(void **state)
{
	struct policy pol;
	struct diag_list d;
	char *src = malloc(60 * 10 + 1), *s = src;

	(void)state;
	assert_non_null(src);
	for (int i = 0; i < 60; i++)
		s += sprintf(s, "read !\n");
	diag_init(&d, DIAG_DEFAULT_LIMIT);
	assert_int_equal(policy_parse(src, (size_t)(s - src), &fake, &pol, &d), -1);
	assert_int_equal(d.errors, 60);
	assert_int_equal(d.count, DIAG_DEFAULT_LIMIT);
	assert_int_equal(d.dropped, 60 - DIAG_DEFAULT_LIMIT);
	assert_int_equal(d.items[DIAG_DEFAULT_LIMIT - 1].line, DIAG_DEFAULT_LIMIT);
	policy_free(&pol);
	diag_free(&d);
	free(src);
}

static char *line_of(size_t n, const char *start, const char *end)
{
	char *s = malloc(n + strlen(end) + 1);

	assert_non_null(s);
	memset(s, ' ', n);
	memcpy(s, start, strlen(start));
	strcpy(s + n, end);
	return s;
}

static void test_line_length_limit(void **state)
{
	struct parsed p;
	char *s;

	(void)state;
	/* 4096 bytes: fine, with LF or CRLF. */
	s = line_of(POLICY_MAX_LINE, "read", "\nwrite\n");
	parse_ok(&p, s);
	assert_int_equal(p.pol.count, 2);
	parsed_free(&p);
	free(s);
	s = line_of(POLICY_MAX_LINE, "read", "\r\n");
	parse_ok(&p, s);
	parsed_free(&p);
	free(s);
	/* 4097: an error at column 4097, never a silent cut. */
	s = line_of(POLICY_MAX_LINE + 1, "read", "\n");
	expect_error(s, 1, POLICY_MAX_LINE + 1, "line is 4097 bytes long; the limit is 4096");
	free(s);
	/* Even when the excess is a comment or blanks. */
	s = line_of(POLICY_MAX_LINE + 1, "#", "");
	expect_error(s, 1, 4097, "line is 4097 bytes long");
	free(s);
	/* 100 KB, and the lines after it are still checked. */
	s = line_of(100 * 1024, "read 1 ", "\nwrite !\n");
	parse_n(&p, s, strlen(s));
	assert_int_equal(p.d.errors, 2);
	assert_int_equal(p.d.items[0].line, 1);
	assert_non_null(strstr(p.d.items[0].msg, "102400 bytes long"));
	assert_int_equal(p.d.items[1].line, 2);
	assert_int_equal(p.d.items[1].col, 7);
	parsed_free(&p);
	free(s);
}

static void test_policy_size_limit(void **state)
{
	size_t n = POLICY_MAX_SIZE;
	char *src = malloc(n + 1);
	struct parsed p;

	(void)state;
	assert_non_null(src);
	/* 16 MiB of comment lines (and one rule) is accepted... */
	for (size_t i = 0; i < n; i += 64) {
		memset(src + i, '#', 63);
		src[i + 63] = '\n';
	}
	memcpy(src, "read\n", 5);
	parse_n(&p, src, n);
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.pol.count, 1);
	parsed_free(&p);
	/* ...one byte more is not. */
	src[n] = '\n';
	parse_n(&p, src, n + 1);
	assert_int_equal(p.rc, -1);
	assert_int_equal(p.d.count, 1);
	assert_int_equal(p.d.items[0].line, 0);
	assert_non_null(strstr(p.d.items[0].msg, "policy is larger than 16 MiB"));
	assert_int_equal(p.pol.count, 0);
	parsed_free(&p);
	free(src);
}

static void test_many_rules(void **state)
{
	size_t n = 100000;
	char *src = malloc(n * 16), *s = src;
	struct parsed p;

	(void)state;
	assert_non_null(src);
	for (size_t i = 0; i < n; i++)
		s += sprintf(s, "getppid %zu\n", i);
	parse_n(&p, src, (size_t)(s - src));
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.pol.count, n);
	assert_int_equal(p.pol.rules[n - 1].line, n);
	assert_int_equal(p.pol.rules[n - 1].args[0].value, n - 1);
	parsed_free(&p);
	free(src);
}

static void test_diags_appended_not_reset(void **state)
{
	struct policy pol;
	struct diag_list d;

	(void)state;
	/* A caller's earlier errors do not make a valid policy fail... */
	diag_init(&d, 0);
	diag_add(&d, DIAG_ERROR, 0, 0, "earlier");
	assert_int_equal(policy_parse("read\n", 5, &fake, &pol, &d), 0);
	assert_int_equal(d.count, 1);
	policy_free(&pol);
	/* ...and its own are added after them. */
	assert_int_equal(policy_parse("read !\n", 7, &fake, &pol, &d), -1);
	assert_int_equal(d.count, 2);
	policy_free(&pol);
	diag_free(&d);
}

/* ---- policy_arg_matches ---- */

static bool matches(const char *src, unsigned argno, uint64_t v)
{
	struct policy_arg a = one_arg(src, argno);

	return policy_arg_matches(&a, v);
}

static void test_arg_matches(void **state)
{
	(void)state;
	/* 64-bit argument */
	assert_true(matches("getppid - 1", 0, 12345));
	assert_true(matches("getppid 5", 0, 5));
	assert_false(matches("getppid 5", 0, 6));
	assert_false(matches("getppid 5", 0, UINT64_C(0x100000005)));
	assert_true(matches("getppid !5", 0, UINT64_C(0x100000005)));
	assert_false(matches("getppid !5", 0, 5));
	assert_true(matches("getppid >5", 0, 6));
	assert_false(matches("getppid >5", 0, 5));
	assert_true(matches("getppid >=5", 0, 5));
	assert_false(matches("getppid >=5", 0, 4));
	assert_true(matches("getppid <5", 0, 4));
	assert_false(matches("getppid <5", 0, 5));
	assert_true(matches("getppid <=5", 0, 5));
	assert_false(matches("getppid <=5", 0, 6));
	assert_false(matches("getppid <=5", 0, UINT64_MAX));
	assert_true(matches("getppid >0xfffffffffffffffe", 0, UINT64_MAX));
	assert_true(matches("getppid |6", 0, 7));
	assert_false(matches("getppid |6", 0, 5));
	assert_true(matches("getppid 6|2", 0, 3));
	assert_false(matches("getppid 6|2", 0, 6));
	assert_true(matches("getppid 0xff00000000|0x100000000", 0, UINT64_C(0x1ffffffff)));
	/* 32-bit argument: the upper half never counts (CVE-2019-7303). */
	assert_true(matches("ioctl - TIOCSTI", 1, UINT64_C(0x100005412)));
	assert_false(matches("ioctl - !TIOCSTI", 1, UINT64_C(0x100005412)));
	assert_false(matches("ioctl - !TIOCSTI", 1, UINT64_C(0xffffffff00005412)));
	assert_true(matches("ioctl - !TIOCSTI", 1, 0x5413));
	assert_false(matches("ioctl - >0x5400", 1, UINT64_C(0x100000000)));
	assert_true(matches("ioctl - <0x5400", 1, UINT64_C(0x100000000)));
	assert_true(matches("ioctl - <=0xffffffff", 1, UINT64_MAX));
	assert_true(matches("setuid -1", 0, UINT64_MAX));
	assert_true(matches("setuid -1", 0, 0xffffffff));
	assert_true(matches("kill - |8", 1, UINT64_C(0xf00000008)));
	/* 16-bit argument */
	assert_true(matches("mknod - |S_IFIFO", 1, UINT64_C(0xffff0000000011a4)));
	assert_true(matches("mknod - 0", 1, 0x10000));
	assert_false(matches("mknod - 0", 1, 0x10001));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_fields),
		cmocka_unit_test(test_every_argument_form),
		cmocka_unit_test(test_trailing_any_dropped),
		cmocka_unit_test(test_whitespace_and_comments),
		cmocka_unit_test(test_empty_inputs),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_cr_alone_is_an_error),
		cmocka_unit_test(test_bad_bytes),
		cmocka_unit_test(test_valid_utf8_in_comments),
		cmocka_unit_test(test_directives_anywhere),
		cmocka_unit_test(test_directive_rules_still_parsed),
		cmocka_unit_test(test_directive_near_misses),
		cmocka_unit_test(test_bad_names),
		cmocka_unit_test(test_argument_count),
		cmocka_unit_test(test_malformed_arguments),
		cmocka_unit_test(test_long_tokens_in_messages),
		cmocka_unit_test(test_widths),
		cmocka_unit_test(test_negative_numbers),
		cmocka_unit_test(test_user_and_group_ids),
		cmocka_unit_test(test_missing_resolver_function),
		cmocka_unit_test(test_nss_resolver),
		cmocka_unit_test(test_every_error_reported),
		cmocka_unit_test(test_errors_in_one_line_each_reported),
		cmocka_unit_test(test_error_limit),
		cmocka_unit_test(test_line_length_limit),
		cmocka_unit_test(test_policy_size_limit),
		cmocka_unit_test(test_many_rules),
		cmocka_unit_test(test_diags_appended_not_reset),
		cmocka_unit_test(test_arg_matches),
		cmocka_unit_test(test_bind),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
