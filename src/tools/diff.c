// SPDX-License-Identifier: MIT
/*
 * --diff.  Semantic, not textual: two policies that order rules
 * differently, or a blob and the policy it came from, compare equal.
 */
#include "sysfence/tools/diff.h"

#include <stdlib.h>
#include <string.h>

#include "sysfence/compile/syscalls.h"
#include "sysfence/tools/flow.h"
#include "sysfence/tools/json.h"

#define MAX_NUMBERS 4096
#define PROBES_PER_CALL 8192
/* Numbers scanned besides the known ones: the compiler's table may differ. */
#define SCAN_LOW 1024

struct call_diff {
	const struct blob *a, *b;
	uint32_t arch, nr;
	size_t probes, changed;
	bool uniform; /* every changed probe has the same (was, now) */
	uint32_t was, now;
	struct diff_example ex[SEMDIFF_EXAMPLES];
	size_t nex;
};

static void probe_one(void *vctx, const uint64_t args[6])
{
	struct call_diff *c = vctx;
	struct seccomp_data d;
	uint32_t was, now;

	tool_seccomp_data(c->arch, c->nr, args, &d);
	was = blob_verdict(c->a, &d, NULL, NULL, NULL);
	now = blob_verdict(c->b, &d, NULL, NULL, NULL);
	c->probes++;
	if (was == now)
		return;
	if (!c->changed) {
		c->was = was;
		c->now = now;
		c->uniform = true;
	} else if (was != c->was || now != c->now) {
		c->uniform = false;
	}
	c->changed++;
	/* Keep examples with distinct transitions first, then any. */
	if (c->nex < SEMDIFF_EXAMPLES) {
		bool seen = false;

		for (size_t i = 0; i < c->nex; i++)
			seen |= c->ex[i].was == was && c->ex[i].now == now && c->nex >= 2;
		if (!seen) {
			memcpy(c->ex[c->nex].args, args, sizeof(c->ex[0].args));
			c->ex[c->nex].was = was;
			c->ex[c->nex].now = now;
			c->nex++;
		}
	}
}

static void add_programs(const struct blob *b, uint32_t arch, uint32_t nr, struct flow_probe *fp)
{
	if (b->mode == SF_MODE_UNRESTRICTED)
		return;
	if (b->allow.len)
		flow_probe_collect(b->allow.insns, b->allow.len, arch, true, nr, fp);
	if (b->deny.len)
		flow_probe_collect(b->deny.insns, b->deny.len, arch, true, nr, fp);
}

static const char *nr_name(uint32_t arch, uint32_t nr, char *buf, size_t len)
{
	if (!syscalls_name(arch, (int)nr, buf, len))
		snprintf(buf, len, "syscall %u", nr);
	return buf;
}

static void print_value(FILE *out, uint64_t v)
{
	if (v < 4096)
		fprintf(out, "%llu", (unsigned long long)v);
	else
		fprintf(out, "0x%llx", (unsigned long long)v);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Numbers to compare on arch: [0, SCAN_LOW) and every known one. */
static size_t numbers_for(uint32_t arch, uint32_t *nrs, size_t max)
{
	size_t n = tool_syscall_numbers(arch, nrs, max), m;

	for (uint32_t i = 0; i < SCAN_LOW && n < max; i++)
		nrs[n++] = i;
	qsort(nrs, n, sizeof(*nrs), cmp_u32);
	m = 0;
	for (size_t i = 0; i < n; i++)
		if (!m || nrs[m - 1] != nrs[i])
			nrs[m++] = nrs[i];
	return m;
}

/* The calls of one architecture both profiles have, compared. */
static int compute_arch(const struct blob *a, const struct blob *b, struct diff_arch *da)
{
	uint32_t *nrs = calloc(MAX_NUMBERS + SCAN_LOW, sizeof(*nrs));
	size_t n;
	int rc = -1;

	if (!nrs)
		return -1;
	n = numbers_for(da->arch, nrs, MAX_NUMBERS + SCAN_LOW);
	da->groups = calloc(n + 1, sizeof(*da->groups));
	da->partial = calloc(n + 1, sizeof(*da->partial));
	if (!da->groups || !da->partial)
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct call_diff c = { .a = a, .b = b, .arch = da->arch, .nr = nrs[i] };
		struct diff_partial *p;
		struct flow_probe fp;
		bool sampled;

		flow_probe_init(&fp);
		add_programs(a, da->arch, nrs[i], &fp);
		add_programs(b, da->arch, nrs[i], &fp);
		flow_probe_each(&fp, da->arch, PROBES_PER_CALL, probe_one, &c, &sampled);
		da->sampled |= sampled;
		if (!c.changed)
			continue;
		da->changes++;
		if (c.uniform && c.changed == c.probes) {
			struct diff_group *g = NULL;

			for (size_t k = 0; k < da->ngroups; k++)
				if (da->groups[k].was == c.was && da->groups[k].now == c.now)
					g = &da->groups[k];
			if (!g) {
				g = &da->groups[da->ngroups++];
				g->was = c.was;
				g->now = c.now;
				g->names = calloc(n, sizeof(*g->names));
				if (!g->names)
					goto out;
			}
			nr_name(da->arch, nrs[i], g->names[g->n], sizeof(g->names[0]));
			g->n++;
			continue;
		}
		p = &da->partial[da->npartial++];
		p->nr = nrs[i];
		nr_name(da->arch, nrs[i], p->name, sizeof(p->name));
		p->probes = c.probes;
		p->changed = c.changed;
		p->nargs = (unsigned)(flow_probe_max_arg(&fp) + 1);
		memcpy(p->ex, c.ex, sizeof(p->ex));
		p->nex = c.nex;
	}
	rc = 0;
out:
	free(nrs);
	return rc;
}

static bool has_arch(const struct blob *b, uint32_t arch)
{
	return b->mode == SF_MODE_UNRESTRICTED || blob_has_arch(b, arch);
}

int diff_compute(const struct tool_input *old, const struct tool_input *new, struct diff_result *r)
{
	const struct blob *a = &old->blob, *b = &new->blob;
	uint32_t arches[2 * BLOB_MAX_ARCHES];
	size_t narches = 0;

	memset(r, 0, sizeof(*r));
	r->old_mode = a->mode;
	r->new_mode = b->mode;
	r->different = a->mode != b->mode;
	for (int w = 0; w < 2; w++) {
		const struct blob *x = w ? b : a;

		for (uint32_t i = 0; i < x->narches; i++) {
			bool dup = false;

			for (size_t j = 0; j < narches; j++)
				dup |= arches[j] == x->arches[i];
			if (!dup)
				arches[narches++] = x->arches[i];
		}
	}
	r->arches = calloc(narches + 1, sizeof(*r->arches));
	if (!r->arches)
		return -1;
	for (size_t i = 0; i < narches; i++) {
		struct diff_arch *da = &r->arches[r->narches++];

		da->arch = arches[i];
		if (!has_arch(a, arches[i]) || !has_arch(b, arches[i])) {
			da->presence = has_arch(a, arches[i]) ? DIFF_ONLY_OLD : DIFF_ONLY_NEW;
			r->different = true;
			continue;
		}
		if (compute_arch(a, b, da)) {
			diff_result_free(r);
			return -1;
		}
		r->different |= da->changes != 0;
	}
	return 0;
}

void diff_result_free(struct diff_result *r)
{
	for (size_t i = 0; r->arches && i < r->narches; i++) {
		for (size_t k = 0; r->arches[i].groups && k < r->arches[i].ngroups; k++)
			free(r->arches[i].groups[k].names);
		free(r->arches[i].groups);
		free(r->arches[i].partial);
	}
	free(r->arches);
	memset(r, 0, sizeof(*r));
}

static void print_arch(FILE *out, const struct diff_arch *da)
{
	const char *an = syscalls_arch_name(da->arch);

	fprintf(out, "%s: %zu syscall%s changed\n", an ? an : "unknown architecture", da->changes,
		da->changes == 1 ? "" : "s");
	for (size_t k = 0; k < da->ngroups; k++) {
		const struct diff_group *g = &da->groups[k];
		char w[32], v[32];
		size_t col;

		col = (size_t)fprintf(out, "  %s -> %s:", bpf_action_name(g->was, w, sizeof(w)),
				      bpf_action_name(g->now, v, sizeof(v)));
		for (size_t j = 0; j < g->n; j++) {
			size_t len = strlen(g->names[j]);

			if (col + 1 + len > 78) {
				fputs("\n   ", out);
				col = 3;
			}
			col += (size_t)fprintf(out, " %s", g->names[j]);
		}
		fputc('\n', out);
	}
	for (size_t k = 0; k < da->npartial; k++) {
		const struct diff_partial *p = &da->partial[k];

		fprintf(out, "  %s: depends on the arguments (%zu of %zu probes changed), e.g.\n",
			p->name, p->changed, p->probes);
		for (size_t e = 0; e < p->nex; e++) {
			char w[32], v[32];

			fprintf(out, "    %s(", p->name);
			for (unsigned i = 0; i < p->nargs && i < 6; i++) {
				if (i)
					fputs(", ", out);
				print_value(out, p->ex[e].args[i]);
			}
			fprintf(out, "): %s -> %s\n", bpf_action_name(p->ex[e].was, w, sizeof(w)),
				bpf_action_name(p->ex[e].now, v, sizeof(v)));
		}
	}
	if (da->sampled)
		fputs("  (some argument combinations were sampled, not all tried)\n", out);
}

void diff_print_result(FILE *out, const struct tool_input *old, const struct tool_input *new,
		       const struct diff_result *r)
{
	if (r->old_mode != r->new_mode)
		fprintf(out, "mode: %s -> %s\n", sf_mode_name(r->old_mode),
			sf_mode_name(r->new_mode));
	for (size_t i = 0; i < r->narches; i++) {
		const struct diff_arch *da = &r->arches[i];
		const char *an = syscalls_arch_name(da->arch);
		char buf[16];

		if (!an) {
			snprintf(buf, sizeof(buf), "0x%08x", da->arch);
			an = buf;
		}
		if (da->presence != DIFF_IN_BOTH) {
			bool in_old = da->presence == DIFF_ONLY_OLD;

			fprintf(out, "%s: only in %s (%s kills every call of this architecture)\n",
				an, in_old ? old->name : new->name, in_old ? new->name : old->name);
			continue;
		}
		if (da->changes)
			print_arch(out, da);
	}
	if (!r->different)
		fprintf(out, "%s and %s are equivalent\n", old->name, new->name);
}

int diff_print(FILE *out, const struct tool_input *old, const struct tool_input *new)
{
	struct diff_result r;
	int rc;

	if (diff_compute(old, new, &r))
		return 2;
	diff_print_result(out, old, new, &r);
	rc = r.different ? 1 : 0;
	diff_result_free(&r);
	return rc;
}

/* ---- --json ---- */

static struct json_object *group_json(const struct diff_group *g)
{
	struct json_object *o = json_object_new_object(), *names = json_object_new_array();
	int err = !o || !names;

	for (size_t j = 0; !err && j < g->n; j++)
		err |= tools_json_push(names, json_object_new_string(g->names[j]));
	if (!err) {
		err |= tools_json_put(o, "old", tools_json_action(g->was));
		err |= tools_json_put(o, "new", tools_json_action(g->now));
		err |= tools_json_put(o, "syscalls", names);
		names = NULL;
	}
	json_object_put(names);
	return tools_json_done(o, err);
}

static struct json_object *partial_json(const struct diff_partial *p)
{
	struct json_object *o = json_object_new_object(), *exs = json_object_new_array();
	int err = !o || !exs;

	for (size_t e = 0; !err && e < p->nex; e++) {
		struct json_object *x = json_object_new_object(), *args = json_object_new_array();

		err |= tools_json_push(exs, x);
		for (unsigned i = 0; !err && args && i < p->nargs && i < 6; i++)
			err |= tools_json_push(args, json_object_new_uint64(p->ex[e].args[i]));
		if (err) {
			json_object_put(args);
			break;
		}
		err |= tools_json_put(x, "args", args);
		err |= tools_json_put(x, "old", tools_json_action(p->ex[e].was));
		err |= tools_json_put(x, "new", tools_json_action(p->ex[e].now));
	}
	if (!err) {
		err |= tools_json_put(o, "syscall", json_object_new_string(p->name));
		err |= tools_json_put(o, "nr", json_object_new_int64(p->nr));
		err |= tools_json_put(o, "probes", json_object_new_uint64(p->probes));
		err |= tools_json_put(o, "changed_probes", json_object_new_uint64(p->changed));
		err |= tools_json_put(o, "examples", exs);
		exs = NULL;
	}
	json_object_put(exs);
	return tools_json_done(o, err);
}

static struct json_object *arch_json(const struct diff_arch *da)
{
	static const char *const presence[] = { "both", "old", "new" };
	struct json_object *o = json_object_new_object(), *groups = json_object_new_array();
	struct json_object *partial = json_object_new_array();
	int err = !o || !groups || !partial;

	for (size_t k = 0; !err && k < da->ngroups; k++)
		err |= tools_json_push(groups, group_json(&da->groups[k]));
	for (size_t k = 0; !err && k < da->npartial; k++)
		err |= tools_json_push(partial, partial_json(&da->partial[k]));
	if (!err) {
		err |= tools_json_put(o, "arch", tools_json_arch(da->arch));
		err |= tools_json_put(o, "in", json_object_new_string(presence[da->presence]));
		err |= tools_json_put(o, "changed", json_object_new_uint64(da->changes));
		err |= tools_json_put(o, "transitions", groups);
		groups = NULL;
		err |= tools_json_put(o, "argument_dependent", partial);
		partial = NULL;
		err |= tools_json_put(o, "sampled", json_object_new_boolean(da->sampled));
	}
	json_object_put(groups);
	json_object_put(partial);
	return tools_json_done(o, err);
}

struct json_object *diff_json(const struct tool_input *old, const struct tool_input *new,
			      const struct diff_result *r)
{
	struct json_object *doc = tools_json_doc("diff"), *arches = json_object_new_array();
	int err = !doc || !arches;

	for (size_t i = 0; !err && i < r->narches; i++)
		err |= tools_json_push(arches, arch_json(&r->arches[i]));
	if (!err) {
		err |= tools_json_put(doc, "old", tools_json_input(old));
		err |= tools_json_put(doc, "new", tools_json_input(new));
		err |= tools_json_put(doc, "equivalent", json_object_new_boolean(!r->different));
		err |= tools_json_put(doc, "mode_changed",
				      json_object_new_boolean(r->old_mode != r->new_mode));
		err |= tools_json_put(doc, "architectures", arches);
		arches = NULL;
	}
	json_object_put(arches);
	return tools_json_done(doc, err);
}
