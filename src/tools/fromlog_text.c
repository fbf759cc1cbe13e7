// SPDX-License-Identifier: MIT
/*
 * --from-log's output: the calls fromlog.c classified, as the policy lines
 * to add and comments for the rest, as a patch against the policy, and the
 * summary; the one result (fromlog_build) the text and --json print.
 */
#include "sysfence/tools/fromlog.h"

#include <stdlib.h>
#include <string.h>

#include "sysfence/compile/syscalls.h"

void fromlog_arch_note(const uint32_t *arches, size_t narches, char *buf, size_t len)
{
	size_t n = 0;

	uint32_t native = syscalls_native_arch();
	const char *names[BLOB_MAX_ARCHES];
	size_t k = 0;

	buf[0] = '\0';
	if (narches == 1 && arches[0] == native)
		return;
	/* The native architecture first, then the others by name. */
	for (size_t i = 0; i < narches; i++)
		if (arches[i] == native)
			names[k++] = syscalls_arch_name(native);
	for (size_t i = 0; i < narches; i++) {
		const char *nm = syscalls_arch_name(arches[i]);
		size_t j = k;

		if (arches[i] == native)
			continue;
		while (j > 0 && (names[j - 1] == syscalls_arch_name(native)
					 ? 0
					 : strcmp(names[j - 1], nm) > 0)) {
			names[j] = names[j - 1];
			j--;
		}
		names[j] = nm;
		k++;
	}
	for (size_t i = 0; i < k && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? ", " : " (", names[i]);
	if (n < len)
		snprintf(buf + n, len - n, ")");
}

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

const char *fromlog_where_file(const struct tool_input *p, const struct fromlog_where *w)
{
	if (!p)
		return "the policy";
	return w->file < p->sources.count ? p->sources.files[w->file].name : p->name;
}

/* Formats the lines (added and commented) into a memory stream. */
static size_t format_lines(FILE *o, const struct fromlog_result *r, const struct tool_input *p)
{
	size_t added = 0;
	char an[96];

	for (size_t i = 0; i < r->count; i++) {
		const struct fromlog_item *x = &r->items[i];
		char left[AUDITLOG_NAME_MAX + 4];

		if (x->cls != FROMLOG_ADD && x->cls != FROMLOG_ADD_PARTIAL)
			continue;
		fromlog_arch_note(x->arches, x->narches, an, sizeof(an));
		snprintf(left, sizeof(left), "%s", x->name);
		fprintf(o, "%-23s # %zu record%s%s", left, x->count, plural(x->count), an);
		if (x->cls == FROMLOG_ADD_PARTIAL)
			fprintf(o,
				"; %s:%u allows it for some arguments only, and audit "
				"records carry none: narrow this line by hand",
				fromlog_where_file(p, &x->where), x->where.line);
		fputc('\n', o);
		added++;
	}
	for (size_t i = 0; i < r->count; i++) {
		const struct fromlog_item *x = &r->items[i];

		switch (x->cls) {
		case FROMLOG_DENIED:
			if (x->where.line)
				fprintf(o,
					"# %s: %zu record%s, denied explicitly by %s:%u: not added\n",
					x->name, x->count, plural(x->count),
					fromlog_where_file(p, &x->where), x->where.line);
			else
				fprintf(o,
					"# %s: %zu record%s, denied explicitly (EACCES): not added\n",
					x->name, x->count, plural(x->count));
			break;
		case FROMLOG_ENOSYS:
			fprintf(o, "# %s: %zu record%s of ENOSYS by design%s: not added\n", x->name,
				x->count, plural(x->count),
				strcmp(x->name, "clone3")
					? ""
					: " (libc falls back to clone, whose flags a policy can check)");
			break;
		case FROMLOG_UNKNOWN_NR:
			fprintf(o,
				"# syscall %u on %s: %zu record%s; not a system call this "
				"compiler knows (it returns ENOSYS): not added\n",
				x->nr, x->arch_text, x->count, plural(x->count));
			break;
		case FROMLOG_UNKNOWN_NAME:
			fprintf(o,
				"# %s on %s: %zu record%s; not a system call this compiler "
				"knows there: not added\n",
				x->name, x->arch_text, x->count, plural(x->count));
			break;
		case FROMLOG_UNKNOWN_ARCH:
			fprintf(o,
				"# arch=%s: %zu record%s of an architecture this compiler "
				"does not support: not added\n",
				x->arch_text, x->count, plural(x->count));
			break;
		default:
			break;
		}
	}
	return added;
}

/* A unified diff that appends body to the end of p's source. */
static void print_patch(FILE *out, const struct tool_input *p, const char *body, size_t bodylen)
{
	const char *src = p->src, *end = p->src + p->srclen;
	size_t nlines = 0, ctx, first, added = 0;
	bool last_nl = p->srclen && end[-1] == '\n';
	const char **starts;

	for (const char *q = body; q < body + bodylen; q++)
		added += *q == '\n';
	for (const char *q = src; q < end; q++)
		nlines += *q == '\n';
	if (p->srclen && !last_nl)
		nlines++;
	starts = calloc(nlines + 1, sizeof(*starts));
	if (!starts)
		return;
	{
		size_t n = 0;
		const char *q = src;

		while (q < end && n < nlines) {
			const char *nl = memchr(q, '\n', (size_t)(end - q));

			starts[n++] = q;
			q = nl ? nl + 1 : end;
		}
		starts[nlines] = end;
	}
	ctx = nlines < 3 ? nlines : 3;
	first = nlines - ctx; /* 0-based index of the first context line */
	fprintf(out, "--- %s\n+++ %s\n", p->name, p->name);
	if (!nlines)
		fprintf(out, "@@ -0,0 +1,%zu @@\n", added);
	else
		fprintf(out, "@@ -%zu,%zu +%zu,%zu @@\n", first + 1, ctx, first + 1, ctx + added);
	for (size_t i = first; i < nlines; i++) {
		const char *s = starts[i], *e = starts[i + 1];
		size_t n = (size_t)(e - s);

		/*
		 * starts[] holds every line: srclen > 0 means src < end, so the
		 * filling loop above ran nlines times (clang-analyzer assumes
		 * otherwise).
		 */
		/* NOLINTNEXTLINE(clang-analyzer-core.NullDereference) */
		if (n && s[n - 1] == '\n')
			n--;
		if (i + 1 == nlines && !last_nl) {
			fprintf(out, "-%.*s\n\\ No newline at end of file\n+%.*s\n", (int)n, s,
				(int)n, s);
		} else {
			fprintf(out, " %.*s\n", (int)n, s);
		}
	}
	for (const char *q = body; q < body + bodylen;) {
		const char *nl = memchr(q, '\n', (size_t)(body + bodylen - q));
		size_t n = nl ? (size_t)(nl - q) : (size_t)(body + bodylen - q);

		fprintf(out, "+%.*s\n", (int)n, q);
		q += n + 1;
	}
	free(starts);
}

int fromlog_build(const struct fromlog *l, const struct tool_input *pol, bool as_patch,
		  struct fromlog_result *r)
{
	FILE *mem;

	memset(r, 0, sizeof(*r));
	fromlog_classify(l, pol, &r->items, &r->count);
	for (size_t i = 0; i < r->count; i++)
		if (r->items[i].cls == FROMLOG_ALREADY)
			r->already++;
	mem = open_memstream(&r->lines, &r->lineslen);
	if (!mem)
		goto fail;
	if (as_patch)
		fprintf(mem, "# added by sysfence-compile --from-log (%zu record%s)\n",
			l->stats.used, plural(l->stats.used));
	r->added = format_lines(mem, r, pol);
	if (fclose(mem))
		goto fail;
	if (!as_patch || !r->added || !pol || !pol->src)
		return 0;
	mem = open_memstream(&r->patch, &r->patchlen);
	if (!mem)
		goto fail;
	print_patch(mem, pol, r->lines, r->lineslen);
	if (fclose(mem))
		goto fail;
	return 0;
fail:
	fromlog_result_free(r);
	return -1;
}

void fromlog_result_free(struct fromlog_result *r)
{
	free(r->items);
	free(r->lines);
	free(r->patch);
	memset(r, 0, sizeof(*r));
}

void fromlog_print_summary(FILE *err, const struct fromlog *l, const struct tool_input *pol,
			   const struct fromlog_result *r)
{
	fprintf(err,
		"sysfence-compile: %zu seccomp record%s read: %zu used, %zu filtered out, "
		"%zu duplicate%s, %zu malformed; %zu line%s to add",
		l->stats.records, plural(l->stats.records), l->stats.used, l->stats.filtered,
		l->stats.duplicates, plural(l->stats.duplicates), l->stats.malformed, r->added,
		plural(r->added));
	if (pol)
		fprintf(err, ", %zu already allowed by %s", r->already, pol->name);
	fputc('\n', err);
	if (l->stats.too_long)
		fprintf(err, "sysfence-compile: %zu line%s over %d bytes skipped\n",
			l->stats.too_long, plural(l->stats.too_long), AUDITLOG_LINE_MAX);
	if (l->stats.binary)
		fprintf(err,
			"sysfence-compile: %zu line%s with NUL bytes skipped (binary data, not "
			"log text)\n",
			l->stats.binary, plural(l->stats.binary));
	if (l->stats.unchecked)
		fprintf(err,
			"sysfence-compile: %zu record%s not checked for duplicates (over %u distinct "
			"serials)\n",
			l->stats.unchecked, plural(l->stats.unchecked), FROMLOG_MAX_SEEN);
	if (l->stats.untracked)
		fprintf(err,
			"sysfence-compile: %zu record%s of calls past the first %u distinct ones not "
			"counted\n",
			l->stats.untracked, plural(l->stats.untracked), FROMLOG_MAX_ENTRIES);
}

size_t fromlog_print(FILE *out, FILE *err, const struct fromlog *l, const struct tool_input *pol,
		     bool as_patch)
{
	struct fromlog_result r;
	size_t added;

	if (fromlog_build(l, pol, as_patch, &r))
		return 0;
	if (r.patch)
		fwrite(r.patch, 1, r.patchlen, out);
	else if (!as_patch || r.added)
		fwrite(r.lines, 1, r.lineslen, out);
	if (err)
		fromlog_print_summary(err, l, pol, &r);
	added = r.added;
	fromlog_result_free(&r);
	return added;
}

void fromlog_patch(FILE *out, const struct tool_input *p, const char *body, size_t bodylen)
{
	print_patch(out, p, body, bodylen);
}
