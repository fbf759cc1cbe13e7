// SPDX-License-Identifier: MIT
/*
 * Unit tests for the execvp-style search both sysfence-launch and --learn
 * use (src/common/path.c: -ENOENT, exit 127, not found; -EACCES, exit 126,
 * found but not executable) and for src/launch/program.c: opening and
 * running the program, the standard descriptors.
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <limits.h>
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

#include "sysfence/launch/program.h"
#include "sysfence/path.h"

static char dir[] = "/tmp/sf-program-XXXXXX";

static void make_file(const char *rel, mode_t mode)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(chmod(path, mode), 0);
}

static int setup(void **state)
{
	char path[PATH_MAX];

	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/a", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/b", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/a/prog-dir", dir);
	mkdir(path, 0755);
	make_file("a/noexec", 0644);
	make_file("b/noexec", 0755);
	make_file("a/only-a", 0755);
	make_file("b/only-a", 0755);
	make_file("a/data", 0644);
	make_file("b/prog-dir", 0755);
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_search(void **state)
{
	char path_env[PATH_MAX], buf[PATH_MAX], want[PATH_MAX];

	(void)state;
	snprintf(path_env, sizeof(path_env), "%s/a:%s/b", dir, dir);
	/* First entry that can run wins. */
	assert_int_equal(path_find_program("only-a", path_env, buf, sizeof(buf)), 0);
	snprintf(want, sizeof(want), "%s/a/only-a", dir);
	assert_string_equal(buf, want);
	/* Found but not executable in a: keeps looking, b has it. */
	assert_int_equal(path_find_program("noexec", path_env, buf, sizeof(buf)), 0);
	snprintf(want, sizeof(want), "%s/b/noexec", dir);
	assert_string_equal(buf, want);
	/* A folder is skipped like execvp's EACCES. */
	assert_int_equal(path_find_program("prog-dir", path_env, buf, sizeof(buf)), 0);
	snprintf(want, sizeof(want), "%s/b/prog-dir", dir);
	assert_string_equal(buf, want);
	/* Only a non-executable match: 126 EACCES. */
	assert_int_equal(path_find_program("data", path_env, buf, sizeof(buf)), -EACCES);
	assert_int_equal(path_exit_status(EACCES), 126);
	/* Nothing: 127 ENOENT. */
	assert_int_equal(path_find_program("nothing-here", path_env, buf, sizeof(buf)), -ENOENT);
	assert_int_equal(path_exit_status(ENOENT), 127);
	assert_int_equal(path_find_program("", path_env, buf, sizeof(buf)), -ENOENT);
}

static void test_slash_and_defaults(void **state)
{
	char buf[PATH_MAX], p[PATH_MAX];

	(void)state;
	snprintf(p, sizeof(p), "%s/a/only-a", dir);
	assert_int_equal(path_find_program(p, "/nonexistent", buf, sizeof(buf)), 0);
	assert_string_equal(buf, p);
	snprintf(p, sizeof(p), "%s/a/data", dir);
	assert_int_equal(path_find_program(p, NULL, buf, sizeof(buf)), -EACCES);
	snprintf(p, sizeof(p), "%s/a/missing", dir);
	assert_int_equal(path_find_program(p, NULL, buf, sizeof(buf)), -ENOENT);
	snprintf(p, sizeof(p), "%s/a/data/x", dir);
	assert_int_equal(path_find_program(p, NULL, buf, sizeof(buf)), -ENOENT); /* ENOTDIR */
	/* PATH unset: PATH_SEARCH_DEFAULT, /bin:/usr/bin, as execvp. */
	assert_string_equal(PATH_SEARCH_DEFAULT, "/bin:/usr/bin");
	assert_int_equal(path_find_program("sh", NULL, buf, sizeof(buf)), 0);
	/* An empty entry is the current folder. */
	assert_int_equal(chdir(dir), 0);
	assert_int_equal(path_find_program("only-a", ":/nonexistent", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(chdir("a"), 0);
	assert_int_equal(path_find_program("only-a", "/nonexistent:", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "only-a");
	assert_int_equal(chdir("/"), 0);
	/* Too long for the buffer: never truncated into another name. */
	assert_int_equal(path_find_program("only-a", "/x", buf, 4), -ENOENT);
	assert_int_equal(path_find_program("/x/only-a", NULL, buf, 4), -ENAMETOOLONG);
	/* A folder given by path cannot run: 126, as execve's EACCES. */
	snprintf(p, sizeof(p), "%s/a/prog-dir", dir);
	assert_int_equal(path_find_program(p, NULL, buf, sizeof(buf)), -EACCES);
}

static void test_std_fds(void **state)
{
	struct stat st, null;
	int saved = dup(STDIN_FILENO);

	(void)state;
	assert_true(saved >= 0);
	assert_int_equal(program_std_fds_valid(), 0);
	close(STDIN_FILENO);
	assert_int_equal(program_std_fds_valid(), 0);
	assert_int_equal(fstat(STDIN_FILENO, &st), 0);
	assert_int_equal(stat("/dev/null", &null), 0);
	assert_int_equal(st.st_rdev, null.st_rdev);
	/* Meant for the program: not close-on-exec. */
	assert_int_equal(fcntl(STDIN_FILENO, F_GETFD) & FD_CLOEXEC, 0);
	assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
	close(saved);
}

/* The call simulated is the call made: numbers and every argument. */
static void test_exec_call(void **state)
{
	char *argv[] = { "/bin/true", NULL };
	char *envp[] = { "A=1", NULL };
	struct program_exec e = { -1, "/bin/true", argv, envp };
	struct load_call c;

	(void)state;
	program_exec_call(&e, &c);
	assert_string_equal(c.name, "execve");
	assert_int_equal(c.data.nr, __NR_execve);
	assert_int_equal(c.data.arch, LOAD_NATIVE_ARCH);
	assert_int_equal(c.data.args[0], (uint64_t)(uintptr_t)e.path);
	assert_int_equal(c.data.args[1], (uint64_t)(uintptr_t)argv);
	assert_int_equal(c.data.args[2], (uint64_t)(uintptr_t)envp);
	e.fd = 7;
	program_exec_call(&e, &c);
	assert_string_equal(c.name, "execveat");
	assert_int_equal(c.data.nr, __NR_execveat);
	assert_int_equal(c.data.args[0], 7);
	assert_string_equal((const char *)(uintptr_t)c.data.args[1], "");
	assert_int_equal(c.data.args[2], (uint64_t)(uintptr_t)argv);
	assert_int_equal(c.data.args[3], (uint64_t)(uintptr_t)envp);
	assert_int_equal(c.data.args[4], AT_EMPTY_PATH);
}

/* Readable when the caller may read; O_PATH for an execute-only file. */
static void test_open(void **state)
{
	bool readable;
	char buf[2];
	int fd;

	(void)state;
	fd = program_open("/bin/sh", &readable);
	assert_true(fd >= 0);
	assert_true(readable);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	assert_int_equal(pread(fd, buf, 2, 0), 2);
	close(fd);
	assert_int_equal(program_open("/nonexistent-sf", &readable), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_search),	cmocka_unit_test(test_slash_and_defaults),
		cmocka_unit_test(test_std_fds), cmocka_unit_test(test_exec_call),
		cmocka_unit_test(test_open),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
