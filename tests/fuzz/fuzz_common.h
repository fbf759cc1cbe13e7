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
