// SPDX-License-Identifier: MIT
#include "sysfence/blob.h"

#include <stdlib.h>
#include <string.h>

/* Header layout, all integers little-endian (docs/blob-format.md). */
enum {
	OFF_MAGIC = 0,
	OFF_VERSION = 8,
	OFF_HEADER_SIZE = 12,
	OFF_MODE = 16,
	OFF_FLAGS = 20,
	OFF_NARCHES = 24,
	OFF_ARCHES = 28, /* BLOB_MAX_ARCHES u32 */
	OFF_DENY_LEN = 60,
	OFF_ALLOW_LEN = 64,
	OFF_DIGEST = 68,
	OFF_SOURCE_DIGEST = 100,
	OFF_LIBSECCOMP = 132,
	OFF_COMPILER = 148,
	OFF_NBINDINGS = 164,
	OFF_BINDINGS_SIZE = 168,
	OFF_RESERVED = 172, /* zero up to BLOB_HEADER_SIZE */
};

_Static_assert(OFF_ARCHES + 4 * BLOB_MAX_ARCHES == OFF_DENY_LEN, "layout");
_Static_assert(OFF_COMPILER + BLOB_STRING_LEN == OFF_NBINDINGS, "layout");
_Static_assert(OFF_RESERVED < BLOB_HEADER_SIZE, "layout");

static uint32_t get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t get_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static void put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void put_u16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

const char *blob_strerror(int err)
{
	switch (err) {
	case BLOB_OK:
		return "ok";
	case BLOB_ERR_TRUNCATED:
		return "truncated profile";
	case BLOB_ERR_TOO_BIG:
		return "profile larger than the format allows";
	case BLOB_ERR_MAGIC:
		return "not a sysfence profile (bad magic)";
	case BLOB_ERR_VERSION:
		return "profile written for another format version: recompile it with this "
		       "sysfence-compile";
	case BLOB_ERR_HEADER:
		return "invalid profile header";
	case BLOB_ERR_SIZE:
		return "profile size does not match its header";
	case BLOB_ERR_DIGEST:
		return "profile digest mismatch (corrupted or modified)";
	case BLOB_ERR_PROGRAM:
		return "invalid BPF program in profile";
	case BLOB_ERR_NOMEM:
		return "out of memory";
	case BLOB_ERR_BINDING:
		return "invalid program binding in profile";
	}
	return "unknown error";
}

/* The integrity digest: the whole file with the digest field zeroed. */
static void compute_digest(const uint8_t *buf, size_t len, uint8_t out[DIGEST_SIZE])
{
	static const uint8_t zero[DIGEST_SIZE];
	struct digest_ctx c;

	digest_init(&c);
	digest_update(&c, buf, OFF_DIGEST);
	digest_update(&c, zero, DIGEST_SIZE);
	digest_update(&c, buf + OFF_DIGEST + DIGEST_SIZE, len - OFF_DIGEST - DIGEST_SIZE);
	digest_final(&c, out);
}

/* A fixed-size string field: NUL-terminated, printable, zero-padded. */
static int string_field_ok(const uint8_t *p)
{
	size_t n = 0;

	while (n < BLOB_STRING_LEN && p[n])
		if (p[n] < 0x20 || p[n++] > 0x7e)
			return 0;
	if (n == BLOB_STRING_LEN)
		return 0;
	for (; n < BLOB_STRING_LEN; n++)
		if (p[n])
			return 0;
	return 1;
}

static int read_program(const uint8_t *p, uint32_t len, struct bpf_prog *out)
{
	out->len = len;
	out->insns = NULL;
	if (!len)
		return BLOB_OK;
	out->insns = calloc(len, sizeof(*out->insns));
	if (!out->insns)
		return BLOB_ERR_NOMEM;
	for (uint32_t i = 0; i < len; i++, p += BLOB_INSN_SIZE) {
		out->insns[i].code = get_u16(p);
		out->insns[i].jt = p[2];
		out->insns[i].jf = p[3];
		out->insns[i].k = get_u32(p + 4);
	}
	return BLOB_OK;
}

bool blob_binding_valid(const char *path, size_t len)
{
	if (!len || len >= BLOB_BINDING_MAX || path[0] != '/')
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)path[i];

		if (ch < 0x20 || ch == 0x7f)
			return false;
		/* Each component: not empty ("//", a trailing '/'), not "." or "..". */
		if (ch == '/') {
			size_t n = 0;

			while (i + 1 + n < len && path[i + 1 + n] != '/')
				n++;
			if (!n || (n == 1 && path[i + 1] == '.') ||
			    (n == 2 && path[i + 1] == '.' && path[i + 2] == '.'))
				return false;
		}
	}
	return true;
}

const char *blob_binding(const struct blob *b, uint32_t i)
{
	return b->binding_data + b->binding_off[i];
}

int blob_add_binding(struct blob *b, const char *path)
{
	size_t n = strlen(path) + 1;
	char *data;

	if (!blob_binding_valid(path, n - 1))
		return BLOB_ERR_BINDING;
	for (uint32_t i = 0; i < b->nbindings; i++)
		if (!strcmp(blob_binding(b, i), path))
			return BLOB_OK;
	if (b->nbindings == BLOB_MAX_BINDINGS || b->binding_size + n > BLOB_BINDINGS_MAX_SIZE)
		return BLOB_ERR_BINDING;
	data = realloc(b->binding_data, b->binding_size + n);
	if (!data)
		return BLOB_ERR_NOMEM;
	memcpy(data + b->binding_size, path, n);
	b->binding_data = data;
	b->binding_off[b->nbindings++] = b->binding_size;
	b->binding_size += (uint32_t)n;
	return BLOB_OK;
}

/* The bindings section: nbindings valid paths, each NUL-terminated. */
static int read_bindings(const uint8_t *p, uint32_t size, uint32_t count, struct blob *out)
{
	uint32_t pos = 0;

	if (!count)
		return size ? BLOB_ERR_HEADER : BLOB_OK;
	out->binding_data = malloc(size);
	if (!out->binding_data)
		return BLOB_ERR_NOMEM;
	memcpy(out->binding_data, p, size);
	out->binding_size = size;
	for (uint32_t i = 0; i < count; i++) {
		const char *s = out->binding_data + pos;
		size_t n = strnlen(s, size - pos);

		if (n == size - pos || !blob_binding_valid(s, n))
			return BLOB_ERR_BINDING;
		for (uint32_t k = 0; k < i; k++)
			if (!strcmp(blob_binding(out, k), s))
				return BLOB_ERR_BINDING;
		out->binding_off[i] = pos;
		pos += (uint32_t)n + 1;
	}
	out->nbindings = count;
	/* Nothing may follow the last path. */
	return pos == size ? BLOB_OK : BLOB_ERR_BINDING;
}

int blob_parse(const void *vbuf, size_t len, struct blob *out, char *why, size_t whylen)
{
	const uint8_t *buf = vbuf;
	uint8_t digest[DIGEST_SIZE];
	uint32_t deny_len, allow_len, mode, nbindings, bindings_size;
	size_t programs_end;
	int rc;

	memset(out, 0, sizeof(*out));
	if (why && whylen)
		why[0] = '\0';
	if (len > BLOB_MAX_SIZE)
		return BLOB_ERR_TOO_BIG;
	if (len < BLOB_HEADER_SIZE)
		return BLOB_ERR_TRUNCATED;
	if (memcmp(buf + OFF_MAGIC, BLOB_MAGIC, BLOB_MAGIC_LEN))
		return BLOB_ERR_MAGIC;
	if (get_u32(buf + OFF_VERSION) != BLOB_VERSION)
		return BLOB_ERR_VERSION;
	if (get_u32(buf + OFF_HEADER_SIZE) != BLOB_HEADER_SIZE || get_u32(buf + OFF_FLAGS) != 0)
		return BLOB_ERR_HEADER;
	for (size_t i = OFF_RESERVED; i < BLOB_HEADER_SIZE; i++)
		if (buf[i])
			return BLOB_ERR_HEADER;

	mode = get_u32(buf + OFF_MODE);
	deny_len = get_u32(buf + OFF_DENY_LEN);
	allow_len = get_u32(buf + OFF_ALLOW_LEN);
	nbindings = get_u32(buf + OFF_NBINDINGS);
	bindings_size = get_u32(buf + OFF_BINDINGS_SIZE);
	/* Bounded before any arithmetic, so the size check cannot overflow. */
	if (deny_len > BPF_MAXINSNS || allow_len > BPF_MAXINSNS ||
	    bindings_size > BLOB_BINDINGS_MAX_SIZE)
		return BLOB_ERR_TOO_BIG;
	if (nbindings > BLOB_MAX_BINDINGS)
		return BLOB_ERR_HEADER;
	programs_end = BLOB_HEADER_SIZE + (size_t)(deny_len + allow_len) * BLOB_INSN_SIZE;
	if (len < programs_end + bindings_size)
		return BLOB_ERR_TRUNCATED;
	if (len != programs_end + bindings_size)
		return BLOB_ERR_SIZE;

	compute_digest(buf, len, digest);
	if (memcmp(digest, buf + OFF_DIGEST, DIGEST_SIZE))
		return BLOB_ERR_DIGEST;

	/* Only now, with an intact file, interpret the fields. */
	switch (mode) {
	case SF_MODE_ENFORCE:
	case SF_MODE_COMPLAIN:
		if (!allow_len)
			return BLOB_ERR_HEADER;
		break;
	case SF_MODE_UNRESTRICTED:
		/* No filter: nothing to bind either (it never needs NNP). */
		if (allow_len || deny_len || nbindings)
			return BLOB_ERR_HEADER;
		break;
	default:
		return BLOB_ERR_HEADER;
	}
	out->mode = (enum sf_mode)mode;
	out->narches = get_u32(buf + OFF_NARCHES);
	if (out->narches > BLOB_MAX_ARCHES)
		return BLOB_ERR_HEADER;
	for (size_t i = 0; i < BLOB_MAX_ARCHES; i++) {
		uint32_t a = get_u32(buf + OFF_ARCHES + 4 * i);

		if ((i < out->narches) != (a != 0))
			return BLOB_ERR_HEADER;
		out->arches[i] = a;
	}
	if (mode != SF_MODE_UNRESTRICTED && !out->narches)
		return BLOB_ERR_HEADER;
	if (!string_field_ok(buf + OFF_LIBSECCOMP) || !string_field_ok(buf + OFF_COMPILER))
		return BLOB_ERR_HEADER;
	memcpy(out->libseccomp_version, buf + OFF_LIBSECCOMP, BLOB_STRING_LEN);
	memcpy(out->compiler_version, buf + OFF_COMPILER, BLOB_STRING_LEN);
	memcpy(out->digest, buf + OFF_DIGEST, DIGEST_SIZE);
	memcpy(out->source_digest, buf + OFF_SOURCE_DIGEST, DIGEST_SIZE);

	rc = read_bindings(buf + programs_end, bindings_size, nbindings, out);
	if (rc != BLOB_OK)
		goto fail;
	rc = read_program(buf + BLOB_HEADER_SIZE, deny_len, &out->deny);
	if (rc == BLOB_OK)
		rc = read_program(buf + BLOB_HEADER_SIZE + (size_t)deny_len * BLOB_INSN_SIZE,
				  allow_len, &out->allow);
	if (rc != BLOB_OK)
		goto fail;
	rc = BLOB_ERR_PROGRAM;
	if (deny_len && bpf_check(out->deny.insns, deny_len, why, whylen))
		goto fail;
	if (allow_len && bpf_check(out->allow.insns, allow_len, why, whylen))
		goto fail;
	return BLOB_OK;
fail:
	blob_free(out);
	return rc;
}

int blob_serialize(struct blob *b, uint8_t **out, size_t *outlen)
{
	size_t len;
	uint8_t *buf, *p;

	*out = NULL;
	*outlen = 0;
	if (b->deny.len > BPF_MAXINSNS || b->allow.len > BPF_MAXINSNS)
		return BLOB_ERR_TOO_BIG;
	if (b->narches > BLOB_MAX_ARCHES)
		return BLOB_ERR_HEADER;
	if (b->nbindings > BLOB_MAX_BINDINGS || b->binding_size > BLOB_BINDINGS_MAX_SIZE)
		return BLOB_ERR_BINDING;
	len = BLOB_HEADER_SIZE + (size_t)(b->deny.len + b->allow.len) * BLOB_INSN_SIZE +
	      b->binding_size;
	buf = calloc(1, len);
	if (!buf)
		return BLOB_ERR_NOMEM;
	/* A fixed-size field, not a C string: storing no NUL is the format. */
	/* NOLINTNEXTLINE(bugprone-not-null-terminated-result) */
	memcpy(buf + OFF_MAGIC, BLOB_MAGIC, BLOB_MAGIC_LEN);
	put_u32(buf + OFF_VERSION, BLOB_VERSION);
	put_u32(buf + OFF_HEADER_SIZE, BLOB_HEADER_SIZE);
	put_u32(buf + OFF_MODE, (uint32_t)b->mode);
	put_u32(buf + OFF_NARCHES, b->narches);
	for (size_t i = 0; i < b->narches; i++)
		put_u32(buf + OFF_ARCHES + 4 * i, b->arches[i]);
	put_u32(buf + OFF_DENY_LEN, b->deny.len);
	put_u32(buf + OFF_ALLOW_LEN, b->allow.len);
	put_u32(buf + OFF_NBINDINGS, b->nbindings);
	put_u32(buf + OFF_BINDINGS_SIZE, b->binding_size);
	memcpy(buf + OFF_SOURCE_DIGEST, b->source_digest, DIGEST_SIZE);
	memcpy(buf + OFF_LIBSECCOMP, b->libseccomp_version,
	       strnlen(b->libseccomp_version, BLOB_STRING_LEN - 1));
	memcpy(buf + OFF_COMPILER, b->compiler_version,
	       strnlen(b->compiler_version, BLOB_STRING_LEN - 1));
	p = buf + BLOB_HEADER_SIZE;
	for (int which = 0; which < 2; which++) {
		const struct bpf_prog *prog = which ? &b->allow : &b->deny;

		for (uint32_t i = 0; i < prog->len; i++, p += BLOB_INSN_SIZE) {
			put_u16(p, prog->insns[i].code);
			p[2] = prog->insns[i].jt;
			p[3] = prog->insns[i].jf;
			put_u32(p + 4, prog->insns[i].k);
		}
	}
	if (b->binding_size)
		memcpy(p, b->binding_data, b->binding_size);
	compute_digest(buf, len, b->digest);
	memcpy(buf + OFF_DIGEST, b->digest, DIGEST_SIZE);
	*out = buf;
	*outlen = len;
	return BLOB_OK;
}

void blob_free(struct blob *b)
{
	free(b->deny.insns);
	free(b->allow.insns);
	free(b->binding_data);
	b->deny.insns = b->allow.insns = NULL;
	b->deny.len = b->allow.len = 0;
	b->binding_data = NULL;
	b->binding_size = b->nbindings = 0;
}

uint32_t blob_verdict(const struct blob *b, const struct seccomp_data *d, uint32_t *allow_ret,
		      uint32_t *deny_ret, unsigned *steps)
{
	uint32_t allow = SECCOMP_RET_ALLOW, deny = SECCOMP_RET_ALLOW;
	unsigned s1 = 0, s2 = 0;

	if (b->mode != SF_MODE_UNRESTRICTED && b->allow.len) {
		allow = bpf_run(b->allow.insns, b->allow.len, d, &s1);
		if (b->deny.len)
			deny = bpf_run(b->deny.insns, b->deny.len, d, &s2);
	}
	if (allow_ret)
		*allow_ret = allow;
	if (deny_ret)
		*deny_ret = deny;
	if (steps)
		*steps = s1 + s2;
	/* The allow program is attached last: it is the newer filter. */
	return bpf_combine(allow, deny);
}

int blob_has_arch(const struct blob *b, uint32_t arch)
{
	for (uint32_t i = 0; i < b->narches && i < BLOB_MAX_ARCHES; i++)
		if (b->arches[i] == arch)
			return 1;
	return 0;
}
