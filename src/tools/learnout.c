// SPDX-License-Identifier: MIT
/*
 * --learn, the pure half: from the calls a run made (learn.c records them)
 * to the policy lines that allow exactly those calls.  Lines are per
 * syscall name, as a policy is, so one line may come from several ABIs.
 *
 * What an argument becomes (argkinds.h says what it is, argtypes.h how
 * many bits the kernel reads of it):
 *  - scalars a policy restricts (flags, commands, families, ids, modes,
 *    signals) are narrowed to the values seen, by name where the
 *    constants table has one with that value on every target;
 *  - descriptors, process ids, sizes and passed-through data are '-'
 *    (a rerun passes others), unless the --policy compares that argument
 *    for that call: a learned line must not be wider than a rule it adds
 *    to, so there they are narrowed too; pointers are always '-';
 *  - each distinct combination is a line of its own, so nothing narrower
 *    than what ran and nothing wider.  Past LEARN_MAX_LINES combinations
 *    for one call, flag arguments become "no other bits than the ones
 *    seen" (A|0: (arg & A) == 0), then the argument with the most values
 *    is widened to '-', until the lines fit; the comment says so.
 */
#include "sysfence/tools/learn.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sysfence/array.h"
#include "sysfence/compile/abi.h"
#include "sysfence/compile/argkinds.h"
#include "sysfence/compile/argtypes.h"
#include "sysfence/compile/constants.h"
#include "sysfence/compile/syscalls.h"
#include "sysfence/tools/explain.h"
#include "sysfence/tools/fromlog.h"

#define NARGS 6

enum cls {
	C_ADD,	       /* a line to add */
	C_DENIED,      /* the policy denies it explicitly (EACCES): answered so */
	C_ENOSYS,      /* ENOSYS by design (clone3, unknown numbers): answered so */
	C_UNKNOWN_NR,  /* a number this compiler does not know on its arch */
	C_UNKNOWN_ARCH /* an architecture sysfence does not support */
};

enum cond {
	COND_ANY = 0, /* '-' */
	COND_EQ,      /* the value */
	COND_SUBSET,  /* no other bits than val: (arg & ~val) == 0 */
};

struct item {
	enum cls cls;
	char name[POLICY_NAME_MAX];
	uint32_t nr, arch0; /* C_UNKNOWN_*: which; otherwise the first ABI seen */
	uint8_t cond[NARGS];
	uint64_t val[NARGS]; /* reduced to the bits the kernel reads, sign-extended */
	uint32_t arches[BLOB_MAX_ARCHES];
	size_t narches;
	size_t count;
	unsigned merged;    /* arguments whose flags were merged into a mask (bits) */
	unsigned widened;   /* arguments widened to '-' past LEARN_MAX_LINES (bits) */
	bool launcher_only; /* only sysfence-launch's own calls (learn_log_add_launcher) */
	const struct learn_record *rec; /* one of them, for --explain's verdict */
};

struct items {
	struct item *v;
	size_t n, cap;
};

static uint64_t width_mask(unsigned bits)
{
	return bits >= 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
}

/* Does an allow rule of the policy compare argument i of this call? */
static bool policy_compares(const struct tool_input *p, const char *name, unsigned i)
{
	for (size_t k = 0; p && p->kind == TOOL_INPUT_POLICY && k < p->pol.count; k++) {
		const struct policy_rule *r = &p->pol.rules[k];

		if (!r->deny && i < r->nargs && r->args[i].op != POLICY_OP_ANY &&
		    !strcmp(r->name, name))
			return true;
	}
	return false;
}

/* The bits of argument i the kernel of abi reads for the call. */
static unsigned arg_width(const struct abi *a, const char *name, unsigned i)
{
	unsigned w = argtypes_width(name, i);

	if (a && a->arg_bits < w)
		w = a->arg_bits;
	if (a && (abi_uid16_args(a, name) & (1u << i)))
		w = 16;
	return w;
}

static struct item *items_push(struct items *it)
{
	if (ARRAY_GROW(&it->v, &it->cap, it->n + 1))
		return NULL;
	memset(&it->v[it->n], 0, sizeof(it->v[0]));
	return &it->v[it->n++];
}

static void fill_item(struct item *x, const struct learn_record *r, const struct learn_out *o)
{
	const struct abi *a = abi_get(r->arch);

	x->rec = r;
	x->count = r->count;
	x->launcher_only = r->launcher;
	x->arch0 = r->arch;
	x->nr = r->nr;
	if (!a || !syscalls_arch_name(r->arch)) {
		x->cls = C_UNKNOWN_ARCH;
		return;
	}
	fromlog_arch_add(x->arches, &x->narches, r->arch);
	if (!syscalls_name(r->arch, (int)r->nr, x->name, sizeof(x->name))) {
		x->cls = C_UNKNOWN_NR;
		return;
	}
	if (r->action == (SECCOMP_RET_ERRNO | EACCES))
		x->cls = C_DENIED;
	else if (r->action == (SECCOMP_RET_ERRNO | ENOSYS))
		x->cls = C_ENOSYS;
	if (x->cls != C_ADD || r->wide)
		return;
	x->nr = 0; /* lines are per name */
	for (unsigned i = 0; i < NARGS; i++) {
		struct argkind_info k = argkinds_get(x->name, i);
		unsigned w = arg_width(a, x->name, i);
		uint64_t v = r->args[i] & width_mask(w);

		/* the launcher's own calls are known exactly: write(2, ...) */
		if (!argkinds_narrows(k.kind) && k.kind != ARGKIND_PTR &&
		    !(r->launcher && k.kind == ARGKIND_FD) && !policy_compares(o->pol, x->name, i))
			continue;
		if (k.kind == ARGKIND_PTR)
			continue;
		/* -1 on a 16-bit id call and on a 32-bit one: the same line. */
		if (w < 64 && argtypes_accepts_negative(x->name, i) && (v >> (w - 1)) & 1)
			v |= ~width_mask(w);
		x->cond[i] = COND_EQ;
		x->val[i] = v;
	}
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static int item_cmp(const void *pa, const void *pb)
{
	const struct item *x = pa, *y = pb;
	int c;

	if (x->cls != y->cls)
		return (int)x->cls - (int)y->cls;
	c = strcmp(x->name, y->name);
	if (c)
		return c;
	if (x->cls == C_UNKNOWN_ARCH || x->cls == C_UNKNOWN_NR) {
		c = cmp_u64(x->arch0, y->arch0);
		if (c)
			return c;
		return cmp_u64(x->nr, y->nr);
	}
	for (unsigned i = 0; i < NARGS; i++) {
		if (x->cond[i] != y->cond[i])
			return (int)x->cond[i] - (int)y->cond[i];
		c = cmp_u64(x->val[i], y->val[i]);
		if (c)
			return c;
	}
	return 0;
}

/* Sorts it->v[from..] and merges equal items; returns the new count. */
static size_t sort_merge(struct items *it, size_t from)
{
	size_t k = from;

	if (it->n - from > 1)
		qsort(it->v + from, it->n - from, sizeof(it->v[0]), item_cmp);
	for (size_t i = from; i < it->n; i++) {
		struct item *x = &it->v[i];

		if (k > from && !item_cmp(&it->v[k - 1], x)) {
			struct item *y = &it->v[k - 1];

			y->count += x->count;
			y->launcher_only &= x->launcher_only;
			y->merged |= x->merged;
			y->widened |= x->widened;
			for (size_t j = 0; j < x->narches; j++)
				fromlog_arch_add(y->arches, &y->narches, x->arches[j]);
			continue;
		}
		if (k != i)
			it->v[k] = *x;
		k++;
	}
	it->n = k;
	return k - from;
}

/* Distinct values of argument i among v[0..n). */
static size_t distinct_values(const struct item *v, size_t n, unsigned i)
{
	size_t d = 0;

	for (size_t a = 0; a < n; a++) {
		bool seen = false;

		for (size_t b = 0; b < a && !seen; b++)
			seen = v[b].cond[i] == v[a].cond[i] && v[b].val[i] == v[a].val[i];
		d += !seen;
	}
	return d;
}

/*
 * One call's lines, it->v[from..], made to fit in LEARN_MAX_LINES: flags
 * first become a mask of the bits seen, then the argument with the most
 * values is widened, one at a time.
 */
static void fit_lines(struct items *it, size_t from)
{
	size_t n = it->n - from;
	struct item *v = it->v + from;

	if (n <= LEARN_MAX_LINES)
		return;
	for (unsigned i = 0; i < NARGS; i++) {
		uint64_t all = 0;

		if (argkinds_get(v[0].name, i).kind != ARGKIND_FLAGS || v[0].cond[i] != COND_EQ ||
		    distinct_values(v, n, i) < 2)
			continue;
		for (size_t a = 0; a < n; a++)
			all |= v[a].val[i];
		for (size_t a = 0; a < n; a++) {
			v[a].cond[i] = COND_SUBSET;
			v[a].val[i] = all;
			v[a].merged |= 1u << i;
		}
	}
	n = sort_merge(it, from);
	while (n > LEARN_MAX_LINES) {
		unsigned best = NARGS;
		size_t most = 1;

		for (unsigned i = 0; i < NARGS; i++) {
			size_t d = distinct_values(v, n, i);

			if (d > most) {
				most = d;
				best = i;
			}
		}
		if (best == NARGS)
			break;
		for (size_t a = 0; a < n; a++) {
			v[a].cond[best] = COND_ANY;
			v[a].val[best] = 0;
			v[a].merged &= ~(1u << best);
			v[a].widened |= 1u << best;
		}
		n = sort_merge(it, from);
	}
}

/* Does y allow every call x allows (same call, each condition as wide)? */
static bool covers(const struct item *y, const struct item *x)
{
	if (y->cls != C_ADD || strcmp(y->name, x->name))
		return false;
	for (unsigned i = 0; i < NARGS; i++)
		if (y->cond[i] != COND_ANY && (y->cond[i] != x->cond[i] || y->val[i] != x->val[i]))
			return false;
	return true;
}

/* The launcher's lines that a line of the program's own already covers. */
static void drop_covered(struct items *it)
{
	size_t k = 0;

	for (size_t i = 0; i < it->n; i++) {
		bool covered = false;

		for (size_t j = 0; it->v[i].launcher_only && j < it->n && !covered; j++)
			covered = j != i && !it->v[j].launcher_only && covers(&it->v[j], &it->v[i]);
		if (!covered)
			it->v[k++] = it->v[i];
	}
	it->n = k;
}

static int build_items(const struct learn_log *l, const struct learn_out *o, struct items *it)
{
	for (size_t i = 0; i < l->n; i++) {
		struct item *x = items_push(it);

		if (!x)
			return -1;
		fill_item(x, &l->v[i], o);
	}
	sort_merge(it, 0);
	/* Each call's lines, one call at a time: fitting may shrink them. */
	{
		struct items out = { 0 };

		for (size_t i = 0; i < it->n;) {
			size_t j = i, from = out.n;

			while (j < it->n && it->v[j].cls == it->v[i].cls &&
			       !strcmp(it->v[j].name, it->v[i].name))
				j++;
			for (size_t k = i; k < j; k++) {
				struct item *x = items_push(&out);

				if (!x) {
					free(out.v);
					return -1;
				}
				*x = it->v[k];
			}
			if (it->v[i].cls == C_ADD)
				fit_lines(&out, from);
			i = j;
		}
		free(it->v);
		*it = out;
	}
	drop_covered(it);
	return 0;
}

/* ---- naming values ---- */

/*
 * Does name start with one of the prefixes ("F_,!F_SEAL_": a '!' entry
 * leaves out the names starting so, another family sharing the prefix)?
 */
static bool has_prefix(const char *name, const char *prefixes)
{
	bool ok = false;

	for (const char *p = prefixes; p && *p;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (*p == '!' && !strncmp(name, p + 1, n - 1))
			return false;
		if (*p != '!' && !strncmp(name, p, n))
			ok = true;
		p += n + (end ? 1 : 0);
	}
	return ok;
}

/*
 * Is the constant `name` the value v on the call's ABI and on every
 * target?  Only then does the line mean the same compiled for them.
 */
static bool constant_fits(const char *name, uint64_t v, uint32_t arch, const struct learn_out *o)
{
	struct constants_arch_value av;
	struct constants_resolved r;

	if (!constants_lookup_arch(name, strlen(name), arch, &av) || av.kind != CONSTANTS_DEFINED ||
	    av.value != v)
		return false;
	return constants_resolve(name, strlen(name), o->arches, o->narches, &r) == CONSTANTS_OK &&
	       r.value == v;
}

/* The constant of the argument's family with value v, or NULL. */
static const char *constant_name(const struct argkind_info *k, uint64_t v, uint32_t arch,
				 const struct learn_out *o)
{
	size_t count;
	const struct sf_constant *t = constants_table(&count);
	const char *best = NULL;

	/* No flag set is 0, whatever a family calls its zero (AT_STATX_SYNC_AS_STAT) */
	if (k->kind == ARGKIND_FLAGS && !v)
		return NULL;
	for (size_t i = 0; k->prefix && i < count; i++) {
		/* Of two names for one value, the later: O_NONBLOCK, MAP_ANONYMOUS. */
		if (t[i].value == v && has_prefix(t[i].name, k->prefix) &&
		    constant_fits(t[i].name, v, arch, o))
			best = t[i].name;
	}
	return best;
}

static unsigned popcount64(uint64_t v)
{
	unsigned n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

/* "SOCK_STREAM|SOCK_CLOEXEC" for a flag value, into buf; "" if no name fits. */
static void flag_names(const struct argkind_info *k, uint64_t v, uint32_t arch,
		       const struct learn_out *o, char *buf, size_t len)
{
	size_t count, at = 0;
	const struct sf_constant *t = constants_table(&count);
	uint64_t rest = v;
	bool named = false;

	buf[0] = '\0';
	while (rest && at < len) {
		const char *best = NULL;
		uint64_t bv = 0;

		for (size_t i = 0; k->prefix && i < count; i++) {
			uint64_t c = t[i].value;

			if (!c || (rest & c) != c || popcount64(c) < popcount64(bv) ||
			    !has_prefix(t[i].name, k->prefix) ||
			    !constant_fits(t[i].name, c, arch, o))
				continue;
			best = t[i].name;
			bv = c;
		}
		if (!best)
			break;
		at += (size_t)snprintf(buf + at, len - at, "%s%s", at ? "|" : "", best);
		rest &= ~bv;
		named = true;
	}
	if (!named) {
		buf[0] = '\0';
		return;
	}
	/* clone's low byte is the signal sent to the parent at exit (CSIGNAL) */
	if (!strcmp(k->prefix, "CLONE_") && (rest & 0xff) && at < len) {
		struct argkind_info sig = { ARGKIND_SIG, ARGKINDS_SIGNALS };
		const char *sn = constant_name(&sig, rest & 0xff, arch, o);

		if (sn) {
			at += (size_t)snprintf(buf + at, len - at, "|%s", sn);
			rest &= ~UINT64_C(0xff);
		}
	}
	if (rest && at < len)
		snprintf(buf + at, len - at, "|%#llx", (unsigned long long)rest);
}

/* Formats one argument's condition (never '-': the caller prints those). */
static void format_arg(const struct item *x, unsigned i, const struct learn_out *o, char *buf,
		       size_t len, char *note, size_t notelen)
{
	struct argkind_info k = argkinds_get(x->name, i);
	unsigned w = argtypes_width(x->name, i);
	uint64_t v = x->val[i], u = v & width_mask(w);
	const char *nm;

	note[0] = '\0';
	if (x->cond[i] == COND_SUBSET) {
		char names[192];

		flag_names(&k, u, x->arch0, o, names, sizeof(names));
		snprintf(buf, len, "%#llx|0", (unsigned long long)(~u & width_mask(w)));
		snprintf(note, notelen, "arg%u: no flags but %s", i,
			 *names ? names
				: (snprintf(names, sizeof(names), "%#llx", (unsigned long long)u),
				   names));
		return;
	}
	nm = constant_name(&k, u, x->arch0, o);
	if (nm) {
		snprintf(buf, len, "%s", nm);
		return;
	}
	if ((int64_t)v < 0 && argtypes_accepts_negative(x->name, i)) {
		snprintf(buf, len, "-%llu", (unsigned long long)-v);
		return;
	}
	switch (k.kind) {
	case ARGKIND_MODE:
		snprintf(buf, len, "0%llo", (unsigned long long)u);
		if (!u)
			snprintf(buf, len, "0");
		return;
	case ARGKIND_FLAGS:
		snprintf(buf, len, "%#llx", (unsigned long long)u);
		if (u) {
			char names[192];

			flag_names(&k, u, x->arch0, o, names, sizeof(names));
			if (*names)
				snprintf(note, notelen, "arg%u = %s", i, names);
		}
		return;
	default:
		snprintf(buf, len, u > 0xffff ? "%#llx" : "%llu", (unsigned long long)u);
		return;
	}
}

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

static void print_line(FILE *m, const struct item *x, const struct learn_out *o)
{
	char line[512], comment[768], an[96];
	size_t at, cat;
	unsigned last = 0;

	for (unsigned i = 0; i < NARGS; i++)
		if (x->cond[i] != COND_ANY)
			last = i + 1;
	at = (size_t)snprintf(line, sizeof(line), "%s", x->name);
	fromlog_arch_note(x->arches, x->narches, an, sizeof(an));
	if (x->launcher_only)
		cat = (size_t)snprintf(comment, sizeof(comment),
				       "sysfence-launch's error path after loading the profile");
	else
		cat = (size_t)snprintf(comment, sizeof(comment), "%zu call%s%s", x->count,
				       plural(x->count), an);
	for (unsigned i = 0; i < last && at < sizeof(line); i++) {
		char v[96], note[256];

		if (x->cond[i] == COND_ANY) {
			at += (size_t)snprintf(line + at, sizeof(line) - at, " -");
			continue;
		}
		format_arg(x, i, o, v, sizeof(v), note, sizeof(note));
		at += (size_t)snprintf(line + at, sizeof(line) - at, " %s", v);
		if (*note && cat < sizeof(comment))
			cat += (size_t)snprintf(comment + cat, sizeof(comment) - cat, "; %s", note);
	}
	for (unsigned i = 0; i < NARGS && cat < sizeof(comment); i++)
		if (x->widened & (1u << i))
			cat += (size_t)snprintf(comment + cat, sizeof(comment) - cat,
						"; arg%u left '-': more than %u combinations", i,
						LEARN_MAX_LINES);
	if (x->rec->wide && cat < sizeof(comment))
		snprintf(comment + cat, sizeof(comment) - cat,
			 "; not narrowed: more than %u distinct calls", LEARN_MAX_RECORDS);
	if (!strcmp(x->name, "socketcall") || !strcmp(x->name, "ipc")) {
		const char *c = abi_mux_call_name(
			strcmp(x->name, "ipc") ? ABI_MUX_SOCKETCALL : ABI_MUX_IPC,
			abi_mux_decode(strcmp(x->name, "ipc") ? ABI_MUX_SOCKETCALL : ABI_MUX_IPC,
				       x->val[0]));

		if (c && x->cond[0] == COND_EQ && cat < sizeof(comment))
			snprintf(
				comment + cat, sizeof(comment) - cat,
				"; %s through the multiplexer (its arguments are behind a pointer)",
				c);
	}
	fprintf(m, "%-31s # %s\n", line, comment);
}

/* "FILE:LINE" of the '~' rule that denies the call, into buf; "" if none. */
static void denying_rule(const struct learn_out *o, const struct item *x, char *buf, size_t len)
{
	struct explain_call c = { .arch = x->rec->arch, .nr = x->rec->nr, .nargs = NARGS };
	struct explain_result r;
	const struct tool_input *p = o->pol;

	buf[0] = '\0';
	if (!p || p->kind != TOOL_INPUT_POLICY)
		return;
	memcpy(c.args, x->rec->args, sizeof(c.args));
	explain_call(&p->blob, &p->pol, &c, &r);
	if (r.reason == EXPLAIN_DENY_RULE && r.ndeciding) {
		const struct policy_rule *rule = &p->pol.rules[r.deciding[0].rule];
		const struct diag_file *f = tool_rule_file(p, rule);

		snprintf(buf, len, " by %s:%u", f ? f->name : p->name, rule->line);
	}
}

static void print_comment(FILE *m, const struct item *x, const struct learn_out *o)
{
	char where[POLICY_NAME_MAX + 256];

	switch (x->cls) {
	case C_DENIED:
		denying_rule(o, x, where, sizeof(where));
		fprintf(m, "# %s: %zu call%s denied explicitly%s (answered EACCES): not added\n",
			x->name, x->count, plural(x->count), where);
		break;
	case C_ENOSYS:
		fprintf(m, "# %s: %zu call%s answered ENOSYS by design%s: not added\n", x->name,
			x->count, plural(x->count),
			strcmp(x->name, "clone3")
				? ""
				: " (libc falls back to clone, whose flags a policy can check)");
		break;
	case C_UNKNOWN_NR:
		fprintf(m,
			"# syscall %u on %s: %zu call%s; not a system call this compiler knows "
			"(answered ENOSYS): not added\n",
			x->nr, syscalls_arch_name(x->arch0), x->count, plural(x->count));
		break;
	case C_UNKNOWN_ARCH:
		fprintf(m,
			"# arch 0x%08x: %zu call%s of an architecture this compiler does not "
			"support: not added\n",
			x->arch0, x->count, plural(x->count));
		break;
	case C_ADD:
		break;
	}
}

/* The lines must read back: a parse error here is a bug of this file. */
static int check_parses(FILE *err, const char *body, size_t len, const struct learn_out *o)
{
	struct diag_list d;
	struct policy pol;
	int rc;

	diag_init(&d, DIAG_DEFAULT_LIMIT);
	rc = policy_parse_for(body, len, NULL, o->arches, o->narches, &pol, &d);
	if (rc && err) {
		diag_keep_errors(&d);
		fputs("sysfence-compile: internal error: the learned lines do not parse:\n", err);
		diag_print(err, &d, "<learned lines>", body, len);
	}
	policy_free(&pol);
	diag_free(&d);
	return rc;
}

long learn_print(FILE *out, FILE *err, const struct learn_log *l, const struct learn_out *o)
{
	struct items it = { 0 };
	size_t added = 0, notes = 0, distinct = 0;
	char *body = NULL;
	size_t bodylen = 0;
	long rc = -1;
	FILE *m;

	if (l->oom || build_items(l, o, &it))
		goto oom;
	m = open_memstream(&body, &bodylen);
	if (!m)
		goto oom;
	if (o->as_patch)
		fprintf(m, "# added by sysfence-compile --learn -- %s (%zu call%s)\n",
			o->program ? o->program : "", l->calls, plural(l->calls));
	for (size_t i = 0; i < it.n; i++) {
		if (it.v[i].cls == C_ADD) {
			print_line(m, &it.v[i], o);
			added++;
		}
	}
	for (size_t i = 0; i < it.n; i++) {
		if (it.v[i].cls != C_ADD) {
			print_comment(m, &it.v[i], o);
			notes++;
		}
	}
	if (fclose(m) || !body)
		goto oom;
	if (check_parses(err, body, bodylen, o))
		goto out;
	if (o->as_patch && o->pol && o->pol->src) {
		if (added)
			fromlog_patch(out, o->pol, body, bodylen);
	} else {
		fwrite(body, 1, bodylen, out);
	}
	for (size_t i = 0; i < l->n; i++)
		distinct += !l->v[i].launcher;
	if (err)
		fprintf(err,
			"sysfence-compile: %zu call%s recorded, %zu distinct; %zu line%s to add%s%s"
			"%s%.0zu%s\n",
			l->calls, plural(l->calls), distinct, added, plural(added),
			o->pol ? " to " : "", o->pol ? o->pol->name : "", notes ? ", " : "", notes,
			notes ? " not added (the comments say why)" : "");
	rc = (long)added;
	goto out;
oom:
	if (err)
		fputs("sysfence-compile: out of memory\n", err);
out:
	free(body);
	free(it.v);
	return rc;
}
