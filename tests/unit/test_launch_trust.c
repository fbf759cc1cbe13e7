// SPDX-License-Identifier: MIT
/*
 * Unit tests for src/launch/trust.c: profile names, name/path
 * classification, the exact-size reader, the refusals that need no
 * root-owned store, and (as root, in a store under /run) a profile renamed
 * over or removed exactly between the launcher's open and its fstat (the
 * integration tests cover the store walk as a real unprivileged user, and
 * launch_replace.sh the same race for real).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cmocka.h>

#include "sysfence/blob.h"
#include "sysfence/launch/trust.h"

static void test_names(void **state)
{
	static const char *good[] = { "a",   "Z",   "0",   "firefox", "org.mozilla.Firefox",
				      "a_b", "a+b", "a-b", "a.",      "a..b",
				      "9.9" };
	static const char *bad[] = { "",   ".",	  "..",	 ".hidden", "-x",   "_x",
				     "+x", "a b", "a/b", "a\\b",    "a\tb", "a\nb",
				     "é",  "a*",  "a?",	 "a:b",	    "a$",   "a%b" };
	char name[300];

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!trust_name_valid(good[i]))
			fail_msg("'%s' refused", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (trust_name_valid(bad[i]))
			fail_msg("'%s' accepted", bad[i]);
	memset(name, 'a', sizeof(name));
	name[TRUST_NAME_MAX] = '\0';
	assert_true(trust_name_valid(name));
	name[TRUST_NAME_MAX] = 'a';
	name[TRUST_NAME_MAX + 1] = '\0';
	assert_false(trust_name_valid(name));
}

static void test_classify(void **state)
{
	(void)state;
	assert_int_equal(trust_classify("app"), TRUST_STORE_NAME);
	assert_int_equal(trust_classify(".."), TRUST_STORE_NAME); /* then refused as a name */
	assert_int_equal(trust_classify("./app.bin"), TRUST_USER_PATH);
	assert_int_equal(trust_classify("/abs/app.bin"), TRUST_USER_PATH);
	assert_int_equal(trust_classify("../x"), TRUST_USER_PATH);
	assert_int_equal(trust_classify("a/"), TRUST_USER_PATH);
}

static int temp_file(const char *content, size_t len)
{
	char path[] = "/tmp/sf-trust-XXXXXX";
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(write(fd, content, len), (ssize_t)len);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

static void test_read_exact(void **state)
{
	uint8_t *buf;
	int fd;

	(void)state;
	fd = temp_file("0123456789", 10);
	assert_int_equal(trust_read_exact(fd, 10, &buf), 0);
	assert_memory_equal(buf, "0123456789", 10);
	free(buf);
	/* The file grew after fstat: detected, not read past size + 1. */
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(trust_read_exact(fd, 9, &buf), -EIO);
	assert_null(buf);
	assert_int_equal(lseek(fd, 0, SEEK_CUR), 10);
	/* It shrank. */
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(trust_read_exact(fd, 11, &buf), -EIO);
	/* Empty is fine at this level; the blob reader refuses it. */
	assert_int_equal(lseek(fd, 10, SEEK_SET), 10);
	assert_int_equal(trust_read_exact(fd, 0, &buf), 0);
	free(buf);
	close(fd);
}

static void test_read_path(void **state)
{
	char dir[] = "/tmp/sf-trust-dir-XXXXXX", path[64], why[256];
	struct trust_profile p;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/p.bin", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("not really a blob", f);
	fclose(f);
	assert_int_equal(trust_read_path(path, &p, why, sizeof(why)), 0);
	assert_int_equal(p.len, 17);
	assert_int_equal(p.kind, TRUST_USER_PATH);
	trust_profile_free(&p);

	/* A FIFO without a writer neither hangs nor passes. */
	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(trust_read_path(path, &p, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "not a regular file"));
	unlink(path);
	assert_int_equal(trust_read_path("/dev/null", &p, why, sizeof(why)), -EINVAL);
	assert_int_equal(trust_read_path(dir, &p, why, sizeof(why)), -EINVAL);

	snprintf(path, sizeof(path), "%s/big", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fseek(f, BLOB_MAX_SIZE, SEEK_SET), 0);
	fputc('x', f);
	fclose(f);
	assert_int_equal(trust_read_path(path, &p, why, sizeof(why)), -EFBIG);
	unlink(path);

	snprintf(path, sizeof(path), "%s/missing", dir);
	assert_int_equal(trust_read_path(path, &p, why, sizeof(why)), -ENOENT);
	snprintf(path, sizeof(path), "%s/p.bin", dir);
	unlink(path);
	rmdir(dir);
}

static void test_store_refusals(void **state)
{
	struct trust_profile p;
	char why[256];

	(void)state;
	assert_int_equal(trust_read_store("/nonexistent", "..", &p, why, sizeof(why)), -EINVAL);
	assert_int_equal(trust_read_store("/nonexistent", "a/b", &p, why, sizeof(why)), -EINVAL);
	assert_int_equal(trust_read_store("relative", "app", &p, why, sizeof(why)), -EINVAL);
	assert_int_equal(trust_read_store("/usr/../usr", "app", &p, why, sizeof(why)), -EINVAL);
	assert_int_equal(trust_read_store("/usr/./lib", "app", &p, why, sizeof(why)), -EINVAL);
	/* Missing folder: ENOENT, the one answer --wait waits on. */
	assert_int_equal(trust_read_store("/nonexistent-sysfence/p", "app", &p, why, sizeof(why)),
			 -ENOENT);
	assert_int_equal(trust_read_store("/usr", "no-such-profile-sf", &p, why, sizeof(why)),
			 -ENOENT);
	/* /tmp is world-writable (sticky or not): never a store. */
	assert_int_equal(trust_read_store("/tmp", "app", &p, why, sizeof(why)), -EPERM);
	assert_non_null(strstr(why, "folder /tmp is writable by group or others"));
	/* A file on the way is not a folder. */
	assert_true(trust_read_store("/etc/passwd", "app", &p, why, sizeof(why)) < 0);
}

/*
 * The race made deterministic, with no hook in the product: this test's
 * own fstat() is the one trust.o is linked against.  While armed, it runs
 * `fstat_hook` first, i.e. exactly between the open of the store file and
 * the check of its link count.
 */
static void (*fstat_hook)(void);
static unsigned fstat_hooked;

int fstat(int fd, struct stat *st)
{
	if (fstat_hook) {
		fstat_hooked++;
		fstat_hook();
	}
	return (int)syscall(SYS_newfstatat, fd, "", st, AT_EMPTY_PATH);
}

static char store_dir[64], store_file[96];

/* Writes the store file atomically, as a package manager does. */
static void put_version(unsigned v)
{
	char tmp[128], body[32];
	int fd, n;

	snprintf(tmp, sizeof(tmp), "%s/.p.bin.tmp", store_dir);
	n = snprintf(body, sizeof(body), "version %u", v);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, body, (size_t)n), n);
	assert_int_equal(close(fd), 0);
	assert_int_equal(rename(tmp, store_file), 0);
}

static unsigned next_version;
static void replace_once(void)
{
	fstat_hook = NULL;
	put_version(++next_version);
}
static void replace_always(void)
{
	put_version(++next_version);
}
static void remove_it(void)
{
	fstat_hook = NULL;
	assert_int_equal(unlink(store_file), 0);
}
static void link_it(void)
{
	char other[128];

	fstat_hook = NULL;
	snprintf(other, sizeof(other), "%s/other", store_dir);
	assert_int_equal(link(store_file, other), 0);
}

static int store_setup(void **state)
{
	(void)state;
	/* /run: root-owned and not writable by others all the way, unlike /tmp. */
	if (geteuid() != 0)
		return 0;
	snprintf(store_dir, sizeof(store_dir), "/run/sf-trust-XXXXXX");
	if (!mkdtemp(store_dir) || chmod(store_dir, 0755))
		return -1;
	snprintf(store_file, sizeof(store_file), "%s/p.bin", store_dir);
	return 0;
}

static int store_teardown(void **state)
{
	char other[128];

	(void)state;
	if (!store_dir[0])
		return 0;
	snprintf(other, sizeof(other), "%s/other", store_dir);
	unlink(other);
	unlink(store_file);
	rmdir(store_dir);
	return 0;
}

/* Reads the store with `hook` armed; returns trust_read_store's result. */
static int read_with(void (*hook)(void), struct trust_profile *p, char *why, size_t whylen)
{
	int rc;

	fstat_hooked = 0;
	fstat_hook = hook;
	rc = trust_read_store(store_dir, "p", p, why, whylen);
	fstat_hook = NULL;
	return rc;
}

static void expect_version(const struct trust_profile *p, unsigned v)
{
	char body[32];
	int n = snprintf(body, sizeof(body), "version %u", v);

	assert_int_equal(p->len, (size_t)n);
	assert_memory_equal(p->data, body, (size_t)n);
}

static void test_store_replaced(void **state)
{
	struct trust_profile p;
	char why[256];

	(void)state;
	if (geteuid() != 0)
		skip(); /* a store must be root-owned */
	next_version = 0;
	put_version(0);

	/* Untouched: read at once. */
	assert_int_equal(read_with(NULL, &p, why, sizeof(why)), 0);
	expect_version(&p, 0);
	assert_int_equal(p.reopened, 0);
	trust_profile_free(&p);

	/* Renamed over between open and fstat: the new one, not a refusal. */
	assert_int_equal(read_with(replace_once, &p, why, sizeof(why)), 0);
	assert_int_equal(fstat_hooked, 1);
	expect_version(&p, 1);
	assert_int_equal(p.reopened, 1);
	assert_int_equal(p.kind, TRUST_STORE_NAME);
	trust_profile_free(&p);

	/*
	 * Replaced at every open: bounded, and the last file opened is kept,
	 * whole (it was the store's when opened; the next was already there).
	 */
	assert_int_equal(read_with(replace_always, &p, why, sizeof(why)), 0);
	assert_int_equal(fstat_hooked, TRUST_REPLACED_RETRIES + 1);
	assert_int_equal(p.reopened, TRUST_REPLACED_RETRIES);
	expect_version(&p, next_version - 1);
	trust_profile_free(&p);

	/* Removed between open and fstat: gone (so --wait may wait for it). */
	assert_int_equal(read_with(remove_it, &p, why, sizeof(why)), -ENOENT);
	assert_non_null(strstr(why, "no such profile in "));
	assert_null(p.data);

	/* A second name appearing between open and fstat is still refused. */
	put_version(0);
	assert_int_equal(read_with(link_it, &p, why, sizeof(why)), -EPERM);
	assert_non_null(strstr(why, "has more than one link"));
	assert_null(p.data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_read_exact),
		cmocka_unit_test(test_read_path),
		cmocka_unit_test(test_store_refusals),
		cmocka_unit_test_setup_teardown(test_store_replaced, store_setup, store_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
