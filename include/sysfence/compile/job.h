/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_COMPILE_JOB_H
#define SYSFENCE_COMPILE_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "sysfence/compile/compile.h"

/*
 * One policy in, one blob out, with the file I/O around the pure pipeline
 * (job.c), and many of them on a pool of workers (batch.c).  Both report
 * on stderr; neither exits: main.c turns their results into exit statuses.
 */
struct job_opts {
	struct compile_opts copts;
	bool check, raw, force, quiet;
	const char *out_dir; /* batch mode */
	long jobs;	     /* batch workers */
};

enum job_result {
	JOB_OK,
	JOB_SKIPPED,
	JOB_FAILED
};

/*
 * Reads in ("-": stdin), compiles it, prints its diagnostics and writes out
 * atomically ("-": stdout; NULL with --check).  In batch mode an out that
 * is already a blob of this very source and compiler is skipped.
 */
enum job_result job_compile(const struct job_opts *o, const char *in, const char *out);

/* "sysfence-compile: NAME: message" on stderr, one line, whole. */
void job_report(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Removes the temporaries that interrupted runs left in dir (never one a
 * live writer holds) and says how many, unless quiet.
 */
void job_sweep_temporaries(const char *dir, bool quiet);

/*
 * Stops new jobs and quiets reports (set from a signal handler: the
 * workers finish what they write and start nothing new).
 */
void job_interrupt(void);
bool job_interrupted(void);

/* What became of each input of a batch, in command-line order. */
struct batch_input {
	const char *input;
	char *output; /* DIR/NAME.bin; NULL with --check or when none could be named */
	enum job_result result;
};

struct batch_result {
	struct batch_input *inputs; /* NULL: the batch could not start */
	size_t count;
	size_t compiled, skipped, failed; /* --check: compiled counts the good ones */
};

/*
 * Compiles every input on o->jobs workers (--out-dir DIR, or --check when
 * out_dir is NULL) and fills res.  Returns 0 when every input compiled,
 * 1 otherwise.  res is freed with batch_result_free(), whatever happened.
 */
int batch_run(const struct job_opts *o, char **inputs, size_t count, struct batch_result *res);
void batch_result_free(struct batch_result *res);

/* "N compiled, N up to date, N failed" (batch mode; nothing for --check). */
void batch_print_summary(FILE *err, const struct job_opts *o, const struct batch_result *res);

/*
 * SIGINT, SIGTERM and SIGHUP remove the temporaries being written, then
 * end the process by the same signal.
 */
void batch_handle_signals(void);

/* The number of online cores, at least 1. */
long batch_default_jobs(void);

#endif
