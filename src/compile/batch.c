// SPDX-License-Identifier: MIT
/*
 * Batch mode: many policies on a pool of worker threads (a package manager
 * recompiling every profile on upgrade), and the signals that must not
 * leave a half-written temporary behind.
 */
#include "sysfence/compile/job.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sysfence/blob.h"
#include "sysfence/compile/fileio.h"

struct batch {
	const struct job_opts *o;
	char **inputs;
	size_t count;
	const char **same_output_as; /* per input: an earlier input, or NULL */
	atomic_size_t next;
	atomic_size_t failed, skipped;
	struct batch_input *results; /* one per input, each written by one worker */
};

static int output_for(const char *dir, const char *in, char *out, size_t outlen)
{
	const char *base = strrchr(in, '/');
	size_t n;

	base = base ? base + 1 : in;
	n = strlen(base);
	if (n > 7 && !strcmp(base + n - 7, ".policy"))
		n -= 7;
	if (!n)
		return -1;
	/* A name sysfence-launch could never load from the store. */
	if (n > BLOB_NAME_MAX)
		return -2;
	return snprintf(out, outlen, "%s/%.*s.bin", dir, (int)n, base) < (int)outlen ? 0 : -1;
}

static void *batch_worker(void *arg)
{
	struct batch *b = arg;
	size_t i;

	while (!job_interrupted() && (i = atomic_fetch_add(&b->next, 1)) < b->count) {
		char out[PATH_MAX];
		enum job_result r;
		int rc;

		if (!b->o->out_dir) { /* --check: no output */
			r = job_compile(b->o, b->inputs[i], NULL);
			b->results[i].result = r;
			if (r == JOB_FAILED)
				atomic_fetch_add(&b->failed, 1);
			continue;
		}
		rc = output_for(b->o->out_dir, b->inputs[i], out, sizeof(out));
		if (!rc)
			b->results[i].output = strdup(out); /* NULL: the summary names none */
		if (rc == -2) {
			job_report(b->inputs[i],
				   "its profile name is longer than %u bytes, the longest "
				   "sysfence-launch loads (NAME.bin must fit a file name)",
				   BLOB_NAME_MAX);
			atomic_fetch_add(&b->failed, 1);
			continue;
		}
		if (rc) {
			job_report(b->inputs[i], "cannot name an output for this input");
			atomic_fetch_add(&b->failed, 1);
			continue;
		}
		if (b->same_output_as && b->same_output_as[i]) {
			job_report(b->inputs[i], "%s is already the output of %s", out,
				   b->same_output_as[i]);
			atomic_fetch_add(&b->failed, 1);
			continue;
		}
		r = job_compile(b->o, b->inputs[i], out);
		b->results[i].result = r;
		if (r == JOB_FAILED)
			atomic_fetch_add(&b->failed, 1);
		else if (r == JOB_SKIPPED)
			atomic_fetch_add(&b->skipped, 1);
	}
	return NULL;
}

struct named_output {
	char *out;
	size_t input;
};

static int cmp_named_output(const void *pa, const void *pb)
{
	const struct named_output *a = pa, *b = pb;
	int c = strcmp(a->out, b->out);

	return c ? c : a->input < b->input ? -1 : a->input > b->input;
}

/*
 * Two inputs with one output name (a/x.policy and b/x.policy) would write
 * over each other's blob, the survivor depending on the workers' timing: the
 * later ones on the command line fail instead.  NULL when out of memory.
 */
static const char **find_shared_outputs(const struct job_opts *o, char **inputs, size_t count)
{
	struct named_output *v = calloc(count, sizeof(*v));
	const char **same = calloc(count, sizeof(*same));
	size_t n = 0;

	if (!v || !same)
		goto fail;
	for (size_t i = 0; i < count; i++) {
		char out[PATH_MAX];

		if (output_for(o->out_dir, inputs[i], out, sizeof(out)))
			continue; /* the worker reports it */
		v[n].out = strdup(out);
		v[n].input = i;
		if (!v[n++].out)
			goto fail;
	}
	qsort(v, n, sizeof(*v), cmp_named_output);
	for (size_t i = 1, first = 0; i < n; i++) {
		if (strcmp(v[i].out, v[first].out))
			first = i;
		else
			same[v[i].input] = inputs[v[first].input];
	}
	for (size_t i = 0; i < n; i++)
		free(v[i].out);
	free(v);
	return same;
fail:
	for (size_t i = 0; v && i < n; i++)
		free(v[i].out);
	free(v);
	free(same);
	return NULL;
}

/*
 * --out-dir DIR: an existing folder, or a new one made here, 0755 (blobs are
 * 0644 and the launcher trusts a store only when no one but its owner can
 * write to it).  Only the last component is made: a missing parent is more
 * likely a typo than a store to build, as with mkdir without -p.
 */
static int ensure_out_dir(const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0755) == 0)
		return 0;
	if (errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	if (errno == EEXIST || errno == ENOTDIR)
		fprintf(stderr, "sysfence-compile: %s: not a folder\n", dir);
	else if (errno == ENOENT)
		fprintf(stderr,
			"sysfence-compile: %s: cannot create: its parent folder does not exist\n",
			dir);
	else
		fprintf(stderr, "sysfence-compile: %s: cannot create: %s\n", dir, strerror(errno));
	return -1;
}

int batch_run(const struct job_opts *o, char **inputs, size_t count, struct batch_result *res)
{
	struct batch b = { .o = o, .inputs = inputs, .count = count };
	size_t nthreads = (size_t)o->jobs;
	pthread_t *threads;
	size_t started = 0;

	memset(res, 0, sizeof(*res));
	if (o->out_dir && ensure_out_dir(o->out_dir))
		return 1;
	b.results = calloc(count, sizeof(*b.results));
	if (!b.results) {
		perror("sysfence-compile");
		return 1;
	}
	for (size_t i = 0; i < count; i++) /* failed until a worker says otherwise */
		b.results[i] = (struct batch_input){ .input = inputs[i], .result = JOB_FAILED };
	/* What killed runs left behind; the workers' own are not made yet. */
	if (o->out_dir)
		job_sweep_temporaries(o->out_dir, o->quiet);
	if (nthreads > count)
		nthreads = count;
	threads = calloc(nthreads, sizeof(*threads));
	if (o->out_dir)
		b.same_output_as = find_shared_outputs(o, inputs, count);
	if (!threads || (o->out_dir && !b.same_output_as)) {
		perror("sysfence-compile");
		free(threads);
		free(b.same_output_as);
		free(b.results);
		return 1;
	}
	/*
	 * A terminating signal may land on any thread; file_write_atomic()
	 * blocks it while it writes, so the handler never runs on a thread
	 * whose temporary file it is waiting for.
	 */
	for (; started < nthreads; started++)
		if (pthread_create(&threads[started], NULL, batch_worker, &b))
			break;
	if (!started)
		batch_worker(&b);
	for (size_t i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	free(threads);
	free(b.same_output_as);
	res->inputs = b.results;
	res->count = count;
	res->failed = b.failed;
	res->skipped = b.skipped;
	res->compiled = count - res->failed - res->skipped;
	return b.failed ? 1 : 0;
}

void batch_result_free(struct batch_result *res)
{
	for (size_t i = 0; res->inputs && i < res->count; i++)
		free(res->inputs[i].output);
	free(res->inputs);
	memset(res, 0, sizeof(*res));
}

void batch_print_summary(FILE *err, const struct job_opts *o, const struct batch_result *res)
{
	if (!o->quiet && o->out_dir && res->inputs)
		fprintf(err, "sysfence-compile: %zu compiled, %zu up to date, %zu failed\n",
			res->compiled, res->skipped, res->failed);
}

/* SIGINT/SIGTERM: remove the half-written temporaries, then die of it. */
static void on_signal(int sig)
{
	job_interrupt();
	file_remove_pending_temporaries();
	signal(sig, SIG_DFL);
	raise(sig);
}

long batch_default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? n : 1;
}

void batch_handle_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}
