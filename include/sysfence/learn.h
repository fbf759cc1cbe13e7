/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_LEARN_H
#define SYSFENCE_LEARN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sysfence/logscan.h"
#include "sysfence/tooling.h"

/*
 * --from-log: seccomp audit records in, policy lines out.  Records are fed
 * (from any number of logs, in any mix of formats), filtered, de-duplicated
 * by their audit serial, counted per (architecture, syscall), then named
 * for their architecture and compared with an existing policy.
 */

struct learn_filter {
	const char *const *comms; /* any of (TASK_COMM_LEN-1 bytes compared) */
	size_t ncomms;
	const char *const *exes; /* any of, exact path */
	size_t nexes;
	const long long *pids; /* any of */
	size_t npids;
};

struct learn_stats {
	size_t records;	   /* seccomp records parsed */
	size_t malformed;  /* seccomp records we could not read */
	size_t other;	   /* audit records of other types */
	size_t filtered;   /* records left out by --comm/--exe/--pid */
	size_t duplicates; /* the same record (serial) seen twice */
	size_t used;	   /* the rest */
};

struct learn_entry {
	uint32_t arch;
	char arch_text[LOGSCAN_NAME_MAX];
	bool has_nr;
	uint32_t nr;
	char name[LOGSCAN_NAME_MAX]; /* as logged (ausearch -i) or resolved */
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

struct learn {
	struct learn_filter filter;
	struct learn_stats stats;
	struct learn_entry *entries;
	size_t count, cap;
	uint64_t *seen; /* open-addressing set of record keys */
	size_t seen_count, seen_cap;
	int oom;
};

void learn_init(struct learn *l, const struct learn_filter *f);
void learn_free(struct learn *l);

/* Feeds a whole log (any format mix).  Never fails on bad input. */
void learn_feed(struct learn *l, const char *buf, size_t len);

/* Feeds one parsed record (after filtering).  Used by learn_feed. */
void learn_add(struct learn *l, const struct logscan_record *rec);

/* Architectures of the records that the compiler supports. */
size_t learn_arches(const struct learn *l, uint32_t *out, size_t max);

/*
 * Prints the policy lines to add, sorted and de-duplicated, each with a
 * comment counting its records, then comment lines for what is not added
 * and why.  With pol (a policy input compiled for learn_arches()), only
 * what it does not already allow; with as_patch a unified diff against
 * pol's source.  A one-line summary goes to err.  Returns the number of
 * lines to add.
 */
size_t learn_print(FILE *out, FILE *err, const struct learn *l, const struct tool_input *pol,
		   bool as_patch);

#endif
