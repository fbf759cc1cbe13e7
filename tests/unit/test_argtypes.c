// SPDX-License-Identifier: MIT
/*
 * Unit tests for src/compile/argtypes.c: the table of syscall arguments the
 * kernel reads as fewer than 64 bits.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <seccomp.h>

/*
 * The module itself, so that the test reads its table (static there)
 * without a test hook in the product.  Nothing else of the compiler is
 * linked in, so its functions are defined here once.
 */
#include "../../src/compile/argtypes.c"

static size_t argtypes_test_count(void)
{
	return sizeof(argtypes_table) / sizeof(argtypes_table[0]);
}

static const char *argtypes_test_name(size_t i)
{
	return i < argtypes_test_count() ? argtypes_table[i].name : NULL;
}

static void test_sorted_and_unique(void **state)
{
	size_t n = argtypes_test_count();
	size_t i;

	(void)state;
	assert_true(n > 300);
	for (i = 0; i < n; i++) {
		const char *name = argtypes_test_name(i);

		assert_non_null(name);
		assert_true(name[0] != '\0');
		/* Strictly increasing: sorted for bsearch, and no duplicates. */
		if (i > 0 && strcmp(argtypes_test_name(i - 1), name) >= 0)
			fail_msg("table out of order or duplicated at \"%s\" after \"%s\"", name,
				 argtypes_test_name(i - 1));
	}
	assert_null(argtypes_test_name(n));
}

/*
 * Every row must earn its place (some argument narrower than 64 bits or
 * signed), and every row must be found by the lookup, which catches an
 * ordering mistake that the sortedness check would miss if strcmp and
 * bsearch disagreed.
 */
static void test_every_entry_is_useful_and_consistent(void **state)
{
	size_t n = argtypes_test_count();
	size_t i;
	unsigned a;

	(void)state;
	for (i = 0; i < n; i++) {
		const char *name = argtypes_test_name(i);
		bool useful = false;

		for (a = 0; a < 6; a++) {
			unsigned w = argtypes_width(name, a);
			bool neg = argtypes_accepts_negative(name, a);

			if (w != 16 && w != 32 && w != 64)
				fail_msg("%s arg %u: width %u", name, a, w);
			/* umode_t is unsigned: no negative modes. */
			if (w == 16 && neg)
				fail_msg("%s arg %u: 16-bit and signed", name, a);
			if (w < 64 || neg)
				useful = true;
		}
		if (!useful)
			fail_msg("%s: all arguments 64-bit unsigned, drop the row", name);
		assert_int_equal(argtypes_width(name, 6), 64);
		assert_false(argtypes_accepts_negative(name, 6));
	}
}

struct fact {
	const char *name;
	unsigned arg;
	unsigned width;
	bool negative;
};

/* Known facts, each checked against the kernel's SYSCALL_DEFINE. */
static const struct fact facts[] = {
	/* CVE-2019-7303: ioctl(unsigned int fd, unsigned int cmd, unsigned long arg) */
	{ "ioctl", 0, 32, false },
	{ "ioctl", 1, 32, false },
	{ "ioctl", 2, 64, false },
	/* socket(int family, int type, int protocol) */
	{ "socket", 0, 32, true },
	{ "socket", 1, 32, true },
	{ "socket", 2, 32, true },
	{ "socketpair", 2, 32, true },
	/* setsockopt(int fd, int level, int optname, char *optval, int optlen) */
	{ "setsockopt", 1, 32, true },
	{ "setsockopt", 2, 32, true },
	{ "setsockopt", 3, 64, false },
	/* prctl(int option, unsigned long arg2..arg5) */
	{ "prctl", 0, 32, true },
	{ "prctl", 1, 64, false },
	{ "prctl", 2, 64, false },
	{ "prctl", 3, 64, false },
	{ "prctl", 4, 64, false },
	{ "personality", 0, 32, false },
	{ "setns", 0, 32, true },
	{ "setns", 1, 32, true },
	/* mknod(const char *, umode_t mode, unsigned dev) */
	{ "mknod", 0, 64, false },
	{ "mknod", 1, 16, false },
	{ "mknod", 2, 32, false },
	{ "mknodat", 0, 32, true },
	{ "mknodat", 2, 16, false },
	{ "mknodat", 3, 32, false },
	{ "chmod", 1, 16, false },
	{ "fchmod", 0, 32, false },
	{ "fchmod", 1, 16, false },
	{ "fchmodat", 2, 16, false },
	{ "open", 1, 32, true },
	{ "open", 2, 16, false },
	{ "creat", 1, 16, false },
	{ "mkdir", 1, 16, false },
	{ "mkdirat", 2, 16, false },
	/* setpriority(int which, int who, int niceval) */
	{ "setpriority", 0, 32, true },
	{ "setpriority", 1, 32, true },
	{ "setpriority", 2, 32, true },
	{ "kill", 0, 32, true },
	{ "kill", 1, 32, true },
	{ "tkill", 1, 32, true },
	{ "tgkill", 2, 32, true },
	/* uid_t/gid_t: 32 bits, -1 means "unchanged" */
	{ "chown", 0, 64, false },
	{ "chown", 1, 32, true },
	{ "chown", 2, 32, true },
	{ "fchown", 0, 32, false },
	{ "fchownat", 2, 32, true },
	{ "fchownat", 3, 32, true },
	{ "setresuid", 0, 32, true },
	{ "setresuid", 1, 32, true },
	{ "setresuid", 2, 32, true },
	{ "setuid", 0, 32, true },
	{ "setfsgid", 0, 32, true },
	{ "setgroups", 0, 32, true },
	{ "setgroups", 1, 64, false },
	/* unsigned long flags: all 64 bits count */
	{ "unshare", 0, 64, false },
	{ "clone", 0, 64, false },
	{ "clone3", 0, 64, false },
	{ "clone3", 1, 64, false },
	/* x86_64 mmap: six unsigned longs (arch/x86/kernel/sys_x86_64.c) */
	{ "mmap", 2, 64, false },
	{ "mmap", 3, 64, false },
	{ "mmap", 4, 64, false },
	/* openat(int dfd, const char *, int flags, umode_t mode) */
	{ "openat", 0, 32, true },
	{ "openat", 1, 64, false },
	{ "openat", 2, 32, true },
	{ "openat", 3, 16, false },
	{ "newfstatat", 0, 32, true },
	{ "newfstatat", 3, 32, true },
	{ "copy_file_range", 0, 32, true },
	{ "copy_file_range", 2, 32, true },
	{ "copy_file_range", 4, 64, false },
	{ "copy_file_range", 5, 32, false },
	{ "futex", 1, 32, true },
	{ "futex", 2, 32, false },
	{ "quotactl", 0, 32, false },
	{ "quotactl", 2, 32, false },
	{ "keyctl", 0, 32, true },
	{ "keyctl", 1, 64, false },
	{ "add_key", 4, 32, true },
	{ "timer_settime", 0, 32, true },
	{ "preadv2", 0, 64, false },
	{ "preadv2", 5, 32, true },
	{ "lseek", 0, 32, false },
	{ "lseek", 1, 64, true },
	{ "lseek", 2, 32, false },
	{ "pread64", 3, 64, true },
	{ "ptrace", 0, 64, true },
	{ "ptrace", 1, 64, true },
	{ "write", 0, 32, false },
	{ "write", 2, 64, false },
	{ "_llseek", 4, 32, false },
	{ "execve", 0, 64, false },
	{ "umask", 0, 32, true },
	{ "bpf", 0, 32, true },
	{ "seccomp", 0, 32, false },
	{ "pidfd_open", 0, 32, true },
	{ "pidfd_open", 1, 32, false },
	{ "arch_prctl", 0, 32, true },
	/* Not tabulated: everything is 64 bits. */
	{ "nosuchcall", 0, 64, false },
	{ "", 0, 64, false },
	{ "IOCTL", 1, 64, false },
	/* Argument index 6 and beyond. */
	{ "ioctl", 6, 64, false },
	{ "socket", 7, 64, false },
	{ "openat", UINT_MAX, 64, false },
};

static void test_known_facts(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(facts) / sizeof(facts[0]); i++) {
		const struct fact *f = &facts[i];
		unsigned w = argtypes_width(f->name, f->arg);
		bool neg = argtypes_accepts_negative(f->name, f->arg);

		if (w != f->width)
			fail_msg("%s arg %u: width %u, expected %u", f->name, f->arg, w, f->width);
		if (neg != f->negative)
			fail_msg("%s arg %u: negative %s, expected %s", f->name, f->arg,
				 neg ? "allowed" : "refused", f->negative ? "allowed" : "refused");
	}
}

static void test_null_name(void **state)
{
	(void)state;
	assert_int_equal(argtypes_width(NULL, 0), 64);
	assert_false(argtypes_accepts_negative(NULL, 0));
}

/*
 * Syscalls newer than the libseccomp this is built against (Debian 12 ships
 * 2.5.4+deb12u1, which knows syscalls up to about Linux 6.7).  They are tabulated so
 * that a build against a newer libseccomp gets them right; a name here that
 * libseccomp does know is fine too.  Keep this list short and exact: every
 * name must also be in the table, so a typo shows up as a failure.
 */
static const char *const newer_than_libseccomp[] = {
	"file_getattr",	  "file_setattr",      "getxattrat",	   "listmount",
	"listxattrat",	  "lsm_get_self_attr", "lsm_list_modules", "lsm_set_self_attr",
	"open_tree_attr", "removexattrat",     "riscv_hwprobe",	   "setxattrat",
	"statmount",
};

static const uint32_t arches[] = {
	SCMP_ARCH_X86_64,      SCMP_ARCH_X86,	    SCMP_ARCH_X32,	SCMP_ARCH_AARCH64,
	SCMP_ARCH_ARM,	       SCMP_ARCH_RISCV64,   SCMP_ARCH_PPC,	SCMP_ARCH_PPC64,
	SCMP_ARCH_PPC64LE,     SCMP_ARCH_S390,	    SCMP_ARCH_S390X,	SCMP_ARCH_MIPS,
	SCMP_ARCH_MIPS64,      SCMP_ARCH_MIPS64N32, SCMP_ARCH_MIPSEL,	SCMP_ARCH_MIPSEL64,
	SCMP_ARCH_MIPSEL64N32, SCMP_ARCH_PARISC,    SCMP_ARCH_PARISC64,
#ifdef SCMP_ARCH_LOONGARCH64
	SCMP_ARCH_LOONGARCH64,
#endif
#ifdef SCMP_ARCH_M68K
	SCMP_ARCH_M68K,
#endif
#ifdef SCMP_ARCH_SH
	SCMP_ARCH_SH,
#endif
};

static bool libseccomp_knows(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		/* Pseudo numbers (socketcall/ipc multiplexing) count as known. */
		if (seccomp_syscall_resolve_name_arch(arches[i], name) != __NR_SCMP_ERROR)
			return true;
	return false;
}

static bool is_newer_than_libseccomp(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(newer_than_libseccomp) / sizeof(newer_than_libseccomp[0]); i++)
		if (strcmp(name, newer_than_libseccomp[i]) == 0)
			return true;
	return false;
}

static void test_libseccomp_knows_every_name(void **state)
{
	size_t n = argtypes_test_count();
	size_t i;
	size_t unknown = 0;

	(void)state;
	for (i = 0; i < n; i++) {
		const char *name = argtypes_test_name(i);

		if (libseccomp_knows(name) || is_newer_than_libseccomp(name))
			continue;
		print_error("libseccomp knows no syscall \"%s\" on any architecture\n", name);
		unknown++;
	}
	assert_int_equal(unknown, 0);
}

static void test_newer_names_are_tabulated(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(newer_than_libseccomp) / sizeof(newer_than_libseccomp[0]); i++) {
		const char *name = newer_than_libseccomp[i];
		bool found = false;
		size_t j;

		for (j = 0; j < argtypes_test_count(); j++)
			if (strcmp(name, argtypes_test_name(j)) == 0)
				found = true;
		if (!found)
			fail_msg("\"%s\" is excused from the libseccomp check but not tabulated",
				 name);
	}
}

/* The names used above must themselves be real, or the facts prove nothing. */
static void test_fact_names_are_real(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(facts) / sizeof(facts[0]); i++) {
		const char *name = facts[i].name;

		if (strcmp(name, "nosuchcall") == 0 || name[0] == '\0' ||
		    strcmp(name, "IOCTL") == 0) {
			assert_false(libseccomp_knows(name));
			continue;
		}
		if (!libseccomp_knows(name))
			fail_msg("fact about unknown syscall \"%s\"", name);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sorted_and_unique),
		cmocka_unit_test(test_every_entry_is_useful_and_consistent),
		cmocka_unit_test(test_known_facts),
		cmocka_unit_test(test_null_name),
		cmocka_unit_test(test_libseccomp_knows_every_name),
		cmocka_unit_test(test_newer_names_are_tabulated),
		cmocka_unit_test(test_fact_names_are_real),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
