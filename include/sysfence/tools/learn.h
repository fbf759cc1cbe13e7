/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_TOOLS_LEARN_H
#define SYSFENCE_TOOLS_LEARN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sysfence/tools/input.h"

/*
 * --learn: run a program under a filter that hands every call a policy
 * does not allow to a supervisor (seccomp user notification), record the
 * calls with their arguments, and print the policy lines that would have
 * allowed the run.  learn.c runs and supervises (the only part touching
 * the kernel), learnlog.c keeps the distinct calls, learnout.c turns them
 * into lines (both pure).
 */

/* One distinct call seen: its ABI, number, arguments and verdict. */
struct learn_record {
	uint32_t arch, nr;
	uint64_t args[6]; /* as seccomp_data had them; pointer arguments 0 */
	/*
	 * What the base policy (--policy P, or an empty one) answers: the
	 * supervisor answers ERRNO(EACCES) and ERRNO(ENOSYS) itself, as the
	 * enforced policy will (so libc falls back from clone3 to clone, as
	 * it will then); every other call runs.
	 */
	uint32_t action;
	/*
	 * Set when the record stands for every call of (arch, nr): the
	 * distinct records were more than LEARN_MAX_RECORDS, so the line for
	 * it is left unnarrowed rather than narrower than what ran.
	 */
	bool wide;
	/* A call sysfence-launch makes after loading (learn_log_add_launcher). */
	bool launcher;
	size_t count; /* of the program's calls (the launcher's count 0) */
};

/* Distinct records kept; past them, one wide record per (arch, nr). */
#define LEARN_MAX_RECORDS 65536u
/* Lines printed for one syscall before values are merged or widened. */
#define LEARN_MAX_LINES 16u

struct learn_log {
	struct learn_record *v;
	size_t n, cap;
	uint32_t *index; /* record + 1 by key; 0: empty */
	size_t index_cap;
	size_t calls; /* notifications recorded */
	int oom;
};

void learn_log_init(struct learn_log *l);
void learn_log_free(struct learn_log *l);

/*
 * Records a call (arguments as seccomp_data has them).  Arguments that
 * are pointers (argkinds.h) are stored as 0: they never make a line and
 * would make every call distinct.  Sets l->oom when out of memory.
 */
void learn_log_add(struct learn_log *l, uint32_t arch, uint32_t nr, const uint64_t args[6],
		   uint32_t action);

/*
 * Records a call sysfence-launch itself makes after loading the profile
 * (its error message and exit): the enforced run needs it allowed even
 * when the traced program never made it.  Descriptors are narrowed (it
 * writes to 2 only); a line of the program's own that covers it wins.
 */
void learn_log_add_launcher(struct learn_log *l, uint32_t arch, uint32_t nr, const uint64_t args[6],
			    uint32_t action);

/*
 * What the lines are printed for: pol (NULL: none) decides which
 * arguments a line must narrow beyond the scalars (those its rules
 * compare) and is the file a patch is made against; constant names are
 * used only where they have the same value on every target arch.
 */
struct learn_out {
	const struct tool_input *pol;
	const uint32_t *arches;
	size_t narches;
	bool as_patch;
	const char *program; /* for the header of a patch */
};

/*
 * Prints the lines (or a patch), sorted, each with a comment counting its
 * calls, then comment lines for what is not added and why; a summary to
 * err (may be NULL).  The lines are parsed back before they are printed
 * (an error there is a bug).  Returns the number of lines, or -1 (out of
 * memory, or a line that does not parse: said on err).
 */
long learn_print(FILE *out, FILE *err, const struct learn_log *l, const struct learn_out *o);

/* ---- the supervisor (learn.c) ---- */

/*
 * Adds the calls sysfence-launch makes after loading a profile (the
 * write of its error line to fd 2, exit_group with 125, 126 or 127) that
 * base does not allow, as learn_log_add_launcher records.
 */
void learn_add_launcher_calls(struct learn_log *l, const struct blob *base);

struct learn_run_opts {
	const struct blob *base; /* what the program may do without a record */
	const char *path;	 /* the program, resolved (execve's path) */
	char *const *argv;
	bool quiet;
};

/*
 * Runs the program under the filter, records into log, and returns the
 * program's wait status in *status (-1: none).  Returns 0, or -1 with a
 * message in why (the program did not run, or supervising failed: then it
 * and every process it started were killed).  A SIGINT, SIGTERM or SIGHUP to the
 * supervisor kills the program's processes and ends the run normally,
 * *status then saying "killed by that signal".
 */
int learn_run(const struct learn_run_opts *o, struct learn_log *log, int *status, char *why,
	      size_t whylen);

#endif
