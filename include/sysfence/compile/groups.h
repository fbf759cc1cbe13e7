/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_COMPILE_GROUPS_H
#define SYSFENCE_COMPILE_GROUPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sysfence/digest.h"

/*
 * Syscall groups: a rule whose syscall name is @NAME (`@network-io`,
 * `~@mount`) stands for every call of the group.  Our own curated lists,
 * with the meaning systemd's SystemCallFilter= users know (documented per
 * group in docs/policy-language.md and sysfence-policy(5)).  A member that
 * a target architecture lacks is skipped there, like any rule.
 */
struct groups_group {
	const char *name;	 /* "@network-io" */
	const char *description; /* one line, for --list-groups */
	/* NULL-terminated; "@x" names another group.  NULL for @known. */
	const char *const *members;
};

/* At most 64 groups: a set of them fits a uint64_t (groups_expand). */
#define GROUPS_MAX 64

/* Every group, sorted by name. */
const struct groups_group *groups_all(size_t *count);

/* The group called name[0..len) ("@mount"), or NULL. */
const struct groups_group *groups_find(const char *name, size_t len);

/* The closest group name to name[0..len), or NULL when none is close. */
const char *groups_suggest(const char *name, size_t len);

/*
 * Calls fn once for every syscall of g, nested groups expanded, in name
 * order.  *done is a set of groups (bit = index in groups_all) already
 * expanded by the caller: they are skipped, and g and every group it
 * nests are added.  Returns 0, -1 when out of memory, or fn's first
 * non-zero return.
 */
int groups_expand(const struct groups_group *g, uint64_t *done,
		  int (*fn)(void *ctx, const char *name), void *ctx);

/*
 * SHA-256 over every group's name and members, so that a compiler whose
 * lists changed recompiles the profiles that use them.
 */
void groups_digest(uint8_t out[DIGEST_SIZE]);

/*
 * --list-groups: with name NULL, every group and its description; with a
 * name (with or without the '@'), the group's calls, one per line, as a
 * policy (calls no syscall table knows are listed as comments).  Returns
 * 0, or -1 when there is no such group.
 */
int groups_print(FILE *out, const char *name);

#endif
