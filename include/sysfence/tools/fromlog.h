/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_TOOLS_FROMLOG_H
#define SYSFENCE_TOOLS_FROMLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sysfence/tools/auditlog.h"
#include "sysfence/tools/input.h"

/*
 * --from-log: seccomp audit records in, policy lines out.  Records are fed
 * (from any number of logs, in any mix of formats), filtered, de-duplicated
 * by their audit serial, counted per (architecture, syscall), then named
 * for their architecture and compared with an existing policy.
 */

struct fromlog_filter {
	const char *const *comms; /* any of (TASK_COMM_LEN-1 bytes compared) */
	size_t ncomms;
	const char *const *exes; /* any of: the same path, or the same file */
	size_t nexes;
	const long long *pids; /* any of */
	size_t npids;
};

struct fromlog_stats {
	size_t records;	   /* seccomp records parsed */
	size_t malformed;  /* seccomp records we could not read */
	size_t other;	   /* audit records of other types */
	size_t filtered;   /* records left out by --comm/--exe/--pid */
	size_t duplicates; /* the same record (serial) seen twice */
	size_t used;	   /* the rest */
	size_t too_long;   /* lines over AUDITLOG_LINE_MAX: skipped */
	size_t binary;	   /* lines with NUL bytes: skipped */
	/* Used records never checked for duplicates: the set was full. */
	size_t unchecked;
	/* Used records of calls past FROMLOG_MAX_ENTRIES distinct ones. */
	size_t untracked;
};

/*
 * Bounds that keep an endless or hostile log within a few tens of MB: the
 * serials remembered for finding duplicates (16 MiB of set) and the
 * distinct (architecture, call) pairs counted (a kernel has ~500 a table).
 */
#define FROMLOG_MAX_SEEN (1u << 20)
#define FROMLOG_MAX_ENTRIES 65536u

struct fromlog_entry {
	uint32_t arch;
	char arch_text[AUDITLOG_NAME_MAX];
	bool has_nr;
	uint32_t nr;
	char name[AUDITLOG_NAME_MAX]; /* as logged (ausearch -i) or resolved */
	size_t count;
	/*
	 * Records whose action was ERRNO.  The kernel logs the action
	 * without its data (kernel/seccomp.c passes filter_ret &
	 * SECCOMP_RET_ACTION_FULL to audit_seccomp), so which errno it was
	 * is not in the log: an explicit denial (EACCES), a default one
	 * (EPERM) and ENOSYS all read code=0x50000.
	 */
	size_t errnos;
};

struct fromlog {
	struct fromlog_filter filter;
	struct fromlog_stats stats;
	struct fromlog_entry *entries;
	size_t count, cap;
	uint32_t *index; /* entry + 1 by (arch, call); 0: empty */
	size_t index_cap;
	uint64_t *seen; /* open-addressing set of record keys */
	size_t seen_count, seen_cap;
	/*
	 * --exe PATH matches a record of another path to the same file
	 * (merged /usr: the kernel logs /usr/bin/ls for /bin/ls): the files
	 * the --exe paths name, and the last record path compared.
	 */
	struct fromlog_file *exe_files;
	char *last_exe;
	bool last_exe_matched;
	int oom;
};

void fromlog_init(struct fromlog *l, const struct fromlog_filter *f);
void fromlog_free(struct fromlog *l);

/* Feeds a whole log (any format mix).  Never fails on bad input. */
void fromlog_feed(struct fromlog *l, const char *buf, size_t len);

/* The longest line read: a record line and its CR (CRLF logs). */
#define FROMLOG_LINE_MAX (AUDITLOG_LINE_MAX + 1)

/*
 * Feeds one line (without its newline).  cut: the line was longer than
 * FROMLOG_LINE_MAX and this is its beginning; it is counted, never read
 * as a record.  What a reader that streams a log calls, line by line.
 */
void fromlog_feed_line(struct fromlog *l, const char *line, size_t len, bool cut);

/* Feeds one parsed record (after filtering).  Used by fromlog_feed. */
void fromlog_add(struct fromlog *l, const struct auditlog_record *rec);

/* Architectures of the records that the compiler supports. */
size_t fromlog_arches(const struct fromlog *l, uint32_t *out, size_t max);

/* What becomes of a call found in the records. */
enum fromlog_class {
	FROMLOG_ADD,	      /* a line to add */
	FROMLOG_ADD_PARTIAL,  /* to add, but the policy has argument rules for it */
	FROMLOG_ALREADY,      /* the policy allows it whatever the arguments */
	FROMLOG_DENIED,	      /* explicitly denied ('~' rule or EACCES): never added */
	FROMLOG_ENOSYS,	      /* ENOSYS by design (clone3): not added */
	FROMLOG_UNKNOWN_NR,   /* a number the compiler does not know on that arch */
	FROMLOG_UNKNOWN_NAME, /* ausearch -i gave a name the compiler does not know */
	FROMLOG_UNKNOWN_ARCH, /* an architecture the compiler does not support */
};

/* A policy line a result points to: file indexes pol->sources (line 0: none). */
struct fromlog_where {
	unsigned file, line;
};

/* One call (per name; per number where the name is unknown), merged over its records. */
struct fromlog_item {
	enum fromlog_class cls;
	char name[AUDITLOG_NAME_MAX];
	char arch_text[AUDITLOG_NAME_MAX]; /* unknown arch / number: which */
	uint32_t nr;			   /* FROMLOG_UNKNOWN_NR only */
	uint32_t arches[BLOB_MAX_ARCHES];  /* of the records, in the order seen */
	size_t narches;
	size_t count; /* records */
	struct fromlog_where where;
};

/*
 * What --from-log found, computed once and printed as text or JSON: the
 * items sorted (named calls by name, then the nameless), the text of the
 * lines to add and the comments, and with as_patch the unified diff.
 */
struct fromlog_result {
	struct fromlog_item *items;
	size_t count;
	size_t added, already; /* lines to add; calls pol already allows */
	char *lines;	       /* the lines and comments, as printed without --as-patch */
	size_t lineslen;
	char *patch; /* as_patch and lines to add: the diff against pol's source */
	size_t patchlen;
};

/*
 * The calls of l classified (against pol when not NULL), merged per name
 * and sorted (named calls by name, then the nameless by architecture and
 * number): a new array, freed by the caller.  Out of memory drops calls.
 */
void fromlog_classify(const struct fromlog *l, const struct tool_input *pol,
		      struct fromlog_item **items, size_t *count);

/*
 * fromlog_text.c.  Classifies the calls of l: with pol (a policy input compiled for
 * fromlog_arches()), only what it does not already allow; with as_patch
 * (pol a policy) also a unified diff against pol's source.  Returns 0, or
 * -1 when out of memory.
 */
int fromlog_build(const struct fromlog *l, const struct tool_input *pol, bool as_patch,
		  struct fromlog_result *r);
void fromlog_result_free(struct fromlog_result *r);

/* The file a where is in: pol's main file or one it includes. */
const char *fromlog_where_file(const struct tool_input *pol, const struct fromlog_where *w);

/* The summary ("N seccomp records read: ...") and notes of what was skipped. */
void fromlog_print_summary(FILE *err, const struct fromlog *l, const struct tool_input *pol,
			   const struct fromlog_result *r);

/*
 * Prints the policy lines to add, sorted and de-duplicated, each with a
 * comment counting its records, then comment lines for what is not added
 * and why.  With pol (a policy input compiled for fromlog_arches()), only
 * what it does not already allow; with as_patch a unified diff against
 * pol's source.  The summary goes to err (may be NULL).  Returns the
 * number of lines to add.
 */
size_t fromlog_print(FILE *out, FILE *err, const struct fromlog *l, const struct tool_input *pol,
		     bool as_patch);

/*
 * The result as a --json document (fromlog_json.c); interrupted: the
 * reading was stopped by a signal.  NULL when out of memory.
 */
struct json_object;
struct json_object *fromlog_json(const struct fromlog *l, const struct tool_input *pol,
				 const struct fromlog_result *r, bool interrupted);

/*
 * The architectures of a line's calls, as --from-log and --learn keep them:
 * fromlog_arch_add puts arch (never 0) into arches[0..*n), at most
 * BLOB_MAX_ARCHES and each once; fromlog_arch_note writes " (x86)" or
 * " (x86_64, x86)" into buf when they are not all the native one (the
 * native first, the others by name), "" otherwise.
 */
void fromlog_arch_add(uint32_t *arches, size_t *n, uint32_t arch);
void fromlog_arch_note(const uint32_t *arches, size_t n, char *buf, size_t len);

/*
 * A unified diff that appends body (whole lines) to the end of p's source
 * (a policy input): the patch --as-patch prints, for --learn too.
 */
void fromlog_patch(FILE *out, const struct tool_input *p, const char *body, size_t bodylen);

#endif
