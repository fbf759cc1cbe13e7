// SPDX-License-Identifier: MIT
/*
 * The admin tools of sysfence-compile: the thin shell that parses their
 * options, reads the files and hands bytes to the pure modules (explain.c,
 * disasm.c, auditlog.c + fromlog.c, report.c, diff.c).
 *
 * Exit status: --explain 0 allowed, 1 denied; --diff 0 equivalent,
 * 1 different; the others 0; every tool 2 on a usage or input error.
 *
 * Options are parsed by hand rather than with getopt: --explain takes
 * syscall arguments such as -1 or -100, which must stay positional.
 */
#include "sysfence/tools/tools.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sysfence/compile/syscalls.h"
#include "sysfence/compile/compile.h"
#include "sysfence/tools/disasm.h"
#include "sysfence/tools/explain.h"
#include "sysfence/compile/fileio.h"
#include "sysfence/tools/fromlog.h"
#include "sysfence/tools/report.h"
#include "sysfence/tools/diff.h"
#include "sysfence/tools/input.h"
#include "sysfence/compile/text.h"
#include "sysfence/util.h"

#define EXIT_TOOL_ERROR 2
#define LOG_MAX_SIZE (1024u << 20) /* bytes of audit log per file */
#define MAX_FILTERS 64

enum tool {
	TOOL_NONE,
	TOOL_EXPLAIN,
	TOOL_DISASM,
	TOOL_FROM_LOG,
	TOOL_REPORT,
	TOOL_DIFF
};

static const struct {
	const char *opt;
	enum tool tool;
} tool_opts[] = {
	{ "--explain", TOOL_EXPLAIN }, { "--disasm", TOOL_DISASM }, { "--from-log", TOOL_FROM_LOG },
	{ "--report", TOOL_REPORT },   { "--diff", TOOL_DIFF },
};

struct tool_args {
	enum tool tool;
	const char *tool_opt;
	struct compile_opts copts;
	bool quiet, raw, as_patch;
	const char *policy;
	const char *comms[MAX_FILTERS], *exes[MAX_FILTERS];
	long long pids[MAX_FILTERS];
	size_t ncomms, nexes, npids;
	char **pos;
	size_t npos;
};

static void tools_usage(FILE *out)
{
	fputs("Usage: sysfence-compile --explain [--arch ARCH] INPUT SYSCALL [ARG0 ... ARG5]\n"
	      "       sysfence-compile --disasm [--raw] INPUT\n"
	      "       sysfence-compile --report [--arch ARCH]... INPUT\n"
	      "       sysfence-compile --diff [--arch ARCH]... OLD NEW\n"
	      "       sysfence-compile --from-log [--comm NAME] [--exe PATH] [--pid N]\n"
	      "                        [--policy P [--as-patch]] [FILE|-]...\n"
	      "\n"
	      "INPUT is a policy, a compiled blob or a program written by --raw.\n"
	      "See sysfence-compile(1).  Exit status: --explain 0 allowed, 1 denied;\n"
	      "--diff 0 equivalent, 1 different; 2 on errors.\n",
	      out);
}

static int tool_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int tool_error(const char *fmt, ...)
{
	va_list ap;

	fputs("sysfence-compile: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_TOOL_ERROR;
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("sysfence-compile: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'sysfence-compile --help'.\n", stderr);
	return EXIT_TOOL_ERROR;
}

static enum tool tool_of(const char *arg)
{
	for (size_t i = 0; i < sizeof(tool_opts) / sizeof(tool_opts[0]); i++)
		if (!strcmp(arg, tool_opts[i].opt))
			return tool_opts[i].tool;
	return TOOL_NONE;
}

/* "--opt=value" or "--opt value"; returns the value or NULL. */
static const char *opt_value(const char *name, int argc, char **argv, int *i, bool *matched)
{
	size_t n = strlen(name);
	const char *a = argv[*i];

	*matched = false;
	if (strncmp(a, name, n))
		return NULL;
	if (a[n] == '=') {
		*matched = true;
		return a + n + 1;
	}
	if (a[n])
		return NULL;
	*matched = true;
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

/* Returns -1 when parsed, else an exit status. */
static int parse_args(int argc, char **argv, struct tool_args *t)
{
	bool only_pos = false;

	t->pos = calloc((size_t)argc, sizeof(*t->pos));
	if (!t->pos)
		return tool_error("out of memory");
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		bool m;
		enum tool tool;

		if (only_pos || a[0] != '-' || !strcmp(a, "-") ||
		    (a[1] != '-' && strcmp(a, "-h") && strcmp(a, "-q"))) {
			t->pos[t->npos++] = argv[i];
			continue;
		}
		if (!strcmp(a, "--")) {
			only_pos = true;
			continue;
		}
		tool = tool_of(a);
		if (tool != TOOL_NONE) {
			if (t->tool != TOOL_NONE)
				return usage_error("%s and %s cannot be combined", t->tool_opt, a);
			t->tool = tool;
			t->tool_opt = a;
			continue;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			tools_usage(stdout);
			return 0;
		}
		if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			t->quiet = true;
		} else if (!strcmp(a, "--strict")) {
			t->copts.strict = true;
		} else if (!strcmp(a, "--raw")) {
			t->raw = true;
		} else if (!strcmp(a, "--as-patch")) {
			t->as_patch = true;
		} else if ((v = opt_value("--arch", argc, argv, &i, &m)) || m) {
			uint32_t arch = v ? syscalls_arch_from_name(v) : 0;

			if (!v)
				return usage_error("--arch needs an architecture");
			if (!arch)
				return usage_error("unknown or unsupported architecture '%s'", v);
			for (size_t k = 0; k < t->copts.narches; k++)
				if (t->copts.arches[k] == arch)
					return usage_error("architecture '%s' given twice", v);
			if (t->copts.narches == BLOB_MAX_ARCHES)
				return usage_error("at most %u architectures", BLOB_MAX_ARCHES);
			t->copts.arches[t->copts.narches++] = arch;
		} else if ((v = opt_value("--policy", argc, argv, &i, &m)) || m) {
			if (!v)
				return usage_error("--policy needs a file");
			t->policy = v;
		} else if ((v = opt_value("--comm", argc, argv, &i, &m)) || m) {
			if (!v || t->ncomms == MAX_FILTERS)
				return usage_error("--comm needs a name (at most %d)", MAX_FILTERS);
			t->comms[t->ncomms++] = v;
		} else if ((v = opt_value("--exe", argc, argv, &i, &m)) || m) {
			if (!v || t->nexes == MAX_FILTERS)
				return usage_error("--exe needs a path (at most %d)", MAX_FILTERS);
			t->exes[t->nexes++] = v;
		} else if ((v = opt_value("--pid", argc, argv, &i, &m)) || m) {
			uint64_t pid;

			if (!v || text_parse_u64(v, strlen(v), &pid) || pid > INT_MAX ||
			    t->npids == MAX_FILTERS)
				return usage_error("--pid needs a process id");
			t->pids[t->npids++] = (long long)pid;
		} else {
			return usage_error("unknown option '%s' for %s", a,
					   t->tool_opt ? t->tool_opt : "the tools");
		}
	}
	return -1;
}

static void print_diags(const char *name, const char *src, size_t len, struct diag_list *d,
			bool quiet)
{
	if (quiet && !d->errors)
		return;
	if (quiet)
		diag_keep_errors(d);
	diag_print(stderr, d, name, src, len);
}

/*
 * Reads and loads an input.  arches (may be NULL: the options' or the
 * default) is used to compile a policy.  Returns 0 or an exit status.
 */
static int load_input(const struct tool_args *t, const char *path, const uint32_t *arches,
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

		/* sysfence-compile --raw writes the deny program to OUTPUT.deny. */
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
		print_diags(name, buf, len, &d, t->quiet);
	diag_free(&d);
	free(buf);
	free(deny);
	if (rc)
		return tool_error("%s: %s", name, why);
	return 0;
}

/* ---- --explain ---- */

static int run_explain(struct tool_args *t)
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
		if (tool_parse_value(t->pos[i], NULL, &c.args[c.nargs]))
			return usage_error("argument %zu: '%s' is not a number, a constant, "
					   "u:USER or g:GROUP",
					   i - 2, t->pos[i]);
		c.nargs++;
	}
	rc = load_input(t, t->pos[0], t->copts.narches ? &c.arch : NULL, t->copts.narches ? 1 : 0,
			&in);
	if (rc)
		return rc;
	explain_call(&in.blob, in.kind == TOOL_INPUT_POLICY ? &in.pol : NULL, &c, &r);
	explain_print(stdout, &in, name, &c, &r);
	tool_input_free(&in);
	return explain_exit_status(&r);
}

/* ---- --disasm, --report ---- */

static int run_disasm(struct tool_args *t)
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

static int run_report(struct tool_args *t)
{
	struct tool_input in;
	int rc;

	if (t->npos != 1)
		return usage_error("--report needs exactly one INPUT");
	rc = load_input(t, t->pos[0], NULL, 0, &in);
	if (rc)
		return rc;
	report_print(stdout, &in);
	tool_input_free(&in);
	return 0;
}

/* ---- --diff ---- */

static int run_diff(struct tool_args *t)
{
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
	rc = diff_print(stdout, &a, &b);
	tool_input_free(&a);
	tool_input_free(&b);
	return rc;
}

/* ---- --from-log ---- */

static int run_from_log(struct tool_args *t)
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
	struct fromlog l;
	int rc;

	if (t->as_patch && !t->policy)
		return usage_error("--as-patch needs --policy P");
	fromlog_init(&l, &f);
	for (size_t i = 0; i < nfiles; i++) {
		char *buf;
		size_t len;

		rc = file_read_all(files[i], LOG_MAX_SIZE, &buf, &len);
		if (rc) {
			fromlog_free(&l);
			return tool_error("%s: cannot read: %s",
					  strcmp(files[i], "-") ? files[i] : "<stdin>",
					  rc == -EFBIG ? "too large" : strerror(-rc));
		}
		fromlog_feed(&l, buf, len);
		free(buf);
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
	fromlog_print(stdout, t->quiet ? NULL : stderr, &l, polp, t->as_patch);
	if (polp)
		tool_input_free(polp);
	fromlog_free(&l);
	return 0;
}

int tools_main(int argc, char **argv)
{
	struct tool_args t = { .tool = TOOL_NONE };
	int rc = -1;
	bool any = false;

	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		any |= tool_of(argv[i]) != TOOL_NONE;
	if (!any)
		return -1;
	syscalls_init();
	rc = parse_args(argc, argv, &t);
	if (rc >= 0)
		goto out;
	switch (t.tool) {
	case TOOL_EXPLAIN:
		rc = run_explain(&t);
		break;
	case TOOL_DISASM:
		rc = run_disasm(&t);
		break;
	case TOOL_FROM_LOG:
		rc = run_from_log(&t);
		break;
	case TOOL_REPORT:
		rc = run_report(&t);
		break;
	case TOOL_DIFF:
		rc = run_diff(&t);
		break;
	case TOOL_NONE:
		rc = usage_error("no tool given");
		break;
	}
	fflush(stdout);
	if (ferror(stdout)) {
		fputs("sysfence-compile: error writing the output\n", stderr);
		rc = EXIT_TOOL_ERROR;
	}
out:
	free(t.pos);
	return rc;
}
