// SPDX-License-Identifier: MIT
/*
 * Where a parsed policy's rules live.  Memory follows what matters, not the
 * size of the text (issue 15): a rule is 24 bytes, its arguments sit in a
 * pool of fixed chunks (so rules can point into it and it never moves),
 * names are interned (a few hundred distinct syscalls at most), a rule
 * identical to an earlier one is only counted, and so is a rule whose name
 * is no system call anywhere (the first reports are kept for diagnostics).
 * A 16 MiB policy of one-letter names used to take 2.25 GB.
 */
#include "sysfence/compile/policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysfence/array.h"
#include "sysfence/compile/syscalls.h"
#include "sysfence/util.h"

_Static_assert(POLICY_MAX_LINE < UINT16_MAX, "columns are stored in 16 bits");
_Static_assert(POLICY_MAX_ARGS <= UINT8_MAX, "nargs is stored in 8 bits");

#define ARG_CHUNK 4096	/* arguments per pool chunk (96 KiB) */
#define NAME_CHUNK 4096 /* bytes per chunk of interned names */

struct arg_chunk {
	struct arg_chunk *next;
	size_t used;
	struct policy_arg args[ARG_CHUNK];
};

struct name_chunk {
	struct name_chunk *next;
	size_t used;
	char text[NAME_CHUNK];
};

struct name_slot {
	const char *name; /* NULL: empty */
	bool known;	  /* a system call on some architecture */
};

struct policy_store {
	struct arg_chunk *args;
	struct name_chunk *text;
	struct name_slot *names; /* open addressing, power-of-two size */
	size_t nnames, names_cap;
	/*
	 * Rule index + 1 (0: empty) by content, for finding duplicates; only
	 * while rules are added (policy_finish frees it).
	 */
	uint32_t *index;
	size_t index_cap;
	char last_unknown[POLICY_NAME_MAX]; /* "" before the first */
};

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdULL;
}

static uint64_t hash_name(const char *s)
{
	return fnv1a64(FNV1A64_INIT, s, strlen(s));
}

static struct name_slot *name_find(struct policy_store *st, const char *name)
{
	if (!st->names_cap)
		return NULL;
	for (size_t j = hash_name(name) & (st->names_cap - 1);; j = (j + 1) & (st->names_cap - 1)) {
		struct name_slot *s = &st->names[j];

		if (!s->name || !strcmp(s->name, name))
			return s;
	}
}

static const char *text_copy(struct policy_store *st, const char *name)
{
	size_t n = strlen(name) + 1;
	char *p;

	if (n > NAME_CHUNK)
		return NULL;
	if (!st->text || NAME_CHUNK - st->text->used < n) {
		struct name_chunk *c = malloc(sizeof(*c));

		if (!c)
			return NULL;
		c->next = st->text;
		c->used = 0;
		st->text = c;
	}
	p = st->text->text + st->text->used;
	memcpy(p, name, n);
	st->text->used += n;
	return p;
}

/* The interned copy of name (known: its flag when new); NULL when OOM. */
static struct name_slot *name_intern(struct policy_store *st, const char *name, bool known)
{
	struct name_slot *s;

	if (2 * (st->nnames + 1) > st->names_cap) {
		size_t ncap = st->names_cap ? 2 * st->names_cap : 256;
		struct name_slot *n = calloc(ncap, sizeof(*n));

		if (!n)
			return NULL;
		for (size_t i = 0; i < st->names_cap; i++) {
			size_t j;

			if (!st->names[i].name)
				continue;
			for (j = hash_name(st->names[i].name) & (ncap - 1); n[j].name;
			     j = (j + 1) & (ncap - 1))
				;
			n[j] = st->names[i];
		}
		free(st->names);
		st->names = n;
		st->names_cap = ncap;
	}
	s = name_find(st, name);
	if (!s) /* not reached: the table was just made to hold one more */
		return NULL;
	if (!s->name) {
		s->name = text_copy(st, name);
		if (!s->name)
			return NULL;
		s->known = known;
		st->nnames++;
	}
	return s;
}

/* Everything a rule means, not where it stands: name, deny, arguments. */
static uint64_t hash_rule(const struct policy_rule *r, const char *name)
{
	uint64_t h = mix((uint64_t)(uintptr_t)name, (uint64_t)r->deny << 8 | r->nargs);

	for (unsigned i = 0; i < r->nargs; i++) {
		const struct policy_arg *a = &r->args[i];

		h = mix(h, (uint64_t)a->op << 16 | (uint64_t)a->neg << 8 | a->width);
		h = mix(h, a->value);
		h = mix(h, a->mask);
	}
	return h;
}

static bool same_rule(const struct policy_rule *x, const struct policy_rule *y, const char *yname)
{
	if (x->name != yname || x->deny != y->deny || x->nargs != y->nargs)
		return false;
	for (unsigned i = 0; i < x->nargs; i++) {
		const struct policy_arg *a = &x->args[i], *b = &y->args[i];

		/* neg: -1 and 0xffff... differ on an ABI that passes fewer bits */
		if (a->op != b->op || a->width != b->width || a->neg != b->neg ||
		    a->value != b->value || a->mask != b->mask)
			return false;
	}
	return true;
}

static int index_grow(struct policy *pol)
{
	struct policy_store *st = pol->store;
	size_t ncap = st->index_cap ? 2 * st->index_cap : 1024;
	uint32_t *n;

	while (ncap < 2 * (pol->count + 1))
		ncap *= 2;
	n = calloc(ncap, sizeof(*n));
	if (!n)
		return -1;
	for (size_t i = 0; i < pol->count; i++) {
		const struct policy_rule *r = &pol->rules[i];
		size_t j = hash_rule(r, r->name) & (ncap - 1);

		while (n[j])
			j = (j + 1) & (ncap - 1);
		n[j] = (uint32_t)(i + 1);
	}
	free(st->index);
	st->index = n;
	st->index_cap = ncap;
	return 0;
}

static struct policy_arg *args_copy(struct policy_store *st, const struct policy_arg *args,
				    unsigned n)
{
	struct policy_arg *p;

	if (!st->args || ARG_CHUNK - st->args->used < n) {
		struct arg_chunk *c = malloc(sizeof(*c));

		if (!c)
			return NULL;
		c->next = st->args;
		c->used = 0;
		st->args = c;
	}
	p = st->args->args + st->args->used;
	memcpy(p, args, n * sizeof(*p));
	st->args->used += n;
	return p;
}

/* Counts (and keeps the first reports of) a rule naming no system call. */
static int add_unknown(struct policy *pol, const struct policy_rule *r)
{
	struct policy_store *st = pol->store;
	struct name_slot *s;

	pol->unknown_rules++;
	/* A group lists the calls of every kernel: one a table lacks is no typo. */
	if (r->group)
		return 1;
	/* One report per run of one name keeps 10^5 copies quiet. */
	if (!strcmp(st->last_unknown, r->name))
		return 1;
	snprintf(st->last_unknown, sizeof(st->last_unknown), "%s", r->name);
	pol->unknown_reports++;
	if (pol->nunknown >= POLICY_UNKNOWN_KEPT)
		return 1;
	if (!pol->unknown) {
		pol->unknown = calloc(POLICY_UNKNOWN_KEPT, sizeof(*pol->unknown));
		if (!pol->unknown)
			return -1;
	}
	s = name_intern(st, r->name, false);
	if (!s)
		return -1;
	pol->unknown[pol->nunknown++] =
		(struct policy_unknown){ s->name, r->file, r->line, r->col };
	return 1;
}

int policy_add_rule(struct policy *pol, const struct policy_rule *r)
{
	struct policy_store *st = pol->store;
	struct name_slot *s;
	struct policy_rule *nr;
	size_t j;

	if (!r->name[0] || strlen(r->name) >= POLICY_NAME_MAX || r->nargs > POLICY_MAX_ARGS)
		return -1;
	if (!st) {
		st = pol->store = calloc(1, sizeof(*st));
		if (!st)
			return -1;
	}
	s = name_find(st, r->name);
	if (!s || !s->name) {
		/*
		 * Once per distinct name: a few hundred lookups at most.  C
		 * library names (statvfs) and calls newer than the tables
		 * (mseal) are kept: check.c sums them up in one note.
		 */
		if (!syscalls_known_anywhere(r->name) && !syscalls_libc_only(r->name) &&
		    !syscalls_newer_than_tables(r->name))
			return add_unknown(pol, r);
		s = name_intern(st, r->name, true);
		if (!s)
			return -1;
	}
	if (!s->known)
		return add_unknown(pol, r);
	if (pol->count >= UINT32_MAX - 1)
		return -1;
	if (2 * (pol->count + 1) > st->index_cap && index_grow(pol))
		return -1;
	for (j = hash_rule(r, s->name) & (st->index_cap - 1); st->index[j];
	     j = (j + 1) & (st->index_cap - 1)) {
		if (same_rule(&pol->rules[st->index[j] - 1], r, s->name)) {
			pol->duplicates++;
			return 1;
		}
	}
	if (ARRAY_GROW(&pol->rules, &pol->cap, pol->count + 1))
		return -1;
	nr = &pol->rules[pol->count];
	*nr = *r;
	nr->name = s->name;
	nr->args = NULL;
	if (r->nargs) {
		nr->args = args_copy(st, r->args, r->nargs);
		if (!nr->args)
			return -1;
	}
	st->index[j] = (uint32_t)++pol->count;
	return 0;
}

void policy_finish(struct policy *pol)
{
	if (pol->store) {
		free(pol->store->index);
		pol->store->index = NULL;
		pol->store->index_cap = 0;
	}
	/* Growth by doubling left up to half of the array unused. */
	if (pol->count && pol->count < pol->cap) {
		struct policy_rule *n = realloc(pol->rules, pol->count * sizeof(*n));

		if (n) {
			pol->rules = n;
			pol->cap = pol->count;
		}
	}
}

void policy_free(struct policy *p)
{
	struct policy_store *st = p->store;

	if (st) {
		while (st->args) {
			struct arg_chunk *c = st->args;

			st->args = c->next;
			free(c);
		}
		while (st->text) {
			struct name_chunk *c = st->text;

			st->text = c->next;
			free(c);
		}
		free(st->names);
		free(st->index);
		free(st);
	}
	for (size_t i = 0; i < p->nbindings; i++)
		free(p->bindings[i].path);
	free(p->bindings);
	free(p->rules);
	free(p->unknown);
	memset(p, 0, sizeof(*p));
}
