// SPDX-License-Identifier: MIT
/*
 * Unit tests for src/compile/fileio.c: reading a whole policy (regular file,
 * FIFO, stdin, size limit, folders and devices) and the atomic write of
 * blobs (content and mode 0644 whatever the umask, an existing file left
 * untouched on failure, a symlink at the target replaced and never followed,
 * no temporary left behind), and the temporaries: their names, their state
 * and the sweep that removes those of killed writers, never a live one.  Parts that need an unprivileged caller fork
 * and switch to nobody when the test runs as root.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "sysfence/compile/fileio.h"

#define NOBODY 65534

static char dir[] = "/tmp/sf-test-fileio.XXXXXX";

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	return chmod(dir, 0755);
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *path_of(const char *name)
{
	static char buf[4][PATH_MAX];
	static int next;
	char *p = buf[next++ % 4];

	snprintf(p, PATH_MAX, "%s/%s", dir, name);
	return p;
}

static void put_file(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

	assert_true(fd >= 0);
	assert_int_equal(fd_write_all(fd, data, len), 0);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static void expect_content(const char *path, const void *data, size_t len)
{
	char *buf;
	size_t n;

	assert_int_equal(file_read_all(path, 1 << 24, &buf, &n), 0);
	assert_int_equal(n, len);
	assert_memory_equal(buf, data, len);
	free(buf);
}

/* Names in the test folder that look like file_write_atomic temporaries. */
static int count_temporaries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void test_read_regular(void **state)
{
	static const char text[] = "read\nwrite\0binary\n";
	char *buf = NULL;
	size_t len = 99;

	(void)state;
	put_file(path_of("r.policy"), text, sizeof(text) - 1, 0644);
	assert_int_equal(file_read_all(path_of("r.policy"), 1000, &buf, &len), 0);
	assert_int_equal(len, sizeof(text) - 1);
	assert_memory_equal(buf, text, len); /* NUL bytes are data */
	assert_int_equal(buf[len], '\0');    /* and one NUL after the end */
	free(buf);

	put_file(path_of("empty"), "", 0, 0644);
	assert_int_equal(file_read_all(path_of("empty"), 1000, &buf, &len), 0);
	assert_int_equal(len, 0);
	assert_int_equal(buf[0], '\0');
	free(buf);
}

static void test_read_large_and_limit(void **state)
{
	size_t n = 3 * 1024 * 1024 + 17;
	char *data = malloc(n), *buf;
	size_t len;

	(void)state;
	assert_non_null(data);
	for (size_t i = 0; i < n; i++)
		data[i] = (char)(i * 7 + i / 4096);
	put_file(path_of("big"), data, n, 0644);
	assert_int_equal(file_read_all(path_of("big"), n, &buf, &len), 0);
	assert_int_equal(len, n);
	assert_memory_equal(buf, data, n);
	free(buf);
	assert_int_equal(file_read_all(path_of("big"), n - 1, &buf, &len), -EFBIG);
	/* The limit is exact for a small file too. */
	put_file(path_of("five"), "12345", 5, 0644);
	assert_int_equal(file_read_all(path_of("five"), 5, &buf, &len), 0);
	free(buf);
	assert_int_equal(file_read_all(path_of("five"), 4, &buf, &len), -EFBIG);
	free(data);
}

static void test_read_refuses(void **state)
{
	char *buf = (char *)1;
	size_t len = 1;

	(void)state;
	assert_int_equal(file_read_all(dir, 1000, &buf, &len), -EISDIR);
	assert_int_equal(file_read_all(path_of("missing"), 1000, &buf, &len), -ENOENT);
	assert_int_equal(file_read_all("", 1000, &buf, &len), -ENOENT);
	/* An endless device stops at the limit instead of eating memory. */
	assert_int_equal(file_read_all("/dev/zero", 1 << 20, &buf, &len), -EFBIG);
	assert_int_equal(file_read_all("/dev/null", 1000, &buf, &len), 0);
	assert_int_equal(len, 0);
	free(buf);
}

static void test_read_fifo(void **state)
{
	const char *fifo = path_of("fifo");
	char *buf;
	size_t len;
	pid_t pid;
	int status, keep;

	(void)state;
	assert_int_equal(mkfifo(fifo, 0600), 0);
	/* A reader that keeps the written data in the FIFO until we read it. */
	keep = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	assert_true(keep >= 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open(fifo, O_WRONLY);

		_exit(fd < 0 || fd_write_all(fd, "getpid\n", 7) ? 1 : 0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(status, 0);
	assert_int_equal(file_read_all(fifo, 1000, &buf, &len), 0);
	assert_int_equal(len, 7);
	assert_memory_equal(buf, "getpid\n", 7);
	free(buf);
	close(keep);
	/* A writer that comes after the reader opened: waited for, like cat. */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		const struct timespec later = { 0, 300 * 1000 * 1000 };
		int fd;

		nanosleep(&later, NULL);
		fd = open(fifo, O_WRONLY);
		_exit(fd < 0 || fd_write_all(fd, "getppid\n", 8) ? 1 : 0);
	}
	assert_int_equal(file_read_all(fifo, 1000, &buf, &len), 0);
	assert_int_equal(len, 8);
	assert_memory_equal(buf, "getppid\n", 8);
	free(buf);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(status, 0);
	unlink(fifo);
}

static void test_read_stdin(void **state)
{
	int p[2], saved = dup(STDIN_FILENO);
	char *buf;
	size_t len;

	(void)state;
	assert_true(saved >= 0);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "exit_group\n", 11), 11);
	close(p[1]);
	assert_int_equal(dup2(p[0], STDIN_FILENO), STDIN_FILENO);
	close(p[0]);
	assert_int_equal(file_read_all("-", 1000, &buf, &len), 0);
	dup2(saved, STDIN_FILENO);
	close(saved);
	assert_int_equal(len, 11);
	assert_memory_equal(buf, "exit_group\n", 11);
	free(buf);
}

static void test_fd_read_limit(void **state)
{
	int p[2];
	char *buf;
	size_t len;
	char chunk[1000];

	(void)state;
	memset(chunk, 'a', sizeof(chunk));
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], chunk, sizeof(chunk)), (ssize_t)sizeof(chunk));
	close(p[1]);
	assert_int_equal(fd_read_all(p[0], 999, &buf, &len), -EFBIG);
	close(p[0]);
	assert_int_equal(fd_read_all(-1, 999, &buf, &len), -EBADF);
}

/* Runs fn in a child as nobody (when root); returns its exit status. */
static int as_nobody(int (*fn)(void))
{
	pid_t pid = fork();
	int status;

	assert_true(pid >= 0);
	if (pid == 0) {
		if (geteuid() == 0 && (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
				       setresuid(NOBODY, NOBODY, NOBODY)))
			_exit(90);
		_exit(fn());
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static int read_secret(void)
{
	char *buf;
	size_t len;

	return file_read_all(path_of("secret"), 1000, &buf, &len) == -EACCES ? 0 : 1;
}

static void test_read_unreadable(void **state)
{
	(void)state;
	put_file(path_of("secret"), "x", 1, 0000);
	assert_int_equal(as_nobody(read_secret), 0);
}

static void test_write_creates(void **state)
{
	static const char data[] = "SYSFENCE blob bytes\0\1\2";
	const char *out = path_of("new.bin");
	struct stat st;
	mode_t old = umask(077);

	(void)state;
	assert_int_equal(file_write_atomic(out, data, sizeof(data), 0644), 0);
	umask(old);
	expect_content(out, data, sizeof(data));
	assert_int_equal(lstat(out, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	/* 0644 whatever the umask: the launcher and other users read it. */
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(st.st_nlink, 1);
	assert_int_equal(count_temporaries(), 0);

	old = umask(0);
	assert_int_equal(file_write_atomic(out, "", 0, 0600), 0);
	umask(old);
	assert_int_equal(stat(out, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(st.st_size, 0);
	unlink(out);
}

static void test_write_replaces(void **state)
{
	const char *out = path_of("old.bin");
	struct stat before, after;

	(void)state;
	put_file(out, "old content", 11, 0600);
	assert_int_equal(stat(out, &before), 0);
	assert_int_equal(file_write_atomic(out, "new", 3, 0644), 0);
	expect_content(out, "new", 3);
	assert_int_equal(stat(out, &after), 0);
	/* A new inode, renamed over the old one (readers never see half a file). */
	assert_true(before.st_ino != after.st_ino);
	assert_int_equal(after.st_mode & 07777, 0644);
	assert_int_equal(count_temporaries(), 0);
	unlink(out);
}

static void test_write_symlink_replaced_not_followed(void **state)
{
	const char *victim = path_of("victim"), *link = path_of("link.bin");
	char target[PATH_MAX];
	struct stat st;

	(void)state;
	put_file(victim, "precious", 8, 0600);
	assert_int_equal(symlink(victim, link), 0);
	assert_int_equal(file_write_atomic(link, "blob", 4, 0644), 0);
	/* The link became a regular file; the file it pointed to is unchanged. */
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	expect_content(link, "blob", 4);
	expect_content(victim, "precious", 8);
	assert_int_equal(stat(victim, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);

	/* A dangling link is replaced too, and nothing is created at its target. */
	unlink(link);
	assert_int_equal(symlink(path_of("nowhere"), link), 0);
	assert_int_equal(file_write_atomic(link, "blob", 4, 0644), 0);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(lstat(path_of("nowhere"), &st), -1);
	assert_int_equal(readlink(link, target, sizeof(target)), -1);
	unlink(link);
	unlink(victim);
	assert_int_equal(count_temporaries(), 0);
}

static void test_write_failures_leave_target_untouched(void **state)
{
	const char *sub = path_of("sub");
	char missing[PATH_MAX], longname[PATH_MAX + 10];
	struct stat st;

	(void)state;
	/* Missing folder. */
	snprintf(missing, sizeof(missing), "%s/no/such/folder/x.bin", dir);
	assert_int_equal(file_write_atomic(missing, "x", 1, 0644), -ENOENT);

	/* The target is a folder: rename fails, the temporary goes away. */
	assert_int_equal(mkdir(sub, 0755), 0);
	assert_int_equal(file_write_atomic(sub, "x", 1, 0644), -EISDIR);
	assert_int_equal(lstat(sub, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(rmdir(sub), 0);
	assert_int_equal(count_temporaries(), 0);

	/* A name too long for a temporary beside it. */
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(file_write_atomic(longname, "x", 1, 0644), -ENAMETOOLONG);
}

static int write_into_readonly_folder(void)
{
	return file_write_atomic(path_of("ro/keep.bin"), "evil", 4, 0644) == -EACCES ? 0 : 1;
}

static void test_write_unwritable_folder(void **state)
{
	const char *sub = path_of("ro"), *target = path_of("ro/keep.bin");
	struct stat before, after;

	(void)state;
	assert_int_equal(mkdir(sub, 0755), 0);
	put_file(target, "keep me", 7, 0644);
	assert_int_equal(stat(target, &before), 0);
	if (geteuid() == 0) {
		/* nobody may not create a file in a root-owned 0755 folder. */
		assert_int_equal(as_nobody(write_into_readonly_folder), 0);
	} else {
		assert_int_equal(chmod(sub, 0555), 0);
		assert_int_equal(write_into_readonly_folder(), 0);
		chmod(sub, 0755);
	}
	expect_content(target, "keep me", 7);
	assert_int_equal(stat(target, &after), 0);
	assert_int_equal(before.st_ino, after.st_ino);
	assert_int_equal(before.st_mtim.tv_sec, after.st_mtim.tv_sec);
	assert_int_equal(before.st_mtim.tv_nsec, after.st_mtim.tv_nsec);
	assert_int_equal(count_temporaries(), 0);
}

static void test_write_relative_path(void **state)
{
	char cwd[PATH_MAX];

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	assert_int_equal(file_write_atomic("rel.bin", "abc", 3, 0644), 0);
	assert_int_equal(chdir(cwd), 0);
	expect_content(path_of("rel.bin"), "abc", 3);
	unlink(path_of("rel.bin"));
	assert_int_equal(count_temporaries(), 0);
}

/* ---- temporaries (issue 15) ---- */

static void test_temporary_names(void **state)
{
	(void)state;
	assert_true(file_is_temporary(".x.bin.sysfence-tmp-Ab3dE9"));
	assert_true(file_is_temporary("/var/lib/p/.x.bin.sysfence-tmp-000000"));
	assert_false(file_is_temporary("x.bin.sysfence-tmp-Ab3dE9"));	 /* no dot */
	assert_false(file_is_temporary(".x.bin.sysfence-tmp-Ab3dE"));	 /* 5 random */
	assert_false(file_is_temporary(".x.bin.sysfence-tmp-Ab3dE-"));	 /* not alnum */
	assert_false(file_is_temporary("..sysfence-tmp-Ab3dE9"));	 /* no name */
	assert_false(file_is_temporary(".x.bin.Ab3dE9"));		 /* rsync's */
	assert_false(file_is_temporary(".x.bin.sysfence-tmp-Ab3dE9/y")); /* a folder */
}

/* Names up to NAME_MAX still get a temporary (its copy of the name cut). */
static void test_write_longest_name(void **state)
{
	char name[NAME_MAX + 2];

	(void)state;
	memset(name, 'n', sizeof(name));
	name[NAME_MAX] = '\0';
	assert_int_equal(file_write_atomic(path_of(name), "x", 1, 0644), 0);
	expect_content(path_of(name), "x", 1);
	unlink(path_of(name));
	name[NAME_MAX] = 'n';
	name[NAME_MAX + 1] = '\0';
	assert_int_equal(file_write_atomic(path_of(name), "x", 1, 0644), -ENAMETOOLONG);
	assert_int_equal(count_temporaries(), 0);
}

/* A temporary as a killed writer leaves it; locked: as a live one holds it. */
static int make_temporary(const char *name, bool locked)
{
	int fd = open(path_of(name), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "SYSFENCE", 8), 8);
	if (locked)
		assert_int_equal(flock(fd, LOCK_EX), 0);
	else
		close(fd);
	return locked ? fd : -1;
}

static void test_temporary_state(void **state)
{
	int fd;

	(void)state;
	make_temporary(".a.bin.sysfence-tmp-aaaaaa", false);
	fd = make_temporary(".b.bin.sysfence-tmp-bbbbbb", true);
	assert_int_equal(file_temporary_state(path_of(".a.bin.sysfence-tmp-aaaaaa")),
			 FILE_TEMP_LEFT_BEHIND);
	assert_int_equal(file_temporary_state(path_of(".b.bin.sysfence-tmp-bbbbbb")),
			 FILE_TEMP_BEING_WRITTEN);
	assert_int_equal(file_temporary_state(path_of(".c.bin.sysfence-tmp-cccccc")), -ENOENT);
	close(fd);
	unlink(path_of(".a.bin.sysfence-tmp-aaaaaa"));
	unlink(path_of(".b.bin.sysfence-tmp-bbbbbb"));
}

/* Only unlocked temporaries of this user go; everything else stays. */
static void test_sweep(void **state)
{
	size_t removed = 99;
	struct stat st;
	int live;

	(void)state;
	make_temporary(".dead.bin.sysfence-tmp-dead00", false);
	make_temporary(".dead2.bin.deny.sysfence-tmp-dead01", false);
	live = make_temporary(".live.bin.sysfence-tmp-live00", true);
	make_temporary(".other.bin.sysfence-tmp-other0", false);
	make_temporary(".rsync.bin.Ab3dE9", false);
	put_file(path_of("keep.bin"), "k", 1, 0644);
	assert_int_equal(mkdir(path_of(".dir.sysfence-tmp-dir000"), 0755), 0);
	if (geteuid() == 0)
		assert_int_equal(chown(path_of(".other.bin.sysfence-tmp-other0"), NOBODY, NOBODY),
				 0);
	else
		unlink(path_of(".other.bin.sysfence-tmp-other0"));
	assert_int_equal(file_remove_stale_temporaries(dir, &removed), 0);
	assert_int_equal(removed, 2);
	assert_int_equal(lstat(path_of(".dead.bin.sysfence-tmp-dead00"), &st), -1);
	assert_int_equal(lstat(path_of(".dead2.bin.deny.sysfence-tmp-dead01"), &st), -1);
	assert_int_equal(lstat(path_of(".live.bin.sysfence-tmp-live00"), &st), 0);
	assert_int_equal(lstat(path_of(".rsync.bin.Ab3dE9"), &st), 0);
	assert_int_equal(lstat(path_of(".dir.sysfence-tmp-dir000"), &st), 0);
	assert_int_equal(lstat(path_of("keep.bin"), &st), 0);
	if (geteuid() == 0)
		assert_int_equal(lstat(path_of(".other.bin.sysfence-tmp-other0"), &st), 0);
	/* Once its writer is gone, the live one is stale too. */
	close(live);
	assert_int_equal(file_remove_stale_temporaries(dir, &removed), 0);
	assert_int_equal(removed, 1);
	unlink(path_of(".other.bin.sysfence-tmp-other0"));
	unlink(path_of(".rsync.bin.Ab3dE9"));
	unlink(path_of("keep.bin"));
	rmdir(path_of(".dir.sysfence-tmp-dir000"));
	assert_int_equal(count_temporaries(), 0);
	assert_int_equal(file_remove_stale_temporaries(path_of("missing"), &removed), -ENOENT);
}

/*
 * A writer between creating its temporary and locking it holds the folder
 * (LOCK_SH): the sweep then removes nothing, and says so.
 */
static void test_sweep_waits_for_no_writer(void **state)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	size_t removed = 99;
	struct stat st;

	(void)state;
	assert_true(dfd >= 0);
	make_temporary(".gap.bin.sysfence-tmp-gap000", false);
	assert_int_equal(flock(dfd, LOCK_SH), 0);
	assert_int_equal(file_remove_stale_temporaries(dir, &removed), -EWOULDBLOCK);
	assert_int_equal(removed, 0);
	assert_int_equal(lstat(path_of(".gap.bin.sysfence-tmp-gap000"), &st), 0);
	/* Writers share the folder lock: a write goes on meanwhile. */
	assert_int_equal(file_write_atomic(path_of("during.bin"), "d", 1, 0644), 0);
	close(dfd);
	assert_int_equal(file_remove_stale_temporaries(dir, &removed), 0);
	assert_int_equal(removed, 1);
	unlink(path_of("during.bin"));
	assert_int_equal(count_temporaries(), 0);
}

/* ---- the line reader (--from-log) ---- */

struct lines {
	char got[64][40];
	bool cut[64];
	size_t n;
	int stop_after;
	volatile sig_atomic_t *stop;
};

static int take_line(void *ctx, const char *line, size_t len, bool cut)
{
	struct lines *c = ctx;

	assert_true(c->n < 64);
	snprintf(c->got[c->n], sizeof(c->got[0]), "%.*s", (int)(len < 39 ? len : 39), line);
	c->cut[c->n++] = cut;
	if (c->stop && (int)c->n == c->stop_after)
		*c->stop = 1;
	return 0;
}

/* Feeds data through a pipe, as a stream would. */
static int read_lines_of(const char *data, size_t len, size_t max, struct lines *c,
			 volatile sig_atomic_t *stop)
{
	int p[2], rc;
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		/* In small pieces: lines cross the reads. */
		for (size_t i = 0; i < len; i += 7)
			if (fd_write_all(p[1], data + i, len - i < 7 ? len - i : 7))
				_exit(1);
		_exit(0);
	}
	close(p[1]);
	rc = fd_read_lines(p[0], max, take_line, c, stop);
	close(p[0]);
	waitpid(pid, NULL, 0);
	return rc;
}

static void test_read_lines(void **state)
{
	static const char data[] = "one\n\ntwo\r\n0123456789\n01234567890123\nlast";
	struct lines c = { .n = 0 };

	(void)state;
	assert_int_equal(read_lines_of(data, sizeof(data) - 1, 10, &c, NULL), 0);
	assert_int_equal(c.n, 6);
	assert_string_equal(c.got[0], "one");
	assert_string_equal(c.got[1], "");
	assert_string_equal(c.got[2], "two\r"); /* CRs are the caller's */
	assert_string_equal(c.got[3], "0123456789");
	assert_false(c.cut[3]);
	assert_string_equal(c.got[4], "01234567890"); /* max + 1 bytes, cut */
	assert_true(c.cut[4]);
	assert_string_equal(c.got[5], "last");
	assert_false(c.cut[5]);
}

/* A line far longer than the buffer: its start once, the rest dropped. */
static void test_read_lines_endless_line(void **state)
{
	size_t len = 1 << 20;
	char *data = malloc(len + 16);
	struct lines c = { .n = 0 };
	volatile sig_atomic_t stop = 0;

	(void)state;
	assert_non_null(data);
	memset(data, 'x', len);
	memcpy(data + len, "\nafter\n", 7);
	assert_int_equal(read_lines_of(data, len + 7, 100, &c, NULL), 0);
	assert_int_equal(c.n, 2);
	assert_true(c.cut[0]);
	assert_string_equal(c.got[1], "after");
	/* A stop raised by a callback (as by a signal) ends the reading. */
	memset(&c, 0, sizeof(c));
	c.stop = &stop;
	c.stop_after = 1;
	assert_int_equal(read_lines_of("a\nb\nc\n", 6, 100, &c, &stop), -EINTR);
	assert_true(c.n >= 1 && c.n <= 3);
	free(data);
	/* The file reader: a missing file, a folder. */
	assert_int_equal(file_read_lines(path_of("missing"), 10, take_line, &c, NULL), -ENOENT);
	assert_int_equal(file_read_lines(dir, 10, take_line, &c, NULL), -EISDIR);
}

static void test_fd_write_all(void **state)
{
	int p[2];
	char buf[8];

	(void)state;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(fd_write_all(p[1], "abcdef", 6), 0);
	assert_int_equal(read(p[0], buf, sizeof(buf)), 6);
	assert_memory_equal(buf, "abcdef", 6);
	close(p[0]);
	/* No reader: EPIPE, reported rather than raised as SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	assert_int_equal(fd_write_all(p[1], "x", 1), -EPIPE);
	signal(SIGPIPE, SIG_DFL);
	close(p[1]);
	assert_int_equal(fd_write_all(-1, "x", 1), -EBADF);
	assert_int_equal(fd_write_all(-1, "", 0), 0);
}

static int cleanup_then_write(void)
{
	/* What the SIGTERM handler does: finished blobs stay, new writes stop. */
	file_remove_pending_temporaries();
	if (access(path_of("done.bin"), F_OK))
		return 1;
	if (file_write_atomic(path_of("late.bin"), "x", 1, 0644) != -EINTR)
		return 2;
	return access(path_of("late.bin"), F_OK) == 0 ? 3 : 0;
}

static void test_signal_cleanup(void **state)
{
	pid_t pid;
	int status;

	(void)state;
	assert_int_equal(file_write_atomic(path_of("done.bin"), "blob", 4, 0644), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(cleanup_then_write());
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	expect_content(path_of("done.bin"), "blob", 4);
	assert_int_equal(count_temporaries(), 0);
	unlink(path_of("done.bin"));
}

static void test_signal_mask_restored(void **state)
{
	sigset_t before, after, term;

	(void)state;
	/* file_write_atomic blocks SIGTERM while in flight, then restores. */
	assert_int_equal(pthread_sigmask(SIG_SETMASK, NULL, &before), 0);
	assert_int_equal(file_write_atomic(path_of("m.bin"), "m", 1, 0644), 0);
	assert_int_equal(pthread_sigmask(SIG_SETMASK, NULL, &after), 0);
	assert_false(sigismember(&after, SIGTERM));
	assert_int_equal(sigismember(&before, SIGINT), sigismember(&after, SIGINT));
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	assert_int_equal(pthread_sigmask(SIG_BLOCK, &term, NULL), 0);
	assert_int_equal(file_write_atomic(path_of("m.bin"), "m", 1, 0644), 0);
	assert_int_equal(pthread_sigmask(SIG_SETMASK, NULL, &after), 0);
	assert_true(sigismember(&after, SIGTERM));
	assert_int_equal(pthread_sigmask(SIG_SETMASK, &before, NULL), 0);
	unlink(path_of("m.bin"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_regular),
		cmocka_unit_test(test_read_large_and_limit),
		cmocka_unit_test(test_read_refuses),
		cmocka_unit_test(test_read_fifo),
		cmocka_unit_test(test_read_stdin),
		cmocka_unit_test(test_fd_read_limit),
		cmocka_unit_test(test_read_unreadable),
		cmocka_unit_test(test_write_creates),
		cmocka_unit_test(test_write_replaces),
		cmocka_unit_test(test_write_symlink_replaced_not_followed),
		cmocka_unit_test(test_write_failures_leave_target_untouched),
		cmocka_unit_test(test_write_unwritable_folder),
		cmocka_unit_test(test_write_relative_path),
		cmocka_unit_test(test_temporary_names),
		cmocka_unit_test(test_write_longest_name),
		cmocka_unit_test(test_temporary_state),
		cmocka_unit_test(test_sweep),
		cmocka_unit_test(test_sweep_waits_for_no_writer),
		cmocka_unit_test(test_read_lines),
		cmocka_unit_test(test_read_lines_endless_line),
		cmocka_unit_test(test_fd_write_all),
		cmocka_unit_test(test_signal_mask_restored),
		cmocka_unit_test(test_signal_cleanup),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
