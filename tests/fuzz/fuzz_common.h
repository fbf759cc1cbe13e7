/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_FUZZ_COMMON_H
#define SYSFENCE_FUZZ_COMMON_H

/*
 * Shared by the fuzz targets: the entry point libFuzzer (or replay_main.c)
 * calls, a fake u:/g: resolver (no NSS inside a fuzzer: it would be slow,
 * depend on the machine and open files), and an abort that says why.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysfence/compile/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/*
 * An invariant the sanitizers cannot see is broken: say which, then abort
 * so libFuzzer saves the input as a crash.
 */
#define FUZZ_ASSERT(cond)                                                                          \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__,       \
				#cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/*
 * Users and groups the fake resolver knows.  "wide" and "huge" do not fit a
 * 16-bit argument (chown on x86 takes 16-bit ids); every other name is
 * unknown, which the parser must report as an error.
 */
static const struct {
	const char *name;
	uint32_t id;
} fuzz_ids[] = {
	{ "root", 0 },		 { "daemon", 1 },     { "bin", 2 },
	{ "sysfence", 1000 },	 { "nobody", 65534 }, { "wide", 70000 },
	{ "huge", 4294967295u },
};

static inline int fuzz_lookup(void *ctx, const char *name, uint32_t *id)
{
	(void)ctx;
	/* The parser hands over a NUL-terminated copy: read it as a string. */
	FUZZ_ASSERT(strlen(name) < 256);
	for (size_t i = 0; i < sizeof(fuzz_ids) / sizeof(fuzz_ids[0]); i++) {
		if (!strcmp(name, fuzz_ids[i].name)) {
			*id = fuzz_ids[i].id;
			return 0;
		}
	}
	return -1;
}

static const struct policy_resolver fuzz_resolver = { fuzz_lookup, fuzz_lookup, NULL };

/*
 * A fake file system for @include (no I/O in a fuzzer): a pair of files
 * that include each other, library files with groups, a folder, a FIFO;
 * every other path is missing.  Paths are as the loader resolves them for
 * a main file in the current folder ("./a.inc" -> "a.inc").
 */
static const struct {
	const char *path;
	const char *text;
	int err;
} fuzz_files[] = {
	{ "a.inc", "read\n@include ./b.inc\n~@mount\n", 0 },
	{ "b.inc", "@include ./a.inc\nwrite 1\n", 0 },
	{ "lib/base.policy", "@default\n@include ./c.inc\n", 0 },
	{ "lib/c.inc", "@complain\nsocket AF_UNIX\n", 0 },
	/* What examples/ include (tests/fuzz/seeds.sh copies them). */
	{ "lib/minimal.policy", "@default\nread\nwrite\nopenat\nclose\n", 0 },
	{ "dir", NULL, -21 /* EISDIR */ },
	{ "fifo", NULL, -22 /* EINVAL */ },
};

static inline int fuzz_read(void *ctx, const char *path, size_t max, char **text, size_t *len,
			    uint64_t key[2])
{
	(void)ctx;
	FUZZ_ASSERT(strlen(path) < 4096);
	for (size_t i = 0; i < sizeof(fuzz_files) / sizeof(fuzz_files[0]); i++) {
		if (strcmp(path, fuzz_files[i].path))
			continue;
		if (!fuzz_files[i].text)
			return fuzz_files[i].err;
		if (strlen(fuzz_files[i].text) > max)
			return -27; /* EFBIG */
		*text = strdup(fuzz_files[i].text);
		if (!*text)
			return -12; /* ENOMEM */
		*len = strlen(*text);
		key[0] = 1;
		key[1] = i + 1;
		return 0;
	}
	return -2; /* ENOENT */
}

static const struct policy_includer fuzz_includer = { fuzz_read, "lib", NULL };

/* Diagnostics kept per input (the compiler keeps DIAG_DEFAULT_LIMIT). */
#define FUZZ_DIAG_LIMIT 10

/* Number of lines as the parser counts them ('\n' ends a line). */
static inline size_t fuzz_count_lines(const uint8_t *data, size_t size)
{
	size_t n = 0;

	for (size_t i = 0; i < size; i++)
		n += data[i] == '\n';
	return n + (size && data[size - 1] != '\n');
}

#endif
