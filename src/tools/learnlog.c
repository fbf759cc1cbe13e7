// SPDX-License-Identifier: MIT
/*
 * --learn: the set of calls a run made, kept distinct (learn.h).  The
 * supervisor adds every notification; a call the same as an earlier one
 * (same ABI, number, arguments but pointers, verdict) is only counted, so
 * a program looping on read costs one record.  Bounded: past
 * LEARN_MAX_RECORDS distinct calls, one wide record per (ABI, number)
 * stands for the rest, so a line is never narrower than what ran.
 */
#include "sysfence/tools/learn.h"

#include <stdlib.h>
#include <string.h>

#include "sysfence/array.h"
#include "sysfence/compile/argkinds.h"
#include "sysfence/compile/policy.h"
#include "sysfence/compile/syscalls.h"
#include "sysfence/util.h"

#define NARGS 6

void learn_log_init(struct learn_log *l)
{
	memset(l, 0, sizeof(*l));
}

void learn_log_free(struct learn_log *l)
{
	free(l->v);
	free(l->index);
	memset(l, 0, sizeof(*l));
}

static uint64_t record_key(const struct learn_record *r)
{
	uint64_t k = FNV1A64_INIT;

	k = fnv1a64(k, &r->arch, sizeof(r->arch));
	k = fnv1a64(k, &r->nr, sizeof(r->nr));
	k = fnv1a64(k, r->args, sizeof(r->args));
	k = fnv1a64(k, &r->action, sizeof(r->action));
	k = fnv1a64(k, &r->launcher, sizeof(r->launcher));
	return fnv1a64(k, &r->wide, sizeof(r->wide));
}

static bool record_same(const struct learn_record *a, const struct learn_record *b)
{
	return a->arch == b->arch && a->nr == b->nr && a->action == b->action &&
	       a->wide == b->wide && a->launcher == b->launcher &&
	       !memcmp(a->args, b->args, sizeof(a->args));
}

static int index_grow(struct learn_log *l)
{
	size_t ncap = l->index_cap ? 2 * l->index_cap : 1024;
	uint32_t *n = calloc(ncap, sizeof(*n));

	if (!n)
		return -1;
	for (size_t i = 0; i < l->n; i++) {
		size_t j = record_key(&l->v[i]) % ncap;

		while (n[j])
			j = (j + 1) % ncap;
		n[j] = (uint32_t)i + 1;
	}
	free(l->index);
	l->index = n;
	l->index_cap = ncap;
	return 0;
}

/* Adds r or counts it; false when it is new and there is no room. */
static bool record_insert(struct learn_log *l, const struct learn_record *r, size_t max)
{
	size_t j;

	if (2 * (l->n + 1) > l->index_cap && index_grow(l)) {
		l->oom = 1;
		return true;
	}
	for (j = record_key(r) % l->index_cap; l->index[j]; j = (j + 1) % l->index_cap) {
		if (record_same(&l->v[l->index[j] - 1], r)) {
			l->v[l->index[j] - 1].count += !r->launcher;
			return true;
		}
	}
	if (l->n >= max)
		return false;
	if (ARRAY_GROW(&l->v, &l->cap, l->n + 1)) {
		l->oom = 1;
		return true;
	}
	l->v[l->n] = *r;
	l->v[l->n].count = !r->launcher;
	l->index[j] = (uint32_t)++l->n;
	return true;
}

static void log_add(struct learn_log *l, uint32_t arch, uint32_t nr, const uint64_t args[6],
		    uint32_t action, bool launcher)
{
	struct learn_record r = { .arch = arch, .nr = nr, .action = action, .launcher = launcher };
	char name[POLICY_NAME_MAX];
	const char *sc = syscalls_name(arch, (int)nr, name, sizeof(name));

	l->calls += !launcher;
	for (unsigned i = 0; i < NARGS; i++)
		r.args[i] = argkinds_get(sc, i).kind == ARGKIND_PTR ? 0 : args[i];
	if (record_insert(l, &r, LEARN_MAX_RECORDS))
		return;
	/*
	 * Full: one record for every call of (arch, nr), whatever its
	 * arguments.  A few thousand such at most (the numbers of a table).
	 */
	memset(r.args, 0, sizeof(r.args));
	r.wide = true;
	if (!record_insert(l, &r, LEARN_MAX_RECORDS + 4 * SYSCALLS_WINDOW_SIZE))
		l->oom = 1;
}

void learn_log_add(struct learn_log *l, uint32_t arch, uint32_t nr, const uint64_t args[6],
		   uint32_t action)
{
	log_add(l, arch, nr, args, action, false);
}

void learn_log_add_launcher(struct learn_log *l, uint32_t arch, uint32_t nr, const uint64_t args[6],
			    uint32_t action)
{
	log_add(l, arch, nr, args, action, true);
}
