/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_TOOLS_TOOLS_H
#define SYSFENCE_TOOLS_TOOLS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "sysfence/compile/compile.h"
#include "sysfence/compile/job.h"

/*
 * The admin tools of sysfence-compile (--explain, --disasm, --from-log,
 * --report, --diff, --from-oci).  The command line is parsed once, by
 * src/compile/main.c, into this request; tools_main() runs it.
 */
enum tools_tool {
	TOOLS_NONE,
	TOOLS_EXPLAIN,
	TOOLS_DISASM,
	TOOLS_FROM_LOG,
	TOOLS_REPORT,
	TOOLS_DIFF,
	TOOLS_SYSCALLS,
	TOOLS_FROM_OCI,
	TOOLS_LEARN,
};

#define TOOLS_MAX_FILTERS 64 /* --comm, --exe, --pid each */

struct tools_args {
	enum tools_tool tool;
	const char *tool_opt;	   /* "--explain", ... for messages */
	struct compile_opts copts; /* --arch, --strict: how policies are compiled */
	bool quiet, raw, as_patch;
	bool json;	    /* --json: one JSON document on stdout instead of the text */
	const char *policy; /* --from-log --policy */
	const char *comms[TOOLS_MAX_FILTERS], *exes[TOOLS_MAX_FILTERS];
	long long pids[TOOLS_MAX_FILTERS];
	size_t ncomms, nexes, npids;
	const char *caps[TOOLS_MAX_FILTERS]; /* --from-oci --caps, each a list */
	size_t ncaps;
	const char *kernel; /* --from-oci --kernel; NULL: the running kernel */
	char **pos;	    /* the positional arguments, in order */
	size_t npos;
	/* --learn: '--' was given, after npos_before_dashdash positionals */
	bool dashdash;
	size_t npos_before_dashdash;
	const char *output; /* --learn -o OUT; NULL: stdout */
};

/*
 * Exit status: --explain 0 allowed, 1 denied; --diff 0 equivalent,
 * 1 different; the others 0; every tool 2 on a usage or input error.
 * --learn: the program's status (128 + N for signal N, like a shell),
 * 127 no such program, 126 not executable, 125 --learn itself failed.
 */
#define TOOLS_EXIT_ERROR 2
#define TOOLS_EXIT_LEARN_FAILED 125

int tools_main(const struct tools_args *t);

/*
 * Batch mode's summary as a JSON document on out (--json).  Returns 0, or
 * -1 with a message on stderr (out of memory).
 */
int tools_batch_json(FILE *out, const struct job_opts *o, const struct batch_result *r);

/*
 * "sysfence-compile: MESSAGE" and "Try 'sysfence-compile --help'." on
 * stderr: every usage error of the command line, the tools' and main.c's.
 */
void tools_vusage_error(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

#endif
