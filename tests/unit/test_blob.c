// SPDX-License-Identifier: MIT
/*
 * Unit tests for src/common/blob.c, the one reader and writer of compiled
 * profiles: a round trip, the exact little-endian layout of
 * docs/blob-format.md, and every way blob_parse refuses a file (each enum
 * blob_error), including the checks that run only after the integrity digest
 * matched (the test recomputes the digest to reach them).
 */
#include <errno.h>
#include <linux/audit.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sysfence/blob.h"
#include "sysfence/digest.h"
#include "sysfence/util.h"

#define LD(k) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, k)
#define JEQ(k, t, f) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, k, t, f)
#define JA(k) BPF_STMT(BPF_JMP | BPF_JA, k)
#define RET(k) BPF_STMT(BPF_RET | BPF_K, k)

/* Field offsets, from docs/blob-format.md (not from blob.c). */
enum {
	OFF_VERSION = 8,
	OFF_HEADER_SIZE = 12,
	OFF_MODE = 16,
	OFF_FLAGS = 20,
	OFF_NARCHES = 24,
	OFF_ARCHES = 28,
	OFF_DENY_LEN = 60,
	OFF_ALLOW_LEN = 64,
	OFF_DIGEST = 68,
	OFF_SOURCE_DIGEST = 100,
	OFF_LIBSECCOMP = 132,
	OFF_COMPILER = 148,
	OFF_NBINDINGS = 164,
	OFF_BINDINGS_SIZE = 168,
	OFF_RESERVED = 172,
};

static const struct sock_filter deny_prog[] = {
	LD(BPF_OFF_ARCH),
	JEQ(AUDIT_ARCH_X86_64, 1, 0),
	RET(SECCOMP_RET_KILL_PROCESS),
	LD(BPF_OFF_NR),
	JEQ(102, 0, 1),
	RET(SECCOMP_RET_ERRNO | EACCES),
	RET(SECCOMP_RET_ALLOW),
};

static const struct sock_filter allow_prog[] = {
	LD(BPF_OFF_ARCH),
	JEQ(AUDIT_ARCH_X86_64, 1, 0),
	RET(SECCOMP_RET_KILL_PROCESS),
	LD(BPF_OFF_NR),
	JEQ(39, 0, 1),
	RET(SECCOMP_RET_ALLOW),
	RET(SECCOMP_RET_ERRNO | EPERM),
};

#define NDENY ARRAY_SIZE(deny_prog)
#define NALLOW ARRAY_SIZE(allow_prog)
#define GOOD_SIZE (BLOB_HEADER_SIZE + (NDENY + NALLOW) * BLOB_INSN_SIZE)

static struct sock_filter *copy_prog(const struct sock_filter *p, size_t n)
{
	struct sock_filter *c = malloc(n * sizeof(*c) + 1);

	assert_non_null(c);
	memcpy(c, p, n * sizeof(*c));
	return c;
}

/* A blob struct with both sample programs (the caller frees with blob_free). */
static void sample_blob(struct blob *b, enum sf_mode mode)
{
	memset(b, 0, sizeof(*b));
	b->mode = mode;
	b->narches = 2;
	b->arches[0] = AUDIT_ARCH_X86_64;
	b->arches[1] = AUDIT_ARCH_I386;
	if (mode != SF_MODE_UNRESTRICTED) {
		b->deny = (struct bpf_prog){ copy_prog(deny_prog, NDENY), NDENY };
		b->allow = (struct bpf_prog){ copy_prog(allow_prog, NALLOW), NALLOW };
	}
	for (size_t i = 0; i < DIGEST_SIZE; i++)
		b->source_digest[i] = (uint8_t)(0xa0 + i);
	strcpy(b->libseccomp_version, "2.5.4");
	strcpy(b->compiler_version, "0.1.0");
}

/* Serialized bytes of the sample (malloc'ed). */
static uint8_t *sample_bytes(enum sf_mode mode, size_t *len)
{
	struct blob b;
	uint8_t *buf;

	sample_blob(&b, mode);
	assert_int_equal(blob_serialize(&b, &buf, len), BLOB_OK);
	blob_free(&b);
	return buf;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Recomputes the integrity digest after an edit, as a forger would. */
static void refresh_digest(uint8_t *buf, size_t len)
{
	uint8_t d[DIGEST_SIZE];

	memset(buf + OFF_DIGEST, 0, DIGEST_SIZE);
	digest_buffer(buf, len, d);
	memcpy(buf + OFF_DIGEST, d, DIGEST_SIZE);
}

static int parse(const uint8_t *buf, size_t len, char *why, size_t whylen)
{
	struct blob b;
	int rc = blob_parse(buf, len, &b, why, whylen);

	if (rc != BLOB_OK) {
		/* A refused blob owns nothing. */
		assert_null(b.deny.insns);
		assert_null(b.allow.insns);
	}
	blob_free(&b);
	return rc;
}

static void expect_rc(const uint8_t *buf, size_t len, int want, const char *what)
{
	int rc = parse(buf, len, NULL, 0);

	if (rc != want)
		fail_msg("%s: blob_parse gave %d (%s), wanted %d (%s)", what, rc, blob_strerror(rc),
			 want, blob_strerror(want));
}

static void test_round_trip(void **state)
{
	struct blob in, out;
	uint8_t *buf;
	size_t len;
	char why[64] = "untouched";

	(void)state;
	sample_blob(&in, SF_MODE_ENFORCE);
	assert_int_equal(blob_serialize(&in, &buf, &len), BLOB_OK);
	assert_int_equal(len, GOOD_SIZE);
	assert_int_equal(blob_parse(buf, len, &out, why, sizeof(why)), BLOB_OK);
	assert_string_equal(why, "");
	assert_int_equal(out.mode, SF_MODE_ENFORCE);
	assert_int_equal(out.narches, 2);
	assert_int_equal(out.arches[0], AUDIT_ARCH_X86_64);
	assert_int_equal(out.arches[1], AUDIT_ARCH_I386);
	for (size_t i = 2; i < BLOB_MAX_ARCHES; i++)
		assert_int_equal(out.arches[i], 0);
	assert_true(blob_has_arch(&out, AUDIT_ARCH_I386));
	assert_false(blob_has_arch(&out, AUDIT_ARCH_AARCH64));
	assert_int_equal(out.deny.len, NDENY);
	assert_int_equal(out.allow.len, NALLOW);
	assert_memory_equal(out.deny.insns, deny_prog, sizeof(deny_prog));
	assert_memory_equal(out.allow.insns, allow_prog, sizeof(allow_prog));
	assert_memory_equal(out.source_digest, in.source_digest, DIGEST_SIZE);
	/* serialize filled in the integrity digest, and parse reports it. */
	assert_memory_equal(out.digest, in.digest, DIGEST_SIZE);
	assert_memory_equal(out.digest, buf + OFF_DIGEST, DIGEST_SIZE);
	assert_string_equal(out.libseccomp_version, "2.5.4");
	assert_string_equal(out.compiler_version, "0.1.0");
	blob_free(&out);
	assert_null(out.allow.insns);
	assert_int_equal(out.allow.len, 0);
	blob_free(&out); /* twice is harmless */
	blob_free(&in);
	free(buf);
}

static void test_round_trip_modes(void **state)
{
	uint8_t *buf;
	size_t len;
	struct blob b, out;

	(void)state;
	buf = sample_bytes(SF_MODE_COMPLAIN, &len);
	assert_int_equal(blob_parse(buf, len, &out, NULL, 0), BLOB_OK);
	assert_int_equal(out.mode, SF_MODE_COMPLAIN);
	blob_free(&out);
	free(buf);

	/* Unrestricted: no program, and no architecture needed. */
	sample_blob(&b, SF_MODE_UNRESTRICTED);
	b.narches = 0;
	b.arches[0] = b.arches[1] = 0;
	assert_int_equal(blob_serialize(&b, &buf, &len), BLOB_OK);
	assert_int_equal(len, BLOB_HEADER_SIZE);
	assert_int_equal(blob_parse(buf, len, &out, NULL, 0), BLOB_OK);
	assert_int_equal(out.mode, SF_MODE_UNRESTRICTED);
	assert_int_equal(out.allow.len + out.deny.len, 0);
	assert_null(out.allow.insns);
	blob_free(&out);
	free(buf);

	/* No deny program: the common case. */
	sample_blob(&b, SF_MODE_ENFORCE);
	free(b.deny.insns);
	b.deny = (struct bpf_prog){ NULL, 0 };
	assert_int_equal(blob_serialize(&b, &buf, &len), BLOB_OK);
	assert_int_equal(blob_parse(buf, len, &out, NULL, 0), BLOB_OK);
	assert_int_equal(out.deny.len, 0);
	assert_null(out.deny.insns);
	assert_int_equal(out.allow.len, NALLOW);
	blob_free(&out);
	blob_free(&b);
	free(buf);
}

static void test_layout_is_little_endian(void **state)
{
	size_t len;
	uint8_t *buf = sample_bytes(SF_MODE_COMPLAIN, &len);
	const uint8_t *insn;

	(void)state;
	assert_memory_equal(buf, "SYSFENCE", 8);
	assert_memory_equal(buf + OFF_VERSION, "\x02\0\0\0", 4);
	assert_memory_equal(buf + OFF_HEADER_SIZE, "\xc0\0\0\0", 4);
	assert_memory_equal(buf + OFF_MODE, "\x01\0\0\0", 4);
	assert_int_equal(get32(buf + OFF_FLAGS), 0);
	assert_int_equal(get32(buf + OFF_NARCHES), 2);
	assert_memory_equal(buf + OFF_ARCHES, "\x3e\0\0\xc0", 4); /* AUDIT_ARCH_X86_64 */
	assert_int_equal(get32(buf + OFF_ARCHES + 4), AUDIT_ARCH_I386);
	for (int i = 2; i < 8; i++)
		assert_int_equal(get32(buf + OFF_ARCHES + 4 * i), 0);
	assert_int_equal(get32(buf + OFF_DENY_LEN), NDENY);
	assert_int_equal(get32(buf + OFF_ALLOW_LEN), NALLOW);
	assert_int_equal(buf[OFF_SOURCE_DIGEST], 0xa0);
	assert_int_equal(buf[OFF_SOURCE_DIGEST + 31], 0xa0 + 31);
	assert_memory_equal(buf + OFF_LIBSECCOMP, "2.5.4\0\0\0\0\0\0\0\0\0\0\0", 16);
	assert_memory_equal(buf + OFF_COMPILER, "0.1.0\0\0\0\0\0\0\0\0\0\0\0", 16);
	for (size_t i = OFF_RESERVED; i < BLOB_HEADER_SIZE; i++)
		assert_int_equal(buf[i], 0);
	/* Deny program first; each instruction u16 code, u8 jt, u8 jf, u32 k. */
	insn = buf + BLOB_HEADER_SIZE + BLOB_INSN_SIZE; /* deny_prog[1] */
	assert_memory_equal(insn, "\x15\x00\x01\x00\x3e\x00\x00\xc0", 8);
	insn = buf + BLOB_HEADER_SIZE + (NDENY + NALLOW - 1) * BLOB_INSN_SIZE;
	assert_memory_equal(insn, "\x06\x00\x00\x00\x01\x00\x05\x00", 8); /* ERRNO(EPERM) */
	/* The digest covers the file with its own field zeroed. */
	{
		uint8_t copy[GOOD_SIZE], d[DIGEST_SIZE];

		memcpy(copy, buf, len);
		memset(copy + OFF_DIGEST, 0, DIGEST_SIZE);
		digest_buffer(copy, len, d);
		assert_memory_equal(d, buf + OFF_DIGEST, DIGEST_SIZE);
	}
	free(buf);
}

static void test_serialize_is_deterministic(void **state)
{
	size_t l1, l2;
	uint8_t *a = sample_bytes(SF_MODE_ENFORCE, &l1), *b = sample_bytes(SF_MODE_ENFORCE, &l2);

	(void)state;
	assert_int_equal(l1, l2);
	assert_memory_equal(a, b, l1);
	free(a);
	free(b);
}

static void test_serialize_refuses(void **state)
{
	struct blob b;
	uint8_t *buf = (uint8_t *)&b;
	size_t len = 1;

	(void)state;
	sample_blob(&b, SF_MODE_ENFORCE);
	b.narches = BLOB_MAX_ARCHES + 1;
	assert_int_equal(blob_serialize(&b, &buf, &len), BLOB_ERR_HEADER);
	assert_null(buf);
	assert_int_equal(len, 0);
	b.narches = 2;
	b.allow.len = BPF_MAXINSNS + 1; /* never read: refused first */
	assert_int_equal(blob_serialize(&b, &buf, &len), BLOB_ERR_TOO_BIG);
	b.allow.len = NALLOW;
	b.deny.len = BPF_MAXINSNS + 1;
	assert_int_equal(blob_serialize(&b, &buf, &len), BLOB_ERR_TOO_BIG);
	b.deny.len = NDENY;
	blob_free(&b);
}

static void test_serialize_cuts_long_strings(void **state)
{
	struct blob b, out;
	uint8_t *buf;
	size_t len;

	(void)state;
	sample_blob(&b, SF_MODE_ENFORCE);
	memset(b.libseccomp_version, '9', BLOB_STRING_LEN); /* no NUL at all */
	assert_int_equal(blob_serialize(&b, &buf, &len), BLOB_OK);
	assert_int_equal(blob_parse(buf, len, &out, NULL, 0), BLOB_OK);
	assert_string_equal(out.libseccomp_version, "999999999999999");
	blob_free(&out);
	blob_free(&b);
	free(buf);
}

static void test_largest_blob(void **state)
{
	struct blob b, out;
	struct sock_filter *p = calloc(BPF_MAXINSNS, sizeof(*p));
	uint8_t *buf;
	size_t len;

	(void)state;
	assert_non_null(p);
	p[0] = (struct sock_filter)LD(BPF_OFF_ARCH);
	for (size_t i = 1; i < BPF_MAXINSNS; i++)
		p[i] = (struct sock_filter)RET(SECCOMP_RET_ALLOW);
	sample_blob(&b, SF_MODE_ENFORCE);
	blob_free(&b);
	b.deny = (struct bpf_prog){ copy_prog(p, BPF_MAXINSNS), BPF_MAXINSNS };
	b.allow = (struct bpf_prog){ p, BPF_MAXINSNS };
	/* Four bindings of the longest path fill the bindings section. */
	for (int i = 0; i < 4; i++) {
		char path[BLOB_BINDING_MAX];

		memset(path, 'a' + i, sizeof(path) - 1);
		path[0] = '/';
		path[sizeof(path) - 1] = '\0';
		assert_int_equal(blob_add_binding(&b, path), BLOB_OK);
	}
	assert_int_equal(b.binding_size, BLOB_BINDINGS_MAX_SIZE);
	assert_int_equal(blob_add_binding(&b, "/x"), BLOB_ERR_BINDING);
	assert_int_equal(blob_serialize(&b, &buf, &len), BLOB_OK);
	assert_int_equal(len, BLOB_MAX_SIZE);
	assert_int_equal(len, 65728 + 16384);
	assert_int_equal(blob_parse(buf, len, &out, NULL, 0), BLOB_OK);
	assert_int_equal(out.allow.len, BPF_MAXINSNS);
	assert_int_equal(out.nbindings, 4);
	assert_int_equal(strlen(blob_binding(&out, 3)), BLOB_BINDING_MAX - 1);
	blob_free(&out);
	blob_free(&b);
	free(buf);
}

static void test_truncated(void **state)
{
	size_t len;
	uint8_t *buf = sample_bytes(SF_MODE_ENFORCE, &len);
	static const size_t cuts[] = { 0, 1, 8, 12, 67, 100, 191 };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cuts); i++) {
		char what[32];

		snprintf(what, sizeof(what), "first %zu bytes", cuts[i]);
		expect_rc(buf, cuts[i], BLOB_ERR_TRUNCATED, what);
	}
	expect_rc(buf, BLOB_HEADER_SIZE, BLOB_ERR_TRUNCATED, "header only");
	expect_rc(buf, BLOB_HEADER_SIZE + 1, BLOB_ERR_TRUNCATED, "header and one byte");
	expect_rc(buf, BLOB_HEADER_SIZE + NDENY * BLOB_INSN_SIZE, BLOB_ERR_TRUNCATED,
		  "deny program only");
	expect_rc(buf, len - BLOB_INSN_SIZE, BLOB_ERR_TRUNCATED, "last instruction missing");
	expect_rc(buf, len - 1, BLOB_ERR_TRUNCATED, "last byte missing");
	expect_rc(buf, len, BLOB_OK, "whole");
	free(buf);
}

static void test_oversized(void **state)
{
	size_t len;
	uint8_t *buf = sample_bytes(SF_MODE_ENFORCE, &len);
	uint8_t *big = calloc(1, BLOB_MAX_SIZE + 9);

	(void)state;
	assert_non_null(big);
	memcpy(big, buf, len);
	expect_rc(big, BLOB_MAX_SIZE + 1, BLOB_ERR_TOO_BIG, "one byte over the largest file");
	expect_rc(big, BLOB_MAX_SIZE + 8, BLOB_ERR_TOO_BIG, "one instruction over");
	expect_rc(big, (size_t)-1, BLOB_ERR_TOO_BIG, "SIZE_MAX (never read)");
	/* Program lengths over BPF_MAXINSNS are refused before any arithmetic. */
	static const struct {
		unsigned off;
		uint32_t v;
	} lens[] = {
		{ OFF_DENY_LEN, BPF_MAXINSNS + 1 }, { OFF_ALLOW_LEN, BPF_MAXINSNS + 1 },
		{ OFF_DENY_LEN, 0xffffffff },	    { OFF_ALLOW_LEN, 0xffffffff },
		{ OFF_DENY_LEN, 0x20000000 }, /* 8 * n wraps a u32 */
		{ OFF_ALLOW_LEN, 0x80000000 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(lens); i++) {
		uint8_t copy[GOOD_SIZE];

		memcpy(copy, buf, len);
		put32(copy + lens[i].off, lens[i].v);
		expect_rc(copy, len, BLOB_ERR_TOO_BIG, "program length over BPF_MAXINSNS");
	}
	free(big);
	free(buf);
}

static void test_bad_magic_and_version(void **state)
{
	size_t len;
	uint8_t *buf = sample_bytes(SF_MODE_ENFORCE, &len);
	uint8_t copy[GOOD_SIZE];

	(void)state;
	for (size_t i = 0; i < BLOB_MAGIC_LEN; i++) {
		memcpy(copy, buf, len);
		copy[i] ^= 0x20;
		refresh_digest(copy, len);
		expect_rc(copy, len, BLOB_ERR_MAGIC, "magic byte changed");
	}
	memset(copy, 0, len);
	expect_rc(copy, len, BLOB_ERR_MAGIC, "all zero");

	static const uint32_t versions[] = { 0, 1, 3, 0x200, 0x02000000, 0xffffffff };
	for (size_t i = 0; i < ARRAY_SIZE(versions); i++) {
		memcpy(copy, buf, len);
		put32(copy + OFF_VERSION, versions[i]);
		refresh_digest(copy, len);
		expect_rc(copy, len, BLOB_ERR_VERSION, "another format version");
	}
	free(buf);
}

static void test_bad_fixed_header_fields(void **state)
{
	size_t len;
	uint8_t *buf = sample_bytes(SF_MODE_ENFORCE, &len);
	uint8_t copy[GOOD_SIZE];

	(void)state;
	static const uint32_t sizes[] = { 0, 191, 193, 256 };
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		memcpy(copy, buf, len);
		put32(copy + OFF_HEADER_SIZE, sizes[i]);
		refresh_digest(copy, len);
		expect_rc(copy, len, BLOB_ERR_HEADER, "header size");
	}
	static const uint32_t flags[] = { 1, 2, 0x100, 0x80000000 };
	for (size_t i = 0; i < ARRAY_SIZE(flags); i++) {
		memcpy(copy, buf, len);
		put32(copy + OFF_FLAGS, flags[i]);
		refresh_digest(copy, len);
		expect_rc(copy, len, BLOB_ERR_HEADER, "nonzero flags");
	}
	for (size_t off = OFF_RESERVED; off < BLOB_HEADER_SIZE; off++) {
		memcpy(copy, buf, len);
		copy[off] = 1;
		refresh_digest(copy, len);
		expect_rc(copy, len, BLOB_ERR_HEADER, "a reserved byte set");
		/* Without the refreshed digest it is refused as well. */
		copy[off] = 0x80;
		expect_rc(copy, len, BLOB_ERR_HEADER, "a reserved byte set, stale digest");
	}
	free(buf);
}

static void test_size_mismatch(void **state)
{
	size_t len;
	uint8_t *buf = sample_bytes(SF_MODE_ENFORCE, &len);
	uint8_t copy[GOOD_SIZE + 16] = { 0 };

	(void)state;
	memcpy(copy, buf, len);
	expect_rc(copy, len + 1, BLOB_ERR_SIZE, "one trailing byte");
	expect_rc(copy, len + 8, BLOB_ERR_SIZE, "one trailing instruction");
	refresh_digest(copy, len + 8);
	expect_rc(copy, len + 8, BLOB_ERR_SIZE, "trailing instruction, digest over it");
	/* Lengths that claim fewer instructions than the file has. */
	memcpy(copy, buf, len);
	put32(copy + OFF_ALLOW_LEN, NALLOW - 1);
	refresh_digest(copy, len);
	expect_rc(copy, len, BLOB_ERR_SIZE, "allow length one short");
	memcpy(copy, buf, len);
	put32(copy + OFF_DENY_LEN, 0);
	expect_rc(copy, len, BLOB_ERR_SIZE, "deny length zero");
	free(buf);
}

static void test_digest_mismatch(void **state)
{
	size_t len;
	uint8_t *buf = sample_bytes(SF_MODE_ENFORCE, &len);
	uint8_t copy[GOOD_SIZE];
	/* Every byte the integrity digest covers, one bit at a time. */
	static const size_t offs[] = {
		OFF_MODE,
		OFF_NARCHES,
		OFF_ARCHES + 1,
		OFF_ARCHES + 31,
		OFF_DIGEST,
		OFF_DIGEST + 31,
		OFF_SOURCE_DIGEST,
		OFF_SOURCE_DIGEST + 31,
		OFF_LIBSECCOMP,
		OFF_COMPILER + 2,
		OFF_COMPILER + 15,
		BLOB_HEADER_SIZE,			  /* deny program, code */
		BLOB_HEADER_SIZE + 2,			  /* jt */
		BLOB_HEADER_SIZE + NDENY * 8 - 1,	  /* last deny byte */
		BLOB_HEADER_SIZE + NDENY * 8,		  /* first allow byte */
		BLOB_HEADER_SIZE + NDENY * 8 + 4 * 8 + 4, /* allow program, a k */
		GOOD_SIZE - 1,				  /* the very last byte */
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(offs); i++) {
		for (int bit = 0; bit < 8; bit++) {
			char what[64];

			memcpy(copy, buf, len);
			copy[offs[i]] ^= (uint8_t)(1u << bit);
			snprintf(what, sizeof(what), "bit %d of byte %zu flipped", bit, offs[i]);
			expect_rc(copy, len, BLOB_ERR_DIGEST, what);
		}
	}
	free(buf);
}

/* Edits a field after the digest check and re-signs: the field checks. */
static void expect_header_edit(const uint8_t *buf, size_t len, unsigned off, uint32_t v, int want,
			       const char *what)
{
	uint8_t copy[GOOD_SIZE];

	memcpy(copy, buf, len);
	put32(copy + off, v);
	refresh_digest(copy, len);
	expect_rc(copy, len, want, what);
}

static void test_bad_fields_behind_digest(void **state)
{
	size_t len;
	uint8_t *buf = sample_bytes(SF_MODE_ENFORCE, &len);

	(void)state;
	expect_header_edit(buf, len, OFF_MODE, 3, BLOB_ERR_HEADER, "mode 3");
	expect_header_edit(buf, len, OFF_MODE, 0xffffffff, BLOB_ERR_HEADER, "mode -1");
	expect_header_edit(buf, len, OFF_MODE, SF_MODE_UNRESTRICTED, BLOB_ERR_HEADER,
			   "unrestricted with programs");
	expect_header_edit(buf, len, OFF_MODE, SF_MODE_COMPLAIN, BLOB_OK, "complain is fine");
	expect_header_edit(buf, len, OFF_NARCHES, 9, BLOB_ERR_HEADER, "9 arches");
	expect_header_edit(buf, len, OFF_NARCHES, 0xffffffff, BLOB_ERR_HEADER, "2^32-1 arches");
	expect_header_edit(buf, len, OFF_NARCHES, 0, BLOB_ERR_HEADER, "no arch, enforce");
	expect_header_edit(buf, len, OFF_NARCHES, 1, BLOB_ERR_HEADER, "count 1, two slots used");
	expect_header_edit(buf, len, OFF_NARCHES, 3, BLOB_ERR_HEADER, "count 3, two slots used");
	expect_header_edit(buf, len, OFF_ARCHES + 4, 0, BLOB_ERR_HEADER, "used slot zero");
	expect_header_edit(buf, len, OFF_ARCHES + 28, AUDIT_ARCH_ARM, BLOB_ERR_HEADER,
			   "unused slot 7 set");
	expect_header_edit(buf, len, OFF_ARCHES + 8, AUDIT_ARCH_ARM, BLOB_ERR_HEADER,
			   "unused slot 2 set");

	/* Each check on its own: every slot consistent with the count. */
	{
		uint8_t copy[GOOD_SIZE];

		memcpy(copy, buf, len);
		for (int i = 0; i < 8; i++)
			put32(copy + OFF_ARCHES + 4 * i, AUDIT_ARCH_X86_64 + (uint32_t)i);
		put32(copy + OFF_NARCHES, 8);
		refresh_digest(copy, len);
		expect_rc(copy, len, BLOB_OK, "8 arches, 8 slots");
		put32(copy + OFF_NARCHES, 9);
		refresh_digest(copy, len);
		expect_rc(copy, len, BLOB_ERR_HEADER, "9 arches, 8 slots (all there are)");
		memset(copy + OFF_ARCHES, 0, 32);
		put32(copy + OFF_NARCHES, 0);
		refresh_digest(copy, len);
		expect_rc(copy, len, BLOB_ERR_HEADER, "no arch at all, enforce");
		put32(copy + OFF_MODE, SF_MODE_COMPLAIN);
		refresh_digest(copy, len);
		expect_rc(copy, len, BLOB_ERR_HEADER, "no arch at all, complain");
	}
	free(buf);
}

static void test_mode_and_program_lengths(void **state)
{
	struct blob b;
	uint8_t *buf;
	size_t len;

	(void)state;
	/* Enforce and complain need an allow program. */
	for (int mode = SF_MODE_ENFORCE; mode <= SF_MODE_COMPLAIN; mode++) {
		sample_blob(&b, (enum sf_mode)mode);
		free(b.allow.insns);
		b.allow = (struct bpf_prog){ NULL, 0 };
		assert_int_equal(blob_serialize(&b, &buf, &len), BLOB_OK);
		expect_rc(buf, len, BLOB_ERR_HEADER, "no allow program");
		free(buf);
		free(b.deny.insns);
		b.deny = (struct bpf_prog){ NULL, 0 };
		assert_int_equal(blob_serialize(&b, &buf, &len), BLOB_OK);
		expect_rc(buf, len, BLOB_ERR_HEADER, "no program at all");
		free(buf);
		blob_free(&b);
	}
	/* Unrestricted has none. */
	sample_blob(&b, SF_MODE_ENFORCE);
	b.mode = SF_MODE_UNRESTRICTED;
	free(b.allow.insns);
	b.allow = (struct bpf_prog){ NULL, 0 };
	assert_int_equal(blob_serialize(&b, &buf, &len), BLOB_OK);
	expect_rc(buf, len, BLOB_ERR_HEADER, "unrestricted with a deny program");
	free(buf);
	blob_free(&b);
}

static void expect_string_edit(const uint8_t *buf, size_t len, unsigned off, const char *bytes,
			       size_t n, int want, const char *what)
{
	uint8_t copy[GOOD_SIZE];

	memcpy(copy, buf, len);
	memset(copy + off, 0, BLOB_STRING_LEN);
	memcpy(copy + off, bytes, n);
	refresh_digest(copy, len);
	expect_rc(copy, len, want, what);
}

static void test_version_strings(void **state)
{
	size_t len;
	uint8_t *buf = sample_bytes(SF_MODE_ENFORCE, &len);
	static const unsigned offs[] = { OFF_LIBSECCOMP, OFF_COMPILER };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(offs); i++) {
		expect_string_edit(buf, len, offs[i], "", 0, BLOB_OK, "empty");
		expect_string_edit(buf, len, offs[i], "123456789012345", 15, BLOB_OK,
				   "15 characters");
		expect_string_edit(buf, len, offs[i], "1234567890123456", 16, BLOB_ERR_HEADER,
				   "16 characters, no NUL");
		expect_string_edit(buf, len, offs[i], "2.5\0x", 5, BLOB_ERR_HEADER,
				   "bytes after the NUL");
		expect_string_edit(buf, len, offs[i], "2.5\n", 4, BLOB_ERR_HEADER, "newline");
		expect_string_edit(buf, len, offs[i], "\x1b[2J", 4, BLOB_ERR_HEADER, "escape");
		expect_string_edit(buf, len, offs[i], "2.5\x7f", 4, BLOB_ERR_HEADER, "DEL");
		expect_string_edit(buf, len, offs[i], "2.\xc3\xa9", 4, BLOB_ERR_HEADER,
				   "non-ASCII");
	}
	free(buf);
}

/* Replaces instruction `idx` of a program (0 deny, 1 allow) and re-signs. */
static int edit_program(const uint8_t *buf, size_t len, int which, size_t idx,
			struct sock_filter in, char *why, size_t whylen)
{
	uint8_t copy[GOOD_SIZE];
	uint8_t *p = copy + BLOB_HEADER_SIZE + (which ? NDENY : 0) * BLOB_INSN_SIZE +
		     idx * BLOB_INSN_SIZE;

	memcpy(copy, buf, len);
	p[0] = (uint8_t)in.code;
	p[1] = (uint8_t)(in.code >> 8);
	p[2] = in.jt;
	p[3] = in.jf;
	put32(p + 4, in.k);
	refresh_digest(copy, len);
	return parse(copy, len, why, whylen);
}

static void test_programs_failing_bpf_check(void **state)
{
	static const struct {
		size_t idx;
		struct sock_filter in;
		const char *reason;
	} cases[] = {
		{ 1, JEQ(AUDIT_ARCH_X86_64, 5, 0), "jump out of the program" },
		{ 1, JEQ(AUDIT_ARCH_X86_64, 1, 200), "jump out of the program" },
		{ 4, JA(2), "jump out of the program" },
		{ 6, LD(BPF_OFF_NR), "does not end with a return" },
		{ 6, RET(SECCOMP_RET_ERRNO), "forbidden return action" }, /* ERRNO(0) */
		{ 5, RET(SECCOMP_RET_TRACE), "forbidden return action" },
		{ 5, RET(SECCOMP_RET_USER_NOTIF), "forbidden return action" },
		{ 5, BPF_STMT(BPF_RET | BPF_A, 0), "instruction not allowed" }, /* RET A */
		{ 0, LD(BPF_OFF_NR), "does not start by loading the architecture" },
		{ 3, LD(64), "load outside seccomp_data" },
		{ 3, BPF_STMT(BPF_LD | BPF_IMM, 0), "instruction not allowed" },
	};
	size_t len;
	uint8_t *buf = sample_bytes(SF_MODE_ENFORCE, &len);

	(void)state;
	for (int which = 0; which < 2; which++) {
		for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
			char why[128] = "";
			int rc = edit_program(buf, len, which, cases[i].idx, cases[i].in, why,
					      sizeof(why));

			if (rc != BLOB_ERR_PROGRAM || !strstr(why, cases[i].reason))
				fail_msg("%s program, case %zu: rc %d why '%s', wanted %d '%s'",
					 which ? "allow" : "deny", i, rc, why, BLOB_ERR_PROGRAM,
					 cases[i].reason);
		}
	}
	/* why may be NULL. */
	assert_int_equal(edit_program(buf, len, 1, 0, (struct sock_filter)LD(0), NULL, 0),
			 BLOB_ERR_PROGRAM);
	free(buf);
}

static void test_binding_paths(void **state)
{
	static const char *const good[] = { "/bin/true", "/usr/lib/a b/c", "/a", "/..a/.b",
					    "/usr/bin/\xc3\xa9" };
	static const char *const bad[] = { "",	    "bin/true",	 "/",	       "/usr/",
					   "//usr", "/usr//bin", "/usr/./bin", "/usr/../bin",
					   "/..",   "/.",	 "/a\tb",      "/a\nb",
					   "/a\x7f" };
	struct blob b = { .mode = SF_MODE_ENFORCE };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		if (!blob_binding_valid(good[i], strlen(good[i])))
			fail_msg("'%s' should be a valid binding", good[i]);
		assert_int_equal(blob_add_binding(&b, good[i]), BLOB_OK);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		if (blob_binding_valid(bad[i], strlen(bad[i])))
			fail_msg("'%s' should not be a valid binding", bad[i]);
		assert_int_equal(blob_add_binding(&b, bad[i]), BLOB_ERR_BINDING);
	}
	/* The same path twice is one binding. */
	assert_int_equal(blob_add_binding(&b, "/bin/true"), BLOB_OK);
	assert_int_equal(b.nbindings, ARRAY_SIZE(good));
	for (uint32_t i = 0; i < b.nbindings; i++)
		assert_string_equal(blob_binding(&b, i), good[i]);
	/* No more than BLOB_MAX_BINDINGS. */
	for (uint32_t i = b.nbindings; i < BLOB_MAX_BINDINGS; i++) {
		char p[16];

		snprintf(p, sizeof(p), "/p%u", i);
		assert_int_equal(blob_add_binding(&b, p), BLOB_OK);
	}
	assert_int_equal(blob_add_binding(&b, "/one/more"), BLOB_ERR_BINDING);
	blob_free(&b);
	assert_null(b.binding_data);
	assert_int_equal(b.nbindings, 0);
}

/* A sample with two bindings, serialized; *len its size. */
static uint8_t *bound_bytes(size_t *len)
{
	struct blob b;
	uint8_t *buf;

	sample_blob(&b, SF_MODE_ENFORCE);
	assert_int_equal(blob_add_binding(&b, "/usr/bin/a"), BLOB_OK);
	assert_int_equal(blob_add_binding(&b, "/usr/bin/bc"), BLOB_OK);
	assert_int_equal(blob_serialize(&b, &buf, len), BLOB_OK);
	blob_free(&b);
	return buf;
}

static void test_bindings_round_trip(void **state)
{
	struct blob out;
	size_t len;
	uint8_t *buf = bound_bytes(&len);

	(void)state;
	assert_int_equal(len, GOOD_SIZE + sizeof("/usr/bin/a") + sizeof("/usr/bin/bc"));
	assert_int_equal(get32(buf + OFF_NBINDINGS), 2);
	assert_int_equal(get32(buf + OFF_BINDINGS_SIZE), 23);
	/* After the programs, NUL-terminated, in order. */
	assert_memory_equal(buf + GOOD_SIZE, "/usr/bin/a\0/usr/bin/bc\0", 23);
	assert_int_equal(blob_parse(buf, len, &out, NULL, 0), BLOB_OK);
	assert_int_equal(out.nbindings, 2);
	assert_string_equal(blob_binding(&out, 0), "/usr/bin/a");
	assert_string_equal(blob_binding(&out, 1), "/usr/bin/bc");
	blob_free(&out);
	free(buf);
}

static void test_bindings_forged(void **state)
{
	size_t len;
	uint8_t *buf = bound_bytes(&len);
	uint8_t *copy = malloc(len + 8);
	uint8_t *sec;

	(void)state;
	assert_non_null(copy);
	sec = copy + GOOD_SIZE;
#define EDIT(what, want, ...)                                                                      \
	do {                                                                                       \
		memcpy(copy, buf, len);                                                            \
		__VA_ARGS__;                                                                       \
		refresh_digest(copy, len);                                                         \
		expect_rc(copy, len, want, what);                                                  \
	} while (0)
	EDIT("a relative path", BLOB_ERR_BINDING, sec[0] = 'u');
	EDIT("a '..' component", BLOB_ERR_BINDING, memcpy(sec, "/usr/../bi", 10));
	EDIT("a control byte", BLOB_ERR_BINDING, sec[3] = '\n');
	EDIT("the last NUL missing", BLOB_ERR_BINDING, sec[22] = 'x');
	EDIT("one path fewer than counted", BLOB_ERR_BINDING, sec[10] = '/');
	EDIT("the same path twice", BLOB_ERR_BINDING, memcpy(sec + 11, "/usr/bin/a\0\0", 12));
	EDIT("bytes after the last path", BLOB_ERR_BINDING, put32(copy + OFF_NBINDINGS, 1));
	EDIT("more bindings than the format allows", BLOB_ERR_HEADER,
	     put32(copy + OFF_NBINDINGS, BLOB_MAX_BINDINGS + 1));
	EDIT("bindings counted, none stored", BLOB_ERR_SIZE, put32(copy + OFF_BINDINGS_SIZE, 0));
	EDIT("a section larger than the format allows", BLOB_ERR_TOO_BIG,
	     put32(copy + OFF_BINDINGS_SIZE, BLOB_BINDINGS_MAX_SIZE + 1));
	EDIT("a section larger than the file", BLOB_ERR_TRUNCATED,
	     put32(copy + OFF_BINDINGS_SIZE, 100));
#undef EDIT
	/* Unrestricted profiles load nothing: a binding there is a forgery. */
	{
		struct blob b;
		uint8_t *u;
		size_t ulen;

		sample_blob(&b, SF_MODE_UNRESTRICTED);
		assert_int_equal(blob_add_binding(&b, "/bin/sh"), BLOB_OK);
		assert_int_equal(blob_serialize(&b, &u, &ulen), BLOB_OK);
		expect_rc(u, ulen, BLOB_ERR_HEADER, "an unrestricted profile with a binding");
		blob_free(&b);
		free(u);
	}
	free(copy);
	free(buf);
}

static void test_strerror(void **state)
{
	(void)state;
	for (int i = BLOB_OK; i <= BLOB_ERR_BINDING; i++) {
		assert_non_null(blob_strerror(i));
		assert_string_not_equal(blob_strerror(i), "unknown error");
		for (int j = BLOB_OK; j < i; j++)
			assert_string_not_equal(blob_strerror(i), blob_strerror(j));
	}
	assert_string_equal(blob_strerror(-1), "unknown error");
	assert_string_equal(blob_strerror(BLOB_ERR_BINDING + 1), "unknown error");
	/* The launcher's message for an old blob says what to do. */
	assert_non_null(strstr(blob_strerror(BLOB_ERR_VERSION), "recompile"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_round_trip_modes),
		cmocka_unit_test(test_layout_is_little_endian),
		cmocka_unit_test(test_serialize_is_deterministic),
		cmocka_unit_test(test_serialize_refuses),
		cmocka_unit_test(test_serialize_cuts_long_strings),
		cmocka_unit_test(test_largest_blob),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_oversized),
		cmocka_unit_test(test_bad_magic_and_version),
		cmocka_unit_test(test_bad_fixed_header_fields),
		cmocka_unit_test(test_size_mismatch),
		cmocka_unit_test(test_digest_mismatch),
		cmocka_unit_test(test_bad_fields_behind_digest),
		cmocka_unit_test(test_mode_and_program_lengths),
		cmocka_unit_test(test_version_strings),
		cmocka_unit_test(test_programs_failing_bpf_check),
		cmocka_unit_test(test_binding_paths),
		cmocka_unit_test(test_bindings_round_trip),
		cmocka_unit_test(test_bindings_forged),
		cmocka_unit_test(test_strerror),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
