// SPDX-License-Identifier: MIT
/*
 * fuzz_blob: the blob reader and verifier both programs share
 * (blob_parse, bpf_check), and the simulator on what it accepts.
 *
 * Each input is parsed twice: as it is (the integrity digest almost never
 * matches, so this exercises the checks before it), and with the digest
 * recomputed over the input (so mutations reach the header fields and the
 * BPF checker, which a SHA-256 would otherwise hide from any fuzzer).
 *
 * On every blob accepted, beyond ASan/UBSan:
 *  - serialising it again gives the very same bytes (one canonical form:
 *    nothing in the file is ignored by the reader);
 *  - bpf_run on a set of seccomp_data values derived from the program
 *    always ends on one of the program's own RET instructions, within
 *    `len` steps (every jump is forward), never by falling off the end or
 *    reading outside seccomp_data;
 *  - the launcher's load-time rewrites (LOG -> ALLOW, KILL_PROCESS ->
 *    KILL_THREAD) keep the program valid.
 */
#include <linux/audit.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "sysfence/blob.h"
#include "sysfence/bpf.h"
#include "sysfence/digest.h"

/* Same offsets as src/common/blob.c; docs/blob-format.md. */
#define OFF_DIGEST 68

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

/* The interesting values a program compares against, plus edges. */
static size_t candidates(const struct bpf_prog *p, uint32_t *out, size_t max)
{
	static const uint32_t edges[] = { 0,	      1,	  59,	      435,
					  0x3fffffff, 0x40000000, 0x40000001, 0x7fffffff,
					  0x80000000, 0xfffffffe, 0xffffffff };
	size_t n = 0;

	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]) && n < max; i++)
		out[n++] = edges[i];
	for (uint32_t pc = 0; pc < p->len && n + 2 < max; pc++) {
		uint16_t cls = BPF_CLASS(p->insns[pc].code);

		if (cls == BPF_JMP && BPF_OP(p->insns[pc].code) != BPF_JA) {
			out[n++] = p->insns[pc].k;
			out[n++] = p->insns[pc].k + 1;
			out[n++] = p->insns[pc].k - 1;
		}
	}
	return n;
}

static void run_one(const struct bpf_prog *p, const struct seccomp_data *d)
{
	unsigned steps = 0;
	uint32_t ret = bpf_run(p->insns, p->len, d, &steps);

	FUZZ_ASSERT(steps >= 1 && steps <= p->len);
	/* The verdict is one of the program's own RETs, never the simulator's
	 * fall-back for a broken program. */
	FUZZ_ASSERT(bpf_returns(p->insns, p->len, ret));
}

static void simulate(const struct blob *b, const struct bpf_prog *p)
{
	uint32_t vals[96];
	size_t nvals;
	uint32_t arches[BLOB_MAX_ARCHES + 2];
	size_t narch = 0;
	unsigned runs = 0;

	if (!p->len)
		return;
	nvals = candidates(p, vals, sizeof(vals) / sizeof(vals[0]));
	for (uint32_t i = 0; i < b->narches; i++)
		arches[narch++] = b->arches[i];
	arches[narch++] = AUDIT_ARCH_X86_64;
	arches[narch++] = 0x12345678; /* an architecture nobody compiles for */

	/* Every candidate as the number and, for a few numbers, as each
	 * argument half: bounded, so a big program stays fast. */
	for (size_t a = 0; a < narch; a++) {
		for (size_t v = 0; v < nvals && runs < 2000; v++, runs++) {
			struct seccomp_data d = { .nr = (int)vals[v], .arch = arches[a] };

			d.instruction_pointer = vals[(v * 7) % nvals];
			for (int i = 0; i < 6; i++)
				d.args[i] = (uint64_t)vals[(v + (size_t)i + 1) % nvals] << 32 |
					    vals[(v + (size_t)i) % nvals];
			run_one(p, &d);
		}
	}
}

static void check_accepted(const struct blob *b, const uint8_t *buf, size_t len)
{
	struct blob copy;
	uint8_t *again = NULL;
	size_t againlen = 0;
	char why[128];

	FUZZ_ASSERT(b->narches <= BLOB_MAX_ARCHES);
	FUZZ_ASSERT(b->allow.len <= BPF_MAXINSNS && b->deny.len <= BPF_MAXINSNS);
	FUZZ_ASSERT(memchr(b->libseccomp_version, 0, BLOB_STRING_LEN));
	FUZZ_ASSERT(memchr(b->compiler_version, 0, BLOB_STRING_LEN));
	if (b->mode == SF_MODE_UNRESTRICTED)
		FUZZ_ASSERT(!b->allow.len && !b->deny.len);
	else
		FUZZ_ASSERT(b->allow.len && b->narches);
	for (uint32_t i = 0; i < b->narches; i++)
		FUZZ_ASSERT(blob_has_arch(b, b->arches[i]));
	/* Every binding an absolute path the launcher may compare. */
	FUZZ_ASSERT(b->nbindings <= BLOB_MAX_BINDINGS);
	FUZZ_ASSERT(b->mode != SF_MODE_UNRESTRICTED || !b->nbindings);
	for (uint32_t i = 0; i < b->nbindings; i++) {
		const char *p = blob_binding(b, i);

		FUZZ_ASSERT(blob_binding_valid(p, strlen(p)));
	}

	/* One canonical form: what was accepted serialises to the same bytes. */
	copy = *b;
	FUZZ_ASSERT(blob_serialize(&copy, &again, &againlen) == BLOB_OK);
	FUZZ_ASSERT(againlen == len && !memcmp(again, buf, len));
	free(again);

	simulate(b, &b->deny);
	simulate(b, &b->allow);

	/* What the launcher does on an older kernel must keep it valid. */
	for (int which = 0; which < 2; which++) {
		const struct bpf_prog *p = which ? &b->allow : &b->deny;
		struct sock_filter *insns;

		if (!p->len)
			continue;
		insns = malloc(p->len * sizeof(*insns));
		FUZZ_ASSERT(insns);
		memcpy(insns, p->insns, p->len * sizeof(*insns));
		bpf_rewrite_ret(insns, p->len, SECCOMP_RET_LOG, SECCOMP_RET_ALLOW);
		bpf_rewrite_ret(insns, p->len, SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_KILL_THREAD);
		FUZZ_ASSERT(!bpf_check(insns, p->len, why, sizeof(why)));
		FUZZ_ASSERT(!bpf_returns(insns, p->len, SECCOMP_RET_LOG));
		free(insns);
	}
}

static void parse(const uint8_t *buf, size_t len)
{
	struct blob b;
	char why[128];
	int rc;

	memset(why, 'x', sizeof(why));
	rc = blob_parse(buf, len, &b, why, sizeof(why));
	/* Every code the parser returns is one blob_strerror() names. */
	FUZZ_ASSERT(rc >= BLOB_OK);
	FUZZ_ASSERT(strcmp(blob_strerror(rc), "unknown error") != 0);
	/* why is always a terminated string, set only for program errors. */
	FUZZ_ASSERT(memchr(why, 0, sizeof(why)));
	if (rc != BLOB_ERR_PROGRAM)
		FUZZ_ASSERT(why[0] == '\0');
	if (rc == BLOB_OK) {
		check_accepted(&b, buf, len);
	} else {
		/* A failed parse owns nothing. */
		FUZZ_ASSERT(!b.allow.insns && !b.deny.insns);
	}
	blob_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *fixed;

	parse(data, size);
	if (size < OFF_DIGEST + DIGEST_SIZE || size > BLOB_MAX_SIZE)
		return 0;
	/* The same bytes with a valid integrity digest. */
	fixed = malloc(size);
	FUZZ_ASSERT(fixed);
	memcpy(fixed, data, size);
	{
		static const uint8_t zero[DIGEST_SIZE];
		struct digest_ctx c;

		digest_init(&c);
		digest_update(&c, fixed, OFF_DIGEST);
		digest_update(&c, zero, DIGEST_SIZE);
		digest_update(&c, fixed + OFF_DIGEST + DIGEST_SIZE,
			      size - OFF_DIGEST - DIGEST_SIZE);
		digest_final(&c, fixed + OFF_DIGEST);
	}
	parse(fixed, size);
	free(fixed);
	return 0;
}
