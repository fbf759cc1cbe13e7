// SPDX-License-Identifier: MIT
/*
 * Unit tests for the ABI model (src/compile/abi.c) and, through it, the
 * code generator on every architecture the compiler accepts:
 *  - the facts: offsets and byte order of seccomp_data.args, register
 *    widths, x32, the multiplexer tables (checked against libseccomp's own
 *    pseudo numbers), the 16-bit id calls;
 *  - what rules mean there (abi_lower), for the five classes of wrong
 *    decisions issue 9 found: conditional rules through socketcall/ipc,
 *    ipc's version bits, 16-bit ids, negative values on 32-bit ABIs, n32;
 *  - boundary probes of policies of those classes, on all 18 ABIs (the
 *    big-endian ones included), where the simulator running the compiled
 *    program must give the referee's verdict (tests/common/referee.h,
 *    which shares nothing with abi.c).
 */
#include <errno.h>
#include <linux/audit.h>
#include <seccomp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sysfence/compile/abi.h"
#include "sysfence/compile/compile.h"
#include "sysfence/compile/syscalls.h"
#include "sysfence/util.h"

#include "../common/referee.h"

#define X64 AUDIT_ARCH_X86_64
#define X86 AUDIT_ARCH_I386

static int setup(void **state)
{
	(void)state;
	syscalls_init();
	return 0;
}

/* ---- facts ---- */

static void test_offsets_and_layout(void **state)
{
	const uint64_t args[6] = { UINT64_C(0x1122334455667788), 2, 3, 4, 5, 6 };
	struct seccomp_data d;
	uint32_t w;

	(void)state;
	assert_int_equal(abi_arg_offset(abi_get(X64), 0, false), 16);
	assert_int_equal(abi_arg_offset(abi_get(X64), 0, true), 20);
	assert_int_equal(abi_arg_offset(abi_get(X64), 5, false), 56);
	assert_int_equal(abi_arg_offset(abi_get(AUDIT_ARCH_S390X), 0, false), 20);
	assert_int_equal(abi_arg_offset(abi_get(AUDIT_ARCH_S390X), 0, true), 16);
	assert_int_equal(abi_arg_offset(abi_get(AUDIT_ARCH_MIPS64N32), 1, false), 28);

	/* Big-endian: the high half first in memory. */
	abi_seccomp_data(abi_get(AUDIT_ARCH_S390X), 20, args, &d);
	memcpy(&w, (unsigned char *)&d + 16, 4);
	assert_int_equal(w, 0x11223344);
	memcpy(&w, (unsigned char *)&d + 20, 4);
	assert_int_equal(w, 0x55667788);
	assert_true(abi_seccomp_arg(abi_get(AUDIT_ARCH_S390X), &d, 0) == args[0]);
	/* A 32-bit ABI passes 32-bit registers; n32 passes 64-bit ones. */
	abi_seccomp_data(abi_get(X86), 20, args, &d);
	assert_true(abi_seccomp_arg(abi_get(X86), &d, 0) == 0x55667788);
	abi_seccomp_data(abi_get(AUDIT_ARCH_MIPSEL64N32), 6039, args, &d);
	assert_true(abi_seccomp_arg(abi_get(AUDIT_ARCH_MIPSEL64N32), &d, 0) == args[0]);
	assert_int_equal(abi_get(AUDIT_ARCH_MIPSEL64N32)->arg_bits, 32);
}

static void test_x32(void **state)
{
	const struct abi *a = abi_get(X64);

	(void)state;
	assert_false(abi_is_x32(a, 39));
	assert_true(abi_is_x32(a, 0x40000000u));
	assert_true(abi_is_x32(a, 0x40000000u | 39));
	assert_true(abi_is_x32(a, 0x7fffffffu));
	assert_false(abi_is_x32(a, 0x80000000u));
	assert_false(abi_is_x32(a, UINT32_MAX));
	assert_false(abi_is_x32(abi_get(X86), 0x40000027u));
}

/* The multiplexed calls and numbers agree with libseccomp's pseudo numbers. */
static void test_mux_tables(void **state)
{
	size_t count, checked = 0;
	const struct abi *all = abi_all(&count);

	(void)state;
	for (enum abi_mux m = ABI_MUX_SOCKETCALL; m <= ABI_MUX_IPC; m++) {
		for (uint32_t call = 0; call < 40; call++) {
			const char *name = abi_mux_call_name(m, call);
			uint32_t back;

			if (!name)
				continue;
			assert_int_equal(abi_mux_of(name, &back), m);
			assert_int_equal(back, call);
			/* libseccomp: -100 - SYS_x for socketcall, -200 - call for ipc */
			assert_int_equal(seccomp_syscall_resolve_name_arch(X86, name),
					 (m == ABI_MUX_SOCKETCALL ? -100 : -200) - (int)call);
			checked++;
		}
	}
	assert_int_equal(checked, 20 + 12);
	assert_int_equal(abi_mux_of("read", &(uint32_t){ 0 }), ABI_MUX_NONE);
	assert_int_equal(abi_mux_decode(ABI_MUX_IPC, 0x10017), 23);
	assert_int_equal(abi_mux_decode(ABI_MUX_IPC, UINT64_C(0x100000017)), 23);
	assert_int_equal(abi_mux_decode(ABI_MUX_SOCKETCALL, UINT64_C(0x100000001)), 1);
	assert_int_equal(abi_mux_decode(ABI_MUX_SOCKETCALL, 0x10001), 0x10001);
	/* Which ABIs have them: the kernel's tables (arm EABI has none). */
	for (size_t i = 0; i < count; i++) {
		const struct ref_abi *r = ref_abi(all[i].token);

		if (!r) {
			fail_msg("the referee does not know %s", all[i].name);
			return;
		}
		assert_int_equal(abi_mux_nr(&all[i], ABI_MUX_SOCKETCALL), r->socketcall);
		assert_int_equal(abi_mux_nr(&all[i], ABI_MUX_IPC), r->ipc);
		assert_int_equal(all[i].uid16, r->uid16);
		assert_int_equal(all[i].arg_bits, r->bits);
		assert_int_equal(all[i].reg_bits, r->regs);
		assert_int_equal(all[i].big_endian, r->big_endian);
	}
}

static void test_uid16_calls(void **state)
{
	(void)state;
	assert_int_equal(abi_uid16_args(abi_get(X86), "setuid"), 1);
	assert_int_equal(abi_uid16_args(abi_get(X86), "chown"), 6);
	assert_int_equal(abi_uid16_args(abi_get(X86), "setresgid"), 7);
	assert_int_equal(abi_uid16_args(abi_get(X86), "setuid32"), 0);
	assert_int_equal(abi_uid16_args(abi_get(AUDIT_ARCH_ARM), "setuid"), 1);
	assert_int_equal(abi_uid16_args(abi_get(AUDIT_ARCH_S390), "setuid"), 1);
	assert_int_equal(abi_uid16_args(abi_get(X64), "setuid"), 0);
	assert_int_equal(abi_uid16_args(abi_get(AUDIT_ARCH_PPC), "setuid"), 0);
}

/* ---- lowering ---- */

static enum abi_rule_kind lower(uint32_t arch, const char *text, struct abi_rule *out)
{
	struct policy pol;
	struct diag_list d;
	enum abi_rule_kind k;

	diag_init(&d, 4);
	assert_int_equal(policy_parse(text, strlen(text), NULL, &pol, &d), 0);
	assert_int_equal(pol.count, 1);
	k = abi_lower(abi_get(arch), &pol.rules[0], out);
	out->src = NULL;
	policy_free(&pol);
	diag_free(&d);
	return k;
}

static void test_lower_classes(void **state)
{
	struct abi_rule r;

	(void)state;
	/* 16-bit ids: only -1 has a 16-bit form. */
	assert_int_equal(lower(X86, "setuid 0xffff1234", &r), ABI_RULE_NEVER);
	assert_int_equal(lower(X64, "setuid 0xffff1234", &r), ABI_RULE_CONDS);
	assert_int_equal(lower(X86, "setuid -1", &r), ABI_RULE_CONDS);
	assert_int_equal(r.cond[0].lomask, 0xffff);
	assert_true(r.cond[0].lo[0] == 0xffff && r.cond[0].hi[0] == 0xffff);
	assert_int_equal(lower(X86, "setuid 0xffff", &r), ABI_RULE_NEVER);
	assert_int_equal(lower(X86, "setuid !0xffff1234", &r), ABI_RULE_ALWAYS);
	assert_int_equal(lower(X86, "setuid <=0xffffffff", &r), ABI_RULE_ALWAYS);
	assert_int_equal(lower(X86, "setuid >0xfffe", &r), ABI_RULE_CONDS);
	assert_true(r.cond[0].nranges == 1 && r.cond[0].lo[0] == 0xffff);
	/* Negative values: two's complement in the width the ABI passes. */
	assert_int_equal(lower(X86, "lseek - -1", &r), ABI_RULE_CONDS);
	assert_false(r.cond[0].wide);
	assert_true(r.cond[0].lo[0] == 0xffffffff);
	assert_int_equal(lower(X64, "lseek - -1", &r), ABI_RULE_CONDS);
	assert_true(r.cond[0].wide && r.cond[0].lo[0] == UINT64_MAX);
	assert_int_equal(lower(X86, "lseek - -0x100000000", &r), ABI_RULE_NEVER);
	assert_int_equal(lower(X86, "lseek - <-1", &r), ABI_RULE_CONDS);
	assert_true(r.cond[0].hi[0] == 0xfffffffe);
	/* n32: long is 32 bits, compared on the low half only. */
	assert_int_equal(lower(AUDIT_ARCH_MIPS64N32, "lseek - -1", &r), ABI_RULE_CONDS);
	assert_false(r.cond[0].wide);
	assert_int_equal(lower(AUDIT_ARCH_MIPS64N32, "ioctl - - 0x80000000", &r), ABI_RULE_CONDS);
	assert_false(r.cond[0].wide);
	assert_int_equal(lower(AUDIT_ARCH_MIPS64, "ioctl - - 0x80000000", &r), ABI_RULE_CONDS);
	assert_true(r.cond[0].wide);
	/* Values above 32 bits on a 32-bit ABI: decided at compile time. */
	assert_int_equal(lower(X86, "ioctl - - 0x100000000", &r), ABI_RULE_NEVER);
	assert_int_equal(lower(X86, "ioctl - - !0x100000000", &r), ABI_RULE_ALWAYS);
}

static void test_lower_multiplexed(void **state)
{
	const char *text = "socket AF_UNIX\nconnect\n~sendto - - - 1\nipc 1\n~shmget\n";
	struct policy pol;
	struct diag_list d;
	struct abi_rule out;
	const struct abi *x86 = abi_get(X86);

	(void)state;
	diag_init(&d, 4);
	assert_int_equal(policy_parse(text, strlen(text), NULL, &pol, &d), 0);
	/* A conditional allow implies nothing through the pointer. */
	assert_false(abi_lower_mux(x86, &pol.rules[0], ABI_MUX_SOCKETCALL, 1, &out));
	/* An unconditional one allows that call number. */
	assert_true(abi_lower_mux(x86, &pol.rules[1], ABI_MUX_SOCKETCALL, 3, &out));
	assert_false(out.deny);
	assert_true(out.via_mux && out.ncond == 1 && out.cond[0].lo[0] == 3);
	assert_int_equal(out.cond[0].lomask, UINT32_MAX);
	/* A denial denies it as a whole, whatever its conditions. */
	assert_true(abi_lower_mux(x86, &pol.rules[2], ABI_MUX_SOCKETCALL, 11, &out));
	assert_true(out.deny);
	assert_true(abi_lower_mux(x86, &pol.rules[4], ABI_MUX_IPC, 23, &out));
	assert_int_equal(out.cond[0].lomask, 0xffff); /* the version bits do not count */
	{
		struct abi_rule *list;
		long n = abi_rules_for(x86, &pol, 117, &list); /* ipc */
		const uint64_t shmget_v1[6] = { 0x10017 }, semop[6] = { 1 };
		bool deny = false, allow = false;

		assert_int_equal(n, 2); /* "ipc 1" and the one "~shmget" implies */
		for (long i = 0; i < n; i++) {
			if (abi_rule_holds(&list[i], shmget_v1))
				deny |= list[i].deny;
			if (abi_rule_holds(&list[i], semop))
				allow |= !list[i].deny;
		}
		assert_true(deny && allow);
		free(list);
	}
	policy_free(&pol);
	diag_free(&d);
}

/* ---- boundary probes on every ABI: simulator vs referee ---- */

static const char *const class_policies[] = {
	/* 1: the only socket/ipc rules are conditional */
	"socket AF_UNIX\nconnect - - 110\nsendto - - - 0\nsetsockopt - - 2\nshmget - - 0\n",
	/* 2: ipc version bits */
	"ipc\n~shmget\n",
	"ipc 23\nshmat\n~semget 5\n",
	/* 3: 16-bit ids */
	"setuid 0xffff1234\nsetuid32 0xffff1234\nfchown - 0x1234 -1\n",
	"setuid -1\nsetresuid -1 0xfffe >=1000\nfchown - |0x8000 !0xffff\nsetuid32 <0x10000\n",
	"fchown - 0x10000|0 -\nsetuid 0x80000000|0x80000000\n",
	/* 4: negative values on 64-bit-typed arguments */
	"lseek\n~lseek - -1\n",
	"lseek - <-1\nkill -1 !-2\nlseek 7 >=-2\n",
	"lseek - -0x80000000\nlseek - -0x80000001 2\nlseek 9 |-16\n",
	/* 5: n32 and friends, wide values */
	"ioctl - - 0x80000000\nioctl - - 0xffffffff80000000\nlseek - >0x7fffffff\n",
	"ioctl - !0x5412 !0x100000000\nsendto - - 0x100000001\nmknod - |0x1000\n",
	/* mixed, with @complain */
	"@complain\nsocket\n~connect - - 16\nipc\n~ipc 0x10017\nsetuid !0\n~kill - 9\n",
};

static const uint32_t all_arches[] = {
	X64,
	X86,
	AUDIT_ARCH_AARCH64,
	AUDIT_ARCH_ARM,
	0xc00000f3 /* riscv64 */,
	AUDIT_ARCH_PPC64LE,
	AUDIT_ARCH_PPC64,
	AUDIT_ARCH_PPC,
	AUDIT_ARCH_S390X,
	AUDIT_ARCH_S390,
	AUDIT_ARCH_MIPS,
	AUDIT_ARCH_MIPSEL,
	AUDIT_ARCH_MIPS64,
	AUDIT_ARCH_MIPSEL64,
	AUDIT_ARCH_MIPS64N32,
	AUDIT_ARCH_MIPSEL64N32,
	AUDIT_ARCH_PARISC,
	AUDIT_ARCH_PARISC64,
};

/* Values next to every constant of the policies, in 16, 32 and 64 bits. */
static size_t boundary_values(uint64_t *v, size_t max)
{
	static const uint64_t base[] = { 0,	     1,		 2,	     3,		 5,
					 9,	     11,	 14,	     16,	 23,
					 110,	     1000,	 0x1000,     0x1234,	 0x5412,
					 0x7fff,     0x8000,	 0xfffe,     0xffff,	 0x10000,
					 0x10017,    0x20017,	 0x7fffffff, 0x80000000, 0x80000001,
					 0xfffffffe, 0xffffffff, 0xffff1234 };
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(base) && n + 8 <= max; i++) {
		v[n++] = base[i];
		v[n++] = base[i] - 1;
		v[n++] = base[i] | UINT64_C(0xffffffff00000000);
		v[n++] = base[i] | UINT64_C(0x100000000);
		v[n++] = 0 - base[i];
		v[n++] = (uint32_t)(0 - base[i]);
	}
	return n;
}

static void probe_policy(const char *text, const uint32_t *arches, size_t narches,
			 unsigned long *checked)
{
	static const char *const calls[] = { "socket", "connect", "sendto",   "setsockopt",
					     "shmget", "shmat",	  "semget",   "socketcall",
					     "ipc",    "setuid",  "setuid32", "setresuid",
					     "fchown", "lseek",	  "kill",     "ioctl",
					     "mknod",  "getpid" };
	struct compile_opts o = { .narches = narches };
	struct ref_policy rp;
	struct diag_list d;
	struct blob b;
	uint64_t values[256];
	size_t nv = boundary_values(values, ARRAY_SIZE(values));

	memcpy(o.arches, arches, narches * sizeof(*arches));
	diag_init(&d, 8);
	if (compile_policy(text, strlen(text), &o, &b, &d))
		fail_msg("does not compile:\n%s", text);
	assert_true(ref_parse(text, strlen(text), &rp));
	for (size_t a = 0; a < narches; a++) {
		const struct ref_abi *ra = ref_abi(arches[a]);

		if (!ra) {
			fail_msg("the referee does not know 0x%x", arches[a]);
			return;
		}
		for (size_t c = 0; c < ARRAY_SIZE(calls); c++) {
			int nr = syscalls_nr(arches[a], calls[c]);

			if (nr < 0)
				continue;
			/* each argument over the values, the others at 0 */
			for (unsigned arg = 0; arg < 6; arg++) {
				for (size_t k = 0; k < nv; k++) {
					uint64_t args[6] = { 0 };
					struct seccomp_data sd;
					enum ref_verdict want, got;

					args[arg] = values[k];
					if (arg && !strcmp(calls[c], "fchown"))
						args[arg == 1 ? 2 : 1] = UINT64_MAX;
					want = referee_judge(&rp, o.arches, o.narches, arches[a],
							     (uint32_t)nr, args);
					ref_seccomp_data(ra, (uint32_t)nr, args, &sd);
					got = ref_of_action(
						blob_verdict(&b, &sd, NULL, NULL, NULL));
					(*checked)++;
					if (want != got)
						fail_msg(
							"%s on %s: %s(arg %u = 0x%llx): referee %s, "
							"simulator %s\npolicy:\n%s",
							calls[c], syscalls_arch_name(arches[a]),
							calls[c], arg,
							(unsigned long long)values[k],
							ref_verdict_name(want),
							ref_verdict_name(got), text);
				}
			}
		}
	}
	ref_policy_free(&rp);
	blob_free(&b);
	diag_free(&d);
}

static void test_boundaries_every_abi(void **state)
{
	unsigned long checked = 0;

	(void)state;
	for (size_t p = 0; p < ARRAY_SIZE(class_policies); p++) {
		/* at most BLOB_MAX_ARCHES per blob */
		for (size_t first = 0; first < ARRAY_SIZE(all_arches); first += BLOB_MAX_ARCHES) {
			size_t n = ARRAY_SIZE(all_arches) - first;

			probe_policy(class_policies[p], all_arches + first,
				     n < BLOB_MAX_ARCHES ? n : BLOB_MAX_ARCHES, &checked);
		}
	}
	print_message("    %lu calls: simulator == referee\n", checked);
	assert_true(checked > 100000);
}

/* The referee on its own, for the classes (so that it cannot drift). */
static void test_referee_says(void **state)
{
	const uint32_t arches[] = { X64, X86 };
	struct ref_policy p;
	const char *t1 = "socket AF_UNIX\nipc\n~shmget\nsetuid 0xffff1234\nlseek - <-1\n";
	uint64_t a[6] = { 1 };

	(void)state;
	assert_true(ref_parse(t1, strlen(t1), &p));
	assert_int_equal(referee_judge(&p, arches, 2, X86, 102, a), R_EPERM);
	assert_int_equal(referee_judge(&p, arches, 2, X86, 359, a), R_ALLOW);
	a[0] = 0x10017;
	assert_int_equal(referee_judge(&p, arches, 2, X86, 117, a), R_EACCES);
	a[0] = 0x1234;
	assert_int_equal(referee_judge(&p, arches, 2, X86, 23, a), R_EPERM);
	a[0] = 0xffff1234;
	assert_int_equal(referee_judge(&p, arches, 2, X64, 105, a), R_ALLOW);
	a[0] = 0;
	a[1] = UINT64_MAX;
	assert_int_equal(referee_judge(&p, arches, 2, X86, 19, a), R_EPERM);
	a[1] = UINT64_MAX - 1;
	assert_int_equal(referee_judge(&p, arches, 2, X86, 19, a), R_ALLOW);
	assert_int_equal(referee_judge(&p, arches, 2, X64, 0x40000027, a), R_KILL);
	assert_int_equal(referee_judge(&p, arches, 2, AUDIT_ARCH_ARM, 20, a), R_KILL);
	ref_policy_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offsets_and_layout),
		cmocka_unit_test(test_x32),
		cmocka_unit_test(test_mux_tables),
		cmocka_unit_test(test_uid16_calls),
		cmocka_unit_test(test_lower_classes),
		cmocka_unit_test(test_lower_multiplexed),
		cmocka_unit_test(test_boundaries_every_abi),
		cmocka_unit_test(test_referee_says),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
