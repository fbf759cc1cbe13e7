// SPDX-License-Identifier: MIT
/*
 * @include: the files a policy brings in.  Pure, like the parser: files
 * are read through the caller's reader (struct policy_includer), so the
 * compiler, the tests and the fuzzers run the same code.  Only @include
 * lines are looked at here, with the parser's own lexer; parse.c then
 * parses every file that was read.
 *
 * A path with a '/' is relative to the folder of the file that includes
 * it (or absolute); a bare name is a file of the library folder:
 * `@include base` reads LIBRARY/base.policy.  A file included a second
 * time (same device and inode) adds nothing and is skipped: rules are a
 * set, so including it again could not change the policy.  A file that
 * includes itself, directly or not, is an error.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysfence/array.h"
#include "sysfence/compile/lex.h"
#include "sysfence/compile/policy.h"
#include "sysfence/util.h"

struct loader {
	const struct policy_includer *inc;
	struct policy_sources *s;
	struct diag_list *diags;
	char *main_name; /* files[0]'s name, normalised: a cycle back to it */
};

static void include_error(struct loader *l, unsigned file, unsigned line, unsigned col,
			  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void include_error(struct loader *l, unsigned file, unsigned line, unsigned col,
			  const char *fmt, ...)
{
	char msg[PATH_MAX + 512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_add_in(l->diags, DIAG_ERROR, file, line, col, "%s", msg);
	l->s->failed = true;
}

static int add_file(struct policy_sources *s, const char *name, const char *text, size_t len,
		    unsigned parent, unsigned line, const uint64_t key[2], bool shipped)
{
	if (s->count == s->cap) {
		/* Three parallel arrays: the keys and flags follow the files' capacity. */
		size_t cap = s->cap;
		uint64_t(*k)[2];
		bool *sh;

		if (ARRAY_GROW(&s->files, &cap, s->count + 1))
			return -1;
		k = reallocarray(s->keys, cap, sizeof(*k));
		if (!k)
			return -1;
		s->keys = k;
		sh = reallocarray(s->shipped, cap, sizeof(*sh));
		if (!sh)
			return -1;
		s->shipped = sh;
		s->cap = cap;
	}
	s->files[s->count] = (struct diag_file){ name, text, len, parent, line };
	s->shipped[s->count] = shipped;
	s->keys[s->count][0] = key[0];
	s->keys[s->count][1] = key[1];
	s->count++;
	s->bytes += len;
	return 0;
}

/*
 * "a/./b//c" -> "a/b/c", in place: the names shown and compared.  ".." is
 * kept: through a symbolic link it does not cancel the folder before it.
 */
static void normalise(char *path)
{
	char *r = path, *w = path;
	bool absolute = *path == '/';

	if (absolute)
		w++;
	while (*r) {
		char *end;
		size_t n;

		while (*r == '/')
			r++;
		end = strchrnul(r, '/');
		n = (size_t)(end - r);
		if (n && !(n == 1 && r[0] == '.')) {
			if (w > path + absolute)
				*w++ = '/';
			memmove(w, r, n);
			w += n;
		}
		r = end;
	}
	if (w == path)
		*w++ = '.';
	*w = '\0';
}

static bool is_library_name(const struct policy_token *t)
{
	for (size_t i = 0; i < t->len; i++) {
		char c = t->s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return false;
	}
	return true;
}

/* Is path a file of the shipped library (written for every architecture)? */
static bool is_shipped(const struct loader *l, const char *path)
{
	char *lib;
	size_t n;
	bool in;

	if (!l->inc || !l->inc->library)
		return false;
	lib = strdup(l->inc->library);
	if (!lib)
		return false; /* then the note may name a library rule: harmless */
	normalise(lib);	      /* as the paths were */
	n = strlen(lib);
	while (n > 1 && lib[n - 1] == '/')
		n--;
	in = !strncmp(path, lib, n) && path[n] == '/';
	free(lib);
	return in;
}

/* The path an @include names, malloc'ed; NULL when reported. */
static char *resolve(struct loader *l, unsigned from, unsigned line, const struct policy_token *t)
{
	const char *including = l->s->files[from].name;
	char *path = NULL;
	int n;

	if (memchr(t->s, '/', t->len)) {
		const char *slash = strrchr(including, '/');
		/* "<stdin>": relative to the current folder. */
		int dirlen = including[0] == '<' || !slash ? 0 : (int)(slash - including) + 1;

		if (t->s[0] == '/')
			dirlen = 0;
		n = asprintf(&path, "%.*s%.*s", dirlen, including, (int)t->len, t->s);
	} else if (!is_library_name(t)) {
		include_error(l, from, line, t->col,
			      "'%.*s' is not a library name (letters, digits, '-' and '_'); a file "
			      "beside this one is './%.*s'",
			      (int)t->len, t->s, (int)t->len, t->s);
		return NULL;
	} else if (!l->inc || !l->inc->library) {
		include_error(l, from, line, t->col,
			      "cannot include '%.*s': no library folder is set (--include-dir)",
			      (int)t->len, t->s);
		return NULL;
	} else {
		n = asprintf(&path, "%s/%.*s.policy", l->inc->library, (int)t->len, t->s);
	}
	if (n < 0) {
		include_error(l, from, line, t->col, "out of memory");
		return NULL;
	}
	normalise(path);
	if (strlen(path) >= PATH_MAX) {
		include_error(l, from, line, t->col, "the path of '%.*s' is too long", (int)t->len,
			      t->s);
		free(path);
		return NULL;
	}
	return path;
}

static unsigned depth_of(const struct policy_sources *s, unsigned f)
{
	unsigned d = 0;

	for (; f; f = s->files[f].parent)
		d++;
	return d;
}

/* Is the file (key, name) the including file `from` or one that includes it? */
static bool on_stack(const struct loader *l, unsigned from, const uint64_t key[2], const char *path,
		     unsigned *where)
{
	const struct policy_sources *s = l->s;

	for (unsigned f = from;; f = s->files[f].parent) {
		bool same = f ? s->keys[f][0] == key[0] && s->keys[f][1] == key[1]
			      : !strcmp(path, l->main_name);

		if (same) {
			*where = f;
			return true;
		}
		if (!f)
			return false;
	}
}

/* "a.inc -> b.inc -> a.inc": the files from top down to from, then last. */
static void cycle_text(const struct policy_sources *s, unsigned top, unsigned from,
		       const char *last, char *buf, size_t len)
{
	unsigned chain[POLICY_MAX_INCLUDE_DEPTH + 1];
	size_t n = 0, used = 0;

	for (unsigned f = from; n < ARRAY_SIZE(chain); f = s->files[f].parent) {
		chain[n++] = f;
		if (f == top || !f)
			break;
	}
	buf[0] = '\0';
	while (n-- && used < len) {
		int k = snprintf(buf + used, len - used, "%s -> ", s->files[chain[n]].name);

		used += k > 0 ? (size_t)k : 0;
	}
	if (used < len)
		snprintf(buf + used, len - used, "%s", last);
}

/* Reads the file an @include line names; its index, or -1 when there is none to read. */
static int include_one(struct loader *l, unsigned from, unsigned line,
		       const struct policy_token *tok, size_t total)
{
	struct policy_sources *s = l->s;
	const struct policy_token *t = &tok[1];
	uint64_t key[2] = { 0, 0 };
	char *path, *text = NULL;
	unsigned where;
	size_t len = 0;
	int rc;

	if (total < 2) {
		include_error(l, from, line, tok[0].col, "expected a path after @include");
		return -1;
	}
	if (total > 2) {
		include_error(l, from, line, tok[2].col,
			      "unexpected text after the path of @include (one path per line, "
			      "without blanks)");
		return -1;
	}
	if (!l->inc || !l->inc->read) {
		include_error(l, from, line, t->col,
			      "cannot include '%.*s': this input cannot include files", (int)t->len,
			      t->s);
		return -1;
	}
	if (depth_of(s, from) >= POLICY_MAX_INCLUDE_DEPTH) {
		include_error(l, from, line, t->col,
			      "cannot include '%.*s': files nested more than %d deep", (int)t->len,
			      t->s, POLICY_MAX_INCLUDE_DEPTH);
		return -1;
	}
	path = resolve(l, from, line, t);
	if (!path)
		return -1;
	if (!strcmp(path, l->main_name)) {
		char chain[1024];

		cycle_text(s, 0, from, s->files[0].name, chain, sizeof(chain));
		include_error(l, from, line, t->col, "include cycle: %s", chain);
		free(path);
		return -1;
	}
	if (s->count >= POLICY_MAX_FILES) {
		include_error(l, from, line, t->col,
			      "cannot include '%.*s': more than %d files in one policy",
			      (int)t->len, t->s, POLICY_MAX_FILES);
		free(path);
		return -1;
	}
	rc = l->inc->read(l->inc->ctx, path, POLICY_MAX_SIZE - s->bytes, &text, &len, key);
	if (rc) {
		const char *why = rc == -EISDIR	  ? "is a folder"
				  : rc == -EINVAL ? "is not a regular file"
				  : rc == -EFBIG  ? NULL
						  : strerror(-rc);

		if (why)
			include_error(l, from, line, t->col, "cannot include '%.*s': %s: %s",
				      (int)t->len, t->s, path, why);
		else
			include_error(
				l, from, line, t->col,
				"cannot include '%.*s': %s: the policy and its includes would "
				"be larger than %u MiB",
				(int)t->len, t->s, path, POLICY_MAX_SIZE >> 20);
		free(path);
		return -1;
	}
	if (on_stack(l, from, key, path, &where)) {
		char chain[1024];

		cycle_text(s, where, from, path, chain, sizeof(chain));
		include_error(l, from, line, t->col, "include cycle: %s", chain);
		free(path);
		free(text);
		return -1;
	}
	for (size_t i = 1; i < s->count; i++) {
		if (s->keys[i][0] == key[0] && s->keys[i][1] == key[1]) {
			free(path); /* included already: nothing to add */
			free(text);
			return -1;
		}
	}
	if (add_file(s, path, text, len, from, line, key, is_shipped(l, path))) {
		include_error(l, from, line, t->col, "out of memory");
		free(path);
		free(text);
		return -1;
	}
	return (int)s->count - 1;
}

/*
 * Every @include line of the main file, in order, each file read depth
 * first: a stack of the files being read (include_one stops nesting at
 * POLICY_MAX_INCLUDE_DEPTH, so it holds them all).
 */
static void scan(struct loader *l)
{
	struct frame {
		unsigned file, lineno;
		const char *pos;
	} stack[POLICY_MAX_INCLUDE_DEPTH + 1];
	int top = 0;

	stack[0] = (struct frame){ 0, 0, l->s->files[0].text };
	while (top >= 0) {
		struct frame *f = &stack[top];
		const char *end = l->s->files[f->file].text + l->s->files[f->file].len, *line;
		struct policy_token tok[3];
		size_t n, total, ntok;
		int next;

		line = policy_line_next(&f->pos, end, &n);
		if (!line) {
			top--;
			continue;
		}
		f->lineno++;
		/* Cheap first: most lines are rules. */
		if (!memmem(line, n, "@include", 8))
			continue;
		ntok = policy_line_tokens(line, n, tok, 3, &total);
		if (!ntok || tok[0].len != 8 || memcmp(tok[0].s, "@include", 8))
			continue;
		next = include_one(l, f->file, f->lineno, tok, total);
		if (next >= 0 && top + 1 < (int)ARRAY_SIZE(stack))
			stack[++top] = (struct frame){ (unsigned)next, 0, l->s->files[next].text };
	}
}

int policy_sources_load(const char *name, const char *src, size_t len,
			const struct policy_includer *inc, struct policy_sources *out,
			struct diag_list *diags)
{
	static const uint64_t no_key[2] = { 0, 0 };
	size_t errors = diags->errors;
	struct loader l;

	memset(out, 0, sizeof(*out));
	l = (struct loader){ inc, out, diags, NULL };
	out->diag_from = diags->count;
	if (len > POLICY_MAX_SIZE) {
		diag_add(diags, DIAG_ERROR, 0, 0, "policy is larger than %u MiB",
			 POLICY_MAX_SIZE >> 20);
		out->failed = true;
		return -1;
	}
	l.main_name = strdup(name);
	if (!l.main_name || add_file(out, name, src, len, 0, 0, no_key, false)) {
		free(l.main_name);
		diag_add(diags, DIAG_ERROR, 0, 0, "out of memory");
		out->failed = true;
		return -1;
	}
	normalise(l.main_name);
	scan(&l);
	free(l.main_name);
	return diags->errors > errors ? -1 : 0;
}

void policy_sources_free(struct policy_sources *s)
{
	/* files[0] is the caller's. */
	for (size_t i = 1; i < s->count; i++) {
		free((char *)s->files[i].name);
		free((char *)s->files[i].text);
	}
	free(s->files);
	free(s->keys);
	free(s->shipped);
	memset(s, 0, sizeof(*s));
}
