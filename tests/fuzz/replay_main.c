// SPDX-License-Identifier: MIT
/*
 * A plain main() for the fuzz targets: runs LLVMFuzzerTestOneInput once on
 * every file named on the command line (a folder: every file in it, in name
 * order).  Linked instead of libFuzzer, with ASan and UBSan, so `make check`
 * replays the saved corpus and every regression input without clang's
 * fuzzer runtime: an input that once crashed stays a test.
 *
 *   fuzz_parse.replay [-v] PATH...
 *
 * Names each input on stderr before running it (so a sanitizer report is
 * attributed), exits 0 when all ran, 1 when one could not be read; a
 * sanitizer or a failed invariant aborts.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_common.h"

/* The corpus files are small; refuse anything absurd instead of mapping it. */
#define REPLAY_MAX_INPUT (16u << 20)

static int verbose;
static unsigned long ran;

static int run_file(const char *path)
{
	struct stat st;
	uint8_t *buf;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > (off_t)REPLAY_MAX_INPUT) {
		fprintf(stderr, "replay: %s: not a regular file of at most 16 MiB\n", path);
		close(fd);
		return -1;
	}
	/* An exact-size copy, so ASan sees a read one byte past the input. */
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!buf) {
		close(fd);
		return -1;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n <= 0) {
			fprintf(stderr, "replay: %s: short read\n", path);
			free(buf);
			close(fd);
			return -1;
		}
		got += (size_t)n;
	}
	close(fd);
	if (verbose)
		fprintf(stderr, "replay: %s (%zu bytes)\n", path, got);
	else
		fprintf(stderr, "Running: %s\n", path);
	LLVMFuzzerTestOneInput(buf, got);
	free(buf);
	ran++;
	return 0;
}

static int name_order(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int run_path(const char *path)
{
	struct dirent **ents;
	struct stat st;
	int n, rc = 0;

	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return run_file(path);
	n = scandir(path, &ents, NULL, name_order);
	if (n < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char sub[4096];

		if (ents[i]->d_name[0] != '.' &&
		    (size_t)snprintf(sub, sizeof(sub), "%s/%s", path, ents[i]->d_name) <
			    sizeof(sub) &&
		    run_file(sub) < 0)
			rc = -1;
		free(ents[i]);
	}
	free(ents);
	return rc;
}

int main(int argc, char **argv)
{
	int rc = 0, first = 1;

	if (argc > 1 && !strcmp(argv[1], "-v")) {
		verbose = 1;
		first = 2;
	}
	LLVMFuzzerInitialize(&argc, &argv);
	for (int i = first; i < argc; i++)
		if (run_path(argv[i]) < 0)
			rc = 1;
	fprintf(stderr, "replay: %lu inputs ran\n", ran);
	return rc;
}
