// SPDX-License-Identifier: MIT
/*
 * sf-sim: the kernel-truth table's cases (tests/policies/kernel-cases.txt)
 * judged without the kernel, so the table checks the simulator and the
 * referee as well as the compiled program:
 *
 *   sf-sim [--i386] POLICY -- CASE...
 *   CASE = NAME[,ARG...] as for sf-run (a number for NAME: a raw syscall number)
 *   prints "CASE => SIM REFEREE", each one of ALLOW, EPERM, EACCES, ENOSYS,
 *   KILL (LOG counts as ALLOW: the call goes through); REFEREE is UNJUDGED
 *   for a call it has no prototype for, or a policy it does not read
 *   (@include, groups)
 *
 * POLICY is compiled for x86_64 and x86 as sysfence-compile does; the
 * simulator runs it on the call as the kernel of that ABI lays it out.
 */
#include <linux/audit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sysfence/compile/compile.h"
#include "sysfence/compile/fileio.h"
#include "sysfence/compile/syscalls.h"

#include "../common/referee.h"

static const char *klass(enum ref_verdict v)
{
	return ref_verdict_name(v == R_LOG ? R_ALLOW : v);
}

int main(int argc, char **argv)
{
	struct compile_opts o = { .arches = { AUDIT_ARCH_X86_64, AUDIT_ARCH_I386 }, .narches = 2 };
	uint32_t arch = AUDIT_ARCH_X86_64;
	const struct ref_abi *ra;
	struct ref_policy rp = { 0 };
	bool have_ref;
	struct diag_list d;
	struct blob b;
	char *src;
	size_t len;
	int i = 1;

	if (i < argc && !strcmp(argv[i], "--i386")) {
		arch = AUDIT_ARCH_I386;
		i++;
	}
	if (argc - i < 2 || strcmp(argv[i + 1], "--")) {
		fprintf(stderr, "usage: sf-sim [--i386] POLICY -- CASE...\n");
		return 2;
	}
	ra = ref_abi(arch);
	if (!ra)
		return 2;
	syscalls_init();
	if (file_read_all(argv[i], POLICY_MAX_SIZE, &src, &len)) {
		fprintf(stderr, "sf-sim: cannot read %s\n", argv[i]);
		return 2;
	}
	diag_init(&d, 10);
	if (compile_policy(src, len, &o, &b, &d)) {
		diag_print(stderr, &d, argv[i], src, len);
		return 2;
	}
	have_ref = ref_parse(src, len, &rp);
	for (i += 2; i < argc; i++) {
		char *copy = strdup(argv[i]), *save = NULL, *tok = strtok_r(copy, ",", &save);
		uint64_t args[6] = { 0 };
		struct seccomp_data sd;
		int64_t nr = tok ? syscalls_nr(arch, tok) : -1;
		int n = 0;
		char *end;

		if (nr < 0 && tok) {
			unsigned long long v = strtoull(tok, &end, 0);

			nr = *end || v > UINT32_MAX ? -1 : (int64_t)v;
		}
		if (nr < 0) {
			fprintf(stderr, "sf-sim: unknown syscall in case %s\n", argv[i]);
			return 2;
		}
		while ((tok = strtok_r(NULL, ",", &save)) && n < 6) {
			args[n++] =
				strcmp(tok, "self") ? strtoull(tok, NULL, 0) : (uint64_t)getpid();
		}
		ref_seccomp_data(ra, (uint32_t)nr, args, &sd);
		printf("%s => %s %s\n", argv[i],
		       klass(ref_of_action(blob_verdict(&b, &sd, NULL, NULL, NULL))),
		       have_ref ? klass(referee_judge(&rp, o.arches, o.narches, arch, (uint32_t)nr,
						      args))
				: "UNJUDGED");
		free(copy);
	}
	ref_policy_free(&rp);
	blob_free(&b);
	diag_free(&d);
	free(src);
	return 0;
}
