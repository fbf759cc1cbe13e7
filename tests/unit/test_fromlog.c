// SPDX-License-Identifier: MIT
/*
 * Unit tests for src/tools/fromlog.c (--from-log): counting, filtering and
 * de-duplicating records, naming them per architecture, comparing them
 * with a policy, and the printed lines and patch.
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

#include "sysfence/compile/syscalls.h"
#include "sysfence/tools/fromlog.h"
#include "sysfence/tools/input.h"

/* x86_64: 39 getpid, 63 uname, 101 ptrace, 16 ioctl, 435 clone3; i386: 20 getpid. */
#define REC(serial, pid, comm, arch, nr, code)                                                     \
	"[ 1.0] audit: type=1326 audit(1795898999.145:" serial "): auid=4294967295 uid=0 "         \
	"gid=0 ses=4294967295 pid=" pid " comm=\"" comm "\" exe=\"/bin/" comm "\" sig=0 "          \
	"arch=" arch " syscall=" nr " compat=0 ip=0x7f5892ddf043 code=" code "\n"
#define X64 "c000003e"
#define LOG "0x7ffc0000"

static char *run(const char *log, const struct fromlog_filter *f, const struct tool_input *pol,
		 bool patch, struct fromlog_stats *st, char **summary)
{
	struct fromlog l;
	char *text = NULL, *err = NULL;
	size_t n = 0, en = 0;
	FILE *out = open_memstream(&text, &n), *ef = open_memstream(&err, &en);

	assert_non_null(out);
	assert_non_null(ef);
	fromlog_init(&l, f);
	fromlog_feed(&l, log, strlen(log));
	fromlog_print(out, ef, &l, pol, patch);
	fclose(out);
	fclose(ef);
	if (st)
		*st = l.stats;
	fromlog_free(&l);
	if (summary)
		*summary = err;
	else
		free(err);
	return text;
}

static void test_counts_sorted_deduplicated(void **state)
{
	static const char log[] = REC("10", "100", "app", X64, "63", LOG)
		REC("11", "100", "app", X64, "39", LOG) REC("12", "100", "app", X64, "39", LOG)
			REC("12", "100", "app", X64, "39", LOG) /* the same record twice */
		"some other line\n"
		"type=SYSCALL msg=audit(1.000:13): arch=c000003e syscall=59\n"
		"[ 1.0] audit: type=1326 audit(1795898999.145:14): pid=1 arch=c000003e sysc\n";
	struct fromlog_stats st;
	char *sum, *t = run(log, NULL, NULL, false, &st, &sum);

	(void)state;
	assert_string_equal(t, "getpid                  # 2 records\n"
			       "uname                   # 1 record\n");
	assert_int_equal(st.records, 5);
	assert_int_equal(st.used, 3);
	assert_int_equal(st.duplicates, 1);
	assert_int_equal(st.malformed, 1);
	assert_int_equal(st.other, 1);
	assert_string_equal(sum, "sysfence-compile: 5 seccomp records read: 3 used, 0 filtered "
				 "out, 1 duplicate, 1 malformed; 2 lines to add\n");
	free(sum);
	free(t);
}

static void test_filters(void **state)
{
	static const char log[] =
		REC("20", "100", "app", X64, "63", LOG) REC("21", "200", "other", X64, "39", LOG)
			REC("22", "300", "a-very-long-nam", X64, "101", LOG);
	static const char *const comms[] = { "app" };
	static const char *const long_comm[] = { "a-very-long-name-indeed" };
	static const char *const exes[] = { "/bin/other" };
	static const long long pids[] = { 300, 100 };
	struct fromlog_filter f = { .comms = comms, .ncomms = 1 };
	struct fromlog_stats st;
	char *t;

	(void)state;
	t = run(log, &f, NULL, false, &st, NULL);
	assert_string_equal(t, "uname                   # 1 record\n");
	assert_int_equal(st.filtered, 2);
	free(t);

	/* The kernel keeps 15 bytes of a name: a longer --comm still matches. */
	f = (struct fromlog_filter){ .comms = long_comm, .ncomms = 1 };
	t = run(log, &f, NULL, false, &st, NULL);
	assert_string_equal(t, "ptrace                  # 1 record\n");
	free(t);

	f = (struct fromlog_filter){ .exes = exes, .nexes = 1 };
	t = run(log, &f, NULL, false, &st, NULL);
	assert_string_equal(t, "getpid                  # 1 record\n");
	free(t);

	f = (struct fromlog_filter){ .pids = pids, .npids = 2, .exes = exes, .nexes = 1 };
	t = run(log, &f, NULL, false, &st, NULL);
	assert_string_equal(t, ""); /* every filter must match */
	assert_int_equal(st.filtered, 3);
	free(t);
}

static void test_arches_and_unknowns(void **state)
{
	static const char log[] = REC("30", "1", "app", X64, "39", LOG)
		REC("31", "1", "app", "40000003", "20", LOG) /* getpid on x86 */
		REC("32", "1", "app", "40000003", "13", LOG) /* time, x86 only */
		REC("33", "1", "app", "deadbeef", "1", LOG)  /* unknown arch */
		REC("34", "1", "app", X64, "999", "0x50000") /* unknown number */
		REC("35", "1", "app", X64, "435", "0x50000") /* clone3 ENOSYS */
		"type=SECCOMP msg=audit(11/28/2026 20:00:00.123:36) : pid=1 comm=app exe=/bin/app "
		"arch=x86_64 syscall=getppid code=log\n"
		"type=SECCOMP msg=audit(11/28/2026 20:00:00.123:37) : pid=1 comm=app exe=/bin/app "
		"arch=x86_64 syscall=frobnicate code=log\n";
	char *t = run(log, NULL, NULL, false, NULL, NULL);

	(void)state;
	assert_string_equal(
		t,
		"getpid                  # 2 records (x86_64, x86)\n"
		"getppid                 # 1 record\n"
		"time                    # 1 record (x86)\n"
		"# clone3: 1 record of ENOSYS by design (libc falls back to clone, whose flags a "
		"policy can check): not added\n"
		"# frobnicate on x86_64: 1 record; not a system call this compiler knows there: "
		"not added\n"
		"# arch=deadbeef: 1 record of an architecture this compiler does not support: "
		"not added\n"
		"# syscall 999 on x86_64: 1 record; not a system call this compiler knows (it "
		"returns ENOSYS): not added\n");
	free(t);
}

static void load(struct tool_input *in, const char *name, const char *text)
{
	struct compile_opts o = { 0 };
	struct diag_list d;
	char why[128];

	o.arches[o.narches++] = AUDIT_ARCH_X86_64;
	diag_init(&d, 0);
	if (tool_input_from_bytes(in, name, text, strlen(text), NULL, 0, &o, &d, why, sizeof(why)))
		fail_msg("%s: %s", name, why);
	diag_free(&d);
}

static const char app_policy[] = "execve\n"
				 "getpid\n"
				 "~ptrace\n"
				 "ioctl - TIOCGWINSZ\n"
				 "@complain"; /* no final newline */

static const char app_log[] = REC("40", "1", "app", X64, "39", LOG) /* getpid: allowed already */
	REC("41", "1", "app", X64, "101", "0x50000")		    /* ptrace: explicit denial */
	REC("42", "1", "app", X64, "16", LOG)			    /* ioctl: other arguments */
	REC("43", "1", "app", X64, "63", LOG)			    /* uname: to add */
	REC("44", "1", "app", X64, "63", LOG);

static void test_with_policy(void **state)
{
	struct tool_input pol;
	char *sum, *t;

	(void)state;
	load(&pol, "app.policy", app_policy);
	t = run(app_log, NULL, &pol, false, NULL, &sum);
	assert_string_equal(
		t, "ioctl                   # 1 record; app.policy:4 allows it for some "
		   "arguments only, and audit records carry none: narrow this line by hand\n"
		   "uname                   # 2 records\n"
		   "# ptrace: 1 record, denied explicitly by app.policy:3: not added\n");
	assert_non_null(strstr(sum, "; 2 lines to add, 1 already allowed by app.policy\n"));
	free(sum);
	free(t);
	tool_input_free(&pol);
}

static void test_patch(void **state)
{
	struct tool_input pol;
	char *t;

	(void)state;
	load(&pol, "app.policy", app_policy);
	t = run(REC("50", "1", "app", X64, "63", LOG), NULL, &pol, true, NULL, NULL);
	assert_string_equal(t, "--- app.policy\n"
			       "+++ app.policy\n"
			       "@@ -3,3 +3,5 @@\n"
			       " ~ptrace\n"
			       " ioctl - TIOCGWINSZ\n"
			       "-@complain\n"
			       "\\ No newline at end of file\n"
			       "+@complain\n"
			       "+# added by sysfence-compile --from-log (1 record)\n"
			       "+uname                   # 1 record\n");
	free(t);
	tool_input_free(&pol);

	/* A short policy with a final newline, and nothing to add: no patch. */
	load(&pol, "s.policy", "uname\n");
	t = run(REC("51", "1", "app", X64, "39", LOG), NULL, &pol, true, NULL, NULL);
	assert_string_equal(t, "--- s.policy\n+++ s.policy\n@@ -1,1 +1,3 @@\n uname\n"
			       "+# added by sysfence-compile --from-log (1 record)\n"
			       "+getpid                  # 1 record\n");
	free(t);
	t = run(REC("52", "1", "app", X64, "63", LOG), NULL, &pol, true, NULL, NULL);
	assert_string_equal(t, "");
	free(t);
	tool_input_free(&pol);
}

static int setup(void **state)
{
	(void)state;
	syscalls_init();
	/* The arch notes compare with the native architecture. */
	if (syscalls_native_arch() != AUDIT_ARCH_X86_64)
		return -1;
	return 0;
}

/* Lines as a streaming reader hands them (issue 15, item 4). */
static void test_lines_cut_and_binary(void **state)
{
	static const char rec[] = REC("20", "100", "app", X64, "63", LOG);
	size_t n = strlen(rec) - 1; /* without its newline */
	char *big = malloc(FROMLOG_LINE_MAX + 2);
	struct fromlog l;

	(void)state;
	assert_non_null(big);
	fromlog_init(&l, NULL);
	/* A cut record is never taken, even though its beginning is whole. */
	memset(big, ' ', FROMLOG_LINE_MAX + 2);
	memcpy(big, rec, n);
	fromlog_feed_line(&l, big, FROMLOG_LINE_MAX + 1, true);
	assert_int_equal(l.stats.too_long, 1);
	assert_int_equal(l.stats.malformed, 1);
	assert_int_equal(l.stats.used, 0);
	/* NUL anywhere: binary, skipped. */
	memcpy(big, rec, n);
	big[n - 3] = '\0';
	fromlog_feed_line(&l, big, n, false);
	assert_int_equal(l.stats.binary, 1);
	assert_int_equal(l.stats.records, 1);
	/* AUDITLOG_LINE_MAX bytes and a CR: still a line (CRLF logs). */
	memset(big, ' ', FROMLOG_LINE_MAX);
	memcpy(big, rec, n);
	big[FROMLOG_LINE_MAX - 1] = '\r';
	fromlog_feed_line(&l, big, FROMLOG_LINE_MAX, false);
	assert_int_equal(l.stats.used, 1);
	/* One byte more is too long. */
	big[FROMLOG_LINE_MAX - 1] = ' ';
	fromlog_feed_line(&l, big, FROMLOG_LINE_MAX, false);
	assert_int_equal(l.stats.too_long, 2);
	assert_int_equal(l.stats.used, 1);
	fromlog_free(&l);
	free(big);
}

/* An endless log fills bounded sets: counted, never grown without end. */
static void test_bounds(void **state)
{
	char line[512];
	struct fromlog l;

	(void)state;
	fromlog_init(&l, NULL);
	for (uint32_t i = 0; i < FROMLOG_MAX_ENTRIES + 100; i++) {
		int len = snprintf(line, sizeof(line),
				   "type=SECCOMP msg=audit(1.000:%u): pid=1 arch=c000003e "
				   "syscall=%u code=0x7ffc0000",
				   i, 100000 + i);
		fromlog_feed_line(&l, line, (size_t)len, false);
	}
	assert_int_equal(l.count, FROMLOG_MAX_ENTRIES);
	assert_int_equal(l.stats.untracked, 100);
	assert_int_equal(l.stats.used, FROMLOG_MAX_ENTRIES + 100);
	assert_int_equal(l.oom, 0);
	fromlog_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_sorted_deduplicated),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_arches_and_unknowns),
		cmocka_unit_test(test_with_policy),
		cmocka_unit_test(test_patch),
		cmocka_unit_test(test_lines_cut_and_binary),
		cmocka_unit_test(test_bounds),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
