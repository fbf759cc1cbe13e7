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

struct uncached {
	char name[64];
	char why[96];
};

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

static void report_arch(FILE *out, const struct blob *b, uint32_t arch)
{
	uint32_t *nrs = calloc(MAX_NUMBERS, sizeof(*nrs));
	char(*names)[64] = calloc(MAX_NUMBERS, sizeof(*names));
	struct uncached *unc = calloc(MAX_NUMBERS, sizeof(*unc));
	const char **cached = calloc(MAX_NUMBERS, sizeof(*cached));
	size_t n, ncached = 0, nunc = 0, nlog = 0, total_steps = 0;
	unsigned max_steps = 0, worst = 0;
	uint32_t max_nr = 0, worst_nr = 0;
	bool any_sampled = false;
	const char *an = syscalls_arch_name(arch);

	if (!nrs || !names || !unc || !cached) {
		fputs("  (out of memory)\n", out);
		goto out;
	}
	n = tool_syscall_numbers(arch, nrs, MAX_NUMBERS);
	fprintf(out, "%s: %zu syscall numbers\n", an ? an : "unknown architecture", n);
	fprintf(out, "  instructions: allow %u (%u reachable)", b->allow.len,
		reachable(&b->allow, arch));
	if (b->deny.len)
		fprintf(out, ", deny %u (%u reachable)", b->deny.len, reachable(&b->deny, arch));
	else
		fputs(", no deny program", out);
	fputc('\n', out);

	for (size_t i = 0; i < n; i++) {
		struct seccomp_data d = { .nr = (int)nrs[i], .arch = arch };
		struct probe_ctx pc = { .b = b, .arch = arch, .nr = nrs[i] };
		struct flow_probe fp;
		unsigned steps;
		bool sampled;
		char why[96];

		if (!syscalls_name(arch, (int)nrs[i], names[i], sizeof(names[i])))
			snprintf(names[i], sizeof(names[i]), "%u", nrs[i]);
		blob_verdict(b, &d, NULL, NULL, &steps);
		total_steps += steps;
		if (steps > max_steps) {
			max_steps = steps;
			max_nr = nrs[i];
		}
		flow_probe_init(&fp);
		flow_probe_collect(b->allow.insns, b->allow.len, arch, true, nrs[i], &fp);
		if (b->deny.len)
			flow_probe_collect(b->deny.insns, b->deny.len, arch, true, nrs[i], &fp);
		flow_probe_each(&fp, arch, PROBES_PER_CALL, probe_one, &pc, &sampled);
		any_sampled |= sampled;
		if (pc.worst > worst) {
			worst = pc.worst;
			worst_nr = nrs[i];
		}
		if (!pc.allows) {
			nlog += pc.logs;
			continue;
		}
		if (report_cacheable(b, arch, nrs[i], why, sizeof(why))) {
			cached[ncached++] = names[i];
		} else {
			snprintf(unc[nunc].name, sizeof(unc[nunc].name), "%s", names[i]);
			snprintf(unc[nunc].why, sizeof(unc[nunc].why), "%s", why);
			nunc++;
		}
	}
	if (n) {
		char mn[64], wn[64];

		if (!syscalls_name(arch, (int)max_nr, mn, sizeof(mn)))
			snprintf(mn, sizeof(mn), "%u", max_nr);
		if (!syscalls_name(arch, (int)worst_nr, wn, sizeof(wn)))
			snprintf(wn, sizeof(wn), "%u", worst_nr);
		fprintf(out, "  executed per call, arguments 0: mean %.1f, max %u (%s)\n",
			(double)total_steps / (double)n, max_steps, mn);
		fprintf(out, "  executed per call, probed arguments: max %u (%s)%s\n", worst, wn,
			any_sampled ? ", sampled" : "");
	}
	fprintf(out, "  action cache: %zu of %zu allowed syscalls, no filter run:\n", ncached,
		ncached + nunc);
	wrap(out, "    ", cached, ncached);
	if (nunc) {
		fprintf(out, "  not cacheable, the filters run on every call (%zu):\n", nunc);
		for (size_t i = 0; i < nunc; i++)
			fprintf(out, "    %-22s %s\n", unc[i].name, unc[i].why);
	}
	if (nlog)
		fprintf(out, "  %zu syscalls return LOG: never cached, each call is logged\n",
			nlog);
out:
	free(nrs);
	free(names);
	free(unc);
	free(cached);
}

void report_print(FILE *out, const struct tool_input *in)
{
	const struct blob *b = &in->blob;

	fprintf(out, "profile: %s (%s)\n", in->name, sf_mode_name(b->mode));
	if (b->mode == SF_MODE_UNRESTRICTED) {
		fputs("@unrestricted: no filter is loaded; every call costs nothing extra\n", out);
		return;
	}
	for (uint32_t i = 0; i < b->narches; i++)
		report_arch(out, b, b->arches[i]);
	fputs("note: instructions executed count both programs: the kernel runs both for\n"
	      "      every call its action cache cannot decide, and caches only calls of\n"
	      "      its native and compat architectures (Linux 5.11 and later)\n",
	      out);
	if (b->mode == SF_MODE_COMPLAIN)
		fputs("note: complain mode: every call no rule allows is logged; each audit record\n"
		      "      costs several microseconds, so measure performance enforced\n",
		      out);
}
