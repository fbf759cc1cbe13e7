// SPDX-License-Identifier: MIT
/*
 * sysfence-compile: the command line.  Parses the options and hands the
 * work to one job (job.c), a batch (batch.c) or an admin tool (src/tools).
 * Exit status: 0 success, 1 a policy did not compile (or could not be read
 * or written), 2 usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysfence/blob.h"
#include "sysfence/compile/compile.h"
#include "sysfence/compile/job.h"
#include "sysfence/compile/syscalls.h"
#include "sysfence/tools/tools.h"

#define EXIT_POLICY 1
#define EXIT_USAGE 2

static void usage(FILE *out)
{
	fprintf(out, "Usage: sysfence-compile [OPTIONS] INPUT OUTPUT\n"
		     "       sysfence-compile [OPTIONS] --out-dir DIR [-j N] INPUT...\n"
		     "       sysfence-compile --check [OPTIONS] INPUT...\n"
		     "       sysfence-compile --explain INPUT SYSCALL [ARG...]\n"
		     "       sysfence-compile --disasm BLOB | --report INPUT | --diff OLD NEW\n"
		     "       sysfence-compile --from-log [FILE|-] [--policy P [--as-patch]]\n"
		     "\n"
		     "Compiles a seccomp policy (see sysfence-policy(5)) into a verified blob\n"
		     "for sysfence-launch(1).  INPUT and OUTPUT may be '-' for stdin/stdout.\n"
		     "\n"
		     "Options:\n"
		     "  --arch ARCH      target architecture, repeatable (default: native and\n"
		     "                   its compat one, e.g. x86_64 and x86)\n"
		     "  --strict         unknown syscall names are errors, not warnings\n"
		     "  --check          only report diagnostics, write nothing\n"
		     "  --raw            write the bare allow program (struct sock_filter[])\n"
		     "                   to OUTPUT and the deny program to OUTPUT.deny\n"
		     "  --out-dir DIR    batch mode: write DIR/NAME.bin for each INPUT\n"
		     "  -j, --jobs N     batch workers (default: number of cores)\n"
		     "  --force          batch mode: recompile even blobs that are up to date\n"
		     "  -q, --quiet      no warnings, only errors\n"
		     "  --version        print the compiler identity and exit\n"
		     "  -h, --help       print this help and exit\n"
		     "\n"
		     "Exit status: 0 compiled, 1 a policy failed, 2 usage error.\n");
}

static void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("sysfence-compile: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'sysfence-compile --help'.\n", stderr);
	exit(EXIT_USAGE);
}

enum {
	OPT_ARCH = 256,
	OPT_STRICT,
	OPT_CHECK,
	OPT_RAW,
	OPT_OUT_DIR,
	OPT_FORCE,
	OPT_VERSION,
};

int main(int argc, char **argv)
{
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
		{ NULL, 0, NULL, 0 },
	};
	struct job_opts o = { .jobs = 0 };
	int c, tool;

	/*
	 * Past RLIMIT_FSIZE the kernel sends SIGXFSZ, whose default action
	 * killed us with a half-written temporary left beside the output.
	 * Ignored, write(2) fails with EFBIG instead: reported, temporary
	 * removed, like a full disk (tests/integration/badinput_matrix.sh).
	 */
	signal(SIGXFSZ, SIG_IGN);
	tool = tools_main(argc, argv);
	if (tool >= 0)
		return tool;

	syscalls_init();
	while ((c = getopt_long(argc, argv, "j:qh", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_ARCH: {
			uint32_t a = syscalls_arch_from_name(optarg);

			if (!a)
				usage_error("unknown or unsupported architecture '%s'", optarg);
			for (size_t i = 0; i < o.copts.narches; i++)
				if (o.copts.arches[i] == a)
					usage_error("architecture '%s' given twice", optarg);
			if (o.copts.narches == BLOB_MAX_ARCHES)
				usage_error("at most %u architectures", BLOB_MAX_ARCHES);
			o.copts.arches[o.copts.narches++] = a;
			break;
		}
		case OPT_STRICT:
			o.copts.strict = true;
			break;
		case OPT_CHECK:
			o.check = true;
			break;
		case OPT_RAW:
			o.raw = true;
			break;
		case OPT_OUT_DIR:
			o.out_dir = optarg;
			break;
		case 'j': {
			char *end;

			errno = 0;
			o.jobs = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || o.jobs < 1 || o.jobs > 1024)
				usage_error("--jobs takes a number from 1 to 1024");
			break;
		}
		case OPT_FORCE:
			o.force = true;
			break;
		case 'q':
			o.quiet = true;
			break;
		case OPT_VERSION:
			printf("%s\n", compile_identity());
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fputs("Try 'sysfence-compile --help'.\n", stderr);
			return EXIT_USAGE;
		}
	}
	if (!o.copts.narches)
		o.copts.narches = syscalls_default_arches(o.copts.arches, BLOB_MAX_ARCHES);
	if (!o.copts.narches)
		usage_error("the native architecture is not supported; use --arch");
	if (!o.jobs)
		o.jobs = batch_default_jobs();

	batch_handle_signals();

	argc -= optind;
	argv += optind;
	if (o.check) {
		if (!argc)
			usage_error("--check needs at least one INPUT");
		if (o.out_dir || o.raw)
			usage_error("--check writes nothing; drop --out-dir/--raw");
		return batch_run(&o, argv, (size_t)argc);
	}
	if (o.out_dir) {
		if (!argc)
			usage_error("--out-dir needs at least one INPUT");
		if (o.raw)
			usage_error("--raw is for a single OUTPUT");
		return batch_run(&o, argv, (size_t)argc);
	}
	if (argc != 2)
		usage_error("expected INPUT and OUTPUT (or --out-dir DIR INPUT...)");
	if (o.raw && !strcmp(argv[1], "-"))
		usage_error("--raw needs a file OUTPUT");
	return job_compile(&o, argv[0], argv[1]) == JOB_FAILED ? EXIT_POLICY : 0;
}
