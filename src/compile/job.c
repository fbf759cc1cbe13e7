// SPDX-License-Identifier: MIT
/*
 * One compile job: read a policy, run the pure pipeline (compile.c), print
 * its diagnostics GCC style and write the blob atomically.  Output of
 * concurrent batch workers is serialised line by line.
 */
#include "sysfence/compile/job.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sysfence/blob.h"
#include "sysfence/compile/fileio.h"

/* Serialises output of concurrent batch workers. */
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

/* Set by the signal handler: the workers start nothing new and stay quiet. */
static atomic_int interrupted;

void job_interrupt(void)
{
	atomic_store(&interrupted, 1);
}

bool job_interrupted(void)
{
	return atomic_load(&interrupted);
}

static void print_diags(const struct policy_sources *s, struct diag_list *d, bool quiet)
{
	char *text = NULL;
	size_t tlen = 0;
	FILE *mem;

	if (quiet)
		diag_keep_errors(d);
	if (!d->count && !d->dropped)
		return;
	mem = open_memstream(&text, &tlen);
	if (!mem)
		return;
	diag_print_files(mem, d, s->files, s->count);
	fclose(mem);
	pthread_mutex_lock(&out_lock);
	fwrite(text, 1, tlen, stderr);
	fflush(stderr);
	pthread_mutex_unlock(&out_lock);
	free(text);
}

void job_report(const char *name, const char *fmt, ...)
{
	va_list ap;

	if (atomic_load(&interrupted))
		return; /* "cannot write: Interrupted" x N while dying of SIGTERM */
	pthread_mutex_lock(&out_lock);
	fprintf(stderr, "sysfence-compile: %s: ", name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	pthread_mutex_unlock(&out_lock);
}

void job_sweep_temporaries(const char *dir, bool quiet)
{
	size_t removed = 0;

	/* Best effort: a folder that cannot be swept fails its writes later. */
	if (file_remove_stale_temporaries(dir, &removed) == 0 && removed && !quiet)
		job_report(dir, "removed %zu temporar%s left by an interrupted sysfence-compile",
			   removed, removed == 1 ? "y" : "ies");
}

/* The folder of a single OUTPUT, for the sweep. */
static void sweep_folder_of(const char *out, bool quiet)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(out, '/');

	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == out)
		snprintf(dir, sizeof(dir), "/");
	else if (snprintf(dir, sizeof(dir), "%.*s", (int)(slash - out), out) >= (int)sizeof(dir))
		return;
	job_sweep_temporaries(dir, quiet);
}

static int write_raw(const char *out, const struct blob *b)
{
	char deny_path[PATH_MAX];
	int rc;

	if (b->mode == SF_MODE_UNRESTRICTED) {
		job_report(out, "an unrestricted policy has no program to write with --raw");
		return -1;
	}
	if (snprintf(deny_path, sizeof(deny_path), "%s.deny", out) >= (int)sizeof(deny_path)) {
		job_report(out, "path too long");
		return -1;
	}
	rc = file_write_atomic(out, b->allow.insns, b->allow.len * sizeof(struct sock_filter),
			       0644);
	if (!rc && b->deny.len)
		rc = file_write_atomic(deny_path, b->deny.insns,
				       b->deny.len * sizeof(struct sock_filter), 0644);
	else if (!rc && unlink(deny_path) < 0 && errno != ENOENT)
		rc = -errno; /* a stale deny program must not outlive its policy */
	if (rc) {
		job_report(out, "cannot write: %s", strerror(-rc));
		return -1;
	}
	return 0;
}

static int write_output(const char *out, struct blob *b, bool raw)
{
	uint8_t *buf;
	size_t len;
	int rc;

	if (raw)
		return write_raw(out, b);
	rc = blob_serialize(b, &buf, &len);
	if (rc != BLOB_OK) {
		job_report(out, "%s", blob_strerror(rc));
		return -1;
	}
	/*
	 * OUTPUT is NULL only for --check, which never writes (compile_one);
	 * clang-analyzer does not follow that from o->check.
	 */
	/* NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker) */
	if (!strcmp(out, "-"))
		rc = fd_write_all(STDOUT_FILENO, buf, len);
	else
		rc = file_write_atomic(out, buf, len, 0644);
	free(buf);
	if (rc) {
		job_report(out, "cannot write: %s", strerror(-rc));
		return -1;
	}
	return 0;
}

/* Is OUTPUT a valid blob of this very source and compiler?  (batch skip) */
static bool up_to_date(const char *out, const uint8_t digest[DIGEST_SIZE])
{
	char *buf;
	size_t len;
	struct blob b;
	bool same;

	if (file_read_all(out, BLOB_MAX_SIZE, &buf, &len))
		return false;
	if (blob_parse(buf, len, &b, NULL, 0) != BLOB_OK) {
		free(buf);
		return false;
	}
	same = !memcmp(b.source_digest, digest, DIGEST_SIZE);
	blob_free(&b);
	free(buf);
	return same;
}

enum job_result job_compile(const struct job_opts *o, const char *in, const char *out)
{
	const char *name = strcmp(in, "-") ? in : "<stdin>";
	struct policy_sources s;
	struct diag_list d;
	struct blob b;
	char *src;
	size_t len;
	int rc;

	rc = file_read_all(in, POLICY_MAX_SIZE, &src, &len);
	if (rc == -EFBIG) {
		job_report(name, "policy is larger than %u MiB", POLICY_MAX_SIZE >> 20);
		return JOB_FAILED;
	}
	if (rc) {
		job_report(name, "cannot read: %s", strerror(-rc));
		return JOB_FAILED;
	}
	diag_init(&d, DIAG_DEFAULT_LIMIT);
	/* The included files too, before the digest that says "up to date". */
	rc = compile_load(name, src, len, &o->copts, &s, &d);
	if (!rc && out && !o->check && !o->raw && !o->force && o->out_dir) {
		uint8_t digest[DIGEST_SIZE];

		compile_source_digest(&o->copts, &s, digest);
		if (up_to_date(out, digest)) {
			policy_sources_free(&s);
			diag_free(&d);
			free(src);
			return JOB_SKIPPED;
		}
	}
	if (compile_sources(&s, &o->copts, &b, &d) < 0)
		rc = -1;
	print_diags(&s, &d, o->quiet);
	diag_free(&d);
	policy_sources_free(&s);
	free(src);
	if (rc) {
		blob_free(&b);
		return JOB_FAILED;
	}
	/* Batch mode swept its folder once, before its workers started. */
	if (out && !o->check && !o->out_dir && strcmp(out, "-"))
		sweep_folder_of(out, o->quiet);
	if (!o->check && write_output(out, &b, o->raw))
		rc = -1;
	blob_free(&b);
	return rc ? JOB_FAILED : JOB_OK;
}
