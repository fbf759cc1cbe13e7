// SPDX-License-Identifier: MIT
/*
 * --from-oci, one JSON value at a time (see ocifield.h): the profile's
 * vocabulary (actions, architectures, capabilities), typed access that
 * reports a wrong type or range naming the field, and the "did you mean"
 * for a misspelt name.  ocijson.c reads the profile's structure with it.
 */
#include "sysfence/tools/ocifield.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysfence/compile/constants.h"
#include "sysfence/compile/syscalls.h"
#include "sysfence/compile/text.h"
#include "sysfence/util.h"

#define ERRNO_MAX 4095 /* the kernel's MAX_ERRNO; SECCOMP_RET_DATA holds it */

/* ---- names of things ---- */

static const char *const action_names[] = {
	[OCI_ACT_ALLOW] = "SCMP_ACT_ALLOW",
	[OCI_ACT_ERRNO] = "SCMP_ACT_ERRNO",
	[OCI_ACT_LOG] = "SCMP_ACT_LOG",
	[OCI_ACT_KILL] = "SCMP_ACT_KILL",
	[OCI_ACT_KILL_PROCESS] = "SCMP_ACT_KILL_PROCESS",
	[OCI_ACT_KILL_THREAD] = "SCMP_ACT_KILL_THREAD",
	[OCI_ACT_TRAP] = "SCMP_ACT_TRAP",
	[OCI_ACT_TRACE] = "SCMP_ACT_TRACE",
	[OCI_ACT_NOTIFY] = "SCMP_ACT_NOTIFY",
};

/*
 * Architecture names: libseccomp's SCMP_ARCH_* (architectures, archMap),
 * moby's own spellings in includes/excludes (its goToNative map: "amd64",
 * "x86", "arm64", "mips3l64n32", ...) and Go's GOARCH names.  sf is the
 * sysfence name, NULL for an architecture sysfence does not compile for.
 */
static const struct {
	const char *name, *sf;
} arch_names[] = {
	{ "SCMP_ARCH_X86_64", "x86_64" },
	{ "SCMP_ARCH_X86", "x86" },
	{ "SCMP_ARCH_X32", NULL },
	{ "SCMP_ARCH_AARCH64", "aarch64" },
	{ "SCMP_ARCH_ARM", "arm" },
	{ "SCMP_ARCH_RISCV64", "riscv64" },
	{ "SCMP_ARCH_PPC64LE", "ppc64le" },
	{ "SCMP_ARCH_PPC64", "ppc64" },
	{ "SCMP_ARCH_PPC", "ppc" },
	{ "SCMP_ARCH_S390X", "s390x" },
	{ "SCMP_ARCH_S390", "s390" },
	{ "SCMP_ARCH_MIPS", "mips" },
	{ "SCMP_ARCH_MIPSEL", "mipsel" },
	{ "SCMP_ARCH_MIPS64", "mips64" },
	{ "SCMP_ARCH_MIPSEL64", "mipsel64" },
	{ "SCMP_ARCH_MIPS64N32", "mips64n32" },
	{ "SCMP_ARCH_MIPSEL64N32", "mipsel64n32" },
	{ "SCMP_ARCH_PARISC", "parisc" },
	{ "SCMP_ARCH_PARISC64", "parisc64" },
	{ "SCMP_ARCH_LOONGARCH64", NULL },
	{ "amd64", "x86_64" },
	{ "x86_64", "x86_64" },
	{ "x86", "x86" },
	{ "386", "x86" },
	{ "x32", NULL },
	{ "arm64", "aarch64" },
	{ "aarch64", "aarch64" },
	{ "arm", "arm" },
	{ "riscv64", "riscv64" },
	{ "ppc64le", "ppc64le" },
	{ "ppc64", "ppc64" },
	{ "ppc", "ppc" },
	{ "s390x", "s390x" },
	{ "s390", "s390" },
	{ "mips", "mips" },
	{ "mipsel", "mipsel" },
	{ "mipsle", "mipsel" },
	{ "mips64", "mips64" },
	{ "mipsel64", "mipsel64" },
	{ "mips64le", "mipsel64" },
	{ "mips64n32", "mips64n32" },
	{ "mips64p32", "mips64n32" },
	{ "mipsel64n32", "mipsel64n32" },
	{ "mips3l64n32", "mipsel64n32" },
	{ "mips64p32le", "mipsel64n32" },
	{ "parisc", "parisc" },
	{ "parisc64", "parisc64" },
	{ "loongarch64", NULL },
	{ "loong64", NULL },
};

const char *oci_action_name(enum oci_action a)
{
	return (size_t)a < ARRAY_SIZE(action_names) ? action_names[a] : "?";
}

int oci_cap_number(const char *name)
{
	uint64_t v;

	if (strncmp(name, "CAP_", 4) || !constants_lookup(name, strlen(name), &v) || v > 63)
		return -1;
	return (int)v;
}

/* ---- diagnostics ---- */

/* Untrusted text for a message or a comment: printable ASCII, shortened. */
const char *ocifield_clean(const char *s, size_t n, char *buf, size_t buflen)
{
	size_t k = 0;

	for (size_t i = 0; i < n && k + 4 < buflen; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f)
			buf[k++] = s[i];
		else
			buf[k++] = '?';
	}
	if (k + 4 >= buflen && k < n) {
		memcpy(buf + k, "...", 3);
		k += 3;
	}
	buf[k] = '\0';
	return buf;
}

void ocifield_fail(struct oci_reader *rd, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_add(rd->d, DIAG_ERROR, 0, 0, "%s", msg);
	if (rd->rule)
		rd->rule->bad = true;
}

/* The closest of the names to s, or NULL. */
const char *ocifield_closest(const char *s, size_t n, const char *const *names, size_t count,
			     size_t stride)
{
	const char *best = NULL;
	size_t bestd = (size_t)-1;

	for (size_t i = 0; i < count; i++) {
		const char *c = *(const char *const *)((const char *)names + i * stride);
		size_t dist = text_edit_distance(s, n, c, strlen(c), true);

		if (dist < bestd) {
			bestd = dist;
			best = c;
		}
	}
	return best && text_is_close(bestd, n) ? best : NULL;
}

/* "unknown X 'foo'; did you mean 'bar'?" */
void ocifield_fail_unknown(struct oci_reader *rd, const char *path, const char *what, const char *s,
			   size_t n, const char *suggestion)
{
	char b[80];

	ocifield_fail(rd, "%s: unknown %s '%s'%s%s%s", path, what,
		      ocifield_clean(s, n, b, sizeof(b)), suggestion ? "; did you mean '" : "",
		      suggestion ? suggestion : "", suggestion ? "'?" : "");
}

/* ---- typed access ---- */

const char *ocifield_type_name(struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		return "null";
	case json_type_boolean:
		return "a boolean";
	case json_type_double:
		return "a number with a fraction or an exponent";
	case json_type_int:
		return "a number";
	case json_type_object:
		return "an object";
	case json_type_array:
		return "an array";
	case json_type_string:
		return "a string";
	}
	return "something else";
}

bool ocifield_want(struct oci_reader *rd, struct json_object *v, enum json_type t, const char *path,
		   const char *what)
{
	if (json_object_is_type(v, t))
		return true;
	ocifield_fail(rd, "%s: expected %s, got %s", path, what, ocifield_type_name(v));
	return false;
}

/* A null or missing array or object counts as empty, as Go decodes it. */
bool ocifield_absent(struct json_object *v)
{
	return !v || json_object_is_type(v, json_type_null);
}

int ocifield_uint(struct oci_reader *rd, struct json_object *v, const char *path, uint64_t max,
		  uint64_t *out)
{
	int64_t s;

	if (!ocifield_want(rd, v, json_type_int, path, "an unsigned integer"))
		return -1;
	s = json_object_get_int64(v);
	if (s < 0) {
		ocifield_fail(rd, "%s: %lld is negative; the value is unsigned (uint64)", path,
			      (long long)s);
		return -1;
	}
	*out = json_object_get_uint64(v);
	if (*out > max) {
		ocifield_fail(rd, "%s: %llu is out of range (at most %llu)", path,
			      (unsigned long long)*out, (unsigned long long)max);
		return -1;
	}
	return 0;
}

const char *ocifield_string(struct oci_reader *rd, struct json_object *v, const char *path,
			    size_t *len)
{
	if (!ocifield_want(rd, v, json_type_string, path, "a string"))
		return NULL;
	*len = (size_t)json_object_get_string_len(v);
	return json_object_get_string(v);
}

/* Every field of an object must be one of these; a typo is not ignored. */
bool ocifield_known(struct oci_reader *rd, struct json_object *obj, const char *path,
		    const char *const *fields, size_t n)
{
	bool ok = true;

	json_object_object_foreach(obj, key, val)
	{
		bool found = false;

		(void)val;
		for (size_t i = 0; i < n && !found; i++)
			found = !strcmp(key, fields[i]);
		if (!found) {
			ocifield_fail_unknown(
				rd, path, "field", key, strlen(key),
				ocifield_closest(key, strlen(key), fields, n, sizeof(*fields)));
			ok = false;
		}
	}
	return ok;
}

int ocifield_lookup(const char *s, size_t n, const char *const *names, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (names[i] && strlen(names[i]) == n && !memcmp(s, names[i], n))
			return (int)i;
	return -1;
}

int ocifield_action(struct oci_reader *rd, struct json_object *v, const char *path,
		    enum oci_action *out)
{
	size_t n;
	const char *s = ocifield_string(rd, v, path, &n);
	int a;

	if (!s)
		return -1;
	a = ocifield_lookup(s, n, action_names, ARRAY_SIZE(action_names));
	if (a < 0) {
		ocifield_fail_unknown(rd, path, "action", s, n,
				      ocifield_closest(s, n, action_names, ARRAY_SIZE(action_names),
						       sizeof(*action_names)));
		return -1;
	}
	*out = (enum oci_action)a;
	return 0;
}

/* containers/common's "errno": a name (EPERM) or a decimal number. */
static int get_errno_name(struct oci_reader *rd, struct json_object *v, const char *path,
			  uint32_t *out)
{
	size_t n;
	const char *s = ocifield_string(rd, v, path, &n);
	char b[80];

	if (!s)
		return -1;
	if (n && n < 6 && strspn(s, "0123456789") == n) {
		*out = (uint32_t)strtoul(s, NULL, 10);
		if (*out <= ERRNO_MAX)
			return 0;
	}
	for (int e = 1; e <= ERRNO_MAX; e++) {
		const char *name = strerrorname_np(e);

		if (name && strlen(name) == n && !memcmp(name, s, n)) {
			*out = (uint32_t)e;
			return 0;
		}
	}
	ocifield_fail(rd, "%s: unknown errno '%s'", path, ocifield_clean(s, n, b, sizeof(b)));
	return -1;
}

/* errnoRet and errno (the name wins in containers/common; both must agree). */
int ocifield_errno(struct oci_reader *rd, struct json_object *ret, struct json_object *name,
		   const char *path_ret, const char *path_name, bool *given, uint32_t *out)
{
	uint64_t v = 0;
	uint32_t e = 0;

	*given = false;
	if (ret && !ocifield_absent(ret)) {
		if (ocifield_uint(rd, ret, path_ret, ERRNO_MAX, &v))
			return -1;
		*out = (uint32_t)v;
		*given = true;
	}
	if (name && !ocifield_absent(name)) {
		if (get_errno_name(rd, name, path_name, &e))
			return -1;
		if (*given && e != *out) {
			ocifield_fail(rd, "%s (%u) and %s (%u) disagree", path_ret, *out, path_name,
				      e);
			return -1;
		}
		*out = e;
		*given = true;
	}
	return 0;
}

/* One architecture name; 0 (and *x32) for a known one sysfence cannot target. */
int ocifield_arch(struct oci_reader *rd, struct json_object *v, const char *path, uint32_t *out,
		  bool *x32)
{
	size_t n;
	const char *s = ocifield_string(rd, v, path, &n);

	if (!s)
		return -1;
	if (n == 16 && !memcmp(s, "SCMP_ARCH_NATIVE", 16)) {
		*out = syscalls_native_arch();
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(arch_names); i++) {
		if (strlen(arch_names[i].name) != n || memcmp(arch_names[i].name, s, n))
			continue;
		*out = arch_names[i].sf ? syscalls_arch_from_name(arch_names[i].sf) : 0;
		if (!strcmp(arch_names[i].name, "x32") ||
		    !strcmp(arch_names[i].name, "SCMP_ARCH_X32"))
			*x32 = true;
		return 0;
	}
	ocifield_fail_unknown(rd, path, "architecture", s, n,
			      ocifield_closest(s, n, &arch_names[0].name, ARRAY_SIZE(arch_names),
					       sizeof(arch_names[0])));
	return -1;
}

/* An array of architecture names into arches (supported ones only). */
int ocifield_arches(struct oci_reader *rd, struct json_object *v, const char *path,
		    uint32_t *arches, size_t *narches, bool *x32, char *text, size_t textlen)
{
	size_t n, used = 0;
	int rc = 0;

	if (ocifield_absent(v))
		return 0;
	if (!ocifield_want(rd, v, json_type_array, path, "an array of architecture names"))
		return -1;
	n = json_object_array_length(v);
	if (n > OCI_MAX_ARCHES) {
		ocifield_fail(rd, "%s: more than %d architectures", path, OCI_MAX_ARCHES);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(v, i);
		char p[256], b[64];
		uint32_t a = 0;
		int w;

		snprintf(p, sizeof(p), "%s[%zu]", path, i);
		if (ocifield_arch(rd, e, p, &a, x32)) {
			rc = -1;
			continue;
		}
		if (a)
			arches[(*narches)++] = a;
		w = snprintf(text + used, textlen - used, "%s%s", used ? " " : "",
			     ocifield_clean(json_object_get_string(e),
					    (size_t)json_object_get_string_len(e), b, sizeof(b)));
		if (w > 0 && (size_t)w < textlen - used)
			used += (size_t)w;
	}
	return rc;
}
