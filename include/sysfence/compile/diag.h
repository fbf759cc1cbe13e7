/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_COMPILE_DIAG_H
#define SYSFENCE_COMPILE_DIAG_H

#include <stddef.h>
#include <stdio.h>

/*
 * Diagnostics collected by the pure parts of the compiler (parser, resolver,
 * backend) and printed GCC style by the command line:
 *   FILE:LINE:COL: error: MESSAGE
 *    text of the line
 *        ^
 */
enum diag_level {
	DIAG_ERROR,
	DIAG_WARNING,
	DIAG_NOTE
};

struct diag {
	enum diag_level level;
	unsigned line; /* 1-based; 0 = about the whole file */
	unsigned col;  /* 1-based byte column; 0 = no caret */
	char *msg;
};

struct diag_list {
	struct diag *items;
	size_t count, cap;
	size_t limit;  /* items kept; the rest are only counted */
	size_t errors; /* all errors, kept or not */
	size_t warnings;
	size_t dropped; /* diagnostics not kept because of limit */
	int oom;	/* an allocation failed while recording */
};

#define DIAG_DEFAULT_LIMIT 50

void diag_init(struct diag_list *d, size_t limit);
void diag_free(struct diag_list *d);
void diag_add(struct diag_list *d, enum diag_level level, unsigned line, unsigned col,
	      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Orders the kept diagnostics by line (stable; whole-file ones last). */
void diag_sort(struct diag_list *d);

/* Drops the warnings and notes (for --quiet); errors stay. */
void diag_keep_errors(struct diag_list *d);

/*
 * Prints every kept diagnostic; when src is not NULL the offending line is
 * shown with a caret under col.  Control bytes in the source are shown as
 * '?' so a hostile policy cannot drive the terminal.
 */
void diag_print(FILE *out, const struct diag_list *d, const char *file, const char *src,
		size_t len);

#endif
