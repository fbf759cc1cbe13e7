// SPDX-License-Identifier: MIT
/*
 * Unit tests for the --json builders (src/tools/json.c, the tools' *_json()
 * functions): they are pure, so each document is built from a result
 * computed here and read back field by field with json-c; and a document
 * always serialises to text json-c parses back to the same document.
 */
#include <errno.h>
#include <linux/audit.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "sysfence/compile/syscalls.h"
#include "sysfence/tools/diff.h"
#include "sysfence/tools/explain.h"
#include "sysfence/tools/fromlog.h"
#include "sysfence/tools/input.h"
#include "sysfence/tools/json.h"
#include "sysfence/tools/report.h"

static const char policy_text[] = "read\n"		  /* 1 */
				  "~ptrace\n"		  /* 2 */
				  "socket AF_UNIX\n"	  /* 3 */
				  "ioctl - TIOCGWINSZ\n"; /* 4 */

static int no_user(void *ctx, const char *name, uint32_t *id)
{
	(void)ctx;
	(void)name;
	(void)id;
	return -1;
}

static const struct policy_resolver resolver = { no_user, no_user, NULL };

static void load(struct tool_input *in, const char *name, const char *text)
{
	struct compile_opts o = { .resolver = &resolver };
	struct diag_list d;
	char why[256];

	o.arches[o.narches++] = AUDIT_ARCH_X86_64;
	diag_init(&d, 0);
	if (tool_input_from_bytes(in, name, text, strlen(text), NULL, 0, &o, &d, why, sizeof(why)))
		fail_msg("policy does not load: %s", why);
	diag_free(&d);
}

static struct json_object *get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (!json_object_object_get_ex(o, key, &v))
		fail_msg("no field '%s'", key);
	return v;
}

static const char *str(struct json_object *o, const char *key)
{
	struct json_object *v = get(o, key);

	assert_true(json_object_is_type(v, json_type_string));
	return json_object_get_string(v);
}

static int64_t num(struct json_object *o, const char *key)
{
	struct json_object *v = get(o, key);

	assert_true(json_object_is_type(v, json_type_int));
	return json_object_get_int64(v);
}

static bool boolean(struct json_object *o, const char *key)
{
	struct json_object *v = get(o, key);

	assert_true(json_object_is_type(v, json_type_boolean));
	return json_object_get_boolean(v);
}

/* The header every document starts with, and a round trip through text. */
static void check_doc(struct json_object *doc, const char *tool)
{
	const char *text;
	struct json_object *back;

	assert_non_null(doc);
	assert_int_equal(num(doc, "sysfence_json"), TOOLS_JSON_VERSION);
	assert_string_equal(str(doc, "tool"), tool);
	text = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY);
	back = json_tokener_parse(text);
	assert_non_null(back);
	assert_true(json_object_equal(doc, back));
	json_object_put(back);
}

static void test_explain(void **state)
{
	struct explain_call c = { .arch = AUDIT_ARCH_X86_64, .nr = 101 }; /* ptrace */
	struct explain_result r;
	struct json_object *doc, *dec, *progs;
	struct tool_input in;

	(void)state;
	load(&in, "t.policy", policy_text);
	explain_call(&in.blob, &in.pol, &c, &r);
	doc = explain_json(&in, "ptrace", &c, &r);
	check_doc(doc, "explain");
	assert_string_equal(str(doc, "action"), "ERRNO(EACCES)");
	assert_false(boolean(doc, "allowed"));
	assert_string_equal(str(doc, "reason"), "deny_rule");
	assert_string_equal(str(doc, "arch"), "x86_64");
	assert_int_equal(num(doc, "nr"), 101);
	dec = get(doc, "deciding");
	assert_int_equal(json_object_array_length(dec), 1);
	assert_int_equal(num(json_object_array_get_idx(dec, 0), "line"), 2);
	assert_string_equal(str(json_object_array_get_idx(dec, 0), "text"), "~ptrace");
	assert_string_equal(str(json_object_array_get_idx(dec, 0), "file"), "t.policy");
	assert_null(get(doc, "multiplexer"));
	progs = get(doc, "programs");
	assert_true(num(progs, "instructions") > 0);
	assert_false(boolean(doc, "inconsistent"));
	json_object_put(doc);

	/* socket(AF_INET): the default, with the AF_UNIX rule as a near miss. */
	c = (struct explain_call){ .arch = AUDIT_ARCH_X86_64, .nr = 41, .args = { 2 }, .nargs = 1 };
	explain_call(&in.blob, &in.pol, &c, &r);
	doc = explain_json(&in, "socket", &c, &r);
	check_doc(doc, "explain");
	assert_string_equal(str(doc, "action"), "ERRNO(EPERM)");
	assert_string_equal(str(doc, "reason"), "default");
	assert_int_equal(json_object_array_length(get(doc, "deciding")), 0);
	assert_int_equal(json_object_array_length(get(doc, "near_misses")), 1);
	assert_int_equal(num(json_object_array_get_idx(get(doc, "near_misses"), 0), "line"), 3);
	assert_int_equal(num(json_object_array_get_idx(get(doc, "near_misses"), 0), "argument"), 0);
	assert_int_equal(json_object_get_int64(json_object_array_get_idx(get(doc, "args"), 0)), 2);
	json_object_put(doc);
	tool_input_free(&in);
}

static void test_report(void **state)
{
	struct report_result r;
	struct json_object *doc, *a, *unc;
	struct tool_input in;
	bool socket_why = false;

	(void)state;
	load(&in, "t.policy", policy_text);
	assert_int_equal(report_compute(&in, &r), 0);
	assert_int_equal(r.narches, 1);
	doc = report_json(&in, &r);
	check_doc(doc, "report");
	assert_int_equal(json_object_array_length(get(doc, "architectures")), 1);
	a = json_object_array_get_idx(get(doc, "architectures"), 0);
	assert_string_equal(str(a, "arch"), "x86_64");
	assert_int_equal(num(a, "allow_instructions"), in.blob.allow.len);
	assert_int_equal((size_t)num(a, "allowed_syscalls"),
			 r.arches[0].ncached + r.arches[0].nuncached);
	assert_int_equal(json_object_array_length(get(a, "cached")), r.arches[0].ncached);
	unc = get(a, "uncached");
	for (size_t i = 0; i < json_object_array_length(unc); i++)
		socket_why |=
			!strcmp(str(json_object_array_get_idx(unc, i), "syscall"), "socket") &&
			!strcmp(str(json_object_array_get_idx(unc, i), "reason"),
				"the allow program checks args[0]");
	assert_true(socket_why);
	json_object_put(doc);
	report_result_free(&r);
	tool_input_free(&in);
}

static void test_diff(void **state)
{
	struct diff_result r;
	struct json_object *doc, *a, *t;
	struct tool_input old, new;

	(void)state;
	load(&old, "old.policy", policy_text);
	load(&new, "new.policy", "read\n~ptrace\nsocket AF_UNIX\nioctl - TIOCGWINSZ\ngetpid\n");
	assert_int_equal(diff_compute(&old, &new, &r), 0);
	doc = diff_json(&old, &new, &r);
	check_doc(doc, "diff");
	assert_false(boolean(doc, "equivalent"));
	assert_false(boolean(doc, "mode_changed"));
	assert_string_equal(str(get(doc, "old"), "name"), "old.policy");
	a = json_object_array_get_idx(get(doc, "architectures"), 0);
	assert_string_equal(str(a, "in"), "both");
	assert_int_equal(num(a, "changed"), 1);
	t = json_object_array_get_idx(get(a, "transitions"), 0);
	assert_string_equal(str(t, "old"), "ERRNO(EPERM)");
	assert_string_equal(str(t, "new"), "ALLOW");
	assert_string_equal(
		json_object_get_string(json_object_array_get_idx(get(t, "syscalls"), 0)), "getpid");
	json_object_put(doc);
	diff_result_free(&r);
	tool_input_free(&old);
	tool_input_free(&new);
}

#define REC(serial, nr)                                                                            \
	"[ 1.0] audit: type=1326 audit(1795898999.145:" serial "): auid=4294967295 uid=0 gid=0 "   \
	"ses=4294967295 pid=7 comm=\"app\" exe=\"/bin/app\" sig=0 arch=c000003e syscall=" nr       \
	" compat=0 ip=0x1 code=0x7ffc0000\n"

static void test_fromlog(void **state)
{
	static const char log[] = REC("1", "63") REC("2", "63") REC("2", "63") REC("3", "101")
		REC("4", "0") REC("5", "999");
	struct fromlog_result r;
	struct json_object *doc, *add, *not_added, *records;
	struct tool_input pol;
	struct fromlog l;

	(void)state;
	load(&pol, "t.policy", policy_text);
	fromlog_init(&l, NULL);
	fromlog_feed(&l, log, strlen(log));
	assert_int_equal(fromlog_build(&l, &pol, true, &r), 0);
	doc = fromlog_json(&l, &pol, &r, false);
	check_doc(doc, "from-log");
	records = get(doc, "records");
	assert_int_equal(num(records, "seccomp"), 6);
	assert_int_equal(num(records, "used"), 5);
	assert_int_equal(num(records, "duplicates"), 1);
	add = get(doc, "add");
	assert_int_equal(json_object_array_length(add), 1); /* uname; read is allowed */
	assert_string_equal(str(json_object_array_get_idx(add, 0), "syscall"), "uname");
	assert_int_equal(num(json_object_array_get_idx(add, 0), "records"), 2);
	assert_int_equal(num(doc, "lines_to_add"), 1);
	not_added = get(doc, "not_added");
	assert_int_equal(json_object_array_length(not_added), 2);
	assert_string_equal(str(json_object_array_get_idx(not_added, 0), "reason"), "denied");
	assert_int_equal(num(get(json_object_array_get_idx(not_added, 0), "policy_line"), "line"),
			 2);
	assert_string_equal(str(json_object_array_get_idx(not_added, 1), "reason"), "unknown_nr");
	assert_int_equal(num(json_object_array_get_idx(not_added, 1), "nr"), 999);
	assert_string_equal(
		str(json_object_array_get_idx(get(doc, "already_allowed"), 0), "syscall"), "read");
	/* The patch is the text --as-patch prints. */
	assert_non_null(strstr(str(doc, "patch"), "\n+uname "));
	assert_memory_equal(str(doc, "patch"), "--- t.policy\n+++ t.policy\n", 26);
	json_object_put(doc);
	fromlog_result_free(&r);
	fromlog_free(&l);
	tool_input_free(&pol);
}

static void test_batch(void **state)
{
	struct batch_input inputs[] = {
		{ .input = "a.policy", .output = "out/a.bin", .result = JOB_OK },
		{ .input = "b.policy", .output = "out/b.bin", .result = JOB_SKIPPED },
		{ .input = "c.policy", .output = NULL, .result = JOB_FAILED },
	};
	struct batch_result r = { inputs, 3, 1, 1, 1 };
	struct job_opts o = { .out_dir = "out" };
	struct json_object *doc, *list;

	(void)state;
	doc = batch_json(&o, &r);
	check_doc(doc, "batch");
	assert_string_equal(str(doc, "out_dir"), "out");
	assert_int_equal(num(doc, "compiled"), 1);
	assert_int_equal(num(doc, "up_to_date"), 1);
	assert_int_equal(num(doc, "failed"), 1);
	list = get(doc, "inputs");
	assert_int_equal(json_object_array_length(list), 3);
	assert_string_equal(str(json_object_array_get_idx(list, 0), "result"), "compiled");
	assert_string_equal(str(json_object_array_get_idx(list, 1), "result"), "up_to_date");
	assert_string_equal(str(json_object_array_get_idx(list, 2), "result"), "failed");
	assert_string_equal(str(json_object_array_get_idx(list, 0), "output"), "out/a.bin");
	assert_null(get(json_object_array_get_idx(list, 2), "output"));
	json_object_put(doc);

	o.out_dir = NULL; /* --check */
	doc = batch_json(&o, &r);
	check_doc(doc, "check");
	assert_string_equal(str(json_object_array_get_idx(get(doc, "inputs"), 0), "result"),
			    "checked");
	assert_int_equal(num(doc, "checked"), 1);
	json_object_put(doc);
}

static void test_print(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct json_object *doc = tools_json_doc("x"), *back;

	(void)state;
	assert_non_null(f);
	assert_int_equal(tools_json_put(doc, "path", json_object_new_string("/usr/bin/ls")), 0);
	assert_int_equal(tools_json_put(doc, "gone", NULL), -1); /* out of memory is seen */
	assert_int_equal(tools_json_print(f, doc), 0);
	assert_int_equal(tools_json_print(f, NULL), -1);
	fclose(f);
	/* One document, one trailing newline, slashes as they are. */
	assert_true(len > 2 && text[len - 1] == '\n' && text[len - 2] == '}');
	assert_non_null(strstr(text, "\"/usr/bin/ls\""));
	back = json_tokener_parse(text);
	assert_non_null(back);
	assert_string_equal(str(back, "path"), "/usr/bin/ls");
	json_object_put(back);
	free(text);
}

static int setup(void **state)
{
	(void)state;
	syscalls_init();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_explain), cmocka_unit_test(test_report),
		cmocka_unit_test(test_diff),	cmocka_unit_test(test_fromlog),
		cmocka_unit_test(test_batch),	cmocka_unit_test(test_print),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
