// SPDX-License-Identifier: MIT
#include "sysfence/compile/diag.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sysfence/array.h"

void diag_init(struct diag_list *d, size_t limit)
{
	memset(d, 0, sizeof(*d));
	d->limit = limit ? limit : DIAG_DEFAULT_LIMIT;
}

void diag_free(struct diag_list *d)
{
	for (size_t i = 0; i < d->count; i++)
		free(d->items[i].msg);
	free(d->items);
	d->items = NULL;
	d->count = d->cap = 0;
}

static void diag_vadd(struct diag_list *d, enum diag_level level, unsigned file, unsigned line,
		      unsigned col, const char *fmt, va_list ap)
	__attribute__((format(printf, 6, 0)));

static void diag_vadd(struct diag_list *d, enum diag_level level, unsigned file, unsigned line,
		      unsigned col, const char *fmt, va_list ap)
{
	char *msg = NULL;

	if (level == DIAG_ERROR)
		d->errors++;
	else if (level == DIAG_WARNING)
		d->warnings++;
	if (d->count >= d->limit) {
		size_t i = d->count;

		/*
		 * Full: an error takes the place of the last warning or note,
		 * so that a flood of warnings never hides why nothing was
		 * written.
		 */
		d->dropped++;
		if (level != DIAG_ERROR)
			return;
		while (i > 0 && d->items[i - 1].level == DIAG_ERROR)
			i--;
		if (!i)
			return;
		free(d->items[i - 1].msg);
		memmove(&d->items[i - 1], &d->items[i], (d->count - i) * sizeof(d->items[0]));
		d->count--;
	}
	if (ARRAY_GROW(&d->items, &d->cap, d->count + 1)) {
		d->oom = 1;
		return;
	}
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	if (!msg) {
		d->oom = 1;
		return;
	}
	d->items[d->count++] = (struct diag){ level, file, line, col, msg };
}

void diag_add(struct diag_list *d, enum diag_level level, unsigned line, unsigned col,
	      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(d, level, 0, line, col, fmt, ap);
	va_end(ap);
}

void diag_add_in(struct diag_list *d, enum diag_level level, unsigned file, unsigned line,
		 unsigned col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(d, level, file, line, col, fmt, ap);
	va_end(ap);
}

void diag_keep_errors(struct diag_list *d)
{
	size_t k = 0;

	for (size_t i = 0; i < d->count; i++) {
		if (d->items[i].level == DIAG_ERROR)
			d->items[k++] = d->items[i];
		else
			free(d->items[i].msg);
	}
	d->count = k;
}

void diag_sort(struct diag_list *d)
{
	/* Insertion sort: stable, and a list holds at most a few dozen. */
	for (size_t i = 1; i < d->count; i++) {
		struct diag g = d->items[i];
		unsigned key = g.line ? g.line : ~0u;
		size_t j = i;

		while (j > 0 && (d->items[j - 1].line ? d->items[j - 1].line : ~0u) > key) {
			d->items[j] = d->items[j - 1];
			j--;
		}
		d->items[j] = g;
	}
}

static const char *level_name(enum diag_level level)
{
	switch (level) {
	case DIAG_ERROR:
		return "error";
	case DIAG_WARNING:
		return "warning";
	case DIAG_NOTE:
		return "note";
	}
	return "error";
}

/* Finds line `line` (1-based); lines end at '\n'. */
static const char *find_line(const char *src, size_t len, unsigned line, size_t *linelen)
{
	const char *p = src, *end = src + len;

	for (unsigned n = 1; n < line; n++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (!nl)
			return NULL;
		p = nl + 1;
	}
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	*linelen = (size_t)((nl ? nl : end) - p);
	if (nl && *linelen && p[*linelen - 1] == '\r') /* CRLF, as the parser */
		(*linelen)--;
	return p;
}

/* Shown lines are capped so a 1 MB line does not flood the terminal. */
#define SHOWN_LINE_MAX 200

static void print_source(FILE *out, const char *p, size_t linelen, unsigned col)
{
	size_t start = 0, shown;

	/* Keep the caret in view on long lines. */
	if (col > SHOWN_LINE_MAX / 2 && linelen > SHOWN_LINE_MAX)
		start = col - SHOWN_LINE_MAX / 2;
	if (start > linelen)
		start = linelen;
	shown = linelen - start;
	if (shown > SHOWN_LINE_MAX)
		shown = SHOWN_LINE_MAX;

	fputs(start ? " ..." : " ", out);
	for (size_t i = 0; i < shown; i++) {
		unsigned char c = (unsigned char)p[start + i];

		fputc(c == '\t' || (c >= 0x20 && c < 0x7f) ? c : '?', out);
	}
	fputs(start + shown < linelen ? "...\n" : "\n", out);
	if (!col)
		return;
	fputs(start ? "    " : " ", out);
	for (size_t i = start; i + 1 < col && i < start + shown; i++)
		fputc(p[i] == '\t' ? '\t' : ' ', out);
	fputs("^\n", out);
}

/*
 * "In file included from a.policy:7:" and one "from" line per level
 * above, before the first diagnostic of an included file.  A broken chain
 * (a parent index out of range, a loop) is cut, never followed forever.
 */
static void print_include_chain(FILE *out, const struct diag_file *files, size_t nfiles,
				unsigned file)
{
	const char *lead = "In file included from";
	unsigned f = file, steps = 0;

	while (f && f < nfiles && files[f].parent < nfiles && steps++ < nfiles) {
		const struct diag_file *inc = &files[f];
		unsigned up = inc->parent;

		f = up;
		fprintf(out, "%s %s:%u%s\n", lead, files[up].name, inc->line, up ? "," : ":");
		lead = "                 from";
	}
}

void diag_print_files(FILE *out, const struct diag_list *d, const struct diag_file *files,
		      size_t nfiles)
{
	static const struct diag_file unnamed = { "<policy>", NULL, 0, 0, 0 };
	unsigned shown = 0; /* the file whose include chain was printed last */

	if (!nfiles) {
		files = &unnamed;
		nfiles = 1;
	}
	for (size_t i = 0; i < d->count; i++) {
		const struct diag *g = &d->items[i];
		const struct diag_file *f = &files[g->file < nfiles ? g->file : 0];

		if (g->file && g->file < nfiles && g->file != shown)
			print_include_chain(out, files, nfiles, g->file);
		shown = g->file < nfiles ? g->file : 0;
		if (g->line && g->col)
			fprintf(out, "%s:%u:%u: %s: %s\n", f->name, g->line, g->col,
				level_name(g->level), g->msg);
		else if (g->line)
			fprintf(out, "%s:%u: %s: %s\n", f->name, g->line, level_name(g->level),
				g->msg);
		else
			fprintf(out, "%s: %s: %s\n", f->name, level_name(g->level), g->msg);
		if (f->text && g->line) {
			size_t linelen;
			const char *p = find_line(f->text, f->len, g->line, &linelen);

			if (p)
				print_source(out, p, linelen, g->col);
		}
	}
	if (d->dropped)
		fprintf(out, "%s: note: %zu more diagnostics not shown\n", files[0].name,
			d->dropped);
	if (d->oom)
		fprintf(out, "%s: note: out of memory while recording diagnostics\n",
			files[0].name);
}

/* Where a diagnostic is: the @include lines from the main file down, then its line. */
#define SORT_DEPTH 32
struct sort_key {
	unsigned pos[SORT_DEPTH];
	size_t n, index;
	struct diag item;
};

static void make_key(struct sort_key *k, const struct diag *g, size_t index,
		     const struct diag_file *files, size_t nfiles)
{
	unsigned chain[SORT_DEPTH], f = g->file < nfiles ? g->file : 0;
	size_t n = 0;

	chain[n++] = g->line ? g->line : UINT_MAX;
	for (; f && f < nfiles && n < SORT_DEPTH; f = files[f].parent)
		chain[n++] = files[f].line;
	k->n = n;
	for (size_t i = 0; i < n; i++)
		k->pos[i] = chain[n - 1 - i];
	k->index = index;
	k->item = *g;
}

static int cmp_key(const void *pa, const void *pb)
{
	const struct sort_key *a = pa, *b = pb;

	for (size_t i = 0; i < a->n && i < b->n; i++)
		if (a->pos[i] != b->pos[i])
			return a->pos[i] < b->pos[i] ? -1 : 1;
	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

void diag_sort_files(struct diag_list *d, size_t from, const struct diag_file *files, size_t nfiles)
{
	size_t n = from < d->count ? d->count - from : 0;
	struct sort_key *keys;

	if (n < 2)
		return;
	keys = malloc(n * sizeof(*keys));
	if (!keys)
		return; /* unsorted, not lost */
	for (size_t i = 0; i < n; i++)
		make_key(&keys[i], &d->items[from + i], i, files, nfiles);
	qsort(keys, n, sizeof(*keys), cmp_key);
	for (size_t i = 0; i < n; i++)
		d->items[from + i] = keys[i].item;
	free(keys);
}

void diag_print(FILE *out, const struct diag_list *d, const char *file, const char *src, size_t len)
{
	const struct diag_file one = { file, src, len, 0, 0 };

	diag_print_files(out, d, &one, 1);
}
