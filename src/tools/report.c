// SPDX-License-Identifier: MIT
/*
 * --report.  Costs are measured by running the programs in the simulator
 * (arguments 0 for the per-number figures, then the probe values --diff
 * uses for the worst case); cacheability is the kernel's own emulation
 * (flow_const_run), filter by filter.
 */
#include "sysfence/tools/report.h"

#include <stdlib.h>
#include <string.h>

#include "sysfence/compile/syscalls.h"
#include "sysfence/tools/flow.h"
#include "sysfence/tools/json.h"

#define MAX_NUMBERS 4096
#define PROBES_PER_CALL 2048

static void reason(const struct sock_filter *p, size_t len, uint32_t arch, uint32_t nr,
		   const char *which, char *why, size_t whylen)
{
	struct flow_const c;
	char act[32];

	flow_const_run(p, len, arch, nr, &c);
	switch (c.kind) {
	case FLOW_CONST:
		snprintf(why, whylen, "the %s program returns %s", which,
			 bpf_action_name(c.action, act, sizeof(act)));
		break;
	case FLOW_NOT_CONST:
		if (c.offset >= BPF_OFF_ARGS && c.offset < BPF_OFF_ARGS + 48)
			snprintf(why, whylen, "the %s program checks args[%u]", which,
				 (c.offset - BPF_OFF_ARGS) / 8);
		else if (c.offset == BPF_OFF_IP || c.offset == BPF_OFF_IP + 4)
			snprintf(why, whylen, "the %s program reads the instruction pointer",
				 which);
		else
			snprintf(why, whylen, "the %s program loads offset %u", which, c.offset);
		break;
	case FLOW_BAD:
		snprintf(why, whylen,
			 "the %s program uses an instruction the cache "
			 "emulation refuses (pc %u)",
			 which, c.pc);
		break;
	}
}

bool report_cacheable(const struct blob *b, uint32_t arch, uint32_t nr, char *why, size_t whylen)
{
	if (why && whylen)
		why[0] = '\0';
	if (b->mode == SF_MODE_UNRESTRICTED || !b->allow.len)
		return true; /* no filter: nothing to run */
	if (b->deny.len && !flow_const_allow(b->deny.insns, b->deny.len, arch, nr)) {
		if (why)
			reason(b->deny.insns, b->deny.len, arch, nr, "deny", why, whylen);
		return false;
	}
	if (!flow_const_allow(b->allow.insns, b->allow.len, arch, nr)) {
		if (why)
			reason(b->allow.insns, b->allow.len, arch, nr, "allow", why, whylen);
		return false;
	}
	return true;
}

struct probe_ctx {
	const struct blob *b;
	uint32_t arch, nr;
	unsigned worst;
	bool allows, logs;
};

static void probe_one(void *vctx, const uint64_t args[6])
{
	struct probe_ctx *c = vctx;
	struct seccomp_data d;
	unsigned steps;
	uint32_t v;

	tool_seccomp_data(c->arch, c->nr, args, &d);
	v = blob_verdict(c->b, &d, NULL, NULL, &steps);
	if (steps > c->worst)
		c->worst = steps;
	if (v == SECCOMP_RET_ALLOW)
		c->allows = true;
	else if ((v & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_LOG)
		c->logs = true;
}

/* Prints words wrapped at 76 columns with an indent. */
static void wrap(FILE *out, const char *indent, const char *const *words, size_t n)
{
	size_t col = 0;

	for (size_t i = 0; i < n; i++) {
		size_t w = strlen(words[i]);

		if (col && col + 1 + w > 76) {
			fputc('\n', out);
			col = 0;
		}
		if (!col)
			col = (size_t)fprintf(out, "%s%s", indent, words[i]);
		else
			col += (size_t)fprintf(out, " %s", words[i]);
	}
	if (col)
		fputc('\n', out);
}

static unsigned reachable(const struct bpf_prog *p, uint32_t arch)
{
	struct flow_probe fp;

	if (!p->len)
		return 0;
	flow_probe_init(&fp);
	flow_probe_collect(p->insns, p->len, arch, false, 0, &fp);
	return fp.reachable;
}

static const char *nr_name(uint32_t arch, uint32_t nr, char *buf, size_t len)
{
	if (!syscalls_name(arch, (int)nr, buf, len))
		snprintf(buf, len, "%u", nr);
	return buf;
}

static int compute_arch(const struct blob *b, uint32_t arch, struct report_arch *ra)
{
	uint32_t *nrs = calloc(MAX_NUMBERS, sizeof(*nrs));
	uint32_t max_nr = 0, worst_nr = 0;
	int rc = -1;

	memset(ra, 0, sizeof(*ra));
	ra->arch = arch;
	ra->cached = calloc(MAX_NUMBERS, sizeof(*ra->cached));
	ra->uncached = calloc(MAX_NUMBERS, sizeof(*ra->uncached));
	if (!nrs || !ra->cached || !ra->uncached)
		goto out;
	ra->numbers = tool_syscall_numbers(arch, nrs, MAX_NUMBERS);
	ra->allow_len = b->allow.len;
	ra->allow_reachable = reachable(&b->allow, arch);
	ra->deny_len = b->deny.len;
	ra->deny_reachable = reachable(&b->deny, arch);

	for (size_t i = 0; i < ra->numbers; i++) {
		struct seccomp_data d = { .nr = (int)nrs[i], .arch = arch };
		struct probe_ctx pc = { .b = b, .arch = arch, .nr = nrs[i] };
		struct flow_probe fp;
		unsigned steps;
		bool sampled;
		char name[64], why[96];

		nr_name(arch, nrs[i], name, sizeof(name));
		blob_verdict(b, &d, NULL, NULL, &steps);
		ra->total_steps += steps;
		if (steps > ra->max_steps) {
			ra->max_steps = steps;
			max_nr = nrs[i];
		}
		flow_probe_init(&fp);
		flow_probe_collect(b->allow.insns, b->allow.len, arch, true, nrs[i], &fp);
		if (b->deny.len)
			flow_probe_collect(b->deny.insns, b->deny.len, arch, true, nrs[i], &fp);
		flow_probe_each(&fp, arch, PROBES_PER_CALL, probe_one, &pc, &sampled);
		ra->sampled |= sampled;
		if (pc.worst > ra->worst) {
			ra->worst = pc.worst;
			worst_nr = nrs[i];
		}
		if (!pc.allows) {
			ra->nlog += pc.logs;
			continue;
		}
		if (report_cacheable(b, arch, nrs[i], why, sizeof(why))) {
			snprintf(ra->cached[ra->ncached++], sizeof(ra->cached[0]), "%s", name);
		} else {
			struct report_uncached *u = &ra->uncached[ra->nuncached++];

			snprintf(u->name, sizeof(u->name), "%s", name);
			snprintf(u->why, sizeof(u->why), "%s", why);
		}
	}
	nr_name(arch, max_nr, ra->max_name, sizeof(ra->max_name));
	nr_name(arch, worst_nr, ra->worst_name, sizeof(ra->worst_name));
	rc = 0;
out:
	free(nrs);
	return rc;
}

int report_compute(const struct tool_input *in, struct report_result *r)
{
	const struct blob *b = &in->blob;

	memset(r, 0, sizeof(*r));
	if (b->mode == SF_MODE_UNRESTRICTED || !b->narches)
		return 0;
	r->arches = calloc(b->narches, sizeof(*r->arches));
	if (!r->arches)
		return -1;
	for (uint32_t i = 0; i < b->narches; i++) {
		r->narches++;
		if (compute_arch(b, b->arches[i], &r->arches[i])) {
			report_result_free(r);
			return -1;
		}
	}
	return 0;
}

void report_result_free(struct report_result *r)
{
	for (size_t i = 0; r->arches && i < r->narches; i++) {
		free(r->arches[i].cached);
		free(r->arches[i].uncached);
	}
	free(r->arches);
	memset(r, 0, sizeof(*r));
}

static void print_arch(FILE *out, const struct report_arch *ra)
{
	const char *an = syscalls_arch_name(ra->arch);
	const char **cached = calloc(ra->ncached + 1, sizeof(*cached));

	fprintf(out, "%s: %zu syscall numbers\n", an ? an : "unknown architecture", ra->numbers);
	fprintf(out, "  instructions: allow %u (%u reachable)", ra->allow_len, ra->allow_reachable);
	if (ra->deny_len)
		fprintf(out, ", deny %u (%u reachable)", ra->deny_len, ra->deny_reachable);
	else
		fputs(", no deny program", out);
	fputc('\n', out);
	if (ra->numbers) {
		fprintf(out, "  executed per call, arguments 0: mean %.1f, max %u (%s)\n",
			(double)ra->total_steps / (double)ra->numbers, ra->max_steps, ra->max_name);
		fprintf(out, "  executed per call, probed arguments: max %u (%s)%s\n", ra->worst,
			ra->worst_name, ra->sampled ? ", sampled" : "");
	}
	fprintf(out, "  action cache: %zu of %zu allowed syscalls, no filter run:\n", ra->ncached,
		ra->ncached + ra->nuncached);
	if (cached) {
		for (size_t i = 0; i < ra->ncached; i++)
			cached[i] = ra->cached[i];
		wrap(out, "    ", cached, ra->ncached);
	} else {
		fputs("    (out of memory)\n", out);
	}
	if (ra->nuncached) {
		fprintf(out, "  not cacheable, the filters run on every call (%zu):\n",
			ra->nuncached);
		for (size_t i = 0; i < ra->nuncached; i++)
			fprintf(out, "    %-22s %s\n", ra->uncached[i].name, ra->uncached[i].why);
	}
	if (ra->nlog)
		fprintf(out, "  %zu syscalls return LOG: never cached, each call is logged\n",
			ra->nlog);
	free(cached);
}

void report_print(FILE *out, const struct tool_input *in, const struct report_result *r)
{
	const struct blob *b = &in->blob;

	fprintf(out, "profile: %s (%s)\n", in->name, sf_mode_name(b->mode));
	if (b->mode == SF_MODE_UNRESTRICTED) {
		fputs("@unrestricted: no filter is loaded; every call costs nothing extra\n", out);
		return;
	}
	for (size_t i = 0; i < r->narches; i++)
		print_arch(out, &r->arches[i]);
	fputs("note: instructions executed count both programs: the kernel runs both for\n"
	      "      every call its action cache cannot decide, and caches only calls of\n"
	      "      its native and compat architectures (Linux 5.11 and later)\n",
	      out);
	if (b->mode == SF_MODE_COMPLAIN)
		fputs("note: complain mode: every call no rule allows is logged; each audit record\n"
		      "      costs several microseconds, so measure performance enforced\n",
		      out);
}

/* ---- --json ---- */

static struct json_object *arch_json(const struct report_arch *ra)
{
	struct json_object *o = json_object_new_object(), *cached = json_object_new_array();
	struct json_object *unc = json_object_new_array();
	char mean[32];
	int err = !o || !cached || !unc;

	for (size_t i = 0; !err && i < ra->ncached; i++)
		err |= tools_json_push(cached, json_object_new_string(ra->cached[i]));
	for (size_t i = 0; !err && i < ra->nuncached; i++) {
		struct json_object *u = json_object_new_object();

		err |= tools_json_push(unc, u);
		if (err)
			break;
		err |= tools_json_put(u, "syscall", json_object_new_string(ra->uncached[i].name));
		err |= tools_json_put(u, "reason", json_object_new_string(ra->uncached[i].why));
	}
	/* Rounded, value and text alike: 9.75, not 9.7512195121951219. */
	snprintf(mean, sizeof(mean), "%.2f",
		 ra->numbers ? (double)ra->total_steps / (double)ra->numbers : 0.0);
	if (!err) {
		err |= tools_json_put(o, "arch", tools_json_arch(ra->arch));
		err |= tools_json_put(o, "syscall_numbers", json_object_new_uint64(ra->numbers));
		err |= tools_json_put(o, "allow_instructions",
				      json_object_new_int64(ra->allow_len));
		err |= tools_json_put(o, "allow_reachable",
				      json_object_new_int64(ra->allow_reachable));
		err |= tools_json_put(o, "deny_instructions", json_object_new_int64(ra->deny_len));
		err |= tools_json_put(o, "deny_reachable",
				      json_object_new_int64(ra->deny_reachable));
		err |= tools_json_put(o, "mean_executed",
				      json_object_new_double_s(strtod(mean, NULL), mean));
		err |= tools_json_put(o, "max_executed", json_object_new_int64(ra->max_steps));
		err |= tools_json_put(o, "max_executed_syscall",
				      json_object_new_string(ra->max_name));
		err |= tools_json_put(o, "max_probed", json_object_new_int64(ra->worst));
		err |= tools_json_put(o, "max_probed_syscall",
				      json_object_new_string(ra->worst_name));
		err |= tools_json_put(o, "sampled", json_object_new_boolean(ra->sampled));
		err |= tools_json_put(o, "allowed_syscalls",
				      json_object_new_uint64(ra->ncached + ra->nuncached));
		err |= tools_json_put(o, "cached", cached);
		cached = NULL;
		err |= tools_json_put(o, "uncached", unc);
		unc = NULL;
		err |= tools_json_put(o, "log_syscalls", json_object_new_uint64(ra->nlog));
	}
	json_object_put(cached);
	json_object_put(unc);
	return tools_json_done(o, err);
}

struct json_object *report_json(const struct tool_input *in, const struct report_result *r)
{
	struct json_object *doc = tools_json_doc("report"), *arches = json_object_new_array();
	int err = !doc || !arches;

	for (size_t i = 0; !err && i < r->narches; i++)
		err |= tools_json_push(arches, arch_json(&r->arches[i]));
	if (!err) {
		err |= tools_json_put(doc, "input", tools_json_input(in));
		err |= tools_json_put(doc, "architectures", arches);
		arches = NULL;
	}
	json_object_put(arches);
	return tools_json_done(doc, err);
}
