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
	unsigned file; /* index into the files it is printed with; 0 = the main one */
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
/* The same about file `file` (an @include'd one; see struct diag_file). */
void diag_add_in(struct diag_list *d, enum diag_level level, unsigned file, unsigned line,
		 unsigned col, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

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

/*
 * A file diagnostics point into: a policy and the files it @includes.  The
 * main file is files[0], its own parent with line 0; an included one
 * names the file and line of its @include.
 */
struct diag_file {
	const char *name; /* as shown: "app.policy", "/usr/share/sysfence/include/base.policy" */
	const char *text;
	size_t len;
	unsigned parent, line;
};

/*
 * diag_print for a policy of several files: each diagnostic names its own
 * file and shows its own line; one about an included file is preceded by
 * the chain it was included through, as GCC prints it:
 *   In file included from mid.inc:3,
 *                    from app.policy:7:
 *   bad.inc:2:5: error: ...
 */
void diag_print_files(FILE *out, const struct diag_list *d, const struct diag_file *files,
		      size_t nfiles);

/*
 * Puts the diagnostics from index `from` on in source order, as if every
 * @include were replaced by its file (the included file's right after its
 * @include line); diagnostics about a whole file (line 0) come after its
 * lines; ties keep their order.
 */
void diag_sort_files(struct diag_list *d, size_t from, const struct diag_file *files,
		     size_t nfiles);

#endif
