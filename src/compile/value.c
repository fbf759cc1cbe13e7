// SPDX-License-Identifier: MIT
/*
 * The value grammar of the policy language (policy.h): a number, -N, a
 * named constant, u:USER or g:GROUP, checked against and reduced to the
 * width the kernel reads the argument with; and what a parsed argument
 * matches.  The parser (parse.c) and the tools (input.c) both use it, so a
 * value means the same everywhere.  Pure: names go through the resolver
 * the caller passes (nss.c by default).
 */
#include <stdio.h>
#include <string.h>

#include "sysfence/compile/argtypes.h"
#include "sysfence/compile/constants.h"
#include "sysfence/compile/policy.h"
#include "sysfence/compile/syscalls.h"
#include "sysfence/compile/text.h"

static uint64_t width_mask(unsigned width)
{
	return width >= 64 ? UINT64_MAX : (UINT64_C(1) << width) - 1;
}

/* Shows a constant's value in a message. */
static const char *arch_label(uint32_t arch)
{
	const char *n = syscalls_arch_name(arch);

	return n ? n : "?";
}

/*
 * A named constant's value for the targets, or why there is none.  Returns
 * 0, 1 (no target has the name: a comparison with it never holds) or -1.
 */
static int value_constant(const char *s, size_t len, const struct policy_value_ctx *c,
			  uint64_t *out, char *err, size_t errlen)
{
	struct constants_resolved r;

	switch (constants_resolve(s, len, c->arches, c->narches, &r)) {
	case CONSTANTS_OK:
		*out = r.value;
		return 0;
	case CONSTANTS_NOWHERE:
		constants_lookup(s, len, out);
		return 1;
	case CONSTANTS_UNKNOWN_NAME: {
		const char *sug = c->suggest ? constants_suggest(s, len) : NULL;

		snprintf(err, errlen, "unknown constant '%.*s'%s%s%s", (int)(len > 64 ? 64 : len),
			 s, sug ? "; did you mean '" : "", sug ? sug : "", sug ? "'?" : "");
		return -1;
	}
	case CONSTANTS_DIFFERS:
		snprintf(err, errlen,
			 "'%.*s' is 0x%llx on %s but 0x%llx on %s; compile them separately "
			 "(--arch) or write the number",
			 (int)len, s, (unsigned long long)r.value, arch_label(r.arch),
			 (unsigned long long)r.other_value, arch_label(r.other_arch));
		return -1;
	case CONSTANTS_CLASHES:
		snprintf(err, errlen,
			 "'%.*s' does not exist on %s, where %llu is %s; compile %s separately "
			 "(--arch) or write the number",
			 (int)len, s, arch_label(r.clash_arch), (unsigned long long)r.value,
			 r.clash, arch_label(r.clash_arch));
		return -1;
	case CONSTANTS_UNTABULATED:
		break;
	}
	snprintf(err, errlen, "no named constants are tabulated for %s", arch_label(r.arch));
	return -1;
}

int policy_parse_value(const char *s, size_t len, const struct policy_value_ctx *c, uint64_t *out,
		       char *err, size_t errlen, size_t *erroff)
{
	const struct policy_resolver *res = c->res ? c->res : &policy_nss_resolver;
	const char *sc = c->syscall;
	unsigned width = sc ? argtypes_width(sc, c->argno) : 64;
	int tlen = (int)(len > 64 ? 64 : len);
	uint64_t v;
	int rc;

	*erroff = 0;
	if (!len) {
		snprintf(err, errlen, "expected a value");
		return -1;
	}
	if (len > 2 && (s[0] == 'u' || s[0] == 'g') && s[1] == ':') {
		char name[256];
		uint32_t id;
		bool user = s[0] == 'u';
		int (*fn)(void *, const char *, uint32_t *) = user ? res->user : res->group;

		if (len - 2 >= sizeof(name)) {
			snprintf(err, errlen, "%s name too long", user ? "user" : "group");
			return -1;
		}
		memcpy(name, s + 2, len - 2);
		name[len - 2] = '\0';
		if (!fn || fn(res->ctx, name, &id) < 0) {
			*erroff = 2;
			snprintf(err, errlen, "unknown %s '%s'", user ? "user" : "group", name);
			return -1;
		}
		if ((uint64_t)id > width_mask(width)) {
			snprintf(err, errlen, "id %u does not fit the %u-bit argument", id, width);
			return -1;
		}
		*out = id;
		return 0;
	}
	if (s[0] == '-' && len > 1) {
		rc = text_parse_u64(s + 1, len - 1, &v);
		if (rc == -1) {
			snprintf(err, errlen, "invalid number '%.*s'", tlen, s);
			return -1;
		}
		if (sc && !argtypes_accepts_negative(sc, c->argno)) {
			snprintf(err, errlen,
				 "negative value for argument %u of %s, which is not signed",
				 c->argno, sc);
			return -1;
		}
		if (rc == 0 && v > (UINT64_C(1) << (width - 1))) {
			snprintf(err, errlen, "'%.*s' does not fit the %u-bit argument", tlen, s,
				 width);
			return -1;
		}
		if (rc == 0) {
			*out = (0 - v) & width_mask(width);
			return 0;
		}
	} else if (s[0] >= '0' && s[0] <= '9') {
		rc = text_parse_u64(s, len, &v);
	} else if (text_is_name_char(s[0], true)) {
		for (size_t i = 0; i < len; i++) {
			if (!text_is_name_char(s[i], false)) {
				*erroff = i;
				snprintf(err, errlen, "unexpected character '%c' in value", s[i]);
				return -1;
			}
		}
		rc = value_constant(s, len, c, &v, err, errlen);
		if (rc < 0)
			return -1;
		if (v > width_mask(width)) {
			snprintf(err, errlen,
				 "constant '%.*s' (0x%llx) does not fit the %u-bit argument", tlen,
				 s, (unsigned long long)v, width);
			return -1;
		}
		*out = v;
		return rc ? POLICY_VALUE_NEVER : 0;
	} else {
		snprintf(err, errlen, "invalid value '%.*s'", tlen, s);
		return -1;
	}
	if (rc == -2) {
		snprintf(err, errlen, "number '%.*s' does not fit in 64 bits", tlen, s);
		return -1;
	}
	if (rc < 0) {
		snprintf(err, errlen, "invalid number '%.*s'", tlen, s);
		return -1;
	}
	if (v > width_mask(width)) {
		snprintf(
			err, errlen,
			"value '%.*s' does not fit argument %u of %s, which the kernel reads as %u bits",
			tlen, s, c->argno, sc, width);
		return -1;
	}
	*out = v;
	return 0;
}

bool policy_arg_matches(const struct policy_arg *a, uint64_t value)
{
	uint64_t v = value & width_mask(a->width ? a->width : 64);

	switch (a->op) {
	case POLICY_OP_ANY:
		return true;
	case POLICY_OP_EQ:
		return v == a->value;
	case POLICY_OP_NE:
		return v != a->value;
	case POLICY_OP_GT:
		return v > a->value;
	case POLICY_OP_GE:
		return v >= a->value;
	case POLICY_OP_LT:
		return v < a->value;
	case POLICY_OP_LE:
		return v <= a->value;
	case POLICY_OP_MASKED:
		return (v & a->mask) == a->value;
	}
	return false;
}
