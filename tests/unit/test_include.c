// SPDX-License-Identifier: MIT
/*
 * Unit tests for src/compile/include.c (@include) through a fake file
 * system, and for how the parser and diagnostics use its result: paths
 * relative to the including file, library names, rules and errors naming
 * their own file and line, the include chain printed GCC's way, every bad
 * input (missing, folder, FIFO, too big, cycle, too deep, too many files,
 * syntax) a single error at the @include line that stops the compile, a
 * file included twice read once, and the source digest covering every
 * included byte and name.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sysfence/compile/compile.h"
#include "sysfence/compile/policy.h"
#include "sysfence/compile/syscalls.h"
#include "sysfence/util.h"

/* ---- a fake file system ---- */

struct fake_file {
	const char *path;
	const char *text; /* NULL: see err */
	int err;	  /* returned instead of a text */
	unsigned inode;	  /* 0: one of its own */
};

static const struct fake_file *files;
static size_t nfiles;
static char reads[64][256]; /* every path read(), in order */
static size_t nreads;
static size_t last_max;

static int fake_read(void *ctx, const char *path, size_t max, char **text, size_t *len,
		     uint64_t key[2])
{
	assert_ptr_equal(ctx, &files);
	if (nreads < ARRAY_SIZE(reads))
		snprintf(reads[nreads++], sizeof(reads[0]), "%s", path);
	last_max = max;
	for (size_t i = 0; i < nfiles; i++) {
		if (strcmp(files[i].path, path))
			continue;
		if (!files[i].text)
			return files[i].err;
		if (strlen(files[i].text) > max)
			return -EFBIG;
		*text = strdup(files[i].text);
		assert_non_null(*text);
		*len = strlen(files[i].text);
		key[0] = 7;
		key[1] = files[i].inode ? files[i].inode : 1000 + i;
		return 0;
	}
	return -ENOENT;
}

static const struct policy_includer fake_inc = { fake_read, "/lib/sf", &files };

static void use_files(const struct fake_file *f, size_t n)
{
	files = f;
	nfiles = n;
	nreads = 0;
}

struct loaded {
	struct policy_sources s;
	struct policy pol;
	struct diag_list d;
	int load_rc, parse_rc;
};

static void load(struct loaded *l, const char *name, const char *src,
		 const struct policy_includer *inc)
{
	diag_init(&l->d, 0);
	l->load_rc = policy_sources_load(name, src, strlen(src), inc, &l->s, &l->d);
	l->parse_rc = policy_parse_sources(&l->s, NULL, NULL, 0, &l->pol, &l->d);
}

static void loaded_free(struct loaded *l)
{
	policy_free(&l->pol);
	policy_sources_free(&l->s);
	diag_free(&l->d);
}

static void dump(const struct loaded *l)
{
	for (size_t i = 0; i < l->d.count; i++)
		print_message("    file %u %u:%u: %s\n", l->d.items[i].file, l->d.items[i].line,
			      l->d.items[i].col, l->d.items[i].msg);
}

/* Exactly one diagnostic, an error in file:line:col containing msg. */
static void expect_one_error(const struct loaded *l, unsigned file, unsigned line, unsigned col,
			     const char *msg)
{
	if (l->load_rc != -1 || l->parse_rc != -1 || !l->s.failed || l->d.errors != 1 ||
	    l->d.count != 1 || l->d.items[0].file != file || l->d.items[0].line != line ||
	    l->d.items[0].col != col || !strstr(l->d.items[0].msg, msg)) {
		dump(l);
		fail_msg("wanted one error in file %u at %u:%u containing '%s'", file, line, col,
			 msg);
	}
}

static const struct policy_rule *rule_named(const struct policy *p, const char *name)
{
	for (size_t i = 0; i < p->count; i++)
		if (!strcmp(p->rules[i].name, name))
			return &p->rules[i];
	return NULL;
}

static char *printed(const struct loaded *l)
{
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);

	assert_non_null(f);
	diag_print_files(f, &l->d, l->s.files, l->s.count);
	fclose(f);
	return text;
}

/* ---- tests ---- */

static void test_relative_and_nested(void **state)
{
	static const struct fake_file fs[] = {
		{ "etc/app/a.inc", "read\n@include sub/b.inc\n", 0, 0 },
		{ "etc/app/sub/b.inc", "@include ../c.inc # up\nwrite\n", 0, 0 },
		{ "etc/app/sub/../c.inc", "close\n", 0, 0 },
		{ "/abs/d.inc", "exit_group\n", 0, 0 },
	};
	struct loaded l;
	const struct policy_rule *r;

	(void)state;
	use_files(fs, ARRAY_SIZE(fs));
	load(&l, "etc/app/main.policy", "execve\n@include ./a.inc\n\t@include /abs/d.inc\n",
	     &fake_inc);
	if (l.load_rc || l.parse_rc) {
		dump(&l);
		fail();
	}
	assert_int_equal(l.s.count, 5);
	assert_string_equal(l.s.files[0].name, "etc/app/main.policy");
	assert_string_equal(l.s.files[1].name, "etc/app/a.inc");
	assert_string_equal(l.s.files[2].name, "etc/app/sub/b.inc");
	/* ".." is kept: through a symbolic link it is not "the folder before". */
	assert_string_equal(l.s.files[3].name, "etc/app/sub/../c.inc");
	assert_string_equal(l.s.files[4].name, "/abs/d.inc");
	/* Depth first: where each was included from. */
	assert_int_equal(l.s.files[1].parent, 0);
	assert_int_equal(l.s.files[1].line, 2);
	assert_int_equal(l.s.files[2].parent, 1);
	assert_int_equal(l.s.files[2].line, 2);
	assert_int_equal(l.s.files[3].parent, 2);
	assert_int_equal(l.s.files[3].line, 1);
	assert_int_equal(l.s.files[4].parent, 0);
	assert_int_equal(l.s.files[4].line, 3);
	/* Every rule names its file and line there. */
	assert_int_equal(l.pol.count, 5);
	r = rule_named(&l.pol, "execve");
	assert_true(r && r->file == 0 && r->line == 1);
	r = rule_named(&l.pol, "read");
	assert_true(r && r->file == 1 && r->line == 1);
	r = rule_named(&l.pol, "write");
	assert_true(r && r->file == 2 && r->line == 2 && r->col == 1);
	r = rule_named(&l.pol, "close");
	assert_true(r && r->file == 3 && r->line == 1);
	r = rule_named(&l.pol, "exit_group");
	assert_true(r && r->file == 4);
	assert_int_equal(l.d.count, 0);
	loaded_free(&l);
}

static void test_library_names(void **state)
{
	static const struct fake_file fs[] = {
		{ "/lib/sf/base.policy", "read\n@include extra\n", 0, 0 },
		{ "/lib/sf/extra.policy", "write\n", 0, 0 },
		{ "dir/base.inc", "close\n", 0, 0 },
	};
	static const struct policy_includer no_library = { fake_read, NULL, &files };
	struct loaded l;

	(void)state;
	use_files(fs, ARRAY_SIZE(fs));
	/* A bare name is LIBRARY/NAME.policy, from any folder. */
	load(&l, "dir/main.policy", "@include base\n", &fake_inc);
	assert_int_equal(l.parse_rc, 0);
	assert_int_equal(l.s.count, 3);
	assert_string_equal(l.s.files[1].name, "/lib/sf/base.policy");
	assert_string_equal(l.s.files[2].name, "/lib/sf/extra.policy");
	assert_int_equal(l.pol.count, 2);
	loaded_free(&l);
	/* A name with a dot is not a library name; the hint says what is. */
	use_files(fs, ARRAY_SIZE(fs));
	load(&l, "dir/main.policy", "read\n@include base.inc\n", &fake_inc);
	expect_one_error(&l, 0, 2, 10,
			 "'base.inc' is not a library name (letters, digits, '-' and '_'); a "
			 "file beside this one is './base.inc'");
	assert_int_equal(nreads, 0);
	loaded_free(&l);
	load(&l, "dir/main.policy", "@include base\n", &no_library);
	expect_one_error(&l, 0, 1, 10, "cannot include 'base': no library folder is set");
	loaded_free(&l);
}

static void test_errors_point_into_their_file(void **state)
{
	static const struct fake_file fs[] = {
		{ "mid.inc", "read\n@include ./bad.inc\n", 0, 0 },
		{ "bad.inc", "write\n    socket AF_UNX\n", 0, 0 },
	};
	struct loaded l;
	char *text;

	(void)state;
	use_files(fs, ARRAY_SIZE(fs));
	load(&l, "main.policy", "execve\n\n\n\n\n\n@include ./mid.inc\n", &fake_inc);
	assert_int_equal(l.load_rc, 0);
	assert_int_equal(l.parse_rc, -1);
	assert_int_equal(l.d.count, 1);
	assert_int_equal(l.d.items[0].file, 2);
	assert_int_equal(l.d.items[0].line, 2);
	assert_int_equal(l.d.items[0].col, 12);
	text = printed(&l);
	assert_string_equal(text, "In file included from mid.inc:2,\n"
				  "                 from main.policy:7:\n"
				  "bad.inc:2:12: error: unknown constant 'AF_UNX'; did you mean "
				  "'AF_UNIX'?\n"
				  "     socket AF_UNX\n"
				  "            ^\n");
	free(text);
	loaded_free(&l);
}

static void test_bad_files(void **state)
{
	static const struct fake_file fs[] = {
		{ "folder", NULL, -EISDIR, 0 },
		{ "fifo", NULL, -EINVAL, 0 },
		{ "secret", NULL, -EACCES, 0 },
	};
	static const struct {
		const char *src;
		const char *msg;
	} cases[] = {
		{ "@include ./missing.inc\n",
		  "cannot include './missing.inc': missing.inc: No such file or directory" },
		{ "@include ./folder\n", "cannot include './folder': folder: is a folder" },
		{ "@include ./fifo\n", "cannot include './fifo': fifo: is not a regular file" },
		{ "@include ./secret\n", "cannot include './secret': secret: Permission denied" },
	};
	struct loaded l;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		use_files(fs, ARRAY_SIZE(fs));
		load(&l, "main.policy", cases[i].src, &fake_inc);
		expect_one_error(&l, 0, 1, 10, cases[i].msg);
		/* Nothing compiles from a policy with a hole in it. */
		assert_int_equal(l.s.count, 1);
		loaded_free(&l);
	}
}

static void test_size_budget(void **state)
{
	static char big[4096];
	static struct fake_file fs[] = { { "big.inc", big, 0, 0 } };
	struct loaded l;
	char *src;
	size_t n = POLICY_MAX_SIZE - 100;

	(void)state;
	memset(big, '#', sizeof(big) - 2);
	big[sizeof(big) - 2] = '\n';
	use_files(fs, 1);
	/* The reader is told what is left of the 16 MiB, and refuses more. */
	src = malloc(n + 1);
	assert_non_null(src);
	memset(src, '\n', n);
	memcpy(src, "@include ./big.inc\n", 19);
	src[n] = '\0';
	load(&l, "main.policy", src, &fake_inc);
	assert_int_equal(last_max, POLICY_MAX_SIZE - n);
	expect_one_error(&l, 0, 1, 10,
			 "cannot include './big.inc': big.inc: the policy and its includes would "
			 "be larger than 16 MiB");
	loaded_free(&l);
	free(src);
}

static void test_cycles(void **state)
{
	static const struct fake_file fs[] = {
		{ "self.inc", "read\n@include ./self.inc\n", 0, 0 },
		{ "a.inc", "@include ./b.inc\n", 0, 0 },
		{ "b.inc", "write\n@include ./a.inc\n", 0, 0 },
		{ "back.inc", "@include ./main.policy\n", 0, 0 },
		/* Another name for c.inc (a hard link): the same inode. */
		{ "c.inc", "@include ./alias.inc\n", 0, 0 },
		{ "alias.inc", "read\n", 0, 1004 },
	};
	static const struct {
		const char *src;
		unsigned file, line, col;
		const char *msg;
	} cases[] = {
		{ "@include ./self.inc\n", 1, 2, 10, "include cycle: self.inc -> self.inc" },
		{ "@include ./a.inc\n", 2, 2, 10, "include cycle: a.inc -> b.inc -> a.inc" },
		{ "@include ./back.inc\n", 1, 1, 10,
		  "include cycle: main.policy -> back.inc -> main.policy" },
		{ "@include ./c.inc\n", 1, 1, 10, "include cycle: c.inc -> alias.inc" },
	};
	struct loaded l;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		use_files(fs, ARRAY_SIZE(fs));
		load(&l, "main.policy", cases[i].src, &fake_inc);
		expect_one_error(&l, cases[i].file, cases[i].line, cases[i].col, cases[i].msg);
		loaded_free(&l);
	}
}

static void test_included_twice_read_once(void **state)
{
	static const struct fake_file fs[] = {
		{ "net.inc", "@include ./common.inc\nsocket AF_INET\n", 0, 0 },
		{ "files.inc", "@include ./common.inc\nopenat\n", 0, 0 },
		{ "common.inc", "read\nwrite\n", 0, 0 },
		{ "link.inc", "read\nwrite\n", 0, 1002 }, /* common.inc by another name */
	};
	struct loaded l;

	(void)state;
	use_files(fs, ARRAY_SIZE(fs));
	load(&l, "main.policy", "@include ./net.inc\n@include ./files.inc\n@include ./link.inc\n",
	     &fake_inc);
	assert_int_equal(l.parse_rc, 0);
	assert_int_equal(l.d.count, 0);
	/* main, net, common, files: the second common and its alias add nothing. */
	assert_int_equal(l.s.count, 4);
	assert_int_equal(l.pol.count, 4);
	loaded_free(&l);
}

static void test_depth_and_file_limits(void **state)
{
	static struct fake_file deep[POLICY_MAX_INCLUDE_DEPTH + 2];
	static char paths[POLICY_MAX_INCLUDE_DEPTH + 2][16],
		texts[POLICY_MAX_INCLUDE_DEPTH + 2][32];
	static struct fake_file wide[POLICY_MAX_FILES];
	static char wpaths[POLICY_MAX_FILES][16];
	char *src, *p;
	struct loaded l;

	(void)state;
	/* d1.inc includes d2.inc ... : 16 files deep is the most. */
	for (unsigned i = 0; i < ARRAY_SIZE(deep); i++) {
		snprintf(paths[i], sizeof(paths[i]), "d%u.inc", i + 1);
		snprintf(texts[i], sizeof(texts[i]), "read\n@include ./d%u.inc\n", i + 2);
		deep[i] = (struct fake_file){ paths[i], texts[i], 0, 0 };
	}
	use_files(deep, ARRAY_SIZE(deep));
	load(&l, "main.policy", "@include ./d1.inc\n", &fake_inc);
	expect_one_error(&l, POLICY_MAX_INCLUDE_DEPTH, 2, 10,
			 "cannot include './d17.inc': files nested more than 16 deep");
	assert_int_equal(l.s.count, POLICY_MAX_INCLUDE_DEPTH + 1);
	loaded_free(&l);

	/* 256 files in all: the 256th @include is one too many. */
	src = calloc(POLICY_MAX_FILES, 32);
	assert_non_null(src);
	p = src;
	for (unsigned i = 0; i < POLICY_MAX_FILES; i++) {
		snprintf(wpaths[i], sizeof(wpaths[i]), "w%u.inc", i);
		wide[i] = (struct fake_file){ wpaths[i], "read\n", 0, 0 };
		p += sprintf(p, "@include ./w%u.inc\n", i);
	}
	use_files(wide, POLICY_MAX_FILES);
	load(&l, "main.policy", src, &fake_inc);
	expect_one_error(&l, 0, POLICY_MAX_FILES, 10,
			 "cannot include './w255.inc': more than 256 files in one policy");
	assert_int_equal(l.s.count, POLICY_MAX_FILES);
	loaded_free(&l);
	free(src);
}

static void test_syntax(void **state)
{
	static const struct fake_file fs[] = { { "a.inc", "read\n", 0, 0 } };
	static const struct {
		const char *src;
		unsigned line, col;
		const char *msg;
	} cases[] = {
		{ "@include\n", 1, 1, "expected a path after @include" },
		{ "@include   # nothing\n", 1, 1, "expected a path after @include" },
		{ "@include ./a.inc ./b.inc\n", 1, 18,
		  "unexpected text after the path of @include (one path per line, without "
		  "blanks)" },
		{ "~@include ./a.inc\n", 1, 2,
		  "'@include' is a directive, not a syscall group: it cannot be denied" },
		{ "read @include\n", 1, 6, "invalid value '@include'" },
		{ "@includes ./a.inc\n", 1, 1, "did you mean '@include'?" },
	};
	struct loaded l;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		use_files(fs, ARRAY_SIZE(fs));
		load(&l, "main.policy", cases[i].src, &fake_inc);
		if (l.parse_rc != -1 || l.d.errors != 1 || l.d.count != 1 ||
		    l.d.items[0].line != cases[i].line || l.d.items[0].col != cases[i].col ||
		    !strstr(l.d.items[0].msg, cases[i].msg)) {
			dump(&l);
			fail_msg("'%s': wanted %u:%u '%s'", cases[i].src, cases[i].line,
				 cases[i].col, cases[i].msg);
		}
		assert_int_equal(nreads, 0);
		loaded_free(&l);
	}
	/* A commented @include is a comment; a line with a bad byte, one error. */
	use_files(fs, ARRAY_SIZE(fs));
	load(&l, "main.policy", "# @include ./a.inc\nread # @include ./a.inc\n", &fake_inc);
	assert_int_equal(l.parse_rc, 0);
	assert_int_equal(nreads, 0);
	loaded_free(&l);
	load(&l, "main.policy", "@include ./a.inc\x01\n", &fake_inc);
	assert_int_equal(l.d.count, 1);
	assert_string_equal(l.d.items[0].msg, "control character 0x01 in policy");
	assert_int_equal(nreads, 0);
	loaded_free(&l);
}

static void test_without_a_reader(void **state)
{
	struct policy pol;
	struct diag_list d;

	(void)state;
	diag_init(&d, 0);
	assert_int_equal(policy_parse("read\n@include ./a.inc\n", 22, NULL, &pol, &d), -1);
	assert_int_equal(d.count, 1);
	assert_int_equal(d.items[0].line, 2);
	assert_string_equal(d.items[0].msg,
			    "cannot include './a.inc': this input cannot include files");
	policy_free(&pol);
	diag_free(&d);
}

static void test_directives_and_groups_in_includes(void **state)
{
	static const struct fake_file fs[] = {
		{ "learn.inc", "@complain\n@signal\n", 0, 0 },
		{ "bad.inc", "read\n@netwrk-io\n", 0, 0 },
	};
	const struct policy_rule *r;
	struct loaded l;

	(void)state;
	use_files(fs, ARRAY_SIZE(fs));
	load(&l, "main.policy", "read\n@include ./learn.inc\n", &fake_inc);
	assert_int_equal(l.parse_rc, 0);
	/* A directive anywhere counts for the whole policy. */
	assert_int_equal(l.pol.mode, SF_MODE_COMPLAIN);
	r = rule_named(&l.pol, "rt_sigaction");
	assert_true(r && r->file == 1 && r->group);
	loaded_free(&l);
	load(&l, "main.policy", "@include ./bad.inc\n", &fake_inc);
	assert_int_equal(l.parse_rc, -1);
	assert_int_equal(l.d.count, 1);
	assert_int_equal(l.d.items[0].file, 1);
	assert_string_equal(l.d.items[0].msg,
			    "unknown syscall group '@netwrk-io'; did you mean '@network-io'?");
	loaded_free(&l);
}

/* What batch mode compares: every included byte, and the names. */
static void test_digest_covers_includes(void **state)
{
	static struct fake_file fs[] = { { "a.inc", "read\n", 0, 0 } };
	struct compile_opts o = { .narches = 0 };
	uint8_t d1[DIGEST_SIZE], d2[DIGEST_SIZE];
	struct loaded l;

	(void)state;
	o.narches = syscalls_default_arches(o.arches, BLOB_MAX_ARCHES);
	use_files(fs, 1);
	load(&l, "main.policy", "@include ./a.inc\n", &fake_inc);
	compile_source_digest(&o, &l.s, d1);
	loaded_free(&l);
	load(&l, "main.policy", "@include ./a.inc\n", &fake_inc);
	compile_source_digest(&o, &l.s, d2);
	assert_memory_equal(d1, d2, DIGEST_SIZE);
	loaded_free(&l);
	/* One byte of the included file. */
	fs[0].text = "read \n";
	load(&l, "main.policy", "@include ./a.inc\n", &fake_inc);
	compile_source_digest(&o, &l.s, d2);
	assert_memory_not_equal(d1, d2, DIGEST_SIZE);
	loaded_free(&l);
	/* The same bytes under another resolved name. */
	fs[0] = (struct fake_file){ "b/a.inc", "read\n", 0, 0 };
	load(&l, "b/main.policy", "@include ./a.inc\n", &fake_inc);
	compile_source_digest(&o, &l.s, d2);
	assert_memory_not_equal(d1, d2, DIGEST_SIZE);
	loaded_free(&l);
	fs[0] = (struct fake_file){ "a.inc", "read\n", 0, 0 };
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_relative_and_nested),
		cmocka_unit_test(test_library_names),
		cmocka_unit_test(test_errors_point_into_their_file),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_size_budget),
		cmocka_unit_test(test_cycles),
		cmocka_unit_test(test_included_twice_read_once),
		cmocka_unit_test(test_depth_and_file_limits),
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_without_a_reader),
		cmocka_unit_test(test_directives_and_groups_in_includes),
		cmocka_unit_test(test_digest_covers_includes),
	};

	syscalls_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
