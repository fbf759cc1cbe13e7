// SPDX-License-Identifier: MIT
/*
 * sysfence-compile: the front door.  The one parser of the command line
 * (compile and tool options alike) hands the work to one job (job.c), a
 * batch (batch.c) or an admin tool (src/tools, tools_main()).
 *
 * getopt_long runs in order mode ("-" first in the option string): each
 * positional argument comes back where it stands, so that --explain's
 * syscall arguments (-1, -100) stay positional once INPUT and SYSCALL are
 * known.  Only this file exits.
 * Exit status: 0 success, 1 a policy did not compile (or could not be read
 * or written), 2 usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysfence/blob.h"
#include "sysfence/compile/abi.h"
#include "sysfence/compile/compile.h"
#include "sysfence/compile/groups.h"
#include "sysfence/compile/job.h"
#include "sysfence/compile/library.h"
#include "sysfence/compile/syscalls.h"
#include "sysfence/compile/text.h"
#include "sysfence/util.h"
#include "sysfence/tools/tools.h"

#define EXIT_POLICY 1
#define EXIT_USAGE 2

static void usage(FILE *out)
{
	fputs("Usage: sysfence-compile [OPTIONS] INPUT OUTPUT\n"
	      "       sysfence-compile [OPTIONS] --out-dir DIR [-j N] [--force] INPUT...\n"
	      "       sysfence-compile --check [OPTIONS] INPUT...\n"
	      "       sysfence-compile --explain [--arch ARCH] [--json] INPUT SYSCALL [ARG]...\n"
	      "       sysfence-compile --disasm [--raw] INPUT\n"
	      "       sysfence-compile --report [--arch ARCH]... [--json] INPUT\n"
	      "       sysfence-compile --diff [--arch ARCH]... [--json] OLD NEW\n"
	      "       sysfence-compile --from-log [--comm NAME] [--exe PATH] [--pid N]\n"
	      "                        [--policy P [--as-patch]] [--json] [FILE|-]...\n"
	      "       sysfence-compile --learn [--policy P [--as-patch]] [--arch ARCH]...\n"
	      "                        [-o OUT] -- PROGRAM [ARGS]...\n"
	      "       sysfence-compile --syscalls [--arch ARCH]...\n"
	      "       sysfence-compile --list-groups [GROUP]\n"
	      "       sysfence-compile --from-oci [--arch ARCH]... [--caps CAP,...]\n"
	      "                        [--kernel VERSION] FILE.json|- [OUTPUT]\n"
	      "\n"
	      "Compiles a seccomp policy (see sysfence-policy(5)) into a verified blob\n"
	      "for sysfence-launch(1).  INPUT and OUTPUT may be '-' for stdin/stdout.\n"
	      "A tool's INPUT is a policy, a compiled blob or a program written by --raw.\n"
	      "\n"
	      "Compiling:\n"
	      "  --arch ARCH      target architecture, repeatable (default: native and\n"
	      "                   its compat one, e.g. x86_64 and x86); for the tools,\n"
	      "                   the architectures a policy INPUT is compiled for\n"
	      "  --strict         unknown syscall names and conditions on arguments a\n"
	      "                   syscall lacks are errors, not warnings; a note names\n"
	      "                   the syscalls the target architectures lack\n"
	      "  --include-dir DIR\n"
	      "                   the library bare @include names come from (default:\n"
	      "                   $SYSFENCE_INCLUDE_DIR, else " SYSFENCE_INCLUDE_DIR ")\n"
	      "  --check          only report diagnostics, write nothing\n"
	      "  --raw            write the bare program (struct sock_filter[]) to\n"
	      "                   OUTPUT (a stale OUTPUT.deny is removed); for the\n"
	      "                   tools, INPUT must be such a program (and OUTPUT.deny\n"
	      "                   beside it, when there is one, is read too)\n"
	      "  --out-dir DIR    batch mode: write DIR/NAME.bin for each INPUT (DIR is\n"
	      "                   created, mode 0755, when only it is missing)\n"
	      "  -j, --jobs N     batch workers (default: number of cores)\n"
	      "  --force          batch mode: recompile even blobs that are up to date\n"
	      "  -q, --quiet      no warnings, only errors\n"
	      "  --json           --explain, --report, --diff, --from-log and batch mode\n"
	      "                   (--out-dir, --check): one JSON document on stdout instead\n"
	      "                   of the text (fields: sysfence-compile(1), JSON OUTPUT)\n"
	      "\n"
	      "Tools:\n"
	      "  --explain        which rule decides a call: SYSCALL is a name or a\n"
	      "                   number, each ARG a number, -N, a constant, u:USER\n"
	      "                   or g:GROUP (options go before SYSCALL)\n"
	      "  --disasm         the blob's header and annotated programs\n"
	      "  --report         instructions per call and the kernel's action cache\n"
	      "  --diff           the calls two policies or blobs decide differently\n"
	      "  --from-log       the policy lines the audit records ask for (dmesg,\n"
	      "                   journalctl -k, audit.log, ausearch -i; FILE or stdin)\n"
	      "    --comm NAME    only records of this command, repeatable\n"
	      "    --exe PATH     only records of this executable (this path or the\n"
	      "                   same file: /bin/ls is /usr/bin/ls), repeatable\n"
	      "    --pid N        only records of this process, repeatable\n"
	      "    --policy P     leave out what P already allows\n"
	      "    --as-patch     print a patch against P instead of lines\n"
	      "  --learn          run PROGRAM (as you, no privileges needed) and print\n"
	      "                   the policy lines that allow what it did, scalar\n"
	      "                   arguments narrowed to the values it used\n"
	      "    --policy P     trace and print only what P does not allow\n"
	      "    --as-patch     print a patch against P instead of lines\n"
	      "    -o, --output OUT  write the lines to OUT (default: stdout)\n"
	      "  --syscalls       the syscall names of the architectures, one a line\n"
	      "  --list-groups    the syscall groups (@basic-io, ...), or GROUP's calls\n"
	      "  --from-oci       the policy equivalent to an OCI/Docker seccomp profile\n"
	      "                   (JSON), to OUTPUT or stdout; --arch: the architectures\n"
	      "                   to import for (default: this machine's, as the profile\n"
	      "                   lists them)\n"
	      "    --caps CAP,... capabilities the container holds, for the rules'\n"
	      "                   includes/excludes (default: none; ALL for every one)\n"
	      "    --kernel VER   kernel version for minKernel (default: the running one)\n"
	      "\n"
	      "  --version        print the compiler identity and exit\n"
	      "  -h, --help       print this help and exit\n"
	      "\n"
	      "Exit status: compiling 0 done, 1 a policy failed, 2 usage error;\n"
	      "--explain 0 allowed, 1 denied; --diff 0 equivalent, 1 different;\n"
	      "every tool 2 on a usage or input error; --learn: PROGRAM's status\n"
	      "(128+N: killed by signal N), 127 not found, 126 not executable,\n"
	      "125 tracing failed.\n",
	      out);
}

static void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tools_vusage_error(fmt, ap);
	va_end(ap);
	exit(EXIT_USAGE);
}

/* Which mode an option belongs to: checked once the mode is known. */
enum {
	FOR_COMPILE = 1,  /* compiling, single or batch */
	FOR_TOOLS = 2,	  /* every tool */
	FOR_FROM_LOG = 4, /* --from-log only */
	FOR_FROM_OCI = 8, /* --from-oci only */
	FOR_LEARN = 16,	  /* --learn only */
	FOR_ALL = FOR_COMPILE | FOR_TOOLS,
};

enum {
	OPT_ARCH = 256,
	OPT_STRICT,
	OPT_CHECK,
	OPT_RAW,
	OPT_OUT_DIR,
	OPT_FORCE,
	OPT_VERSION,
	OPT_EXPLAIN,
	OPT_DISASM,
	OPT_FROM_LOG,
	OPT_REPORT,
	OPT_DIFF,
	OPT_POLICY,
	OPT_AS_PATCH,
	OPT_COMM,
	OPT_EXE,
	OPT_PID,
	OPT_SYSCALLS,
	OPT_INCLUDE_DIR,
	OPT_LIST_GROUPS,
	OPT_FROM_OCI,
	OPT_CAPS,
	OPT_KERNEL,
	OPT_JSON,
	OPT_LEARN,
	OPT_LAST /* not an option: how many codes there are */
};

static const struct option longopts[] = {
	{ "arch", required_argument, NULL, OPT_ARCH },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "raw", no_argument, NULL, OPT_RAW },
	{ "out-dir", required_argument, NULL, OPT_OUT_DIR },
	{ "jobs", required_argument, NULL, 'j' },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "quiet", no_argument, NULL, 'q' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "help", no_argument, NULL, 'h' },
	{ "explain", no_argument, NULL, OPT_EXPLAIN },
	{ "disasm", no_argument, NULL, OPT_DISASM },
	{ "from-log", no_argument, NULL, OPT_FROM_LOG },
	{ "report", no_argument, NULL, OPT_REPORT },
	{ "diff", no_argument, NULL, OPT_DIFF },
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ "as-patch", no_argument, NULL, OPT_AS_PATCH },
	{ "comm", required_argument, NULL, OPT_COMM },
	{ "exe", required_argument, NULL, OPT_EXE },
	{ "pid", required_argument, NULL, OPT_PID },
	{ "syscalls", no_argument, NULL, OPT_SYSCALLS },
	{ "include-dir", required_argument, NULL, OPT_INCLUDE_DIR },
	{ "list-groups", no_argument, NULL, OPT_LIST_GROUPS },
	{ "from-oci", no_argument, NULL, OPT_FROM_OCI },
	{ "caps", required_argument, NULL, OPT_CAPS },
	{ "kernel", required_argument, NULL, OPT_KERNEL },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "learn", no_argument, NULL, OPT_LEARN },
	{ "output", required_argument, NULL, 'o' },
	{ NULL, 0, NULL, 0 },
};

/* Read as the option list: the padding of a dozen entries does not matter. */
/* NOLINTNEXTLINE(clang-analyzer-optin.performance.Padding) */
static const struct {
	const char *name;
	int opt;
	unsigned modes;
} option_modes[] = {
	{ "--check", OPT_CHECK, FOR_COMPILE },
	{ "--out-dir", OPT_OUT_DIR, FOR_COMPILE },
	{ "--jobs", 'j', FOR_COMPILE },
	{ "--force", OPT_FORCE, FOR_COMPILE },
	{ "--raw", OPT_RAW, FOR_ALL },
	{ "--policy", OPT_POLICY, FOR_FROM_LOG | FOR_LEARN },
	{ "--as-patch", OPT_AS_PATCH, FOR_FROM_LOG | FOR_LEARN },
	{ "--output", 'o', FOR_LEARN },
	{ "--comm", OPT_COMM, FOR_FROM_LOG },
	{ "--exe", OPT_EXE, FOR_FROM_LOG },
	{ "--pid", OPT_PID, FOR_FROM_LOG },
	{ "--caps", OPT_CAPS, FOR_FROM_OCI },
	{ "--kernel", OPT_KERNEL, FOR_FROM_OCI },
};

static const struct {
	int opt;
	enum tools_tool tool;
	const char *name;
} tool_options[] = {
	{ OPT_EXPLAIN, TOOLS_EXPLAIN, "--explain" },
	{ OPT_DISASM, TOOLS_DISASM, "--disasm" },
	{ OPT_FROM_LOG, TOOLS_FROM_LOG, "--from-log" },
	{ OPT_REPORT, TOOLS_REPORT, "--report" },
	{ OPT_DIFF, TOOLS_DIFF, "--diff" },
	{ OPT_SYSCALLS, TOOLS_SYSCALLS, "--syscalls" },
	{ OPT_FROM_OCI, TOOLS_FROM_OCI, "--from-oci" },
	{ OPT_LEARN, TOOLS_LEARN, "--learn" },
};

struct cli {
	struct job_opts job;
	struct tools_args tools;
	unsigned seen[(OPT_LAST + 31) / 32]; /* options given, by code */
	const char *include_dir;
};

static void mark(struct cli *c, int opt)
{
	c->seen[opt / 32] |= 1u << (opt % 32);
}

static bool given(const struct cli *c, int opt)
{
	return c->seen[opt / 32] & (1u << (opt % 32));
}

static void add_arch(struct compile_opts *o, const char *name)
{
	uint32_t a = syscalls_arch_from_name(name);

	if (!a) {
		char known[512];
		size_t n, at = 0;
		const struct abi *all = abi_all(&n);

		for (size_t i = 0; i < n && at < sizeof(known); i++)
			at += (size_t)snprintf(known + at, sizeof(known) - at, "%s%s",
					       i ? ", " : "", all[i].name);
		usage_error("unknown or unsupported architecture '%s' (known: %s)", name, known);
	}
	for (size_t i = 0; i < o->narches; i++)
		if (o->arches[i] == a)
			usage_error("architecture '%s' given twice", name);
	if (o->narches == BLOB_MAX_ARCHES)
		usage_error("at most %u architectures", BLOB_MAX_ARCHES);
	o->arches[o->narches++] = a;
}

static void add_filter(const char **list, size_t *n, const char *value, const char *opt)
{
	if (*n == TOOLS_MAX_FILTERS)
		usage_error("%s: at most %d", opt, TOOLS_MAX_FILTERS);
	list[(*n)++] = value;
}

/* One option (getopt's code and argument) into the request. */
static void take_option(struct cli *c, int opt, const char *arg, const char *text)
{
	struct tools_args *t = &c->tools;

	mark(c, opt);
	switch (opt) {
	case OPT_ARCH:
		add_arch(&c->job.copts, arg);
		break;
	case OPT_STRICT:
		c->job.copts.strict = true;
		break;
	case OPT_CHECK:
		c->job.check = true;
		break;
	case OPT_RAW:
		c->job.raw = t->raw = true;
		break;
	case OPT_OUT_DIR:
		c->job.out_dir = arg;
		break;
	case 'j': {
		char *end;

		errno = 0;
		c->job.jobs = strtol(arg, &end, 10);
		if (errno || *end || end == arg || c->job.jobs < 1 || c->job.jobs > 1024)
			usage_error("--jobs takes a number from 1 to 1024");
		break;
	}
	case OPT_FORCE:
		c->job.force = true;
		break;
	case 'q':
		c->job.quiet = t->quiet = true;
		break;
	case OPT_VERSION:
		printf("%s\n", compile_identity());
		exit(0);
	case 'h':
		usage(stdout);
		exit(fflush(stdout) || ferror(stdout) ? EXIT_POLICY : 0);
	case OPT_POLICY:
		t->policy = arg;
		break;
	case OPT_INCLUDE_DIR:
		c->include_dir = arg;
		break;
	case OPT_LIST_GROUPS:
		break;
	case OPT_AS_PATCH:
		t->as_patch = true;
		break;
	case OPT_COMM:
		add_filter(t->comms, &t->ncomms, arg, "--comm");
		break;
	case OPT_EXE:
		add_filter(t->exes, &t->nexes, arg, "--exe");
		break;
	case OPT_PID: {
		uint64_t pid;

		if (text_parse_u64(arg, strlen(arg), &pid) || pid > INT_MAX)
			usage_error("--pid needs a process id");
		if (t->npids == TOOLS_MAX_FILTERS)
			usage_error("--pid: at most %d", TOOLS_MAX_FILTERS);
		t->pids[t->npids++] = (long long)pid;
		break;
	}
	case OPT_CAPS:
		add_filter(t->caps, &t->ncaps, arg, "--caps");
		break;
	case OPT_KERNEL:
		t->kernel = arg;
		break;
	case OPT_JSON:
		t->json = true;
		break;
	case 'o':
		t->output = arg;
		break;
	default:
		for (size_t i = 0; i < ARRAY_SIZE(tool_options); i++) {
			if (tool_options[i].opt != opt)
				continue;
			if (t->tool != TOOLS_NONE)
				usage_error("%s and %s cannot be combined", t->tool_opt,
					    tool_options[i].name);
			t->tool = tool_options[i].tool;
			t->tool_opt = tool_options[i].name;
			return;
		}
		usage_error("unknown option '%s'", text);
	}
}

/* An option given for another mode is a mistake, not something to ignore. */
static void check_modes(const struct cli *c)
{
	unsigned mode = c->tools.tool == TOOLS_NONE	  ? FOR_COMPILE
			: c->tools.tool == TOOLS_FROM_LOG ? FOR_TOOLS | FOR_FROM_LOG
			: c->tools.tool == TOOLS_FROM_OCI ? FOR_TOOLS | FOR_FROM_OCI
			: c->tools.tool == TOOLS_LEARN	  ? FOR_TOOLS | FOR_LEARN
							  : FOR_TOOLS;

	for (size_t i = 0; i < ARRAY_SIZE(option_modes); i++) {
		if (!given(c, option_modes[i].opt) || (option_modes[i].modes & mode))
			continue;
		if (c->tools.tool == TOOLS_NONE)
			usage_error("%s is an option of %s", option_modes[i].name,
				    option_modes[i].modes & FOR_FROM_OCI   ? "--from-oci"
				    : option_modes[i].modes & FOR_FROM_LOG ? "--from-log"
									   : "--learn");
		usage_error("unknown option '%s' for %s", option_modes[i].name, c->tools.tool_opt);
	}
}

/* --json: only where a document is defined (sysfence-compile(1), JSON OUTPUT). */
static void check_json(const struct cli *c)
{
	static const char where[] = "only --explain, --report, --diff, --from-log, --out-dir "
				    "and --check print JSON";
	enum tools_tool t = c->tools.tool;

	if (!c->tools.json)
		return;
	if (given(c, OPT_LIST_GROUPS))
		usage_error("--json is not available for --list-groups: %s", where);
	if (t == TOOLS_DISASM || t == TOOLS_SYSCALLS || t == TOOLS_FROM_OCI || t == TOOLS_LEARN)
		usage_error("--json is not available for %s: %s", c->tools.tool_opt, where);
	if (t == TOOLS_NONE && !c->job.check && !c->job.out_dir)
		usage_error("--json is not available for a single INPUT OUTPUT: %s", where);
}

static void parse(int argc, char **argv, struct cli *c)
{
	struct tools_args *t = &c->tools;
	int opt;

	t->pos = calloc((size_t)argc + 1, sizeof(*t->pos));
	if (!t->pos) {
		perror("sysfence-compile");
		exit(EXIT_POLICY);
	}
	opterr = 0; /* our own messages, with the hint */
	while ((opt = getopt_long(argc, argv, "-:j:qho:", longopts, NULL)) != -1) {
		const char *text = argv[optind - 1];

		if (opt == 1) {
			t->pos[t->npos++] = optarg;
			/* --explain INPUT SYSCALL: the rest are its arguments. */
			if (t->tool == TOOLS_EXPLAIN && t->npos == 2)
				break;
			continue;
		}
		if (opt == '?') {
			if (optopt)
				usage_error("unknown option '-%c'", optopt);
			usage_error("unknown option '%s'", text);
		}
		if (opt == ':')
			usage_error("option '%s' needs a value", text);
		take_option(c, opt, optarg, text);
	}
	/* --learn -- PROGRAM: getopt stopped at the '--' (order mode). */
	t->npos_before_dashdash = t->npos;
	t->dashdash = optind > 1 && optind <= argc && !strcmp(argv[optind - 1], "--");
	/* After '--', or the syscall arguments of --explain. */
	for (int i = optind; i < argc; i++) {
		if (t->tool == TOOLS_EXPLAIN && t->npos == 2 && !strcmp(argv[i], "--") &&
		    i == optind)
			continue;
		t->pos[t->npos++] = argv[i];
	}
	check_modes(c);
	check_json(c);
}

/* --list-groups [GROUP]: a list, or one group's calls as a policy. */
static int list_groups(const struct cli *c)
{
	const char *name = c->tools.npos ? c->tools.pos[0] : NULL;

	if (c->tools.tool != TOOLS_NONE)
		usage_error("--list-groups and %s cannot be combined", c->tools.tool_opt);
	if (c->tools.npos > 1)
		usage_error("--list-groups takes at most one GROUP");
	if (name) {
		char full[64];
		const char *s;

		snprintf(full, sizeof(full), "%s%s", name[0] == '@' ? "" : "@", name);
		s = groups_find(full, strlen(full)) ? NULL : groups_suggest(full, strlen(full));
		if (s)
			usage_error("unknown syscall group '%s'; did you mean '%s'?", full, s);
		if (!groups_find(full, strlen(full)))
			usage_error("unknown syscall group '%s' (sysfence-compile --list-groups)",
				    full);
	}
	if (groups_print(stdout, name) < 0) {
		fputs("sysfence-compile: out of memory\n", stderr);
		return EXIT_POLICY;
	}
	return fflush(stdout) || ferror(stdout) ? EXIT_POLICY : 0;
}

/* --out-dir or --check: the summary as text on stderr, or JSON on stdout. */
static int run_batch(const struct cli *c, char **inputs, size_t count)
{
	struct batch_result res;
	int rc = batch_run(&c->job, inputs, count, &res);

	batch_print_summary(stderr, &c->job, &res);
	if (c->tools.json && res.inputs && tools_batch_json(stdout, &c->job, &res))
		rc = EXIT_POLICY;
	batch_result_free(&res);
	return rc;
}

int main(int argc, char **argv)
{
	struct cli c = { .job = { .jobs = 0 } };
	struct policy_includer includer = { library_read, NULL, NULL };
	struct job_opts *o = &c.job;
	char **pos;
	size_t npos;
	int rc;

	/*
	 * Past RLIMIT_FSIZE the kernel sends SIGXFSZ, whose default action
	 * killed us with a half-written temporary left beside the output.
	 * Ignored, write(2) fails with EFBIG instead: reported, temporary
	 * removed, like a full disk (tests/integration/badinput_matrix.sh).
	 */
	signal(SIGXFSZ, SIG_IGN);
	syscalls_init();
	parse(argc, argv, &c);
	pos = c.tools.pos;
	npos = c.tools.npos;
	if (given(&c, OPT_LIST_GROUPS)) {
		rc = list_groups(&c);
		free(pos);
		return rc;
	}
	includer.library = c.include_dir ? c.include_dir : library_default_dir();
	o->copts.includer = &includer;
	if (c.tools.tool != TOOLS_NONE) {
		c.tools.copts = o->copts;
		rc = tools_main(&c.tools);
		free(pos);
		return rc;
	}
	if (!o->copts.narches)
		o->copts.narches = syscalls_default_arches(o->copts.arches, BLOB_MAX_ARCHES);
	if (!o->copts.narches)
		usage_error("the native architecture is not supported; use --arch");
	if (!o->jobs)
		o->jobs = batch_default_jobs();
	batch_handle_signals();

	if (o->check) {
		if (!npos)
			usage_error("--check needs at least one INPUT");
		if (o->out_dir || o->raw)
			usage_error("--check writes nothing; drop --out-dir/--raw");
		rc = run_batch(&c, pos, npos);
	} else if (o->out_dir) {
		if (!npos)
			usage_error("--out-dir needs at least one INPUT");
		if (o->raw)
			usage_error("--raw is for a single OUTPUT");
		rc = run_batch(&c, pos, npos);
	} else {
		if (npos != 2)
			usage_error("expected INPUT and OUTPUT (or --out-dir DIR INPUT...)");
		if (o->raw && !strcmp(pos[1], "-"))
			usage_error("--raw needs a file OUTPUT");
		rc = job_compile(o, pos[0], pos[1]) == JOB_FAILED ? EXIT_POLICY : 0;
	}
	free(pos);
	return rc;
}
