// SPDX-License-Identifier: MIT
/*
 * Shared by the admin tools: loading a policy, a blob or a bare program into
 * one shape, the verdict of stacked programs, and per-architecture syscall
 * numbers.  No file I/O here: cli.c reads the files.
 */
#include "sysfence/tools/input.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysfence/compile/abi.h"
#include "sysfence/compile/syscalls.h"
#include "sysfence/compile/text.h"
#include "sysfence/util.h"

static bool is_arch_load(const struct sock_filter *i)
{
	return i->code == (BPF_LD | BPF_W | BPF_ABS) && i->k == BPF_OFF_ARCH;
}

enum tool_input_kind tool_input_sniff(const void *buf, size_t len)
{
	struct sock_filter first;

	if (len >= BLOB_MAGIC_LEN && !memcmp(buf, BLOB_MAGIC, BLOB_MAGIC_LEN))
		return TOOL_INPUT_BLOB;
	if (len >= sizeof(first) && len % sizeof(first) == 0) {
		memcpy(&first, buf, sizeof(first));
		if (is_arch_load(&first) && !first.jt && !first.jf)
			return TOOL_INPUT_RAW;
	}
	return TOOL_INPUT_POLICY;
}

static int copy_program(const void *buf, size_t len, struct bpf_prog *out)
{
	size_t n = len / sizeof(struct sock_filter);

	out->insns = NULL;
	out->len = 0;
	if (!n)
		return 0;
	if (n > BPF_MAXINSNS)
		return -1;
	out->insns = malloc(n * sizeof(*out->insns));
	if (!out->insns)
		return -1;
	memcpy(out->insns, buf, n * sizeof(*out->insns));
	out->len = (uint32_t)n;
	return 0;
}

/* The architectures a program dispatches on: the JEQs right after ld [arch]. */
static void raw_arches(struct blob *b)
{
	const struct bpf_prog *p = &b->allow;

	for (uint32_t pc = 1; pc < p->len && b->narches < BLOB_MAX_ARCHES; pc++) {
		const struct sock_filter *i = &p->insns[pc];

		if (i->code == (BPF_JMP | BPF_JEQ | BPF_K))
			b->arches[b->narches++] = i->k;
		else if (i->code != (BPF_JMP | BPF_JA))
			break;
	}
}

static int load_raw(struct tool_input *in, const void *buf, size_t len, const void *deny,
		    size_t denylen, char *why, size_t whylen)
{
	struct blob *b = &in->blob;

	if (len % sizeof(struct sock_filter) || (deny && denylen % sizeof(struct sock_filter))) {
		snprintf(why, whylen, "size is not a multiple of %zu bytes",
			 sizeof(struct sock_filter));
		return -1;
	}
	if (len / sizeof(struct sock_filter) > BPF_MAXINSNS ||
	    denylen / sizeof(struct sock_filter) > BPF_MAXINSNS) {
		snprintf(why, whylen, "more than %d instructions", BPF_MAXINSNS);
		return -1;
	}
	if (copy_program(buf, len, &b->allow) || (deny && copy_program(deny, denylen, &b->deny))) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	b->mode = SF_MODE_ENFORCE;
	if (b->allow.len &&
	    bpf_check(b->allow.insns, b->allow.len, in->raw_why, sizeof(in->raw_why)) == 0 &&
	    b->deny.len)
		bpf_check(b->deny.insns, b->deny.len, in->raw_why, sizeof(in->raw_why));
	if (b->allow.len)
		raw_arches(b);
	return 0;
}

static void tool_input_free_keep_sources(struct tool_input *in);

int tool_input_from_bytes(struct tool_input *in, const char *name, const void *buf, size_t len,
			  const void *deny, size_t denylen, const struct compile_opts *opts,
			  struct diag_list *diags, char *why, size_t whylen)
{
	int rc;

	memset(in, 0, sizeof(*in));
	in->name = name;
	in->kind = tool_input_sniff(buf, len);
	if (why && whylen)
		why[0] = '\0';
	switch (in->kind) {
	case TOOL_INPUT_BLOB:
		rc = blob_parse(buf, len, &in->blob, why, whylen);
		if (rc != BLOB_OK) {
			char detail[128];

			snprintf(detail, sizeof(detail), "%s", why && *why ? why : "");
			snprintf(why, whylen, "%s%s%s", blob_strerror(rc), *detail ? ": " : "",
				 detail);
			return -1;
		}
		return 0;
	case TOOL_INPUT_RAW:
		if (load_raw(in, buf, len, deny, denylen, why, whylen)) {
			tool_input_free(in);
			return -1;
		}
		return 0;
	case TOOL_INPUT_POLICY:
		break;
	}
	in->src = malloc(len + 1);
	if (!in->src) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	memcpy(in->src, buf, len);
	in->src[len] = '\0';
	in->srclen = len;
	/*
	 * The files are read once; the blob and the rules the explainer
	 * quotes both come from them.  Only the compile reports, so every
	 * diagnostic appears once.
	 */
	rc = compile_load(name, in->src, len, opts, &in->sources, diags);
	if (compile_sources(&in->sources, opts, &in->blob, diags) < 0 || rc) {
		snprintf(why, whylen, "the policy does not compile");
		tool_input_free_keep_sources(in);
		return -1;
	}
	{
		struct diag_list quiet;

		diag_init(&quiet, 1);
		rc = policy_parse_sources(&in->sources, opts->resolver, opts->arches, opts->narches,
					  &in->pol, &quiet);
		diag_free(&quiet);
	}
	if (rc) {
		snprintf(why, whylen, "the policy does not parse");
		tool_input_free_keep_sources(in);
		return -1;
	}
	return 0;
}

/* After a failure: the sources stay for printing the diagnostics. */
static void tool_input_free_keep_sources(struct tool_input *in)
{
	blob_free(&in->blob);
	policy_free(&in->pol);
}

void tool_input_free(struct tool_input *in)
{
	tool_input_free_keep_sources(in);
	policy_sources_free(&in->sources);
	free(in->src);
	in->src = NULL;
	in->srclen = 0;
}

const struct diag_file *tool_rule_file(const struct tool_input *in, const struct policy_rule *r)
{
	static const struct diag_file none = { "", "", 0, 0, 0 };

	if (r->file < in->sources.count)
		return &in->sources.files[r->file];
	return in->sources.count ? &in->sources.files[0] : &none;
}

bool tool_action_allows(uint32_t action)
{
	uint32_t a = action & SECCOMP_RET_ACTION_FULL;

	return a == SECCOMP_RET_ALLOW || a == SECCOMP_RET_LOG;
}

size_t tool_syscall_numbers(uint32_t arch, uint32_t *out, size_t max)
{
	size_t n;
	const uint32_t *nrs = syscalls_numbers(arch, &n);

	if (n > max)
		n = max;
	if (nrs)
		memcpy(out, nrs, n * sizeof(*out));
	return n;
}

void tool_seccomp_data(uint32_t arch, uint32_t nr, const uint64_t args[6], struct seccomp_data *d)
{
	const struct abi *a = abi_get(arch);

	if (a) {
		abi_seccomp_data(a, nr, args, d);
		return;
	}
	memset(d, 0, sizeof(*d));
	d->nr = (int)nr;
	d->arch = arch;
	memcpy(d->args, args, sizeof(d->args));
}

const char *tool_offset_name(uint32_t arch, uint32_t off, char *buf, size_t len)
{
	const struct abi *a = abi_get(arch);
	unsigned argno;
	bool second;

	switch (off) {
	case BPF_OFF_NR:
		return snprintf(buf, len, "nr"), buf;
	case BPF_OFF_ARCH:
		return snprintf(buf, len, "arch"), buf;
	case BPF_OFF_IP:
	case BPF_OFF_IP + 4:
		if (!a)
			snprintf(buf, len, "ip%s", off == BPF_OFF_IP ? "" : "+4");
		else
			snprintf(buf, len, "ip.%s",
				 (off == BPF_OFF_IP) != a->big_endian ? "lo" : "hi");
		return buf;
	}
	if (off < BPF_OFF_ARGS || off >= BPF_OFF_ARGS + 8 * 6) {
		snprintf(buf, len, "%u", off);
		return buf;
	}
	argno = (off - BPF_OFF_ARGS) / 8;
	second = (off - BPF_OFF_ARGS) % 8 != 0;
	if (!a)
		snprintf(buf, len, "args[%u]%s", argno, second ? "+4" : "");
	else
		snprintf(buf, len, "args[%u].%s", argno,
			 off == abi_arg_offset(a, argno, true) ? "hi" : "lo");
	return buf;
}

int tool_parse_value(const char *s, const struct policy_resolver *res, uint32_t arch, uint64_t *out,
		     char *err, size_t errlen)
{
	/* A register value: 64 bits, -N its two's complement, any argument. */
	struct policy_value_ctx c = { .res = res, .arches = &arch, .narches = 1, .suggest = true };
	size_t off;
	int rc = policy_parse_value(s, strlen(s), &c, out, err, errlen, &off);

	/* A constant this arch lacks: the number it has elsewhere. */
	return rc < 0 ? -1 : 0;
}

const char *tool_source_line(const char *src, size_t len, unsigned line, char *buf, size_t buflen)
{
	const char *p = src, *end = src + len, *e;
	unsigned n = 1;

	buf[0] = '\0';
	while (n < line && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (!nl)
			return buf;
		p = nl + 1;
		n++;
	}
	if (n != line || p > end)
		return buf;
	e = memchr(p, '\n', (size_t)(end - p));
	if (!e)
		e = end;
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	snprintf(buf, buflen, "%.*s", (int)(e - p), p);
	/* A hostile policy must not drive the terminal. */
	for (char *c = buf; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	return buf;
}
