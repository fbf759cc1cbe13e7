// SPDX-License-Identifier: MIT
/*
 * fuzz_compile: the whole pipeline on one policy (compile_policy: parse,
 * resolve, libseccomp, the argument blocks, composition), for the native
 * architectures, with a fake u:/g: resolver and a fake file system for
 * @include, with --strict for inputs of odd length.
 *
 * Inputs are capped (FUZZ_MAX_INPUT bytes, FUZZ_MAX_LINES lines) so a large
 * valid policy cannot make one run slow: libseccomp's cost grows quickly
 * with the rule count, and big policies are the bad-input matrix's job.
 *
 * Beyond ASan/UBSan, every compiled policy:
 *  - has programs that pass bpf_check (as the launcher will check them),
 *    an allow program unless unrestricted, and the parser's mode;
 *  - serialises into a blob that blob_parse accepts and reads back as the
 *    same programs (what the compiler writes, the launcher can load);
 *  - agrees with the policy's meaning: for calls built from the rules' own
 *    values (and their neighbours, and with upper bits set), the verdict
 *    of the simulated program on the native and compat architectures is
 *    the referee's (tests/common/referee.h, which reads the text itself),
 *    as tests/helpers/sf-diffcheck checks on random policies.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "sysfence/compile/syscalls.h"
#include "sysfence/blob.h"
#include "sysfence/compile/compile.h"

#include "../common/referee.h"

#define FUZZ_MAX_INPUT (64u << 10)
#define FUZZ_MAX_LINES 200
/* Rules whose calls are checked against the referee, per input. */
#define FUZZ_ORACLE_RULES 24

static struct compile_opts opts;
static uint32_t native, compat; /* compat: 0 when the native arch has none */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	syscalls_init();
	native = syscalls_native_arch();
	opts.narches = syscalls_default_arches(opts.arches, BLOB_MAX_ARCHES);
	compat = opts.narches > 1 ? opts.arches[1] : 0;
	opts.strict = false;
	opts.resolver = &fuzz_resolver;
	opts.includer = &fuzz_includer;
	return 0;
}

static struct ref_policy ref;

static void check_call(const struct blob *b, uint32_t arch, const char *call, int nr,
		       const uint64_t *args, const uint8_t *data, size_t size)
{
	const struct ref_abi *ra = ref_abi(arch);
	struct seccomp_data d;
	enum ref_verdict want, got;

	if (!ra)
		return;
	want = referee_judge(&ref, opts.arches, opts.narches, arch, (uint32_t)nr, args);
	if (want == R_UNJUDGED)
		return;
	ref_seccomp_data(ra, (uint32_t)nr, args, &d);
	got = ref_of_action(blob_verdict(b, &d, NULL, NULL, NULL));
	if (want == got)
		return;
	fprintf(stderr,
		"fuzz_compile: arch %#x %s(%#llx, %#llx, %#llx, %#llx, %#llx, %#llx): "
		"the referee says %s, the program %s\n--- policy\n%.*s\n---\n",
		arch, call, (unsigned long long)args[0], (unsigned long long)args[1],
		(unsigned long long)args[2], (unsigned long long)args[3],
		(unsigned long long)args[4], (unsigned long long)args[5], ref_verdict_name(want),
		ref_verdict_name(got), (int)size, (const char *)data);
	FUZZ_ASSERT(!"compiled program disagrees with the policy");
}

/* Calls built from each rule's values: equal, one off, upper bits set. */
static void check_rule_calls(const struct blob *b, uint32_t arch, const struct policy_rule *r,
			     int nr, const uint8_t *data, size_t size)
{
	static const uint64_t high = UINT64_C(0xdeadbeef00000000);
	uint64_t base[6] = { 0 }, args[6];

	for (unsigned a = 0; a < r->nargs; a++)
		base[a] = r->args[a].value;
	check_call(b, arch, r->name, nr, base, data, size);
	for (unsigned a = 0; a < r->nargs; a++) {
		static const int64_t delta[] = { -1, 1 };

		for (size_t k = 0; k < 2; k++) {
			memcpy(args, base, sizeof(args));
			args[a] += (uint64_t)delta[k];
			check_call(b, arch, r->name, nr, args, data, size);
		}
		memcpy(args, base, sizeof(args));
		args[a] |= high;
		check_call(b, arch, r->name, nr, args, data, size);
		memcpy(args, base, sizeof(args));
		args[a] = ~args[a];
		check_call(b, arch, r->name, nr, args, data, size);
	}
}

static void check_meaning(const struct policy *p, const struct blob *b, const uint8_t *data,
			  size_t size)
{
	size_t checked = 0;

	for (size_t i = 0; i < p->count && checked < FUZZ_ORACLE_RULES; i++) {
		const struct policy_rule *r = &p->rules[i];
		int nr;

		/* clone3 has its own ENOSYS rule; a name without a number on
		 * an architecture is skipped there. */
		if (!strcmp(r->name, "clone3"))
			continue;
		checked++;
		nr = syscalls_nr(native, r->name);
		if (nr >= 0)
			check_rule_calls(b, native, r, nr, data, size);
		nr = compat ? syscalls_nr(compat, r->name) : -1;
		if (nr >= 0)
			check_rule_calls(b, compat, r, nr, data, size);
	}
}

static void check_blob(const struct blob *b, const uint8_t *data, size_t size)
{
	struct blob copy = *b, back;
	struct policy_sources s;
	struct diag_list d;
	struct policy pol;
	uint8_t *buf = NULL;
	size_t len = 0;
	char why[128];

	if (b->mode == SF_MODE_UNRESTRICTED) {
		FUZZ_ASSERT(!b->allow.len && !b->deny.len);
	} else {
		FUZZ_ASSERT(b->allow.len >= 1 && b->allow.len <= BPF_MAXINSNS);
		FUZZ_ASSERT(!bpf_check(b->allow.insns, b->allow.len, why, sizeof(why)));
		FUZZ_ASSERT(b->deny.len <= BPF_MAXINSNS);
		FUZZ_ASSERT(!b->deny.len ||
			    !bpf_check(b->deny.insns, b->deny.len, why, sizeof(why)));
	}

	/* What the compiler writes, the shared reader accepts, unchanged. */
	FUZZ_ASSERT(blob_serialize(&copy, &buf, &len) == BLOB_OK);
	FUZZ_ASSERT(blob_parse(buf, len, &back, why, sizeof(why)) == BLOB_OK);
	FUZZ_ASSERT(back.mode == b->mode && back.narches == b->narches);
	FUZZ_ASSERT(back.allow.len == b->allow.len && back.deny.len == b->deny.len);
	FUZZ_ASSERT(!b->allow.len || !memcmp(back.allow.insns, b->allow.insns,
					     b->allow.len * sizeof(struct sock_filter)));
	FUZZ_ASSERT(!b->deny.len || !memcmp(back.deny.insns, b->deny.insns,
					    b->deny.len * sizeof(struct sock_filter)));
	blob_free(&back);
	free(buf);

	diag_init(&d, 0);
	FUZZ_ASSERT(policy_sources_load("<policy>", (const char *)data, size, &fuzz_includer, &s,
					&d) == 0);
	FUZZ_ASSERT(policy_parse_sources(&s, &fuzz_resolver, NULL, 0, &pol, &d) == 0);
	FUZZ_ASSERT(pol.mode == b->mode);
	/* The referee resolves u:/g: through NSS, the fuzzer through its own. */
	if (b->mode != SF_MODE_UNRESTRICTED && !memmem(data, size, "u:", 2) &&
	    !memmem(data, size, "g:", 2) && ref_parse((const char *)data, size, &ref)) {
		check_meaning(&pol, b, data, size);
		ref_policy_free(&ref);
	}
	policy_free(&pol);
	policy_sources_free(&s);
	diag_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_list d;
	struct blob b;
	int rc;

	if (size > FUZZ_MAX_INPUT || fuzz_count_lines(data, size) > FUZZ_MAX_LINES)
		return 0;
	/* --strict on odd lengths: both modes, with no byte of the policy
	 * spent on choosing (the seeds stay plain policies). */
	opts.strict = size & 1;
	/*
	 * Few kept diagnostics: each unknown name kept costs a "did you mean"
	 * scan of every syscall table (3/4 of the time at 10), and the
	 * suggestions are not what this target is for.
	 */
	diag_init(&d, 3);
	rc = compile_policy((const char *)data, size, &opts, &b, &d);
	FUZZ_ASSERT(rc == 0 || rc == -1);
	FUZZ_ASSERT((rc == 0) == (d.errors == 0));
	if (rc == 0)
		check_blob(&b, data, size);
	else
		FUZZ_ASSERT(!b.allow.insns && !b.deny.insns);
	blob_free(&b);
	diag_free(&d);
	return 0;
}
