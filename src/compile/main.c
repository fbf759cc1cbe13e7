// SPDX-License-Identifier: MIT
/*
 * sysfence-compile: the command line.  Reads policies, runs the pure
 * pipeline (compile.c), prints diagnostics and writes blobs atomically.
 * Exit status: 0 success, 1 a policy did not compile (or could not be read
 * or written), 2 usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sysfence/backend.h"
#include "sysfence/blob.h"
#include "sysfence/compile.h"
#include "sysfence/fileio.h"
#include "sysfence/tools.h"

#define EXIT_POLICY 1
#define EXIT_USAGE 2

struct options {
	struct compile_opts copts;
	bool check, raw, force, quiet;
	const char *out_dir;
	long jobs;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: sysfence-compile [OPTIONS] INPUT OUTPUT\n"
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

/* Serialises output of concurrent batch workers. */
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

/* Set by on_signal: the workers start nothing new and stay quiet. */
static atomic_int interrupted;

static void print_diags(const char *name, const char *src, size_t len,
			struct diag_list *d, bool quiet)
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
	diag_print(mem, d, name, src, len);
	fclose(mem);
	pthread_mutex_lock(&out_lock);
	fwrite(text, 1, tlen, stderr);
	fflush(stderr);
	pthread_mutex_unlock(&out_lock);
	free(text);
}

static void report(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report(const char *name, const char *fmt, ...)
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

static int write_raw(const char *out, const struct blob *b)
{
	char deny_path[PATH_MAX];
	int rc;

	if (b->mode == SF_MODE_UNRESTRICTED) {
		report(out, "an unrestricted policy has no program to write with --raw");
		return -1;
	}
	if (snprintf(deny_path, sizeof(deny_path), "%s.deny", out) >= (int)sizeof(deny_path)) {
		report(out, "path too long");
		return -1;
	}
	rc = file_write_atomic(out, b->allow.insns, b->allow.len * sizeof(struct sock_filter), 0644);
	if (!rc && b->deny.len)
		rc = file_write_atomic(deny_path, b->deny.insns,
				       b->deny.len * sizeof(struct sock_filter), 0644);
	else if (!rc && unlink(deny_path) < 0 && errno != ENOENT)
		rc = -errno; /* a stale deny program must not outlive its policy */
	if (rc) {
		report(out, "cannot write: %s", strerror(-rc));
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
		report(out, "%s", blob_strerror(rc));
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
		report(out, "cannot write: %s", strerror(-rc));
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

enum result { RESULT_OK, RESULT_SKIPPED, RESULT_FAILED };

static enum result compile_one(const struct options *o, const char *in, const char *out)
{
	const char *name = strcmp(in, "-") ? in : "<stdin>";
	struct diag_list d;
	struct blob b;
	char *src;
	size_t len;
	int rc;

	rc = file_read_all(in, POLICY_MAX_SIZE, &src, &len);
	if (rc == -EFBIG) {
		report(name, "policy is larger than %u MiB", POLICY_MAX_SIZE >> 20);
		return RESULT_FAILED;
	}
	if (rc) {
		report(name, "cannot read: %s", strerror(-rc));
		return RESULT_FAILED;
	}
	if (out && !o->check && !o->raw && !o->force && o->out_dir) {
		uint8_t digest[DIGEST_SIZE];

		compile_source_digest(&o->copts, src, len, digest);
		if (up_to_date(out, digest)) {
			free(src);
			return RESULT_SKIPPED;
		}
	}
	diag_init(&d, DIAG_DEFAULT_LIMIT);
	rc = compile_policy(src, len, &o->copts, &b, &d);
	print_diags(name, src, len, &d, o->quiet);
	diag_free(&d);
	free(src);
	if (rc)
		return RESULT_FAILED;
	if (!o->check && write_output(out, &b, o->raw))
		rc = -1;
	blob_free(&b);
	return rc ? RESULT_FAILED : RESULT_OK;
}

/* ---- batch mode ---- */

struct batch {
	const struct options *o;
	char **inputs;
	size_t count;
	const char **same_output_as; /* per input: an earlier input, or NULL */
	atomic_size_t next;
	atomic_size_t failed, skipped;
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
	return snprintf(out, outlen, "%s/%.*s.bin", dir, (int)n, base) < (int)outlen ? 0 : -1;
}

static void *batch_worker(void *arg)
{
	struct batch *b = arg;
	size_t i;

	while (!atomic_load(&interrupted) && (i = atomic_fetch_add(&b->next, 1)) < b->count) {
		char out[PATH_MAX];
		enum result r;

		if (!b->o->out_dir) { /* --check: no output */
			r = compile_one(b->o, b->inputs[i], NULL);
			if (r == RESULT_FAILED)
				atomic_fetch_add(&b->failed, 1);
			continue;
		}
		if (output_for(b->o->out_dir, b->inputs[i], out, sizeof(out))) {
			report(b->inputs[i], "cannot name an output for this input");
			atomic_fetch_add(&b->failed, 1);
			continue;
		}
		if (b->same_output_as && b->same_output_as[i]) {
			report(b->inputs[i], "%s is already the output of %s", out,
			       b->same_output_as[i]);
			atomic_fetch_add(&b->failed, 1);
			continue;
		}
		r = compile_one(b->o, b->inputs[i], out);
		if (r == RESULT_FAILED)
			atomic_fetch_add(&b->failed, 1);
		else if (r == RESULT_SKIPPED)
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
static const char **find_shared_outputs(const struct options *o, char **inputs,
					size_t count)
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

static int run_batch(const struct options *o, char **inputs, size_t count)
{
	struct batch b = { .o = o, .inputs = inputs, .count = count };
	size_t nthreads = (size_t)o->jobs;
	pthread_t *threads;
	size_t started = 0;
	struct stat st;

	if (o->out_dir && (stat(o->out_dir, &st) < 0 || !S_ISDIR(st.st_mode))) {
		fprintf(stderr, "sysfence-compile: %s: not a folder\n", o->out_dir);
		return EXIT_POLICY;
	}
	if (nthreads > count)
		nthreads = count;
	threads = calloc(nthreads, sizeof(*threads));
	if (o->out_dir)
		b.same_output_as = find_shared_outputs(o, inputs, count);
	if (!threads || (o->out_dir && !b.same_output_as)) {
		perror("sysfence-compile");
		free(threads);
		free(b.same_output_as);
		return EXIT_POLICY;
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
	if (!o->quiet && o->out_dir)
		fprintf(stderr, "sysfence-compile: %zu compiled, %zu up to date, %zu failed\n",
			count - b.failed - b.skipped, (size_t)b.skipped, (size_t)b.failed);
	return b.failed ? EXIT_POLICY : 0;
}

/* SIGINT/SIGTERM: remove the half-written temporaries, then die of it. */
static void on_signal(int sig)
{
	atomic_store(&interrupted, 1);
	file_remove_pending_temporaries();
	signal(sig, SIG_DFL);
	raise(sig);
}

static long default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? n : 1;
}

enum {
	OPT_ARCH = 256, OPT_STRICT, OPT_CHECK, OPT_RAW, OPT_OUT_DIR, OPT_FORCE,
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
	struct options o = { .jobs = 0 };
	struct sigaction sa = { .sa_handler = on_signal };
	int c, tool;

	/*
	 * Past RLIMIT_FSIZE the kernel sends SIGXFSZ, whose default action
	 * killed us with a half-written temporary left beside the output.
	 * Ignored, write(2) fails with EFBIG instead: reported, temporary
	 * removed, like a full disk (tests/integration/badinput_matrix.sh).
	 */
	signal(SIGXFSZ, SIG_IGN);
	tool = tools_dispatch(argc, argv);
	if (tool >= 0)
		return tool;

	backend_init();
	while ((c = getopt_long(argc, argv, "j:qh", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_ARCH: {
			uint32_t a = backend_arch_from_name(optarg);

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
		o.copts.narches = backend_default_arches(o.copts.arches, BLOB_MAX_ARCHES);
	if (!o.copts.narches)
		usage_error("the native architecture is not supported; use --arch");
	if (!o.jobs)
		o.jobs = default_jobs();

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	argc -= optind;
	argv += optind;
	if (o.check) {
		if (!argc)
			usage_error("--check needs at least one INPUT");
		if (o.out_dir || o.raw)
			usage_error("--check writes nothing; drop --out-dir/--raw");
		return run_batch(&o, argv, (size_t)argc);
	}
	if (o.out_dir) {
		if (!argc)
			usage_error("--out-dir needs at least one INPUT");
		if (o.raw)
			usage_error("--raw is for a single OUTPUT");
		return run_batch(&o, argv, (size_t)argc);
	}
	if (argc != 2)
		usage_error("expected INPUT and OUTPUT (or --out-dir DIR INPUT...)");
	if (o.raw && !strcmp(argv[1], "-"))
		usage_error("--raw needs a file OUTPUT");
	return compile_one(&o, argv[0], argv[1]) == RESULT_FAILED ? EXIT_POLICY : 0;
}
