// SPDX-License-Identifier: MIT
#include "sysfence/compile/compile.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "sysfence/compile/check.h"
#include "sysfence/compile/codegen.h"
#include "sysfence/compile/groups.h"
#include "sysfence/compile/syscalls.h"

/*
 * What the generated programs do, in the identity (and so in every source
 * digest): blobs of an older generator are recompiled in batch mode.
 */
#define FEATURES "enosys-unknown,clone3-enosys,one-program,arg-width,abi-model"

static char identity[256];
/*
 * Copied once: syscalls_library_version() rewrites a static buffer on every
 * call, and batch workers compiling in parallel copied it half-written
 * (an empty version in the blob).
 */
static char library_version[BLOB_STRING_LEN];
static pthread_once_t identity_once = PTHREAD_ONCE_INIT;

static void make_identity(void)
{
	uint32_t arches[BLOB_MAX_ARCHES];
	size_t n = syscalls_default_arches(arches, BLOB_MAX_ARCHES);
	uint8_t d[DIGEST_SIZE] = { 0 };
	char hex[2 * DIGEST_SIZE + 1];

	/* The tables of the default arches; blobs record their own arches'. */
	syscalls_table_digest(arches, n, d);
	digest_hex(d, hex);
	snprintf(library_version, sizeof(library_version), "%s", syscalls_library_version());
	snprintf(identity, sizeof(identity),
		 "sysfence-compile %s libseccomp=%s syscalls=%.16s blob=%u features=%s",
		 SYSFENCE_VERSION, library_version, hex, BLOB_VERSION, FEATURES);
}

const char *compile_identity(void)
{
	pthread_once(&identity_once, make_identity);
	return identity;
}

void compile_source_digest(const struct compile_opts *o, const struct policy_sources *s,
			   uint8_t out[DIGEST_SIZE])
{
	const char *id = compile_identity();
	uint8_t tables[DIGEST_SIZE] = { 0 }, groups[DIGEST_SIZE];
	struct digest_ctx c;
	uint32_t n = (uint32_t)o->narches;

	/* Identity, the target arches and their syscall tables, the groups. */
	syscalls_table_digest(o->arches, o->narches, tables);
	groups_digest(groups);
	digest_init(&c);
	digest_update(&c, id, strlen(id) + 1);
	digest_update(&c, &n, sizeof(n));
	digest_update(&c, o->arches, o->narches * sizeof(o->arches[0]));
	digest_update(&c, tables, sizeof(tables));
	digest_update(&c, groups, sizeof(groups));
	/* Every file, as its length, its name (but the main one's) and its text. */
	for (size_t i = 0; i < s->count; i++) {
		const struct diag_file *f = &s->files[i];
		uint64_t len = f->len;

		digest_update(&c, &len, sizeof(len));
		if (i)
			digest_update(&c, f->name, strlen(f->name) + 1);
		digest_update(&c, f->text, f->len);
	}
	digest_final(&c, out);
}

/*
 * After parse errors, what check_policy finds in the lines that did parse
 * (unknown names, arguments a syscall lacks), so that every error and
 * warning of the file is reported in one run.  Its whole-file warnings
 * would be about a half-parsed policy ("no rule allows execve"): dropped.
 */
static void check_parsed_lines(const struct policy *pol, const struct compile_opts *o,
			       struct diag_list *d)
{
	struct diag_list tmp;
	size_t kept_errors = 0;

	diag_init(&tmp, d->count < d->limit ? d->limit - d->count : 1);
	check_policy(pol, o->arches, o->narches, o->strict, &tmp);
	for (size_t i = 0; i < tmp.count; i++) {
		const struct diag *g = &tmp.items[i];

		if (!g->line)
			continue;
		diag_add_in(d, g->level, g->file, g->line, g->col, "%s", g->msg);
		kept_errors += g->level == DIAG_ERROR;
	}
	d->errors += tmp.errors - kept_errors; /* not kept by tmp: still counted */
	d->dropped += tmp.errors - kept_errors;
	diag_free(&tmp);
}

/*
 * What a binding needs to mean something: a filter (an unrestricted
 * profile never sets no_new_privs, so it has nothing to bind), and
 * execveat, which sysfence-launch uses to run a bound program from the
 * descriptor it checked (it refuses the profile for that program
 * otherwise).  Warnings: the policy is still valid.
 */
static void check_bindings(const struct policy *pol, struct diag_list *d)
{
	const struct policy_binding *first = pol->nbindings ? &pol->bindings[0] : NULL;
	bool allowed = false, denied = false;

	if (!first)
		return;
	if (pol->mode == SF_MODE_UNRESTRICTED) {
		diag_add_in(d, DIAG_WARNING, first->file, first->line, first->col,
			    "@bind has no effect with @unrestricted: no filter is loaded, so "
			    "no_new_privs is never set");
		return;
	}
	for (size_t i = 0; i < pol->count; i++) {
		if (strcmp(pol->rules[i].name, "execveat"))
			continue;
		if (pol->rules[i].deny)
			denied = true;
		else
			allowed = true;
	}
	if (denied || (!allowed && pol->mode == SF_MODE_ENFORCE))
		diag_add_in(d, DIAG_WARNING, first->file, first->line, first->col,
			    "sysfence-launch starts a bound program with execveat, which this "
			    "policy does not allow");
}

/* The policy's bindings into the blob (the parser checked each one). */
static int copy_bindings(const struct policy *pol, struct blob *out, struct diag_list *d)
{
	if (pol->mode == SF_MODE_UNRESTRICTED)
		return 0; /* the format has no bindings for it */
	for (size_t i = 0; i < pol->nbindings; i++) {
		int rc = blob_add_binding(out, pol->bindings[i].path);

		if (rc != BLOB_OK) {
			diag_add_in(d, DIAG_ERROR, pol->bindings[i].file, pol->bindings[i].line,
				    pol->bindings[i].col, "%s", blob_strerror(rc));
			return -1;
		}
	}
	return 0;
}

int compile_load(const char *name, const char *src, size_t len, const struct compile_opts *o,
		 struct policy_sources *s, struct diag_list *d)
{
	return policy_sources_load(name, src, len, o->includer, s, d);
}

int compile_sources(const struct policy_sources *s, const struct compile_opts *o, struct blob *out,
		    struct diag_list *d)
{
	struct policy pol;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (policy_parse_sources(s, o->resolver, o->arches, o->narches, &pol, d) < 0) {
		check_parsed_lines(&pol, o, d);
		goto out;
	}
	if (check_policy(&pol, o->arches, o->narches, o->strict, d) < 0)
		goto out;
	check_bindings(&pol, d);
	/* One program: the explicit denials live in it (out->deny stays empty). */
	if (codegen_compile(&pol, o->arches, o->narches, &out->allow, d) < 0)
		goto out;
	if (copy_bindings(&pol, out, d) < 0)
		goto out;
	out->mode = pol.mode;
	out->narches = (uint32_t)o->narches;
	memcpy(out->arches, o->arches, o->narches * sizeof(o->arches[0]));
	compile_source_digest(o, s, out->source_digest);
	(void)compile_identity(); /* fills library_version */
	snprintf(out->libseccomp_version, sizeof(out->libseccomp_version), "%s", library_version);
	snprintf(out->compiler_version, sizeof(out->compiler_version), "%s", SYSFENCE_VERSION);
	rc = 0;
out:
	/* The parser's and the checks' findings, in source order across files. */
	diag_sort_files(d, s->diag_from, s->files, s->count);
	policy_free(&pol);
	if (rc)
		blob_free(out);
	return rc;
}

int compile_policy(const char *src, size_t len, const struct compile_opts *o, struct blob *out,
		   struct diag_list *d)
{
	struct policy_sources s;
	int rc = compile_load("<policy>", src, len, o, &s, d);

	if (s.count && compile_sources(&s, o, out, d) < 0)
		rc = -1;
	else if (!s.count)
		memset(out, 0, sizeof(*out));
	if (rc)
		blob_free(out);
	policy_sources_free(&s);
	return rc;
}
