// SPDX-License-Identifier: MIT
/*
 * libsysfence's contract, through the shared library (libsysfence.so, as
 * built) and its public header; the blobs are made here with the
 * project's writer (blob_serialize, linked statically).  Each case runs in
 * a forked child and the kernel is the judge: after the call the child
 * reads its Seccomp_filters and NoNewPrivs from /proc/self/status, then
 * calls getppid(), which the test profile denies with EXDEV.  A refused
 * blob must leave the child exactly as it was: no filter more, no
 * no_new_privs, getppid() working.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "sysfence.h"
#include "sysfence/blob.h"
#include "sysfence/lib/load.h" /* LOAD_NATIVE_ARCH only */

#define DENIED_ERRNO EXDEV
#define MAX_INSNS BPF_MAXINSNS
#define OTHER_ARCH (LOAD_NATIVE_ARCH == AUDIT_ARCH_AARCH64 ? AUDIT_ARCH_X86_64 : AUDIT_ARCH_AARCH64)

/* What a child saw after its call. */
struct outcome {
	int rc;		 /* the library's result */
	int filters;	 /* Seccomp_filters after the call minus before */
	int nnp_before;	 /* NoNewPrivs before the call ... */
	int nnp;	 /* ... and after */
	int getppid_err; /* getppid()'s errno after the call, 0: it worked */
	char why[256];
};

enum fd_kind {
	FD_MEMFD,
	FD_PIPE,
	FD_BUFFER,
	FD_CLOSED,
	FD_WRITE_ONLY,
	FD_FOLDER
};

/* The test profile: getppid() fails with EXDEV, everything else runs. */
static const struct sock_filter deny_getppid[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, BPF_OFF_ARCH),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, LOAD_NATIVE_ARCH, 1, 0),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, BPF_OFF_NR),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getppid, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | DENIED_ERRNO),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};
#define DENY_LEN (sizeof(deny_getppid) / sizeof(deny_getppid[0]))

/* A blob of the given programs (copied), serialised by the project's writer. */
static uint8_t *make_blob(enum sf_mode mode, uint32_t arch, const struct sock_filter *allow,
			  size_t nallow, const struct sock_filter *deny, size_t ndeny, size_t *len)
{
	struct blob b;
	uint8_t *out;

	memset(&b, 0, sizeof(b));
	b.mode = mode;
	if (arch) {
		b.narches = 1;
		b.arches[0] = arch;
	}
	b.allow.insns = (struct sock_filter *)allow;
	b.allow.len = (uint32_t)nallow;
	b.deny.insns = (struct sock_filter *)deny;
	b.deny.len = (uint32_t)ndeny;
	assert_int_equal(blob_serialize(&b, &out, len), BLOB_OK);
	return out;
}

static uint8_t *good_blob(size_t *len)
{
	return make_blob(SF_MODE_ENFORCE, LOAD_NATIVE_ARCH, deny_getppid, DENY_LEN, NULL, 0, len);
}

/* Filters attached to this thread (Linux 5.9+), and no_new_privs. */
static void read_status(int *filters, int *nnp)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "re");

	*filters = *nnp = -1;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "Seccomp_filters: %d", filters);
		sscanf(line, "NoNewPrivs: %d", nnp);
	}
	fclose(f);
}

static int make_fd(enum fd_kind kind, const uint8_t *blob, size_t len)
{
	int p[2], fd = -1;

	switch (kind) {
	case FD_MEMFD:
		fd = memfd_create("blob", MFD_CLOEXEC);
		if (fd < 0 || write(fd, blob, len) != (ssize_t)len || lseek(fd, 0, SEEK_SET))
			return -2;
		return fd;
	case FD_PIPE: /* the test blobs fit a pipe's buffer */
		if (pipe(p) || write(p[1], blob, len) != (ssize_t)len || close(p[1]))
			return -2;
		return p[0];
	case FD_WRITE_ONLY:
		return open("/dev/null", O_WRONLY | O_CLOEXEC);
	case FD_FOLDER:
		return open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	case FD_CLOSED:
	case FD_BUFFER:
		break;
	}
	return -1;
}

/*
 * Loads blob in a child, after before() (may be NULL) ran there, and
 * returns what the child saw.  The child ends with a raw exit_group: no
 * libc or sanitizer exit path under a filter.
 */
static struct outcome run(const uint8_t *blob, size_t len, unsigned flags, enum fd_kind kind,
			  void (*before)(void))
{
	struct outcome o;
	int p[2], status;
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int filters0, fd;
		long r;

		memset(&o, 0, sizeof(o));
		close(p[0]);
		if (before)
			before();
		read_status(&filters0, &o.nnp_before);
		if (kind == FD_BUFFER) {
			o.rc = sysfence_load_buffer(blob, len, flags, o.why, sizeof(o.why));
		} else {
			fd = make_fd(kind, blob, len);
			o.rc = fd == -2 ? 99 : sysfence_load_fd(fd, flags, o.why, sizeof(o.why));
		}
		read_status(&o.filters, &o.nnp);
		o.filters -= filters0;
		r = syscall(__NR_getppid);
		o.getppid_err = r < 0 ? errno : 0;
		if (write(p[1], &o, sizeof(o)) != (ssize_t)sizeof(o))
			syscall(__NR_exit_group, 2);
		syscall(__NR_exit_group, 0);
	}
	close(p[1]);
	memset(&o, 0, sizeof(o));
	assert_int_equal(read(p[0], &o, sizeof(o)), (ssize_t)sizeof(o));
	close(p[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return o;
}

/* Refused: the result wanted, and the kernel shows nothing changed. */
static void assert_refused(const struct outcome *o, int want, const char *what)
{
	if (o->rc != want || o->filters != 0 || o->nnp != o->nnp_before || o->getppid_err != 0 ||
	    !o->why[0])
		fail_msg("%s: rc %d (want %d) filters +%d nnp %d->%d getppid errno %d, why \"%s\"",
			 what, o->rc, want, o->filters, o->nnp_before, o->nnp, o->getppid_err,
			 o->why);
}

/* nnp: the flag was given, so no_new_privs must be set now. */
static void assert_confined(const struct outcome *o, bool nnp, const char *what)
{
	if (o->rc != SYSFENCE_OK || o->filters != 1 || o->nnp != (nnp ? 1 : o->nnp_before) ||
	    o->getppid_err != DENIED_ERRNO)
		fail_msg("%s: rc %d filters +%d nnp %d getppid errno %d, why \"%s\"", what, o->rc,
			 o->filters, o->nnp, o->getppid_err, o->why);
}

static void test_good_blob_confines(void **state)
{
	static const enum fd_kind kinds[] = { FD_MEMFD, FD_PIPE, FD_BUFFER };
	static const char *const names[] = { "memfd", "pipe", "buffer" };
	size_t len;
	uint8_t *blob = good_blob(&len);

	(void)state;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		struct outcome o = run(blob, len, SYSFENCE_LOAD_NO_NEW_PRIVS, kinds[i], NULL);

		assert_confined(&o, true, names[i]);
		assert_string_equal(o.why, "");
	}
	free(blob);
}

static void test_bad_blobs_load_nothing(void **state)
{
	/* A program that passes the kernel but not bpf_check: a jump past the end. */
	static const struct sock_filter bad_jump[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, BPF_OFF_ARCH),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, LOAD_NATIVE_ARCH, 5, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	static const struct sock_filter fake_success[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, BPF_OFF_ARCH),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 0),
	};
	size_t len, flen, jlen;
	uint8_t *blob = good_blob(&len), *copy = malloc(BLOB_MAX_SIZE + 1);
	uint8_t *jump = make_blob(SF_MODE_ENFORCE, LOAD_NATIVE_ARCH, bad_jump, 3, NULL, 0, &jlen);
	uint8_t *fake =
		make_blob(SF_MODE_ENFORCE, LOAD_NATIVE_ARCH, fake_success, 2, NULL, 0, &flen);
	struct outcome o;

	(void)state;
	assert_non_null(copy);
	o = run(blob, len - 1, SYSFENCE_LOAD_NO_NEW_PRIVS, FD_MEMFD, NULL);
	assert_refused(&o, SYSFENCE_ERR_BLOB, "truncated by one byte");
	o = run(blob, BLOB_HEADER_SIZE, SYSFENCE_LOAD_NO_NEW_PRIVS, FD_MEMFD, NULL);
	assert_refused(&o, SYSFENCE_ERR_BLOB, "header only");
	o = run(blob, 0, SYSFENCE_LOAD_NO_NEW_PRIVS, FD_PIPE, NULL);
	assert_refused(&o, SYSFENCE_ERR_BLOB, "empty");
	o = run(jump, jlen, SYSFENCE_LOAD_NO_NEW_PRIVS, FD_MEMFD, NULL);
	assert_refused(&o, SYSFENCE_ERR_BLOB, "forged: jump out of range, valid digest");
	assert_non_null(strstr(o.why, "jump"));
	o = run(fake, flen, SYSFENCE_LOAD_NO_NEW_PRIVS, FD_BUFFER, NULL);
	assert_refused(&o, SYSFENCE_ERR_BLOB, "forged: ERRNO(0), valid digest");

	/* One byte flipped anywhere after the magic: the digest (or a header check) says no. */
	for (size_t at = BLOB_MAGIC_LEN; at < len; at += 37) {
		char what[64];

		memcpy(copy, blob, len);
		copy[at] ^= 0x40;
		snprintf(what, sizeof(what), "byte %zu flipped", at);
		o = run(copy, len, SYSFENCE_LOAD_NO_NEW_PRIVS, FD_MEMFD, NULL);
		assert_refused(&o, SYSFENCE_ERR_BLOB, what);
	}
	memcpy(copy, blob, len);
	copy[0] = 'X';
	o = run(copy, len, SYSFENCE_LOAD_NO_NEW_PRIVS, FD_MEMFD, NULL);
	assert_refused(&o, SYSFENCE_ERR_BLOB, "wrong magic");
	assert_non_null(strstr(o.why, "magic"));

	/* More than a blob can be: refused after reading BLOB_MAX_SIZE + 1 bytes. */
	memset(copy, 0, BLOB_MAX_SIZE + 1);
	memcpy(copy, blob, len);
	o = run(copy, BLOB_MAX_SIZE + 1, SYSFENCE_LOAD_NO_NEW_PRIVS, FD_MEMFD, NULL);
	assert_refused(&o, SYSFENCE_ERR_BLOB, "larger than a blob can be");
	free(blob);
	free(copy);
	free(jump);
	free(fake);
}

static void test_wrong_arch(void **state)
{
	size_t len;
	uint8_t *blob =
		make_blob(SF_MODE_ENFORCE, OTHER_ARCH, deny_getppid, DENY_LEN, NULL, 0, &len);
	struct outcome o;

	(void)state;
	o = run(blob, len, SYSFENCE_LOAD_NO_NEW_PRIVS, FD_MEMFD, NULL);
	assert_refused(&o, SYSFENCE_ERR_ARCH, "another architecture only");
	assert_non_null(strstr(o.why, "architecture"));
	free(blob);
}

static void test_unreadable_fd(void **state)
{
	static const enum fd_kind kinds[] = { FD_CLOSED, FD_WRITE_ONLY, FD_FOLDER };
	static const char *const names[] = { "fd -1", "write-only fd", "folder" };
	size_t len;
	uint8_t *blob = good_blob(&len);

	(void)state;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		struct outcome o = run(blob, len, SYSFENCE_LOAD_NO_NEW_PRIVS, kinds[i], NULL);

		assert_refused(&o, SYSFENCE_ERR_READ, names[i]);
	}
	free(blob);
}

static void test_arguments(void **state)
{
	size_t len;
	uint8_t *blob = good_blob(&len);
	struct outcome o;
	char why[128];

	(void)state;
	o = run(blob, len, SYSFENCE_LOAD_NO_NEW_PRIVS | 0x80u, FD_MEMFD, NULL);
	assert_refused(&o, SYSFENCE_ERR_ARGUMENT, "unknown flag, fd");
	o = run(blob, len, 0x100u, FD_BUFFER, NULL);
	assert_refused(&o, SYSFENCE_ERR_ARGUMENT, "unknown flag, buffer");
	assert_int_equal(sysfence_load_buffer(NULL, 10, 0, why, sizeof(why)),
			 SYSFENCE_ERR_ARGUMENT);
	/* why may be NULL. */
	assert_int_equal(sysfence_load_buffer(blob, 10, 0, NULL, 0), SYSFENCE_ERR_BLOB);
	free(blob);
}

static void test_unrestricted(void **state)
{
	size_t len;
	uint8_t *blob = make_blob(SF_MODE_UNRESTRICTED, 0, NULL, 0, NULL, 0, &len);
	struct outcome o;

	(void)state;
	o = run(blob, len, SYSFENCE_LOAD_NO_NEW_PRIVS, FD_MEMFD, NULL);
	/* Nothing to attach; no_new_privs set as asked. */
	assert_int_equal(o.rc, SYSFENCE_OK);
	assert_int_equal(o.filters, 0);
	assert_int_equal(o.nnp, 1);
	assert_int_equal(o.getppid_err, 0);
	/* Without the flag, nothing at all. */
	o = run(blob, len, 0, FD_MEMFD, NULL);
	assert_int_equal(o.rc, SYSFENCE_OK);
	assert_int_equal(o.filters, 0);
	assert_int_equal(o.nnp, o.nnp_before);
	free(blob);
}

/* The child becomes nobody: no CAP_SYS_ADMIN left. */
static void become_nobody(void)
{
	if (getuid() == 0 && (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534)))
		syscall(__NR_exit_group, 3);
}

static void test_privileges(void **state)
{
	size_t len;
	uint8_t *blob = good_blob(&len);
	struct outcome o;

	(void)state;
	/* Neither no_new_privs nor CAP_SYS_ADMIN: the kernel refuses, nothing attached. */
	o = run(blob, len, 0, FD_MEMFD, become_nobody);
	/* (Started with no_new_privs, as some build sandboxes do, the attach works.) */
	if (!o.nnp_before) {
		assert_refused(&o, SYSFENCE_ERR_ATTACH, "no no_new_privs, no CAP_SYS_ADMIN");
		assert_non_null(strstr(o.why, "no_new_privs"));
	}
	/* With CAP_SYS_ADMIN (root) it loads without no_new_privs. */
	if (getuid() == 0) {
		o = run(blob, len, 0, FD_MEMFD, NULL);
		assert_confined(&o, false, "root, no flag");
	}
	free(blob);
}

/*
 * Seven filters of BPF_MAXINSNS instructions: 7 x (4096 + 4) = 28700 of
 * the kernel's 32768 per path (MAX_INSNS_PER_PATH, 4 instructions of
 * penalty per filter), so a small deny program still fits and an allow
 * program of 4096 after it does not (ENOMEM).
 */
static void fill_filter_budget(void)
{
	static struct sock_filter big[MAX_INSNS];
	struct sock_fprog prog = { MAX_INSNS, big };

	for (size_t i = 0; i < MAX_INSNS - 1; i++)
		big[i] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, BPF_OFF_NR);
	big[MAX_INSNS - 1] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		syscall(__NR_exit_group, 3);
	for (int i = 0; i < 7; i++)
		if (syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
			syscall(__NR_exit_group, 3);
}

static void test_partial_attach(void **state)
{
	static struct sock_filter allow[MAX_INSNS];
	size_t len;
	uint8_t *blob;
	struct outcome o;

	(void)state;
	allow[0] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, BPF_OFF_ARCH);
	for (size_t i = 1; i < MAX_INSNS - 1; i++)
		allow[i] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, BPF_OFF_NR);
	allow[MAX_INSNS - 1] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	blob = make_blob(SF_MODE_ENFORCE, LOAD_NATIVE_ARCH, allow, MAX_INSNS, deny_getppid,
			 DENY_LEN, &len);
	/* The control: alone, the same blob attaches both filters. */
	o = run(blob, len, SYSFENCE_LOAD_NO_NEW_PRIVS, FD_MEMFD, NULL);
	assert_int_equal(o.rc, SYSFENCE_OK);
	assert_int_equal(o.filters, 2);
	/* The deny filter is attached, the allow filter is not: said, not hidden. */
	o = run(blob, len, SYSFENCE_LOAD_NO_NEW_PRIVS, FD_MEMFD, fill_filter_budget);
	if (o.rc != SYSFENCE_ERR_PARTIAL || o.filters != 1 || o.getppid_err != DENIED_ERRNO)
		fail_msg("rc %d filters +%d getppid errno %d why \"%s\"", o.rc, o.filters,
			 o.getppid_err, o.why);
	assert_non_null(strstr(o.why, "allow filter"));
	free(blob);
}

/*
 * A parent filter that makes seccomp(SECCOMP_SET_MODE_FILTER) with a
 * program "succeed" without attaching (ERRNO(0)); the probes, which pass
 * NULL, still reach the kernel.
 */
static void fake_seccomp(void)
{
	static struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, BPF_OFF_NR),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_seccomp, 0, 7),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, BPF_OFF_ARGS),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SECCOMP_SET_MODE_FILTER, 0, 5),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, BPF_OFF_ARGS + 16),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 2),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, BPF_OFF_ARGS + 20),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
		syscall(__NR_exit_group, 3);
}

static void test_faked_attach(void **state)
{
	size_t len;
	uint8_t *blob = good_blob(&len);
	struct outcome o;

	(void)state;
	o = run(blob, len, 0, FD_MEMFD, fake_seccomp);
	if (o.rc != SYSFENCE_ERR_FAKED || o.filters != 0 || o.getppid_err != 0)
		fail_msg("rc %d filters +%d getppid errno %d why \"%s\"", o.rc, o.filters,
			 o.getppid_err, o.why);
	free(blob);
}

static void test_strerror_version(void **state)
{
	(void)state;
	for (int r = SYSFENCE_ERR_NO_MEMORY; r <= SYSFENCE_OK; r++) {
		assert_non_null(sysfence_strerror(r));
		assert_string_not_equal(sysfence_strerror(r), "unknown error");
		for (int s = r + 1; s <= SYSFENCE_OK; s++)
			assert_string_not_equal(sysfence_strerror(r), sysfence_strerror(s));
	}
	assert_string_equal(sysfence_strerror(-99), "unknown error");
	assert_string_equal(sysfence_strerror(1), "unknown error");
	assert_string_equal(sysfence_version(), SYSFENCE_VERSION);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_blob_confines),
		cmocka_unit_test(test_bad_blobs_load_nothing),
		cmocka_unit_test(test_wrong_arch),
		cmocka_unit_test(test_unreadable_fd),
		cmocka_unit_test(test_arguments),
		cmocka_unit_test(test_unrestricted),
		cmocka_unit_test(test_privileges),
		cmocka_unit_test(test_partial_attach),
		cmocka_unit_test(test_faked_attach),
		cmocka_unit_test(test_strerror_version),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
