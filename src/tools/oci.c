// SPDX-License-Identifier: MIT
/*
 * --from-oci: an OCI / Docker seccomp profile in, the equivalent sysfence
 * policy out.  The JSON is read by json-c (ocijson.c turns it into rules);
 * this file decides what each rule means for the chosen architectures,
 * capabilities and kernel, the way Docker/moby (includes, excludes), runc
 * and libseccomp would, and writes the policy.  What sysfence cannot
 * express exactly is an error naming the rule, never an approximation.
 *
 * The semantics followed (docs/policy-language.md has the table):
 *  - moby filters rules on the host's architecture (one, with its
 *    sub-architectures sharing its rules), the container's bounding
 *    capabilities (includes: all of them, excludes: any) and the kernel's
 *    "major.minor" (includes: at least, excludes: at least).
 *  - runc skips a rule whose action equals the default action and a name
 *    its libseccomp does not know; SCMP_ACT_ERRNO without errnoRet is EPERM.
 *  - libseccomp compares 64-bit values; SCMP_CMP_MASKED_EQ is
 *    (arg & value) == (valueTwo & value) (db.c masks the datum); on a
 *    32-bit architecture it keeps the low 32 bits of every value.
 *  - Which rule wins when rules of different actions match the same call
 *    depends, in libseccomp, on their order and shape; sysfence lets the
 *    explicit denial win.  Such rules must therefore never overlap.
 */
#include "sysfence/tools/oci.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysfence/compile/abi.h"
#include "sysfence/compile/argtypes.h"
#include "sysfence/compile/syscalls.h"
#include "sysfence/tools/ocijson.h"
#include "sysfence/tools/ociwrite.h"
#include "sysfence/util.h"

/* ---- --caps and --kernel ---- */

int oci_parse_caps(const char *list, uint64_t *caps, char *why, size_t whylen)
{
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, ",");
		char name[64];
		int cap;

		if (!n || n >= sizeof(name) - 4)
			return util_fail(why, whylen, "--caps: '%.*s' is not a capability", (int)n,
					 p);
		memcpy(name, "CAP_", 4);
		for (size_t i = 0; i < n; i++)
			name[4 + i] = (char)toupper((unsigned char)p[i]);
		name[4 + n] = '\0';
		if (!strcmp(name, "CAP_ALL")) {
			*caps = UINT64_MAX;
		} else {
			/* CAP_ given or not: "CAP_CAP_..." never exists. */
			const char *s = strncmp(name + 4, "CAP_", 4) ? name : name + 4;

			cap = oci_cap_number(s);
			if (cap < 0)
				return util_fail(why, whylen, "--caps: unknown capability '%.*s'",
						 (int)n, p);
			*caps |= UINT64_C(1) << cap;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

int oci_parse_kernel(const char *s, unsigned out[2])
{
	unsigned long v[2];
	char *end;

	for (int i = 0; i < 2; i++) {
		if (!isdigit((unsigned char)*s))
			return -1;
		errno = 0;
		v[i] = strtoul(s, &end, 10);
		if (errno || v[i] > 255)
			return -1;
		s = end;
		if (i == 0 && *s++ != '.')
			return -1;
	}
	/* "6.1", "6.1.0-13-amd64", "6.1-rc5": the rest is not a number. */
	if (isdigit((unsigned char)*s) || (v[0] == 0 && v[1] == 0))
		return -1;
	out[0] = (unsigned)v[0];
	out[1] = (unsigned)v[1];
	return 0;
}

/* ---- the import ---- */

static void rule_error(struct oci_importer *im, struct oci_rule *r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void rule_error(struct oci_importer *im, struct oci_rule *r, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_add(im->d, DIAG_ERROR, 0, 0, "syscalls[%zu] (%s): %s", r->index, r->label, msg);
	r->bad = true;
}

/* Is the (supported) architecture in the list a filter or archMap gives? */
static bool arch_listed(const uint32_t *list, size_t n, uint32_t arch)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] == arch)
			return true;
	return false;
}

/*
 * The architectures to import for, and the hosts among them.  libseccomp
 * always filters the native (host) architecture; moby adds the archMap
 * entry of the host's architecture (it and its sub-architectures), runtime-
 * spec's "architectures" lists more directly.  Calls of any other
 * architecture are killed, so a target outside that set is refused.
 */
static int choose_arches(struct oci_importer *im)
{
	const struct oci_profile *p = im->p;
	uint32_t listed[OCI_MAX_ARCHES + BLOB_MAX_ARCHES];
	size_t nlisted = 0;

	if (im->o->narches) {
		memcpy(im->targets, im->o->arches, im->o->narches * sizeof(uint32_t));
		im->ntargets = im->o->narches;
	} else {
		const struct abi *a = abi_get(syscalls_native_arch());

		if (!a) {
			diag_add(im->d, DIAG_ERROR, 0, 0,
				 "the native architecture is not supported; use --arch");
			return -1;
		}
		im->targets[im->ntargets++] = a->token;
		if (a->compat)
			im->targets[im->ntargets++] = a->compat;
	}
	for (size_t i = 0; i < im->ntargets; i++) {
		bool compat = false;

		for (size_t j = 0; j < im->ntargets; j++) {
			const struct abi *b = abi_get(im->targets[j]);

			if (b && b->compat == im->targets[i])
				compat = true;
		}
		if (!compat)
			im->hosts[im->nhosts++] = listed[nlisted++] = im->targets[i];
	}
	for (size_t e = 0; e < p->narchmap; e++) {
		const struct oci_archmap *m = &p->archmap[e];

		if (!arch_listed(im->hosts, im->nhosts, m->arch))
			continue;
		for (size_t k = 0; k < m->narches && nlisted < ARRAY_SIZE(listed); k++)
			listed[nlisted++] = m->arches[k];
	}
	for (size_t k = 0; k < p->narchitectures && nlisted < ARRAY_SIZE(listed); k++)
		listed[nlisted++] = p->architectures[k];
	/* Without --arch, the compat architecture is kept only when listed. */
	if (!im->o->narches) {
		size_t k = 0;

		for (size_t i = 0; i < im->ntargets; i++)
			if (arch_listed(listed, nlisted, im->targets[i]))
				im->targets[k++] = im->targets[i];
		im->ntargets = k;
	}
	for (size_t i = 0; i < im->ntargets; i++) {
		if (arch_listed(listed, nlisted, im->targets[i]))
			continue;
		diag_add(im->d, DIAG_ERROR, 0, 0,
			 "%s is not an architecture of the profile for %s: the container would "
			 "kill every call of it; import without it (--arch)",
			 oci_arch_label(im->targets[i]), oci_arch_label(im->hosts[0]));
	}
	if (p->lists_x32 &&
	    arch_listed(im->targets, im->ntargets, syscalls_arch_from_name("x86_64")))
		diag_add(im->d, DIAG_NOTE, 0, 0,
			 "the profile also lists x32: sysfence kills x32 calls (not imported)");
	return 0;
}

/* ---- which rules apply ---- */

static bool kernel_at_least(const unsigned have[2], const unsigned want[2])
{
	return have[0] > want[0] || (have[0] == want[0] && have[1] >= want[1]);
}

static bool filter_names_arch(const struct oci_filter *f, uint32_t host)
{
	return arch_listed(f->arches, f->narches, host);
}

/*
 * Does the rule apply, as moby decides it: excludes first (any match
 * drops the rule), then includes (every condition must hold)?  Sets
 * r->why when it does not.  The architecture part is asked for each host.
 */
static bool applies_on(struct oci_importer *im, struct oci_rule *r, uint32_t host, bool say)
{
	const struct oci_filter *e = &r->excludes, *i = &r->includes;
	const unsigned *k = im->o->kernel;

#define WHY(...) (say ? (void)snprintf(r->why, sizeof(r->why), __VA_ARGS__) : (void)0)
	if (e->has_arches && filter_names_arch(e, host)) {
		WHY("excludes arches %s (importing for %s)", e->arches_text, oci_arch_label(host));
		return false;
	}
	if (e->caps & im->o->caps) {
		WHY("excludes caps %s (given)", e->caps_text);
		return false;
	}
	if (e->has_kernel && kernel_at_least(k, e->kernel)) {
		WHY("excludes minKernel %u.%u (kernel %u.%u)", e->kernel[0], e->kernel[1], k[0],
		    k[1]);
		return false;
	}
	if (i->has_arches && !filter_names_arch(i, host)) {
		WHY("includes arches %s (importing for %s)", i->arches_text, oci_arch_label(host));
		return false;
	}
	if ((i->caps & im->o->caps) != i->caps) {
		WHY("includes caps %s (not all given)", i->caps_text);
		return false;
	}
	if (i->has_kernel && !kernel_at_least(k, i->kernel)) {
		WHY("includes minKernel %u.%u (kernel %u.%u)", i->kernel[0], i->kernel[1], k[0],
		    k[1]);
		return false;
	}
#undef WHY
	return true;
}

static bool rule_applies(struct oci_importer *im, struct oci_rule *r)
{
	bool first = applies_on(im, r, im->hosts[0], true);

	for (size_t h = 1; h < im->nhosts; h++) {
		if (applies_on(im, r, im->hosts[h], false) == first)
			continue;
		rule_error(
			im, r,
			"applies to %s but not to %s: a sysfence policy has no "
			"per-architecture rules; import for each architecture on its own (--arch)",
			oci_arch_label(first ? im->hosts[0] : im->hosts[h]),
			oci_arch_label(first ? im->hosts[h] : im->hosts[0]));
		return false;
	}
	return first;
}

/* ---- what each applying rule becomes ---- */

static bool is_only_clone3(const struct oci_rule *r)
{
	return r->nnames == 1 && !strcmp(r->names[0], "clone3") && !r->nconds;
}

static void classify(struct oci_importer *im, struct oci_rule *r)
{
	const struct oci_profile *p = im->p;
	char eb[64];

	if (r->act == p->default_act && (r->act != OCI_ACT_ERRNO || r->err == p->default_err)) {
		r->kind = OCI_RULE_DEFAULT;
		return;
	}
	switch (r->act) {
	case OCI_ACT_ALLOW:
		r->kind = OCI_RULE_ALLOW;
		return;
	case OCI_ACT_ERRNO:
		if (r->err == EACCES) {
			r->kind = OCI_RULE_DENY;
			return;
		}
		if (r->err == ENOSYS && is_only_clone3(r)) {
			r->kind = OCI_RULE_CLONE3_ENOSYS;
			im->has_enosys_clone3 = true;
			return;
		}
		if (r->err == ENOSYS)
			rule_error(
				im, r,
				"SCMP_ACT_ERRNO with errno 38 (ENOSYS) cannot be expressed: sysfence "
				"answers ENOSYS only for a clone3 it does not allow (with no "
				"argument conditions) and for numbers its tables do not know");
		else if (r->err == EPERM)
			rule_error(
				im, r,
				"SCMP_ACT_ERRNO with errno 1 (EPERM) cannot be expressed when the "
				"default action is SCMP_ACT_LOG: complain mode allows what no rule "
				"allows, and only explicit denials (EACCES) fail");
		else
			rule_error(
				im, r,
				"SCMP_ACT_ERRNO with errno %s cannot be expressed: sysfence answers "
				"EPERM (no rule allows the call) or EACCES (an explicit '~' denial)",
				oci_errno_label(r->err, eb, sizeof(eb)));
		return;
	case OCI_ACT_LOG:
		rule_error(
			im, r,
			"SCMP_ACT_LOG (allow and log) cannot be expressed per rule: sysfence logs "
			"what no rule allows, in complain mode (defaultAction SCMP_ACT_LOG)");
		return;
	default:
		rule_error(
			im, r,
			"%s cannot be expressed: sysfence answers a call with ALLOW, EPERM, EACCES "
			"or ENOSYS and never kills, traps, traces or notifies",
			oci_action_name(r->act));
		return;
	}
}

/*
 * Do the rule's values mean on every target what they mean to the
 * profile?  A value wider than what the kernel reads of the argument
 * cannot be written in a policy; one over 32 bits is compared by
 * libseccomp on its low 32 bits on a 32-bit architecture, and decided by
 * sysfence on all of them.
 */
static void check_values(struct oci_importer *im, struct oci_rule *r)
{
	bool has32 = false;

	for (size_t i = 0; i < im->ntargets; i++) {
		const struct abi *a = abi_get(im->targets[i]);

		has32 |= a && a->arg_bits == 32;
	}
	for (size_t n = 0; n < r->nnames && !r->bad; n++) {
		for (unsigned k = 0; k < r->nconds && !r->bad; k++) {
			const struct oci_cond *c = &r->conds[k];
			unsigned width = argtypes_width(r->names[n], c->index);
			/* A mask's bits above the width test bits the kernel drops. */
			uint64_t v = oci_cond_datum(c);

			if (v > oci_width_max(width))
				rule_error(im, r,
					   "args[%u]: value 0x%llx does not fit argument %u of %s, "
					   "which the kernel reads as %u bits",
					   k, (unsigned long long)v, c->index, r->names[n], width);
			else if (has32 && v > UINT32_MAX)
				rule_error(
					im, r,
					"args[%u]: value 0x%llx is wider than the 32-bit registers "
					"of a 32-bit target, where libseccomp compares only its low "
					"32 bits; import for 64-bit architectures only (--arch)",
					k, (unsigned long long)oci_cond_datum(c));
		}
	}
}

/* ---- rules of different actions for one call must not overlap ---- */

struct span {
	uint64_t lo, hi;
};

/* The values a non-masked condition accepts within [0, max]: 0 to 2 spans. */
static size_t cond_spans(const struct oci_cond *c, uint64_t max, struct span s[2])
{
	uint64_t v = c->value;

	switch (c->op) {
	case OCI_OP_EQ:
		s[0] = (struct span){ v, v };
		return v <= max;
	case OCI_OP_NE: {
		size_t n = 0;

		if (v > 0)
			s[n++] = (struct span){ 0, v - 1 < max ? v - 1 : max };
		if (v < max)
			s[n++] = (struct span){ v + 1, max };
		return n;
	}
	case OCI_OP_LT:
		if (!v)
			return 0;
		s[0] = (struct span){ 0, v - 1 < max ? v - 1 : max };
		return 1;
	case OCI_OP_LE:
		s[0] = (struct span){ 0, v < max ? v : max };
		return 1;
	case OCI_OP_GT:
		if (v >= max)
			return 0;
		s[0] = (struct span){ v + 1, max };
		return 1;
	case OCI_OP_GE:
		if (v > max)
			return 0;
		s[0] = (struct span){ v, max };
		return 1;
	case OCI_OP_MASKED_EQ:
		break;
	}
	return 0;
}

/* Can no value satisfy both?  false when unsure. */
static bool conds_disjoint(const struct oci_cond *a, const struct oci_cond *b, unsigned width)
{
	uint64_t max = oci_width_max(width);
	struct span sa[2], sb[2];
	size_t na, nb;

	if (a->op == OCI_OP_MASKED_EQ && b->op == OCI_OP_MASKED_EQ)
		return ((oci_cond_datum(a) ^ oci_cond_datum(b)) & a->value & b->value & max) != 0;
	if (b->op == OCI_OP_MASKED_EQ) {
		const struct oci_cond *t = a;

		a = b;
		b = t;
	}
	nb = cond_spans(b, max, sb);
	if (a->op == OCI_OP_MASKED_EQ) {
		/* Its values lie in [datum, datum | ~mask]; a single value is exact. */
		uint64_t lo = oci_cond_datum(a) & max, hi = (oci_cond_datum(a) | ~a->value) & max;

		for (size_t j = 0; j < nb; j++) {
			if (sb[j].lo == sb[j].hi && ((sb[j].lo & a->value) & max) != lo)
				continue;
			if (sb[j].hi >= lo && sb[j].lo <= hi)
				return false;
		}
		return true;
	}
	na = cond_spans(a, max, sa);
	for (size_t i = 0; i < na; i++)
		for (size_t j = 0; j < nb; j++)
			if (sa[i].hi >= sb[j].lo && sa[i].lo <= sb[j].hi)
				return false;
	return true;
}

static bool rules_disjoint(const struct oci_rule *a, const struct oci_rule *b, const char *name)
{
	for (unsigned i = 0; i < a->nconds; i++)
		for (unsigned j = 0; j < b->nconds; j++)
			if (a->conds[i].index == b->conds[j].index &&
			    conds_disjoint(&a->conds[i], &b->conds[j],
					   argtypes_width(name, a->conds[i].index)))
				return true;
	return false;
}

struct use {
	const char *name;
	struct oci_rule *rule;
};

static int use_cmp(const void *x, const void *y)
{
	const struct use *a = x, *b = y;
	int c = strcmp(a->name, b->name);

	return c ? c : (a->rule->index > b->rule->index) - (a->rule->index < b->rule->index);
}

static bool kind_emits(enum oci_rule_kind k)
{
	return k == OCI_RULE_ALLOW || k == OCI_RULE_DENY || k == OCI_RULE_CLONE3_ENOSYS;
}

static const char *kind_action(const struct oci_rule *r)
{
	switch (r->kind) {
	case OCI_RULE_ALLOW:
		return "SCMP_ACT_ALLOW";
	case OCI_RULE_DENY:
		return "SCMP_ACT_ERRNO (EACCES)";
	case OCI_RULE_CLONE3_ENOSYS:
		return "SCMP_ACT_ERRNO (ENOSYS)";
	default:
		return "?";
	}
}

static int check_overlaps(struct oci_importer *im)
{
	struct oci_profile *p = im->p;
	struct use *u;
	size_t n = 0, total = 0;

	for (size_t i = 0; i < p->nrules; i++)
		if (!p->rules[i].bad && kind_emits(p->rules[i].kind))
			total += p->rules[i].nnames;
	u = malloc((total + 1) * sizeof(*u));
	if (!u)
		return -1;
	for (size_t i = 0; i < p->nrules; i++) {
		struct oci_rule *r = &p->rules[i];

		if (r->bad || !kind_emits(r->kind))
			continue;
		for (size_t k = 0; k < r->nnames; k++)
			u[n++] = (struct use){ r->names[k], r };
	}
	qsort(u, n, sizeof(*u), use_cmp);
	for (size_t g = 0; g < n;) {
		size_t end = g + 1;
		bool reported = false;

		while (end < n && !strcmp(u[end].name, u[g].name))
			end++;
		for (size_t i = g; i < end && !reported; i++) {
			for (size_t j = i + 1; j < end && !reported; j++) {
				struct oci_rule *a = u[i].rule, *b = u[j].rule;

				if (a->kind == b->kind || rules_disjoint(a, b, u[g].name))
					continue;
				rule_error(im, b,
					   "%s: %s here and %s in syscalls[%zu] may both match one "
					   "call; libseccomp's choice then depends on their order "
					   "and shape, sysfence's explicit denial would win: make "
					   "their conditions exclude each other",
					   u[g].name, kind_action(b), kind_action(a), a->index);
				reported = true;
			}
		}
		g = end;
	}
	free(u);
	return 0;
}

/* Is names[k] of rule i also an earlier name of an emitting rule? */
static bool seen_before(const struct oci_profile *p, size_t i, size_t k)
{
	for (size_t j = 0; j <= i; j++) {
		const struct oci_rule *r = &p->rules[j];

		if (r->bad || (r->kind != OCI_RULE_ALLOW && r->kind != OCI_RULE_DENY))
			continue;
		for (size_t m = 0; m < (j == i ? k : r->nnames); m++)
			if (!strcmp(r->names[m], p->rules[i].names[k]))
				return true;
	}
	return false;
}

static void note_unknown_names(struct oci_importer *im)
{
	const struct oci_profile *p = im->p;
	char list[512] = "";
	size_t count = 0, used = 0;

	for (size_t i = 0; i < p->nrules; i++) {
		const struct oci_rule *r = &p->rules[i];

		if (r->bad || (r->kind != OCI_RULE_ALLOW && r->kind != OCI_RULE_DENY))
			continue;
		for (size_t k = 0; k < r->nnames; k++) {
			int w;

			if (syscalls_known_anywhere(r->names[k]) || seen_before(p, i, k))
				continue;
			if (im->o->strict) {
				diag_add(im->d, DIAG_ERROR, 0, 0,
					 "syscalls[%zu]: '%s' is not a system call this compiler "
					 "knows (libseccomp %s)",
					 r->index, r->names[k], syscalls_library_version());
				continue;
			}
			count++;
			w = snprintf(list + used, sizeof(list) - used, "%s%s", used ? " " : "",
				     r->names[k]);
			if (w > 0 && (size_t)w < sizeof(list) - used)
				used += (size_t)w;
		}
	}
	if (count)
		diag_add(im->d, DIAG_NOTE, 0, 0,
			 "%zu syscall names unknown to this compiler's tables (libseccomp %s) "
			 "are left as comments, as runc skips them: %s",
			 count, syscalls_library_version(), list);
}

/* clone3 with no rule at all: the profile says EPERM (or LOG), sysfence ENOSYS. */
static void note_clone3(struct oci_importer *im)
{
	const struct oci_profile *p = im->p;

	if (im->has_enosys_clone3)
		return;
	for (size_t i = 0; i < p->nrules; i++) {
		const struct oci_rule *r = &p->rules[i];

		if (r->bad || !kind_emits(r->kind))
			continue;
		for (size_t k = 0; k < r->nnames; k++)
			if (!strcmp(r->names[k], "clone3"))
				return;
	}
	diag_add(im->d, DIAG_WARNING, 0, 0,
		 "no rule decides clone3, so the profile answers it with its default action; "
		 "sysfence answers ENOSYS for a clone3 no rule allows, so that libc falls back "
		 "to clone (Docker's own profile says ERRNO(ENOSYS) for it)");
}

int oci_import(const char *json, size_t len, const struct oci_opts *o, struct oci_result *out,
	       struct diag_list *d)
{
	struct oci_profile p;
	struct oci_importer im = { .o = o, .d = d, .p = &p };
	size_t errors = d->errors;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (ocijson_read(json, len, &p, d))
		goto out;
	if (choose_arches(&im))
		goto out;
	if (p.default_act == OCI_ACT_ERRNO && p.default_err != EPERM) {
		char eb[64];

		diag_add(
			d, DIAG_ERROR, 0, 0,
			"defaultAction SCMP_ACT_ERRNO with defaultErrnoRet %s cannot be expressed: "
			"sysfence answers EPERM for the calls no rule allows",
			oci_errno_label(p.default_err, eb, sizeof(eb)));
	} else if (p.default_act != OCI_ACT_ERRNO && p.default_act != OCI_ACT_LOG) {
		diag_add(d, DIAG_ERROR, 0, 0,
			 "defaultAction %s cannot be expressed: sysfence policies list what is "
			 "allowed, and answer the rest with EPERM (or allow and log it, with "
			 "defaultAction SCMP_ACT_LOG)",
			 oci_action_name(p.default_act));
	}
	if (d->errors > errors) {
		/* Judge the rules against sysfence's own default: one error, not one per rule. */
		p.default_act = OCI_ACT_ERRNO;
		p.default_err = EPERM;
	}
	for (size_t i = 0; i < p.nrules; i++) {
		struct oci_rule *r = &p.rules[i];

		if (r->bad)
			continue;
		if (!rule_applies(&im, r)) {
			if (!r->bad)
				r->kind = OCI_RULE_SKIPPED;
			continue;
		}
		classify(&im, r);
		if (!r->bad && (r->kind == OCI_RULE_ALLOW || r->kind == OCI_RULE_DENY))
			check_values(&im, r);
	}
	if (check_overlaps(&im)) {
		diag_add(d, DIAG_ERROR, 0, 0, "out of memory");
		goto out;
	}
	note_unknown_names(&im);
	if (d->errors > errors)
		goto out;
	note_clone3(&im);
	if (oci_write_policy(&im, out)) {
		diag_add(d, DIAG_ERROR, 0, 0, "out of memory");
		goto out;
	}
	memcpy(out->arches, im.targets, im.ntargets * sizeof(uint32_t));
	out->narches = im.ntargets;
	rc = 0;
out:
	ocijson_free(&p);
	if (rc)
		oci_result_free(out);
	return rc;
}

void oci_result_free(struct oci_result *r)
{
	free(r->text);
	memset(r, 0, sizeof(*r));
}
