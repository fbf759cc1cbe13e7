// SPDX-License-Identifier: MIT
/*
 * The admin tools of sysfence-compile: the thin shell that reads the files
 * a request names and hands bytes to the pure modules (explain.c,
 * disasm.c, auditlog.c + fromlog.c, report.c, diff.c, ocijson.c + oci.c).  The options were
 * parsed by src/compile/main.c, the one parser of the command line.
 */
#include "sysfence/tools/tools.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "sysfence/array.h"
#include "sysfence/compile/syscalls.h"
#include "sysfence/compile/compile.h"
#include "sysfence/tools/disasm.h"
#include "sysfence/tools/explain.h"
#include "sysfence/compile/fileio.h"
#include "sysfence/tools/fromlog.h"
#include "sysfence/tools/learn.h"
#include "sysfence/tools/report.h"
#include "sysfence/tools/diff.h"
#include "sysfence/tools/input.h"
#include "sysfence/tools/json.h"
#include "sysfence/tools/oci.h"
#include "sysfence/compile/text.h"
#include "sysfence/path.h"
#include "sysfence/util.h"

static int tool_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int tool_error(const char *fmt, ...)
{
	va_list ap;

	fputs("sysfence-compile: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return TOOLS_EXIT_ERROR;
}

void tools_vusage_error(const char *fmt, va_list ap)
{
	fputs("sysfence-compile: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputs("\nTry 'sysfence-compile --help'.\n", stderr);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tools_vusage_error(fmt, ap);
	va_end(ap);
	return TOOLS_EXIT_ERROR;
}

static void print_diags(const struct tool_input *in, const char *name, const char *src, size_t len,
			struct diag_list *d, bool quiet)
{
	if (quiet && !d->errors)
		return;
	if (quiet)
		diag_keep_errors(d);
	if (in && in->sources.count) /* a policy: each diagnostic in its own file */
		diag_print_files(stderr, d, in->sources.files, in->sources.count);
	else
		diag_print(stderr, d, name, src, len);
}

/*
 * What a temporary of file_write_atomic() is, for someone who found one.
 * Its content is never shown: a complete one is still not a profile (it
 * was never renamed into place) and a partial one would not verify.
 */
static const char *temporary_state_text(int state)
{
	switch (state) {
	case FILE_TEMP_BEING_WRITTEN:
		return "a compile is writing it now, and renames it over its output when done";
	case FILE_TEMP_LEFT_BEHIND:
		return "the compile writing it was killed; the next compile into this folder "
		       "removes it";
	default:
		return "a compile is writing it, or was killed while it did";
	}
}

/*
 * Reads and loads an input.  arches (may be NULL: the options' or the
 * default) is used to compile a policy.  Returns 0 or an exit status.
 */
static int load_input(const struct tools_args *t, const char *path, const uint32_t *arches,
		      size_t narches, struct tool_input *in)
{
	const char *name = strcmp(path, "-") ? path : "<stdin>";
	struct compile_opts o = t->copts;
	char *buf = NULL, *deny = NULL;
	size_t len = 0, denylen = 0;
	struct diag_list d;
	char why[256];
	int rc;

	memset(in, 0, sizeof(*in));
	if (strcmp(path, "-") && file_is_temporary(path)) {
		rc = file_temporary_state(path);
		if (rc > 0)
			return tool_error("%s: an unfinished temporary file of sysfence-compile, "
					  "not a profile: %s",
					  name, temporary_state_text(rc));
	}
	if (arches && narches) {
		memcpy(o.arches, arches, narches * sizeof(*arches));
		o.narches = narches;
	}
	if (!o.narches)
		o.narches = syscalls_default_arches(o.arches, BLOB_MAX_ARCHES);
	rc = file_read_all(path, POLICY_MAX_SIZE > BLOB_MAX_SIZE ? POLICY_MAX_SIZE : BLOB_MAX_SIZE,
			   &buf, &len);
	if (rc)
		return tool_error("%s: cannot read: %s", name,
				  rc == -EFBIG ? "too large" : strerror(-rc));
	if (t->raw && tool_input_sniff(buf, len) != TOOL_INPUT_RAW) {
		free(buf);
		return tool_error("%s: --raw: not a bare BPF program (struct sock_filter[] "
				  "starting with ld [arch])",
				  name);
	}
	if (tool_input_sniff(buf, len) == TOOL_INPUT_RAW && strcmp(path, "-")) {
		char dpath[PATH_MAX];

		/*
		 * A program of another loader may come as a pair: FILE and
		 * FILE.deny (sysfence-compile writes one program since issue 9).
		 */
		if (snprintf(dpath, sizeof(dpath), "%s.deny", path) < (int)sizeof(dpath)) {
			rc = file_read_all(dpath, BLOB_MAX_SIZE, &deny, &denylen);
			if (rc && rc != -ENOENT) {
				free(buf);
				return tool_error("%s: cannot read: %s", dpath, strerror(-rc));
			}
		}
	}
	diag_init(&d, DIAG_DEFAULT_LIMIT);
	rc = tool_input_from_bytes(in, name, buf, len, deny, denylen, &o, &d, why, sizeof(why));
	if (d.count || d.dropped)
		print_diags(in, name, buf, len, &d, t->quiet);
	diag_free(&d);
	free(buf);
	free(deny);
	if (rc) {
		tool_input_free(in);
		return tool_error("%s: %s", name, why);
	}
	return 0;
}

/* ---- --explain ---- */

static int run_explain(const struct tools_args *t)
{
	struct explain_call c = { 0 };
	struct explain_result r;
	struct tool_input in;
	const char *sc;
	char name[64];
	uint64_t nr;
	int rc;

	if (t->npos < 2)
		return usage_error("--explain needs INPUT and SYSCALL");
	if (t->npos > 2 + POLICY_MAX_ARGS)
		return usage_error("--explain takes at most %d arguments", POLICY_MAX_ARGS);
	if (t->copts.narches > 1)
		return usage_error("--explain takes one --arch");
	c.arch = t->copts.narches ? t->copts.arches[0] : syscalls_native_arch();
	sc = t->pos[1];
	if (sc[0] >= '0' && sc[0] <= '9') {
		if (text_parse_u64(sc, strlen(sc), &nr) || nr > UINT32_MAX)
			return usage_error("'%s' is not a syscall number", sc);
		c.nr = (uint32_t)nr;
		if (!syscalls_name(c.arch, (int)c.nr, name, sizeof(name)))
			snprintf(name, sizeof(name), "syscall %u", c.nr);
	} else {
		int n = syscalls_nr(c.arch, sc);

		if (n < 0) {
			char sug[64];
			const char *s = syscalls_suggest(sc, sug, sizeof(sug));

			if (syscalls_known_anywhere(sc))
				return tool_error("'%s' is not a system call on %s", sc,
						  syscalls_arch_name(c.arch));
			return tool_error("'%s' is not a system call%s%s%s", sc,
					  s ? "; did you mean '" : "", s ? s : "", s ? "'?" : "");
		}
		c.nr = (uint32_t)n;
		snprintf(name, sizeof(name), "%s", sc);
	}
	for (size_t i = 2; i < t->npos; i++) {
		char err[256];

		if (tool_parse_value(t->pos[i], t->copts.resolver, c.arch, &c.args[c.nargs], err,
				     sizeof(err)))
			return usage_error("argument %zu: %s", i - 2, err);
		c.nargs++;
	}
	rc = load_input(t, t->pos[0], t->copts.narches ? &c.arch : NULL, t->copts.narches ? 1 : 0,
			&in);
	if (rc)
		return rc;
	explain_call(&in.blob, in.kind == TOOL_INPUT_POLICY ? &in.pol : NULL, &c, &r);
	rc = explain_exit_status(&r);
	if (!t->json)
		explain_print(stdout, &in, name, &c, &r);
	else if (tools_json_print(stdout, explain_json(&in, name, &c, &r)))
		rc = tool_error("out of memory");
	tool_input_free(&in);
	return rc;
}

/* ---- --disasm, --report ---- */

static int run_disasm(const struct tools_args *t)
{
	struct tool_input in;
	int rc;

	if (t->npos != 1)
		return usage_error("--disasm needs exactly one INPUT");
	rc = load_input(t, t->pos[0], NULL, 0, &in);
	if (rc)
		return rc;
	disasm_input(stdout, &in);
	tool_input_free(&in);
	return 0;
}

static int run_report(const struct tools_args *t)
{
	struct report_result r;
	struct tool_input in;
	int rc;

	if (t->npos != 1)
		return usage_error("--report needs exactly one INPUT");
	rc = load_input(t, t->pos[0], NULL, 0, &in);
	if (rc)
		return rc;
	if (report_compute(&in, &r) || (t->json && tools_json_print(stdout, report_json(&in, &r))))
		rc = tool_error("out of memory");
	else if (!t->json)
		report_print(stdout, &in, &r);
	report_result_free(&r);
	tool_input_free(&in);
	return rc;
}

/* ---- --diff ---- */

static int run_diff(const struct tools_args *t)
{
	struct diff_result r;
	struct tool_input a, b;
	int rc;

	if (t->npos != 2)
		return usage_error("--diff needs OLD and NEW");
	rc = load_input(t, t->pos[0], NULL, 0, &a);
	if (rc)
		return rc;
	rc = load_input(t, t->pos[1], NULL, 0, &b);
	if (rc) {
		tool_input_free(&a);
		return rc;
	}
	if (diff_compute(&a, &b, &r)) {
		rc = tool_error("out of memory");
	} else {
		rc = r.different ? 1 : 0;
		if (!t->json)
			diff_print_result(stdout, &a, &b, &r);
		else if (tools_json_print(stdout, diff_json(&a, &b, &r)))
			rc = tool_error("out of memory");
		diff_result_free(&r);
	}
	tool_input_free(&a);
	tool_input_free(&b);
	return rc;
}

/* ---- --from-log ---- */

/*
 * A log is streamed line by line, so an endless one (a pipe from
 * journalctl -f, /dev/kmsg) is read until the user stops it: SIGINT or
 * SIGTERM ends the reading and what was found is printed.  The handler
 * stays while reading, because timeout(1) signals the command and then
 * its whole process group: the same signal twice in a row.
 */
static volatile sig_atomic_t from_log_stop;

static void on_stop_signal(int sig)
{
	(void)sig;
	from_log_stop = 1;
}

struct log_reader {
	struct fromlog *l;
	const char *name;
	size_t lineno;
	bool quiet, told_binary;
};

static int feed_log_line(void *ctx, const char *line, size_t len, bool cut)
{
	struct log_reader *r = ctx;

	r->lineno++;
	if (!r->told_binary && memchr(line, '\0', len)) {
		/* Said at once: /dev/zero would otherwise spin in silence. */
		r->told_binary = true;
		if (!r->quiet)
			fprintf(stderr,
				"sysfence-compile: %s:%zu: NUL bytes: binary data, not log text; "
				"skipped (Ctrl-C ends the reading and prints what was found)\n",
				r->name, r->lineno);
	}
	fromlog_feed_line(r->l, line, len, cut);
	return r->l->oom ? -ENOMEM : 0;
}

static int run_from_log(const struct tools_args *t)
{
	struct fromlog_filter f = {
		.comms = t->comms,
		.ncomms = t->ncomms,
		.exes = t->exes,
		.nexes = t->nexes,
		.pids = t->pids,
		.npids = t->npids,
	};
	static char *stdin_only[] = { "-" };
	char **files = t->npos ? t->pos : stdin_only;
	size_t nfiles = t->npos ? t->npos : 1;
	struct tool_input pol, *polp = NULL;
	struct sigaction sa = { .sa_handler = on_stop_signal }, old_int, old_term;
	struct fromlog_result res = { 0 };
	struct fromlog l;
	bool interrupted = false;
	int rc = 0;

	if (t->as_patch && !t->policy)
		return usage_error("--as-patch needs --policy P");
	fromlog_init(&l, &f);
	/* No SA_RESTART: a read waiting on a pipe returns EINTR. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	for (size_t i = 0; i < nfiles && !rc; i++) {
		const char *name = strcmp(files[i], "-") ? files[i] : "<stdin>";
		struct log_reader r = { .l = &l, .name = name, .quiet = t->quiet };

		rc = file_read_lines(files[i], FROMLOG_LINE_MAX, feed_log_line, &r, &from_log_stop);
		interrupted |= rc == -EINTR;
		if (rc == -EINTR && !t->quiet)
			fprintf(stderr,
				"sysfence-compile: %s: interrupted: what follows is from the "
				"records read until then\n",
				name);
		else if (rc && rc != -ENOMEM)
			tool_error("%s: cannot read: %s", name, strerror(-rc));
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (rc && rc != -EINTR && rc != -ENOMEM) {
		fromlog_free(&l);
		return TOOLS_EXIT_ERROR;
	}
	if (l.oom) {
		fromlog_free(&l);
		return tool_error("out of memory");
	}
	if (t->policy) {
		uint32_t arches[BLOB_MAX_ARCHES];
		size_t n = t->copts.narches ? 0 : fromlog_arches(&l, arches, BLOB_MAX_ARCHES);

		rc = load_input(t, t->policy, n ? arches : NULL, n, &pol);
		if (rc) {
			fromlog_free(&l);
			return rc;
		}
		if (t->as_patch && pol.kind != TOOL_INPUT_POLICY) {
			tool_input_free(&pol);
			fromlog_free(&l);
			return usage_error("--as-patch needs a policy, not a compiled profile");
		}
		polp = &pol;
	}
	rc = 0; /* -EINTR: what was read until then is printed */
	if (!t->json) {
		fromlog_print(stdout, t->quiet ? NULL : stderr, &l, polp, t->as_patch);
	} else if (fromlog_build(&l, polp, t->as_patch, &res) ||
		   tools_json_print(stdout, fromlog_json(&l, polp, &res, interrupted))) {
		rc = tool_error("out of memory");
	} else if (!t->quiet) {
		fromlog_print_summary(stderr, &l, polp, &res);
	}
	fromlog_result_free(&res);
	if (polp)
		tool_input_free(polp);
	fromlog_free(&l);
	return rc;
}

/* ---- --syscalls: every name of the architectures, for completion ---- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_syscalls(const struct tools_args *t)
{
	uint32_t arches[BLOB_MAX_ARCHES];
	size_t narches = t->copts.narches, n = 0, cap = 0;
	char **names = NULL;
	int rc = 0;

	if (t->npos)
		return usage_error("--syscalls takes no INPUT");
	if (narches)
		memcpy(arches, t->copts.arches, narches * sizeof(arches[0]));
	else
		narches = syscalls_default_arches(arches, BLOB_MAX_ARCHES);
	for (size_t a = 0; a < narches && !rc; a++) {
		size_t count;
		const uint32_t *nrs = syscalls_numbers(arches[a], &count);

		for (size_t i = 0; nrs && i < count && !rc; i++) {
			char buf[64];

			if (!syscalls_name(arches[a], (int)nrs[i], buf, sizeof(buf)))
				continue;
			if (ARRAY_GROW(&names, &cap, n + 1)) {
				rc = -1;
				break;
			}
			names[n] = strdup(buf);
			if (!names[n++])
				rc = -1;
		}
	}
	if (!rc && n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		if (!rc && names[i] && (!i || !names[i - 1] || strcmp(names[i], names[i - 1])))
			puts(names[i]);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc ? tool_error("out of memory") : 0;
}

/* ---- --from-oci ---- */

static int run_from_oci(const struct tools_args *t)
{
	const char *in = t->npos ? t->pos[0] : NULL;
	const char *name = in && strcmp(in, "-") ? in : "<stdin>";
	const char *outpath = t->npos == 2 && strcmp(t->pos[1], "-") ? t->pos[1] : NULL;
	struct oci_opts o = { .strict = t->copts.strict, .source = name };
	struct oci_result res;
	struct diag_list d;
	struct policy pol;
	char *buf, why[256];
	size_t len;
	int rc;

	if (t->npos < 1 || t->npos > 2)
		return usage_error("--from-oci needs FILE.json (or -) and at most an OUTPUT");
	for (size_t i = 0; i < t->ncaps; i++)
		if (oci_parse_caps(t->caps[i], &o.caps, why, sizeof(why)))
			return usage_error("%s", why);
	if (t->kernel) {
		if (oci_parse_kernel(t->kernel, o.kernel))
			return usage_error("--kernel: '%s' is not a kernel version (e.g. 6.1)",
					   t->kernel);
	} else {
		struct utsname u;

		/* moby compares the running kernel's "major.minor" */
		if (uname(&u) || oci_parse_kernel(u.release, o.kernel))
			return tool_error("cannot read the running kernel's version; use --kernel");
	}
	memcpy(o.arches, t->copts.arches, t->copts.narches * sizeof(uint32_t));
	o.narches = t->copts.narches;
	rc = file_read_all(in, OCI_MAX_SIZE, &buf, &len);
	if (rc)
		return tool_error("%s: cannot read: %s", name,
				  rc == -EFBIG ? "too large" : strerror(-rc));
	diag_init(&d, DIAG_DEFAULT_LIMIT);
	rc = oci_import(buf, len, &o, &res, &d);
	print_diags(NULL, name, buf, len, &d, t->quiet);
	diag_free(&d);
	free(buf);
	if (rc)
		return TOOLS_EXIT_ERROR;
	/*
	 * The policy must read back as it was meant: a parse error here is a
	 * bug of the import.  (Compiling it is the user's next step.)
	 */
	diag_init(&d, DIAG_DEFAULT_LIMIT);
	rc = policy_parse(res.text, res.len, NULL, &pol, &d);
	if (rc) {
		diag_keep_errors(&d);
		fputs("sysfence-compile: internal error: the imported policy does not parse:\n",
		      stderr);
		diag_print(stderr, &d, "<imported policy>", res.text, res.len);
	}
	policy_free(&pol);
	diag_free(&d);
	if (rc) {
		oci_result_free(&res);
		return TOOLS_EXIT_ERROR;
	}
	if (outpath) {
		rc = file_write_atomic(outpath, res.text, res.len, 0644);
		if (rc)
			tool_error("%s: cannot write: %s", outpath, strerror(-rc));
	} else {
		fwrite(res.text, 1, res.len, stdout);
	}
	oci_result_free(&res);
	return rc ? TOOLS_EXIT_ERROR : 0;
}

/* ---- --learn ---- */

/* The base policy without --policy: allows nothing, ENOSYS where by design. */
static int learn_empty_base(const struct tools_args *t, struct tool_input *in)
{
	struct compile_opts o = t->copts;
	struct diag_list d;
	char why[256];
	int rc;

	if (!o.narches)
		o.narches = syscalls_default_arches(o.arches, BLOB_MAX_ARCHES);
	diag_init(&d, DIAG_DEFAULT_LIMIT);
	rc = tool_input_from_bytes(in, "<no policy>", "", 0, NULL, 0, &o, &d, why, sizeof(why));
	diag_free(&d);
	if (rc)
		tool_input_free(in);
	return rc ? tool_error("cannot compile an empty policy: %s", why) : 0;
}

static int learn_write(const struct tools_args *t, const struct learn_log *log,
		       const struct learn_out *o)
{
	char *buf = NULL;
	size_t len = 0;
	long n;
	FILE *m;
	int rc;

	if (!t->output || !strcmp(t->output, "-"))
		return learn_print(stdout, t->quiet ? NULL : stderr, log, o) < 0 ? -1 : 0;
	m = open_memstream(&buf, &len);
	if (!m) {
		tool_error("out of memory");
		return -1;
	}
	n = learn_print(m, t->quiet ? NULL : stderr, log, o);
	if (fclose(m) || n < 0) {
		free(buf);
		return -1;
	}
	rc = file_write_atomic(t->output, buf, len, 0644);
	free(buf);
	if (rc)
		tool_error("%s: cannot write: %s", t->output, strerror(-rc));
	return rc ? -1 : 0;
}

/* As a shell reports a command: 128 + N for one killed by signal N. */
static int learn_exit_code(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int run_learn(const struct tools_args *t)
{
	char *const *argv = t->pos + t->npos_before_dashdash;
	struct learn_out o = { .as_patch = t->as_patch };
	struct learn_run_opts r = { .argv = argv, .quiet = t->quiet };
	uint32_t arches[BLOB_MAX_ARCHES];
	struct learn_log log;
	struct tool_input base;
	char path[PATH_MAX], why[512];
	int rc, status;

	if (t->npos_before_dashdash)
		return usage_error("--learn takes the program after '--' (got '%s' before it)",
				   t->pos[0]);
	if (!t->dashdash)
		return usage_error("--learn needs '-- PROGRAM [ARGS...]'");
	if (t->npos == t->npos_before_dashdash)
		return usage_error("--learn needs a PROGRAM after '--'");
	if (t->as_patch && !t->policy)
		return usage_error("--as-patch needs --policy P");
	rc = t->policy ? load_input(t, t->policy, NULL, 0, &base) : learn_empty_base(t, &base);
	if (rc)
		return rc;
	if (t->as_patch && base.kind != TOOL_INPUT_POLICY) {
		tool_input_free(&base);
		return usage_error("--as-patch needs a policy, not a compiled profile");
	}
	/* The launcher's search (src/common/path.c): the same program runs under both. */
	rc = path_find_program(argv[0], getenv("PATH"), path, sizeof(path));
	if (rc) {
		tool_input_free(&base);
		tool_error("%s: %s", argv[0], rc == -ENOENT ? "command not found" : strerror(-rc));
		return path_exit_status(-rc);
	}
	r.base = &base.blob;
	r.path = path;
	o.pol = t->policy ? &base : NULL;
	o.program = argv[0];
	memcpy(arches, base.blob.arches, base.blob.narches * sizeof(arches[0]));
	o.arches = arches;
	o.narches = base.blob.narches;
	learn_log_init(&log);
	if (learn_run(&r, &log, &status, why, sizeof(why))) {
		/* An exec that failed still has the child's 126 or 127. */
		tool_error("--learn: %s", why);
		rc = status == -1 ? TOOLS_EXIT_LEARN_FAILED : learn_exit_code(status);
	} else {
		/* The enforced run needs what the launcher does after loading. */
		learn_add_launcher_calls(&log, &base.blob);
		rc = learn_write(t, &log, &o) ? TOOLS_EXIT_LEARN_FAILED : learn_exit_code(status);
	}
	learn_log_free(&log);
	tool_input_free(&base);
	return rc;
}

int tools_main(const struct tools_args *t)
{
	int rc = TOOLS_EXIT_ERROR;

	syscalls_init();
	switch (t->tool) {
	case TOOLS_EXPLAIN:
		rc = run_explain(t);
		break;
	case TOOLS_DISASM:
		rc = run_disasm(t);
		break;
	case TOOLS_FROM_LOG:
		rc = run_from_log(t);
		break;
	case TOOLS_REPORT:
		rc = run_report(t);
		break;
	case TOOLS_DIFF:
		rc = run_diff(t);
		break;
	case TOOLS_SYSCALLS:
		rc = run_syscalls(t);
		break;
	case TOOLS_FROM_OCI:
		rc = run_from_oci(t);
		break;
	case TOOLS_LEARN:
		rc = run_learn(t);
		break;
	case TOOLS_NONE:
		rc = usage_error("no tool given");
		break;
	}
	fflush(stdout);
	if (ferror(stdout)) {
		fputs("sysfence-compile: error writing the output\n", stderr);
		rc = TOOLS_EXIT_ERROR;
	}
	return rc;
}
