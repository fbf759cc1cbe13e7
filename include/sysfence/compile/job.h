/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_COMPILE_JOB_H
#define SYSFENCE_COMPILE_JOB_H

#include <stdbool.h>
#include <stddef.h>

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

/*
 * Compiles every input on o->jobs workers (--out-dir DIR, or --check when
 * out_dir is NULL).  Returns 0 when every input compiled, 1 otherwise.
 */
int batch_run(const struct job_opts *o, char **inputs, size_t count);

/*
 * SIGINT, SIGTERM and SIGHUP remove the temporaries being written, then
 * end the process by the same signal.
 */
void batch_handle_signals(void);

/* The number of online cores, at least 1. */
long batch_default_jobs(void);

#endif
