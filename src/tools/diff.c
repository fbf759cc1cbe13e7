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

#define MAX_NUMBERS 4096
#define PROBES_PER_CALL 8192
/* Numbers scanned besides the known ones: the compiler's table may differ. */
#define SCAN_LOW 1024

struct example {
	uint64_t args[6];
	uint32_t was, now;
};

struct call_diff {
	const struct blob *a, *b;
	uint32_t arch, nr;
	size_t probes, changed;
	bool uniform; /* every changed probe has the same (was, now) */
	uint32_t was, now;
	struct example ex[SEMDIFF_EXAMPLES];
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

struct group {
	uint32_t was, now;
	const char **names;
	size_t n;
};

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

static bool diff_arch(FILE *out, const struct blob *a, const struct blob *b, uint32_t arch)
{
	uint32_t *nrs = calloc(MAX_NUMBERS + SCAN_LOW, sizeof(*nrs));
	char(*names)[64] = calloc(MAX_NUMBERS + SCAN_LOW, sizeof(*names));
	struct group *groups = NULL;
	struct call_diff *partial = NULL;
	size_t n, ngroups = 0, npartial = 0, changes = 0;
	const char *an = syscalls_arch_name(arch);
	bool any_sampled = false;

	if (!nrs || !names) {
		fputs("sysfence-compile: out of memory\n", out);
		goto out;
	}
	n = numbers_for(arch, nrs, MAX_NUMBERS + SCAN_LOW);
	groups = calloc(n + 1, sizeof(*groups));
	partial = calloc(n + 1, sizeof(*partial));
	if (!groups || !partial)
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct call_diff c = { .a = a, .b = b, .arch = arch, .nr = nrs[i] };
		struct flow_probe fp;
		bool sampled;

		flow_probe_init(&fp);
		add_programs(a, arch, nrs[i], &fp);
		add_programs(b, arch, nrs[i], &fp);
		flow_probe_each(&fp, arch, PROBES_PER_CALL, probe_one, &c, &sampled);
		any_sampled |= sampled;
		if (!c.changed)
			continue;
		changes++;
		nr_name(arch, nrs[i], names[i], sizeof(names[i]));
		if (c.uniform && c.changed == c.probes) {
			struct group *g = NULL;

			for (size_t k = 0; k < ngroups; k++)
				if (groups[k].was == c.was && groups[k].now == c.now)
					g = &groups[k];
			if (!g) {
				g = &groups[ngroups++];
				g->was = c.was;
				g->now = c.now;
				g->names = calloc(n, sizeof(*g->names));
				if (!g->names)
					goto out;
			}
			g->names[g->n++] = names[i];
		} else {
			partial[npartial++] = c;
		}
	}
	if (!changes)
		goto out;
	fprintf(out, "%s: %zu syscall%s changed\n", an ? an : "unknown architecture", changes,
		changes == 1 ? "" : "s");
	for (size_t k = 0; k < ngroups; k++) {
		char w[32], v[32];
		size_t col;

		col = (size_t)fprintf(out,
				      "  %s -> %s:", bpf_action_name(groups[k].was, w, sizeof(w)),
				      bpf_action_name(groups[k].now, v, sizeof(v)));
		for (size_t j = 0; j < groups[k].n; j++) {
			size_t len = strlen(groups[k].names[j]);

			if (col + 1 + len > 78) {
				fputs("\n   ", out);
				col = 3;
			}
			col += (size_t)fprintf(out, " %s", groups[k].names[j]);
		}
		fputc('\n', out);
	}
	for (size_t k = 0; k < npartial; k++) {
		const struct call_diff *c = &partial[k];
		struct flow_probe fp;
		int last;
		char name[64];

		flow_probe_init(&fp);
		add_programs(a, arch, c->nr, &fp);
		add_programs(b, arch, c->nr, &fp);
		last = flow_probe_max_arg(&fp);
		nr_name(arch, c->nr, name, sizeof(name));
		fprintf(out, "  %s: depends on the arguments (%zu of %zu probes changed), e.g.\n",
			name, c->changed, c->probes);
		for (size_t e = 0; e < c->nex; e++) {
			char w[32], v[32];

			fprintf(out, "    %s(", name);
			for (int i = 0; i <= last; i++) {
				if (i)
					fputs(", ", out);
				print_value(out, c->ex[e].args[i]);
			}
			fprintf(out, "): %s -> %s\n", bpf_action_name(c->ex[e].was, w, sizeof(w)),
				bpf_action_name(c->ex[e].now, v, sizeof(v)));
		}
	}
	if (any_sampled)
		fputs("  (some argument combinations were sampled, not all tried)\n", out);
out:
	for (size_t k = 0; groups && k < ngroups; k++)
		free(groups[k].names);
	free(groups);
	free(partial);
	free(nrs);
	free(names);
	return changes != 0;
}

static bool has_arch(const struct blob *b, uint32_t arch)
{
	return b->mode == SF_MODE_UNRESTRICTED || blob_has_arch(b, arch);
}

int diff_print(FILE *out, const struct tool_input *old, const struct tool_input *new)
{
	const struct blob *a = &old->blob, *b = &new->blob;
	uint32_t arches[2 * BLOB_MAX_ARCHES];
	size_t narches = 0;
	bool different = false;

	if (a->mode != b->mode) {
		fprintf(out, "mode: %s -> %s\n", sf_mode_name(a->mode), sf_mode_name(b->mode));
		different = true;
	}
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
	for (size_t i = 0; i < narches; i++) {
		const char *an = syscalls_arch_name(arches[i]);
		char buf[16];

		if (!an) {
			snprintf(buf, sizeof(buf), "0x%08x", arches[i]);
			an = buf;
		}
		if (!has_arch(a, arches[i]) || !has_arch(b, arches[i])) {
			fprintf(out, "%s: only in %s (%s kills every call of this architecture)\n",
				an, has_arch(a, arches[i]) ? old->name : new->name,
				has_arch(a, arches[i]) ? new->name : old->name);
			different = true;
			continue;
		}
		different |= diff_arch(out, a, b, arches[i]);
	}
	if (!different)
		fprintf(out, "%s and %s are equivalent\n", old->name, new->name);
	return different ? 1 : 0;
}
