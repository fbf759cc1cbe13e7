// SPDX-License-Identifier: MIT
/*
 * --from-oci, the last step: the policy text of an imported profile (see
 * oci.c, which decided what each rule becomes).  A header saying where it
 * came from and how to compile it, then every rule of the profile in its
 * order: its lines, or a comment saying why it writes none.  And the
 * labels of architectures and errnos that oci.c's messages share.
 */
#include "sysfence/tools/ociwrite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysfence/compile/abi.h"
#include "sysfence/compile/argtypes.h"
#include "sysfence/compile/constants.h"
#include "sysfence/compile/syscalls.h"

const char *oci_arch_label(uint32_t arch)
{
	const char *n = syscalls_arch_name(arch);

	return n ? n : "?";
}

const char *oci_errno_label(uint32_t e, char *buf, size_t len)
{
	const char *n = e < 4096 ? strerrorname_np((int)e) : NULL;

	snprintf(buf, len, "%u (%s)", e, n ? n : "unknown");
	return buf;
}

static void print_cond(FILE *f, const struct oci_cond *c, unsigned width)
{
	static const char *const prefix[] = {
		[OCI_OP_NE] = "!", [OCI_OP_LT] = "<",  [OCI_OP_LE] = "<=",
		[OCI_OP_EQ] = "",  [OCI_OP_GE] = ">=", [OCI_OP_GT] = ">",
	};

	if (c->op == OCI_OP_MASKED_EQ)
		fprintf(f, "0x%llx|0x%llx", (unsigned long long)(c->value & oci_width_max(width)),
			(unsigned long long)oci_cond_datum(c));
	else
		fprintf(f, "%s%llu", prefix[c->op], (unsigned long long)c->value);
}

static void print_line(FILE *f, const struct oci_rule *r, const char *name)
{
	unsigned top = 0;

	fprintf(f, "%s%s", r->kind == OCI_RULE_DENY ? "~" : "", name);
	for (unsigned k = 0; k < r->nconds; k++)
		if (r->conds[k].index + 1 > top)
			top = r->conds[k].index + 1;
	for (unsigned a = 0; a < top; a++) {
		const struct oci_cond *c = NULL;

		for (unsigned k = 0; k < r->nconds; k++)
			if (r->conds[k].index == a)
				c = &r->conds[k];
		fputc(' ', f);
		if (c)
			print_cond(f, c, argtypes_width(name, a));
		else
			fputc('-', f);
	}
	fputc('\n', f);
}

/* A rule with conditions on socket, shmget, ... on x86 (and s390, ppc). */
static void check_multiplexed(struct oci_importer *im, const struct oci_rule *r, const char *name,
			      const bool mux_allowed[2])
{
	for (size_t i = 0; i < im->ntargets && r->kind == OCI_RULE_ALLOW && r->nconds; i++) {
		const struct abi *a = abi_get(im->targets[i]);
		uint32_t call;
		enum abi_mux m = abi_mux_of(name, &call);
		bool ipc = m == ABI_MUX_IPC;

		if (!a || m == ABI_MUX_NONE || abi_mux_nr(a, m) < 0 || mux_allowed[ipc])
			continue;
		diag_add(im->d, DIAG_WARNING, 0, 0,
			 "syscalls[%zu] (%s): on %s, libseccomp also allows %s with any arguments "
			 "for this rule; sysfence does not (the conditions cannot be checked "
			 "there), and libc may use it: allow %s in the profile for the same effect",
			 r->index, name, oci_arch_label(im->targets[i]), ipc ? "ipc" : "socketcall",
			 ipc ? "ipc" : "socketcall");
		return;
	}
}

static void print_header(FILE *f, struct oci_importer *im)
{
	const struct oci_profile *p = im->p;
	char eb[64];

	fprintf(f, "# Imported from %s by sysfence-compile --from-oci.\n",
		im->o->source ? im->o->source : "an OCI seccomp profile");
	fputs("# Architectures:", f);
	for (size_t i = 0; i < im->ntargets; i++)
		fprintf(f, " %s", oci_arch_label(im->targets[i]));
	fputs("; compile with:", f);
	for (size_t i = 0; i < im->ntargets; i++)
		fprintf(f, " --arch %s", oci_arch_label(im->targets[i]));
	fputs("\n# Capabilities:", f);
	if (!im->o->caps)
		fputs(" none", f);
	for (int c = 0; c < 64; c++) {
		const struct sf_constant *t;
		size_t n;

		if (!(im->o->caps & (UINT64_C(1) << c)))
			continue;
		t = constants_table(&n);
		for (size_t k = 0; k < n; k++)
			if (!strncmp(t[k].name, "CAP_", 4) && t[k].value == (uint64_t)c)
				fprintf(f, " %s", t[k].name);
	}
	fprintf(f, "; kernel %u.%u\n", im->o->kernel[0], im->o->kernel[1]);
	if (p->default_act == OCI_ACT_LOG)
		fputs("# defaultAction SCMP_ACT_LOG: complain mode, calls no rule allows are "
		      "allowed and logged.\n@complain\n",
		      f);
	else
		fprintf(f,
			"# defaultAction SCMP_ACT_ERRNO, errno %s: enforce mode's default for "
			"calls no rule allows.\n",
			oci_errno_label(p->default_err, eb, sizeof(eb)));
}

/* The names of a rule that writes no line, as comment lines. */
static void print_names(FILE *f, const struct oci_rule *r)
{
	size_t col = 0;

	for (size_t k = 0; k < r->nnames; k++) {
		size_t n = strlen(r->names[k]);

		if (col && col + 1 + n > 80) {
			fputc('\n', f);
			col = 0;
		}
		col += (size_t)fprintf(f, "%s%s", col ? " " : "#   ", r->names[k]);
	}
	if (col)
		fputc('\n', f);
}

static void print_rule(FILE *f, struct oci_importer *im, const struct oci_rule *r,
		       const bool mux[2])
{
	char eb[64];

	fprintf(f, "\n# syscalls[%zu]: %s", r->index, oci_action_name(r->act));
	if (r->act == OCI_ACT_ERRNO)
		fprintf(f, " errno %s", oci_errno_label(r->err, eb, sizeof(eb)));
	if (r->filter_text[0])
		fprintf(f, "; %s", r->filter_text);
	fputc('\n', f);
	if (r->comment[0])
		fprintf(f, "#   comment: %s\n", r->comment);
	switch (r->kind) {
	case OCI_RULE_SKIPPED:
		fprintf(f, "#   not imported: %s\n", r->why);
		print_names(f, r);
		return;
	case OCI_RULE_DEFAULT:
		fputs("#   the default action already: nothing to add (runc skips it too)\n", f);
		print_names(f, r);
		return;
	case OCI_RULE_CLONE3_ENOSYS:
		fputs("#   clone3 left out: sysfence answers ENOSYS for a clone3 no rule allows\n",
		      f);
		return;
	default:
		break;
	}
	for (size_t k = 0; k < r->nnames; k++) {
		if (!syscalls_known_anywhere(r->names[k])) {
			fprintf(f,
				"# %s: unknown to this compiler's syscall tables (libseccomp %s), "
				"left out as runc does; import again after an upgrade\n",
				r->names[k], syscalls_library_version());
			continue;
		}
		check_multiplexed(im, r, r->names[k], mux);
		print_line(f, r, r->names[k]);
	}
}

int oci_write_policy(struct oci_importer *im, struct oci_result *out)
{
	struct oci_profile *p = im->p;
	bool mux[2] = { false, false }; /* socketcall, ipc allowed unconditionally */
	FILE *f = open_memstream(&out->text, &out->len);

	if (!f)
		return -1;
	for (size_t i = 0; i < p->nrules; i++) {
		const struct oci_rule *r = &p->rules[i];

		for (size_t k = 0; r->kind == OCI_RULE_ALLOW && !r->nconds && k < r->nnames; k++) {
			mux[0] |= !strcmp(r->names[k], "socketcall");
			mux[1] |= !strcmp(r->names[k], "ipc");
		}
	}
	print_header(f, im);
	for (size_t i = 0; i < p->nrules; i++)
		print_rule(f, im, &p->rules[i], mux);
	if (fclose(f)) {
		free(out->text);
		out->text = NULL;
		return -1;
	}
	return 0;
}
