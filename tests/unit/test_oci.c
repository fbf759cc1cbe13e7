// SPDX-License-Identifier: MIT
/*
 * Unit tests for --from-oci (src/tools/ocijson.c, src/tools/oci.c).
 *
 * 1. The mapping, case by case: small profiles and the policy lines they
 *    must give (comments aside), and every kind of bad input with the error
 *    it must give and no policy.
 * 2. Docker's default profile (tests/policies/oci/docker-default.json),
 *    imported and compiled, must decide every call as the profile means
 *    it.  The meaning is evaluated here, on its own, from the JSON and the
 *    semantics of moby (includes/excludes), runc and libseccomp — never
 *    through the importer — and compared with the compiled blob in the
 *    simulator on boundary probes of every syscall number, for several
 *    capability sets, kernels and architectures; and, for a sample of
 *    harmless calls, with what the real kernel does to a confined child.
 */
#include <errno.h>
#include <json-c/json.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "sysfence/compile/abi.h"
#include "sysfence/compile/argtypes.h"
#include "sysfence/compile/compile.h"
#include "sysfence/compile/constants.h"
#include "sysfence/compile/fileio.h"
#include "sysfence/compile/syscalls.h"
#include "sysfence/tools/oci.h"
#include "sysfence/util.h"

#define ALLOW SECCOMP_RET_ALLOW
#define ERRNO(e) (SECCOMP_RET_ERRNO | (e))

static uint32_t arch(const char *name)
{
	uint32_t a = syscalls_arch_from_name(name);

	assert_true(a);
	return a;
}

/* x86_64 + x86, caps none, kernel 6.1: the defaults of the cases. */
static struct oci_opts opts(void)
{
	struct oci_opts o = { .kernel = { 6, 1 } };

	o.arches[o.narches++] = arch("x86_64");
	o.arches[o.narches++] = arch("x86");
	return o;
}

static char *diag_text(const struct diag_list *d)
{
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);

	assert_non_null(f);
	diag_print(f, d, "t.json", NULL, 0);
	assert_int_equal(fclose(f), 0);
	return text;
}

/* The policy's rule and directive lines, comments and blank lines dropped. */
static char *rules_of(const char *text)
{
	char *out = calloc(1, strlen(text) + 1), *o = out;

	assert_non_null(out);
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		if (n && p[0] != '#') {
			memcpy(o, p, n);
			o += n;
			*o++ = '\n';
		}
		p += n + (nl != NULL);
	}
	return out;
}

/* Imports json with o; must succeed with exactly these rule lines. */
static void expect_rules_o(const char *json, const struct oci_opts *o, const char *want)
{
	struct oci_result r;
	struct diag_list d;
	char *rules;

	diag_init(&d, DIAG_DEFAULT_LIMIT);
	if (oci_import(json, strlen(json), o, &r, &d)) {
		char *t = diag_text(&d);

		fail_msg("import failed:\n%s\nfor %s", t, json);
	}
	rules = rules_of(r.text);
	if (strcmp(rules, want))
		fail_msg("rules:\n%s\nwanted:\n%s\nfrom %s", rules, want, json);
	free(rules);
	oci_result_free(&r);
	diag_free(&d);
}

static void expect_rules(const char *json, const char *want)
{
	struct oci_opts o = opts();

	expect_rules_o(json, &o, want);
}

/* Must fail, with no policy, and some diagnostic containing needle. */
static void expect_error_o(const char *json, size_t len, const struct oci_opts *o,
			   const char *needle)
{
	struct oci_result r;
	struct diag_list d;
	char *t;

	diag_init(&d, DIAG_DEFAULT_LIMIT);
	assert_int_equal(oci_import(json, len, o, &r, &d), -1);
	assert_null(r.text);
	assert_int_equal(r.len, 0);
	assert_true(d.errors > 0);
	t = diag_text(&d);
	if (!strstr(t, needle))
		fail_msg("diagnostics:\n%s\nlack '%s' for %s", t, needle, json);
	free(t);
	diag_free(&d);
}

static void expect_error(const char *json, const char *needle)
{
	struct oci_opts o = opts();

	expect_error_o(json, strlen(json), &o, needle);
}

/* A profile with default ERRNO, Docker's x86 and arm archMap, and these rules. */
#define ARCHMAP                                                                                    \
	"\"archMap\":[{\"architecture\":\"SCMP_ARCH_X86_64\",\"subArchitectures\":"                \
	"[\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"]},{\"architecture\":\"SCMP_ARCH_AARCH64\","          \
	"\"subArchitectures\":[\"SCMP_ARCH_ARM\"]}]"
#define PROFILE(rules) "{\"defaultAction\":\"SCMP_ACT_ERRNO\"," ARCHMAP ",\"syscalls\":[" rules "]}"
#define ALLOW_RULE(names, args)                                                                    \
	"{\"names\":[" names "],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[" args "]}"
#define ARG(i, op, v) "{\"index\":" #i ",\"value\":" #v ",\"op\":\"SCMP_CMP_" #op "\"}"

/* ---- the mapping ---- */

static void test_names_and_every_operator(void **state)
{
	(void)state;
	expect_rules(PROFILE(ALLOW_RULE("\"getpid\",\"read\"", "")), "getpid\nread\n");
	expect_rules(PROFILE("{\"name\":\"getpid\",\"action\":\"SCMP_ACT_ALLOW\"}"), "getpid\n");
	expect_rules(PROFILE(ALLOW_RULE("\"kill\"", ARG(1, NE, 9))), "kill - !9\n");
	expect_rules(PROFILE(ALLOW_RULE("\"kill\"", ARG(1, LT, 9))), "kill - <9\n");
	expect_rules(PROFILE(ALLOW_RULE("\"kill\"", ARG(1, LE, 9))), "kill - <=9\n");
	expect_rules(PROFILE(ALLOW_RULE("\"kill\"", ARG(1, EQ, 9))), "kill - 9\n");
	expect_rules(PROFILE(ALLOW_RULE("\"kill\"", ARG(1, GE, 9))), "kill - >=9\n");
	expect_rules(PROFILE(ALLOW_RULE("\"kill\"", ARG(1, GT, 9))), "kill - >9\n");
	/* (arg & value) == valueTwo */
	expect_rules(
		PROFILE(ALLOW_RULE("\"clone\"", "{\"index\":0,\"value\":2114060288,"
						"\"valueTwo\":0,\"op\":\"SCMP_CMP_MASKED_EQ\"}")),
		"clone 0x7e020000|0x0\n");
	/* libseccomp masks valueTwo with value (db.c _db_node_mask_fixup). */
	expect_rules(PROFILE(ALLOW_RULE("\"clone\"", "{\"index\":0,\"value\":255,\"valueTwo\":257,"
						     "\"op\":\"SCMP_CMP_MASKED_EQ\"}")),
		     "clone 0xff|0x1\n");
	/* Several args: AND, in argument order; several rules: OR. */
	expect_rules(
		PROFILE(ALLOW_RULE("\"socket\"", ARG(2, EQ, 0) "," ARG(0, EQ, 1)) "," ALLOW_RULE(
			"\"socket\"", ARG(0, EQ, 10))),
		"socket 1 - 0\nsocket 10\n");
	/* 64-bit values on a 64-bit argument of a 64-bit-only import. */
	{
		struct oci_opts o = { .kernel = { 6, 1 } };

		o.arches[o.narches++] = arch("x86_64");
		expect_rules_o(PROFILE(ALLOW_RULE("\"mmap\"", ARG(1, GE, 18446744073709551615))),
			       &o, "mmap - >=18446744073709551615\n");
	}
}

static void test_actions(void **state)
{
	(void)state;
	/* ERRNO(EACCES): an explicit denial. */
	expect_rules(
		PROFILE("{\"names\":[\"ptrace\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13}"),
		"~ptrace\n");
	expect_rules(PROFILE("{\"names\":[\"ptrace\"],\"action\":\"SCMP_ACT_ERRNO\",\"errno\":"
			     "\"EACCES\"}"),
		     "~ptrace\n");
	/* The default action's own rules add nothing (runc skips them). */
	expect_rules(PROFILE("{\"names\":[\"ptrace\"],\"action\":\"SCMP_ACT_ERRNO\"}"), "");
	expect_rules(
		PROFILE("{\"names\":[\"ptrace\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":1}"),
		"");
	expect_rules("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":1," ARCHMAP
		     ",\"syscalls\":"
		     "[{\"names\":[\"ptrace\"],\"action\":\"SCMP_ACT_ERRNO\"}]}",
		     "");
	/* ERRNO(ENOSYS) on clone3: what sysfence answers anyway. */
	expect_rules(
		PROFILE("{\"names\":[\"clone3\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38}"),
		"");
	/* defaultAction LOG: complain mode; LOG rules are the default then. */
	expect_rules(
		"{\"defaultAction\":\"SCMP_ACT_LOG\"," ARCHMAP ",\"syscalls\":[" ALLOW_RULE(
			"\"read\"", "") ",{\"names\":[\"write\"],\"action\":\"SCMP_ACT_LOG\"},"
					"{\"names\":[\"ptrace\"],\"action\":\"SCMP_ACT_ERRNO\","
					"\"errnoRet\":13}]}",
		"@complain\nread\n~ptrace\n");
	/* Rules of different actions are fine when no call matches both. */
	expect_rules(
		PROFILE(ALLOW_RULE("\"socket\"",
				   ARG(0, EQ, 1)) ",{\"names\":[\"socket\"],"
						  "\"action\":\"SCMP_ACT_ERRNO\","
						  "\"errnoRet\":13,\"args\":[" ARG(0, GT, 1) "]}"),
		"socket 1\n~socket >1\n");
	expect_rules(
		PROFILE(ALLOW_RULE(
			"\"clone\"",
			"{\"index\":0,\"value\":255,\"valueTwo\":1,"
			"\"op\":\"SCMP_CMP_MASKED_EQ\"}") ","
							  "{\"names\":[\"clone\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13,"
							  "\"args\":[{\"index\":0,\"value\":15,\"valueTwo\":2,"
							  "\"op\":\"SCMP_CMP_MASKED_EQ\"}]}"),
		"clone 0xff|0x1\n~clone 0xf|0x2\n");
}

static void test_includes_excludes(void **state)
{
	struct oci_opts o = opts();
	const char *caps =
		PROFILE("{\"names\":[\"mount\"],\"action\":\"SCMP_ACT_ALLOW\","
			"\"includes\":{\"caps\":[\"CAP_SYS_ADMIN\",\"CAP_SYS_CHROOT\"]}},"
			"{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\","
			"\"excludes\":{\"caps\":[\"CAP_SYS_ADMIN\",\"CAP_NET_RAW\"]}}");
	const char *kernel = PROFILE("{\"names\":[\"ptrace\"],\"action\":\"SCMP_ACT_ALLOW\","
				     "\"includes\":{\"minKernel\":\"4.8\"}},"
				     "{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\","
				     "\"excludes\":{\"minKernel\":\"5.10\"}}");
	const char *arches =
		PROFILE("{\"names\":[\"arch_prctl\"],\"action\":\"SCMP_ACT_ALLOW\","
			"\"includes\":{\"arches\":[\"amd64\",\"x32\"]}},"
			"{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\","
			"\"includes\":{\"arches\":[\"x86\"]}},"
			"{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
			"\"excludes\":{\"arches\":[\"s390x\",\"SCMP_ARCH_AARCH64\"]}}");

	(void)state;
	/* includes.caps: all of them; excludes.caps: any of them. */
	expect_rules_o(caps, &o, "getpid\n");
	assert_int_equal(oci_parse_caps("sys_admin", &o.caps, NULL, 0), 0);
	expect_rules_o(caps, &o, "");
	assert_int_equal(oci_parse_caps("CAP_SYS_CHROOT", &o.caps, NULL, 0), 0);
	expect_rules_o(caps, &o, "mount\n");
	o.caps = 0;
	assert_int_equal(oci_parse_caps("NET_RAW", &o.caps, NULL, 0), 0);
	expect_rules_o(caps, &o, "");
	/* minKernel: includes at least, excludes at least. */
	o = opts();
	o.kernel[0] = 4;
	o.kernel[1] = 7;
	expect_rules_o(kernel, &o, "getpid\n");
	o.kernel[1] = 8;
	expect_rules_o(kernel, &o, "ptrace\ngetpid\n");
	o.kernel[0] = 5;
	o.kernel[1] = 10;
	expect_rules_o(kernel, &o, "ptrace\n");
	/* arches: moby filters on the host (x86_64), x86 shares its rules. */
	o = opts();
	expect_rules_o(arches, &o, "arch_prctl\nread\n");
	o.narches = 0;
	o.arches[o.narches++] = arch("x86");
	expect_rules_o(arches, &o, "getpid\nread\n");
	o.narches = 0;
	o.arches[o.narches++] = arch("aarch64");
	o.arches[o.narches++] = arch("arm");
	expect_rules_o(arches, &o, "");
}

static void test_shapes(void **state)
{
	struct oci_opts o = opts();

	(void)state;
	/* A runtime config.json: its linux.seccomp. */
	expect_rules("{\"ociVersion\":\"1.0.2\",\"process\":{},\"linux\":{\"seccomp\":" PROFILE(
			     ALLOW_RULE("\"getpid\"", "")) "}}",
		     "getpid\n");
	/* null and empty members, as Go decodes them. */
	expect_rules(PROFILE("{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":null,"
			     "\"includes\":{},\"excludes\":null,\"comment\":\"\"}"),
		     "getpid\n");
	o.narches = 1;
	expect_rules_o("{\"defaultAction\":\"SCMP_ACT_ERRNO\"}", &o, "");
	/* A name no table knows stays a comment (runc skips it); --strict refuses it. */
	expect_rules(PROFILE(ALLOW_RULE("\"getpid\",\"no_such_call\"", "")), "getpid\n");
	o.strict = true;
	expect_error_o(PROFILE(ALLOW_RULE("\"getpid\",\"no_such_call\"", "")),
		       strlen(PROFILE(ALLOW_RULE("\"getpid\",\"no_such_call\"", ""))), &o,
		       "'no_such_call' is not a system call this compiler knows");
	/* Without --arch the compat architecture is kept only when listed. */
	if (syscalls_native_arch() == arch("x86_64")) {
		struct oci_result r;
		struct diag_list d;
		const char *only64 = "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":"
				     "[\"SCMP_ARCH_X86_64\"],\"syscalls\":[]}";

		o = opts();
		o.narches = 0;
		diag_init(&d, 10);
		assert_int_equal(oci_import(only64, strlen(only64), &o, &r, &d), 0);
		assert_int_equal(r.narches, 1);
		assert_int_equal(r.arches[0], arch("x86_64"));
		assert_non_null(strstr(r.text, "compile with: --arch x86_64\n"));
		oci_result_free(&r);
		diag_free(&d);
	}
}

/* A comment cannot smuggle a line into the policy. */
static void test_comment_is_inert(void **state)
{
	struct oci_opts o = opts();
	struct oci_result r;
	struct diag_list d;
	const char *json = PROFILE("{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\","
				   "\"comment\":\"x\\n@unrestricted\\u0000\\u001b[31m\"}");

	(void)state;
	diag_init(&d, 10);
	assert_int_equal(oci_import(json, strlen(json), &o, &r, &d), 0);
	assert_non_null(strstr(r.text, "#   comment: x?@unrestricted??[31m\n"));
	assert_null(strstr(r.text, "\n@unrestricted"));
	oci_result_free(&r);
	diag_free(&d);
}

/* ---- bad input: a clear error and no policy ---- */

static void test_malformed_json(void **state)
{
	static const struct {
		const char *json, *needle;
	} cases[] = {
		{ "", "the file is empty" },
		{ "  \n", "the file is empty" },
		{ "{", "t.json:1:2: error: the JSON text ends early (truncated?)" },
		{ "{\"defaultAction\": }", "t.json:1:19: error: invalid JSON" },
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\",}", "invalid JSON: unexpected character" },
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\"} {}", "t.json:1:36: error: invalid JSON" },
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\"}\n#", "t.json:2:1: error: invalid JSON" },
		{ "[]", "expected a JSON object" },
		{ "\"x\"", "expected a JSON object" },
		{ "{\"defaultAction\":\"SCMP_\xff\"}", "invalid JSON: invalid utf-8" },
		{ "{\"ociVersion\":\"1.0\",\"linux\":{}}", "without a linux.seccomp object" },
		{ "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
		  "nested deeper than 32 levels" },
	};
	struct oci_opts o = opts();

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		expect_error_o(cases[i].json, strlen(cases[i].json), &o, cases[i].needle);
	/* A NUL byte inside the text, and after the document. */
	expect_error_o("{\"a\":\"x\0y\"}", 11, &o, "t.json:1:8: error: invalid JSON: a NUL byte");
	expect_error_o("{\"defaultAction\":\"SCMP_ACT_ERRNO\"}\0", 35, &o, "a NUL byte");
}

static char *read_data(const char *name, size_t *len)
{
	const char *root = getenv("SF_ROOT");
	char path[4096];
	char *buf;

	snprintf(path, sizeof(path), "%s/tests/policies/oci/%s", root ? root : ".", name);
	if (file_read_all(path, OCI_MAX_SIZE, &buf, len))
		fail_msg("cannot read %s", path);
	return buf;
}

/* Docker's profile cut anywhere must fail, never half-import. */
static void test_truncated_profile(void **state)
{
	struct oci_opts o = opts();
	size_t len, tried = 0;
	char *buf = read_data("docker-default.json", &len);

	(void)state;
	for (size_t cut = 0; cut + 1 < len; cut += 97, tried++) {
		struct oci_result r;
		struct diag_list d;

		diag_init(&d, DIAG_DEFAULT_LIMIT);
		assert_int_equal(oci_import(buf, cut, &o, &r, &d), -1);
		assert_null(r.text);
		assert_true(d.errors > 0);
		diag_free(&d);
	}
	/* The last closing brace missing: "ends early". */
	expect_error_o(buf, len - 2, &o, "the JSON text ends early (truncated?)");
	assert_true(tried > 100);
	free(buf);
}

static void test_wrong_types(void **state)
{
	static const struct {
		const char *json, *needle;
	} cases[] = {
		{ "{\"defaultAction\":1}", "defaultAction: expected a string, got a number" },
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":{}}",
		  "syscalls: expected an array of rules, got an object" },
		{ PROFILE("[]"), "syscalls[0]: expected an object, got an array" },
		{ PROFILE("{\"names\":\"getpid\",\"action\":\"SCMP_ACT_ALLOW\"}"),
		  "syscalls[0].names: expected an array of system call names, got a string" },
		{ PROFILE("{\"names\":[1],\"action\":\"SCMP_ACT_ALLOW\"}"),
		  "syscalls[0].names[0]: expected a string, got a number" },
		{ PROFILE("{\"names\":[\"getpid\"],\"action\":true}"),
		  "syscalls[0].action: expected a string, got a boolean" },
		{ PROFILE("{\"names\":[\"kill\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":{}}"),
		  "syscalls[0].args: expected an array of argument conditions, got an object" },
		{ PROFILE(ALLOW_RULE("\"kill\"",
				     "{\"index\":\"1\",\"value\":1,\"op\":\"SCMP_CMP_EQ\"}")),
		  "syscalls[0].args[0].index: expected an argument index (0 to 5), got a string" },
		{ PROFILE(ALLOW_RULE("\"kill\"",
				     "{\"index\":1,\"value\":\"9\",\"op\":\"SCMP_CMP_EQ\"}")),
		  "syscalls[0].args[0].value: expected an unsigned integer, got a string" },
		{ PROFILE(ALLOW_RULE("\"kill\"", ARG(1, EQ, 9.0))),
		  "syscalls[0].args[0].value: expected an unsigned integer, got a number with a "
		  "fraction" },
		{ PROFILE(ALLOW_RULE("\"kill\"", ARG(1, EQ, 1e3))),
		  "got a number with a fraction" },
		{ PROFILE(ALLOW_RULE("\"kill\"", ARG(1, EQ, -1))),
		  "syscalls[0].args[0].value: -1 is negative" },
		{ PROFILE(ALLOW_RULE("\"kill\"", "{\"index\":1,\"op\":\"SCMP_CMP_EQ\"}")),
		  "syscalls[0].args[0]: 'index', 'value' and 'op' are required" },
		{ PROFILE("{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":[]}"),
		  "syscalls[0].includes: expected an object, got an array" },
		{ PROFILE("{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"caps\":"
			  "\"CAP_SYS_ADMIN\"}}"),
		  "syscalls[0].includes.caps: expected an array of capability names" },
		{ PROFILE("{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{"
			  "\"minKernel\":4.8}}"),
		  "syscalls[0].includes.minKernel: expected a string" },
		{ PROFILE("{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{"
			  "\"minKernel\":\"4\"}}"),
		  "'4' is not a kernel version" },
		{ PROFILE("{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\",\"excludes\":{"
			  "\"minKernel\":\"4.8.1\"}}"),
		  "'4.8.1' is not a kernel version" },
		{ PROFILE("{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\",\"comment\":3}"),
		  "syscalls[0].comment: expected a string" },
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"archMap\":[{\"architecture\":5}]}",
		  "archMap[0].architecture: expected a string" },
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"flags\":\"SECCOMP_FILTER_FLAG_LOG\"}",
		  "flags: expected an array of flag names" },
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":-1}", "is negative" },
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":70000}",
		  "defaultErrnoRet: 70000 is out of range (at most 4095)" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		expect_error(cases[i].json, cases[i].needle);
}

static void test_unknown_names(void **state)
{
	static const struct {
		const char *json, *needle;
	} cases[] = {
		{ "{\"defaultAction\":\"SCMP_ACT_EROR\"}",
		  "defaultAction: unknown action 'SCMP_ACT_EROR'; did you mean 'SCMP_ACT_ERRNO'?" },
		{ PROFILE("{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALOW\"}"),
		  "syscalls[0].action: unknown action 'SCMP_ACT_ALOW'; did you mean "
		  "'SCMP_ACT_ALLOW'?" },
		{ PROFILE(ALLOW_RULE("\"kill\"", ARG(1, EQQ, 9))),
		  "syscalls[0].args[0].op: unknown operator 'SCMP_CMP_EQQ'; did you mean "
		  "'SCMP_CMP_EQ'?" },
		{ PROFILE(ALLOW_RULE("\"kill\"", ARG(1, MASKED, 9))), "unknown operator" },
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_65\"]}",
		  "architectures[0]: unknown architecture 'SCMP_ARCH_X86_65'; did you mean "
		  "'SCMP_ARCH_X86_64'?" },
		{ PROFILE("{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{"
			  "\"arches\":[\"amd65\"]}}"),
		  "syscalls[0].includes.arches[0]: unknown architecture 'amd65'; did you mean "
		  "'amd64'?" },
		{ PROFILE("{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{"
			  "\"caps\":[\"CAP_SYS_ADMN\"]}}"),
		  "syscalls[0].includes.caps[0]: unknown capability 'CAP_SYS_ADMN'" },
		{ PROFILE("{\"namez\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\"}"),
		  "syscalls[0]: unknown field 'namez'; did you mean 'names'?" },
		{ PROFILE("{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\",\"exclude\":{}}"),
		  "unknown field 'exclude'; did you mean 'excludes'?" },
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRett\":1}",
		  "the profile: unknown field 'defaultErrnoRett'; did you mean 'defaultErrnoRet'?" },
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"flags\":[\"SECCOMP_FILTER_FLAG_LOGG\"]}",
		  "flags[0]: unknown flag 'SECCOMP_FILTER_FLAG_LOGG'" },
		{ PROFILE("{\"names\":[\"ptrace\"],\"action\":\"SCMP_ACT_ERRNO\",\"errno\":\"EFOO\"}"),
		  "errno: unknown errno 'EFOO'" },
		/* Names become policy text: nothing but a syscall name may pass. */
		{ PROFILE(ALLOW_RULE("\"getpid\\n@unrestricted\"", "")),
		  "syscalls[0].names[0]: 'getpid?@unrestricted' is not a system call name" },
		{ PROFILE(ALLOW_RULE("\"\"", "")), "'' is not a system call name" },
		{ PROFILE(ALLOW_RULE("\"~getpid\"", "")), "'~getpid' is not a system call name" },
		{ PROFILE(ALLOW_RULE("\"get pid\"", "")), "'get pid' is not a system call name" },
		{ PROFILE("{\"names\":[],\"action\":\"SCMP_ACT_ALLOW\"}"),
		  "syscalls[0]: no system call names" },
		{ PROFILE("{\"action\":\"SCMP_ACT_ALLOW\"}"), "syscalls[0]: no system call names" },
		{ PROFILE("{\"names\":[\"getpid\"]}"), "syscalls[0]: 'action' is required" },
		{ "{\"syscalls\":[]}", "'defaultAction' is required" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		expect_error(cases[i].json, cases[i].needle);
}

static void test_values_out_of_range(void **state)
{
	static const struct {
		const char *json, *needle;
	} cases[] = {
		{ PROFILE(ALLOW_RULE("\"kill\"", ARG(6, EQ, 1))),
		  "syscalls[0].args[0].index: 6 is not an argument index (0 to 5)" },
		{ PROFILE(ALLOW_RULE("\"kill\"", ARG(-1, EQ, 1))),
		  "syscalls[0].args[0].index: -1 is not an argument index" },
		{ PROFILE(ALLOW_RULE("\"kill\"", ARG(1, EQ, 18446744073709551616))),
		  "error: integer does not fit in 64 bits" },
		{ PROFILE(ALLOW_RULE("\"kill\"", ARG(1, EQ, 99999999999999999999999))),
		  "integer does not fit in 64 bits" },
		/* kill's sig is an int: the kernel reads 32 bits. */
		{ PROFILE(ALLOW_RULE("\"kill\"", ARG(1, EQ, 4294967296))),
		  "syscalls[0] (kill): args[0]: value 0x100000000 does not fit argument 1 of kill, "
		  "which the kernel reads as 32 bits" },
		{ PROFILE(ALLOW_RULE("\"kill\"",
				     "{\"index\":1,\"value\":18446744073709551615,"
				     "\"valueTwo\":4294967296,\"op\":\"SCMP_CMP_MASKED_EQ\"}")),
		  "value 0x100000000 does not fit argument 1 of kill" },
		/* A 64-bit value on a 32-bit target: libseccomp keeps its low word. */
		{ PROFILE(ALLOW_RULE("\"mmap\"", ARG(1, GE, 4294967296))),
		  "syscalls[0] (mmap): args[0]: value 0x100000000 is wider than the 32-bit "
		  "registers of a 32-bit target" },
		{ PROFILE("{\"names\":[\"ptrace\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":4096}"),
		  "syscalls[0].errnoRet: 4096 is out of range (at most 4095)" },
	};

	const char *big = PROFILE(ALLOW_RULE("\"kill\"", ARG(1, EQ, 18446744073709551616)));
	char at[64];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		expect_error(cases[i].json, cases[i].needle);
	/* The integer json-c would have clamped, pointed at. */
	snprintf(at, sizeof(at), "t.json:1:%d: error: integer does not fit",
		 (int)(strstr(big, "1844") - big) + 1);
	expect_error(big, at);
}

static void test_inexpressible(void **state)
{
	static const struct {
		const char *json, *needle;
	} cases[] = {
		{ PROFILE("{\"names\":[\"kill\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":22}"),
		  "syscalls[0] (kill): SCMP_ACT_ERRNO with errno 22 (EINVAL) cannot be expressed" },
		{ PROFILE("{\"names\":[\"kill\"],\"action\":\"SCMP_ACT_ERRNO\",\"errno\":\"EINVAL\"}"),
		  "errno 22 (EINVAL) cannot be expressed" },
		{ PROFILE("{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38}"),
		  "syscalls[0] (getpid): SCMP_ACT_ERRNO with errno 38 (ENOSYS) cannot be expressed" },
		{ PROFILE("{\"names\":[\"clone3\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38,"
			  "\"args\":[" ARG(1, GT, 0) "]}"),
		  "(ENOSYS) cannot be expressed" },
		{ PROFILE("{\"names\":[\"kill\"],\"action\":\"SCMP_ACT_KILL\"}"),
		  "syscalls[0] (kill): SCMP_ACT_KILL cannot be expressed" },
		{ PROFILE("{\"names\":[\"kill\"],\"action\":\"SCMP_ACT_KILL_PROCESS\"}"),
		  "SCMP_ACT_KILL_PROCESS cannot be expressed" },
		{ PROFILE("{\"names\":[\"kill\"],\"action\":\"SCMP_ACT_TRAP\"}"),
		  "SCMP_ACT_TRAP cannot be expressed" },
		{ PROFILE("{\"names\":[\"kill\"],\"action\":\"SCMP_ACT_TRACE\",\"errnoRet\":1}"),
		  "SCMP_ACT_TRACE cannot be expressed" },
		{ PROFILE("{\"names\":[\"kill\"],\"action\":\"SCMP_ACT_NOTIFY\"}"),
		  "SCMP_ACT_NOTIFY cannot be expressed" },
		{ PROFILE("{\"names\":[\"kill\"],\"action\":\"SCMP_ACT_LOG\"}"),
		  "syscalls[0] (kill): SCMP_ACT_LOG (allow and log) cannot be expressed per rule" },
		{ "{\"defaultAction\":\"SCMP_ACT_LOG\"," ARCHMAP
		  ",\"syscalls\":[{\"names\":[\"kill\"],"
		  "\"action\":\"SCMP_ACT_ERRNO\"}]}",
		  "errno 1 (EPERM) cannot be expressed when the default action is SCMP_ACT_LOG" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\"}",
		  "defaultAction SCMP_ACT_ALLOW cannot be expressed" },
		{ "{\"defaultAction\":\"SCMP_ACT_KILL_PROCESS\"}",
		  "defaultAction SCMP_ACT_KILL_PROCESS cannot be expressed" },
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38}",
		  "defaultAction SCMP_ACT_ERRNO with defaultErrnoRet 38 (ENOSYS) cannot be "
		  "expressed" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"defaultErrnoRet\":1}",
		  "defaultErrnoRet is only for SCMP_ACT_ERRNO" },
		{ PROFILE("{\"names\":[\"kill\"],\"action\":\"SCMP_ACT_ALLOW\",\"errnoRet\":1}"),
		  "syscalls[0]: an errno is only for SCMP_ACT_ERRNO" },
		{ PROFILE("{\"names\":[\"kill\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13,"
			  "\"errno\":\"EPERM\"}"),
		  "syscalls[0].errnoRet (13) and errno (1) disagree" },
		/* An allow and a denial that may match one call. */
		{ PROFILE(ALLOW_RULE("\"socket\"",
				     "") ",{\"names\":[\"socket\"],\"action\":"
					 "\"SCMP_ACT_ERRNO\",\"errnoRet\":13,\"args\":[" ARG(
						 0, EQ, 16) "]}"),
		  "syscalls[1] (socket): socket: SCMP_ACT_ERRNO (EACCES) here and SCMP_ACT_ALLOW in "
		  "syscalls[0] may both match one call" },
		{ PROFILE(ALLOW_RULE("\"socket\"",
				     ARG(0, LT, 20)) ",{\"names\":[\"socket\"],\"action\":"
						     "\"SCMP_ACT_ERRNO\",\"errnoRet\":13,"
						     "\"args\":[" ARG(0, GE, 19) "]}"),
		  "may both match one call" },
		{ PROFILE(ALLOW_RULE("\"clone3\"", "") ",{\"names\":[\"clone3\"],\"action\":"
						       "\"SCMP_ACT_ERRNO\",\"errnoRet\":38}"),
		  "clone3: SCMP_ACT_ERRNO (ENOSYS) here and SCMP_ACT_ALLOW in syscalls[0]" },
		/* One argument compared twice: runtimes disagree on what it means. */
		{ PROFILE(ALLOW_RULE("\"kill\"", ARG(1, GE, 1) "," ARG(1, LE, 9))),
		  "syscalls[0].args[1]: argument 1 is compared twice in one rule" },
		{ PROFILE("{\"name\":\"kill\",\"names\":[\"kill\"],\"action\":\"SCMP_ACT_ALLOW\"}"),
		  "both 'name' and 'names' are given" },
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\"],"
		  "\"archMap\":[{\"architecture\":\"SCMP_ARCH_X86_64\"}]}",
		  "both 'architectures' and 'archMap' are given" },
		/* A target the profile does not list: the container kills its calls. */
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\"]}",
		  "x86 is not an architecture of the profile for x86_64: the container would kill "
		  "every call of it" },
		/* Without any list, libseccomp filters the native architecture only. */
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\"}",
		  "x86 is not an architecture of the profile" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		expect_error(cases[i].json, cases[i].needle);
}

/* A rule that applies on one target's host and not another's. */
static void test_per_arch_rule(void **state)
{
	struct oci_opts o = { .kernel = { 6, 1 } };
	const char *json = PROFILE("{\"names\":[\"arch_prctl\"],\"action\":\"SCMP_ACT_ALLOW\","
				   "\"includes\":{\"arches\":[\"amd64\"]}}");

	(void)state;
	o.arches[o.narches++] = arch("x86_64");
	o.arches[o.narches++] = arch("aarch64");
	expect_error_o(json, strlen(json), &o,
		       "syscalls[0] (arch_prctl): applies to x86_64 but not to aarch64: a sysfence "
		       "policy has no per-architecture rules");
}

/* Podman's default: ENOSYS for what no rule allows, and one EINVAL rule. */
static void test_podman_profile_refused(void **state)
{
	struct oci_opts o = opts();
	size_t len;
	char *buf = read_data("podman-default.json", &len);
	struct oci_result r;
	struct diag_list d;
	char *t;

	(void)state;
	diag_init(&d, DIAG_DEFAULT_LIMIT);
	assert_int_equal(oci_import(buf, len, &o, &r, &d), -1);
	assert_null(r.text);
	assert_int_equal(d.errors, 2);
	t = diag_text(&d);
	assert_non_null(strstr(t, "defaultAction SCMP_ACT_ERRNO with defaultErrnoRet 38 (ENOSYS) "
				  "cannot be expressed"));
	assert_non_null(strstr(t, "syscalls[31] (socket): SCMP_ACT_ERRNO with errno 22 (EINVAL) "
				  "cannot be expressed"));
	free(t);
	diag_free(&d);
	free(buf);
}

static void test_caps_and_kernel_options(void **state)
{
	uint64_t caps = 0;
	unsigned k[2];
	char why[128];

	(void)state;
	assert_int_equal(
		oci_parse_caps("CAP_SYS_ADMIN,net_raw,Sys_Chroot", &caps, why, sizeof(why)), 0);
	assert_int_equal(caps, (UINT64_C(1) << 21) | (UINT64_C(1) << 13) | (UINT64_C(1) << 18));
	assert_int_equal(oci_parse_caps("all", &caps, why, sizeof(why)), 0);
	assert_int_equal(caps, UINT64_MAX);
	caps = 0;
	assert_int_equal(oci_parse_caps("", &caps, why, sizeof(why)), 0);
	assert_int_equal(caps, 0);
	assert_int_equal(oci_parse_caps("SYS_ADMN", &caps, why, sizeof(why)), -1);
	assert_string_equal(why, "--caps: unknown capability 'SYS_ADMN'");
	assert_int_equal(oci_parse_caps("SYS_ADMIN,,NET_RAW", &caps, why, sizeof(why)), -1);
	assert_int_equal(oci_parse_kernel("6.1", k), 0);
	assert_true(k[0] == 6 && k[1] == 1);
	assert_int_equal(oci_parse_kernel("6.18.44-fc-v1045", k), 0);
	assert_true(k[0] == 6 && k[1] == 18);
	assert_int_equal(oci_parse_kernel("3.12-1-amd64", k), 0);
	assert_true(k[0] == 3 && k[1] == 12);
	assert_int_equal(oci_parse_kernel("6", k), -1);
	assert_int_equal(oci_parse_kernel("6.x", k), -1);
	assert_int_equal(oci_parse_kernel("0.0", k), -1);
	assert_int_equal(oci_parse_kernel("256.1", k), -1);
	assert_int_equal(oci_parse_kernel("v6.1", k), -1);
}

/* ---- Docker's default profile against its own meaning ---- */

/*
 * The oracle: the profile's decisions, straight from the JSON, with
 * moby's filtering (profiles/seccomp/seccomp_linux.go setupSeccomp) and
 * runc/libseccomp's evaluation, written out independently of oci.c.
 */
struct oracle {
	struct json_object *root;
	struct json_object *kept[256]; /* the rules moby keeps */
	size_t nkept;
	uint32_t def; /* the default action as a seccomp return */
};

static bool has_string(struct json_object *arr, const char *s)
{
	for (size_t i = 0; arr && i < json_object_array_length(arr); i++)
		if (!strcmp(json_object_get_string(json_object_array_get_idx(arr, i)), s))
			return true;
	return false;
}

static struct json_object *member(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static bool kernel_ge(const char *min, const unsigned k[2])
{
	unsigned a, b;

	assert_int_equal(sscanf(min, "%u.%u", &a, &b), 2);
	return k[0] > a || (k[0] == a && k[1] >= b);
}

static uint32_t action_ret(struct json_object *rule_or_profile, const char *act_key,
			   const char *errno_key)
{
	const char *act = json_object_get_string(member(rule_or_profile, act_key));
	struct json_object *e = member(rule_or_profile, errno_key);

	if (!strcmp(act, "SCMP_ACT_ALLOW"))
		return SECCOMP_RET_ALLOW;
	if (!strcmp(act, "SCMP_ACT_LOG"))
		return SECCOMP_RET_LOG;
	assert_string_equal(act, "SCMP_ACT_ERRNO");
	return ERRNO(e ? (uint32_t)json_object_get_int(e) : EPERM);
}

/* host: moby's name of the host architecture ("amd64", "arm64", ...). */
static void oracle_load(struct oracle *o, const char *json, const char *host,
			const char *const *caps, size_t ncaps, const unsigned kernel[2])
{
	struct json_object *calls;

	memset(o, 0, sizeof(*o));
	o->root = json_tokener_parse(json);
	assert_non_null(o->root);
	o->def = action_ret(o->root, "defaultAction", "defaultErrnoRet");
	calls = member(o->root, "syscalls");
	for (size_t i = 0; i < json_object_array_length(calls); i++) {
		struct json_object *c = json_object_array_get_idx(calls, i);
		struct json_object *ex = member(c, "excludes"), *in = member(c, "includes");
		bool keep = true;

		if (ex) {
			if (has_string(member(ex, "arches"), host))
				keep = false;
			for (size_t k = 0; k < ncaps; k++)
				if (has_string(member(ex, "caps"), caps[k]))
					keep = false;
			if (member(ex, "minKernel") &&
			    kernel_ge(json_object_get_string(member(ex, "minKernel")), kernel))
				keep = false;
		}
		if (in) {
			struct json_object *ia = member(in, "arches"), *ic = member(in, "caps");

			if (ia && json_object_array_length(ia) && !has_string(ia, host))
				keep = false;
			for (size_t k = 0; ic && k < json_object_array_length(ic); k++) {
				bool held = false;

				for (size_t m = 0; m < ncaps; m++)
					held |= !strcmp(caps[m],
							json_object_get_string(
								json_object_array_get_idx(ic, k)));
				keep &= held;
			}
			if (member(in, "minKernel") &&
			    !kernel_ge(json_object_get_string(member(in, "minKernel")), kernel))
				keep = false;
		}
		if (keep) {
			assert_true(o->nkept < ARRAY_SIZE(o->kept));
			o->kept[o->nkept++] = c;
		}
	}
}

static bool cond_holds(struct json_object *a, const uint64_t *args, bool arch32)
{
	unsigned idx = (unsigned)json_object_get_int(member(a, "index"));
	const char *op = json_object_get_string(member(a, "op"));
	uint64_t v = json_object_get_uint64(member(a, "value"));
	uint64_t two = member(a, "valueTwo") ? json_object_get_uint64(member(a, "valueTwo")) : 0;
	uint64_t x = args[idx];

	/* libseccomp's 32-bit code keeps the low word of every datum. */
	if (arch32) {
		v = (uint32_t)v;
		two = (uint32_t)two;
		x = (uint32_t)x;
	}
	if (!strcmp(op, "SCMP_CMP_EQ"))
		return x == v;
	if (!strcmp(op, "SCMP_CMP_NE"))
		return x != v;
	if (!strcmp(op, "SCMP_CMP_LT"))
		return x < v;
	if (!strcmp(op, "SCMP_CMP_LE"))
		return x <= v;
	if (!strcmp(op, "SCMP_CMP_GT"))
		return x > v;
	if (!strcmp(op, "SCMP_CMP_GE"))
		return x >= v;
	assert_string_equal(op, "SCMP_CMP_MASKED_EQ");
	return (x & v) == (two & v);
}

/* What the profile answers; 0 when rules of different actions match. */
static uint32_t oracle_verdict(const struct oracle *o, const char *name, const uint64_t *args,
			       bool arch32)
{
	uint32_t found = UINT32_MAX;

	for (size_t i = 0; i < o->nkept; i++) {
		struct json_object *c = o->kept[i], *conds = member(c, "args");
		uint32_t ret = action_ret(c, "action", "errnoRet");
		bool match = true;

		if (ret == o->def || !has_string(member(c, "names"), name))
			continue; /* runc skips rules with the default action */
		for (size_t k = 0; conds && k < json_object_array_length(conds); k++)
			match &= cond_holds(json_object_array_get_idx(conds, k), args, arch32);
		if (!match)
			continue;
		if (found != UINT32_MAX && found != ret)
			return 0;
		found = ret;
	}
	return found == UINT32_MAX ? o->def : found;
}

static uint64_t width_max(unsigned width)
{
	return width >= 64 ? UINT64_MAX : (UINT64_C(1) << width) - 1;
}

/* Probe values for argument idx of name: around every value compared. */
static size_t probes_for(const struct oracle *o, const char *name, unsigned idx, uint64_t max,
			 uint64_t *out, size_t cap)
{
	size_t n = 0;

#define PUT(x)                                                                                     \
	do {                                                                                       \
		uint64_t v_ = (x);                                                                 \
		if (v_ <= max && n < cap)                                                          \
			out[n++] = v_;                                                             \
	} while (0)
	PUT(0);
	PUT(max);
	PUT(0x5a5a5a5a5a5a5a5a & max);
	for (size_t i = 0; i < o->nkept; i++) {
		struct json_object *conds = member(o->kept[i], "args");

		if (!has_string(member(o->kept[i], "names"), name))
			continue;
		for (size_t k = 0; conds && k < json_object_array_length(conds); k++) {
			struct json_object *a = json_object_array_get_idx(conds, k);
			uint64_t v = json_object_get_uint64(member(a, "value"));
			uint64_t two = member(a, "valueTwo")
					       ? json_object_get_uint64(member(a, "valueTwo"))
					       : 0;

			if ((unsigned)json_object_get_int(member(a, "index")) != idx)
				continue;
			PUT(v - 1);
			PUT(v);
			PUT(v + 1);
			if (strcmp(json_object_get_string(member(a, "op")), "SCMP_CMP_MASKED_EQ"))
				continue;
			PUT(two & v);
			PUT((two & v) | (~v & max));
			for (unsigned b = 0; b < 64; b++)
				if (v & (UINT64_C(1) << b))
					PUT((two & v) ^ (UINT64_C(1) << b));
		}
	}
#undef PUT
	return n;
}

struct docker_case {
	const char *arches[2];
	const char *host;
	const char *caps[2]; /* "ALL": every capability */
	unsigned kernel[2];
};

static const struct docker_case docker_cases[] = {
	{ { "x86_64", "x86" }, "amd64", { NULL }, { 6, 1 } },
	{ { "x86_64", "x86" }, "amd64", { "CAP_SYS_ADMIN" }, { 6, 1 } },
	{ { "x86_64", "x86" }, "amd64", { "ALL" }, { 6, 1 } },
	{ { "x86_64", "x86" }, "amd64", { "CAP_SYS_PTRACE", "CAP_SYS_CHROOT" }, { 4, 7 } },
	{ { "aarch64", "arm" }, "arm64", { NULL }, { 6, 1 } },
	{ { "aarch64", "arm" }, "arm64", { "ALL" }, { 5, 4 } },
	{ { "riscv64" }, "riscv64", { NULL }, { 6, 1 } },
	{ { "ppc64le" }, "ppc64le", { "CAP_SYS_ADMIN" }, { 6, 1 } },
};

/* The profile imported and compiled for one case, and its oracle. */
struct docker {
	struct oracle o;
	struct blob b;
	char *text;
	const char *caps[64];
	size_t ncaps;
};

static void docker_load(struct docker *dk, const struct docker_case *c)
{
	struct oci_opts opt = { .kernel = { c->kernel[0], c->kernel[1] } };
	struct compile_opts co = { 0 };
	struct oci_result r;
	struct diag_list d;
	size_t len;
	char *buf = read_data("docker-default.json", &len);

	memset(dk, 0, sizeof(*dk));
	for (size_t i = 0; i < 2 && c->arches[i]; i++)
		opt.arches[opt.narches++] = arch(c->arches[i]);
	for (size_t i = 0; i < 2 && c->caps[i]; i++) {
		if (!strcmp(c->caps[i], "ALL")) {
			size_t n;
			const struct sf_constant *t = constants_table(&n);

			for (size_t k = 0; k < n; k++)
				if (!strncmp(t[k].name, "CAP_", 4))
					dk->caps[dk->ncaps++] = t[k].name;
		} else {
			dk->caps[dk->ncaps++] = c->caps[i];
		}
	}
	for (size_t i = 0; i < dk->ncaps; i++)
		assert_int_equal(oci_parse_caps(dk->caps[i], &opt.caps, NULL, 0), 0);
	diag_init(&d, DIAG_DEFAULT_LIMIT);
	if (oci_import(buf, len, &opt, &r, &d))
		fail_msg("Docker's profile does not import for %s:\n%s", c->arches[0],
			 diag_text(&d));
	/* What the import says about it: only notes (x32, names the tables lack). */
	assert_int_equal(d.errors, 0);
	assert_int_equal(d.warnings, 0);
	diag_free(&d);
	memcpy(co.arches, r.arches, r.narches * sizeof(uint32_t));
	co.narches = r.narches;
	co.strict = true; /* the import leaves no unknown name active */
	diag_init(&d, DIAG_DEFAULT_LIMIT);
	if (compile_policy(r.text, r.len, &co, &dk->b, &d))
		fail_msg("the imported policy does not compile:\n%s", diag_text(&d));
	diag_free(&d);
	dk->text = r.text;
	oracle_load(&dk->o, buf, c->host, dk->caps, dk->ncaps, c->kernel);
	free(buf);
}

static void docker_free(struct docker *dk)
{
	json_object_put(dk->o.root);
	blob_free(&dk->b);
	free(dk->text);
}

static uint32_t blob_says(const struct blob *b, uint32_t a, uint32_t nr, const uint64_t *args)
{
	struct seccomp_data sd = { .nr = (int)nr, .arch = a };

	memcpy(sd.args, args, sizeof(sd.args));
	return blob_verdict(b, &sd, NULL, NULL, NULL);
}

static void test_docker_profile_meaning(void **state)
{
	size_t probes = 0, conditional = 0;

	(void)state;
	for (size_t ci = 0; ci < ARRAY_SIZE(docker_cases); ci++) {
		const struct docker_case *c = &docker_cases[ci];
		struct docker dk;

		docker_load(&dk, c);
		for (size_t ai = 0; ai < dk.b.narches; ai++) {
			uint32_t a = dk.b.arches[ai];
			bool arch32 = abi_get(a) && abi_get(a)->arg_bits == 32;
			size_t count;
			const uint32_t *nrs = syscalls_numbers(a, &count);

			assert_non_null(nrs);
			for (size_t k = 0; k < count; k++) {
				char name[64];
				uint64_t args[6] = { 0 };

				assert_non_null(syscalls_name(a, (int)nrs[k], name, sizeof(name)));
				for (unsigned idx = 0; idx < 6; idx++) {
					/* The bits the kernel reads: beyond them sysfence and
					 * libseccomp differ on purpose (see the test below). */
					unsigned w = arch32 ? 32 : argtypes_width(name, idx);
					uint64_t vals[96];
					size_t n = probes_for(&dk.o, name, idx, width_max(w), vals,
							      ARRAY_SIZE(vals));

					conditional += n > 3;
					for (size_t p = 0; p < n; p++) {
						uint32_t want, got;

						memset(args, 0, sizeof(args));
						args[idx] = vals[p];
						want = oracle_verdict(&dk.o, name, args, arch32);
						got = blob_says(&dk.b, a, nrs[k], args);
						probes++;
						if (want && want == got)
							continue;
						fail_msg(
							"case %zu (%s, caps %s, kernel %u.%u): %s(#%u) "
							"arg%u=0x%llx: profile %#x, blob %#x",
							ci, syscalls_arch_name(a),
							c->caps[0] ? c->caps[0] : "none",
							c->kernel[0], c->kernel[1], name, nrs[k],
							idx, (unsigned long long)vals[p], want,
							got);
					}
				}
			}
		}
		docker_free(&dk);
	}
	/* Every syscall of every case was asked, the conditional ones closely. */
	assert_true(probes > 50000);
	assert_true(conditional >= 8 * 4);
}

/*
 * Where they differ, by design: libseccomp compares personality's 64-bit
 * register, so personality(1<<32) is "not 0" to Docker; the kernel reads
 * 32 bits and acts on personality(0), which is allowed, so sysfence allows
 * it.  (The other way round, `NE` rules, this is CVE-2019-7303's bypass.)
 */
static void test_docker_upper_bits_follow_the_kernel(void **state)
{
	const struct docker_case c = { { "x86_64", "x86" }, "amd64", { NULL }, { 6, 1 } };
	uint64_t args[6] = { UINT64_C(1) << 32 };
	struct docker dk;
	int nr = syscalls_nr(arch("x86_64"), "personality");

	(void)state;
	docker_load(&dk, &c);
	assert_int_equal(oracle_verdict(&dk.o, "personality", args, false), ERRNO(EPERM));
	assert_int_equal(blob_says(&dk.b, arch("x86_64"), (uint32_t)nr, args), ALLOW);
	args[0] = (UINT64_C(1) << 32) | 1; /* personality(1): denied either way */
	assert_int_equal(blob_says(&dk.b, arch("x86_64"), (uint32_t)nr, args), ERRNO(EPERM));
	docker_free(&dk);
}

/* ---- and in the real kernel ---- */

static const struct {
	const char *name;
	uint64_t args[6];
} kernel_probes[] = {
	/* Harmless whatever the filter does: the child exits right after. */
	{ "getppid", { 0 } },
	{ "personality", { 0xffffffff } }, /* only queries */
	{ "personality", { 0 } },
	{ "personality", { 8 } },
	{ "personality", { 0x20000 } },
	{ "personality", { 0x20008 } },
	{ "personality", { 1 } },
	{ "personality", { 0x40000 } },
	{ "socket", { 1, 1, 0 } },  /* AF_UNIX */
	{ "socket", { 38, 1, 0 } }, /* AF_ALG */
	{ "socket", { 39, 1, 0 } },
	{ "socket", { 40, 1, 0 } }, /* AF_VSOCK */
	{ "socket", { 41, 1, 0 } },
	{ "clone3", { 0, 0 } }, /* allowed: EINVAL (no clone_args) */
	{ "unshare", { 0 } },	/* allowed: a no-op */
	{ "kcmp", { 0, 0, 0, 0, 0 } },
};

/*
 * Runs every probe in one child confined by b; results[i] is 0 or an errno.
 * False when this process cannot load a filter at all (seccomp(2) answers
 * ENOSYS: valgrind, which does not implement it).
 */
static bool run_confined(const struct blob *b, uint32_t a, int *results)
{
	long nrs[ARRAY_SIZE(kernel_probes)];
	int fds[2];
	ssize_t n;
	pid_t pid;
	int status;

	for (size_t i = 0; i < ARRAY_SIZE(kernel_probes); i++) {
		nrs[i] = syscalls_nr(a, kernel_probes[i].name);
		assert_true(nrs[i] >= 0);
	}
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct sock_fprog deny = { .len = (unsigned short)b->deny.len,
					   .filter = b->deny.insns };
		struct sock_fprog allow = { .len = (unsigned short)b->allow.len,
					    .filter = b->allow.insns };
		int res[ARRAY_SIZE(kernel_probes)];

		close(fds[0]);
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
		    (deny.len && syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &deny)) ||
		    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &allow))
			_exit(errno == ENOSYS ? 77 : 100);
		for (size_t i = 0; i < ARRAY_SIZE(kernel_probes); i++) {
			const uint64_t *x = kernel_probes[i].args;
			long r = syscall(nrs[i], x[0], x[1], x[2], x[3], x[4], x[5]);

			res[i] = r < 0 ? errno : 0;
		}
		if (write(fds[1], res, sizeof(res)) != (ssize_t)sizeof(res))
			syscall(SYS_exit_group, 101);
		/* One raw exit_group: ASan's exit path makes calls of its own. */
		syscall(SYS_exit_group, 0);
	}
	close(fds[1]);
	n = read(fds[0], results, sizeof(int) * ARRAY_SIZE(kernel_probes));
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (n == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 77)
		return false;
	assert_int_equal(n, (ssize_t)(sizeof(int) * ARRAY_SIZE(kernel_probes)));
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return true;
}

static void test_docker_profile_in_the_kernel(void **state)
{
	static const struct docker_case cases[] = {
		{ { "x86_64" }, "amd64", { NULL }, { 6, 1 } },
		{ { "x86_64" }, "amd64", { "CAP_SYS_ADMIN", "CAP_SYS_PTRACE" }, { 6, 1 } },
	};
	uint32_t native = syscalls_native_arch();

	(void)state;
	if (native != arch("x86_64")) {
		skip();
		return;
	}
	for (size_t ci = 0; ci < ARRAY_SIZE(cases); ci++) {
		struct docker dk;
		int got[ARRAY_SIZE(kernel_probes)];
		size_t denied = 0;

		docker_load(&dk, &cases[ci]);
		if (!run_confined(&dk.b, native, got)) {
			docker_free(&dk);
			skip();
			return;
		}
		for (size_t i = 0; i < ARRAY_SIZE(kernel_probes); i++) {
			uint32_t want = oracle_verdict(&dk.o, kernel_probes[i].name,
						       kernel_probes[i].args, false);

			if (want == SECCOMP_RET_ALLOW) {
				/* The kernel's own answer, never the filter's. */
				if (got[i] == EPERM || got[i] == EACCES || got[i] == ENOSYS)
					fail_msg("case %zu: %s(0x%llx): %s, the profile allows it",
						 ci, kernel_probes[i].name,
						 (unsigned long long)kernel_probes[i].args[0],
						 strerror(got[i]));
				continue;
			}
			denied++;
			if ((uint32_t)got[i] != (want & SECCOMP_RET_DATA))
				fail_msg("case %zu: %s(0x%llx): errno %d, the profile says %u", ci,
					 kernel_probes[i].name,
					 (unsigned long long)kernel_probes[i].args[0], got[i],
					 want & SECCOMP_RET_DATA);
		}
		/* Both kinds were tried: calls denied with EPERM and ENOSYS, and allowed. */
		assert_true(denied >= (ci == 0 ? 6 : 3));
		docker_free(&dk);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_and_every_operator),
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_includes_excludes),
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_comment_is_inert),
		cmocka_unit_test(test_malformed_json),
		cmocka_unit_test(test_truncated_profile),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_unknown_names),
		cmocka_unit_test(test_values_out_of_range),
		cmocka_unit_test(test_inexpressible),
		cmocka_unit_test(test_per_arch_rule),
		cmocka_unit_test(test_podman_profile_refused),
		cmocka_unit_test(test_caps_and_kernel_options),
		cmocka_unit_test(test_docker_profile_meaning),
		cmocka_unit_test(test_docker_upper_bits_follow_the_kernel),
		cmocka_unit_test(test_docker_profile_in_the_kernel),
	};

	syscalls_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
