// SPDX-License-Identifier: MIT
/*
 * Unit tests for src/launch/trust.c: profile names, name/path
 * classification, the exact-size reader, and the refusals that need no
 * root-owned store (the integration tests cover the store walk as a real
 * unprivileged user).
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),	       cmocka_unit_test(test_classify),
		cmocka_unit_test(test_read_exact),     cmocka_unit_test(test_read_path),
		cmocka_unit_test(test_store_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
